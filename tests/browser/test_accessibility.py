"""axe-core (npm, pinned in package-lock.json) over every page, in Chromium, in Streamlit's light and dark
themes: no WCAG 2.1 A or AA violation."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = [
    ("timeline", ""),
    ("timeline-claim-open", "?kind=claim&event=xi-secret-speech"),
    ("timeline-dark", "?theme=dark"),
    ("sources", "sources"),
    ("sources-open", "sources?source=blaze"),
    ("lens", "lens"),
    ("lens-coverage", "lens?lens=Coverage"),
    ("lens-framing", "lens?lens=Framing&event=working-group-launch"),
    ("lens-claims", "lens?lens=Claims+and+counter-claims"),
    ("lens-figures", "lens?lens=Figures"),
    ("present", "present?step=14"),
    ("present-dark", "present?step=14&theme=dark"),
    ("curate", "curate"),
    ("present-lesson-compare", "present?lesson=how-the-2022-suspension-is-told&step=7"),
    ("present-lesson-question", "present?lesson=chinas-role-claims-and-counter-claims&step=8"),
    ("present-lesson-text-dark", "present?lesson=chinas-role-claims-and-counter-claims&step=2&theme=dark"),
    ("lessons", "lessons"),
    ("review-empty", "review"),  # the queue's other states: tests/browser/test_review_edit_in_browser.py
    ("edit", "edit?event=working-group-launch"),
    # the Timeline page's other layouts: a phone's vertical timeline and its sheet, a tablet's chart and dialog
    ("timeline-phone", "", (390, 844)),
    ("timeline-phone-sheet", "?event=apec-biden-xi", (390, 844)),
    ("timeline-tablet-sheet", "?event=working-group-launch", (1024, 768)),
]


def _luminance(css_rgb: str) -> float:
    """The relative luminance (WCAG) of a computed `rgb(r, g, b)` colour."""
    channels = [int(c) / 255 for c in css_rgb[css_rgb.index("(") + 1:css_rgb.index(")")].split(",")[:3]]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [{"id": v["id"], "nodes": [{"target": n["target"][-1][-120:], "html": n["html"][:160],
                                       "why": n.get("failureSummary", "").replace("Fix any of the following:", "").strip()[:200]}
                                      for n in v["nodes"][:6]]}
            for v in result["violations"]]


THEMES = ("light", "dark")  # the reader's system setting, which Streamlit's two themes follow (.streamlit/config.toml)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name, path, size", [(*p, (1280, 900))[:3] for p in PAGES], ids=[p[0] for p in PAGES])
def test_no_wcag_a_or_aa_violations(page: Page, app_url, shot, name, path, size, theme):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test`, which installs it from package-lock.json (npm ci).")
    url = app_url
    page.emulate_media(color_scheme=theme)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{url}/{path}")
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')",
                           timeout=30_000)
    # The script done and its placeholders gone: axe over the grey skeleton where the chart or a select box will
    # be would check nothing (the running icon shows only once a run has gone on for a while).
    page.wait_for_function("() => document.querySelector('.stApp')?.dataset.testScriptState === 'notRunning'"
                           " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=30_000)
    page.wait_for_timeout(2500)  # charts and components drawn
    # the Timeline page runs again once the browser has said how wide it is: its elements fade until that run ends
    page.wait_for_function("() => document.querySelector('.stApp')?.dataset.testScriptState === 'notRunning'"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    background = page.evaluate("() => getComputedStyle(document.querySelector('.stApp')).backgroundColor")
    if "present" not in name:  # the presentation page paints its own background, whatever Streamlit's theme
        assert _luminance(background) < 0.2 if theme == "dark" else _luminance(background) > 0.8, background
    shot(f"a11y-{name}-{theme}")
    found = violations(page)
    assert found == [], json.dumps(found, indent=1, ensure_ascii=False)
