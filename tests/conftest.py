"""Shared fixtures: a private copy of the shipped data folder, and a file writer."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHIPPED = ("events.csv", "citations.csv", "vocabulary.csv", "seeds")


def copy_shipped(dest: Path) -> Path:
    """Copy the project's own data folder (tables and seeds/) into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        else:
            shutil.copy2(src, dest / name)
    return dest


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the shipped data that a test may break as it likes."""
    return copy_shipped(tmp_path / "data")


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
