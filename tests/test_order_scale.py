"""The event-order scale: even positions in date order, year dividers, long gaps written out."""
from __future__ import annotations

import pandas as pd

from timeline.chart.scale import as_order_frame, day_of, gap_label, order_scale, order_ticks


def _frame(rows):
    return pd.DataFrame([{"id": i, "first_day": pd.Timestamp(a), "last_day": pd.Timestamp(b), "is_span": a != b, "order": k}
                         for k, (i, a, b) in enumerate(rows)])


FRAME = _frame([("war", "1839-09-04", "1842-08-29"), ("b", "2022-03-01", "2022-03-01"), ("a", "2017-01-20", "2017-01-20"),
                ("c", "2022-03-01", "2022-03-31"), ("d", "2024-11-05", "2024-11-05")])


def test_positions_are_even_and_in_date_order():
    s = order_scale(FRAME)
    assert s.ids == ("war", "a", "b", "c", "d")  # same first day: the shorter first
    assert [s.positions[i] for i in s.ids] == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_year_dividers_sit_between_events():
    s = order_scale(FRAME)
    assert [(d.position, d.year) for d in s.dividers] == [(-0.5, 1839), (0.5, 2017), (1.5, 2022), (3.5, 2024)]


def test_long_gaps_are_measured_from_the_latest_end():
    s = order_scale(FRAME)
    assert [(g.position, g.label) for g in s.gaps] == [(0.5, "174 years"), (1.5, "5 years"), (3.5, "3 years")]
    assert order_scale(FRAME, long_gap_days=100_000).gaps == ()


def test_gap_labels():
    assert [gap_label(d) for d in (1, 13, 20, 70, 400, 800, 365 * 157)] == [
        "1 day", "13 days", "3 weeks", "2 months", "13 months", "2 years", "157 years"]


def test_order_frame_puts_each_event_on_its_position_day():
    out = as_order_frame(FRAME)
    assert list(out["id"]) == ["war", "a", "b", "c", "d"]
    assert list(out["first_day"]) == [day_of(k) for k in range(5)] and (out["first_day"] == out["last_day"]).all()
    assert not out["is_span"].any() and list(out["order"]) == [0, 1, 2, 3, 4]


def test_ticks_are_years_thinned_to_the_width():
    s = order_scale(FRAME)
    assert order_ticks(s)[1] == ["1839", "2017", "2022", "2024"]
    assert order_ticks(s, width_px=60)[1] == ["1839", "2024"]  # 10 px per event: ticks 34 px apart at least


def test_empty():
    assert len(order_scale(FRAME.iloc[:0])) == 0
