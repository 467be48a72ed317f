"""The published page beside TimelineJS and vis-timeline, on the same generated events, in one headless Chromium.

    .venv/bin/python bench/peers.py                          # N = 20, 2,000, 20,000 (+ 100,000 for the page)
    .venv/bin/python bench/peers.py --sizes 20,2000 --runs 3 --no-app

Installs @knight-lab/timelinejs 3.9.11 and vis-timeline 8.5.4 from bench/peers/package-lock.json (`npm ci`,
into bench/peers/node_modules: a benchmark tool, never a run-time dependency). For each N it generates the data
folder (`python -m timeline synth`, seed 42, in bench/data/ as bench/run.py does), writes the published page of
it (`export --format html`), the same events as TimelineJS JSON (the project's own TimelineJS export) and as
vis-timeline items (id, start, end, content, group per category), and opens each file in a new page, median of
`--runs`. With `--app`, the Streamlit app is opened on the same folder too (its chart drawn by plotly).

Measured: from navigation to the timeline drawn, read in the page (performance.now(), which starts at
navigation) two animation frames after the library says it has drawn: TimelineJS's "ready" event,
vis-timeline's first "changed", the page's own mark, the app's plotly chart laid out. Requests outside
the file (a font, a CDN) are refused, so that no library waits on the network. Prints medians, the file's
size and the ratio to the best peer (below 1: faster).
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = HERE / "peers"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from timeline.data.load import load_chronology  # noqa: E402
from timeline.filters import ViewState  # noqa: E402
from timeline.outputs.export import export  # noqa: E402

TLJS = PEERS / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
VIS = PEERS / "node_modules" / "vis-timeline" / "standalone" / "umd" / "vis-timeline-graph2d.min.js"
VIS_CSS = PEERS / "node_modules" / "vis-timeline" / "styles" / "vis-timeline-graph2d.min.css"
SEED = 42
PAGE_ONLY = 100_000  # drawn by the page alone (target < 3 s): the peers take minutes well before this
TIMEOUT_S = 300
PlaywrightTimeout = TimeoutError
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
MARK = ("requestAnimationFrame(() => requestAnimationFrame(() => { window.timelineDrawn = performance.now(); "
        "console.log('timeline-drawn ' + window.timelineDrawn); }));")


def install() -> None:
    """The two libraries, as the lock file pins them (once)."""
    if TLJS.exists() and VIS.exists():
        return
    if not shutil.which("npm"):
        sys.exit("npm is missing: install Node.js (apt-get install npm) to fetch the libraries measured here.")
    print("npm ci in bench/peers …", flush=True)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEERS, check=True)


def dataset(size: int, data_dir: Path) -> Path:
    folder = data_dir / f"n{size}-seed{SEED}"
    if not (folder / "events.csv").exists():
        from timeline.data.synth import write_folder

        write_folder(folder, size, seed=SEED)
    return folder


def _script_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def write_files(size: int, data_dir: Path) -> dict[str, Path]:
    """The published page, a TimelineJS page and a vis-timeline page of the same events."""
    folder = dataset(size, data_dir)
    out = data_dir / "peers"
    out.mkdir(parents=True, exist_ok=True)
    files = {"page": out / f"page-{size}.html", "timelinejs": out / f"timelinejs-{size}.html",
             "vis-timeline": out / f"vis-{size}.html"}
    if all(f.exists() for f in files.values()):
        return files
    chron = load_chronology(folder)
    state = ViewState()
    files["page"].write_bytes(export(chron, state, "html").data)
    if size == PAGE_ONLY:
        return files
    tl_json = export(chron, state, "timelinejs").data.decode("utf-8")
    files["timelinejs"].write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>TimelineJS</title>'
        f'<link rel="stylesheet" href="{(TLJS / "css" / "timeline.css").as_uri()}">'
        f'<script src="{(TLJS / "js" / "timeline.js").as_uri()}"></script></head>'
        '<body style="margin:0"><div id="tl" style="width:100%;height:650px"></div><script>'
        f"var data = {tl_json.replace('<', chr(92) + 'u003c')};"
        f'var t = new TL.Timeline("tl", data, {{script_path: "{(TLJS / "js").as_uri()}/", font: null}});'
        f't.on("ready", function () {{ {MARK} }});</script></body></html>', encoding="utf-8")
    frame = chron.frame
    groups = list(dict.fromkeys(zip(frame["category"], frame["category_label"])))
    items = [{"id": i, "content": title, "start": start, "group": cat, **({"end": end, "type": "range"} if end else {})}
             for i, (title, start, end, cat) in enumerate(zip(frame["title"], frame["first_day"].dt.strftime("%Y-%m-%d"),
                                                              [e.strftime("%Y-%m-%d") if s else "" for e, s in
                                                               zip(frame["last_day"], frame["is_span"])], frame["category"]))]
    files["vis-timeline"].write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>vis-timeline</title>'
        f'<link rel="stylesheet" href="{VIS_CSS.as_uri()}"><script src="{VIS.as_uri()}"></script></head>'
        '<body style="margin:0"><div id="tl"></div><script>'
        f"var items = new vis.DataSet({_script_json(items)});"
        f"var groups = new vis.DataSet({_script_json([{'id': g, 'content': label} for g, label in groups])});"
        'var t = new vis.Timeline(document.getElementById("tl"), items, groups, {stack: true, maxHeight: 650, '
        f'start: "{frame["first_day"].min():%Y-%m-%d}", end: "{frame["last_day"].max():%Y-%m-%d}"}});'
        f'var once = false; t.on("changed", function () {{ if (once) return; once = true; {MARK} }});'
        "</script></body></html>", encoding="utf-8")
    return files


def weight(tool: str, path: Path) -> int:
    """Bytes a reader's browser loads: the file, and for a peer its library's script and stylesheet."""
    lib = {"timelinejs": [TLJS / "js" / "timeline.js", TLJS / "css" / "timeline.css"], "vis-timeline": [VIS, VIS_CSS]}
    return path.stat().st_size + sum(f.stat().st_size for f in lib.get(tool, []))


def time_file(browser, tool: str, path: Path) -> float:
    """Seconds from navigation to drawn, in a new page of a new profile."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                  else route.abort())
    page = context.new_page()
    try:
        if tool == "page":
            page.goto(path.as_uri(), wait_until="commit", timeout=TIMEOUT_S * 1000)
            page.wait_for_function("() => window.timelineDrawn !== undefined", timeout=TIMEOUT_S * 1000, polling=100)
            return page.evaluate("window.timelineDrawn") / 1000
        # a peer's page says when it is drawn in its console: a wait that does not ask the page, whose main
        # thread may be busy for minutes (a wait_for_function there never came back)
        with page.expect_console_message(lambda m: m.text.startswith("timeline-drawn "), timeout=TIMEOUT_S * 1000) as said:
            page.goto(path.as_uri(), wait_until="commit", timeout=TIMEOUT_S * 1000)
        return float(said.value.text.split()[1]) / 1000
    except PlaywrightTimeout:
        return float("inf")  # not drawn within TIMEOUT_S: printed as "> TIMEOUT_S"
    finally:
        context.close()


def time_app(browser, folder: Path, runs: int) -> list[float]:
    """The Streamlit app on the same folder: a new page of a running server (data loaded), to plotly's chart drawn."""
    sys.path.insert(0, str(HERE))
    from probes import _DRAWN, _server, _stop

    proc, url, _log = _server(ROOT, folder)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        times = []
        for k in range(runs + 1):  # the first visit makes the server load the folder: not counted
            page = context.new_page()
            page.goto(url, timeout=TIMEOUT_S * 1000)
            page.wait_for_function(_DRAWN, timeout=TIMEOUT_S * 1000, polling=50)
            if k:
                times.append(page.evaluate("performance.now()") / 1000)
            page.close()
        context.close()
        return times
    finally:
        _stop(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=f"20,2000,20000,{PAGE_ONLY}", help="N events (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per file (default: %(default)s)")
    parser.add_argument("--app", action=argparse.BooleanOptionalAction, default=True,
                        help="also open the Streamlit app on each folder (default: yes)")
    parser.add_argument("--tools", default="timelinejs,vis-timeline,page", help="which files to open (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds a file may take (default: %(default)s)")
    parser.add_argument("--data-dir", type=Path, default=HERE / "data", help="where generated files go (default: bench/data)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    globals()["TIMEOUT_S"] = args.timeout
    install()
    global PlaywrightTimeout
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for size in sizes:
            t = time.perf_counter()
            files = write_files(size, args.data_dir)
            print(f"N = {size:,}: files ready ({time.perf_counter() - t:.1f} s)", flush=True)
            row = {"n": size}
            tools = [t for t in (["page"] if size == PAGE_ONLY else ["timelinejs", "vis-timeline", "page"])
                     if t in args.tools.split(",")]
            for tool in tools:
                runs = []
                for _ in range(args.runs):  # after a run that did not finish in time, the others would not either
                    runs.append(time_file(browser, tool, files[tool]))
                    if runs[-1] == float("inf"):
                        break
                row[tool] = statistics.median(runs)
                row[tool + " size"] = weight(tool, files[tool])
                print(f"  {tool:13} {row[tool]:7.2f} s  (runs {', '.join(f'{r:.2f}' for r in runs)}; "
                      f"{row[tool + ' size'] / 1e6:.2f} MB with its library)", flush=True)
            if args.app and size != PAGE_ONLY:
                runs = time_app(browser, dataset(size, args.data_dir), args.runs)
                row["app"] = statistics.median(runs)
                print(f"  {'app':13} {row['app']:7.2f} s  (runs {', '.join(f'{r:.2f}' for r in runs)})", flush=True)
            rows.append(row)
        browser.close()
    print("\n| N events | TimelineJS 3.9.11 | vis-timeline 8.5.4 | published page | page ÷ best peer | app (Streamlit) | page size |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        best = min((r[k] for k in ("timelinejs", "vis-timeline") if k in r), default=None)
        cell = lambda k: (f"{r[k]:.2f} s" if r[k] != float("inf") else f"> {TIMEOUT_S} s") if k in r else "—"  # noqa: E731
        if best == float("inf"):
            ratio = f"< {r['page'] / TIMEOUT_S:.3f}"
        elif best:
            ratio = f"{r['page'] / best:.2f}"
        else:
            ratio = "target < 3 s: " + ("met" if r["page"] < 3 else "NOT met")
        print(f"| {r['n']:,} | {cell('timelinejs')} | {cell('vis-timeline')} | {cell('page')} | {ratio} | {cell('app')} "
              f"| {r['page size'] / 1e6:.2f} MB |" if "page" in r else f"| {r['n']:,} | {cell('timelinejs')} | "
              f"{cell('vis-timeline')} | — | — | {cell('app')} | — |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
