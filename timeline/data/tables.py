"""Reading one CSV table of a data folder: text, rows, cells checked against a model, every problem collected.

The generic part of loading, shared by the main tables (timeline.data.load) and the source lens's optional ones
(timeline.data.lens_data).
"""
from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from timeline.data.problems import Problem

MAX_FILE_BYTES = 50 * 1024 * 1024
csv.field_size_limit(MAX_FILE_BYTES)  # a huge cell is one bad row, not an unreadable file
TOO_MANY = "\x00too-many-cells"  # marks a row already reported for its extra cells

@dataclass
class TableCount:
    """How many data rows of a table were read, and how many were kept."""

    read: int = 0
    kept: int = 0

    @property
    def rejected(self) -> int:
        return self.read - self.kept

def _columns(model: type[BaseModel]) -> tuple[list[str], list[str]]:
    names = [n for n, f in model.model_fields.items() if not f.exclude]
    required = [n for n in names if model.model_fields[n].is_required()]
    return required, names


def read_text(path: Path, label: str, problems: list[Problem]) -> str | None:
    """A file's text as UTF-8 (a BOM is fine); None with a problem when it cannot be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(label, "the file is missing", f"create {label} or point --data at the folder that has it"))
        return None
    except OSError as err:
        problems.append(Problem(label, f"the file cannot be read ({err.strerror})", "check that it is a readable file"))
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.append(Problem(label, f"the file has {len(data):,} bytes, more than the {MAX_FILE_BYTES:,} allowed",
                                "split the data or remove what is not needed"))
        return None
    if b"\x00" in data[:4096]:
        problems.append(Problem(label, "the file is not text (it contains NUL bytes)",
                                "save it as CSV UTF-8 text, not as a spreadsheet workbook"))
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        problems.append(Problem(label, f"the file is not UTF-8 text (byte 0x{data[err.start]:02x} on line {line})",
                                'save it as "CSV UTF-8" in your spreadsheet, or re-encode it as UTF-8'))
        return None


_OTHER_LINE_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines ends a line, and CSV does not


def _lines(text: str) -> Iterable[str]:
    """The lines of a file's text, line ends kept, as io.StringIO(text, newline="") gives them to csv.reader:
    str.splitlines does the same, quicker and in less memory (StringIO holds 4 bytes a character), unless
    the text holds one of the few other characters it ends a line at."""
    if any(c in text for c in _OTHER_LINE_BREAKS):
        return io.StringIO(text, newline="")
    return text.splitlines(keepends=True)


Row = tuple[int, list[str] | dict[str, str]]  # (spreadsheet row number, cells): see _read_rows


def read_table(path: Path, label: str, model: type[BaseModel], problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV table as (spreadsheet row number, cells by column)."""
    header, rows = _read_rows(path, label, model, problems)
    return [(number, _by_column(header, cells)) for number, cells in rows]


def _by_column(header: list[str], cells: list[str] | dict[str, str]) -> dict[str, str]:
    return dict(zip(header, cells)) if isinstance(cells, list) else cells


def _read_rows(path: Path, label: str, model: type[BaseModel], problems: list[Problem]) -> tuple[list[str], list[Row]]:
    """The header and the rows of a CSV table, as read_table gives them but for one thing: the cells of a row
    that lines up with the header (every column named, as many cells as columns) stay a list, in its order."""
    text = read_text(path, label, problems)
    if text is None:
        return [], []
    required, known = _columns(model)
    try:
        records = list(csv.reader(_lines(text)))
    except csv.Error as err:
        problems.append(Problem(label, f"the file is not valid CSV ({err})", "check its quotation marks"))
        return [], []
    if not records or not any(c.strip() for c in records[0]):
        problems.append(Problem(label, "the file has no header row", f"put the column names on row 1: {', '.join(known)}"))
        return [], []
    header = [h.strip().lstrip("\ufeff") for h in records[0]]
    if len(header) == 1 and header[0].count(";") >= 2:
        problems.append(Problem(label, "the columns are separated by semicolons, not commas",
                                'save it as "CSV UTF-8 (comma delimited)"', row=1))
        return [], []
    ok = True
    for name in required:
        if name not in header:
            problems.append(Problem(label, f"column {name} is missing", f"add a column named {name} to row 1", row=1))
            ok = False
    seen: set[str] = set()
    for pos, name in enumerate(header, start=1):
        if not name:
            if any(len(r) >= pos and r[pos - 1].strip() for r in records[1:]):
                problems.append(Problem(label, f"column {pos} has values but no name", f"name it one of: {', '.join(known)}", row=1))
                ok = False
            continue
        if name in seen:
            problems.append(Problem(label, f"column {name} appears twice", "delete one of the two columns", row=1, column=name))
            ok = False
        seen.add(name)
        if name not in known:
            hint = difflib.get_close_matches(name, known, n=1)
            fix = f'rename it to "{hint[0]}"' if hint else f"rename it to one of {', '.join(known)} or delete it"
            problems.append(Problem(label, f"unknown column {name}", fix, row=1, column=name))
            ok = False
    if not ok:
        return [], []
    plain = all(header)  # every column named: a row of the header's length is its cells as they are
    body = records[1:]
    if plain and set(map(len, body)) <= {len(header)} and "" not in map(str.strip, map(itemgetter(0), body)):
        return header, list(zip(range(2, len(records) + 1), body))  # the usual file: every row lined up, none blank
    rows: list[Row] = []
    for number, record in enumerate(body, start=2):
        if not "".join(record).strip():
            continue  # a blank line holds no data
        if plain and len(record) == len(header):
            rows.append((number, record))
            continue
        cells = {name: (record[i] if i < len(record) else "") for i, name in enumerate(header) if name}
        if len(record) > len(header) and any(c.strip() for c in record[len(header):]):
            problems.append(Problem(label, f"the row has {len(record)} cells but the header has {len(header)}",
                                    "put cells that contain commas in double quotes", row=number))
            cells = {**cells, TOO_MANY: ""}  # reported; validate_row rejects it without a second message
        rows.append((number, cells))
    return header, rows


def validate_row(model: type[BaseModel], cells: dict[str, str], label: str, number: int,
                 problems: list[Problem], context: dict[str, Any] | None = None) -> Any:
    """The row as a model, or None after adding one problem per bad cell."""
    if TOO_MANY in cells:
        return None
    values = {k: s for k, v in cells.items() if (s := v.strip())}
    try:
        return model.model_validate(values, context=context)
    except ValidationError as err:
        for e in err.errors():
            ctx = e.get("ctx") or {}
            column = str(e["loc"][0]) if e["loc"] else ctx.get("column") or None
            if e["type"] == "missing":
                problems.append(Problem(label, f"{column} is empty", f"fill in {column}", row=number, column=column))
            elif "fix" in ctx:
                problems.append(Problem(label, e["msg"], ctx["fix"], row=number, column=column))
            else:  # pydantic's own wording for what the models do not phrase themselves
                problems.append(Problem(label, e["msg"], "correct the value", row=number, column=column))
        return None


def validate_rows(model: type[BaseModel], header: list[str], rows: list[Row], label: str, problems: list[Problem],
                  context: dict[str, Any] | None = None) -> list[Any]:
    """validate_row for each row of _read_rows, in order, the same models and problems: the rows that
    line up with the header go to model.from_columns first, which checks them column by column and
    builds the plainly valid ones in bulk; every other row is validated by itself."""
    items: list[Any] = [None] * len(rows)
    lined_up = [i for i, (_, cells) in enumerate(rows) if isinstance(cells, list)]
    if lined_up:
        columns = {name: list(map(str.strip, column)) for name, column in zip(header, zip(*(rows[i][1] for i in lined_up)))}
        for i, item in zip(lined_up, model.from_columns(columns, context)):
            items[i] = item
    for i, (number, cells) in enumerate(rows):
        if items[i] is None:
            items[i] = validate_row(model, _by_column(header, cells), label, number, problems, context)
    return items


def _unique(items: list[tuple[int, Any]], key: str, label: str, problems: list[Problem]) -> list[tuple[int, Any]]:
    first: dict[str, int] = {}
    kept = []
    for number, item in items:
        value = getattr(item, key)
        if value in first:
            problems.append(Problem(label, f'{key} "{value}" is already used on row {first[value]}',
                                    "give each row its own id, or merge the two rows", row=number, column=key))
            continue
        first[value] = number
        kept.append((number, item))
    return kept


def _unknown_ref(value: str, known: Any, what: str, where: str) -> tuple[str, str]:
    hint = difflib.get_close_matches(value, list(known), n=1)
    fix = f'did you mean "{hint[0]}"?' if hint else f"use an id from {where}"
    return f'no {what} has the id "{value}"', fix
