"""EDTF dates (the Library of Congress Extended Date/Time Format, ISO 8601-2) for events' dates.

events.csv's start column takes EDTF beside its plain dates: `2022-11~` (approximate), `2019?`
(uncertain), `2019-04-01/2019-05-01` (an interval), `2024-XX` (unspecified digits), and the sets of
level 2 for a date known only by a bound: `[2022-10-23..]` (on or after), `[..2019]` (on or before),
`[2022-10-23..2024-05-08]` (one day between the two). The `edtf` package parses them (but for the plain
forms, see _SIMPLE); the lower and upper bounds of each date become its interval. "Inferred" has no EDTF mark: it stays date_certainty.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

from timeline.data.dates import PartialDate

EDTF_HINT = ("write EDTF such as 2022-11~ (approximate), 2019? (uncertain), 2019-04-01/2019-05-01 (an interval), "
             "2024-XX (month unknown), [2022-10-23..] (on or after) or [..2019] (on or before); or a plain YYYY-MM-DD")
_MARKS = re.compile(r"[~?%X/\[\]]|\.\.")
_QUALIFIERS = re.compile(r"[~?%]")
# YYYY, YYYY-MM or YYYY-MM-DD with at most one qualifier after it: the forms most cells take, read without the
# edtf package (its parser takes 5-20 ms a string: 150 s for 20,000 events), to the same bounds (tests/test_edtf.py).
_SIMPLE = re.compile(r"^[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-[0-3][0-9])?)?[~?%]?$")
_SET = re.compile(r"^\[([^\[\].,]*)\.\.([^\[\].,]*)\]$")
_SINGLE = ("Date", "UncertainOrApproximate", "Unspecified", "PartialUncertainOrApproximate")


class EdtfError(ValueError):
    """An EDTF string this project cannot use; `fix` says what to write instead."""

    def __init__(self, message: str, fix: str = EDTF_HINT) -> None:
        super().__init__(message)
        self.fix = fix


@dataclass(frozen=True)
class EdtfDate:
    """What an EDTF string says of an event's date, in the terms of events.csv."""

    start: PartialDate
    end: PartialDate | None
    certainty: str | None  # "approximate", "after" or "by" when the string says so; None for a plain date


def is_edtf(text: str) -> bool:
    """Whether a cell is written in EDTF rather than as a plain YYYY[-MM[-DD]] date."""
    return bool(_MARKS.search(text))


def _day(t) -> date:
    return date(t.tm_year, t.tm_mon, t.tm_mday)


def _partial(lo: date, hi: date, text: str) -> PartialDate:
    """The year, month or day that runs from lo to hi."""
    if lo == hi:
        return PartialDate(lo.year, lo.month, lo.day)
    if lo.year == hi.year and lo.day == 1:
        if lo.month == 1 and (hi.month, hi.day) == (12, 31):
            return PartialDate(lo.year)
        if lo.month == hi.month and hi.day == calendar.monthrange(hi.year, hi.month)[1]:
            return PartialDate(lo.year, lo.month)
    raise EdtfError(f'"{text}" covers {lo.isoformat()} to {hi.isoformat()}: neither a year, a month nor a day',
                    "write a year, a month or a day (2019, 2019-04, 2019-04-01), or an interval such as 2000/2099")


def _side(text: str) -> PartialDate:
    """One date of an interval or a set: its lower and upper bounds as a year, month or day."""
    if _SIMPLE.match(text):  # the plain forms, read directly: their bounds are the year's, month's or day's
        try:
            return PartialDate.parse(_QUALIFIERS.sub("", text))
        except ValueError:
            raise EdtfError(f'"{text}" is not an EDTF date') from None
    try:
        parsed = parse_edtf(text)
    except EDTFParseException:
        raise EdtfError(f'"{text}" is not an EDTF date') from None
    if type(parsed).__name__ not in _SINGLE:
        raise EdtfError(f'"{text}" is a kind of EDTF date the timeline does not draw ({type(parsed).__name__})')
    lo, hi = parsed.lower_strict(), parsed.upper_strict()
    if not lo.tm_year >= 1:
        raise EdtfError(f'"{text}" has no year 0000 or earlier', "write a year from 0001")
    return _partial(_day(lo), _day(hi), text)


@lru_cache(maxsize=4096)
def read_edtf(text: str) -> EdtfDate:
    """The start, end and certainty an EDTF string gives; EdtfError says what is wrong and how to fix it."""
    text = text.strip()
    parts = [part for part in re.split(r"/|\.\.", text[1:-1] if _SET.match(text) else text) if part]
    if not parts or not all(map(_SIMPLE.match, parts)):  # beyond the plain forms: edtf checks it
        try:
            parse_edtf(text)
        except EDTFParseException:
            raise EdtfError(f'"{text}" is not an EDTF date') from None
    bound = _SET.match(text)
    if bound:
        low, high = bound.groups()
        if _QUALIFIERS.search(text):  # EDTF has no ~, ? or % inside a set
            raise EdtfError(f'"{text}" is not an EDTF date')
        if low and high:
            return EdtfDate(_side(low), _side(high), "after")
        if low:
            return EdtfDate(_side(low), None, "after")
        if high:
            return EdtfDate(_side(high), None, "by")
        raise EdtfError(f'"{text}" gives no bound')
    if text.startswith("[") or text.startswith("{"):
        raise EdtfError(f'"{text}" is a set of dates', "write one date, an interval, or a bound: [2022-10-23..] or [..2019]")
    if "/" in text:
        low, high = text.split("/", 1)
        if low in ("", "..") or high in ("", ".."):
            if low not in ("", ".."):
                fix = f"for a date known only to be on or after {low} write [{low}..]"
            elif high not in ("", ".."):
                fix = f"for a date known only to be on or before {high} write [..{high}]"
            else:
                fix = EDTF_HINT
            raise EdtfError(f'"{text}" is an interval with an open or unknown end', fix)
        start, end = _side(low), _side(high)
    else:
        start, end = _side(text), None
    return EdtfDate(start, end, "approximate" if _QUALIFIERS.search(text) else None)


def to_edtf(start: PartialDate, end: PartialDate | None, certainty: str) -> str:
    """An event's date in EDTF: `~` when approximate, an interval for a span, a level-2 set for a bound.

    "inferred" is written as a plain date: EDTF has no mark for it, and date_certainty keeps it.
    """
    if certainty == "by":
        return f"[..{start.iso}]"
    if certainty == "after":
        return f"[{start.iso}..{end.iso}]" if end is not None else f"[{start.iso}..]"
    mark = "~" if certainty == "approximate" else ""
    if end is None or end == start:
        return start.iso + mark
    return f"{start.iso}{mark}/{end.iso}{mark}"
