"""Plain words for counts, lists and periods, shared by every text the project writes about a view."""
from __future__ import annotations

import pandas as pd

from timeline.data.chronology import Chronology


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
    first_day = frame["first_day"]
    if "date_certainty" in frame and (by := (frame["date_certainty"] == "by").to_numpy(dtype=bool)).any():
        # a "by" date is drawn at its bound, but may be earlier: the period starts no later than its start
        first_day = first_day.copy()
        first_day[by] = [pd.Timestamp(chron.by_id[i].start.first_day) for i in frame["id"][by]]
    first = chron.by_id[frame.loc[first_day.idxmin(), "id"]]
    last = chron.by_id[frame.loc[frame["last_day"].idxmax(), "id"]]
    start, end = first.start, last.end or last.start
    if start.year == end.year and "year" in (start.precision, end.precision):
        return str(start.year)  # not "January 2024 – 2024"
    lo, hi = start.label(), end.label()
    return lo if lo == hi else f"{lo}{sep}{hi}"
