"""The article intake behind `python -m timeline suggest`: print an article's candidate events and,
with --write, copy it into seeds/, describe it in seeds/sources.csv and leave its candidates in review/.

The date finding itself is timeline.curation.suggest; this module only reads, writes and reports.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline.curation.suggest import REVIEW_COLUMNS, Candidate, Publication, describe, find_dates, headline_of, review_rows
from timeline.data.dates import PartialDate


@dataclass(frozen=True)
class Added:
    """What `--write` added to a data folder."""

    source_id: str
    article: Path
    sources_row: int
    review: Path | None  # None: no candidates were asked for


def _existing_copy(folder: Path, data: bytes) -> Path | None:
    seeds = folder / "seeds"
    for path in sorted(seeds.glob("*.txt")) if seeds.is_dir() else []:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return path
    return None


def _next_file_name(folder: Path, data: bytes) -> str:
    numbers = [int(m.group(1)) for p in (folder / "seeds").glob("*.txt") if (m := re.match(r"^(\d+)_", p.name))]
    return f"{max(numbers, default=-1) + 1:03d}_{hashlib.sha256(data).hexdigest()[:16]}.txt"


def source_row(text: str, *, source_id: str, file: str, outlet: str, published: str, certainty: str = "stated",
               note: str = "", headline: str | None = None, url: str = "", outlet_description: str = "",
               review: str = "", notes: str = "") -> dict[str, str]:
    """A row for seeds/sources.csv. The headline is the article's own first substantial line unless one is
    given; a given headline that is not a line of the article is marked descriptive."""
    lines = {line.strip() for line in text.replace("\r\n", "\n").split("\n")}
    if headline:
        descriptive = headline.strip() not in lines
    else:
        headline, descriptive = headline_of(text, outlet_description), False
        if not headline:
            headline, descriptive = f"{outlet} article of {PartialDate.parse(published).label()}", True
    return {"id": source_id, "file": file, "outlet": outlet, "headline": headline.strip(),
            "headline_descriptive": "yes" if descriptive else "no", "published": published, "published_end": "",
            "published_certainty": certainty, "published_note": note, "url": url,
            "outlet_description": outlet_description or NO_DESCRIPTION,
            "notes": " ".join(filter(None, (notes, f"Candidate events in {review}." if review else "")))}


NO_DESCRIPTION = "Not yet described: say who publishes this outlet and from what standpoint."


def add_article(folder: str | Path, article: Path | None, candidates: list[Candidate] | None, *, outlet: str, published: str,
                source_id: str | None = None, data: bytes | None = None, snapshot: Any = None,
                notes: str = "Added with python -m timeline suggest.", **source_fields: Any) -> Added:
    """Copy the article into seeds/ byte for byte (or `data`, its text, when given), describe it in
    seeds/sources.csv, and write the candidates to review/<source id>.csv (never to events.csv; no review
    sheet when `candidates` is None). With a `snapshot` of seeds/sources.csv, a sources.csv changed on disk
    since it was taken is refused (StaleTables), and so nothing is written."""
    from timeline.curation.curate import CurateError, append_to_tables, atomic_write
    from timeline.data.load import SOURCES, read_table, validate_row
    from timeline.data.models import Source

    folder = Path(folder)
    data = article.read_bytes() if data is None else data
    copy = _existing_copy(folder, data)
    if copy is not None:
        raise CurateError(f"the article is already in the data folder as seeds/{copy.name}; nothing was written")
    taken = {cells.get("id", "").strip() for _, cells in read_table(folder / SOURCES, SOURCES, Source, [])}
    base = source_id or slugify_outlet(outlet)
    if source_id and source_id in taken:
        raise CurateError(f'a source with the id "{source_id}" is already in {SOURCES}; choose another --id')
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    name = _next_file_name(folder, data)
    review = folder / "review" / f"{ident}.csv"
    if candidates is not None and review.exists():
        raise CurateError(f"{review} already exists; move it away or choose another --id")
    text = data.decode("utf-8-sig")
    row = source_row(text, source_id=ident, file=name, outlet=outlet, published=published,
                     review=f"review/{ident}.csv" if candidates is not None else "", notes=notes, **source_fields)
    problems: list = []
    if validate_row(Source, row, SOURCES, 0, problems) is None:
        raise CurateError("; ".join(f"{p.column or 'row'}: {p.message} (fix: {p.fix})" for p in problems))
    target = folder / "seeds" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, data)
    try:
        rows = append_to_tables(folder, {SOURCES: [row]}, snapshot)
    except BaseException:
        target.unlink()
        raise
    if candidates is None:
        return Added(ident, target, rows[SOURCES], None)
    review.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REVIEW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(review_rows(candidates, ident, PartialDate.parse(published).label()))
    atomic_write(review, buffer.getvalue().encode("utf-8"))
    return Added(ident, target, rows[SOURCES], review)


def slugify_outlet(outlet: str) -> str:
    from timeline.curation.curate import slugify

    return slugify(re.sub(r"^the\s+", "", outlet, flags=re.IGNORECASE), limit=24) or "source"


def _cited_quotes(folder: Path) -> dict[str, str]:
    from timeline.data.load import read_data

    try:
        chronology = read_data(folder).chronology
    except Exception:  # a broken data folder only costs the "already cited" hints
        return {}
    return {p.text: p.event_id for p in chronology.passages}


def command(args: Any) -> int:
    """`python -m timeline suggest`: print candidate events; with --write, add the article for review."""
    import shutil
    import sys
    import textwrap

    from timeline.curation.curate import CurateError

    def fail(message: str) -> int:
        print(f"Error: {message}", file=sys.stderr)
        return 1

    try:
        data = args.article.read_bytes()
        text = data.decode("utf-8-sig")
    except OSError as err:
        return fail(f"cannot read {args.article} ({err.strerror or err})")
    except UnicodeDecodeError:
        return fail(f"{args.article} is not UTF-8 text; re-encode it as UTF-8")
    try:
        pub = Publication(args.published)
    except ValueError as err:
        return fail(f"--published: {err}; use YYYY-MM-DD, or YYYY-MM when only the month is known")
    if args.write and not args.outlet:
        return fail("--write needs --outlet, the name of the outlet that published the article")
    if args.published_certainty == "inferred" and not args.published_note and args.write:
        return fail("an inferred publication date needs --published-note saying how it was worked out")

    copy = _existing_copy(args.data, data)
    if args.write and copy is not None:
        return fail(f"the article is already in {args.data} as seeds/{copy.name}; nothing was written")
    candidates = find_dates(text, pub.date, args.outlet_description or "", _cited_quotes(args.data))
    width = max(60, min(120, shutil.get_terminal_size((100, 20)).columns))
    counts = describe(candidates)
    print(f"{counts['dates']} candidate date{'s' if counts['dates'] != 1 else ''} in {counts['sentences']} "
          f"sentence{'s' if counts['sentences'] != 1 else ''} of {args.article.name} (published {pub.label}):\n")
    date_w = max([len(c.date) for c in candidates] + [4])
    indent = " " * (date_w + 2)
    for c in candidates:
        head = f"{c.date:<{date_w}}  {c.certainty:<11} "
        lines = textwrap.wrap(c.reasoning, width - len(head)) or [""]
        print(head + lines[0])
        for line in lines[1:]:
            print(" " * len(head) + line)
        for line in textwrap.wrap(f"“{c.quote}”", width - len(indent) - 2):
            print(indent + "  " + line)
        if c.already_cited:
            print(indent + "  already on the timeline as: " + ", ".join(c.already_cited))
        print()
    if not args.write:
        where = f" It is already in the data folder as seeds/{copy.name}." if copy else ""
        print(f"Nothing was written.{where} Add --write --outlet NAME to copy the article into seeds/ and the "
              "candidates into review/ for a person to complete.")
        return 0
    try:
        added = add_article(args.data, args.article, candidates, outlet=args.outlet, published=pub.date.iso,
                            source_id=args.id, certainty=args.published_certainty, note=args.published_note or "",
                            headline=args.headline, url=args.url or "", outlet_description=args.outlet_description or "")
    except CurateError as err:
        return fail(str(err))
    rel = added.review.relative_to(args.data) if added.review.is_relative_to(args.data) else added.review
    print(f"Wrote seeds/{added.article.name} (a byte-for-byte copy), source \"{added.source_id}\" on row "
          f"{added.sources_row} of seeds/sources.csv, and {len(candidates)} candidate{'s' if len(candidates) != 1 else ''} "
          f"to {rel}.")
    print(f"Next: complete each row of {rel} (title, kind, category, actors, summary) and add the events with the "
          "dashboard's Curate page, then run 'python -m timeline validate'.")
    if not args.outlet_description:
        print("Describe the outlet in seeds/sources.csv (outlet_description) or pass --outlet-description.")
    return 0
