"""The event-order scale: events evenly spaced in date order, with year dividers and the length of long gaps.

A sequential scale (Timeline Storyteller's) makes crowded years legible. So that order is never mistaken for time,
the axis marks where each year starts and writes how long the long empty stretches are.

Positions are plain numbers, 0 … n-1, one per event. To reuse a date axis, `as_order_frame` puts event number k
on day ORIGIN + k (and draws every event as a point): a chart then needs only `order_ticks` for its tick labels.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

ORIGIN = pd.Timestamp("2000-01-01")  # position 0 on a date axis; any day would do
LONG_GAP_DAYS = 365  # an empty stretch at least this long has its length written on the axis


@dataclass(frozen=True)
class Divider:
    """Where a year starts: between the last event before it and the first in it."""

    position: float  # halfway between two events' positions
    year: int


@dataclass(frozen=True)
class Gap:
    """A long empty stretch between two neighbouring events."""

    position: float
    days: int

    @property
    def label(self) -> str:
        return gap_label(self.days)


@dataclass(frozen=True)
class OrderScale:
    ids: tuple[str, ...]          # event ids in date order
    positions: dict[str, float]   # event id → position
    dividers: tuple[Divider, ...]
    gaps: tuple[Gap, ...]

    def __len__(self) -> int:
        return len(self.ids)


def date_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The events (one row per id) sorted by first day, then last day, then their order in the file."""
    df = frame.drop_duplicates("id")
    keys = ["first_day", "last_day"] + (["order"] if "order" in df else [])
    return df.sort_values(keys, kind="stable")


def order_scale(frame: pd.DataFrame, long_gap_days: int = LONG_GAP_DAYS) -> OrderScale:
    """Positions evenly spaced in date order; a divider where the year of the first day changes (the first year
    too, at -0.5); a gap where the time from the previous events' latest last day to the next first day is at least
    `long_gap_days`."""
    if frame is None or frame.empty:
        return OrderScale((), {}, (), ())
    df = date_order(frame)
    ids = tuple(str(i) for i in df["id"])
    first = pd.DatetimeIndex(df["first_day"])
    years = first.year.to_numpy()
    dividers = [Divider(-0.5, int(years[0]))]
    dividers += [Divider(k - 0.5, int(years[k])) for k in range(1, len(ids)) if years[k] != years[k - 1]]
    reach = pd.Series(df["last_day"].to_numpy()).cummax().to_numpy()[:-1]
    days = (first.to_numpy()[1:] - reach) / np.timedelta64(1, "D")
    gaps = [Gap(k + 0.5, int(d)) for k, d in enumerate(days) if d >= long_gap_days]
    return OrderScale(ids, {i: float(k) for k, i in enumerate(ids)}, tuple(dividers), tuple(gaps))


def gap_label(days: int) -> str:
    """The length of a gap in words a reader takes in at a glance: "157 years", "18 months", "3 weeks"."""
    if days >= 2 * 365:
        n, unit = round(days / 365.25), "year"
    elif days >= 60:
        n, unit = round(days / 30.44), "month"
    elif days >= 14:
        n, unit = round(days / 7), "week"
    else:
        n, unit = int(days), "day"
    return f"{n} {unit}{'s' if n != 1 else ''}"


def day_of(position: float) -> pd.Timestamp:
    """A position as a day on a date axis (see `as_order_frame`)."""
    return ORIGIN + pd.Timedelta(days=float(position))


def as_order_frame(frame: pd.DataFrame, scale: OrderScale | None = None) -> pd.DataFrame:
    """The frame with every event moved to its position's day (first day = last day), so that a date-axis chart
    draws the event-order scale. The real dates stay in the other columns (date_label, start, …)."""
    scale = scale or order_scale(frame)
    day = frame["id"].map(lambda i: day_of(scale.positions[str(i)]))
    out = frame.assign(first_day=day, last_day=day, is_span=False)
    if "order" in out:  # lane_rows keeps the frame's order: make it the scale's
        out = out.assign(order=frame["id"].map(scale.positions).astype("int64"))
    return out.sort_values(["first_day"], kind="stable")


def order_ticks(scale: OrderScale, width_px: float | None = None, min_px: float = 34) -> tuple[list, list[str]]:
    """Tick days and texts for a date axis drawn by `as_order_frame`: the year at each divider (thinned when
    `width_px`, the plot's width, leaves less than `min_px` between two), and each long gap's length."""
    per = None if not width_px or not len(scale) else width_px / (len(scale) + 1)
    vals, texts, last = [], [], -np.inf
    for d in scale.dividers:
        if per is None or (d.position - last) * per >= min_px:
            vals.append(day_of(d.position))
            texts.append(str(d.year))
            last = d.position
    return vals, texts
