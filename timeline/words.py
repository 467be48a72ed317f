"""Plain words for counts, lists and periods, shared by every text the project writes about a view."""
from __future__ import annotations

import pandas as pd

from timeline.data.chronology import Chronology
from timeline.data.dates import PartialDate


def count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _and(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def period(chron: Chronology, frame: pd.DataFrame, sep: str = " – ") -> str:
    """`1839 – November 2024`: from the earliest start to the latest end, each at its precision."""
    if frame.empty:
        return ""
    if "start" in frame and "end" in frame:  # the frame's own dates (a page's first run need not wait for the events)
        def dates(row) -> tuple[PartialDate, PartialDate | None]:
            end = frame.at[row, "end"]
            return PartialDate.parse(frame.at[row, "start"]), PartialDate.parse(end) if end else None
    else:
        def dates(row) -> tuple[PartialDate, PartialDate | None]:
            event = chron.by_id[frame.at[row, "id"]]
            return event.start, event.end
    first_day = frame["first_day"]
    if "date_certainty" in frame and (by := (frame["date_certainty"] == "by").to_numpy(dtype=bool)).any():
        # a "by" date is drawn at its bound, but may be earlier: the period starts no later than its start
        first_day = first_day.copy()
        first_day[by] = [pd.Timestamp(dates(row)[0].first_day) for row in frame.index[by]]
    start = dates(first_day.idxmin())[0]
    last_start, last_end = dates(frame["last_day"].idxmax())
    end = last_end or last_start
    if start.year == end.year and "year" in (start.precision, end.precision):
        return str(start.year)  # not "January 2024 – 2024"
    lo, hi = start.label(), end.label()
    return lo if lo == hi else f"{lo}{sep}{hi}"
