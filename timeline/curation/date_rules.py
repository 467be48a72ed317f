"""The date rules that sit on top of dateparser: each is a pattern and a resolver that turns the words
into a date, its precision and its certainty, against the article's publication date.

Which forms these rules handle, and why dateparser alone does not, is tabled in
timeline.curation.suggest's docstring.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Literal

from timeline.data.dates import PartialDate

Certainty = Literal["exact", "inferred", "approximate"]

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


