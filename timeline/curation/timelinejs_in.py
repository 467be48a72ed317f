"""Import a TimelineJS timeline (the Knight Lab spreadsheet saved as CSV, or TimelineJS JSON) into a story.

Every event here needs a verbatim passage of an article, which a TimelineJS sheet does not have, so the rows
become a review sheet (review/<name>.csv, the columns of `suggest`'s: events.csv's plus source_id, quote and
reasoning) to be completed, never rows of events.csv. Dates keep their precision (a Year alone is a year);
Display Date and Time go into date_note; Group becomes the category (added to vocabulary.csv); the title row
names the story; era rows become context rows. Nothing is dropped: media, background and any other column are
kept in the row's reasoning, a bad date leaves start empty with the reason, and blank rows are counted.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from timeline.curation.article import ArticleError, decode
from timeline.curation.suggest import REVIEW_COLUMNS
from timeline.data.dates import PartialDate

TEMPLATE = ("Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date", "Headline",
            "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Alt Text", "Type", "Group", "Background")
KEPT = ("Media", "Media Credit", "Media Caption", "Media Thumbnail", "Alt Text", "Background")  # into reasoning
NEEDS_PASSAGE = "Needs a verbatim passage of an article (source_id and quote) before it can become an event."


class ImportError_(ArticleError):
    """A file that cannot be imported at all; the message names it and says what to do."""


@dataclass
class Record:
    """One row of the timeline, as the template's columns (whatever the file's form), and where it came from."""

    where: str                    # "row 5" of a sheet, "events[3]" of JSON
    cells: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)  # columns the template does not have


@dataclass
class Imported:
    rows: list[dict[str, str]]                 # review sheet rows
    title: str = ""
    subtitle: str = ""
    categories: dict[str, str] = field(default_factory=dict)  # slug -> Group as written
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # one line per row that needs attention
    extra_columns: list[str] = field(default_factory=list)


# --- reading the two forms --------------------------------------------------------------------------

def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lstrip("\ufeff")).lower()


def read_sheet(text: str, name: str) -> list[Record]:
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as err:
        raise ImportError_(f"{name} is not valid CSV ({err}); check its quotation marks") from None
    if not records:
        raise ImportError_(f"{name} is empty")
    known = {_norm(c): c for c in TEMPLATE}
    header = [h.strip().lstrip("\ufeff") for h in records[0]]
    names = [known.get(_norm(h), h) for h in header]
    for needed in ("Year", "Headline"):
        if needed not in names:
            raise ImportError_(f"{name} row 1 has no column {needed}, so it is not a TimelineJS sheet; use the Knight "
                               f"Lab template's header ({', '.join(TEMPLATE)})")
    out = []
    for number, record in enumerate(records[1:], start=2):
        cells: dict[str, str] = {}
        extra: dict[str, str] = {}
        for i, value in enumerate(record):
            column = names[i] if i < len(names) and names[i] else f"column {i + 1}"
            if column in TEMPLATE:
                cells[column] = value.strip()
            elif value.strip():
                extra[column] = value.strip()
        out.append(Record(f"row {number}", cells, extra))
    return out


def _json_date(d: object) -> dict[str, str]:
    d = d if isinstance(d, dict) else {}
    return {k: str(d.get(k, "") if d.get(k) is not None else "").strip() for k in ("year", "month", "day", "hour", "minute", "display_date")}


def _json_record(item: dict, where: str, kind: str) -> Record:
    start, end = _json_date(item.get("start_date")), _json_date(item.get("end_date"))
    text = item.get("text") if isinstance(item.get("text"), dict) else {}
    media = item.get("media") if isinstance(item.get("media"), dict) else {}
    def time(d):
        return f"{d['hour']}:{d['minute'].zfill(2)}" if d["hour"] else ""
    cells = {"Year": start["year"], "Month": start["month"], "Day": start["day"], "Time": time(start),
             "End Year": end["year"], "End Month": end["month"], "End Day": end["day"], "End Time": time(end),
             "Display Date": str(item.get("display_date") or start["display_date"] or "").strip(),
             "Headline": str(text.get("headline") or "").strip(), "Text": str(text.get("text") or "").strip(),
             "Media": str(media.get("url") or "").strip(), "Media Credit": str(media.get("credit") or "").strip(),
             "Media Caption": str(media.get("caption") or "").strip(), "Media Thumbnail": str(media.get("thumbnail") or "").strip(),
             "Alt Text": str(media.get("alt") or "").strip(), "Type": kind, "Group": str(item.get("group") or "").strip(),
             "Background": json.dumps(item["background"]) if isinstance(item.get("background"), dict) else ""}
    known = {"start_date", "end_date", "text", "media", "group", "display_date", "background", "unique_id", "autolink"}
    extra = {k: v if isinstance(v, str) else json.dumps(v) for k, v in item.items() if k not in known and v not in ("", None)}
    if item.get("unique_id"):
        extra["unique_id"] = str(item["unique_id"])
    return Record(where, cells, extra)


def read_json(text: str, name: str) -> list[Record]:
    try:
        data = json.loads(text)
    except ValueError as err:
        raise ImportError_(f"{name} is not valid JSON ({err})") from None
    if not isinstance(data, dict) or not isinstance(data.get("events", []), list):
        raise ImportError_(f"{name} is not TimelineJS JSON: it needs an object with an \"events\" list")
    out = []
    if isinstance(data.get("title"), dict):
        out.append(_json_record(data["title"], "title", "title"))
    for i, item in enumerate(data.get("events", [])):
        out.append(_json_record(item if isinstance(item, dict) else {}, f"events[{i}]", ""))
    for i, item in enumerate(data.get("eras", []) if isinstance(data.get("eras"), list) else []):
        out.append(_json_record(item if isinstance(item, dict) else {}, f"eras[{i}]", "era"))
    return out


def read_timeline(data: bytes, name: str) -> list[Record]:
    text = decode(data, name)
    if name.lower().endswith(".json"):
        return read_json(text, name)
    if name.lower().endswith(".csv"):
        return read_sheet(text, name)
    raise ImportError_(f"{name}: give a TimelineJS sheet saved as .csv, or a TimelineJS .json file")


# --- turning records into review rows -----------------------------------------------------------------

def plain(text: str) -> str:
    """TimelineJS text (HTML) as plain words."""
    text = re.sub(r"<br\s*/?>|</p>\s*<p[^>]*>", " ", text or "", flags=re.IGNORECASE)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _date(year: str, month: str, day: str, what: str) -> tuple[PartialDate | None, str]:
    """The date of three cells at the precision they give, or None with the reason (which quotes the cells)."""
    given = ", ".join(f"{label} {value}" for label, value in (("Year", year), ("Month", month), ("Day", day)) if value)
    what = f"{what[:-1]} ({given}):" if given else what
    if not year:
        return None, (f"{what} Month or Day is given without a Year" if month or day else "")
    parts = []
    for label, value in (("Year", year), ("Month", month), ("Day", day)):
        if not value:
            break
        if not re.fullmatch(r"-?\d{1,4}(\.0)?", value):
            return None, f'{what} {label} "{value}" is not a number'
        parts.append(int(float(value)))
    if day and not month:
        return None, f"{what} Day {day} is given without a Month"
    text = "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])]) if parts[0] > 0 else str(parts[0])
    try:
        return PartialDate.parse(text), ""
    except ValueError as err:
        return None, f"{what} {err}"


def category_slug(group: str) -> str:
    from timeline.curation.curate import slugify

    return slugify(plain(group), limit=40)


def convert(records: list[Record], name: str, slug: str) -> Imported:
    from timeline.curation.curate import slugify

    out = Imported(rows=[])
    counts = {"read": 0, "events": 0, "eras": 0, "title": 0, "blank": 0, "bad dates": 0}
    used: set[str] = set()
    extra_columns: dict[str, None] = {}
    for r in records:
        cells = r.cells
        if not any(cells.values()) and not r.extra:
            counts["blank"] += 1
            continue
        counts["read"] += 1
        kind = cells.get("Type", "").strip().lower()
        if kind == "title" and not out.title and not counts["title"]:
            counts["title"] += 1
            out.title, out.subtitle = plain(cells.get("Headline", "")), plain(cells.get("Text", ""))
            if not any(cells.get(k) for k in ("Year",)):
                continue  # a title row without a date names the story and is not an event
        for column in r.extra:
            extra_columns.setdefault(column)
        problems = []
        start, why = _date(cells.get("Year", ""), cells.get("Month", ""), cells.get("Day", ""), "start:")
        if start is None:
            problems.append(why or "start: there is no Year")
        end, why_end = _date(cells.get("End Year", ""), cells.get("End Month", ""), cells.get("End Day", ""), "end:")
        if why_end:
            problems.append(why_end)
        if start and end and end.last_day < start.first_day:
            problems.append(f"end {end.iso} is before start {start.iso}")
        title = plain(cells.get("Headline", ""))
        if not title:
            problems.append("the row has no Headline, so the title is empty")
        base = slugify(title) or f"{slug}-{r.where.replace(' ', '-').replace('[', '-').rstrip(']')}"
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        group = cells.get("Group", "")
        category = category_slug(group) if group else ""
        if category:
            out.categories.setdefault(category, plain(group))
        note = []
        if cells.get("Display Date"):
            note.append(f"Display Date in the TimelineJS timeline: “{plain(cells['Display Date'])}”.")
        for label, column in (("Time", "Time"), ("End time", "End Time")):
            if cells.get(column):
                note.append(f"{label}: {cells[column]}.")
        kept = [f"{c}: {cells[c]}" for c in KEPT if cells.get(c)] + [f"{c}: {v}" for c, v in r.extra.items()]
        reasoning = [f"Imported from {name} {r.where} (TimelineJS{', an era' if kind == 'era' else ''}). {NEEDS_PASSAGE}"]
        if problems:
            counts["bad dates"] += any(p.startswith(("start", "end")) for p in problems)
            reasoning.append("To fix: " + "; ".join(problems) + ".")
            out.notes.append(f"{name} {r.where}: " + "; ".join(problems))
        if kept:
            reasoning.append("Also in the row: " + "; ".join(kept) + ".")
        if kind not in ("", "era", "title"):
            reasoning.append(f"Type was “{cells.get('Type')}”.")
        counts["eras" if kind == "era" else "events"] += 1
        out.rows.append({"id": ident, "title": title, "label": "", "start": start.iso if start else "",
                         "end": end.iso if end else "", "date_certainty": "exact" if start else "",
                         "date_note": " ".join(note), "kind": "context" if kind == "era" else "event", "category": category,
                         "actors": "", "summary": plain(cells.get("Text", "")), "claimed_by": "", "source_id": "",
                         "quote": "", "reasoning": " ".join(reasoning)})
    out.counts = counts
    out.extra_columns = list(extra_columns)
    return out


# --- writing --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ImportResult:
    imported: Imported
    review: Path
    created: bool
    categories_added: tuple[str, ...]


def import_timelinejs(path: str | Path, out: str | Path, title: str = "") -> ImportResult:
    """Read the timeline at `path` into the story at `out` (started there when it is not one yet)."""
    from timeline.curation.curate import CurateError, Snapshot, append_to_tables, atomic_write, slugify
    from timeline.curation.newstory import is_story, new_story
    from timeline.data.load import VOCABULARY, read_table
    from timeline.data.models import VocabularyEntry

    path, out = Path(path), Path(out)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ImportError_(f"cannot read {path} ({err.strerror or err})") from None
    slug = slugify(path.stem) or "timelinejs"
    imported = convert(read_timeline(data, path.name), path.name, slug)
    review = out / "review" / f"{slug}.csv"
    if review.exists():
        raise ImportError_(f"{review} already exists (an earlier import?); move it away first. Nothing was written")
    created = not is_story(out)
    if created:
        new_story(out, title or imported.title or path.stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Timeline",
                  subtitle=imported.subtitle)
    snapshot = Snapshot.take(out, (VOCABULARY,))
    have = {cells.get("value", "").strip() for _, cells in read_table(out / VOCABULARY, VOCABULARY, VocabularyEntry, [])
            if cells.get("field", "").strip() == "category"}
    new = [{"field": "category", "value": slug_, "label": label[:80] or slug_,
            "description": f"Group “{label}” of the TimelineJS timeline {path.name}."}
           for slug_, label in imported.categories.items() if slug_ not in have]
    if new:
        try:
            append_to_tables(out, {VOCABULARY: new}, snapshot)
        except CurateError as err:
            raise ImportError_(str(err)) from None
    review.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REVIEW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(imported.rows)
    atomic_write(review, buffer.getvalue().encode("utf-8"))
    return ImportResult(imported, review, created, tuple(r["value"] for r in new))


def command(args) -> int:
    """`python -m timeline import-timelinejs SHEET.csv|timeline.json --out DIR`."""
    import sys

    try:
        result = import_timelinejs(args.timeline, args.out, title=args.title or "")
    except (ArticleError, ValueError) as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    imp, c = result.imported, result.imported.counts
    started = f"Started the story in {args.out}" + (f" titled “{imp.title}”" if imp.title else "") + ". " if result.created else ""
    print(f"{started}Read {c['read']} row{'s' if c['read'] != 1 else ''} of {args.timeline.name}: {c['events']} event"
          f"{'s' if c['events'] != 1 else ''}, {c['eras']} era{'s' if c['eras'] != 1 else ''}, {c['title']} title row"
          f"{'s' if c['title'] != 1 else ''}; {c['blank']} blank row{'s' if c['blank'] != 1 else ''} skipped.")
    n = len(imp.rows)
    print(f"Wrote {n} row{'s' if n != 1 else ''} to {result.review} for review: each needs a verbatim passage of an "
          "article before it can become an event.")
    if result.categories_added:
        print(f"Added {len(result.categories_added)} categor{'ies' if len(result.categories_added) != 1 else 'y'} from "
              f"the Group column to vocabulary.csv: {', '.join(result.categories_added)}.")
    if imp.extra_columns:
        print(f"Columns outside the TimelineJS template, kept in each row's reasoning: {', '.join(imp.extra_columns)}.")
    if imp.notes:
        print(f"{len(imp.notes)} row{'s' if len(imp.notes) != 1 else ''} to fix (their start is empty where the date is bad):",
              file=sys.stderr)
        for line in imp.notes:
            print(f"  {line}", file=sys.stderr)
    return 0
