"""The real page in headless Chromium: chart, filters, clicks, shared links, label layout."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from shipped import N_CLAIMS, N_EVENTS

LABEL_BOXES_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const names = (gd.layout.annotations || []).map(a => a.name || '');
  return [...gd.querySelectorAll('g.annotation')]
    .filter(g => names[+g.dataset.index].startsWith('label:'))
    .map(g => { const r = g.querySelector('rect.bg').getBoundingClientRect();
                return {name: names[+g.dataset.index], x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; });
}"""

MARKER_JS = """(id) => {
  for (const el of document.querySelectorAll('.js-plotly-plot .scatterlayer path.point')) {
    const trace = el.closest('.trace');
    const cd = trace && trace.__data__ && trace.__data__[0];
    const custom = cd && cd.trace && cd.trace.customdata;
    const i = el.__data__ && el.__data__.i;
    if (custom && i !== undefined && custom[i] && custom[i][0] === id) {
      const r = el.getBoundingClientRect();
      if (r.width > 0) return {x: r.left + r.width / 2, y: r.top + r.height / 2};
    }
  }
  return null;
}"""


def overlaps(boxes, tolerance=0.5):
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > tolerance
                    and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > tolerance):
                pairs.append((a["name"], b["name"]))
    return pairs


def open_app(page: Page, url: str, query: str = "") -> None:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not re.match(r"^(https?|wss?)://127\.0\.0\.1[:/]", r.url)
            and not r.url.startswith(("data:", "blob:", "about:")) else None)
    page.goto(url + "/" + query)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
    page.wait_for_function("() => { const gd = document.querySelector('.js-plotly-plot');"
                           " return gd && gd.layout && gd.layout.annotations &&"
                           " gd.querySelectorAll('g.annotation').length === gd.layout.annotations.length; }")
    # and laid out for the window (the page's second run, once the browser has said how wide it is): a run that
    # ends while a list is open closes it
    page.wait_for_function("() => { const gd = document.querySelector('.js-plotly-plot');"
                           " return gd && Math.abs(gd.getBoundingClientRect().width - gd.layout.width) < 40; }")
    page.wait_for_function("() => document.querySelector('.stApp')?.dataset.testScriptState === 'notRunning'"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    page.wait_for_timeout(500)
    assert outside == [], f"the page asked for outside addresses: {outside}"


def summary(page: Page):
    return page.get_by_text(re.compile(r"\d+ of \d+ events"))


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1920x1080", "1280x720"])
@pytest.mark.parametrize("lanes", ["category", "actor", "source"])
def test_no_two_labels_overlap(page: Page, app_url, shot, size, lanes):
    # the roomy density: every lane as tall as its labels need (the compact one is tested in test_main_loop.py)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_app(page, app_url, "?density=roomy" + ("" if lanes == "category" else f"&lanes={lanes}"))
    page.wait_for_function("() => { const gd = document.querySelector('.js-plotly-plot');"
                           " return gd && Math.abs(gd.getBoundingClientRect().width - gd.layout.width) < 40; }")
    boxes = page.evaluate(LABEL_BOXES_JS)
    # most entries labelled in words (a label with no room is left to the hover, never a bare "#12")
    assert len(boxes) >= {"category": 0.9, "actor": 0.75, "source": 0.6}[lanes] * N_EVENTS
    assert overlaps(boxes) == []
    shot(f"timeline-{lanes}-{size[0]}x{size[1]}")


def test_filter_click_and_quote(page: Page, app_url, shot):
    page.set_viewport_size({"width": 1600, "height": 1000})
    open_app(page, app_url)
    expect(summary(page)).to_contain_text(f"{N_EVENTS} of {N_EVENTS} events")
    kind = page.get_by_role("combobox", name="Kind")
    kind.evaluate("e => e.scrollIntoView({block: 'center'})")  # at the sidebar's foot its list has no room to open
    kind.click()
    page.get_by_role("option", name="Claim").click()
    page.keyboard.press("Escape")
    expect(summary(page)).to_contain_text(f"{N_CLAIMS} of {N_EVENTS} events")
    expect(page).to_have_url(re.compile(r"kind=claim"))
    page.wait_for_function("() => document.querySelector('.js-plotly-plot').data.every("
                           f"t => !t.customdata || t.customdata.length < {N_EVENTS})")
    page.wait_for_timeout(800)
    point = page.evaluate(MARKER_JS, "xi-secret-speech")
    assert point, "the marker of the alleged secret speech is on the chart"
    page.mouse.click(point["x"], point["y"])
    expect(page.get_by_role("heading", name="Yuan Hongbing: Xi gave a secret speech calling the US drug crisis “retribution”")).to_be_visible(timeout=20_000)
    mark = page.locator("blockquote mark").first
    expect(mark).to_contain_text("Xi Jinping gave an “important speech”")
    expect(page).to_have_url(re.compile(r"event=xi-secret-speech"))
    mark.scroll_into_view_if_needed()
    shot("after-click")


def test_shared_url_restores_the_view(page: Page, app_url, shot):
    page.set_viewport_size({"width": 1600, "height": 1000})
    open_app(page, app_url, "?kind=claim,event&source=ntdtv&lanes=actor&event=blinken-wang-meeting")
    expect(summary(page)).to_contain_text(f"3 of {N_EVENTS} events")
    expect(page.get_by_role("heading", name="Blinken meets Minister of Public Security Wang Xiaohong in Beijing")).to_be_visible()
    expect(page.locator("blockquote mark").first).to_contain_text("In late April of this year")
    ticks = page.evaluate("() => document.querySelector('.js-plotly-plot').layout.yaxis.ticktext")
    assert "US State<br>Department" in ticks  # lanes by actor (names wrap)
    shot("shared-url")


def test_source_reader_from_an_event(page: Page, app_url, shot):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, app_url, "?event=china-halts-cooperation")
    page.get_by_role("link", name="open in the source reader").first.click()
    expect(page.locator(".source-text")).to_be_visible(timeout=20_000)
    focus = page.locator("mark.cited.focus").first
    expect(focus).to_contain_text("the CCP halted its joint counternarcotics efforts")
    expect(page.locator("p.furniture").first).to_be_visible()
    shot("source-reader")
    page.locator(".supports a", has_text="China halts counternarcotics cooperation").first.click()
    expect(page.get_by_role("heading", name="China halts counternarcotics cooperation with the US")).to_be_visible(timeout=20_000)


def test_download_a_png_of_the_filtered_view(page: Page, app_url, tmp_path):
    page.set_viewport_size({"width": 1400, "height": 1000})
    open_app(page, app_url, "?kind=claim")
    page.get_by_text("Download this view").click()
    page.get_by_role("button", name="Draw fentanyl-timeline-slide-16x9.png").click()  # drawn on the page, then offered
    button = page.get_by_test_id("stDownloadButton")
    expect(button).to_be_visible(timeout=60_000)  # the first image of the server starts its renderer
    with page.expect_download(timeout=60_000) as info:
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    data = path.read_bytes()
    assert info.value.suggested_filename == "fentanyl-timeline-slide-16x9.png"
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 1920 and int.from_bytes(data[20:24], "big") == 1080
