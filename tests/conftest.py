"""Shared fixtures: a private copy of the shipped data folder, and a file writer."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from shipped import ROOT, SHIPPED, bounded_folder, copy_shipped  # noqa: F401  (re-exported)

DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config):
    # The validated-data cache (timeline/cache.py) of the suite's servers and AppTests goes to a folder of its own,
    # not the user's ~/.cache: the tests start from nothing, and leave nothing behind in the user's folders.
    if "TIMELINE_CACHE" not in os.environ:
        os.environ["TIMELINE_CACHE"] = tempfile.mkdtemp(prefix="timeline-cache-")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped data that a test may break as it likes."""
    return copy_shipped(tmp_path / "data")


@pytest.fixture
def bounded_dir(tmp_path: Path) -> Path:
    return bounded_folder(tmp_path / "bounded")


@pytest.fixture
def write():
    """write(folder, name, text, encoding="utf-8") -> Path: put a file into a data folder."""

    def _write(folder: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode(encoding))
        return path

    return _write
