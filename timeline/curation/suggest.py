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
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Literal

from timeline.data.anchor import normalise, sentence_bounds
from timeline.data.dates import PartialDate
from timeline.data.models import MAX_QUOTE
from timeline.render import is_furniture

Certainty = Literal["exact", "inferred", "approximate"]
REVIEW_COLUMNS = ("id", "title", "start", "end", "date_certainty", "date_note", "kind", "category", "actors", "summary",
                  "claimed_by", "source_id", "quote", "reasoning")

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d: i for i, d in enumerate(calendar.day_name)}
_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUMBERS.update(a=1, an=1)
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
MONTH_ANY = MONTH[:-1] + r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
YEAR = r"(?:1[0-9]{3}|20[0-9]{2})"
COUNT = r"(?:[0-9]{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
VAGUE = r"(?:about|around|roughly|some|nearly|almost|approximately)"
_YEAR_TOKEN = re.compile(rf"(?<![\d,.-]){YEAR}(?![\d])(?!s\b)")
_MONTH_TOKEN = re.compile(rf"\b{MONTH_ANY}(?![a-z])")
_DAY_TOKEN = re.compile(r"(?<![\d,])(?:[12][0-9]|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d])")
_NUMERIC_DATE = re.compile(rf"\b{YEAR}-[01][0-9]-[0-3][0-9]\b|\b[01]?[0-9]/[0-3]?[0-9]/{YEAR}\b")
_PREPOSITION = re.compile(r"(?:\b(?:on|in|since|from|until|by|before|after|during|as early as|as of|of)\s+)$", re.IGNORECASE)
_DP_SETTINGS = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}


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


@dataclass(frozen=True)
class _Found:
    lo: int
    hi: int
    start: PartialDate
    end: PartialDate | None
    certainty: Certainty
    why: str


class Publication:
    """The publication date an article's relative dates are resolved against (day or month precision)."""

    def __init__(self, published: PartialDate | str):
        self.date = published if isinstance(published, PartialDate) else PartialDate.parse(published)
        if self.date.precision == "year":
            raise ValueError(f'"{self.date}" gives only a year: relative dates need at least the month (YYYY-MM)')
        # A month-precision publication is resolved from its last day: every date it mentions is on or before it.
        self.base: date = self.date.last_day
        self.day_known = self.date.precision == "day"

    @property
    def label(self) -> str:
        return self.date.label()

    def months_back(self, n: int) -> PartialDate:
        index = self.base.year * 12 + self.base.month - 1 - n
        return PartialDate(index // 12, index % 12 + 1)

    def recent_month(self, month: int) -> int:
        """The year of the most recent `month` on or before publication."""
        return self.base.year if month <= self.base.month else self.base.year - 1


def _num(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _day_label(d: date) -> str:
    return f"{calendar.day_name[d.weekday()]} {d.day} {calendar.month_name[d.month]} {d.year}"


# --- the layer on top of dateparser: each rule is (pattern, resolver) ----------------------------

_RELATIVE_YEAR = {"this": "the year of publication", "last": "the year before publication",
                  "next": "the year after publication"}
Resolver = Callable[[re.Match, Publication], "tuple[PartialDate, PartialDate | None, Certainty, str] | None"]


def _weekday(m: re.Match, pub: Publication):
    which, name = (m.group("which") or "").lower(), m.group("day")
    target = _WEEKDAYS[name]
    if which == "next":
        ahead = (target - pub.base.weekday()) % 7 or 7
        d, how = pub.base + timedelta(days=ahead), f"the first {name} after the publication date"
    else:
        back = (pub.base.weekday() - target) % 7
        if which == "last" and back == 0:
            back = 7
        d = pub.base - timedelta(days=back)
        how = f"the most recent {name} {'before' if which == 'last' else 'on or before'} the publication date"
    if not pub.day_known:
        return (PartialDate(pub.base.year, pub.base.month), None, "approximate",
                f"a {name} in or shortly before {pub.label}: the publication date is known only to the month")
    return PartialDate(d.year, d.month, d.day), None, "inferred", f"{_day_label(d)}, {how} ({pub.label})"


def _half_ago(m: re.Match, pub: Publication):
    n = _num(m.group("n")) if m.group("n") else 1
    months = 12 * n + 6
    d = pub.months_back(months)
    return (d, None, "approximate", f"about {d.label()}: {months} months before the publication date ({pub.label}), "
                                    "at month precision; approximate")


def _ago(m: re.Match, pub: Publication):
    n, unit, vague = _num(m.group("n")), m.group("unit").lower().rstrip("s"), m.group("vague")
    certainty: Certainty = "approximate" if vague else "inferred"
    if unit == "year":
        d = PartialDate(pub.base.year - n)
        why = f"{d.year}: the publication year ({pub.base.year}) minus {n}, at year precision"
    elif unit == "month":
        d = pub.months_back(n)
        why = f"{d.label()}: {n} month{'s' if n > 1 else ''} before the publication month, at month precision"
    else:
        if not pub.day_known:
            return None
        day = pub.base - timedelta(days=n * (7 if unit == "week" else 1))
        d = PartialDate(day.year, day.month, day.day)
        why = f"{d.label()}: {n} {unit}{'s' if n > 1 else ''} before the publication date ({pub.label})"
    return d, None, certainty, why + ("; approximate" if vague else "")


def _this(m: re.Match, pub: Publication):
    unit = m.group("unit").lower()
    when = (m.group("when") or "").lower()
    if unit == "year":
        d = PartialDate(pub.base.year)
    else:
        d = PartialDate(pub.base.year, pub.base.month)
    qualifier = f" ({when} in it)" if when else ""
    return d, None, "inferred", f"{d.label()}, the {unit} of publication{qualifier}"


def _last(m: re.Match, pub: Publication):
    unit = m.group("unit").lower()
    if unit == "year":
        d = PartialDate(pub.base.year - 1)
        return d, None, "inferred", f"{d.year}, the year before publication ({pub.base.year})"
    d = pub.months_back(1)
    return d, None, "inferred", f"{d.label()}, the month before publication"


def _part_of_month(m: re.Match, pub: Publication):
    part, name = m.group("part").lower().rstrip("-"), m.group("month")
    month = _MONTHS[name.lower().rstrip(".")]
    stated, rel = m.group("year"), (m.group("rel") or "").lower()
    if stated:
        d = PartialDate(int(stated), month)
        return d, None, "exact", f"{d.label()}, as stated; “{part}” places it within the month"
    if rel:
        year = pub.base.year - (1 if rel == "last" else 0) + (1 if rel == "next" else 0)
        d = PartialDate(year, month)
        return d, None, "approximate", (f"{d.label()}: {name} of {_RELATIVE_YEAR[rel]} ({pub.base.year}), "
                                        f"at month precision; “{part}” makes it approximate")
    d = PartialDate(pub.recent_month(month), month)
    return d, None, "approximate", (f"{d.label()}, the most recent {name} on or before the publication date "
                                    f"({pub.label}); “{part}” makes it approximate")


def _part_of_year(m: re.Match, pub: Publication):
    d = PartialDate(int(m.group("year")))
    return d, None, "exact", f"{d.year}, as stated; “{m.group('part').lower().rstrip('-')}” places it within the year"


def _year_span(m: re.Match, pub: Publication):
    a, b = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
    if b <= a:
        return None
    return PartialDate(a), PartialDate(b), "exact", f"the span {a} to {b}, as stated"


def _recent(m: re.Match, pub: Publication):
    d = PartialDate(pub.base.year, pub.base.month)
    return (d, None, "approximate", f"about {d.label()}: shortly before the publication date ({pub.label}), "
                                    "placed in its month; approximate")


def _yesterday(m: re.Match, pub: Publication):
    if not pub.day_known:
        return None
    d = pub.base - timedelta(days=1)
    return PartialDate(d.year, d.month, d.day), None, "inferred", f"{_day_label(d)}, the day before the publication date"


def _month_of_year(m: re.Match, pub: Publication):
    month, rel = _MONTHS[m.group("month").lower()], m.group("rel").lower()
    year = pub.base.year - (1 if rel == "last" else 0) + (1 if rel == "next" else 0)
    d = PartialDate(year, month)
    return d, None, "inferred", f"{d.label()}: {m.group('month')} of {_RELATIVE_YEAR[rel]} ({pub.base.year})"


_RULES: list[tuple[re.Pattern, Resolver]] = [
    (re.compile(rf"\b(?:(?:a|an|one|(?P<n>{COUNT}))\s+and\s+a\s+half\s+years?|a\s+year\s+and\s+a\s+half)\s+ago\b",
                re.IGNORECASE), _half_ago),
    (re.compile(rf"\b(?:(?P<vague>{VAGUE})\s+)?(?P<n>{COUNT})\s+(?P<unit>years?|months?|weeks?|days?)\s+ago\b",
                re.IGNORECASE), _ago),
    (re.compile(rf"\b(?:(?i:in)\s+)?(?P<part>(?i:early|mid-?|late))\s*(?P<month>{MONTH})"
                rf"(?:,?\s+(?P<year>{YEAR})\b|\s+of\s+(?P<rel>this|last|next)\s+year\b)?"), _part_of_month),
    (re.compile(rf"\b(?:in\s+)?(?P<month>{MONTH})\s+of\s+(?P<rel>this|last|next)\s+year\b"), _month_of_year),
    (re.compile(rf"\b(?:in\s+)?(?P<part>early|mid-?|late)\s*(?P<year>{YEAR})\b", re.IGNORECASE), _part_of_year),
    (re.compile(r"\b(?:(?P<when>earlier|later|early|late)\s+)?this\s+(?P<unit>month|year)\b", re.IGNORECASE), _this),
    (re.compile(r"\blast\s+(?P<unit>year|month)\b", re.IGNORECASE), _last),
    (re.compile(rf"\b(?i:between)\s+(?P<a>{YEAR})\s+and\s+(?P<b>{YEAR})\b"
                rf"|\b(?:(?i:from)\s+)?(?P<a2>{YEAR})\s*(?:[-–—]|\bto\b)\s*(?P<b2>{YEAR})\b"), _year_span),
    (re.compile(r"\b(?:(?P<which>(?i:on|last|this|next))\s+)?(?P<day>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                r"(?:['’]s)?\b"), _weekday),
    (re.compile(r"\brecently\b|\b(?:a|the)\s+recent\b(?!\s+(?:years|months|decades|weeks|days|past))", re.IGNORECASE), _recent),
    (re.compile(r"\byesterday\b", re.IGNORECASE), _yesterday),
]


def _stated_year(m: re.Match, pub: Publication):
    return PartialDate(int(m.group("year"))), None, "exact", f"{m.group('year')}, as stated"


# Applied after dateparser, to words it left alone.
_FALLBACK_RULES: list[tuple[re.Pattern, Resolver]] = [
    (re.compile(rf"\b(?i:in|since|by|during|until|from|as early as|as of)\s+(?P<year>{YEAR})\b(?![-–/][0-9])"), _stated_year),
]


def _layer(line: str, pub: Publication, rules: list[tuple[re.Pattern, Resolver]],
           taken: list[_Found] = ()) -> list[_Found]:  # type: ignore[assignment]
    found: list[_Found] = list(taken)
    for pattern, resolve in rules:
        for m in pattern.finditer(line):
            if any(f.lo < m.end() and m.start() < f.hi for f in found):
                continue  # an earlier, more specific rule has these words
            out = resolve(m, pub)
            if out is not None:
                found.append(_Found(m.start(), m.end(), *out))
    return found[len(taken):]


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
        rows.append({"id": ident, "title": "", "start": c.start.iso, "end": c.end.iso if c.end else "",
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


# --- the command: python -m timeline suggest ARTICLE --published DATE [--write] -------------------

@dataclass(frozen=True)
class Added:
    """What `--write` added to a data folder."""

    source_id: str
    article: Path
    sources_row: int
    review: Path


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
               review: str = "") -> dict[str, str]:
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
            "notes": f"Added with python -m timeline suggest; candidate events in {review}." if review else ""}


NO_DESCRIPTION = "Not yet described: say who publishes this outlet and from what standpoint."


def add_article(folder: str | Path, article: Path, candidates: list[Candidate], *, outlet: str, published: str,
                source_id: str | None = None, **source_fields: Any) -> Added:
    """Copy the article into seeds/ byte for byte, describe it in seeds/sources.csv, and write the
    candidates to review/<source id>.csv (never to events.csv)."""
    from timeline.curation.curate import CurateError, append_to_tables, atomic_write
    from timeline.data.load import SOURCES, read_table, validate_row
    from timeline.data.models import Source

    folder = Path(folder)
    data = article.read_bytes()
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
    if review.exists():
        raise CurateError(f"{review} already exists; move it away or choose another --id")
    text = data.decode("utf-8-sig")
    row = source_row(text, source_id=ident, file=name, outlet=outlet, published=published,
                     review=f"review/{ident}.csv", **source_fields)
    problems: list = []
    if validate_row(Source, row, SOURCES, 0, problems) is None:
        raise CurateError("; ".join(f"{p.column or 'row'}: {p.message} (fix: {p.fix})" for p in problems))
    target = folder / "seeds" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, data)
    try:
        rows = append_to_tables(folder, {SOURCES: [row]}, None)
    except BaseException:
        target.unlink()
        raise
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
