"""The Review and Edit pages in Chromium, in their states (queue, accepted form, edit form, delete confirmation):
axe-core finds no WCAG 2.1 A or AA violation, in Streamlit's light and dark themes."""
from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from appserver import start_server, stop_server
from playwright.sync_api import Page, expect
from test_accessibility import AXE, violations

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from shipped import ROOT, copy_shipped  # noqa: E402

QUOTE = "The delegation also had discussions on key cases with frontline investigators of the DEA's San Francisco office."
FIELDS = ("id", "title", "label", "start", "end", "date_certainty", "date_note", "kind", "category", "actors", "summary", "claimed_by")


def story_with_a_sheet(folder: Path) -> Path:
    copy_shipped(folder)
    for name in ("relations.csv", "figures.csv", "story.toml"):
        shutil.copy2(ROOT / name, folder / name)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, [*FIELDS, "source_id", "quote", "reasoning"], lineterminator="\n")
    writer.writeheader()
    blank = dict.fromkeys(FIELDS, "")
    writer.writerow({**blank, "id": "cgtn-2024", "start": "2024", "date_certainty": "approximate", "date_note": "no date given",
                     "source_id": "cgtn", "quote": QUOTE, "reasoning": "no date in the sentence"})
    writer.writerow({**blank, "title": "Imported without a passage", "start": "2019", "source_id": "", "quote": ""})
    (folder / "review").mkdir()
    (folder / "review" / "cgtn.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=["light", "dark"])
def served(request, tmp_path_factory):
    folder = story_with_a_sheet(tmp_path_factory.mktemp("edit") / "data")
    proc, url = start_server(folder, env={"STREAMLIT_THEME_BASE": "dark"} if request.param == "dark" else None)
    yield url, request.param
    stop_server(proc)


def settled(page: Page) -> None:
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.stApp')?.dataset.testScriptState === 'notRunning'"
                           " && !document.querySelector('[data-testid=\"stSkeleton\"]')"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=30_000)
    page.wait_for_timeout(1500)


def click(page: Page, name: str) -> None:
    page.get_by_role("button", name=name).first.click()
    page.wait_for_timeout(300)
    settled(page)


STATES = {
    "review-queue": ("review", []),
    "review-accepted": ("review", ["Accept into the form"]),
    "review-merging": ("review", ["Merge into an event…"]),
    "edit": ("edit?event=no-seizures-claim", []),
    "edit-delete-confirm": ("edit?event=dea-primary-source", ["Delete this event…"]),
}


@pytest.mark.parametrize("state", STATES)
def test_no_wcag_a_or_aa_violations(page: Page, served, shot, state):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make test`, which installs it from package-lock.json (npm ci).")
    url, theme = served
    path, clicks = STATES[state]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/{path}")
    settled(page)
    for name in clicks:
        click(page, name)
    shot(f"a11y-{state}-{theme}")
    found = violations(page)
    assert found == [], json.dumps(found, indent=1, ensure_ascii=False)


def test_edit_save_and_undo_in_the_browser(page: Page, tmp_path):
    folder = story_with_a_sheet(tmp_path / "data")
    before = (folder / "events.csv").read_bytes()
    proc, url = start_server(folder)
    try:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{url}/edit?event=no-seizures-claim")
        settled(page)
        summary = page.get_by_label("Summary")
        summary.fill("The Chinese Embassy says no fentanyl from China has been seized in the US since 2019.")
        summary.press("Control+Enter")  # a text area's value reaches the server on this, or on leaving it
        settled(page)
        click(page, "Save changes to events.csv")
        expect(page.get_by_text("Saved the changes to")).to_be_visible(timeout=30_000)
        after = (folder / "events.csv").read_bytes()
        assert after != before and b"has been seized in the US since 2019." in after
        assert [i for i, (a, b) in enumerate(zip(before.splitlines(), after.splitlines())) if a != b] == [4]
        click(page, "Undo last save")
        expect(page.get_by_text("Undone: changed event no-seizures-claim.")).to_be_visible(timeout=30_000)
        assert (folder / "events.csv").read_bytes() == before
    finally:
        stop_server(proc)
