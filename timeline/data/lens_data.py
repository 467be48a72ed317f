"""The source lens's own tables: relations between events and the figures the articles cite.

Both files are optional: a data folder without them has no relations and no figures.
When present they are validated like the other tables, and every problem names its file,
row, column and fix.

relations.csv — one row per pair of events whose sources disagree or respond:
  from_event, to_event, relation (disputes | supports | responds-to), note,
  and optionally source_id + quote, when an article itself states the link ("In response, …").
  Without them the relation is the editors' pairing, backed by the citations of its two events.
  "A disputes B" and "A supports B" say nothing about who is right; "A responds-to B" means
  A answers or follows B, so A may not be dated before B.

figures.csv — one row per number an article cites:
  id, measure (what it counts), value (as the article words it), unit, period, source_id,
  attributed_to (whom the article credits), quote (verbatim, with the value in it),
  event_id (optional), note.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from timeline.data.anchor import closest_passage, locate, normalise
from timeline.data.tables import TableCount, _unknown_ref, read_table, validate_row
from timeline.data.lens_rows import (RELATION_LABELS, SYMMETRIC, Figure, FigureRow, Link, Relation, RelationKind,  # noqa: F401
                        RelationRow)
from timeline.data.models import Source
from timeline.data.problems import Problem

if TYPE_CHECKING:
    from timeline.data.chronology import Chronology

RELATIONS = "relations.csv"
FIGURES = "figures.csv"


def _fold(text: str) -> str:
    return normalise(text)[0].casefold()


def _quote_link(label: str, number: int, source_id: str, quote: str, sources: dict[str, Source],
                problems: list[Problem]) -> Link | None:
    """The quote located in its article, or None after one problem (unknown source, or not found)."""
    source = sources.get(source_id)
    if source is None:
        msg, fix = _unknown_ref(source_id, sources, "readable source in seeds/sources.csv", "seeds/sources.csv")
        problems.append(Problem(label, msg, fix, row=number, column="source_id"))
        return None
    anchor = locate(quote, source.text)
    if anchor is None:
        near, _ = closest_passage(quote, source.text)
        problems.append(Problem(label, f"the quote is not in seeds/{source.file}",
                                f'copy it verbatim from the article; the closest passage is "{near}"', row=number, column="quote"))
        return None
    return Link(source, anchor)


def read_lens(folder: Path, chronology: Chronology, event_rows: set[str], problems: list[Problem],
              counts: dict[str, TableCount]) -> None:
    """Read relations.csv and figures.csv if present, into chronology.relations and chronology.figures.

    `event_rows` holds every id in events.csv, rejected rows included: a reference to an
    event that was rejected is dropped without a second message (its problem is listed already).
    """
    if (folder / RELATIONS).exists():
        chronology.relations = _read_relations(folder, chronology, event_rows, problems, counts)
    if (folder / FIGURES).exists():
        chronology.figures = _read_figures(folder, chronology, event_rows, problems, counts)


def _rows(folder: Path, name: str, model: type, problems: list[Problem], counts: dict[str, TableCount]):
    rows = read_table(folder / name, name, model, problems)
    counts[name] = TableCount(read=len(rows))
    for number, cells in rows:
        item = validate_row(model, cells, name, number, problems)
        if item is not None:
            yield number, item


def _event_ref(label: str, number: int, column: str, event_id: str, chronology: Chronology, event_rows: set[str],
               problems: list[Problem]) -> bool:
    """Whether the event can be linked to; reports ids that events.csv does not have."""
    if event_id in chronology.by_id:
        return True
    if event_id not in event_rows:
        msg, fix = _unknown_ref(event_id, chronology.by_id.keys() | event_rows, "event in events.csv", "events.csv")
        problems.append(Problem(label, msg, fix, row=number, column=column))
    return False


def _read_relations(folder: Path, chronology: Chronology, event_rows: set[str], problems: list[Problem],
                    counts: dict[str, TableCount]) -> list[RelationRow]:
    out: list[RelationRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for number, rel in _rows(folder, RELATIONS, Relation, problems, counts):
        ok = all([_event_ref(RELATIONS, number, col, getattr(rel, col), chronology, event_rows, problems)
                  for col in ("from_event", "to_event")])
        if rel.key in seen:
            problems.append(Problem(RELATIONS, f"the same relation is already on row {seen[rel.key]}",
                                    "delete this row, or merge its note into that row", row=number, column="to_event"))
            continue
        seen[rel.key] = number
        link = _quote_link(RELATIONS, number, rel.source_id, rel.quote, chronology.sources, problems) if rel.quote else None
        if (rel.quote and link is None) or not ok:
            continue
        if rel.relation is RelationKind.responds_to:
            answer, cause = chronology.by_id[rel.from_event], chronology.by_id[rel.to_event]
            latest, earliest = answer.possible_days[1], cause.possible_days[0]
            if latest is not None and earliest is not None and latest < earliest:
                problems.append(Problem(
                    RELATIONS, f'"{answer.id}" ({answer.date_label}) is dated before "{cause.id}" ({cause.date_label}), '
                               "which it is said to respond to",
                    "swap from_event and to_event (from_event is the response), or correct a date", row=number, column="relation"))
                continue
        out.append(RelationRow(rel, link))
    counts[RELATIONS].kept = len(out)
    return out


def _read_figures(folder: Path, chronology: Chronology, event_rows: set[str], problems: list[Problem],
                  counts: dict[str, TableCount]) -> list[FigureRow]:
    out: list[FigureRow] = []
    first: dict[str, int] = {}
    for number, fig in _rows(folder, FIGURES, Figure, problems, counts):
        if fig.id in first:
            problems.append(Problem(FIGURES, f'id "{fig.id}" is already used on row {first[fig.id]}',
                                    "give each row its own id, or merge the two rows", row=number, column="id"))
            continue
        first[fig.id] = number
        value_ok = _fold(fig.value) in _fold(fig.quote)  # checked apart from the quote, so both problems are listed
        if not value_ok:
            problems.append(Problem(FIGURES, f'the value "{fig.value}" is not in the quote',
                                    "copy the value from the quote, worded exactly as there", row=number, column="value"))
        link = _quote_link(FIGURES, number, fig.source_id, fig.quote, chronology.sources, problems)
        if not value_ok:
            link = None
        if fig.event_id and not _event_ref(FIGURES, number, "event_id", fig.event_id, chronology, event_rows, problems):
            if fig.event_id not in event_rows:
                continue
            fig = fig.model_copy(update={"event_id": ""})  # its event was rejected (and reported): keep the figure unlinked
        if link is None:
            continue
        out.append(FigureRow(fig, link))
    counts[FIGURES].kept = len(out)
    return out
