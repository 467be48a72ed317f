"""Add an event and its citation to a data folder without losing anything.

Checking a new event goes through the loader's own models and messages (`validate_row`), so
the form says exactly what `python -m timeline validate` would. Saving appends the new rows'
bytes to events.csv and citations.csv:

- nothing else changes: the old bytes are a prefix of the new ones (a missing final newline
  is added first), in the file's own line ending (CRLF or LF), its BOM kept if it has one,
  the cells in the order of its header;
- each file is written to a temporary file in the same folder, fsynced, then moved over the
  old one with os.replace, after the old version is kept as `events.csv.bak` /
  `citations.csv.bak`; if the second file cannot be written, the first is put back;
- a save is refused when either table changed on disk since it was loaded (their SHA-256
  at load time is the `Snapshot`), and when the id is already in events.csv. An exclusive
  lock on events.csv makes two saves at once take turns, so the second one sees the first.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from timeline.data.anchor import Anchor, closest_passage, locate, sentence_bounds
from timeline.data.chronology import Chronology, Passage
from timeline.data.load import CITATIONS, EVENTS, read_table, validate_row
from timeline.data.models import Citation, Event, Source
from timeline.data.problems import Problem

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the hash check still guards each save
    fcntl = None  # type: ignore[assignment]

TABLES = (EVENTS, CITATIONS)


class CurateError(Exception):
    """Raised when a save cannot go ahead; the message says why and what to do."""


class StaleTables(CurateError):
    """Raised when a table changed on disk since it was loaded."""


class DuplicateId(CurateError):
    """Raised when the new event's id is already used in events.csv."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Snapshot:
    """The content hash of each table when it was loaded (None: the file did not exist)."""

    folder: Path
    hashes: tuple[tuple[str, str | None], ...]

    @classmethod
    def take(cls, folder: str | Path, names: tuple[str, ...] = TABLES) -> Snapshot:
        folder = Path(folder)
        return cls(folder, tuple((name, _hash_of(folder / name)) for name in names))

    def changed(self) -> list[str]:
        """The tables whose content is no longer what it was when the snapshot was taken."""
        return [name for name, h in self.hashes if _hash_of(self.folder / name) != h]


def _hash_of(path: Path) -> str | None:
    try:
        return digest(path.read_bytes())
    except FileNotFoundError:
        return None


# --- checking a new event --------------------------------------------------------------------------

@dataclass
class Draft:
    """A new event and its citation as the form gives them, checked like a row of the tables."""

    event: Event | None
    citation: Citation | None
    anchor: Anchor | None
    problems: list[Problem]
    event_row: int
    citation_row: int

    @property
    def ok(self) -> bool:
        return not self.problems and self.event is not None and self.citation is not None


def slugify(text: str, limit: int = 48) -> str:
    """An id from a title: "Ministers meet at the summit" → "ministers-meet-at-the-summit"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-")


@dataclass(frozen=True)
class Examples:
    """Placeholder examples for the forms, taken from the story itself, so a form speaks of the story it edits."""

    title: str = "Ministers meet at the summit"
    claimant: str = "the ministry's spokesperson"
    search: str = "meeting"


def examples(chronology: Chronology) -> Examples:
    """The latest short title, the latest claimant and the latest actor of the story, or generic examples for an
    empty one. Cheap at any size: it reads from the end of the events and stops at the first fit. Kept on the
    chronology (and so in the disk cache with it)."""
    kept = chronology.__dict__.get("_examples")
    if kept is None:
        kept = chronology.__dict__["_examples"] = _examples(chronology)
    return kept


def _examples(chronology: Chronology) -> Examples:
    base, events = Examples(), chronology.events
    title = next((e.title for e in reversed(events) if len(e.title) <= 60), base.title)
    claimant = next((e.claimed_by for e in reversed(events) if e.claimed_by and len(e.claimed_by) <= 40), base.claimant)
    actor = next((e.actors[0] for e in reversed(events) if e.actors), None)
    return Examples(title=title, claimant=claimant, search=chronology.label("actor", actor) if actor else base.search)


def stat_key(path: Path) -> tuple | None:
    """Which version of a file this is, as far as its metadata tells: an atomic save makes a new file (inode)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


_ROWS: dict[tuple, tuple[dict[str, int], int]] = {}  # (path, stat_key) → table_rows, for the last few files read


def table_rows(folder: str | Path, name: str) -> tuple[dict[str, int], int]:
    """The ids (or event_ids) already in a table with their rows, and the row a new line would get. Read again
    only when the file changes: the forms call this on every rerun, and validating 10,000 rows takes a second."""
    path = Path(folder) / name
    key = (str(path), stat_key(path))
    if key[1] is not None and key in _ROWS:
        return _ROWS[key]
    result = _table_rows(path, name)
    if key[1] is not None:
        if len(_ROWS) >= 8:
            _ROWS.pop(next(iter(_ROWS)))
        _ROWS[key] = result
    return result


def _table_rows(path: Path, name: str) -> tuple[dict[str, int], int]:
    model = Event if name == EVENTS else Citation
    key = "id" if name == EVENTS else "event_id"
    rows = read_table(path, name, model, [])
    ids: dict[str, int] = {}
    for number, cells in rows:
        ids.setdefault(cells.get(key, "").strip(), number)
    try:
        records = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    except (OSError, UnicodeDecodeError, csv.Error):
        records = []
    return ids, max(len(records), 1) + 1


def check_draft(cells: dict[str, Any], quote: str, source: Source | None, chronology: Chronology,
                folder: str | Path) -> Draft:
    """The form's values as an Event and a Citation, with every problem in validate's words."""
    problems: list[Problem] = []
    ids, event_row = table_rows(folder, EVENTS)
    _, citation_row = table_rows(folder, CITATIONS)
    values = {k: ";".join(v) if isinstance(v, (list, tuple)) else ("" if v is None else str(v)) for k, v in cells.items()}
    vocab = chronology.vocabulary
    context = {k: set(v) for k, v in vocab.items()} if any(vocab.values()) else None
    event = validate_row(Event, values, EVENTS, event_row, problems, context)
    new_id = values.get("id", "").strip()
    if new_id and new_id in ids:
        problems.append(Problem(EVENTS, f'id "{new_id}" is already used on row {ids[new_id]}',
                                f"give the new event its own id, e.g. {_free_id(new_id, ids)}", row=event_row, column="id"))
        event = None
    citation, anchor = None, None
    if source is None:
        problems.append(Problem(CITATIONS, "no source is chosen", "pick the article the passage comes from",
                                row=citation_row, column="source_id"))
    else:
        citation, anchor = check_quote(new_id or "new-event", quote, source, citation_row, problems)
    return Draft(event, citation, anchor, problems, event_row, citation_row)


def check_quote(event_id: str, quote: str, source: Source, row: int, problems: list[Problem]) -> tuple[Citation | None, Anchor | None]:
    """A citation of source for event_id, checked like a row of citations.csv, and where its quote is in the article."""
    citation = validate_row(Citation, {"event_id": event_id, "source_id": source.id, "quote": quote}, CITATIONS, row, problems)
    if citation is None:
        return None, None
    anchor = locate(citation.quote, source.text)
    if anchor is None:
        near, _ = closest_passage(citation.quote, source.text)
        problems.append(Problem(CITATIONS, f"the quote is not in seeds/{source.file}",
                                f'copy it verbatim from the article; the closest passage is "{near}"', row=row, column="quote"))
        return None, None
    return citation, anchor


def _free_id(base: str, taken: dict[str, int]) -> str:
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def sentences_with(text: str, term: str, limit: int = 60) -> list[tuple[int, int]]:
    """The sentences of text that contain term (any case, any run of whitespace), as (start, end)."""
    words = term.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    out: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        s, e = sentence_bounds(text, m.start(), m.end())
        while s < e and text[s].isspace():
            s += 1
        if (s, e) not in out:
            out.append((s, e))
        if len(out) >= limit:
            break
    return out


def with_event(chronology: Chronology, draft: Draft) -> Chronology:
    """The chronology plus the draft's event and passage, for a preview."""
    assert draft.ok and draft.anchor is not None
    source = chronology.sources[draft.citation.source_id]  # type: ignore[union-attr]
    passage = Passage(draft.citation, source, draft.anchor)  # type: ignore[arg-type]
    return Chronology(sources=chronology.sources, events=[*chronology.events, draft.event],  # type: ignore[list-item]
                      passages=[*chronology.passages, passage], vocabulary=chronology.vocabulary)


def event_cells(event: Event) -> dict[str, str]:
    """An Event as the cells of an events.csv row."""
    return {"id": event.id, "title": event.title, "label": event.label, "start": event.start.iso, "end": event.end.iso if event.end else "",
            "date_certainty": event.date_certainty.value, "date_note": event.date_note, "kind": event.kind.value,
            "category": event.category, "actors": ";".join(event.actors), "summary": event.summary,
            "claimed_by": event.claimed_by}


def citation_cells(citation: Citation) -> dict[str, str]:
    return {"event_id": citation.event_id, "source_id": citation.source_id, "quote": citation.quote}


# --- writing ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CsvFormat:
    """How an existing CSV file is written: BOM, line ending, whether it ends with one."""

    bom: bool
    newline: str
    final_newline: bool

    @classmethod
    def of(cls, data: bytes) -> CsvFormat:
        first = data.find(b"\n")
        crlf = first > 0 and data[first - 1:first] == b"\r"
        return cls(data.startswith(b"\xef\xbb\xbf"), "\r\n" if crlf else "\n", data.endswith(b"\n") or not data)


def header_of(data: bytes, label: str) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CurateError(f"{label} is not UTF-8 text, so new rows cannot be added safely; save it as \"CSV UTF-8\" first") from err
    first = next(csv.reader(io.StringIO(text, newline="")), [])
    header = [h.strip() for h in first]
    if not any(header):
        raise CurateError(f"{label} has no header row; put the column names on row 1 first")
    return header


def appended(data: bytes, rows: list[dict[str, str]], label: str) -> bytes:
    """The file's bytes with the rows added at the end, in its own format and column order."""
    header = header_of(data, label)
    fmt = CsvFormat.of(data)
    for row in rows:
        missing = [k for k, v in row.items() if v and k not in header]
        if missing:
            raise CurateError(f"{label} has no column {missing[0]}; add it to row 1 first")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=fmt.newline)
    for row in rows:
        writer.writerow([row.get(name, "") for name in header])
    lead = b"" if fmt.final_newline else fmt.newline.encode()
    return data + lead + buffer.getvalue().encode("utf-8")


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, fsync, then os.replace: all or nothing."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):  # not every system can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on the file, so that two saves take turns."""
    if fcntl is None or not path.exists():
        yield
        return
    with open(path, "rb") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def append_to_tables(folder: str | Path, additions: dict[str, list[dict[str, str]]], snapshot: Snapshot | None) -> dict[str, int]:
    """Append rows to tables (name → rows), keeping backups; returns each table's first new row number.

    Refuses (StaleTables) if any table differs from the snapshot. Tables are written in the
    order given; if one fails, those already written are restored.
    """
    folder = Path(folder)
    with _locked(folder / next(iter(additions))):
        return _append(folder, additions, snapshot, undoable=False)


def _append(folder: Path, additions: dict[str, list[dict[str, str]]], snapshot: Snapshot | None,
            undoable: bool = True) -> dict[str, int]:
    paths = {name: folder / name for name in additions}
    _check_fresh(snapshot, list(additions))
    old: dict[str, bytes] = {}
    for name, path in paths.items():
        try:
            old[name] = path.read_bytes()
        except FileNotFoundError:
            raise CurateError(f"{name} is missing from {folder}; nothing was written") from None
    new = {name: appended(old[name], rows, name) for name, rows in additions.items()}
    first_rows = {name: _record_count(old[name]) + 1 for name in additions}
    write_all(folder, old, new, f"added rows to {' and '.join(additions)}", undoable)
    return first_rows


UNDO = ".undo"  # in the data folder: the tables as they were before the last save, and what that save wrote
UNDO_MANIFEST = "last.json"


def write_all(folder: Path, old: dict[str, bytes], new: dict[str, bytes], action: str, undoable: bool = True) -> None:
    """Write each table's new bytes (atomic, after a .bak of the old), and keep the old ones for "Undo last save"
    (the app's saves; not `suggest --write`, whose article file and review sheet an undo would leave behind).
    If one table cannot be written, those already written are put back and nothing is kept for undo."""
    paths = {name: folder / name for name in new}
    done: list[str] = []
    name = ""
    try:
        if undoable:
            _keep_for_undo(folder, old, new, action)
        for name, path in paths.items():
            atomic_write(backup_path(path), old[name])
            atomic_write(path, new[name])
            done.append(name)
    except OSError as err:
        for written in done:  # put back what was written, so the tables stay consistent
            atomic_write(paths[written], old[written])
        with contextlib.suppress(OSError):
            (folder / UNDO / UNDO_MANIFEST).unlink()
        raise CurateError(f"could not write {paths.get(name, folder / UNDO)} ({err.strerror or err}); nothing was changed") from err


def _keep_for_undo(folder: Path, old: dict[str, bytes], new: dict[str, bytes], action: str) -> None:
    store = folder / UNDO
    store.mkdir(exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        (store / UNDO_MANIFEST).unlink()  # the copies below belong to no save until the manifest names them
    for name, data in old.items():
        atomic_write(store / _kept(name), data)
    manifest = {"action": action, "files": {name: digest(data) for name, data in new.items()}}
    atomic_write(store / UNDO_MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))


def _kept(name: str) -> str:
    return name.replace("/", "__") + ".before"


def last_save(folder: str | Path) -> str | None:
    """What the last save did ("added rows to events.csv and citations.csv"), if it can be undone."""
    try:
        return json.loads((Path(folder) / UNDO / UNDO_MANIFEST).read_text(encoding="utf-8"))["action"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def last_save_notes(folder: str | Path) -> dict[str, Any]:
    """What other records say about the last save (e.g. the review decision it settled), if it can be undone."""
    try:
        notes = json.loads((Path(folder) / UNDO / UNDO_MANIFEST).read_text(encoding="utf-8")).get("notes", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return notes if isinstance(notes, dict) else {}


def note_on_last_save(folder: str | Path, action: str, key: str, value: Any) -> bool:
    """Attach a note to the last save, if it is the one described by action; False when it is not."""
    path = Path(folder) / UNDO / UNDO_MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if manifest.get("action") != action:
        return False
    manifest.setdefault("notes", {})[key] = value
    atomic_write(path, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return True


def undo_last_save(folder: str | Path) -> str:
    """Put the tables back as they were before the last save; returns what was undone. Refused (StaleTables)
    when a table changed since that save, so undoing never loses someone else's later change."""
    folder = Path(folder)
    store = folder / UNDO
    with _locked(folder / EVENTS):
        try:
            manifest = json.loads((store / UNDO_MANIFEST).read_text(encoding="utf-8"))
            written: dict[str, str] = manifest["files"]
            old = {name: (store / _kept(name)).read_bytes() for name in written}
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise CurateError("there is no save to undo") from err
        changed = [name for name, h in written.items() if _hash_of(folder / name) != h]
        if changed:
            raise StaleTables(f"{' and '.join(changed)} changed on disk since the last save, so undoing it would lose "
                              "that change; nothing was written. Edit the table instead")
        current = {name: (folder / name).read_bytes() for name in written}
        for name in written:
            atomic_write(backup_path(folder / name), current[name])
            atomic_write(folder / name, old[name])
        (store / UNDO_MANIFEST).unlink()
    return str(manifest.get("action", "the last save"))


def _check_fresh(snapshot: Snapshot | None, names: list[str]) -> None:
    changed = [n for n in snapshot.changed() if n in names] if snapshot is not None else []
    if changed:
        raise StaleTables(f"{' and '.join(changed)} changed on disk since the page loaded "
                          f"{'them' if len(changed) > 1 else 'it'} (someone else saved, or a spreadsheet did); "
                          "nothing was written. Reload the tables, check the form, then save again")


def _record_count(data: bytes) -> int:
    return len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))))


@dataclass(frozen=True)
class Saved:
    """Where a saved event went."""

    event_id: str
    event_row: int
    citation_row: int
    backups: tuple[Path, ...]


def save_event(folder: str | Path, event: Event, citations: list[Citation], snapshot: Snapshot | None) -> Saved:
    """Append a validated event and its citations to events.csv and citations.csv."""
    folder = Path(folder)
    if not citations:
        raise CurateError("an event needs at least one citation; choose a passage first")
    if any(c.event_id != event.id for c in citations):
        raise CurateError(f'every citation must be for event "{event.id}"')
    with _locked(folder / EVENTS):
        _check_fresh(snapshot, list(TABLES))
        ids, _ = table_rows(folder, EVENTS)
        if event.id in ids:
            raise DuplicateId(f'id "{event.id}" is already used on row {ids[event.id]} of {EVENTS}; '
                              "give the new event its own id; nothing was written")
        rows = _append(folder, {EVENTS: [event_cells(event)], CITATIONS: [citation_cells(c) for c in citations]}, snapshot)
    return Saved(event.id, rows[EVENTS], rows[CITATIONS], tuple(backup_path(folder / n) for n in TABLES))
