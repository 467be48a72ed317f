"""Time reading a synthetic story whose every start is written in EDTF, against the same story in plain dates.

    .venv/bin/python bench/bench_edtf.py [--events 20000]

Prints both load times and whether the two chronologies have the same dates.
"""
from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timeline.data.load import read_data  # noqa: E402
from timeline.data.synth import write_folder  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=20000)
    n = parser.parse_args().events
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "story"
        write_folder(folder, n, seed=5)
        t = time.perf_counter()
        plain = read_data(folder)
        print(f"plain dates: {n:,} events in {time.perf_counter() - t:.2f} s")
        by_id = plain.chronology.by_id
        path = folder / "events.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            event = by_id[row["id"]]
            row["start"], row["end"] = event.date_edtf, ""
            if event.date_certainty.value in ("approximate", "after", "by"):
                row["date_certainty"] = ""
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        t = time.perf_counter()
        edtf = read_data(folder)
        print(f"EDTF starts: {n:,} events in {time.perf_counter() - t:.2f} s, {len(edtf.problems)} problems")
        key = lambda e: (e.id, e.start, e.end if e.end != e.start else None, e.date_certainty)  # noqa: E731
        same = sorted(map(key, plain.chronology.events)) == sorted(map(key, edtf.chronology.events))
        print(f"same dates: {same}")


if __name__ == "__main__":
    main()
