"""story.toml: the story's own words, read and validated like the tables."""
from __future__ import annotations

from pathlib import Path

from timeline.problems import Problem
from timeline.story import Story, read_story, slugify
from timeline.load import ROOT


def test_the_shipped_story_names_itself():
    problems: list[Problem] = []
    story = read_story(ROOT, problems)
    assert problems == []
    assert story.title == "US–China counternarcotics diplomacy over fentanyl"
    assert story.slug == "fentanyl-timeline"
    assert "fentanyl" in story.keywords


def test_a_missing_file_gives_defaults_from_the_folder_and_a_notice(tmp_path: Path):
    folder = tmp_path / "city-council_votes"
    folder.mkdir()
    problems, notices = [], []
    story = read_story(folder, problems, notices)
    assert problems == []
    assert story.title == "City council votes" and story.slug == "city-council-votes"
    assert len(notices) == 1 and "story.toml" in notices[0]


def test_bad_values_name_the_file_the_field_and_the_fix(tmp_path: Path):
    (tmp_path / "story.toml").write_text('title = ""\nlanguage = "English"\ncolour = "red"\nkeywords = "x"\n', encoding="utf-8")
    problems: list[Problem] = []
    story = read_story(tmp_path, problems)
    by_column = {p.column: p for p in problems}
    assert set(by_column) == {"title", "language", "colour", "keywords"}
    assert all(p.file == "story.toml" and p.fix for p in problems)
    assert str(by_column["language"]).startswith("story.toml column language:")
    assert story.title == Story.default_for(tmp_path).title  # the bad title is not used


def test_broken_toml_and_bad_encoding_are_problems_not_tracebacks(tmp_path: Path):
    (tmp_path / "story.toml").write_text('title = "unclosed\n', encoding="utf-8")
    problems: list[Problem] = []
    read_story(tmp_path, problems)
    assert len(problems) == 1 and "not valid TOML" in problems[0].message
    (tmp_path / "story.toml").write_bytes(b'title = "\xff"\n')
    problems = []
    read_story(tmp_path, problems)
    assert len(problems) == 1 and "UTF-8" in problems[0].message


def test_to_toml_round_trips(tmp_path: Path):
    story = Story(title='Say "when"', subtitle="A \\ B", keywords=("a", "b"), language="en-GB")
    (tmp_path / "story.toml").write_text(story.to_toml(), encoding="utf-8")
    problems: list[Problem] = []
    assert read_story(tmp_path, problems) == story and problems == []


def test_slugify():
    assert slugify("US–China talks, 2024!") == "us-china-talks-2024"
    assert slugify("…") == "timeline"
