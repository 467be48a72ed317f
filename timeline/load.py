"""Read a data folder into a validated chronology, collecting every problem."""
from __future__ import annotations

import csv
import difflib
import io
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .anchor import Anchor, closest_passage, locate
from .chronology import Chronology, Passage
from .perf import long_lived
from .models import Citation, Event, Source, VocabularyEntry
from .problems import DataError, Problem
from .story import STORY, read_story

ROOT = Path(__file__).resolve().parent.parent
EVENTS = "events.csv"
CITATIONS = "citations.csv"
VOCABULARY = "vocabulary.csv"
SOURCES = "seeds/sources.csv"
MAX_FILE_BYTES = 50 * 1024 * 1024
csv.field_size_limit(MAX_FILE_BYTES)  # a huge cell is one bad row, not an unreadable file
MAX_HINTS = 50  # closest-passage hints computed per load
TOO_MANY = "\x00too-many-cells"  # marks a row already reported for its extra cells


@dataclass
class TableCount:
    """How many data rows of a table were read, and how many were kept."""

    read: int = 0
    kept: int = 0

    @property
    def rejected(self) -> int:
        return self.read - self.kept


@dataclass
class LoadResult:
    """What a data folder gave: the valid part, every problem, and the counts."""

    chronology: Chronology
    problems: list[Problem]
    counts: dict[str, TableCount] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # not problems: e.g. story.toml missing, defaults used

    @property
    def ok(self) -> bool:
        return not self.problems


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


def _locate_quotes(citations: list[Citation], sources: dict[str, Source]) -> list[Anchor | None]:
    """locate() of each citation's quote in its article, None where the article is not in `sources`.

    The quotes are looked for article by article, so that each article's text stays in the
    processor's cache while its quotes are looked for (a third quicker than in table order).
    """
    by_source: dict[str, list[tuple[int, str]]] = {}
    for i, c in enumerate(citations):
        quotes = by_source.get(c.source_id)
        if quotes is None:
            by_source[c.source_id] = [(i, c.quote)]
        else:
            quotes.append((i, c.quote))
    anchors: list[Anchor | None] = [None] * len(citations)
    for source_id, quotes in by_source.items():
        source = sources.get(source_id)
        if source is not None:
            text = source.text
            for i, quote in quotes:
                anchors[i] = locate(quote, text)
    return anchors


def read_data(folder: str | Path = ROOT) -> LoadResult:
    """Everything valid in a data folder, and every problem found in it."""
    with long_lived():
        return _read_data(folder)


def _read_data(folder: str | Path) -> LoadResult:
    folder = Path(folder)
    problems: list[Problem] = []
    counts: dict[str, TableCount] = {}

    rejected_ids: dict[str, set[str]] = {}
    notices: list[str] = []
    story = read_story(folder, problems, notices)

    def table(name: str, model: type[BaseModel], context: dict[str, Any] | None = None) -> list[tuple[int, Any]]:
        header, rows = _read_rows(folder / name, name, model, problems)
        count = counts[name] = TableCount(read=len(rows))
        out = []
        for (number, cells), item in zip(rows, validate_rows(model, header, rows, name, problems, context)):
            if item is not None:
                out.append((number, item))
            else:
                rejected_ids.setdefault(name, set()).add(_by_column(header, cells).get("id", "").strip())
        count.kept = len(out)
        return out

    vocab_rows = table(VOCABULARY, VocabularyEntry)
    vocabulary: dict[str, dict[str, VocabularyEntry]] = {"category": {}, "actor": {}}
    for number, entry in vocab_rows:
        if entry.value in vocabulary[entry.field]:
            problems.append(Problem(VOCABULARY, f'{entry.field} "{entry.value}" is listed twice', "delete one of the rows",
                                    row=number, column="value"))
            counts[VOCABULARY].kept -= 1
            continue  # the first row stands
        vocabulary[entry.field][entry.value] = entry
    context = {k: set(v) for k, v in vocabulary.items()} if counts[VOCABULARY].read else None

    sources: dict[str, Source] = {}
    source_rows = table(SOURCES, Source)
    for number, source in _unique(source_rows, "id", SOURCES, problems):
        path = folder / "seeds" / source.file
        if Path(source.file).name != source.file:
            problems.append(Problem(SOURCES, f'"{source.file}" is not a plain file name', "name a file inside seeds/, without folders",
                                    row=number, column="file"))
            continue
        if not path.is_file():
            problems.append(Problem(SOURCES, f"seeds/{source.file} does not exist", "copy the article into seeds/ or correct the file name",
                                    row=number, column="file"))
            continue
        text = read_text(path, f"seeds/{source.file}", problems)
        if text is None:
            continue
        sources[source.id] = source.model_copy(update={"text": text.replace("\r\n", "\n")})
    counts[SOURCES].kept = len(sources)

    events = dict((e.id, (n, e)) for n, e in _unique(table(EVENTS, Event, context), "id", EVENTS, problems))

    passages: list[Passage] = []
    seen_citations: dict[tuple[str, str, str], int] = {}
    cited: set[str] = set()
    hints = 0
    citation_rows = table(CITATIONS, Citation)
    attempted = {c.event_id for _, c in citation_rows}
    rejected_events = rejected_ids.get(EVENTS, set())
    for (number, c), anchor in zip(citation_rows, _locate_quotes([c for _, c in citation_rows], sources)):
        bad = False
        event_id, source_id, quote = c.event_id, c.source_id, c.quote
        if event_id in rejected_events:
            bad = True  # its event row is reported already; the quote is still checked below
        elif event_id not in events:
            msg, fix = _unknown_ref(event_id, events, "event in events.csv", "events.csv")
            problems.append(Problem(CITATIONS, msg, fix, row=number, column="event_id"))
            bad = True
        source = sources.get(source_id)
        if source is None:
            msg, fix = _unknown_ref(source_id, sources, "readable source in seeds/sources.csv", "seeds/sources.csv")
            problems.append(Problem(CITATIONS, msg, fix, row=number, column="source_id"))
            bad = True
        first = seen_citations.setdefault((event_id, source_id, quote), number)
        if first != number:
            problems.append(Problem(CITATIONS, f"the same citation is already on row {first}", "delete this row",
                                    row=number, column="quote"))
            bad = True
        if source is None:
            continue
        if anchor is None:
            hints += 1
            if hints <= MAX_HINTS:  # each hint scans the article; a table of bad quotes must not hang
                near, _ = closest_passage(c.quote, source.text)
                fix = f'copy it verbatim from the article; the closest passage is "{near}"'
            else:
                fix = "copy it verbatim from the article"
            problems.append(Problem(CITATIONS, f"the quote is not in seeds/{source.file}", fix, row=number, column="quote"))
            continue
        if bad:
            continue
        passages.append(Passage(c, source, anchor))
        cited.add(event_id)
    counts[CITATIONS].kept = len(passages)

    valid_events = []
    for event_id, (number, event) in events.items():
        if event_id in cited:
            valid_events.append(event)
        elif event_id not in attempted:
            problems.append(Problem(EVENTS, f'event "{event_id}" has no citation',
                                    f"add a row to {CITATIONS} with event_id {event_id}, a source_id and a verbatim quote",
                                    row=number, column="id"))
        else:
            problems.append(Problem(EVENTS, f'event "{event_id}" has no citation that could be verified',
                                    f"correct its rows in {CITATIONS} (see the problems listed there)", row=number, column="id"))
    counts[EVENTS].kept = len(valid_events)
    # every passage kept is of a cited event: its event was cited as it was kept
    chronology = Chronology(sources=sources, events=valid_events, passages=passages, vocabulary=vocabulary, story=story)
    from .lens_data import read_lens  # relations.csv and figures.csv, both optional
    read_lens(folder, chronology, set(events) | rejected_ids.get(EVENTS, set()), problems, counts)
    return LoadResult(chronology, problems, counts, notices)


def data_files(folder: str | Path = ROOT) -> list[Path]:
    """Every file a data folder's chronology is read from (some may be missing)."""
    folder = Path(folder)
    paths = [folder / n for n in (STORY, EVENTS, CITATIONS, VOCABULARY, SOURCES, "relations.csv", "figures.csv")]
    seeds = folder / "seeds"
    if seeds.is_dir():  # os.scandir: thousands of articles are listed without a Path object each
        paths += [seeds / name for name in sorted(e.name for e in os.scandir(seeds) if os.path.splitext(e.name)[1] != ".csv")]
    return paths


def fingerprint(folder: str | Path = ROOT, paths: list[Path] | None = None) -> tuple:
    """Cheap identity of a data folder's files (names, sizes, modification times): a stat of each, no reading."""
    out = []
    for p in data_files(folder) if paths is None else paths:
        try:
            st = p.stat()
            out.append((p.name, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((p.name, None, None))
    return tuple(out)


def content_digest(folder: str | Path = ROOT, paths: list[Path] | None = None) -> str:
    """A digest of what a data folder's files hold (their names relative to it and their bytes): the same for a
    copy of the folder, or a file saved again unchanged; different for any change of content."""
    folder = Path(folder)
    h = hashlib.blake2b(digest_size=20)
    for p in data_files(folder) if paths is None else paths:
        h.update(p.relative_to(folder).as_posix().encode() + b"\0")
        try:
            h.update(hashlib.blake2b(p.read_bytes(), digest_size=20).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()


def load_chronology(folder: str | Path = ROOT) -> Chronology:
    """The chronology of a data folder; DataError lists every problem if there are any."""
    result = read_data(folder)
    if result.problems:
        raise DataError(result.problems)
    return result.chronology
