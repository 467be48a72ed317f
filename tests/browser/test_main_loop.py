"""The Timeline page's main loop in Chromium at a phone, two laptops and a projector: the dates in view on the first
screen, a click that brings the sources' words into view without scrolling, labels inside the chart and apart, the
arrow keys, and the phone's vertical timeline with its sheet."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect
from shipped import N_EVENTS
from test_dashboard import LABEL_BOXES_JS, MARKER_JS, open_app, overlaps

DESKTOPS = [(1280, 720), (1440, 900), (1920, 1080)]
PHONE = (390, 844)
IDS = [f"{w}x{h}" for w, h in DESKTOPS]
# Events of the curated story across the chart: early, crowded 2023, crowded 2024
CLICKS = ["china-class-scheduling", "apec-biden-xi", "working-group-launch"]

NO_SIDEWAYS_SCROLL_JS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
SETTLED_JS = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"] "
              "[data-testid=\"stStatusWidgetRunningIcon\"]')")


def laid_out_for(page: Page, width: int) -> None:
    """Wait until the chart is laid out for the width the browser reported (the page's second run)."""
    page.wait_for_function("""(w) => { const gd = document.querySelector('.js-plotly-plot');
        return gd && gd.layout && Math.abs(gd.getBoundingClientRect().width - gd.layout.width) < 40; }""",
                           arg=width, timeout=30_000)
    page.wait_for_function(SETTLED_JS, timeout=30_000)
    page.wait_for_timeout(300)


def in_view(box: dict | None, page: Page) -> bool:
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + 16 <= size["height"] and box["x"] >= 0 and box["x"] < size["width"]


@pytest.mark.parametrize("size", DESKTOPS, ids=IDS)
def test_the_first_screen_shows_the_years_and_the_whole_chart(page: Page, app_url, shot, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_app(page, app_url)
    laid_out_for(page, size[0])
    ticks = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot .xtick text, .js-plotly-plot .x2tick text')]
        .map(t => ({text: t.textContent, box: t.getBoundingClientRect().toJSON()}))""")
    years = [t for t in ticks if re.fullmatch(r"\d{4}", t["text"]) and in_view(t["box"], page)]
    assert len(years) >= 4, ticks  # years on the first screen, without scrolling
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    assert chart["y"] + chart["height"] <= size[1] + 1  # the compact chart fits below the heading
    assert page.evaluate(NO_SIDEWAYS_SCROLL_JS)
    shot(f"loop-first-screen-{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", DESKTOPS, ids=IDS)
def test_labels_sit_inside_the_chart_and_apart(page: Page, app_url, shot, size):
    for query in ("", "?scale=order"):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        open_app(page, app_url, query)
        laid_out_for(page, size[0])
        boxes = page.evaluate(LABEL_BOXES_JS)
        chart = page.locator(".js-plotly-plot").first.bounding_box()
        assert boxes, query
        outside = [b["name"] for b in boxes if b["x0"] < chart["x"] - 0.5 or b["x1"] > chart["x"] + chart["width"] + 0.5
                   or b["y0"] < chart["y"] - 0.5 or b["y1"] > chart["y"] + chart["height"] + 0.5]
        assert outside == [], query
        assert overlaps(boxes) == [], query
        texts = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot g.annotation text')]
            .map(t => t.textContent)""")
        assert not [t for t in texts if re.fullmatch(r"#\d+", t)], query  # words, never a bare number
        shot(f"loop-labels-{size[0]}x{size[1]}{'-order' if query else ''}")


@pytest.mark.parametrize("size", DESKTOPS, ids=IDS)
def test_a_click_brings_the_sources_words_into_view_beside_the_chart(page: Page, app_url, shot, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_app(page, app_url)
    laid_out_for(page, size[0])
    took = []
    for event_id in CLICKS:
        at = page.evaluate(MARKER_JS, event_id)
        assert at, event_id
        start = time.perf_counter()
        page.mouse.click(at["x"], at["y"])
        detail = page.locator(".st-key-detail")
        expect(detail.locator(f'a[href*="event={event_id}"]').first).to_be_attached(timeout=10_000)
        passage = detail.locator(".passage").first
        expect(passage).to_be_visible()
        took.append(time.perf_counter() - start)
        assert in_view(passage.bounding_box(), page), event_id  # no scrolling needed
        assert page.evaluate("() => window.scrollY") == 0
        assert f"event={event_id}" in page.url
        chart, side = page.locator(".js-plotly-plot").first.bounding_box(), detail.bounding_box()
        assert side["x"] >= chart["x"] + chart["width"] - 1  # beside the chart, not under it
    shot(f"loop-detail-{size[0]}x{size[1]}")
    print(f"click to passage at {size[0]}x{size[1]}: " + ", ".join(f"{t:.2f} s" for t in took))


def test_the_arrow_keys_walk_the_view_and_close_returns_to_the_overview(page: Page, app_url, shot):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_app(page, app_url, "?kind=claim&event=us-blames-china-2017")
    laid_out_for(page, 1280)
    detail = page.locator(".st-key-detail")
    expect(detail.get_by_text(re.compile(r"Event 1 of \d+ in this view"))).to_be_visible(timeout=10_000)
    page.locator("h1").first.click()  # the page has the focus, not a widget
    page.keyboard.press("ArrowRight")
    expect(detail.get_by_text(re.compile(r"Event 2 of \d+ in this view"))).to_be_visible(timeout=10_000)
    expect(page).to_have_url(re.compile(r"event=(?!us-blames-china-2017)"), timeout=10_000)
    page.keyboard.press("ArrowLeft")
    expect(detail.get_by_text(re.compile(r"Event 1 of \d+ in this view"))).to_be_visible(timeout=10_000)
    expect(page).to_have_url(re.compile(r"event=us-blames-china-2017"))
    page.wait_for_function(SETTLED_JS, timeout=30_000)
    close = page.locator(".st-key-side_close").get_by_role("button")
    close.focus()
    page.keyboard.press("Enter")
    expect(detail).to_have_count(0, timeout=10_000)  # the overview: the chart across the page again
    expect(page.get_by_text("Click a marker, pick an event")).to_be_attached()
    expect(page).not_to_have_url(re.compile(r"event="), timeout=10_000)  # the address follows the run's end
    shot("loop-keys-closed")


def test_a_phone_gets_a_vertical_timeline_and_the_detail_as_a_sheet(page: Page, app_url, shot):
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.goto(app_url + "/")
    cards = page.locator("button.vt-card")
    expect(cards.first).to_be_visible(timeout=30_000)
    page.wait_for_function(SETTLED_JS, timeout=30_000)
    assert cards.count() == N_EVENTS
    assert page.locator(".js-plotly-plot").count() == 0  # no lane chart squeezed into a phone
    assert page.evaluate(NO_SIDEWAYS_SCROLL_JS)
    assert in_view(page.locator(".vt-year").first.bounding_box(), page)  # the first year on the first screen
    boxes = page.evaluate("""() => [...document.querySelectorAll('.vt-card, .vt-title, .vt-date, .vt-kind')]
        .map(e => e.getBoundingClientRect()).map(r => [r.left, r.right])""")
    assert all(left >= 0 and right <= PHONE[0] for left, right in boxes)  # nothing cut off at either edge
    shot("loop-phone-list")
    card = page.locator('button.vt-card[data-event="apec-biden-xi"]')
    card.scroll_into_view_if_needed()
    card.click()
    sheet = page.get_by_role("dialog")
    expect(sheet).to_be_visible(timeout=10_000)
    expect(sheet.get_by_text("Biden and Xi meet at the APEC summit")).to_be_visible()
    passage = sheet.locator(".passage").first
    expect(passage).to_be_visible()
    assert in_view(passage.bounding_box(), page)
    assert page.evaluate(NO_SIDEWAYS_SCROLL_JS)
    shot("loop-phone-sheet")
    page.wait_for_function(SETTLED_JS, timeout=30_000)
    sheet.locator(".st-key-sheet_next").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"event=(?!apec-biden-xi)"), timeout=10_000)
    expect(page.get_by_role("dialog")).to_be_visible()
    page.wait_for_function(SETTLED_JS, timeout=30_000)
    page.locator(".st-key-sheet_close").get_by_role("button").click()
    expect(page.get_by_role("dialog")).to_have_count(0, timeout=10_000)
    expect(page).not_to_have_url(re.compile(r"event="), timeout=10_000)  # the address follows the run's end
