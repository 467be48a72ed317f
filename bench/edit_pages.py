"""How long a rerun of the Review and Edit pages takes (AppTest, the script's own time on the server side).

    .venv/bin/python bench/edit_pages.py [--runs 15] [--candidates 40] [--data DIR]

Copies the shipped data (or DIR) with a review sheet of N candidates into a temporary folder, opens each page state
once, then reruns it: prints the median and the slowest rerun per state, in milliseconds, as wall-clock time
and as this process's CPU time (steadier on a busy machine). AppTest's own work is included in both.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))


def folder_with_sheet(n: int, data: Path | None = None) -> Path:
    from shipped import copy_shipped
    from timeline.curation.review import FIELDS
    from timeline.data.load import read_data

    folder = Path(tempfile.mkdtemp(prefix="bench-edit-")) / "data"
    if data is None:
        copy_shipped(folder)
        for name in ("relations.csv", "figures.csv", "story.toml"):
            shutil.copy2(ROOT / name, folder / name)
    else:
        shutil.copytree(data, folder)
    passage = read_data(folder).chronology.passages[0]
    quote, source_id = passage.text, passage.source.id
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, [*FIELDS, "source_id", "quote", "reasoning"], lineterminator="\n")
    writer.writeheader()
    for i in range(n):
        writer.writerow({**dict.fromkeys(FIELDS, ""), "id": f"cgtn-{i}", "start": "2024", "source_id": source_id, "quote": quote})
    (folder / "review").mkdir(exist_ok=True)
    (folder / "review" / f"{source_id}.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--candidates", type=int, default=40)
    parser.add_argument("--data", type=Path, help="a data folder to copy (e.g. one from `python -m timeline synth`)")
    args = parser.parse_args()
    os.environ["TIMELINE_DATA"] = str(folder_with_sheet(args.candidates, args.data))
    sys.argv[1:] = []  # the pages read --data from the command line too: this script's own is not for them
    from streamlit.testing.v1 import AppTest

    states = {
        "review: queue": ("page_review.py", lambda at: None),
        "review: accepted form": ("page_review.py", lambda at: at.button(key="rv_accept_0").click()),
        "edit: event form": ("page_edit.py", lambda at: None),
        "edit: delete confirmation": ("page_edit.py", lambda at: at.button(key="ed_delete").click()),
    }
    for name, (page, step) in states.items():
        at = AppTest.from_file(str(ROOT / "views" / page), default_timeout=300)
        at.run()
        if at.exception:
            raise SystemExit(f"{name}: {at.exception[0].message}")
        step(at)
        at.run()
        times, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            at.run()
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        assert not at.exception, at.exception
        print(f"{name:28s} wall median {statistics.median(times):6.1f} ms, slowest {max(times):6.1f} ms; "
              f"CPU median {statistics.median(cpu):6.1f} ms ({args.runs} reruns)")


if __name__ == "__main__":
    main()
