"""Time the standard-format exports and check every one against the standards' schemas.

    .venv/bin/python bench/bench_standards.py [--events 1000]

Prints, for a synthetic story of that many events: how long the W3C annotations and CSL-JSON exports take, and
how long the W3C test suite's "musts" and the CSL data schema take to check every annotation and item (the
test suite checks a sample of the annotations of big stories; this checks them all), and how many fail.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_standards import _csl_validator, w3c_failures  # noqa: E402
from timeline.data.load import load_chronology  # noqa: E402
from timeline.data.synth import write_folder  # noqa: E402
from timeline.outputs import standards  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    n = parser.parse_args().events
    with tempfile.TemporaryDirectory() as tmp:
        write_folder(Path(tmp) / "story", n, seed=42)
        t = time.perf_counter()
        chron = load_chronology(Path(tmp) / "story")
        print(f"load {n:,} events: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    data = standards.to_annotations(chron, chron.frame)
    print(f"annotations export: {len(chron.passages):,} annotations, {len(data):,} bytes, {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    items = json.loads(standards.to_csl(chron, chron.frame))
    print(f"csl export: {len(items):,} items, {time.perf_counter() - t:.3f} s")
    t = time.perf_counter()
    failing = sum(bool(w3c_failures(a)) for a in json.loads(data))
    print(f"W3C musts on every annotation: {failing} failing, {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    errors = list(_csl_validator().iter_errors(items))
    print(f"CSL data schema: {len(errors)} errors, {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    refs = standards.formatted_citations(standards.cited_sources(chron))
    print(f"Chicago references with citeproc-py: {len(refs):,} in {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main()
