"""Read a data folder into a validated chronology, collecting every problem."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from timeline.data.anchor import Anchor, closest_passage, locate
from timeline.data.chronology import Chronology, Passage
from timeline.data.lens_data import read_lens  # relations.csv and figures.csv, both optional
from timeline.data.lessons import LESSONS, read_lessons  # lessons.csv, optional
from timeline.data.perf import long_lived
from timeline.data.models import Citation, Event, Source, VocabularyEntry
from timeline.data.problems import DataError, Problem
from timeline.data.tables import (MAX_FILE_BYTES, TableCount, _by_column, _read_rows, _unique, _unknown_ref, read_table,  # noqa: F401
                     read_text, validate_row, validate_rows)  # read_table, validate_row, MAX_FILE_BYTES: for curation
from timeline.data.story import STORY, read_story

ROOT = Path(__file__).resolve().parents[2]
EVENTS = "events.csv"
CITATIONS = "citations.csv"
VOCABULARY = "vocabulary.csv"
SOURCES = "seeds/sources.csv"
MAX_HINTS = 50  # closest-passage hints computed per load

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
    read_lens(folder, chronology, set(events) | rejected_ids.get(EVENTS, set()), problems, counts)
    chronology.lessons = read_lessons(folder, chronology, set(events) | rejected_ids.get(EVENTS, set()), problems, counts)
    return LoadResult(chronology, problems, counts, notices)


def data_files(folder: str | Path = ROOT) -> list[Path]:
    """Every file a data folder's chronology is read from (some may be missing)."""
    folder = Path(folder)
    paths = [folder / n for n in (STORY, EVENTS, CITATIONS, VOCABULARY, SOURCES, "relations.csv", "figures.csv", LESSONS)]
    seeds = folder / "seeds"
    if seeds.is_dir():  # os.scandir: thousands of articles are listed without a Path object each
        paths += [seeds / name for name in sorted(e.name for e in os.scandir(seeds) if os.path.splitext(e.name)[1] != ".csv")]
    return paths


def fingerprint(folder: str | Path = ROOT, paths: list[Path] | None = None) -> tuple:
    """Cheap identity of a data folder's files (names, sizes, modification times): a stat of each, no reading."""
    out = []
    stat = os.stat  # on the path's text: a Path's own stat() costs as much again, for thousands of articles
    for p in data_files(folder) if paths is None else paths:
        try:
            st = stat(str(p))
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
