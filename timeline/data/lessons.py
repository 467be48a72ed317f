"""Classroom lessons: a teacher's own sequence of slides, read from the optional lessons.csv.

lessons.csv — one row per step of a lesson:
  lesson_id (lower-case letters, digits and hyphens), lesson_title (the same on every row of a lesson),
  step (1, 2, 3… within the lesson, no gaps), kind, event_id, outlets, text, notes.

  kind is one of
  - event:    an event's slide (event_id); outlets, if given, chooses whose words it quotes first;
  - compare:  one event as two or more outlets tell it (event_id, outlets), their passages side by side;
  - question: a discussion prompt (text), tied to an event when event_id is given;
  - text:     a slide the teacher writes (text).
  outlets names outlets (or source ids) separated by semicolons, e.g. `City Herald; Harbour Times`; each must
  report the event in citations.csv. Words between curly quotes in text must stand verbatim in a passage
  of the step's event (or, without an event, of any event) in citations.csv. notes are the speaker's notes, never shown on the projected slide.

The file is optional. When present it is validated like the other tables: every problem names the file,
row, column and the fix, and a rejected row leaves the rest of its lesson standing, renumbered.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import field_validator, model_validator

from timeline.data.anchor import normalise
from timeline.data.models import SLUG, _Row, problem
from timeline.data.problems import Problem
from timeline.data.tables import TableCount, _unknown_ref, read_table, validate_row

if TYPE_CHECKING:
    from timeline.data.chronology import Chronology

LESSONS = "lessons.csv"
COLUMNS = ("lesson_id", "lesson_title", "step", "kind", "event_id", "outlets", "text", "notes")
QUOTED = re.compile(r"“([^”]+)”")  # words the teacher quotes must be the articles' own
MAX_TEXT = 400  # characters on one slide of the teacher's own words: more would not fit at projector size


class StepKind(str, Enum):
    event = "event"
    compare = "compare"
    question = "question"
    text = "text"


STEP_KIND_LABELS = {StepKind.event: "Event", StepKind.compare: "Compare outlets",
                    StepKind.question: "Question", StepKind.text: "Teacher's text"}


def split_outlets(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in cell.split(";") if part.strip()))


class LessonRow(_Row):
    """One row of lessons.csv, checked by itself (references to events and outlets are checked by read_lessons)."""

    lesson_id: str
    lesson_title: str
    step: int
    kind: StepKind
    event_id: str = ""
    outlets: str = ""
    text: str = ""
    notes: str = ""

    @field_validator("lesson_id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise problem("slug", f'"{v}" is not a valid lesson id',
                          "use lower-case letters, digits and hyphens, e.g. how-the-suspension-is-told")
        return v

    @field_validator("step", mode="before")
    @classmethod
    def _step(cls, v: object) -> object:
        if not (isinstance(v, int) or (isinstance(v, str) and v.isdigit())) or int(v) < 1:
            raise problem("step", f'"{v}" is not a step number', "write a whole number: 1 for the first step, then 2, 3…")
        return int(v)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, v: object) -> object:
        if v not in StepKind._value2member_map_:
            raise problem("choice", f'"{v}" is not a step kind', "write one of event, compare, question, text")
        return v

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        if len(v) > MAX_TEXT:
            raise problem("long", f"the text has {len(v)} characters, more than the {MAX_TEXT} a slide holds",
                          "shorten it, or split it over two steps")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> LessonRow:
        needs_event = self.kind in (StepKind.event, StepKind.compare)
        if needs_event and not self.event_id:
            raise problem("event", f"{'an' if self.kind is StepKind.event else 'a'} {self.kind.value} step needs an event", "fill in event_id with an id from events.csv",
                          "event_id")
        if self.kind is StepKind.compare and len(split_outlets(self.outlets)) < 2:
            raise problem("outlets", "a compare step needs two or more outlets",
                          "name them in outlets, separated by semicolons, e.g. City Herald; Harbour Times", "outlets")
        if self.kind in (StepKind.question, StepKind.text) and not self.text:
            raise problem("text", f"a {self.kind.value} step needs its text", "write the slide's words in text", "text")
        if self.kind is StepKind.text and (self.event_id or self.outlets):
            raise problem("text-event", "a text step shows no event",
                          "leave event_id and outlets empty, or make it an event or question step", "event_id")
        if self.kind is StepKind.question and self.outlets and not self.event_id:
            raise problem("question-outlets", "outlets are given but no event", "fill in event_id, or leave outlets empty",
                          "outlets")
        return self


@dataclass(frozen=True)
class LessonStep:
    """One step of a lesson, its references checked; `source_ids` are the outlets' articles, in the order named."""

    number: int
    kind: StepKind
    event_id: str = ""
    source_ids: tuple[str, ...] = ()
    text: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    steps: tuple[LessonStep, ...]


def _resolve_outlets(names: tuple[str, ...], event_id: str, chron: Chronology, number: int,
                     problems: list[Problem]) -> tuple[str, ...] | None:
    """Each named outlet (or source id) as the id of an article that reports the event; None after problems."""
    reporting = {p.source.id: p.source for p in chron.passages_for(event_id)}
    everyone = {s.id: s for s in chron.sources.values()}
    out: list[str] = []
    ok = True
    for name in names:
        folded = name.casefold()
        match = [s.id for s in everyone.values() if folded in (s.id.casefold(), s.outlet.casefold())]
        if not match:
            known = sorted({s.outlet for s in everyone.values()})
            msg, fix = _unknown_ref(name, known, "outlet in seeds/sources.csv", "seeds/sources.csv")
            problems.append(Problem(LESSONS, msg.replace("has the id", "is called"), fix, row=number, column="outlets"))
            ok = False
            continue
        reports = [i for i in match if i in reporting]
        if not reports:
            outlet = everyone[match[0]].outlet
            names_ok = "; ".join(sorted({s.outlet for s in reporting.values()}))
            problems.append(Problem(LESSONS, f'{outlet} does not report "{event_id}" (no citation of it in citations.csv)',
                                    f"name an outlet that reports it: {names_ok}", row=number, column="outlets"))
            ok = False
            continue
        out += [i for i in reports if i not in out]
    return tuple(out) if ok else None


def _fold(text: str) -> str:
    return normalise(text)[0].casefold()


def _quotes_verbatim(text: str, event_id: str, chron: Chronology, number: int, problems: list[Problem]) -> bool:
    """Whether every “quoted” run of words in the teacher's text is in a cited passage; a problem for each that is not."""
    quotes = QUOTED.findall(text)
    if not quotes:
        return True
    passages = chron.passages_for(event_id) if event_id else chron.passages
    cited = [_fold(p.text) for p in passages]
    ok = True
    for q in quotes:
        if not any(_fold(q) in c for c in cited):
            where = f'the passages of "{event_id}"' if event_id else "any passage"
            problems.append(Problem(LESSONS, f"the quoted words “{q}” are not in {where} in citations.csv",
                                    "quote the articles' words exactly as cited, or drop the curly quotes",
                                    row=number, column="text"))
            ok = False
    return ok


def read_lessons(folder: Path, chron: Chronology, event_rows: set[str], problems: list[Problem],
                 counts: dict[str, TableCount]) -> list[Lesson]:
    """The lessons of lessons.csv (none when the file is missing), every problem in it added to `problems`.

    `event_rows` holds every id in events.csv, rejected rows included: a step of a rejected event is dropped
    without a second message (its problem is listed already).
    """
    path = folder / LESSONS
    if not path.exists():
        return []
    rows = read_table(path, LESSONS, LessonRow, problems)
    count = counts[LESSONS] = TableCount(read=len(rows))
    lessons = lessons_from_rows(rows, chron, event_rows, problems)
    count.kept = sum(len(lesson.steps) for lesson in lessons)
    return lessons


def lessons_from_rows(rows: list[tuple[int, dict[str, str]]], chron: Chronology, event_rows: set[str],
                      problems: list[Problem]) -> list[Lesson]:
    """The lessons of lessons.csv's rows, given as (spreadsheet row number, cells by column); every problem added."""
    titles: dict[str, tuple[str, int]] = {}
    numbers: dict[str, dict[int, int]] = {}  # lesson -> step -> row
    kept: dict[str, list[LessonStep]] = {}
    order: list[str] = []
    for number, cells in rows:
        row = validate_row(LessonRow, cells, LESSONS, number, problems)
        if row is None:
            step = cells.get("step", "").strip()
            lesson = cells.get("lesson_id", "").strip()
            if lesson and step.isdigit():  # its number is taken, so no gap is reported for it as well
                numbers.setdefault(lesson, {}).setdefault(int(step), number)
            continue
        if row.lesson_id not in titles:
            titles[row.lesson_id] = (row.lesson_title, number)
            order.append(row.lesson_id)
        elif titles[row.lesson_id][0] != row.lesson_title:
            title, first = titles[row.lesson_id]
            problems.append(Problem(LESSONS, f'lesson "{row.lesson_id}" is called "{title}" on row {first}',
                                    "give every row of a lesson the same lesson_title", row=number, column="lesson_title"))
        taken = numbers.setdefault(row.lesson_id, {})
        if row.step in taken:
            problems.append(Problem(LESSONS, f'step {row.step} of lesson "{row.lesson_id}" is already on row {taken[row.step]}',
                                    "give each step its own number, or delete one of the two rows", row=number, column="step"))
            continue
        taken[row.step] = number
        ok = True
        if row.event_id and row.event_id not in chron.by_id:
            ok = False
            if row.event_id not in event_rows:
                msg, fix = _unknown_ref(row.event_id, chron.by_id.keys() | event_rows, "event in events.csv", "events.csv")
                problems.append(Problem(LESSONS, msg, fix, row=number, column="event_id"))
        sources: tuple[str, ...] = ()
        if ok and row.outlets:
            resolved = _resolve_outlets(split_outlets(row.outlets), row.event_id, chron, number, problems)
            if resolved is None:
                ok = False
            else:
                sources = resolved
            if ok and row.kind is StepKind.compare and len(sources) < 2:
                problems.append(Problem(LESSONS, "the outlets named are one article", "name two or more different outlets",
                                        row=number, column="outlets"))
                ok = False
        if ok and row.text:
            ok = _quotes_verbatim(row.text, row.event_id, chron, number, problems)
        if ok:
            kept.setdefault(row.lesson_id, []).append(
                LessonStep(row.step, row.kind, row.event_id, sources, row.text, row.notes))
    for lesson_id, taken in numbers.items():
        present = sorted(taken)
        missing = [n for n in range(1, present[-1] + 1) if n not in taken]
        if missing:
            after = next(n for n in present if n > missing[0])
            problems.append(Problem(LESSONS, f'lesson "{lesson_id}" has no step {missing[0]} (its steps are '
                                    f"{', '.join(map(str, present))})", "number the steps 1, 2, 3… without gaps",
                                    row=taken[after], column="step"))
    lessons = []
    for lesson_id in order:
        got = sorted(kept.get(lesson_id, []), key=lambda s: s.number)
        if not got:
            continue
        renumbered = tuple(LessonStep(i, s.kind, s.event_id, s.source_ids, s.text, s.notes) for i, s in enumerate(got, 1))
        lessons.append(Lesson(lesson_id, titles[lesson_id][0], renumbered))
    return lessons
