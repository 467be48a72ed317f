"""Concurrent classroom: N browser sessions against one `streamlit run` server, local or served on the network.

Each session opens its own filtered view, selects an event, and exports a PNG; the script
checks that every session succeeded and saw only its own filters and selection, prints time
to chart (p50/p95), and stops the server by PID. Bounded: N sessions, one pass, a deadline.
By default the server listens on 127.0.0.1 (`make run`); with --served it listens on 0.0.0.0
as `make serve` starts it, and the sessions reach it through this machine's network address.

    .venv/bin/python bench/load_test.py --sessions 20
    .venv/bin/python bench/load_test.py --sessions 20 --served
"""
from __future__ import annotations

import argparse
import asyncio
import re
import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from appserver import start_server, stop_server  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402

from timeline.filters import ViewState, filter_events  # noqa: E402
from timeline.data.load import load_chronology  # noqa: E402

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
# Distinct views: each session takes one, so a leak between sessions shows as a wrong count.
VIEWS = [{"kind": "claim"}, {"source": "cgtn"}, {"category": "diplomacy"}, {"from": "2023", "to": "2023"},
         {"actor": "us-congress"}, {"kind": "event", "source": "blaze"}, {"q": "tariff"}, {"source": "dailycaller"},
         {"category": "cooperation"}, {"kind": "statistic"}, {"actor": "xi-jinping"}, {"from": "2024"},
         {"source": "epoch"}, {"category": "congress", "kind": "claim"}, {"q": "Blinken"}, {"source": "ntdtv"},
         {"category": "sanctions-trade"}, {"to": "2022"}, {"actor": "prc-mfa"}, {"kind": "context"}]


def plan(n: int) -> list[dict]:
    """For each session: its query, the count it must see, and the event it selects."""
    chron = load_chronology(ROOT)
    out = []
    for i in range(n):
        params = VIEWS[i % len(VIEWS)]
        state, _ = ViewState.from_query_params(params, chron)
        shown = filter_events(chron.frame, state)
        event = shown.iloc[len(shown) // 2]
        out.append({"params": params, "count": len(shown), "total": len(chron.frame), "event": event["id"],
                    "title": event["title"]})
    return out


async def session(browser, url: str, job: dict, deadline: float) -> dict:
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = await context.new_page()
    query = "&".join(f"{k}={v}" for k, v in job["params"].items())
    timeout = max(1_000, (deadline - time.monotonic()) * 1000)
    try:
        t0 = time.monotonic()
        await page.goto(f"{url}/?{query}", timeout=timeout)
        await page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=timeout)
        to_chart = time.monotonic() - t0
        summary = page.locator(".summary")
        await summary.get_by_text(f"{job['count']} of {job['total']} events").wait_for(timeout=timeout)
        # select the event through the page's own picker
        for attempt in range(3):  # a rerun that lands while the list is open closes it: open it again
            await page.get_by_role("combobox", name="Event").click()
            try:
                await page.get_by_role("option", name=job["title"], exact=False).first.click(timeout=10_000)
                break
            except Exception:
                if attempt == 2:
                    raise
                await page.keyboard.press("Escape")
        await page.get_by_role("heading", name=job["title"]).wait_for(timeout=timeout)
        # export an image of this session's view
        await page.get_by_text("Download this view").click()
        # drawn in the page, then offered; a click that lands while the page is running again is lost: click again
        offered = page.get_by_test_id("stDownloadButton")
        for attempt in range(3):
            await page.get_by_role("button", name=re.compile(r"^Draw ")).click(timeout=timeout)
            try:
                await offered.wait_for(timeout=max(1_000, (deadline - time.monotonic()) * 1000 / (3 - attempt)))
                break
            except Exception:
                if attempt == 2:
                    raise
        async with page.expect_download(timeout=timeout) as info:
            await offered.click(timeout=timeout)
        download = await info.value
        data = Path(await download.path()).read_bytes()
        size = (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"))
        # nothing of another session leaked in: still our count, our filters and our event in the URL
        text = await summary.inner_text()
        own = (f"{job['count']} of {job['total']} events" in text and f"event={job['event']}" in page.url
               and all(f"{k}=" in page.url for k in job["params"]))
        ok = data[:4] == b"\x89PNG" and size == (1920, 1080) and own
        return {"ok": ok, "to_chart": to_chart, "total": time.monotonic() - t0,
                "error": "" if ok else f"png={size} own-view={own} url={page.url} summary={text!r}"}
    except Exception as err:  # a failed session is reported, not raised: the others still count
        return {"ok": False, "to_chart": float("nan"), "total": float("nan"), "error": f"{type(err).__name__}: {err}"[:300]}
    finally:
        await context.close()


def network_address() -> str | None:
    """This machine's address on its network (the one its default route leaves from), or None without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # a documentation address: nothing is sent, the route is only looked up
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


async def run(n: int, budget: float, served: bool = False) -> list[dict]:
    """`served`: listen on 0.0.0.0 as `make serve` does, and visit through the network address when there is one."""
    jobs = plan(n)
    proc, url = start_server(address="0.0.0.0" if served else "127.0.0.1")
    if served and (address := network_address()):
        url = url.replace("127.0.0.1", address)
    print(f"server: {'0.0.0.0 (make serve)' if served else '127.0.0.1 (make run)'}; sessions visit {url}")
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            deadline = time.monotonic() + budget
            results = await asyncio.gather(*(session(browser, url, job, deadline) for job in jobs))
            await browser.close()
        return results
    finally:
        stop_server(proc)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def report(results: list[dict]) -> str:
    times = [r["to_chart"] for r in results if r["ok"]]
    ok = sum(r["ok"] for r in results)
    lines = [f"{ok} of {len(results)} sessions succeeded"]
    if times:
        lines.append(f"time to chart: p50 {statistics.median(times):.2f} s, p95 {percentile(times, 0.95):.2f} s, "
                     f"max {max(times):.2f} s; whole session p50 {statistics.median(r['total'] for r in results if r['ok']):.2f} s")
    lines += [f"  session {i}: {r['error']}" for i, r in enumerate(results) if not r["ok"]]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--budget", type=float, default=300, help="seconds for the whole run")
    parser.add_argument("--served", action="store_true", help="serve on 0.0.0.0 as `make serve` does")
    args = parser.parse_args()
    results = asyncio.run(run(args.sessions, args.budget, args.served))
    print(report(results))
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
