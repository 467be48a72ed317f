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


# --- playing a lesson on the Present page, run headless ---------------------------------------------
import io  # noqa: E402

from pptx import Presentation  # noqa: E402
from pptx.util import Pt  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from timeline import load_chronology  # noqa: E402
from timeline.present.deck import STRIP_TOP, lesson_pptx  # noqa: E402
from timeline.present.handout import lesson_handout_pdf  # noqa: E402
from timeline.present.html import slide_html  # noqa: E402
from timeline.present.steps import lesson_by_id, lesson_steps, quoted, strip  # noqa: E402
from timeline.present.worksheet import worksheet_pdf  # noqa: E402

APP = str(ROOT / "app.py")
SUSPENSION, ROLE = "how-the-2022-suspension-is-told", "chinas-role-claims-and-counter-claims"


@pytest.fixture(scope="module")
def chron():
    return load_chronology(ROOT)


def present_page(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/page_present.py")
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def html_of(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def counter(at) -> str:
    return next(h.proto.body for h in at.get("html") if "deck-counter" in h.proto.body)


def test_lesson_steps_follow_the_lesson(chron):
    lesson = lesson_by_id(chron, SUSPENSION)
    all_steps = lesson_steps(chron, lesson)
    assert [s.role for s in all_steps] == ["title", *(s.kind.value for s in lesson.steps), "sources"]
    compare = next(s for s in all_steps if s.role == "compare")
    assert [p.source.outlet for p in compare.compared] == ["CGTN", "The Epoch Times", "The Daily Caller"]
    event = next(s for s in all_steps if s.role == "event" and s.event.id == "china-rejected-requests")
    assert event.key_passage.source.id == "epoch"
    # the strip: one mark per event of the lesson, in date order, each linking to its first step
    marks = strip(all_steps).marks
    assert [m.event_id for m in marks] == ["pelosi-taiwan", "china-halts-cooperation", "china-rejected-requests",
                                           "working-group-launch"]
    assert [m.x for m in marks] == sorted(m.x for m in marks)
    assert marks[1].step == 4  # china-halts-cooperation's own slide, not the question about it


def test_compare_slide_shows_each_outlets_passage_side_by_side(chron):
    all_steps = lesson_steps(chron, lesson_by_id(chron, SUSPENSION))
    compare = next(s for s in all_steps if s.role == "compare")
    html = slide_html(compare, strip(all_steps))
    assert "repeat(3,minmax(0,1fr))" in html and html.count('class="deck-quote deck-col"') == 3
    for p in compare.compared:
        assert quoted(p.text).replace("“", "&ldquo;")[:0] == "" and p.source.outlet in html
    assert 'class="mk pin' in html  # the strip shows where the step is in time


def test_page_plays_a_lesson_from_the_url(chron):
    at = present_page({"lesson": SUSPENSION, "step": "7"})
    total = len(lesson_by_id(chron, SUSPENSION).steps) + 2
    assert f"Step 7 of {total}" in counter(at)
    body = html_of(at)
    assert "deck-cols" in body and "How 3 outlets tell it" in body
    assert at.selectbox(key="present_lesson").value == SUSPENSION
    at.button(key="present_next").click().run()
    assert f"Step 8 of {total}" in counter(at) and "Question for discussion" in html_of(at)
    assert at.query_params["lesson"] == SUSPENSION and at.query_params["step"] == "8"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Slides (PowerPoint, .pptx)", "Handout (PDF)", "Student worksheet (PDF)"]


def test_lesson_picker_switches_between_lessons_and_the_filtered_view(chron):
    at = present_page({"step": "3"})
    assert "lesson" not in at.query_params
    at.selectbox(key="present_lesson").set_value(ROLE).run()
    total = len(lesson_by_id(chron, ROLE).steps) + 2
    assert f"Step 1 of {total}" in counter(at) and "A classroom lesson" in html_of(at)
    assert at.query_params["lesson"] == ROLE and at.query_params["step"] == "1"
    at.selectbox(key="present_lesson").set_value("").run()
    assert "lesson" not in at.query_params and "A sourced chronology" in html_of(at)


def test_unknown_lesson_in_the_url_says_so():
    at = present_page({"lesson": "no-such-lesson"})
    assert "There is no lesson &quot;no-such-lesson&quot;" in html_of(at)
    assert "A sourced chronology" in html_of(at)


# --- the take-aways, read back ------------------------------------------------------------------
@pytest.mark.parametrize("lesson_id", [SUSPENSION, ROLE])
def test_lesson_deck_has_a_slide_per_step_and_nothing_overlaps(chron, lesson_id):
    lesson = lesson_by_id(chron, lesson_id)
    prs = Presentation(io.BytesIO(lesson_pptx(chron, lesson_id)))
    slides = list(prs.slides)
    assert len(slides) == len(lesson.steps) + 2
    for slide, ls in zip(slides[1:-1], lesson.steps):
        text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        if ls.text:
            assert ls.text in text
        if ls.notes:
            assert ls.notes in slide.notes_slide.notes_text_frame.text
        if ls.kind is StepKind.compare:
            for sid in ls.source_ids:
                passage = next(p for p in chron.passages_for(ls.event_id) if p.source.id == sid)
                assert quoted(passage.text) in text
        flow = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text and s.top < Pt(STRIP_TOP)]
        sizes = [r.font.size.pt for s in flow for p in s.text_frame.paragraphs for r in p.runs]
        assert min(sizes) >= 18
        for a in flow:  # no two blocks share a spot: side by side columns overlap neither way
            for b in flow:
                if a is not b:
                    apart = (a.top + a.height <= b.top or b.top + b.height <= a.top
                             or a.left + a.width <= b.left or b.left + b.width <= a.left)
                    assert apart, (a.text_frame.text[:40], b.text_frame.text[:40])
            assert a.top + a.height <= Pt(STRIP_TOP)


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("lesson_id", [SUSPENSION, ROLE])
def test_lesson_handout_and_worksheet_read_back(chron, lesson_id):
    lesson = lesson_by_id(chron, lesson_id)
    handout, sheet = _pdf_text(lesson_handout_pdf(chron, lesson_id)), _pdf_text(worksheet_pdf(chron, lesson_id))
    assert lesson.title in handout and "Student worksheet" in sheet and "Name:" in sheet
    questions = [s for s in lesson.steps if s.kind is StepKind.question]
    for n, q in enumerate(questions, 1):
        assert " ".join(q.text.split()) in handout
        assert f"Question {n}. {' '.join(q.text.split())}" in sheet
    for ls in lesson.steps:
        if ls.kind is StepKind.compare:
            for sid in ls.source_ids:
                passage = next(p for p in chron.passages_for(ls.event_id) if p.source.id == sid)
                words = " ".join(quoted(passage.text).split())
                assert words in sheet and words in handout
    reader = PdfReader(io.BytesIO(worksheet_pdf(chron, lesson_id)))
    assert reader.metadata.title == f"{lesson.title} — student worksheet"


def test_unknown_lesson_has_no_files(chron):
    with pytest.raises(KeyError):
        worksheet_pdf(chron, "nope")


# --- editing: the logic, then the page run headless ---------------------------------------------------
from timeline.curation.curate import DuplicateId, StaleTables  # noqa: E402
from timeline.curation.lessons_edit import LessonDraft, check, draft_of, read_rows, save_lesson  # noqa: E402

LESSONS_PAGE = "views/page_lessons.py"


@pytest.fixture
def with_lessons(tmp_path: Path) -> Path:
    folder = copy_shipped(tmp_path / "data")
    shutil.copy2(ROOT / LESSONS, folder / LESSONS)
    return folder


def test_draft_moves_and_checks():
    draft = LessonDraft("x", "X")
    draft.add("text", text="one")
    draft.add("question", text="two")
    draft.add("text", text="three")
    draft.move(2, -1)
    draft.move(0, -1)  # past the top: nothing
    draft.remove(0)
    assert [s["text"] for s in draft.steps] == ["three", "two"]
    assert [r["step"] for r in draft.rows()] == ["1", "2"]


def test_save_replaces_only_its_lesson_keeps_a_backup_and_refuses_stale_files(with_lessons):
    chron = load_chronology(with_lessons)
    before = (with_lessons / LESSONS).read_bytes()
    rows, digest = read_rows(with_lessons)
    draft = draft_of(lesson_by_id(chron, ROLE), chron)
    draft.move(1, 1)
    draft.edit(0, text="Who is to blame?")
    saved = save_lesson(with_lessons, draft, digest, chron)
    assert saved.first_row == 2 + sum(1 for r in rows if r["lesson_id"] == SUSPENSION)
    assert (with_lessons / (LESSONS + ".bak")).read_bytes() == before
    again = read_data(with_lessons)
    assert again.ok, again.problems
    edited = lesson_by_id(again.chronology, ROLE)
    assert edited.steps[0].text == "Who is to blame?" and edited.steps[1].event_id == "report-no-enforcement"
    assert lesson_by_id(again.chronology, SUSPENSION) == lesson_by_id(chron, SUSPENSION)
    with pytest.raises(StaleTables):
        save_lesson(with_lessons, draft, digest, chron)  # the file changed since `digest` was taken
    new = LessonDraft(SUSPENSION, "Again")
    new.add("text", text="x")
    with pytest.raises(DuplicateId):
        save_lesson(with_lessons, new, read_rows(with_lessons)[1], again.chronology)


def test_check_words_problems_with_the_rows_to_be_written(with_lessons):
    chron = load_chronology(with_lessons)
    rows, _ = read_rows(with_lessons)
    draft = LessonDraft("mine", "Mine")
    draft.add("compare", "pelosi-taiwan", "TheBlaze; CGTN")
    (p,) = check(draft, rows, chron)
    assert p.row == len(rows) + 2 and p.column == "outlets" and "CGTN does not report" in p.message


def lessons_page(monkeypatch, folder: Path) -> AppTest:
    monkeypatch.setenv("TIMELINE_DATA", str(folder))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(LESSONS_PAGE)
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_builds_a_new_lesson_reorders_previews_and_saves(monkeypatch, with_lessons):
    at = lessons_page(monkeypatch, with_lessons)
    assert at.selectbox(key="le_pick").value == "__new__"
    token = at.session_state["le_token"]
    at.text_input(key=f"le_title_{token}").set_value("The 2023 coalition").run()
    at.text_input(key=f"le_id_{token}").set_value("the-2023-coalition").run()
    at.selectbox(key="le_new_kind").set_value("event").run()
    at.selectbox(key="le_new_event").set_value("china-declines-coalition").run()
    at.button(key="le_add").click().run()
    at.selectbox(key="le_new_kind").set_value("question").run()
    at.text_area(key="le_new_text").set_value("Why might a government stay away from a meeting?").run()
    at.button(key="le_add").click().run()
    assert not at.exception, at.exception
    draft = at.session_state["le_draft"]
    assert [s["kind"] for s in draft.steps] == ["event", "question"]
    at.button(key=f"le_up_{draft.steps[1]['uid']}").click().run()  # the question first
    assert [s["kind"] for s in at.session_state["le_draft"].steps] == ["question", "event"]
    uid = at.session_state["le_draft"].steps[0]["uid"]
    at.text_area(key=f"le_text_{uid}").set_value("Why might a government stay away?").run()
    body = "\n".join(h.proto.body for h in at.get("html"))
    assert "deck-slide" in body  # the preview
    at.select_slider(key="le_preview").set_value(2).run()
    assert "Why might a government stay away?" in "\n".join(h.proto.body for h in at.get("html"))
    at.button(key="le_save").click().run()
    assert not at.exception, at.exception
    assert any("Saved “the-2023-coalition”: 2 steps" in s.value for s in at.success)
    result = read_data(with_lessons)
    assert result.ok, result.problems
    saved = lesson_by_id(result.chronology, "the-2023-coalition")
    assert [s.kind for s in saved.steps] == [StepKind.question, StepKind.event]
    assert saved.steps[0].text == "Why might a government stay away?"


def test_page_edits_a_shipped_lesson_and_shows_problems_before_saving(monkeypatch, with_lessons):
    at = lessons_page(monkeypatch, with_lessons)
    at.selectbox(key="le_pick").set_value(SUSPENSION).run()
    draft = at.session_state["le_draft"]
    assert len(draft.steps) == 7 and draft.original_id == SUSPENSION
    assert at.text_input(key=f"le_title_{at.session_state['le_token']}").value == "How the 2022 suspension is told"
    question = next(s for s in draft.steps if s["kind"] == "question")
    at.text_area(key=f"le_text_{question['uid']}").set_value("Is it “revenge”?").run()
    body = "\n".join(h.proto.body for h in at.get("html"))
    assert "Not ready to save" in body and "“revenge”" in body
    assert at.button(key="le_save").disabled
    at.text_area(key=f"le_text_{question['uid']}").set_value("Whose word is “retaliation”?").run()
    assert not at.button(key="le_save").disabled
    at.button(key="le_save").click().run()
    assert not at.exception, at.exception
    assert lesson_by_id(read_data(with_lessons).chronology, SUSPENSION).steps[3].text == "Whose word is “retaliation”?"


def test_page_is_closed_when_served_read_only(monkeypatch, with_lessons):
    monkeypatch.setenv("TIMELINE_READ_ONLY", "1")
    at = lessons_page(monkeypatch, with_lessons)
    assert any("read-only" in i.value for i in at.info)
    assert not at.button


def test_page_opened_from_an_event_offers_it_for_the_next_step(monkeypatch, with_lessons):
    monkeypatch.setenv("TIMELINE_DATA", str(with_lessons))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(LESSONS_PAGE)
    at.query_params["event"] = "apec-biden-xi"
    at.run()
    assert at.selectbox(key="le_new_event").value == "apec-biden-xi"
    at.button(key="le_add").click().run()
    assert at.session_state["le_draft"].steps[-1]["event_id"] == "apec-biden-xi"
