"""Time image exports of the curated view with the one reused browser.

    .venv/bin/python bench/bench_export.py [--runs 10]

Prints the first PNG export (browser start included) and the median of warm exports for
PNG, SVG and PDF, with the targets (first < 3 s, warm PNG < 0.5 s on a 2-core machine).
"Warm" exports the same view again, as the app does on every rerun; the last line times a
view that was not exported before (the search for the scale that fits every label runs).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timeline import export as export_module  # noqa: E402
from timeline.outputs.export import export, start_renderer, static_figure, stop_renderer  # noqa: E402
from timeline.filters import ViewState  # noqa: E402
from timeline.data.load import ROOT, load_chronology  # noqa: E402

CASES = [("png", "slide-16x9"), ("png", "social"), ("svg", "slide-16x9"), ("pdf", "a4")]


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="warm exports per format (default: %(default)s)")
    args = parser.parse_args(argv)
    chron = load_chronology(ROOT)
    state = ViewState()
    print(f"curated view: {len(chron.events)} events, {args.runs} warm runs each")
    try:
        first = timed(lambda: (start_renderer(), export(chron, state, "png", "slide-16x9")))
        print(f"{'png slide-16x9 first':<24} {first:6.2f} s   (browser start included; target < 3 s)")
        for fmt, preset in CASES:
            runs = [timed(lambda: export(chron, state, fmt, preset)) for _ in range(args.runs)]
            target = "   (target < 0.5 s)" if fmt == "png" else ""
            print(f"{fmt + ' ' + preset + ' warm':<24} {statistics.median(runs):6.3f} s median, "
                  f"{min(runs):.3f}–{max(runs):.3f}{target}")
        layout = [timed(lambda: static_figure(chron, state, "png", "slide-16x9")) for _ in range(args.runs)]
        print(f"{'of which layout only':<24} {statistics.median(layout):6.3f} s median (figure built and fitted, no rendering)")
        fresh = [timed(lambda: (export_module._chosen.clear(), export(chron, state, "png", "slide-16x9")))
                 for _ in range(args.runs)]
        print(f"{'png slide-16x9 new view':<24} {statistics.median(fresh):6.3f} s median "
              "(a view not exported before: the scale search runs again)")
    finally:
        stop_renderer()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
