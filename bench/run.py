"""Benchmarks of the timeline at every scale: the curated data and generated folders of N events.

    .venv/bin/python bench/run.py                         # curated, 1,000, 10,000 and 100,000 events
    .venv/bin/python bench/run.py --sizes 1000 --runs 3 --skip browser,export
    .venv/bin/python bench/run.py --code /tmp/before      # the same measurements of another checkout

Generated folders go to bench/data/ (git-ignored; `python -m timeline synth`, seed 42) and are
reused while their events.csv is there. Every measurement runs in a fresh process
(bench/probes.py), so that each one's peak memory is its own; a load is measured in a new
process per run, as a server starting up would meet it. Prints medians (seconds) and peak
resident memory, a table per measurement with the targets beside it; --json writes every run.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

PROBES = ("load", "filter", "figure", "apptest", "pages", "browser", "bare", "export")
TARGETS = {  # (dataset, row) -> target, as the issues set them
    ("curated", "rerun after a filter change (AppTest)"): "< 0.1 s",
    ("curated", "Timeline page / bare page, later visit"): "<= 1.2",
    ("curated", "newer pages: slowest rerun (AppTest)"): "< 0.1 s",
    ("n20", "Timeline page / bare page, later visit"): "<= 1.2",
    ("n100000", "load and validate, then build the frame"): "< 5 s",
    ("n100000", "rerun after a filter change (AppTest)"): "< 0.2 s",
    ("n100000", "browser: later visit, chart drawn"): "<= 3 s",
    ("n100000", "browser: server restarted, returning browser"): "<= 3 s",
    ("n100000", "peak memory, server (MB)"): "<= 1024",
    ("n100000", "export PNG, warm"): "<= 1 s",
}
BARE_UP_TO = 1000  # the bare page is measured beside the stories of at most this many events


def dataset(size: int, data_dir: Path, seed: int) -> Path:
    """The generated folder of `size` events, written once."""
    folder = data_dir / f"n{size}-seed{seed}"
    if not (folder / "events.csv").exists():
        from timeline.data.synth import write_folder

        t = time.perf_counter()
        counts = write_folder(folder, size, seed=seed)
        print(f"generated {folder}: {counts['events']:,} events, {counts['citations']:,} citations, "
              f"{counts['sources']:,} sources ({time.perf_counter() - t:.1f} s)", flush=True)
    return folder


def probe(name: str, data: Path, runs: int, code: Path, timeout: float) -> dict:
    cmd = [sys.executable, str(HERE / "probes.py"), name, "--data", str(data), "--runs", str(runs), "--code", str(code)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=code,
                             env={**os.environ, "PYTHONWARNINGS": "ignore"})
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:200]}
    return json.loads(lines[-1])


def measure(name: str, data: Path, runs: int, code: Path, timeout: float) -> dict:
    """One probe; `load` is a fresh process per run (the median of `runs` cold loads)."""
    if name != "load":
        return probe(name, data, runs, code, timeout)
    results = [probe("load", data, 1, code, timeout) for _ in range(runs)]
    good = [r for r in results if "error" not in r]
    if not good:
        return results[0]
    med = sorted(good, key=lambda r: r["total"])[len(good) // 2]
    return {**med, "runs": [r["total"] for r in good], "peak_mb": max(r["peak_mb"] for r in good)}


def rows_of(results: dict[str, dict]) -> list[tuple[str, dict[str, str]]]:
    """The table: one row per figure, one cell per dataset."""
    def cell(r: dict | None, key: str, fmt: str = "{:.3f}") -> str:
        if not r:
            return "–"
        if "error" in r:
            return "error: " + r["error"][:40]
        value = r
        for part in key.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return "–" if value is None else fmt.format(value)

    spec = [
        ("load and validate (read_data)", "load", "read", "{:.2f}"),
        ("load and validate, then build the frame", "load", "total", "{:.2f}"),
        ("peak memory, load (MB)", "load", "peak_mb", "{:.0f}"),
        ("filter_events, median of 7 changes", "filter", "median", "{:.4f}"),
        ("filter_events, slowest change", "filter", "max", "{:.4f}"),
        ("build_figure, every event", "figure", "views.all.build", "{:.3f}"),
        ("figure JSON, every event (s)", "figure", "views.all.json", "{:.3f}"),
        ("figure JSON, every event (MB)", "figure", "views.all.mb", "{:.1f}"),
        ("build_figure, claims only", "figure", "views.claims.build", "{:.3f}"),
        ("app first run, data loaded (AppTest)", "apptest", "first", "{:.2f}"),
        ("rerun after a filter change (AppTest)", "apptest", "median", "{:.3f}"),
        ("rerun back to every event (AppTest)", "apptest", "back_to_all", "{:.3f}"),
        ("browser: first visit, chart drawn", "browser", "first", "{:.2f}"),
        ("browser: later visit, chart drawn", "browser", "median", "{:.2f}"),
        ("browser: later visit, claims only", "browser", "claims_visit", "{:.2f}"),
        ("browser: pick kind Claim, chart redrawn", "browser", "filter_change", "{:.2f}"),
        ("peak memory, server (MB)", "browser", "server_peak_mb", "{:.0f}"),
        ("browser: server restarted, returning browser", "browser", "restart_returning", "{:.2f}"),
        ("browser: server restarted, new browser", "browser", "restart_first", "{:.2f}"),
        ("server restarted: up and healthy", "browser", "restart_server_up", "{:.2f}"),
        ("newer pages: slowest rerun (AppTest)", "pages", "median", "{:.3f}"),
        ("bare Streamlit+Plotly page, later visit", "bare", "median", "{:.2f}"),
        ("Timeline page / bare page, later visit", "ratio", "value", "{:.2f}"),
        ("export PNG, cold (browser started)", "export", "png_cold", "{:.2f}"),
        ("export PNG, warm", "export", "png_warm", "{:.2f}"),
        ("export HTML page, warm", "export", "html_warm", "{:.2f}"),
        ("export CSV, warm", "export", "csv_warm", "{:.2f}"),
    ]
    for res in results.values():  # the ratio to the floor, both measured in this run
        browser, bare = res.get("browser") or {}, res.get("bare") or {}
        if browser.get("median") and bare.get("median"):
            res["ratio"] = {"value": browser["median"] / bare["median"]}
    out = []
    for label, probe_name, key, fmt in spec:
        cells = {ds: cell(res.get(probe_name), key, fmt) for ds, res in results.items()}
        if any(v != "–" for v in cells.values()):
            out.append((label, cells))
    return out


def table(results: dict[str, dict]) -> str:
    names = list(results)
    rows = rows_of(results)
    width = max(len(label) for label, _ in rows) + 2
    head = f"{'':<{width}}" + "".join(f"{n:>14}" for n in names) + "   target (100k unless said)"
    lines = [head, "-" * len(head)]
    for label, cells in rows:
        target = "; ".join(f"{ds}: {t}" for (ds, lab), t in TARGETS.items() if lab == label)
        lines.append(f"{label:<{width}}" + "".join(f"{cells[n]:>14}" for n in names) + (f"   {target}" if target else ""))
    return "\n".join(lines)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    mem = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    load = Path("/proc/loadavg").read_text().split()[:3]
    return f"{os.cpu_count()} cores ({cpu}), {mem / 1024:.1f} GB RAM, load average {' '.join(load)} at the start"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,1000,10000,100000", help="generated folders, comma-separated (default: %(default)s)")
    parser.add_argument("--no-curated", action="store_true", help="leave out the curated data")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (default: %(default)s)")
    parser.add_argument("--skip", default="", help=f"probes to leave out, comma-separated: {', '.join(PROBES)}")
    parser.add_argument("--only", default="", help="the only probes to run, comma-separated")
    parser.add_argument("--data-dir", type=Path, default=HERE / "data", help="where generated folders go (default: bench/data)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to measure (default: this one)")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per probe before it counts as failed")
    parser.add_argument("--json", type=Path, help="also write every result to this file")
    args = parser.parse_args(argv)

    probes = [p for p in (args.only.split(",") if args.only else PROBES) if p and p not in args.skip.split(",")]
    sets: dict[str, Path] = {} if args.no_curated else {"curated": ROOT}
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        sets[f"n{size}"] = dataset(size, args.data_dir, args.seed)
    print(f"machine: {machine()}\ncode: {args.code.resolve()}; runs: {args.runs}; probes: {', '.join(probes)}", flush=True)
    results: dict[str, dict] = {name: {} for name in sets}
    for name, folder in sets.items():
        for p in probes:
            if p == "bare" and name != "curated" and int(name[1:]) > BARE_UP_TO:
                continue
            t = time.perf_counter()
            results[name][p] = r = measure(p, folder, args.runs, args.code.resolve(), args.timeout)
            status = r.get("error") or f"median {r.get('median', r.get('total', 0)):.3f} s, peak {r.get('peak_mb', 0):.0f} MB"
            print(f"  {name:>8} {p:<8} {status}  ({time.perf_counter() - t:.0f} s)", flush=True)
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "code": str(args.code), "results": results}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
