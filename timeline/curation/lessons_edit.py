"""Build, check and save a lesson of lessons.csv without losing anything.

A lesson being edited is a `LessonDraft`: its id, title and steps as cells of lessons.csv. It is checked by
the loader's own code (`lessons_from_rows`), on the whole file as it would be written, so the editor says
exactly what `python -m timeline validate` would, with the row numbers of the file to be saved.

Saving rewrites lessons.csv with the lesson's rows in place of its old ones (a new lesson goes at the end; the
other lessons' rows keep their order and cells): written to a temporary file in the same folder, fsynced, then
moved over the old one, after the old version is kept as lessons.csv.bak. A save is refused when lessons.csv
changed on disk since the editor read it (its SHA-256 then, None when it did not exist), and when a new
lesson's id is already taken. An exclusive lock on lessons.csv makes two saves take turns.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from timeline.curation.curate import (CurateError, DuplicateId, StaleTables, _hash_of, _locked, atomic_write, backup_path,
                                      slugify)
from timeline.data.chronology import Chronology
from timeline.data.lessons import COLUMNS, LESSONS, Lesson, LessonRow, lessons_from_rows
from timeline.data.problems import Problem
from timeline.data.tables import read_table

STEP_FIELDS = ("kind", "event_id", "outlets", "text", "notes")


@dataclass
class LessonDraft:
    """A lesson as the editor holds it; `steps` are dicts of STEP_FIELDS, in order."""

    lesson_id: str
    title: str
    steps: list[dict[str, str]] = field(default_factory=list)
    original_id: str | None = None   # the lesson this draft edits; None for a new one

    def rows(self) -> list[dict[str, str]]:
        return [{"lesson_id": self.lesson_id, "lesson_title": self.title, "step": str(i),
                 **{k: step.get(k, "") for k in STEP_FIELDS}} for i, step in enumerate(self.steps, 1)]

    # --- the editor's moves -------------------------------------------------------------------------
    def add(self, kind: str, event_id: str = "", outlets: str = "", text: str = "", notes: str = "") -> None:
        self.steps.append({"kind": kind, "event_id": event_id, "outlets": outlets, "text": text, "notes": notes})

    def move(self, index: int, by: int) -> None:
        """Move step `index` (0-based) up (by=-1) or down (by=1); a move past either end does nothing."""
        target = index + by
        if 0 <= index < len(self.steps) and 0 <= target < len(self.steps):
            self.steps[index], self.steps[target] = self.steps[target], self.steps[index]

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.steps):
            del self.steps[index]

    def edit(self, index: int, **cells: str) -> None:
        self.steps[index] = {**self.steps[index], **{k: v for k, v in cells.items() if k in STEP_FIELDS}}


def draft_of(lesson: Lesson, chron: Chronology) -> LessonDraft:
    """A draft of an existing lesson, its outlets written as the outlets' names."""
    steps = [{"kind": s.kind.value, "event_id": s.event_id,
              "outlets": "; ".join(chron.sources[i].outlet for i in s.source_ids), "text": s.text, "notes": s.notes}
             for s in lesson.steps]
    return LessonDraft(lesson.id, lesson.title, steps, original_id=lesson.id)


def new_draft(title: str, taken: set[str]) -> LessonDraft:
    base = slugify(title) or "lesson"
    lesson_id, n = base, 2
    while lesson_id in taken:
        lesson_id, n = f"{base}-{n}", n + 1
    return LessonDraft(lesson_id, title)


def read_rows(folder: Path) -> tuple[list[dict[str, str]], str | None]:
    """lessons.csv's rows as cells (an empty list when it does not exist) and its SHA-256 (None then)."""
    path = Path(folder) / LESSONS
    if not path.exists():
        return [], None
    problems: list[Problem] = []
    rows = [cells for _, cells in read_table(path, LESSONS, LessonRow, problems)]
    if problems and not rows:
        raise CurateError(f"{LESSONS} cannot be read ({problems[0]}); correct it before editing lessons here")
    return rows, _hash_of(path)


def merged(existing: list[dict[str, str]], draft: LessonDraft) -> list[dict[str, str]]:
    """The file's rows with the draft's in place of the lesson it edits (at the first of its old rows), or at the end."""
    out: list[dict[str, str]] = []
    placed = False
    old_ids = {draft.original_id} if draft.original_id else set()
    for row in existing:
        if row.get("lesson_id", "").strip() in old_ids:
            if not placed:
                out += draft.rows()
                placed = True
            continue
        out.append({k: row.get(k, "") for k in COLUMNS})
    if not placed:
        out += draft.rows()
    return out


def check(draft: LessonDraft, existing: list[dict[str, str]], chron: Chronology) -> list[Problem]:
    """Every problem the file would have once the draft is saved, those of the draft's own rows first."""
    problems: list[Problem] = []
    if not draft.steps:
        problems.append(Problem(LESSONS, "the lesson has no steps", "add a step from the event list, a question or a text"))
    taken = {r.get("lesson_id", "").strip() for r in existing} - ({draft.original_id} if draft.original_id else set())
    if draft.lesson_id in taken:
        problems.append(Problem(LESSONS, f'lesson id "{draft.lesson_id}" is already used by another lesson',
                                "give the lesson its own id", column="lesson_id"))
    rows = merged(existing, draft)
    numbered = list(enumerate(rows, start=2))
    found: list[Problem] = []
    lessons_from_rows(numbered, chron, set(chron.by_id), found)
    mine = {n for n, r in numbered if r["lesson_id"] == draft.lesson_id}
    problems += [p for p in found if p.row in mine] + [p for p in found if p.row not in mine]
    return problems


def to_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.get(k, "") for k in COLUMNS])
    return buffer.getvalue().encode("utf-8")


@dataclass(frozen=True)
class SavedLesson:
    lesson_id: str
    steps: int
    first_row: int
    backup: Path | None


def save_lesson(folder: str | Path, draft: LessonDraft, read_hash: str | None, chron: Chronology) -> SavedLesson:
    """Write the draft into lessons.csv (see the module's docstring); CurateError says why when it cannot."""
    folder = Path(folder)
    path = folder / LESSONS
    with _locked(path):
        if _hash_of(path) != read_hash:
            raise StaleTables(f"{LESSONS} changed on disk since the editor read it (someone else saved, or a "
                              "spreadsheet did); nothing was written. Reload the lessons, then make your changes again")
        existing, _ = read_rows(folder)
        if draft.original_id is None and draft.lesson_id in {r.get("lesson_id", "").strip() for r in existing}:
            raise DuplicateId(f'lesson id "{draft.lesson_id}" is already used in {LESSONS}; give the new lesson its own id; '
                              "nothing was written")
        problems = check(draft, existing, chron)
        if problems:
            raise CurateError(f"the lesson is not saved: {problems[0]}")
        rows = merged(existing, draft)
        old = path.read_bytes() if path.exists() else None
        try:
            if old is not None:
                atomic_write(backup_path(path), old)
            atomic_write(path, to_csv(rows))
        except OSError as err:
            raise CurateError(f"could not write {path} ({err.strerror or err}); nothing was changed") from err
    first = next(i for i, r in enumerate(rows, start=2) if r["lesson_id"] == draft.lesson_id)
    return SavedLesson(draft.lesson_id, len(draft.steps), first, backup_path(path) if old is not None else None)


def preview_lesson(draft: LessonDraft, chron: Chronology) -> Lesson | None:
    """The draft as a Lesson, as Present would play it, or None while it has problems of its own."""
    found: list[Problem] = []
    lessons = lessons_from_rows(list(enumerate(draft.rows(), start=2)), chron, set(chron.by_id), found)
    return lessons[0] if lessons and not found else None


def outlets_reporting(chron: Chronology, event_id: str) -> list[str]:
    """The outlets that report an event (the choices for a step's outlets), earliest article first."""
    return list(dict.fromkeys(p.source.outlet for p in chron.passages_for(event_id)))

