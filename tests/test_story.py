"""story.toml: the story's own words, read and validated like the tables."""
from __future__ import annotations

from pathlib import Path

from timeline.data.problems import Problem
from timeline.data.story import Story, read_story, slugify
from timeline.data.load import ROOT


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


# --- the story's words on every page and in every export -------------------------------------------------

import pytest  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from timeline.data.synth import write_folder  # noqa: E402

OWN = Story(title="Harbour dredging dispute", subtitle="Who said what about the channel", keywords=("harbour", "dredging"),
            slug="harbour-dredging")
PAGES = ["views/page_timeline.py", "views/page_sources.py", "views/page_lens.py", "views/page_present.py",
         "views/page_curate.py", "views/page_review.py", "views/page_edit.py"]


@pytest.fixture(scope="module")
def own_story(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("harbour")
    write_folder(folder, 40, seed=3)
    (folder / "story.toml").write_text(OWN.to_toml(), encoding="utf-8")
    return folder


def _texts(at: AppTest) -> str:
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text"):
        out += [str(e.value) for e in at.get(kind)]
    out += [e.proto.body for e in at.get("html")]
    return "\n".join(out)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_titled_from_the_folders_story_toml(own_story, monkeypatch, page):
    monkeypatch.setenv("TIMELINE_DATA", str(own_story))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    text = _texts(at)
    assert OWN.title in text
    assert "fentanyl" not in text.lower() and "counternarcotics diplomacy" not in text


def test_every_export_carries_the_folders_title(own_story):
    from timeline.outputs.export import export
    from timeline.filters import ViewState
    from timeline.data.load import load_chronology
    from timeline.present.deck import deck_pptx
    from timeline.present.handout import handout_pdf

    chron = load_chronology(own_story)
    state = ViewState()
    for fmt in ("html", "json", "timelinejs", "csv"):
        ex = export(chron, state, fmt)
        assert ex.filename.startswith("harbour-dredging"), ex.filename
        if fmt != "csv":
            assert OWN.title in ex.data.decode("utf-8")
    import io

    from pptx import Presentation
    from pypdf import PdfReader

    deck = Presentation(io.BytesIO(deck_pptx(chron, state)))
    assert deck.core_properties.title == OWN.title and deck.core_properties.keywords == "harbour; dredging"
    pdf = PdfReader(io.BytesIO(handout_pdf(chron, state)))
    assert OWN.title in pdf.metadata["/Title"] and "harbour" in pdf.metadata["/Keywords"]
    assert OWN.title in pdf.pages[0].extract_text()
