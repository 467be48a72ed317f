"""The published page (export --format html) in Chromium: from a phone to a wide screen, inside an iframe, in the
dark, without JavaScript, under axe-core, and with hostile data; never a request outside the file."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from appserver import ROOT
from test_accessibility import AXE, TAGS
from test_poisoned import INJECTED

from timeline.data.load import load_chronology
from timeline.filters import ViewState
from timeline.outputs.export import export

EVENT = "working-group-launch"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> dict:
    """The curated story's page, a host page that embeds it with the export's snippet, and the poisoned folder's page."""
    folder = tmp_path_factory.mktemp("published")
    chron = load_chronology(ROOT)
    out = export(chron, ViewState(), "html")
    (folder / out.filename).write_bytes(out.data)
    (folder / "host.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>An article</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body style="margin:0">'
        "<script>window.heights = []; addEventListener('message', e => heights.push(e.data));</script>"
        "<h1>An article</h1><p>Text before the timeline.</p>" + out.embed + "<p>Text after.</p></body></html>",
        encoding="utf-8")
    bad = export(load_chronology(ROOT / "tests" / "data" / "poisoned"), ViewState(), "html")
    (folder / "poisoned.html").write_bytes(bad.data)
    passages = {e: [p.text for p in chron.passages_for(e)] for e in chron.frame["id"]}
    credits = {e: [(p.source.outlet, p.source.headline, p.source.published_label) for p in chron.passages_for(e)]
               for e in chron.frame["id"]}
    return {"page": folder / out.filename, "host": folder / "host.html", "poisoned": folder / "poisoned.html",
            "passages": passages, "credits": credits, "n": len(chron.frame), "claims": int((chron.frame["kind"] == "claim").sum())}


def _watch(page: Page) -> list[str]:
    """Every URL the page asks for; anything but a file:// of the test folder is refused."""
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    return asked


def _local_only(asked: list[str], *allowed: Path) -> None:
    ok = {p.as_uri() for p in allowed}
    assert [u for u in asked if u.split("#")[0] not in ok] == [], "requests outside the page"


def _open(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html[data-drawn]", timeout=20_000)


def _click_marker(page: Page, frame, event_id: str) -> None:
    """Scroll the marker into the viewport and click it where it is drawn (the canvas's own coordinates)."""
    m = frame.evaluate("id => timeline.marker(id)", event_id)
    assert m, f"{event_id} is not drawn"
    box = frame.locator("#tl-canvas").bounding_box()  # in the top page's viewport, iframe included
    page.evaluate("y => window.scrollBy(0, y - innerHeight / 2)", box["y"] + m["y"])  # the reader scrolls to it
    box = frame.locator("#tl-canvas").bounding_box()
    page.mouse.click(box["x"] + m["x"], box["y"] + m["y"])


def _no_horizontal_scroll(frame) -> None:
    sw, cw = frame.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sw <= cw, f"scrolls sideways: {sw} > {cw}"


@pytest.mark.parametrize("width", [320, 390, 1280, 1920])
def test_a_marker_clicked_shows_a_passage_of_its_event(page: Page, site, shot, width):
    asked = _watch(page)
    page.set_viewport_size({"width": width, "height": 800})
    _open(page, site["page"].as_uri())
    _no_horizontal_scroll(page)
    canvas = page.locator("#tl-canvas").bounding_box()
    assert (canvas["height"] > canvas["width"]) == (width < 600), "vertical on a phone, across on a screen"
    _click_marker(page, page, EVENT)
    quote = page.locator("#tl-card blockquote").first
    expect(quote).to_be_in_viewport()
    assert quote.inner_text().strip() in site["passages"][EVENT]
    assert page.locator("#tl-card-title").inner_text()
    credit = page.locator("#tl-card .cite").first.inner_text()  # outlet, headline (a link when it has an address), date
    assert any(all(part in credit for part in c) for c in site["credits"][EVENT]), credit
    assert f"event={EVENT}" in page.url
    _no_horizontal_scroll(page)
    shot(f"publish-{width}")
    _local_only(asked, site["page"])


def test_inside_an_iframe_it_reports_its_height_and_fits(page: Page, site, shot):
    asked = _watch(page)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site["host"].as_uri())
    frame = page.frame_locator("iframe[data-timeline-embed]")
    inner = next(f for f in page.frames if f.url.startswith(site["page"].as_uri()))
    inner.wait_for_selector("html[data-drawn]", timeout=20_000)
    page.wait_for_function("() => heights.some(h => h.type === 'timeline:height' && h.height > 900)", timeout=10_000)
    height = inner.evaluate("document.documentElement.getBoundingClientRect().height")
    page.wait_for_function(f"() => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - {height}) < 2",
                           timeout=10_000)
    _no_horizontal_scroll(inner)
    _no_horizontal_scroll(page)
    _click_marker(page, inner, EVENT)
    quote = frame.locator("#tl-card blockquote").first
    expect(quote).to_be_visible()
    assert quote.inner_text().strip() in site["passages"][EVENT]
    box, view = quote.bounding_box(), page.viewport_size
    assert 0 <= box["y"] < view["height"], "the passage is in the reader's view"
    shot("publish-iframe")
    _local_only(asked, site["host"], site["page"])


def test_the_view_is_in_the_hash_and_the_filters_work(page: Page, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, site["page"].as_uri() + f"#kind=claim&event={EVENT}")
    assert page.locator("#tl-kind").input_value() == "claim"
    expect(page.locator("#tl-count")).to_have_text(f"{site['claims']} of {site['n']} events shown")
    expect(page.locator("#tl-events > li:not([hidden])")).to_have_count(site["claims"])
    shown = page.evaluate("timeline.shown()")
    assert len(shown) == site["claims"]
    if EVENT not in shown:  # the event is not a claim: no card for it
        expect(page.locator("#tl-card")).to_be_hidden()
    page.locator("#tl-kind").select_option("")
    page.locator("#tl-q").fill("working group")
    page.wait_for_function("() => location.hash.includes('q=working%20group')")
    shown = page.evaluate("timeline.shown()")
    assert EVENT in shown and 0 < len(shown) < site["n"]
    page.locator("#tl-reset").click()
    page.wait_for_function(f"() => timeline.shown().length === {site['n']} && location.hash === ''")
    page.locator("#tl-canvas").focus()  # the keyboard: the first event, then the next, then its card
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(page.locator("#tl-card")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#tl-card")).to_be_hidden()


def test_without_javascript_the_list_is_all_there(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(site["page"].as_uri())
    expect(page.locator("#tl-events > li")).to_have_count(site["n"])
    expect(page.locator("#tl-controls")).to_be_hidden()
    expect(page.locator("#tl-chart")).to_be_hidden()
    assert page.locator(".sources li").count() >= 5 and page.locator("footer .credit").inner_text().startswith("Sources:")
    context.close()


def test_dark_mode_and_print(browser, site):
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _open(page, site["page"].as_uri())
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(map(int, re.findall(r"\d+", bg)[:3])) < 150, bg
    page.emulate_media(media="print")
    expect(page.locator("#tl-controls")).to_be_hidden()
    bg = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert sum(map(int, re.findall(r"\d+", bg)[:3])) > 700, "prints dark on white"
    context.close()


@pytest.mark.parametrize("scheme, width", [("light", 1280), ("dark", 1280), ("light", 390)])
def test_no_wcag_a_or_aa_violations(browser, site, scheme, width):
    context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    _open(page, site["page"].as_uri() + f"#event={EVENT}")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    found = [{"id": v["id"], "nodes": [n["html"][:120] for n in v["nodes"][:4]]} for v in result["violations"]]
    assert found == [], json.dumps(found, indent=1)
    context.close()


def test_poisoned_data_injects_nothing(page: Page, site):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    asked = _watch(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    _open(page, site["poisoned"].as_uri())
    for event_id in page.evaluate("timeline.shown()"):  # every card opened: it is built from copies of the list
        _click_marker(page, page, event_id)
        expect(page.locator("#tl-card")).to_be_visible()
    page.locator("#tl-q").fill("<script>")
    page.wait_for_timeout(300)
    text = page.locator("body").inner_text()
    assert "<img id=\"inj-title\" src=x onerror=alert('title')>" in text
    assert page.locator(INJECTED).count() == 0
    assert page.locator("script").count() == 4 and dialogs == []  # the class, the claims (data), the data, the script
    _local_only(asked, site["poisoned"])
