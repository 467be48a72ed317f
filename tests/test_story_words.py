"""Nothing about the shipped story is written into the code: its names live in its data folder.

The words looked for are the shipped story's own: its outlets, its actors, its title and keywords, and the
names its events turn on. timeline/data/synth.py is left out on purpose: it writes a made-up story folder of
its own (outlets, actors, places) for the scale tests, and those words are its data.
"""
from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["fentanyl", "opium", "counternarcotics", "Beijing", "Xi Jinping", "Biden", "Trump", "Blinken", "Pelosi",
         "Taiwan", "APEC", "CCP", "DEA", "Wang Xiaohong", "Mexican", "cartel", "Falun Gong", "Chinese"]
SKIP = {ROOT / "timeline" / "data" / "synth.py"}
PRODUCT = {"sourced chronology"}  # a keyword of the story that is also what the product calls itself


def story_words() -> set[str]:
    words = set(NAMES)
    with open(ROOT / "seeds" / "sources.csv", encoding="utf-8") as f:
        words.update(r["outlet"] for r in csv.DictReader(f))
    with open(ROOT / "vocabulary.csv", encoding="utf-8") as f:
        words.update(r["label"] for r in csv.DictReader(f) if r["field"] == "actor" and r["label"] != "Others")
    story = tomllib.loads((ROOT / "story.toml").read_text(encoding="utf-8"))
    words.update([story["title"], story["subtitle"], *story["keywords"]])
    return {w for w in words if w} - PRODUCT


def code_files() -> list[Path]:
    files = [ROOT / "app.py", *(ROOT / "timeline").rglob("*.py"), *(ROOT / "views").rglob("*.py")]
    return [p for p in files if p not in SKIP]


def hits(words: set[str], files: list[Path]) -> list[str]:
    """`path:line: 'word'` for each story word found as a whole word (an id such as `ntdtv-x` is not a word)."""
    found = []
    for word in sorted(words):
        rx = re.compile(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", re.IGNORECASE)
        for path in files:
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if rx.search(line):
                    found.append(f"{path.name}:{n}: {word!r}")
    return found


def test_the_words_cover_the_story():
    words = story_words()
    assert {"CGTN", "NTDTV", "The Epoch Times", "Xi Jinping", "Ministry of Public Security",
            "US–China counternarcotics diplomacy over fentanyl"} <= words


def test_no_story_words_in_the_code():
    assert hits(story_words(), code_files()) == []


def test_a_planted_story_word_is_found(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('HELP = "e.g. the ntdtv article"\nOK = "ids like ntdtv-2 are not words"\n', encoding="utf-8")
    assert hits(story_words(), [planted]) == ["planted.py:1: 'NTDTV'"]
