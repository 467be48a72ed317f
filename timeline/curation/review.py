"""The review queue: candidate events in review/*.csv, and what a person decided about each.

A sheet is what `suggest --write` writes (the columns of events.csv plus source_id, quote and reasoning);
sheets from other tools may leave source_id and quote blank, and such a candidate waits until a passage from
an article is attached. The sheets themselves are never changed: each decision (accepted as event X, merged into
event X, dismissed) is a row of review/decisions.csv, written atomically, and the queue is what has no decision.
"""
from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from timeline.curation.curate import CurateError, _locked, atomic_write, last_save, last_save_notes, note_on_last_save, undo_last_save

REVIEW = "review"
DECISIONS = "decisions.csv"
DECISION_COLUMNS = ("sheet", "candidate", "decision", "event_id")
DECISIONS_MADE = ("accepted", "merged", "dismissed")
FIELDS = ("id", "title", "label", "start", "end", "date_certainty", "date_note", "kind", "category", "actors", "summary", "claimed_by")


@dataclass(frozen=True)
class Candidate:
    """One row of a review sheet."""

    sheet: str        # the file name, e.g. city-herald.csv
    key: str          # the row's id, or "row N" when it has none
    row: int          # spreadsheet row (header: row 1)
    cells: dict[str, str]

    @property
    def source_id(self) -> str:
        return self.cells.get("source_id", "").strip()

    @property
    def quote(self) -> str:
        return self.cells.get("quote", "")

    @property
    def has_passage(self) -> bool:
        return bool(self.source_id and self.quote.strip())

    @property
    def fields(self) -> dict[str, str]:
        """The event's fields as the sheet gives them (actors as a list)."""
        return {name: self.cells.get(name, "") for name in FIELDS}


@dataclass
class Queue:
    left: list[Candidate]
    decided: dict[tuple[str, str], tuple[str, str]]  # (sheet, key) → (decision, event_id)
    problems: list[str]
    total: int

    def per_sheet(self) -> dict[str, list[Candidate]]:
        out: dict[str, list[Candidate]] = {}
        for c in self.left:
            out.setdefault(c.sheet, []).append(c)
        return out


def _decode(path: Path) -> str:
    return path.read_bytes().decode("utf-8-sig")


def read_sheet(path: Path) -> tuple[list[Candidate], list[str]]:
    """A review sheet's rows; a problem (not UTF-8, not CSV, no header) is a message naming the file and the fix."""
    label = f"{REVIEW}/{path.name}"
    try:
        records = list(csv.reader(io.StringIO(_decode(path), newline="")))
    except UnicodeDecodeError:
        return [], [f'{label}: the file is not UTF-8 text. Fix: save it as "CSV UTF-8".']
    except csv.Error as err:
        return [], [f"{label}: the file is not valid CSV ({err}). Fix: check its quotation marks."]
    if not records or not any(c.strip() for c in records[0]):
        return [], [f"{label}: the file has no header row. Fix: put the column names on row 1."]
    header = [h.strip() for h in records[0]]
    out, seen = [], set()
    for number, record in enumerate(records[1:], start=2):
        if not any(c.strip() for c in record):
            continue  # a blank line holds no candidate
        cells = dict(zip(header, record))
        key = cells.get("id", "").strip() or f"row {number}"
        if key in seen:
            key = f"{key} (row {number})"
        seen.add(key)
        out.append(Candidate(path.name, key, number, cells))
    return out, []


def read_decisions(folder: Path) -> dict[tuple[str, str], tuple[str, str]]:
    path = folder / REVIEW / DECISIONS
    try:
        rows = list(csv.DictReader(io.StringIO(_decode(path), newline="")))
    except (OSError, UnicodeDecodeError, csv.Error):
        return {}
    return {(r.get("sheet", ""), r.get("candidate", "")): (r.get("decision", ""), r.get("event_id", "") or "") for r in rows}


def review_queue(folder: str | Path) -> Queue:
    """Every sheet's candidates that have no decision yet, sheet by sheet, in file order."""
    folder = Path(folder)
    decided = read_decisions(folder)
    left, problems, total = [], [], 0
    for path in sorted((folder / REVIEW).glob("*.csv")):
        if path.name == DECISIONS:
            continue
        rows, trouble = read_sheet(path)
        problems += trouble
        total += len(rows)
        left += [c for c in rows if (c.sheet, c.key) not in decided]
    return Queue(left, decided, problems, total)


def decide(folder: str | Path, candidate: Candidate, decision: str, event_id: str = "", settled_by_last_save: bool = False) -> None:
    """Remember a decision: one row added to review/decisions.csv (written whole, atomically). With
    settled_by_last_save, the decision is tied to the last save, so that undoing it puts the candidate back."""
    if decision not in DECISIONS_MADE:
        raise CurateError(f"{decision} is not a decision; use one of {', '.join(DECISIONS_MADE)}")
    folder = Path(folder)
    path = folder / REVIEW / DECISIONS
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        old = path.read_bytes() if path.exists() else b""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        if not old:
            writer.writerow(DECISION_COLUMNS)
        elif not old.endswith(b"\n"):
            buffer.write("\n")
        writer.writerow([candidate.sheet, candidate.key, decision, event_id])
        atomic_write(path, old + buffer.getvalue().encode("utf-8"))
    if settled_by_last_save:
        note_on_last_save(folder, last_save(folder) or "", "review", [candidate.sheet, candidate.key])


def forget(folder: str | Path, sheet: str, key: str) -> None:
    """Remove the decisions about one candidate, so that it is in the queue again (the file rewritten atomically)."""
    path = Path(folder) / REVIEW / DECISIONS
    with _locked(path):
        try:
            text = _decode(path)
        except (OSError, UnicodeDecodeError):
            return
        records = list(csv.reader(io.StringIO(text, newline="")))
        kept = [r for r in records[1:] if r[:2] != [sheet, key]]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([records[0], *kept] if records else [DECISION_COLUMNS])
        atomic_write(path, buffer.getvalue().encode("utf-8"))


def undo(folder: str | Path) -> str:
    """Undo the last save (curate.undo_last_save); a candidate that save accepted or merged is back in the queue."""
    tied = last_save_notes(folder).get("review")
    what = undo_last_save(folder)
    if isinstance(tied, list) and len(tied) == 2:
        forget(folder, str(tied[0]), str(tied[1]))
        what += f" (and {tied[1]} of review/{tied[0]} is back in the review queue)"
    return what


# --- the command line ------------------------------------------------------------------------------

def command_review(args) -> int:
    """`python -m timeline review`: what is left in the queue, sheet by sheet."""
    queue = review_queue(args.data)
    for problem in queue.problems:
        print(f"Error: {problem}", file=sys.stderr)
    print(f"{len(queue.left)} candidate(s) left of {queue.total} in {args.data / REVIEW}; "
          f"{len(queue.decided)} decided (review/{DECISIONS}).")
    for sheet, candidates in queue.per_sheet().items():
        print(f"\nreview/{sheet}: {len(candidates)} left")
        for c in candidates:
            date = c.cells.get("start", "") or "no date"
            what = f"“{c.quote.strip()[:90]}”" if c.has_passage else "no passage yet: attach one in the app (Review page)"
            where = c.key if c.key == f"row {c.row}" else f"{c.key} (row {c.row})"
            print(f"  {where}, {date}: {what}")
    if queue.left:
        print("\nAccept, merge or dismiss them on the app's Review page.")
    return 1 if queue.problems else 0


def command_undo(args) -> int:
    """`python -m timeline undo`: put the tables back as they were before the app's last save."""
    try:
        what = undo(args.data)
    except CurateError as err:
        print(f"Error: not undone: {err}.", file=sys.stderr)
        return 1
    print(f"Undone: {what}.")
    return 0
