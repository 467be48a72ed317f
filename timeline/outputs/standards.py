"""The chronology in other tools' standard formats: W3C Web Annotation for the passages, CSL-JSON for the
sources (with citations formatted by citeproc-py), and schema.org Claim for the claims.

- Annotations (https://www.w3.org/TR/annotation-model/): one per passage. The target is the article, by
  its address when it has one and by its stored copy in seeds/, each with a TextQuoteSelector (the exact
  quote with 32 characters either side) and a TextPositionSelector (code-point offsets, start inclusive,
  end exclusive, in the stored text as the timeline reads it: line ends as \\n). The body is the event.
- CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html): one `article-newspaper`
  per article, `issued` as date-parts with `circa` when the date is inferred.
- Claims (https://schema.org/Claim): `author` is the claimant as events.csv words it, `appearance` the
  articles that report it.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import uuid

import pandas as pd

from timeline.data.chronology import Chronology, Passage
from timeline.data.models import CERTAINTY_TEXT, KIND_LABELS, Kind, Source
from timeline.data.references import CITATION_STYLE, cited_sources, csl, csl_item, formatted_citations

__all__ = ["ANNO_CONTEXT", "CITATION_STYLE", "annotation", "annotations", "cited_sources", "claims_jsonld", "claims_script",
           "csl", "csl_item", "formatted_citations", "reanchor", "selectors", "source_list_html", "stored_iri",
           "to_annotations", "to_csl"]

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_CHARS = 32  # prefix and suffix of a TextQuoteSelector
_NAMESPACE = uuid.UUID("6f1d7c1e-2b8e-4d53-9a57-3c1f0e5b7a21")  # annotation ids: the same passage, the same id


# --- W3C Web Annotation ----------------------------------------------------------
def stored_iri(source: Source) -> str:
    """The stored copy's identity as a URI: its SHA-256 as a Named Information URI (RFC 6920), the same on every
    machine, whatever folder the data sits in. Its file name is the target's label."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(source.text.encode("utf-8")).digest()).rstrip(b"=").decode()
    return f"ni:///sha-256;{digest}?ct=text/plain"


def selectors(text: str, start: int, end: int) -> list[dict]:
    """A TextQuoteSelector and a TextPositionSelector for text[start:end]."""
    return [
        {"type": "TextQuoteSelector", "exact": text[start:end],
         "prefix": text[max(0, start - CONTEXT_CHARS):start], "suffix": text[end:end + CONTEXT_CHARS]},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def reanchor(selector_list: list[dict], text: str) -> tuple[int, int] | None:
    """Where the selectors point in text, worked out from the quote selector alone (the positions are a hint
    checked against it): the occurrence of `exact` whose prefix and suffix match best. None if it is not there."""
    quote = next((s for s in selector_list if s["type"] == "TextQuoteSelector"), None)
    position = next((s for s in selector_list if s["type"] == "TextPositionSelector"), None)
    if quote is None:
        if position is None or not 0 <= position["start"] <= position["end"] <= len(text):
            return None
        return position["start"], position["end"]
    exact, prefix, suffix = quote["exact"], quote.get("prefix", ""), quote.get("suffix", "")
    best, best_score = None, -1
    at = text.find(exact)
    while at >= 0 and exact:
        before, after = text[:at], text[at + len(exact):]
        score = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        if score > best_score:
            best, best_score = (at, at + len(exact)), score
        at = text.find(exact, at + 1)
    return best


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def _event_body(chron: Chronology, event_id: str) -> list[dict]:
    e = chron.by_id[event_id]
    date = f"{e.date_label} (EDTF {e.date_edtf}; date {CERTAINTY_TEXT[e.date_certainty]})"
    bodies = [
        {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "language": "en", "value": e.title},
        {"type": "TextualBody", "purpose": "describing", "format": "text/plain", "language": "en", "value": f"Date: {date}"},
        {"type": "TextualBody", "purpose": "tagging", "format": "text/plain", "language": "en",
         "value": KIND_LABELS[e.kind]},
    ]
    if e.claimed_by:
        bodies.append({"type": "TextualBody", "purpose": "describing", "format": "text/plain", "language": "en",
                       "value": f"Claim made by {e.claimed_by}"})
    return bodies


def annotation(chron: Chronology, passage: Passage) -> dict:
    """One passage as a W3C Web Annotation (JSON-LD)."""
    source, a = passage.source, passage.anchor
    select = selectors(source.text, a.start, a.end)
    copy = {"type": "SpecificResource", "source": {"id": stored_iri(source), "type": "Text", "format": "text/plain",
                                                    "label": f"seeds/{source.file}"}, "selector": select}
    targets = [copy]
    if source.url:
        page = {"type": "SpecificResource", "source": source.url, "selector": select}
        if source.accessed is not None:  # a TimeState needs its date: the page as it was on the day it was copied
            page["state"] = {"type": "TimeState", "cached": stored_iri(source),
                             "sourceDate": f"{source.accessed.first_day.isoformat()}T00:00:00Z"}
        targets.insert(0, page)
    key = f"{chron.story.slug}|{passage.event_id}|{source.id}|{a.start}|{a.end}"
    return {"@context": ANNO_CONTEXT, "id": f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}", "type": "Annotation",
            "motivation": "describing", "body": _event_body(chron, passage.event_id), "target": targets}


def annotations(chron: Chronology, frame: pd.DataFrame) -> list[dict]:
    """Every passage of the view's events, in the events' date order."""
    return [annotation(chron, p) for event_id in frame["id"] for p in chron.passages_for(event_id)]


def to_annotations(chron: Chronology, frame: pd.DataFrame) -> bytes:
    return json.dumps(annotations(chron, frame), ensure_ascii=False, indent=2).encode("utf-8")


# --- CSL-JSON ------------------------------------------------------------------------
def to_csl(chron: Chronology, frame: pd.DataFrame | None = None) -> bytes:
    return json.dumps(csl(chron, frame), ensure_ascii=False, indent=2).encode("utf-8")


def source_list_html(chron: Chronology, frame: pd.DataFrame | None = None) -> str:
    """The view's articles as an HTML list of formatted references, every piece of text escaped, each address a link."""
    sources = cited_sources(chron, frame)
    refs = formatted_citations(sources)
    items = []
    for s in sources:
        text = html.escape(refs[s.id], quote=False)
        if s.url:
            url = html.escape(s.url, quote=False)
            text = text.replace(url, f'<a href="{html.escape(s.url, quote=True)}">{url}</a>', 1)
        items.append(f'<li id="source-{html.escape(s.id)}">{text}</li>')
    return f'<ol class="sources">{"".join(items)}</ol>'


# --- schema.org Claim -------------------------------------------------------------------
def _appearance(passage: Passage) -> dict:
    s = passage.source
    article = {"@type": "NewsArticle", "headline": s.headline, "publisher": {"@type": "Organization", "name": s.outlet},
               "datePublished": s.published.iso}
    if s.url:
        article["url"] = s.url
    return article


def claims_jsonld(chron: Chronology, frame: pd.DataFrame) -> list[dict]:
    """Each claim of the view as schema.org Claim JSON-LD: the claimant as author (as events.csv words it: a person
    or a body, so no @type is guessed), the articles that report it as appearance."""
    out = []
    for row in frame.itertuples():
        if row.kind != Kind.claim.value:
            continue
        event = chron.by_id[row.id]
        seen: dict[str, dict] = {}
        for p in chron.passages_for(row.id):
            seen.setdefault(p.source.id, _appearance(p))
        claim = {"@context": "https://schema.org", "@type": "Claim", "@id": f"#{row.id}", "name": event.title,
                 "text": event.summary, "author": {"name": event.claimed_by}, "appearance": list(seen.values())}
        out.append(claim)  # no dateCreated: an event's date is often what the claim is about, not when it was made
    return out


def claims_script(chron: Chronology, frame: pd.DataFrame) -> str:
    """claims_jsonld as a <script type="application/ld+json"> element, safe to put in a page: `<`, `>` and `&`
    are written as JSON escapes, so no text can close the element."""
    data = json.dumps(claims_jsonld(chron, frame), ensure_ascii=False)
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{data}</script>'
