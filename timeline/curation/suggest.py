"""Candidate events from a new article: its date expressions, resolved against its publication date.

dateparser's `search_dates` finds and resolves most date expressions. It does not say how
precise a date is, and it misses or mis-resolves a few forms that matter in news copy, so a
small layer sits on top of it:

| form in the article                      | what dateparser does                 | what this layer does                          |
|------------------------------------------|--------------------------------------|-----------------------------------------------|
| "Tuesday", "on Tuesday", "Tuesday's"     | strictly before the base; misses 's  | the most recent Tuesday on or before it       |
| "a year and a half ago"                  | "a year and a" → a year ago          | 18 months before, month precision, approximate|
| "earlier this month", "this year"        | "this month and" → the base day      | the month / year of publication               |
| "last year", "last month"                | nothing                              | the year / month before publication           |
| "three years ago", "two months ago"      | right, but at day precision          | at the unit's precision (year, month, day)    |
| "late November", "early May 2023"        | drops "late"; day of the base        | the month, approximate unless the year is stated |
| "1839 – 1860", "between 1839 and 1860"   | two unrelated years                  | one span                                      |
| "recently", "a recent report"            | nothing                              | the month of publication, approximate         |
| "79,770 in 2022"                         | nothing (the number confuses it)     | after dateparser: a year after in/since/by…   |
| "January 30" + ", 2024", "Sept" + ". 3"  | split in two                         | merged and parsed again                       |
| "We", "sat", "may", "18-45", "10 years"  | dates                                | dropped: no month name, year or date layout   |

Everything else (month names, "in November 2023", "since September 2019", "On January 30,
2024", "As early as 2019") is dateparser's, with the precision read from the words that are
there: a day and month → a day, a month → a month, a year alone → a year. The certainty is
`exact` when the text states every part of the date at that precision, `inferred` when the
publication date supplies a part, and `approximate` for vague expressions.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from timeline.curation.date_rules import (_DAY_TOKEN, _DP_SETTINGS, _FALLBACK_RULES, _MONTH_TOKEN, _MONTHS, _NUMERIC_DATE,
                                          _PREPOSITION, _RULES, _YEAR_TOKEN, Certainty, Publication, _Found, _layer)
from timeline.data.anchor import normalise, sentence_bounds
from timeline.data.dates import PartialDate
from timeline.data.models import MAX_QUOTE
from timeline.render import is_furniture

REVIEW_COLUMNS = ("id", "title", "label", "start", "end", "date_certainty", "date_note", "kind", "category", "actors", "summary",
                  "claimed_by", "source_id", "quote", "reasoning")

@dataclass(frozen=True)
class Candidate:
    """A date found in an article: what it says, what it resolves to, and the sentence to quote."""

    start: PartialDate
    end: PartialDate | None
    certainty: Certainty
    expression: str          # the words of the article, verbatim
    why: str                 # how the expression resolves, e.g. "Tuesday 30 January 2024, the most recent …"
    quote: str               # the sentence (or clause) around it, verbatim
    offset: int              # where the expression starts in the text
    quote_start: int         # where the quote starts in the text
    already_cited: tuple[str, ...] = field(default=())  # events whose quote is in the same sentence

    @property
    def reasoning(self) -> str:
        return f'"{self.expression}" → {self.why}.'

    @property
    def date(self) -> str:
        return f"{self.start.iso}–{self.end.iso}" if self.end else self.start.iso

    @property
    def precision(self) -> str:
        return self.start.precision


# --- dateparser's matches: located, trimmed, merged, filtered, and given a precision ---------------

def _dateparser_matches(line: str, pub: Publication) -> list[tuple[int, int]]:
    from dateparser.search import search_dates

    settings = {**_DP_SETTINGS, "RELATIVE_BASE": datetime.combine(pub.base, datetime.min.time())}
    found = search_dates(line, languages=["en"], settings=settings) or []
    spans, pos = [], 0
    for text, _ in found:
        at = line.find(text, pos)
        if at < 0:
            at = line.find(text)
        if at < 0:
            continue
        spans.append((at, at + len(text)))
        pos = at + len(text)
    return spans


def _core(line: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The date words inside a dateparser match ("1860 in" → "1860"); None if there are none."""
    chunk = line[lo:hi]
    months = [m.span() for m in _MONTH_TOKEN.finditer(chunk)]
    spans = months + [m.span() for rx in (_YEAR_TOKEN, _NUMERIC_DATE) for m in rx.finditer(chunk)]
    if not spans:
        return None
    for d in _DAY_TOKEN.finditer(chunk):  # "30 January", "January 30": a day only next to a month name
        if any(0 <= d.start() - me <= 2 or 0 <= ms - d.end() <= 1 for ms, me in months):
            spans.append(d.span())
    return lo + min(a for a, _ in spans), lo + max(b for _, b in spans)


def _parse(text: str, pub: Publication) -> datetime | None:
    import dateparser

    settings = {**_DP_SETTINGS, "RELATIVE_BASE": datetime.combine(pub.base, datetime.min.time())}
    return dateparser.parse(text, languages=["en"], settings=settings)


def _resolve_absolute(line: str, lo: int, hi: int, pub: Publication) -> _Found | None:
    text = line[lo:hi]
    months = _MONTH_TOKEN.findall(text)
    years = _YEAR_TOKEN.findall(text)
    numeric = _NUMERIC_DATE.search(text)
    if not (months or years or numeric):
        return None
    if months and not years and not numeric and months[0].rstrip(".") == "May" and not _DAY_TOKEN.search(text):
        return None  # "May" alone is as likely the verb
    rest = _MONTH_TOKEN.sub(" ", _YEAR_TOKEN.sub(" ", text))
    has_day = bool(numeric) or bool(months and _DAY_TOKEN.search(rest))
    when = _parse(text, pub)
    if when is None:
        return None
    if numeric or (has_day and years):
        d, certainty = PartialDate(when.year, when.month, when.day), "exact"
        why = f"{d.label()}, as stated"
    elif has_day:
        d, certainty = PartialDate(when.year, when.month, when.day), "inferred"
        why = (f"{d.label()}, the most recent {calendar.month_name[d.month]} {d.day} on or before the publication date "
               f"({pub.label})")
    elif months and years:
        d, certainty = PartialDate(when.year, when.month), "exact"
        why = f"{d.label()}, as stated"
    elif months:
        month = _MONTHS[months[0].lower().rstrip(".")]
        d, certainty = PartialDate(pub.recent_month(month), month), "inferred"
        why = f"{d.label()}, the most recent {calendar.month_name[month]} on or before the publication date ({pub.label})"
    else:
        d, certainty = PartialDate(int(years[0])), "exact"
        why = f"{d.year}, as stated"
    return _Found(lo, hi, d, None, certainty, why)


def _absolute(line: str, pub: Publication, taken: list[_Found]) -> list[_Found]:
    merged: list[tuple[int, int]] = []
    for lo, hi in _dateparser_matches(line, pub):  # "On January 30" + "2024"; "Sept" + "3, 2021"
        if merged and re.fullmatch(r"[ ,.]{0,3}", line[merged[-1][1]:lo]) and _MONTH_TOKEN.search(line[slice(*merged[-1])]):
            merged[-1] = (merged[-1][0], hi)
        else:
            merged.append((lo, hi))
    out = []
    for lo, hi in [c for span in merged if (c := _core(line, *span))]:
        if any(f.lo < hi and lo < f.hi for f in taken):
            continue
        found = _resolve_absolute(line, lo, hi, pub)
        if found:
            out.append(found)
    return out


# --- candidates ------------------------------------------------------------------------------------

def _with_preposition(text: str, lo: int) -> int:
    m = _PREPOSITION.search(text, max(0, lo - 14), lo)
    return m.start() if m and m.end() == lo else lo


def _quote_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The sentence around text[lo:hi]; if it is longer than a quote may be, the clause around it."""
    s, e = sentence_bounds(text, lo, hi)
    while s < e and text[s].isspace():
        s += 1
    if e - s <= MAX_QUOTE:
        return s, e
    # Widen from the expression to clause marks (, ; : —) while the quote stays short enough.
    cuts = [s] + [m.end() for m in re.finditer(r"[,;:—–]\s", text[s:e])] + [e]
    cuts = sorted({s + c if c != s and c != e else c for c in cuts})
    a = max(c for c in cuts if c <= lo)
    b = min(c for c in cuts if c >= hi)
    if b - a > MAX_QUOTE:
        a, b = max(s, lo - (MAX_QUOTE - (hi - lo)) // 2), min(e, hi + (MAX_QUOTE - (hi - lo)) // 2)
        a = text.find(" ", a, lo) + 1 or a
        b = text.rfind(" ", hi, b) if text.rfind(" ", hi, b) > hi else b
    return a, len(text[:b].rstrip(" ,;:—–"))


def _is_page_furniture(line: str, outlet_description: str) -> bool:
    # render.is_furniture only reads the source's outlet description.
    return is_furniture(line, SimpleNamespace(outlet_description=outlet_description))  # type: ignore[arg-type]


def find_dates(text: str, published: PartialDate | str, outlet_description: str = "",
               cited: dict[str, str] | None = None) -> list[Candidate]:
    """Every date expression in the article's text (furniture lines skipped), in reading order.

    `cited` maps quotes already on the timeline to their event ids, so that a candidate in a
    sentence that is already cited says so.
    """
    pub = Publication(published)
    text = text.replace("\r\n", "\n")
    folded_cited = [(normalise(q)[0], eid) for q, eid in (cited or {}).items()]
    out: list[Candidate] = []
    seen: set[tuple[int, str]] = set()
    offset = 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip() or _is_page_furniture(line, outlet_description):
            continue
        layer = _layer(line, pub, _RULES)
        found = layer + _absolute(line, pub, layer)
        found += _layer(line, pub, _FALLBACK_RULES, found)
        for f in sorted(found, key=lambda f: f.lo):
            lo = _with_preposition(line, f.lo)
            a, b = _quote_bounds(text, line_start + lo, line_start + f.hi)
            expression = line[lo:f.hi]
            date_text = f"{f.start.iso}{'–' + f.end.iso if f.end else ''}"
            if (a, date_text) in seen:
                continue
            seen.add((a, date_text))
            quote = text[a:b]
            folded = normalise(quote)[0]
            already = tuple(dict.fromkeys(eid for q, eid in folded_cited if q and (q in folded or folded in q)))
            out.append(Candidate(f.start, f.end, f.certainty, expression, f.why, quote, line_start + lo, a, already))
    return out


def review_rows(candidates: list[Candidate], source_id: str, published_label: str) -> list[dict[str, str]]:
    """Rows for a review sheet: events.csv's columns, to be completed by a person, plus quote and reasoning."""
    rows, used = [], set()
    for c in candidates:
        base = f"{source_id}-{c.start.iso}"
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        rows.append({"id": ident, "title": "", "label": "", "start": c.start.iso, "end": c.end.iso if c.end else "",
                     "date_certainty": c.certainty, "date_note": f"The article ({published_label}) says “{c.expression}”, i.e. {c.why}.", "kind": "", "category": "",
                     "actors": "", "summary": "", "claimed_by": "", "source_id": source_id, "quote": c.quote,
                     "reasoning": c.reasoning + (f" Already cited for: {', '.join(c.already_cited)}." if c.already_cited else "")})
    return rows


def headline_of(text: str, outlet_description: str = "") -> str | None:
    """The first substantial line of an article (not furniture, 4+ words, headline-sized), if any."""
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line or _is_page_furniture(line, outlet_description):
            continue
        if len(line.split()) >= 4 and len(line) <= 250:
            return line
        return None  # the first real line is a paragraph: the page has no headline line
    return None


def describe(candidates: list[Candidate]) -> dict[str, Any]:
    """Counts for a one-line summary."""
    return {"dates": len(candidates), "sentences": len({c.quote for c in candidates}),
            "exact": sum(c.certainty == "exact" for c in candidates)}
