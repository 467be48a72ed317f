"""Classroom lessons: lessons.csv checked like the other tables, and the two lessons the story ships."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from shipped import ROOT, copy_shipped
from timeline import read_data
from timeline.data.lessons import COLUMNS, LESSONS, StepKind

HEADER = ",".join(COLUMNS) + "\n"


def problems_of(folder: Path, body: str) -> list[str]:
    (folder / LESSONS).write_text(HEADER + body, encoding="utf-8")
    return [str(p) for p in read_data(folder).problems]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path / "data")


def test_no_lessons_file_means_no_lessons_and_no_problems(folder):
    result = read_data(folder)
    assert result.ok and result.chronology.lessons == []


def test_a_valid_lesson_is_read_in_step_order(folder):
    (folder / LESSONS).write_text(HEADER + "a,A,2,question,pelosi-taiwan,,Why?,\n"
                                  "a,A,1,compare,working-group-launch,CGTN; epoch,,say so\n", encoding="utf-8")
    result = read_data(folder)
    assert result.ok, result.problems
    (lesson,) = result.chronology.lessons
    assert [s.kind for s in lesson.steps] == [StepKind.compare, StepKind.question]
    assert lesson.steps[0].source_ids == ("cgtn", "epoch") and lesson.steps[0].notes == "say so"


def test_unknown_event_is_named_with_a_hint(folder):
    assert problems_of(folder, "a,A,1,event,pelosi-taiwn,,,\n") == [
        'lessons.csv row 2, column event_id: no event in events.csv has the id "pelosi-taiwn". '
        'Fix: did you mean "pelosi-taiwan"?']


def test_outlet_that_does_not_report_the_event(folder):
    assert problems_of(folder, "a,A,1,event,pelosi-taiwan,CGTN,,\n") == [
        'lessons.csv row 2, column outlets: CGTN does not report "pelosi-taiwan" (no citation of it in citations.csv). '
        "Fix: name an outlet that reports it: TheBlaze."]


def test_unknown_outlet(folder):
    (msg,) = problems_of(folder, "a,A,1,compare,working-group-launch,CGTN; Epoch Tmes,,\n")
    assert msg.startswith("lessons.csv row 2, column outlets: no outlet in seeds/sources.csv is called")
    assert 'did you mean "The Epoch Times"?' in msg


def test_gap_in_step_numbers(folder):
    assert problems_of(folder, "a,A,1,text,,,Hello,\na,A,3,text,,,Bye,\n") == [
        'lessons.csv row 3, column step: lesson "a" has no step 2 (its steps are 1, 3). '
        "Fix: number the steps 1, 2, 3… without gaps."]


def test_duplicate_step_and_differing_title(folder):
    assert problems_of(folder, "a,A,1,text,,,Hello,\na,A,1,text,,,Again,\na,B,2,text,,,Bye,\n") == [
        'lessons.csv row 3, column step: step 1 of lesson "a" is already on row 2. '
        "Fix: give each step its own number, or delete one of the two rows.",
        'lessons.csv row 4, column lesson_title: lesson "a" is called "A" on row 2. '
        "Fix: give every row of a lesson the same lesson_title."]


@pytest.mark.parametrize("row, column, words", [
    ("a,A,1,slide,,,x,", "kind", '"slide" is not a step kind'),
    ("a,A,one,text,,,x,", "step", '"one" is not a step number'),
    ("A b,A,1,text,,,x,", "lesson_id", '"A b" is not a valid lesson id'),
    ("a,A,1,compare,working-group-launch,CGTN,,", "outlets", "a compare step needs two or more outlets"),
    ("a,A,1,event,,,,", "event_id", "an event step needs an event"),
    ("a,A,1,question,,,,", "text", "a question step needs its text"),
    ("a,A,1,text,pelosi-taiwan,,x,", "event_id", "a text step shows no event"),
    ("a,A,1,question,pelosi-taiwan,,Is it “a trip to Taiwan”?,", "text", "the quoted words “a trip to Taiwan” are not in"),
])
def test_bad_cells_are_named(folder, row, column, words):
    (msg,) = problems_of(folder, row + "\n")
    assert msg.startswith(f"lessons.csv row 2, column {column}: {words}"), msg


def test_rejected_row_leaves_the_rest_of_its_lesson(folder):
    (folder / LESSONS).write_text(HEADER + "a,A,1,text,,,Hello,\na,A,2,event,nope,,,\na,A,3,text,,,Bye,\n", encoding="utf-8")
    result = read_data(folder)
    assert len(result.problems) == 1  # the unknown event; no gap reported for the rejected row's number
    assert [s.text for s in result.chronology.lessons[0].steps] == ["Hello", "Bye"]
    assert result.counts[LESSONS].read == 3 and result.counts[LESSONS].kept == 2


def test_shipped_lessons_are_valid_and_quote_only_cited_passages():
    result = read_data(ROOT)
    assert result.ok, result.problems
    lessons = {lesson.id: lesson for lesson in result.chronology.lessons}
    assert set(lessons) == {"how-the-2022-suspension-is-told", "chinas-role-claims-and-counter-claims"}
    kinds = {s.kind for lesson in lessons.values() for s in lesson.steps}
    assert kinds == set(StepKind)
    with open(ROOT / LESSONS, newline="", encoding="utf-8") as f:
        assert all(row["lesson_title"] for row in csv.DictReader(f))


def test_shipped_lessons_break_when_a_quoted_word_is_changed(tmp_path):
    folder = copy_shipped(tmp_path / "data")
    text = (ROOT / LESSONS).read_text(encoding="utf-8").replace("“retaliation”", "“revenge”")
    (folder / LESSONS).write_text(text, encoding="utf-8")
    (msg,) = [str(p) for p in read_data(folder).problems]
    assert "“revenge”" in msg and "column text" in msg
    shutil.rmtree(folder)
