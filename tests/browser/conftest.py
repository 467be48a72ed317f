"""A real server and Debian's Chromium for the end-to-end tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from appserver import ARTIFACTS, start_server, stop_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _server(env: dict[str, str] | None = None):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test`, which installs it (apt-get install chromium).")
    ARTIFACTS.mkdir(exist_ok=True)
    proc, url = start_server(env=env)
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def app_url():
    yield from _server()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]}


@pytest.fixture
def shot(page):
    """Save a screenshot under artifacts/ (look at them)."""
    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path))
        return path
    return take
