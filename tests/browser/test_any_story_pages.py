"""A new story in the browser: the empty Timeline page and the Curate page's Add article form, open, pass
axe-core (WCAG 2.1 A and AA); a saved page uploaded through the form becomes an article of the story."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from appserver import start_server, stop_server
from playwright.sync_api import Page
from test_accessibility import AXE, violations

from timeline.curation.newstory import new_story

PAGES = Path(__file__).resolve().parents[1] / "data" / "articles"


@pytest.fixture(scope="module")
def story_url(tmp_path_factory):
    folder = new_story(tmp_path_factory.mktemp("any") / "story", "The harbour dispute").folder
    proc, url = start_server(folder)
    yield url, folder
    stop_server(proc)


@pytest.fixture(scope="module")
def dark_story_url(tmp_path_factory):
    folder = new_story(tmp_path_factory.mktemp("any-dark") / "story", "The harbour dispute").folder
    proc, url = start_server(folder, env={"STREAMLIT_THEME_BASE": "dark"})
    yield url
    stop_server(proc)


def _settled(page: Page) -> None:
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)
    page.wait_for_function("() => document.querySelector('.stApp')?.dataset.testScriptState === 'notRunning'"
                           " && !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=30_000)
    page.wait_for_timeout(1500)


@pytest.mark.parametrize("path", ["", "curate"], ids=["timeline-empty", "curate-add-article"])
def test_a_new_storys_pages_pass_axe(page: Page, story_url, shot, path):
    assert AXE.exists(), "axe-core is missing: run `make test` (npm ci)"
    url, _ = story_url
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/{path}")
    _settled(page)
    expected = "Article file (up to 20 MB)" if path else "This story has no events yet."
    assert page.get_by_text(expected).first.is_visible()
    shot(f"any-story-{path or 'timeline'}")
    found = violations(page)
    assert found == [], json.dumps(found, indent=1, ensure_ascii=False)


def test_the_add_article_form_passes_axe_in_the_dark_theme(page: Page, dark_story_url, shot):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{dark_story_url}/curate")
    _settled(page)
    assert page.get_by_text("Article file (up to 20 MB)").first.is_visible()
    shot("any-story-curate-dark")
    found = violations(page)
    assert found == [], json.dumps(found, indent=1, ensure_ascii=False)


def test_uploading_a_saved_page_adds_the_article(page: Page, story_url, shot):
    url, folder = story_url
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{url}/curate")
    _settled(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(PAGES / "dated.html"))
    page.get_by_role("button", name="Add article").click()
    page.get_by_text("Added “Port talks stall over dredging fees” as source harbour-herald").wait_for(timeout=30_000)
    _settled(page)
    shot("any-story-article-added")
    assert "harbour-herald,000_" in (folder / "seeds" / "sources.csv").read_text()
