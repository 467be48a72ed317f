"""The lint's four warnings, each with a case that warns and one that does not; and how validate reports them."""
from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

from timeline.cli import main
from timeline.data.lint import LintWarning, lint, loaded_words
from timeline.data.load import read_data
from timeline.data.problems import Problem

ARTICLE = ("City Herald, 3 March 2021.\n"
           "The harbour authority said on Monday that the old bridge will close for repairs in May.\n"
           "Mayor Ann Lee called the closure “a reckless plan” and said the council would vote against it on Friday.\n"
           "The harbour authority did not immediately respond to a request for comment.\n")
SOURCES = [["id", "file", "outlet", "headline", "published", "published_certainty", "outlet_description"],
           ["herald", "herald.txt", "City Herald", "Bridge to close", "2021-03-03", "stated", "A city newspaper."]]
VOCABULARY = [["field", "value", "label", "description"],
              ["category", "transport", "Transport", ""],
              ["actor", "harbour", "Harbour Authority", ""],
              ["actor", "mayor", "Mayor", ""]]
EVENT_HEADER = ["id", "title", "start", "date_certainty", "kind", "category", "actors", "summary", "claimed_by"]


def event(id_, title, summary, kind="event", claimed_by="", actors="harbour"):
    return [id_, title, "2021-03-01", "exact", kind, "transport", actors, summary, claimed_by]


EVENTS = [event("closure", "Old bridge to close for repairs", "The harbour authority says the old bridge will close in May."),
          event("mayor-objects", "Mayor Ann Lee calls the closure “a reckless plan”",
                "The mayor says the council will vote against the closure.", "claim",
                "Ann Lee, as reported by the City Herald", "mayor")]
CITATIONS = [["event_id", "source_id", "quote"],
             ["closure", "herald", "the old bridge will close for repairs in May"],
             ["closure", "herald", "The harbour authority did not immediately respond to a request for comment."],
             ["mayor-objects", "herald", "Mayor Ann Lee called the closure “a reckless plan”"]]
RELATION_HEADER = ["from_event", "to_event", "relation", "note", "source_id", "quote"]
RELATION = ["mayor-objects", "closure", "responds-to", "The mayor calls the plan “a reckless plan”.", "", ""]


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def folder(tmp_path: Path, events=None, citations=None, relations=None, article=ARTICLE) -> Path:
    """A small valid data folder; each table may be replaced."""
    d = tmp_path / "story"
    (d / "seeds").mkdir(parents=True)
    (d / "seeds" / "herald.txt").write_text(article, encoding="utf-8")
    (d / "seeds" / "sources.csv").write_text(csv_text(SOURCES), encoding="utf-8")
    (d / "vocabulary.csv").write_text(csv_text(VOCABULARY), encoding="utf-8")
    (d / "events.csv").write_text(csv_text([EVENT_HEADER, *(EVENTS if events is None else events)]), encoding="utf-8")
    (d / "citations.csv").write_text(csv_text(CITATIONS if citations is None else citations), encoding="utf-8")
    (d / "relations.csv").write_text(csv_text([RELATION_HEADER, *([RELATION] if relations is None else relations)]),
                                     encoding="utf-8")
    return d


def warnings_of(d: Path) -> list[str]:
    result = read_data(d)
    assert result.problems == [], [str(p) for p in result.problems]
    return [str(w) for w in lint(result, d)]


def test_the_small_folder_is_valid_and_has_no_warnings(tmp_path):
    d = folder(tmp_path)
    assert warnings_of(d) == []
    assert lint(read_data(d).chronology, d) == []  # a chronology will do as well as a read result


def test_a_warning_is_placed_and_worded_like_a_problem():
    w = LintWarning("events.csv", "the title is loose", "tighten it", row=3, column="title")
    p = Problem("events.csv", "the title is loose", "tighten it", row=3, column="title")
    assert str(w) == str(p) == "events.csv row 3, column title: the title is loose. Fix: tighten it."
    assert isinstance(w, LintWarning) and not isinstance(p, LintWarning)


# 1. a claim names its claimant

def test_a_claim_that_does_not_name_its_claimant_warns(tmp_path):
    claim = event("mayor-objects", "The closure is “a reckless plan”", "The council will vote against it.", "claim",
                  "Ann Lee, as reported by the City Herald", "mayor")
    assert warnings_of(folder(tmp_path, events=[EVENTS[0], claim])) == [
        'events.csv row 3, column title: the claim does not name its claimant ("Ann Lee, as reported by the City Herald") '
        'in its title or summary. Fix: name the claimant in the title, e.g. "Ann Lee: …".']


@pytest.mark.parametrize("claimed_by, title, summary", [
    ("Ann Lee, as reported by the City Herald", "The closure is “a reckless plan”", "ANN LEE says the council will vote."),
    ("Ann Lee (mayor)", "Ann Lee: the closure is “a reckless plan”", "The council will vote."),
    ("The City Herald", "City Herald: the closure is “a reckless plan”", "The council will vote."),
    ("Ann Lee; the council", "The closure is reckless, in Ann Lee’s words", "The council will vote."),
    ("Harbour Authority spokesperson Jo Park", "Harbour Authority: the bridge is safe", "It will reopen in June."),
])
def test_a_claim_named_by_its_head_or_an_actor_label_does_not_warn(tmp_path, claimed_by, title, summary):
    claim = event("mayor-objects", title, summary, "claim", claimed_by, "mayor")
    assert warnings_of(folder(tmp_path, events=[EVENTS[0], claim], relations=[])) == []


def test_an_event_need_not_name_anyone(tmp_path):
    plain = event("mayor-objects", "Council to vote", "The council will vote on Friday.")
    assert warnings_of(folder(tmp_path, events=[EVENTS[0], plain], relations=[])) == []


# 2. loaded words only in quotation marks

@pytest.mark.parametrize("summary, words", [
    ("The authority finally closes the bridge.", ["finally"]),
    ("The REGIME closes the bridge, a so-called repair.", ["REGIME", "so-called"]),
    ("The mayor “slammed” the plan and clearly blasted it.", ["clearly", "blasted"]),
])
def test_a_loaded_word_outside_quotation_marks_warns(tmp_path, summary, words):
    closure = event("closure", "Old bridge to close for repairs", summary)
    listed = ", ".join(f'"{w}"' for w in words)
    assert warnings_of(folder(tmp_path, events=[closure, EVENTS[1]])) == [
        f"events.csv row 2, column summary: the summary uses the loaded word{'s' if len(words) > 1 else ''} {listed} "
        "outside quotation marks. Fix: quote the source's own words or use a neutral word."]


@pytest.mark.parametrize("summary", [
    "The mayor calls it “a shocking regime of repairs”.",
    'The mayor calls it "a shocking plan".',
    "The mayor calls it ‘the council’s shocking plan’.",
    "The authority prescribes a regimen of repairs, unclearly dated.",
])
def test_a_loaded_word_in_quotation_marks_or_inside_another_word_does_not_warn(tmp_path, summary):
    closure = event("closure", "Old bridge to close for repairs", summary)
    assert warnings_of(folder(tmp_path, events=[closure, EVENTS[1]])) == []


def test_titles_are_read_for_loaded_words_too(tmp_path):
    closure = event("closure", "Bridge finally closes", "The harbour authority says the old bridge will close in May.")
    got = warnings_of(folder(tmp_path, events=[closure, EVENTS[1]]))
    assert got == ['events.csv row 2, column title: the title uses the loaded word "finally" outside quotation marks. '
                   "Fix: quote the source's own words or use a neutral word."]


def test_labels_are_read_for_loaded_words_too(tmp_path):
    header = EVENT_HEADER[:2] + ["label"] + EVENT_HEADER[2:]
    rows = [e[:2] + [label] + e[2:] for e, label in zip(EVENTS, ["Bridge finally closes", "Mayor: “a reckless plan”"])]
    d = folder(tmp_path, events=rows)
    (d / "events.csv").write_text(csv_text([header, *rows]), encoding="utf-8")
    assert warnings_of(d) == ['events.csv row 2, column label: the label uses the loaded word "finally" outside '
                              "quotation marks. Fix: quote the source's own words or use a neutral word."]


def test_loaded_words_are_found_the_same_without_pyarrow(tmp_path, monkeypatch):
    closure = event("closure", "Old bridge to close", "The authority finally closes it, ‘clearly’ late.")
    d = folder(tmp_path, events=[closure, EVENTS[1]])
    with_arrow = warnings_of(d)
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    assert warnings_of(d) == with_arrow and len(with_arrow) == 1 and '"finally"' in with_arrow[0]


def test_loaded_words_lists_each_word_once():
    assert loaded_words("Finally, finally, the “regime” fell; the regime.") == ["Finally", "regime"]


# 3. a relation note quotes its pair

@pytest.mark.parametrize("note", [
    "The mayor objects to the closure.",                       # no quotation at all
    "The mayor calls it “reckless plan”.",                    # two words only
    "The mayor calls it “a careless plan”.",                   # words that no passage of the pair has
])
def test_a_relation_note_that_quotes_no_passage_of_its_pair_warns(tmp_path, note):
    relation = ["mayor-objects", "closure", "responds-to", note, "", ""]
    assert warnings_of(folder(tmp_path, relations=[relation])) == [
        'relations.csv row 2, column note: the note quotes no passage of "mayor-objects" or "closure" (three words or more, '
        "in quotation marks). Fix: quote in the note the words of the pair's passages that the relation rests on."]


@pytest.mark.parametrize("note, source_id, quote", [
    ("The mayor calls it “A Reckless Plan.”", "", ""),                              # case and end punctuation aside
    ('The authority says "the old bridge  will close" soon.', "", ""),              # the other event's passage
    ("The mayor says “the closure … a reckless plan”.", "", ""),                    # a piece of a cut quotation
    ("The council “would vote against it”.", "herald", "the council would vote against it on Friday"),  # its own quote
])
def test_a_relation_note_quoting_its_pair_does_not_warn(tmp_path, note, source_id, quote):
    relation = ["mayor-objects", "closure", "responds-to", note, source_id, quote]
    assert warnings_of(folder(tmp_path, relations=[relation])) == []


# 4. an article's "did not respond" sentence is cited

def test_an_uncited_did_not_respond_sentence_warns(tmp_path):
    citations = [row for row in CITATIONS if "respond" not in row[2]]
    assert warnings_of(folder(tmp_path, citations=citations)) == [
        'seeds/herald.txt: the article of "herald" says "The harbour authority did not immediately respond to a request '
        'for comment.", and no citation quotes that sentence. Fix: cite it on the event it concerns: the silence is part '
        "of the record."]


@pytest.mark.parametrize("sentence", ["The authority declined to comment.", "The authority didn’t reply to questions.",
                                      "The authority could not be reached on Friday.",
                                      "Its spokesperson did not return calls."])
def test_every_form_of_silence_is_seen(tmp_path, sentence):
    citations = [row for row in CITATIONS if "respond" not in row[2]]
    article = ARTICLE.replace("The harbour authority did not immediately respond to a request for comment.", sentence)
    got = warnings_of(folder(tmp_path, citations=citations, article=article))
    assert len(got) == 1 and f'says "{sentence}"' in got[0]


def test_a_silence_sentence_cited_in_part_does_not_warn(tmp_path):
    citations = [row if "respond" not in row[2] else [row[0], row[1], "did not immediately respond"] for row in CITATIONS]
    assert warnings_of(folder(tmp_path, citations=citations)) == []


# validate

def test_validate_prints_warnings_after_the_ok_line_and_exits_0(tmp_path, capsys):
    d = folder(tmp_path, relations=[["mayor-objects", "closure", "responds-to", "The mayor objects.", "", ""]])
    assert main(["validate", "--data", str(d)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("OK: 2 events, 3 citations, 1 source, 1 relations")
    lines = err.splitlines()
    assert lines[0] == "1 warning (the data is valid; these point at writing to check):"
    assert lines[1].startswith('warning: relations.csv row 2, column note: the note quotes no passage of "mayor-objects"')
    assert len(lines) == 2


def test_validate_strict_fails_on_warnings_and_says_why(tmp_path, capsys):
    d = folder(tmp_path, citations=[row for row in CITATIONS if "respond" not in row[2]],
               relations=[["mayor-objects", "closure", "responds-to", "The mayor objects.", "", ""]])
    assert main(["validate", "--strict", "--data", str(d)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("OK: ")
    lines = err.splitlines()
    assert lines[0].startswith("2 warnings ") and all(line.startswith("warning: ") for line in lines[1:3])
    assert lines[3] == "Failed: --strict counts the 2 warnings as errors."


def test_validate_strict_passes_without_warnings(tmp_path, capsys):
    assert main(["validate", "--strict", "--data", str(folder(tmp_path))]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("OK: ") and err == ""


def test_validate_lists_warnings_after_the_problems(tmp_path, capsys):
    bad = event("bad-date", "Old bridge closes", "The authority finally closes it.")
    bad[2] = "2021-13"
    closure = event("closure", "Old bridge to close for repairs", "The authority finally closes it.")
    d = folder(tmp_path, events=[closure, EVENTS[1], bad])
    assert main(["validate", "--data", str(d)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"1 problem in {d}:" and err[1].startswith("  events.csv row 4, column start:")
    assert err[2].startswith("1 warning ") and err[3].startswith("warning: events.csv row 2, column summary:")


# the dashboard

def test_the_dashboard_lists_the_warnings_collapsed_with_their_count(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    closure = event("closure", "Old bridge to close for repairs", "The authority finally closes it.")
    monkeypatch.setenv("TIMELINE_DATA", str(folder(tmp_path, events=[closure, EVENTS[1]])))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    [panel] = [e for e in at.expander if "warning" in e.label]
    assert panel.label == "1 warning(s) about how events are written — the data is valid"
    assert panel.proto.expanded is False
    listed = "\n".join(m.value for m in panel.markdown).replace("\\", "")  # Markdown escapes aside
    assert listed.startswith("- events.csv row 2, column summary: the summary uses the loaded word") and "finally" in listed
