"""One measurement of the timeline on one data folder, in a process of its own; bench/run.py drives it.

    .venv/bin/python bench/probes.py PROBE --data DIR [--runs 5] [--code DIR]

Probes: load, filter, figure, apptest, browser, export. Each prints one JSON line: medians in
seconds, every run, and the peak resident memory of the process that did the work (the probe
itself, or the Streamlit server for `browser`). `--code DIR` measures another checkout of the
project (e.g. the code before a change) on the same data.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from appserver import start_server, stop_server  # noqa: E402  (the test suite's server starter)

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

def peak_mb() -> float:
    """Peak resident memory of this process so far, MB.

    VmHWM rather than getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent through exec,
    so a probe started by a big parent would report the parent's peak.
    """
    try:
        return _hwm_mb(os.getpid())
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def summary(runs: list[float]) -> dict:
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "runs": runs}


# --- in-process probes --------------------------------------------------------------------------------------


def probe_load(data: Path, runs: int) -> dict:
    """read_data (read and validate every row and quote) and the frame the views filter, once: a cold process."""
    from timeline.data.load import read_data

    t = time.perf_counter()
    result = read_data(data)
    read = time.perf_counter() - t
    t = time.perf_counter()
    frame = result.chronology.frame
    built = time.perf_counter() - t
    assert not result.problems, result.problems[:3]
    return {"read": read, "frame": built, "total": read + built, "events": len(frame), "peak_mb": peak_mb()}


def _states(chron):
    from timeline.filters import ViewState

    frame = chron.frame
    category = frame["category"].iloc[len(frame) // 2]
    actor = frame["actors"].iloc[len(frame) // 2][0]
    source = frame["source_ids"].iloc[len(frame) // 2][0]
    mid = frame["first_day"].iloc[len(frame) // 2]
    from timeline.data.dates import PartialDate
    return {
        "kind": ViewState(kinds=("claim",)),
        "category": ViewState(categories=(category,)),
        "actor": ViewState(actors=(actor,)),
        "source": ViewState(sources=(source,)),
        "dates": ViewState(date_from=PartialDate(mid.year)),
        "search": ViewState(search="beijing"),
        "combined": ViewState(kinds=("event", "claim"), actors=(actor,), search="beijing"),
    }


def probe_filter(data: Path, runs: int) -> dict:
    """filter_events for typical filter changes on the loaded chronology."""
    from timeline.filters import filter_events
    from timeline.data.load import load_chronology

    chron = load_chronology(data)
    frame = chron.frame
    out = {}
    for name, state in _states(chron).items():
        out[name] = statistics.median(timed(lambda: filter_events(frame, state)) for _ in range(runs))
    return {**summary(list(out.values())), "by_change": out, "peak_mb": peak_mb()}


def probe_figure(data: Path, runs: int) -> dict:
    """build_figure for the full view and a filtered one, and the figure's JSON as st.plotly_chart makes it."""
    import plotly.io as pio

    from timeline.chart.figure import build_figure
    from timeline.filters import ViewState, filter_events
    from timeline.data.load import load_chronology

    chron = load_chronology(data)
    out = {}
    for name, state in (("all", ViewState()), ("claims", ViewState(kinds=("claim",)))):
        shown = filter_events(chron.frame, state)
        build = [timed(lambda: build_figure(shown, width=900)) for _ in range(runs)]
        fig = build_figure(shown, width=900)
        serial = [timed(lambda: pio.to_json(fig.to_dict(), validate=False)) for _ in range(runs)]
        out[name] = {"rows": len(shown), "build": statistics.median(build), "json": statistics.median(serial),
                     "mb": len(pio.to_json(fig.to_dict(), validate=False)) / 1e6,
                     "types": sorted({t.type for t in fig.data})}
    return {"median": out["all"]["build"], "views": out, "peak_mb": peak_mb()}


def probe_apptest(data: Path, runs: int, code: Path) -> dict:
    """The app run headless: the first run (data loaded), then reruns after filter changes, as a click makes them."""
    os.environ["TIMELINE_DATA"] = str(data)
    sys.argv = sys.argv[:1]  # the app would read a --data of ours
    from streamlit.testing.v1 import AppTest

    import csv

    with (data / "vocabulary.csv").open(encoding="utf-8-sig", newline="") as f:  # not a second copy of the data
        vocabulary = list(csv.DictReader(f))
    category = next(r["value"] for r in vocabulary if r["field"].strip() == "category")
    actor = next(r["value"] for r in vocabulary if r["field"].strip() == "actor")
    at = AppTest.from_file(str(code / "app.py"), default_timeout=600)
    first = timed(at.run)
    assert not at.exception, at.exception
    widgets = {"kind": lambda: at.multiselect(key="w_kinds").set_value(["claim"]),
               "category": lambda: at.multiselect(key="w_categories").set_value([category]),
               "actor": lambda: at.multiselect(key="w_actors").set_value([actor]),
               "search": lambda: at.text_input(key="w_search").set_value("beijing")}
    resets = {"kind": lambda: at.multiselect(key="w_kinds").set_value([]),
              "category": lambda: at.multiselect(key="w_categories").set_value([]),
              "actor": lambda: at.multiselect(key="w_actors").set_value([]),
              "search": lambda: at.text_input(key="w_search").set_value("")}
    changes, back = {name: [] for name in widgets}, []
    for _ in range(runs):
        for name in widgets:
            widgets[name]()
            changes[name].append(timed(at.run))
            assert not at.exception, at.exception
            resets[name]()
            back.append(timed(at.run))  # back to every event: the biggest figure
    narrowing = [statistics.median(v) for v in changes.values()]
    return {**summary(narrowing), "first": first, "by_change": {k: statistics.median(v) for k, v in changes.items()},
            "back_to_all": statistics.median(back), "peak_mb": peak_mb()}


def probe_export(data: Path, runs: int) -> dict:
    """Export of the full view: PNG cold (browser started) and warm; the offline page and CSV warm."""
    from timeline.outputs.export import export, start_renderer, stop_renderer
    from timeline.filters import ViewState
    from timeline.data.load import load_chronology

    chron = load_chronology(data)
    state = ViewState()
    out = {}
    try:
        out["png_cold"] = timed(lambda: (start_renderer(), export(chron, state, "png", "slide-16x9")))
        out["png_warm"] = statistics.median(timed(lambda: export(chron, state, "png", "slide-16x9")) for _ in range(runs))
        out["html_warm"] = statistics.median(timed(lambda: export(chron, state, "html")) for _ in range(max(1, runs // 2)))
        out["csv_warm"] = statistics.median(timed(lambda: export(chron, state, "csv")) for _ in range(max(1, runs // 2)))
    finally:
        stop_renderer()
    return {"median": out["png_warm"], **out, "peak_mb": peak_mb()}


# --- the real page in a browser ---------------------------------------------------------------------------


def _server(code: Path, data: Path) -> tuple[subprocess.Popen, str, Path]:
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-streamlit-{os.getpid()}-{time.time_ns()}.log"
    proc, url = start_server(data, root=code, log=log)
    return proc, url, log


_stop = stop_server


def _hwm_mb(pid: int) -> float:
    """Peak resident memory of a running process, MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# The chart is visible when plotly has drawn it (its SVG layers and, for WebGL, its canvases) and the
# browser has painted a frame since.
_DRAWN = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullData || !gd._fullData.length || !gd.querySelector('.main-svg')) return false;
  const gl = gd._fullData.some(t => t.type === 'scattergl');
  if (gl && !(gd._fullLayout._glcanvas && gd._fullLayout._glcanvas.size())) return false;
  // a painted frame since (or, should the page not be painting, a moment)
  return new Promise(r => { requestAnimationFrame(() => requestAnimationFrame(() => r(true))); setTimeout(() => r(true), 250); });
}"""
_POINTS = "() => { const gd = document.querySelector('.js-plotly-plot'); " \
          "return gd && gd.data ? gd.data.reduce((n, t) => n + (t.meta && t.meta.role === 'marker' ? " \
          "(t.customdata ? t.customdata.length : 0) : 0), 0) : -1; }"

_REPRESENTED = "() => document.querySelector('.js-plotly-plot').data.filter(t => t.meta && t.meta.role === 'marker')" \
               ".reduce((n, t) => n + (t.customdata || []).reduce((m, c) => m + (t.type === 'scattergl' ? Number(c[3]) : 1), 0), 0)"


_IDLE = "() => document.querySelector('.stApp')?.dataset.testScriptState !== 'running'"


def _timed_visit(context, url: str, timeout_ms: int = 600_000):
    """A new page (a new Streamlit session) at `url`: (seconds from navigation to the chart drawn, the page)."""
    page = context.new_page()
    t = time.perf_counter()
    page.goto(url, timeout=timeout_ms)
    page.wait_for_function(_DRAWN, timeout=timeout_ms, polling=50)
    return time.perf_counter() - t, page


def probe_browser(data: Path, runs: int, code: Path) -> dict:
    """Time from navigation to the chart drawn: the first visit (data loaded by the server) and later ones."""
    from playwright.sync_api import sync_playwright

    proc, url, log = _server(code, data)
    out: dict = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)

            shared = browser.new_context(viewport={"width": 1280, "height": 900})

            def visit(query: str = "", fresh: bool = False) -> tuple[float, object, object]:
                """A new page (a new Streamlit session); `fresh`: in a new browser profile too, nothing cached."""
                context = browser.new_context(viewport={"width": 1280, "height": 900}) if fresh else shared
                seconds, page = _timed_visit(context, url + "/" + query)
                return seconds, page, context

            first, page, context = visit(fresh=True)
            out["first"] = first
            out["points"] = page.evaluate(_POINTS)  # markers drawn
            out["events_drawn"] = page.evaluate(_REPRESENTED)  # events they stand for (a big view draws coinciding ones once)
            out["types"] = page.evaluate("() => [...new Set(document.querySelector('.js-plotly-plot')._fullData.map(t => t.type))]")
            context.close()
            visit()[1].close()  # the shared profile caches the page's scripts, as a returning reader's browser does
            warm = []
            for _ in range(runs):
                seconds, page, context = visit()
                warm.append(seconds)
                page.close()
            out.update(summary(warm))
            claims = []
            for _ in range(max(1, runs // 2)):  # a filtered view, opened by its link: only the claims
                seconds, page, context = visit("?kind=claim")
                claims.append(seconds)
                page.close()
            out["claims_visit"] = statistics.median(claims)
            changes = []
            for _ in range(max(1, runs // 2)):  # a filter change in the page: pick the kind "Claim", wait for the redraw
                seconds, page, context = visit()
                try:
                    for _ in range(2):  # idle, and still idle a moment later: a second run the page asked for is over
                        page.wait_for_function(_IDLE, timeout=600_000, polling=50)
                        page.wait_for_timeout(600)
                    before = page.evaluate(_POINTS)
                    kind = page.get_by_role("combobox", name="Kind")
                    kind.evaluate("e => e.scrollIntoView({block: 'center'})")  # at the sidebar's foot its list cannot open
                    kind.click(timeout=120_000)
                    t = time.perf_counter()
                    page.get_by_role("option", name="Claim").click(timeout=120_000)
                    page.wait_for_function(f"() => ({_POINTS})() !== {before}", timeout=600_000, polling=20)
                    page.wait_for_function(_DRAWN, timeout=600_000, polling=20)
                    changes.append(time.perf_counter() - t)
                except Exception as err:  # noqa: BLE001 - a change that could not be timed leaves the other figures
                    out.setdefault("filter_change_errors", []).append(str(err).splitlines()[0][:120])
                page.close()
            out["filter_change"] = statistics.median(changes) if changes else None
            out["server_peak_mb"] = _hwm_mb(proc.pid)
            out["peak_mb"] = out["server_peak_mb"]
            # A server started again on the same files: the validated data is read from the disk cache
            # (timeline/cache.py), written by the first server in the background after its first load.
            # Twice: a returning reader's browser (its scripts cached, its window's size remembered), then a new one.
            _wait_for_cache(data, code)
            for key, fresh in (("restart_returning", False), ("restart_first", True)):
                _stop(proc)
                t = time.perf_counter()
                proc, url, log = _server(code, data)
                out["restart_server_up"] = time.perf_counter() - t
                seconds, page, context = visit(fresh=fresh)
                out[key] = seconds
                page.close()
                if fresh:
                    context.close()
            browser.close()
    finally:
        _stop(proc)
    return out


def _wait_for_cache(data: Path, code: Path, limit: float = 120) -> None:
    """Until the cache file of this data and code exists (or `limit` seconds have passed)."""
    from timeline.data import cache
    from timeline.data.load import content_digest

    digest = content_digest(data)
    deadline = time.time() + limit
    while time.time() < deadline:
        path = cache._path(digest)
        if path is None or path.exists():
            return
        time.sleep(0.5)


BARE_APP = """import plotly.graph_objects as go
import streamlit as st
st.title("A bare page")
fig = go.Figure(go.Scatter(x=list(range(20)), y=[i % 5 for i in range(20)], mode="markers+text",
                           text=[f"event {i}" for i in range(20)]))
st.plotly_chart(fig)
"""


def probe_bare(data: Path, runs: int, code: Path) -> dict:
    """The floor: a bare Streamlit page with one Plotly chart, served and timed as the Timeline page is."""
    import tempfile

    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-bare-"))
    (folder / "app.py").write_text(BARE_APP, encoding="utf-8")
    proc, url, log = _server(folder, None)
    out: dict = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            shared = browser.new_context(viewport={"width": 1280, "height": 900})

            def visit() -> float:
                seconds, page = _timed_visit(shared, url + "/", 120_000)
                page.close()
                return seconds

            visit()
            out.update(summary([visit() for _ in range(runs)]))
            browser.close()
    finally:
        _stop(proc)
    return out


def probe_pages(data: Path, runs: int, code: Path) -> dict:
    """Reruns of the newer pages (AppTest), as a click makes them: the Timeline page's detail (an event picked, then
    Next), the Present page stepping through a lesson (if the data has one), the Lessons and Curate pages."""
    os.environ["TIMELINE_DATA"] = str(data)
    sys.argv = sys.argv[:1]
    from streamlit.testing.v1 import AppTest

    from timeline.data.load import load_chronology

    chron = load_chronology(data)
    first_ids = [e.id for e in sorted(chron.events, key=lambda e: e.start.iso)][:runs + 1]
    out: dict[str, list[float]] = {}

    def rerun(name: str, at: AppTest, act) -> None:
        act()
        out.setdefault(name, []).append(timed(at.run))
        assert not at.exception, at.exception

    at = AppTest.from_file(str(code / "app.py"), default_timeout=600)
    at.run()
    for event_id in first_ids[:runs]:
        rerun("detail: pick an event", at, lambda: at.selectbox(key="w_event").set_value(event_id))
        rerun("detail: next", at, lambda: at.button(key="side_next").click())
        rerun("detail: close", at, lambda: at.button(key="side_close").click())
    lessons = getattr(chron, "lessons", None) or ()
    if lessons:
        at = AppTest.from_file(str(code / "app.py"), default_timeout=600)
        at.run()
        at.switch_page("views/page_present.py")
        at.query_params["lesson"] = lessons[0].id
        at.run()
        for _ in range(runs):
            rerun("present: next step of a lesson", at, lambda: at.button(key="present_next").click())
    for page, name in (("views/page_lessons.py", "lessons page"), ("views/page_curate.py", "curate page")):
        if not (code / page).exists():
            continue
        at = AppTest.from_file(str(code / "app.py"), default_timeout=600)
        at.run()
        at.switch_page(page)
        at.run()
        for _ in range(runs):
            rerun(f"{name}: rerun", at, lambda: None)
    medians = {k: statistics.median(v) for k, v in out.items()}
    return {"median": max(medians.values()), "by_page": medians, "peak_mb": peak_mb()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("probe", choices=("load", "filter", "figure", "apptest", "pages", "browser", "bare", "export"))
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--code", type=Path, default=HERE.parent, help="the checkout to measure (default: this one)")
    args = parser.parse_args(argv)
    code = args.code.resolve()
    sys.path.insert(0, str(code))
    os.chdir(code)
    probe = globals()[f"probe_{args.probe}"]
    kwargs = {"code": code} if args.probe in ("apptest", "pages", "browser", "bare") else {}
    result = probe(args.data.resolve(), args.runs, **kwargs)
    print(json.dumps({"probe": args.probe, **result}, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
