"""The Timeline page's main loop, timed in Chromium: from a click on a marker to the event's first passage drawn in
view beside the chart, at 1280 × 720, 1440 × 900 and 1920 × 1080, for several events in turn; also the page's
first screen (time to the chart laid out for the window). Prints each size's figures and medians, stops the
server by PID.

    .venv/bin/python bench/main_loop.py --rounds 3
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from appserver import start_server, stop_server  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright  # noqa: E402

SIZES = [(1280, 720), (1440, 900), (1920, 1080)]
EVENTS = ["china-class-scheduling", "apec-biden-xi", "working-group-launch", "trump-tariff-threat",
          "us-blames-china-2017"]
MARKER_JS = """(id) => {
  for (const el of document.querySelectorAll('.js-plotly-plot .scatterlayer path.point')) {
    const cd = el.closest('.trace')?.__data__?.[0], custom = cd?.trace?.customdata, i = el.__data__?.i;
    if (custom && i !== undefined && custom[i] && custom[i][0] === id) {
      const r = el.getBoundingClientRect();
      if (r.width > 0) return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    }
  }
  return null;
}"""
LAID_OUT_JS = """() => { const gd = document.querySelector('.js-plotly-plot');
  return gd && gd.layout && Math.abs(gd.getBoundingClientRect().width - gd.layout.width) < 40
    && document.querySelector('.stApp')?.dataset.testScriptState === 'notRunning'; }"""
SHOWN_JS = """(id) => { const d = document.querySelector('.st-key-detail');
  if (!d || !d.querySelector(`a[href*="event=${id}"]`)) return false;
  const p = d.querySelector('.passage'); if (!p) return false;
  const r = p.getBoundingClientRect(); return r.top >= 0 && r.top + 16 <= window.innerHeight; }"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3, help="passes over the events at each size")
    args = ap.parse_args()
    proc, url = start_server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for w, h in SIZES:
                clicks, firsts = [], []
                for _ in range(args.rounds):
                    page = browser.new_page(viewport={"width": w, "height": h})
                    start = time.perf_counter()
                    page.goto(url + "/")
                    page.wait_for_function(LAID_OUT_JS, timeout=60_000)
                    firsts.append(time.perf_counter() - start)
                    page.wait_for_timeout(300)
                    for event_id in EVENTS:
                        at = page.evaluate(MARKER_JS, event_id)
                        if not at:
                            print(f"  {event_id}: no marker at {w}x{h}")
                            continue
                        start = time.perf_counter()
                        page.mouse.click(at["x"], at["y"])
                        try:
                            page.wait_for_function(SHOWN_JS, arg=event_id, timeout=15_000)
                        except PlaywrightTimeout:
                            print(f"  {event_id} at {w}x{h}: no passage in view after 15 s")
                            continue
                        clicks.append(time.perf_counter() - start)
                    page.close()
                print(f"{w}x{h}: first screen laid out median {statistics.median(firsts):.2f} s "
                      f"(max {max(firsts):.2f}); click to passage in view median {statistics.median(clicks):.2f} s, "
                      f"max {max(clicks):.2f} s over {len(clicks)} clicks")
            browser.close()
    finally:
        stop_server(proc)


if __name__ == "__main__":
    main()
