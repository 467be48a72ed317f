"""Served on the network as `make serve` does: nobody writes without the editor password."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from appserver import start_server, stop_server
from shipped import copy_shipped
from views import editing

PASSWORD = "a long editor passphrase"
SAVE = re.compile(r"^Save to ")  # the Curate form's save button


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return copy_shipped(tmp_path_factory.mktemp("served"))  # the servers never touch the repository's tables


@pytest.fixture(scope="module")
def open_url(data):
    """`make serve` with no editor password (an empty one is none)."""
    proc, url = start_server(data, address="0.0.0.0", env={editing.ENV_PASSWORD: ""})
    yield url
    stop_server(proc)


@pytest.fixture(scope="module")
def locked_url(data):
    """`TIMELINE_EDITOR_PASSWORD=… make serve`."""
    proc, url = start_server(data, address="0.0.0.0", env={editing.ENV_PASSWORD: PASSWORD})
    yield url
    stop_server(proc)


def nav_titles(page: Page) -> list[str]:
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav).to_be_visible(timeout=30_000)
    return [t.strip() for t in nav.get_by_role("link").all_inner_texts()]


def open_curate(page: Page, url: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(url + "/curate")
    expect(page.get_by_role("heading", name="Curate").or_(page.get_by_text(editing.NO_PASSWORD))
           .or_(page.get_by_text(editing.LOCKED)).first).to_be_visible(timeout=30_000)


def unlock(page: Page, password: str) -> None:
    page.get_by_label("Editor password").fill(password)
    page.get_by_role("button", name="Unlock editing").click()


def test_without_a_password_nobody_can_write(page: Page, open_url):
    page.goto(open_url)
    titles = nav_titles(page)
    assert "Timeline" in titles and not {"Curate", "Review", "Edit"} & set(titles)
    open_curate(page, open_url)  # the URL opened directly
    expect(page.get_by_text(editing.NO_PASSWORD)).to_be_visible()
    expect(page.get_by_role("button", name=SAVE)).to_have_count(0)
    expect(page.get_by_label("Editor password")).to_have_count(0)
    for path, button in (("review", "Undo last save"), ("edit", "Save changes to events.csv")):  # the other write pages
        page.goto(f"{open_url}/{path}")
        expect(page.get_by_text(editing.NO_PASSWORD)).to_be_visible(timeout=30_000)
        expect(page.get_by_role("button", name=button)).to_have_count(0)


def test_with_a_password_the_form_appears_only_once_it_is_entered(page: Page, locked_url):
    page.goto(locked_url)
    assert {"Curate", "Review", "Edit"} <= set(nav_titles(page))
    open_curate(page, locked_url)
    expect(page.get_by_text(editing.LOCKED)).to_be_visible()
    expect(page.get_by_role("button", name=SAVE)).to_have_count(0)
    unlock(page, PASSWORD)
    expect(page.get_by_role("button", name=SAVE)).to_be_visible(timeout=30_000)
    assert PASSWORD not in page.url and PASSWORD not in page.locator("body").inner_text()


def test_a_wrong_password_is_refused_in_one_sentence(page: Page, locked_url):
    open_curate(page, locked_url)
    unlock(page, "not " + PASSWORD)
    expect(page.get_by_text(editing.WRONG)).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name=SAVE)).to_have_count(0)
    expect(page.get_by_label("Editor password")).to_have_value("")  # the form forgets what was typed
