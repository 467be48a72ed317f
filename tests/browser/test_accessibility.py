"""axe-core (npm, pinned in package-lock.json) over every page, in Chromium: no WCAG 2.1 A or AA violation."""
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
    ("lens", "lens"),
    ("lens-coverage", "lens?lens=Coverage"),
    ("lens-framing", "lens?lens=Framing&event=working-group-launch"),
    ("lens-claims", "lens?lens=Claims+and+counter-claims"),
    ("lens-figures", "lens?lens=Figures"),
    ("present", "present?step=14"),
    ("present-dark", "present?step=14&theme=dark"),
    ("curate", "curate"),
]


def violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [{"id": v["id"], "nodes": [{"target": n["target"][-1][-120:], "html": n["html"][:160],
                                       "why": n.get("failureSummary", "").replace("Fix any of the following:", "").strip()[:200]}
                                      for n in v["nodes"][:6]]}
            for v in result["violations"]]


@pytest.mark.parametrize("name, path", PAGES, ids=[p[0] for p in PAGES])
def test_no_wcag_a_or_aa_violations(page: Page, app_url, shot, name, path):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test`, which installs it from package-lock.json (npm ci).")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"] [data-testid=\"stStatusWidgetRunningIcon\"]')",
                           timeout=30_000)
    page.wait_for_timeout(2500)  # charts and components drawn
    found = violations(page)
    assert found == [], json.dumps(found, indent=1, ensure_ascii=False)
