"""The shipped data folder, copied for tests that change it.

A plain module rather than conftest.py: tests/browser has a conftest.py too, so
`from conftest import ...` can resolve to the wrong one when the whole suite runs.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def _shipped_counts() -> tuple[int, dict[str, int]]:
    import csv
    from collections import Counter

    with open(ROOT / "events.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return len(rows), dict(Counter(row["kind"] for row in rows))


# The shipped story's size, read from its own table, so that tests of counts follow the data.
N_EVENTS, N_BY_KIND = _shipped_counts()
N_CLAIMS = N_BY_KIND.get("claim", 0)


DATA = Path(__file__).resolve().parent / "data"


def bounded_folder(dest: Path) -> Path:
    """A small data folder (one CGTN article) with dates the text only bounds: "after" with and without an end,
    and "by", beside an exact and an inferred date. Its tables are tests/data/bounded/."""
    dest.mkdir(parents=True, exist_ok=True)
    base = DATA / "example-broken"
    shutil.copytree(base / "seeds", dest / "seeds")
    shutil.copy2(base / "vocabulary.csv", dest / "vocabulary.csv")
    for name in ("events.csv", "citations.csv"):
        shutil.copy2(DATA / "bounded" / name, dest / name)
    return dest
