"""Markup in every field of a data folder is shown as text, never run."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from appserver import ROOT, start_server, stop_server

POISONED = ROOT / "tests" / "data" / "poisoned"
INJECTED = ("#inj-title, #inj-body, #inj-img, #inj-a, #inj-outlet, #inj-cat, #inj-actor, #inj-claimer, #inj-iframe, "
            "svg[onload], img[src='x'], iframe, a[href^='javascript']")
# what each page must show literally
LITERAL = {
    "?event=poison-meeting": ["<img id=\"inj-title\" src=x onerror=alert('title')> Meeting **bold** [x](javascript:alert(4))",
                              "<script>alert('summary')</script> $E=mc^2$ :material/home: line break",
                              "<b id=\"inj-body\">Tuesday</b>", "<b id=\"inj-outlet\">Evil</b> Outlet"],
    "?event=poison-claim": ["<b id=\"inj-claimer\">Someone</b>", "[a link](javascript:alert(\"md\"))", "$x^2$ nonsense :red[red] :smile:"],
    "sources?source=poison&event=poison-statement": ["<script>alert(\"headline\")</script> Headline **x**",
                                                    "$\\alpha$ :red[red] <iframe", "[notes](javascript:alert(3))",
                                                    "<a id=\"inj-a\" href=\"javascript:alert('href')\">click</a>"],
}


@pytest.fixture(scope="module")
def poisoned_url():
    proc, url = start_server(POISONED)
    yield url
    stop_server(proc)


@pytest.mark.parametrize("path", list(LITERAL))
def test_markup_is_displayed_literally_and_never_runs(page: Page, poisoned_url, shot, path):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_viewport_size({"width": 1400, "height": 1200})
    page.goto(f"{poisoned_url}/{path}")
    ready = ".source-text" if path.startswith("sources") else ".js-plotly-plot .main-svg"
    expect(page.locator(ready).first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)
    if not path.startswith("sources"):  # hover every marker: plotly renders hover text as markup
        for box in page.locator(".js-plotly-plot .scatterlayer path.point").all()[:10]:
            b = box.bounding_box()
            if b:
                page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
                page.wait_for_timeout(150)
    text = page.locator("body").inner_text()
    for literal in LITERAL[path]:
        assert literal in text, f"not shown as written: {literal}"
    assert page.locator(INJECTED).count() == 0
    assert dialogs == []
    shot("poisoned-" + path.split("=")[-1])
