"""Change, cite, delete: rewrite rows of the tables without touching the others.

A table is split into its CSV records with the bytes of each (`Table.of`): a record that is not changed is
written back as it was, byte for byte, and the file keeps its BOM, its line ending and whether it ends with one.
A changed record is written in the file's own column order; columns this tool does not know keep their values.

Every change is checked first with the loader's models and messages (file, row, column, fix), then written
through `curate.write_all`: the tables it changes are compared with the `Snapshot` taken when the page read them
(refused when one changed on disk), each is written atomically after a `.bak` of the old version, and the old
versions are kept for "Undo last save" (`curate.undo_last_save`).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from timeline.curation.curate import (CITATIONS, EVENTS, CurateError, DuplicateId, Snapshot, _check_fresh, _free_id, _locked,
                                      appended, check_quote, event_cells, header_of, stat_key, table_rows, write_all)
from timeline.data.chronology import Chronology
from timeline.data.load import validate_row
from timeline.data.models import Citation, Event, Source
from timeline.data.problems import Problem

RELATIONS = "relations.csv"
FIGURES = "figures.csv"
EDIT_TABLES = (EVENTS, CITATIONS, RELATIONS, FIGURES)  # what the edit pages read, and check before a save


class NothingChanged(CurateError):
    """Raised when a save would write the tables exactly as they are."""


@dataclass
class Table:
    """A CSV file as its header and records, each record with the exact text it was read from."""

    bom: bool
    newline: str
    final_newline: bool
    header: list[str]
    texts: list[str]  # the text of each record, its line end included (index 0: the header)
    cells: list[list[str]]
    _index: dict[str, dict[str, list[int]]] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, data: bytes, label: str) -> Table:
        header = header_of(data, label)  # a clear message for a file that is not UTF-8 or has no header
        text = data.decode("utf-8-sig")
        lines = io.StringIO(text, newline="")
        used: list[str] = []

        def feed():
            for line in lines:
                used.append(line)
                yield line

        texts, cells = [], []
        try:
            for record in csv.reader(feed()):  # csv.reader takes one line at a time: what it used is this record
                texts.append("".join(used))
                cells.append(record)
                used.clear()
        except csv.Error as err:
            raise CurateError(f"{label} is not valid CSV ({err}); check its quotation marks, nothing was written") from err
        if used:  # the text after the last record (nothing, normally)
            texts[-1] += "".join(used)
        first = data.find(b"\n")
        newline = "\r\n" if first > 0 and data[first - 1:first] == b"\r" else "\n"
        return cls(data.startswith(b"\xef\xbb\xbf"), newline, data.endswith(b"\n") or not data, header, texts, cells)

    def row(self, index: int) -> dict[str, str]:
        return {name: value for name, value in zip(self.header, self.cells[index])}

    def rows(self) -> list[tuple[int, dict[str, str]]]:
        """(index, cells by column) of every record after the header; the spreadsheet row is index + 1."""
        return [(i, self.row(i)) for i in range(1, len(self.cells))]

    def find(self, column: str, value: str) -> list[int]:
        """The indexes of the records whose column holds value (an index per column, built once)."""
        index = self._index.get(column)
        if index is None:
            index = self._index[column] = {}
            pos = self.header.index(column) if column in self.header else None
            for i in range(1, len(self.cells)):
                cells = self.cells[i]
                value_here = cells[pos].strip() if pos is not None and pos < len(cells) else ""
                index.setdefault(value_here, []).append(i)
        return list(index.get(value, []))

    def rewritten(self, changes: dict[int, dict[str, str] | None], label: str) -> bytes:
        """The file with some records replaced (index → new cells) or removed (index → None), every other
        record as it was read."""
        out = list(self.texts)
        for index, values in changes.items():
            if values is None:
                out[index] = ""
                continue
            unknown = [k for k, v in values.items() if v and k not in self.header]
            if unknown:
                raise CurateError(f"{label} has no column {unknown[0]}; add it to row 1 first")
            merged = {**self.row(index), **values}
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator=self.newline).writerow([merged.get(name, "") for name in self.header])
            ending = self.texts[index][len(self.texts[index].rstrip("\r\n")):]
            out[index] = buffer.getvalue()[:-len(self.newline)] + (ending or "")
        text = "".join(out)
        if text and not self.final_newline:
            text = text.rstrip("\r\n")
        elif text and self.final_newline and not text.endswith("\n"):
            text += self.newline  # the last record went: the one before it ends the file as the last one did
        return (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")


_PARSED: dict[str, tuple[tuple, bytes, Table]] = {}  # path → (stat_key, bytes, Table): the pages read on every rerun


def read_tables(folder: Path, names: tuple[str, ...], fresh: bool = True) -> tuple[dict[str, bytes], dict[str, Table]]:
    """The tables that exist, as bytes and as Tables. fresh=False may reuse a parse of an unchanged file (for
    showing); a save always reads the files again."""
    data, tables = {}, {}
    for name in names:
        path = folder / name
        key = stat_key(path)
        if key is None:
            continue
        cached = _PARSED.get(str(path))
        if not fresh and cached is not None and cached[0] == key:
            data[name], tables[name] = cached[1], cached[2]
            continue
        data[name] = path.read_bytes()
        tables[name] = Table.of(data[name], name)
        _PARSED[str(path)] = (key, data[name], tables[name])
        if len(_PARSED) > 16:
            _PARSED.pop(next(iter(_PARSED)))
    if EVENTS not in tables:
        raise CurateError(f"{EVENTS} is missing from {folder}; nothing was written")
    return data, tables


def _commit(folder: Path, snapshot: Snapshot | None, action: str, plan) -> Any:
    """Under the lock: check the snapshot, read the tables, let plan(tables) say the new bytes, write them."""
    with _locked(folder / EVENTS):
        _check_fresh(snapshot, list(EDIT_TABLES))
        old, tables = read_tables(folder, EDIT_TABLES)
        new, result = plan(tables)
        new = {name: data for name, data in new.items() if data != old[name]}
        if not new:
            raise NothingChanged("the tables already say this, so nothing was written")
        write_all(folder, {name: old[name] for name in new}, new, action)
        return result


def _one(table: Table, column: str, value: str, label: str) -> int:
    found = table.find(column, value)
    if not found:
        raise CurateError(f'there is no event "{value}" in {label} any more; reload the tables')
    return found[0]


# --- checking --------------------------------------------------------------------------------------

@dataclass
class Checked:
    event: Event | None
    problems: list[Problem]
    row: int

    @property
    def ok(self) -> bool:
        return self.event is not None and not self.problems


def check_event(cells: dict[str, Any], original_id: str, chronology: Chronology, folder: str | Path) -> Checked:
    """An edited event's fields as an Event, with every problem in validate's words, on the event's own row."""
    ids, _ = table_rows(folder, EVENTS)
    row = ids.get(original_id, 0)
    values = {k: ";".join(v) if isinstance(v, (list, tuple)) else ("" if v is None else str(v)) for k, v in cells.items()}
    vocab = chronology.vocabulary
    context = {k: set(v) for k, v in vocab.items()} if any(vocab.values()) else None
    problems: list[Problem] = []
    event = validate_row(Event, values, EVENTS, row, problems, context)
    new_id = values.get("id", "").strip()
    if new_id and new_id != original_id and new_id in ids:
        problems.append(Problem(EVENTS, f'id "{new_id}" is already used on row {ids[new_id]}',
                                f"give the event its own id, e.g. {_free_id(new_id, ids)}", row=row, column="id"))
        event = None
    return Checked(event, problems, row)


def check_citation(event_id: str, source: Source | None, quote: str, folder: str | Path) -> tuple[Citation | None, list[Problem]]:
    """A new citation: the source chosen and the quote verbatim in it, in validate's words."""
    problems: list[Problem] = []
    _, row = table_rows(folder, CITATIONS)
    if source is None:
        problems.append(Problem(CITATIONS, "no source is chosen", "pick the article the passage comes from", row=row, column="source_id"))
        return None, problems
    citation, _ = check_quote(event_id, quote, source, row, problems)
    return citation, problems


# --- changes ---------------------------------------------------------------------------------------

def update_event(folder: str | Path, original_id: str, event: Event, snapshot: Snapshot | None) -> int:
    """Rewrite one event's row; a changed id is changed in its citations, relations and figures too.
    Returns the event's row number."""
    folder = Path(folder)

    def plan(tables: dict[str, Table]):
        events = tables[EVENTS]
        index = _one(events, "id", original_id, EVENTS)
        new = {EVENTS: events.rewritten({index: event_cells(event)}, EVENTS)}
        if event.id != original_id:
            taken = events.find("id", event.id)
            if taken:
                raise DuplicateId(f'id "{event.id}" is already used on row {taken[0] + 1} of {EVENTS}; nothing was written')
            for name, columns in ((CITATIONS, ("event_id",)), (RELATIONS, ("from_event", "to_event")), (FIGURES, ("event_id",))):
                if name in tables:
                    t = tables[name]
                    changes = {i: {c: event.id for c in columns if row.get(c, "").strip() == original_id}
                               for i, row in t.rows() if any(row.get(c, "").strip() == original_id for c in columns)}
                    new[name] = t.rewritten(changes, name)
        return new, index + 1

    return _commit(folder, snapshot, f"changed event {event.id}", plan)


def add_citation(folder: str | Path, citation: Citation, snapshot: Snapshot | None) -> int:
    """Add a citation row after the event's last one (or at the end); returns its row number."""
    folder = Path(folder)
    cells = {"event_id": citation.event_id, "source_id": citation.source_id, "quote": citation.quote}

    def plan(tables: dict[str, Table]):
        _one(tables[EVENTS], "id", citation.event_id, EVENTS)
        t = tables[CITATIONS]
        if any(r.get("event_id", "").strip() == citation.event_id and r.get("source_id", "").strip() == citation.source_id
               and r.get("quote", "") == citation.quote for _, r in t.rows()):
            raise CurateError(f'event "{citation.event_id}" already cites this passage; nothing was written')
        return {CITATIONS: appended(t.rewritten({}, CITATIONS), [cells], CITATIONS)}, len(t.cells) + 1

    return _commit(folder, snapshot, f"added a citation to {citation.event_id}", plan)


def remove_citation(folder: str | Path, event_id: str, row: int, snapshot: Snapshot | None) -> None:
    """Remove the citation on spreadsheet row `row` of citations.csv; an event keeps at least one."""
    folder = Path(folder)

    def plan(tables: dict[str, Table]):
        t = tables[CITATIONS]
        mine = t.find("event_id", event_id)
        if row - 1 not in mine:
            raise CurateError(f'row {row} of {CITATIONS} is not a citation of "{event_id}" any more; reload the tables')
        if len(mine) == 1:
            raise CurateError(f'this is the only citation of "{event_id}": add another passage first, or delete the event')
        return {CITATIONS: t.rewritten({row - 1: None}, CITATIONS)}, None

    _commit(folder, snapshot, f"removed a citation of {event_id}", plan)


@dataclass
class Attached:
    """What goes with an event when it is deleted."""

    citations: list[tuple[int, dict[str, str]]] = field(default_factory=list)   # (row, cells)
    relations: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    figures: list[tuple[int, dict[str, str]]] = field(default_factory=list)     # kept, their event_id emptied


def attached(folder: str | Path, event_id: str) -> Attached:
    _, tables = read_tables(Path(folder), EDIT_TABLES, fresh=False)
    return _attached(tables, event_id)


def _attached(tables: dict[str, Table], event_id: str) -> Attached:
    out = Attached()
    for name, columns, into in ((CITATIONS, ("event_id",), out.citations), (RELATIONS, ("from_event", "to_event"), out.relations),
                                (FIGURES, ("event_id",), out.figures)):
        if name in tables:
            t = tables[name]
            found = sorted({i for c in columns for i in t.find(c, event_id)})
            into.extend((i + 1, t.row(i)) for i in found)
    return out


def delete_event(folder: str | Path, event_id: str, snapshot: Snapshot | None) -> Attached:
    """Delete an event's row with its citations and relations. A figure that named it stays, unlinked (its
    own quote and source still stand). Returns what went with it."""
    folder = Path(folder)

    def plan(tables: dict[str, Table]):
        index = _one(tables[EVENTS], "id", event_id, EVENTS)
        gone = _attached(tables, event_id)
        new = {EVENTS: tables[EVENTS].rewritten({index: None}, EVENTS),
               CITATIONS: tables[CITATIONS].rewritten({r - 1: None for r, _ in gone.citations}, CITATIONS)}
        if RELATIONS in tables:
            new[RELATIONS] = tables[RELATIONS].rewritten({r - 1: None for r, _ in gone.relations}, RELATIONS)
        if FIGURES in tables and gone.figures:
            new[FIGURES] = tables[FIGURES].rewritten({r - 1: {"event_id": ""} for r, _ in gone.figures}, FIGURES)
        return new, gone

    return _commit(folder, snapshot, f"deleted event {event_id}", plan)
