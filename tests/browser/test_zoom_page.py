"""A big view in the real page: drawn with WebGL, one marker for markers that would cover one another, and zoomed
in by dragging across a period — the view narrows to it and every event gets its own marker again."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from appserver import start_server, stop_server
from timeline.chart.layout import WEBGL_FROM
from timeline.data.synth import write_folder

N = 6000  # just past WEBGL_FROM: the quickest big view

DRAWN = """() => { const gd = document.querySelector('.js-plotly-plot');
  return !!(gd && gd._fullData && gd._fullData.length && gd.querySelector('.main-svg')); }"""
MARKERS = """() => document.querySelector('.js-plotly-plot').data
  .filter(t => t.meta && t.meta.role === 'marker')
  .map(t => [t.type, (t.customdata || []).length, (t.customdata || []).reduce((n, c) => n + (t.type === 'scattergl' ? Number(c[3]) : 1), 0)])"""


@pytest.fixture(scope="module")
def big_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zoom") / "n6000"
    write_folder(folder, N, seed=7)
    proc, url = start_server(folder)
    yield url
    stop_server(proc)


def count(page: Page) -> int:
    text = page.locator(".summary").first.inner_text()
    return int(re.match(r"([\d,]+) of", text).group(1).replace(",", ""))


def test_dragging_across_a_big_view_zooms_in_with_every_marker_back(page: Page, big_url, shot):
    assert N >= WEBGL_FROM
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(big_url + "/")
    expect(page.locator(".summary").first).to_contain_text(f"{N:,} of {N:,} events", timeout=60_000)
    page.wait_for_function(DRAWN, timeout=60_000)
    markers = page.evaluate(MARKERS)
    assert {t for t, _, _ in markers} == {"scattergl"}
    drawn, represented = sum(n for _, n, _ in markers), sum(r for _, _, r in markers)
    assert represented == N and drawn < N  # markers that would cover one another are drawn once
    expect(page.get_by_text("each marker stands for the events of its kind")).to_be_visible()
    shot("zoom-before")

    # the page runs again once the browser has said how wide it is: drag across the chart laid out for this window
    page.wait_for_function("""() => { const gd = document.querySelector('.js-plotly-plot');
        return gd && gd.layout && Math.abs(gd.getBoundingClientRect().width - gd.layout.width) < 40
          && document.querySelector('.stApp')?.dataset.testScriptState === 'notRunning'; }""", timeout=60_000)
    page.wait_for_function(DRAWN, timeout=60_000)
    plot = page.locator(".js-plotly-plot .nsewdrag").last.bounding_box()  # the modern panel
    y = plot["y"] + 60
    x0, x1 = plot["x"] + plot["width"] * 0.70, plot["x"] + plot["width"] * 0.80
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y + 20, steps=5)
    page.mouse.move(x1, y + 40, steps=5)
    page.mouse.up()

    page.wait_for_url(re.compile(r"from=.*to="), timeout=60_000)
    query = parse_qs(urlparse(page.url).query)
    expect(page.locator(".summary").first).not_to_contain_text(f"{N:,} of", timeout=60_000)
    page.wait_for_function(DRAWN, timeout=60_000)
    shown = count(page)
    assert 0 < shown < N / 3
    expect(page.locator(".summary").first).to_contain_text("Events between")
    markers = page.evaluate(MARKERS)
    assert {t for t, _, _ in markers} == {"scatter"}  # under WEBGL_FROM: each event its own SVG marker
    assert sum(n for _, n, _ in markers) == shown
    year = lambda end: page.get_by_role("spinbutton", name=f"year, Dates {end} date").get_attribute("aria-valuenow")  # noqa: E731
    assert (year("start"), year("end")) == (query["from"][0][:4], query["to"][0][:4])  # the Dates filter shows the zoom
    shot("zoom-after")

    page.get_by_role("button", name="Zoom out to all dates").click()
    expect(page.locator(".summary").first).to_contain_text(f"{N:,} of {N:,} events", timeout=60_000)
