"""Partial dates: a year, a month or a day, and the interval each one covers."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from typing import Any, Literal

Precision = Literal["year", "month", "day"]
_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_RANK = {"day": 0, "month": 1, "year": 2}
FORMAT_HINT = "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-04 or 2019-04-01"


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day.

    Its derived values are worked out on first use and kept: the values are frozen, and
    100,000 events share a few thousand of them (see _parse), so each is computed once.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; ValueError says what is wrong."""
        return _parse(cls, str(text).strip())

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        m = _PATTERN.match(text)
        if not m:
            raise ValueError(f'"{text}" is not a date')
        year, month, day = (int(g) if g else None for g in m.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f'"{text}" has no month {month:02d}')
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f'"{text}" is not a day of the calendar')
        if year < 1:
            raise ValueError(f'"{text}" has no year 0000')
        return cls(year, month, day)

    @cached_property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @cached_property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @cached_property
    def last_day(self) -> date:
        if self.day is not None:
            return self.first_day
        if self.month is not None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    def interval(self) -> tuple[date, date]:
        """The first and last day this date covers."""
        return self.first_day, self.last_day

    @cached_property
    def sort_key(self) -> tuple[date, int]:
        """Order by first day; a day sorts before the month or year that contains it."""
        return self.first_day, _RANK[self.precision]

    @cached_property
    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def label(self) -> str:
        """Human form at its precision: `1 April 2019`, `April 2019`, `2019`."""
        return self._label

    @cached_property
    def _label(self) -> str:
        if self.day is not None:
            return f"{self.day} {calendar.month_name[self.month]} {self.year}"
        if self.month is not None:
            return f"{calendar.month_name[self.month]} {self.year}"
        return str(self.year)

    def __str__(self) -> str:
        return self.iso

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def to_partial(value: Any) -> PartialDate:
            if isinstance(value, PartialDate):
                return value
            return cls.parse(value)

        return core_schema.no_info_plain_validator_function(
            to_partial, serialization=core_schema.to_string_ser_schema()
        )


@lru_cache(maxsize=16384)
def _parse(cls: type[PartialDate], text: str) -> PartialDate:
    """PartialDate.parse, remembered: 100,000 events share a few thousand dates (the values are frozen)."""
    return cls._parse(text)


def span_label(start: PartialDate, end: PartialDate | None) -> str:
    """`1839 – 1860`, `2–3 August 2022`, or the start's own label."""
    if end is None or end == start:
        return start.label()
    if start.precision == end.precision == "day" and (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.label()}"
    return f"{start.label()} – {end.label()}"


def bounded_label(bound: str, start: PartialDate, end: PartialDate | None) -> str:
    """A date the text only bounds: `after 23 October 2022`, `between 23 October 2022 and February 2023`
    (bound "after"; end, when given, is the latest it can be) or `by 2019` (bound "by")."""
    if bound == "by":
        return f"by {start.label()}"
    if end is None:
        return f"after {start.label()}"
    return f"between {start.label()} and {end.label()}"
