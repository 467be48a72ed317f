"""Bring an article into a story: `python -m timeline add-article DIR FILE` and the Curate page's Add article form.

The file is read by timeline.curation.article; its text is saved in seeds/ (the record quotes are checked
against) and described by a new row of seeds/sources.csv, appended atomically by timeline.curation.intake (and
refused when sources.csv changed on disk meanwhile). What the file does not say (the outlet, the publication
date) must be given; nothing is guessed. Optionally the dates in the article are proposed as candidate events
in review/<source id>.csv, as `suggest --write` does.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from timeline.curation.article import ArticleError, ArticleInfo, read_article
from timeline.data.dates import PartialDate
from timeline.uploads import MAX_UPLOAD_MB, UnsafeUpload, check_size

KIND_WORDS = {"text": "text file", "markdown": "Markdown file", "html": "saved web page"}


# How to give each fact, in the command's words; the form passes its own (see `plan`).
ASK = {"outlet": "pass --outlet NAME", "published": "pass --published YYYY-MM-DD", "published_note": "pass --published-note TEXT",
       "published_field": "--published"}


class MissingFacts(ArticleError):
    """What the article does not say and must be given; `missing` maps each fact to why it is needed."""

    def __init__(self, name: str, missing: dict[str, str], ask: dict[str, str] = ASK):
        self.missing = missing
        lines = "; ".join(f"{why}: {ask[fact]}" for fact, why in missing.items())
        super().__init__(f"{name}: {lines}. Nothing was added")


@dataclass(frozen=True)
class Facts:
    """What a person says about an article, over what the file says (each may be empty)."""

    outlet: str = ""
    published: str = ""
    published_certainty: str = "stated"
    published_note: str = ""
    headline: str = ""
    url: str = ""
    outlet_description: str = ""
    source_id: str = ""


@dataclass
class Plan:
    """The source row's facts after combining the file's and the person's, and where each came from."""

    info: ArticleInfo
    outlet: str
    published: str
    certainty: str
    note: str
    headline: str
    url: str
    found: list[str] = field(default_factory=list)  # one line per fact taken from the file


def plan(info: ArticleInfo, facts: Facts, name: str, ask: dict[str, str] = ASK) -> Plan:
    """What will go in seeds/sources.csv, or MissingFacts naming the options (or form fields, with the
    form's `ask`) to fill in."""
    missing: dict[str, str] = {}
    found: list[str] = []
    outlet = facts.outlet.strip()
    if not outlet and info.outlet:
        outlet = info.outlet
        found.append(f"outlet “{outlet}” (the page's site name)")
    if not outlet:
        missing["outlet"] = f"the {KIND_WORDS[info.kind]} does not name its outlet"
    published, certainty, note = facts.published.strip(), facts.published_certainty, facts.published_note.strip()
    dates = "; ".join(f"{d.value} in {d.where}" for d in info.dates)
    if published:
        try:
            published = PartialDate.parse(published).iso
        except ValueError as err:
            raise ArticleError(f"{ask['published_field']}: {err}; write YYYY-MM-DD, YYYY-MM or YYYY. Nothing was added") from None
        if info.dates and {d.value for d in info.dates} != {published}:
            note = " ".join(filter(None, (note, f"The page gives {dates}; {published} was given when it was added.")))
    elif info.conflict:
        missing["published"] = (f"the page gives {len({d.value for d in info.dates})} different "
                                                       f"publication dates ({dates}), so which one is right must be said")
    elif info.published:
        published, certainty = info.published.value, "stated"
        places = " and ".join(d.where for d in info.dates)
        note = " ".join(filter(None, (note, f"Date from {places}.")))
        found.append(f"published {published} ({places})")
    else:
        missing["published"] = f"no publication date was found in the {KIND_WORDS[info.kind]}"
    if certainty == "inferred" and not facts.published_note.strip():
        missing["published_note"] = "an inferred publication date needs a note saying how it was worked out"
    if missing:
        raise MissingFacts(name, missing, ask)
    headline = facts.headline.strip()
    if not headline and info.headline:
        headline = info.headline
        found.append(f"headline “{headline}”")
    url = facts.url.strip()
    if not url and info.url:
        url = info.url
        found.append(f"address {url} (the page's canonical link)")
    if info.author:
        found.append(f"byline {info.author}")
    return Plan(info, outlet, published, certainty, note, headline, url, found)


@dataclass(frozen=True)
class ArticleAdded:
    source_id: str
    article: Path
    sources_row: int
    review: Path | None
    candidates: int
    found: tuple[str, ...]
    plan: Plan


def add_article_file(folder: str | Path, data: bytes, name: str, facts: Facts, *, suggest: bool = False,
                     snapshot=None, ask: dict[str, str] = ASK,
                     limit_mb: float = MAX_UPLOAD_MB) -> ArticleAdded:
    """Read the article, save its text in seeds/, append its row to seeds/sources.csv (and, with `suggest`, its
    candidate events to review/<id>.csv). ArticleError (or CurateError from the write) says what to do;
    in either case nothing was written."""
    from timeline.curation.intake import add_article
    from timeline.curation.suggest import find_dates
    from timeline.curation.date_rules import Publication

    folder = Path(folder)
    try:
        check_size(data, limit_mb)
    except UnsafeUpload as err:
        raise ArticleError(f"{name}: {err} Nothing was added; save only the article's page, without its images") from None
    info = read_article(data, name)
    p = plan(info, facts, name, ask)
    text_data = data if info.kind == "text" else info.text.encode("utf-8")
    candidates = None
    if suggest:
        try:
            candidates = find_dates(info.text, Publication(p.published).date, facts.outlet_description, {})
        except ValueError as err:  # a year-only publication date: relative dates cannot be resolved
            raise ArticleError(f"{name}: cannot propose events ({err}); add it without suggestions, or give the month") from None
    how = f"from {name} ({KIND_WORDS[info.kind]}" + (", text extracted by trafilatura)" if info.kind == "html" else ")")
    notes = " ".join(filter(None, (f"Added {how} with python -m timeline add-article.",
                                   f"Byline: {info.author}." if info.author else "")))
    added = add_article(folder, None, candidates, outlet=p.outlet, published=p.published, source_id=facts.source_id or None,
                        data=text_data, snapshot=snapshot, notes=notes, certainty=p.certainty, note=p.note,
                        headline=p.headline or None, url=p.url, outlet_description=facts.outlet_description)
    return ArticleAdded(added.source_id, added.article, added.sources_row, added.review,
                        len(candidates) if candidates is not None else 0, tuple(p.found), p)


def command(args) -> int:
    """`python -m timeline add-article DIR FILE [options]`."""
    import sys

    from timeline.curation.curate import CurateError, Snapshot
    from timeline.data.load import SOURCES

    def fail(message: str) -> int:
        print(f"Error: {message}", file=sys.stderr)
        return 1

    folder: Path = args.folder
    if not (folder / SOURCES).is_file():
        return fail(f"{folder} has no {SOURCES}: start a story there with python -m timeline new {folder} --title \"…\"")
    try:
        data = args.file.read_bytes()
    except OSError as err:
        return fail(f"cannot read {args.file} ({err.strerror or err})")
    facts = Facts(outlet=args.outlet or "", published=args.published or "", published_certainty=args.published_certainty,
                  published_note=args.published_note or "", headline=args.headline or "", url=args.url or "",
                  outlet_description=args.outlet_description or "", source_id=args.id or "")
    try:
        added = add_article_file(folder, data, args.file.name, facts, suggest=args.suggest,
                                 snapshot=Snapshot.take(folder, (SOURCES,)))
    except (ArticleError, CurateError) as err:
        return fail(str(err))
    for line in added.found:
        print(f"Found {line}.")
    print(f"Wrote seeds/{added.article.name} (the text quotes are checked against) and source \"{added.source_id}\" "
          f"on row {added.sources_row} of {SOURCES}.")
    if added.review is not None:
        print(f"Wrote {added.candidates} candidate event{'s' if added.candidates != 1 else ''} to review/{added.review.name} "
              "for a person to complete.")
    if not args.outlet_description:
        print(f"Describe the outlet in {SOURCES} (outlet_description) or pass --outlet-description next time.")
    print(f"Next: add events from its passages on the Curate page, then run python -m timeline validate --data {folder}")
    return 0
