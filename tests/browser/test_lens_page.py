"""The Source lens in headless Chromium: tabs from the URL, framing side by side, links back to the timeline."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def open_lens(page: Page, url: str, query: str) -> list[str]:
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not re.match(r"^(https?|wss?)://127\.0\.0\.1[:/]", r.url)
            and not r.url.startswith(("data:", "blob:", "about:")) else None)
    page.set_viewport_size({"width": 1400, "height": 1400})
    page.goto(f"{url}/lens?{query}")
    expect(page.get_by_role("heading", name="Source lens")).to_be_visible(timeout=30_000)
    return outside


def test_framing_shows_each_outlet_in_its_own_column(page: Page, app_url, shot):
    outside = open_lens(page, app_url, "lens=Framing")
    expect(page.get_by_role("tab", name="Framing")).to_have_attribute("aria-selected", "true")
    for outlet in ("The Epoch Times", "The Daily Caller", "CGTN"):
        expect(page.locator(".frame-head h5", has_text=outlet)).to_be_visible()
    page.wait_for_timeout(1500)  # let the columns settle before measuring them
    boxes = [page.locator(".frame-head h5", has_text=o).bounding_box() for o in ("The Epoch Times", "The Daily Caller", "CGTN")]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]  # side by side, oldest first
    assert abs(boxes[0]["y"] - boxes[2]["y"]) < 5
    shot("lens-framing")
    assert outside == []


def test_tab_goes_into_the_url_and_event_links_open_the_timeline(page: Page, app_url, shot):
    open_lens(page, app_url, "kind=claim")
    page.get_by_role("tab", name="Claims and counter-claims").click()
    expect(page).to_have_url(re.compile(r"lens=Claims"))
    expect(page).to_have_url(re.compile(r"kind=claim"))
    expect(page.get_by_text("Accounts at odds").first).to_be_visible()
    shot("lens-claims")
    page.get_by_role("link", name="Chinese Embassy: no fentanyl from China seized in the US since September 2019").first.click()
    expect(page.locator("h3", has_text="Chinese Embassy: no fentanyl from China seized")).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"event=no-seizures-claim"))
