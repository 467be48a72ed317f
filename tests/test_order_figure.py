"""The timeline drawn on the event-order scale: one panel, evenly spaced points, year ticks, long gaps written out."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from tests.conftest import ROOT
from timeline.chart.figure import build_figure
from timeline.chart.layout import Panel, gap_marks, plan
from timeline.chart.scale import ORIGIN, Gap, day_of, order_scale, order_ticks
from timeline.data.dates import PartialDate
from timeline.data.load import load_chronology
from timeline.filters import ViewState, filter_events
from timeline.outputs.export import static_figure


@pytest.fixture(scope="module")
def chron():
    return load_chronology(ROOT)


@pytest.fixture(scope="module")
def frame(chron) -> pd.DataFrame:
    return chron.frame


def _x_axes(fig: go.Figure) -> list[str]:
    return sorted(k for k in fig.layout.to_plotly_json() if k.startswith("xaxis"))


def _named(fig: go.Figure, prefix: str) -> dict:
    return {a.name[len(prefix):]: a for a in fig.layout.annotations if a.name and a.name.startswith(prefix)}


def _recent(frame: pd.DataFrame) -> set[str]:
    years = frame["first_day"].dt.year
    return set(frame.loc[(years >= 2022) & (years <= 2024), "id"])


def test_one_panel_even_though_the_calendar_breaks_the_axis(frame):
    assert _x_axes(build_figure(frame, width=840)) == ["xaxis", "xaxis2"]  # the 1839 war is 150 years before the rest
    fig = build_figure(frame, width=840, scale="order")
    assert _x_axes(fig) == ["xaxis"]
    assert {t.xaxis for t in fig.data} == {"x"}
    assert "panel:history" not in _named(fig, "") and fig.layout.meta == {"scale": "order"}


def test_markers_are_evenly_spaced_points_in_date_order(frame):
    fig = build_figure(frame, width=840, scale="order")
    assert {t.meta["role"] for t in fig.data} <= {"marker", "leader", "legend"}  # no bands, bars or bounds
    points = sorted((pd.Timestamp(x), row[0]) for t in fig.data if t.meta["role"] == "marker"
                    for x, row in zip(t.x, t.customdata))
    assert [x for x, _ in points] == [day_of(k) for k in range(len(frame))]
    assert tuple(i for _, i in points) == order_scale(frame).ids


def test_hover_shows_the_real_dates_never_the_positions(frame):
    fig = build_figure(frame, width=840, scale="order")
    hover = {row[0]: row[1] for t in fig.data if t.meta["role"] == "marker" for row in t.customdata}
    labels = dict(zip(frame["id"], frame["date_label"]))
    assert all(labels[i] in text for i, text in hover.items())
    assert not any(str(ORIGIN.year) in text for text in hover.values())


def test_ticks_are_the_years_at_the_dividers_thinned_for_the_width(frame):
    for width in (560, 840, 1100):
        fig = build_figure(frame, width=width, scale="order")
        axis = fig.layout.xaxis
        plot_w = width - fig.layout.margin.l - fig.layout.margin.r
        vals, texts = order_ticks(order_scale(frame), width_px=plot_w)
        assert list(axis.ticktext) == texts and [pd.Timestamp(v) for v in axis.tickvals] == vals
        assert {"1839", "2023", "2024"} <= set(texts)
    assert "2022" in build_figure(frame, width=1100, scale="order").layout.xaxis.ticktext
    lines = [s for s in build_figure(frame, width=560, scale="order").layout.shapes if (s.name or "").startswith("year:")]
    assert sorted(int(s.name[5:]) for s in lines) == sorted({d.year for d in order_scale(frame).dividers})  # all of them


def test_long_gaps_are_written_under_the_axis(frame):
    fig = build_figure(frame, width=840, scale="order")
    gaps = _named(fig, "gap:")
    assert [a.text for a in gaps.values()] == ["<i>156 years</i>", "<i>15 months</i>", "<i>12 months</i>"]
    assert all(a.y == 0 and a.yanchor == "top" and a.yshift < -15 for a in gaps.values())  # below the year ticks
    breaks = {s.name for s in fig.layout.shapes if (s.name or "").startswith("break:")}
    assert breaks == {f"break:{g}" for g in gaps}
    key = _named(fig, "")["key"]
    assert key.yshift <= min(a.yshift for a in gaps.values()) - 13  # the key sits under the gaps' rows


def test_gaps_too_close_for_one_row_take_the_next():
    panel = Panel(day_of(-1), day_of(100), 100.0, 600.0, (0.0, 1.0))  # 5 px an event
    gaps = (Gap(0.5, 365 * 157), Gap(1.5, 600), Gap(60.5, 700), Gap(61.5, 400), Gap(62.5, 500), Gap(63.5, 800))
    marks = gap_marks(gaps, panel, 700)
    assert [m.row for m in marks] == [0, 1, 0, 1, 2]  # the sixth finds no room in three rows
    for a in marks:
        assert a.x0 >= 2 and a.x1 <= 698
        assert not any(b is not a and b.row == a.row and a.x0 < b.x1 and b.x0 < a.x1 for b in marks)
    assert gap_marks(gaps, panel, 700, rows=1) == tuple(m for m in marks if m.row == 0)


def test_plotly_accepts_the_figure(frame):
    ids = list(frame["id"])
    for width in (560, 840):
        for theme in ("light", "dark"):
            fig = build_figure(frame, width=width, scale="order", theme=theme, selected=ids[11],
                               links=[(ids[20], ids[30])], lanes="actor")
            go.Figure(fig.to_dict())  # raises on a misspelt or misplaced property


def test_every_event_of_2022_to_2024_gets_a_label_at_the_apps_width(frame):
    recent = _recent(frame)
    assert len(recent) > 30
    fig = build_figure(frame, width=840, scale="order")
    assert recent <= set(_named(fig, "label:"))
    view = filter_events(frame, ViewState(date_from=PartialDate(2022), date_to=PartialDate(2024)))
    assert set(view["id"]) == recent
    assert recent <= set(_named(build_figure(view, width=840, scale="order"), "label:"))


def test_a_short_chart_labels_more_on_the_order_scale(frame):
    # 600 px is too short for the calendar's stacked labels of the crowded years
    calendar, order = (plan(frame, width=840, height=600, scale=s) for s in ("calendar", "order"))
    assert len({lab.event_id for lab in order.labels}) > len({lab.event_id for lab in calendar.labels}) + 10


def test_window_and_numbers_follow_the_events_not_the_positions(frame):
    state = ViewState(date_from=PartialDate(2023), date_to=PartialDate(2023))
    view = filter_events(frame, state)
    p = plan(view, width=840, window=state.window, scale="order")
    assert len(p.rows) == len(view) and (p.rows["first_day"] < day_of(len(view))).all()
    assert dict(zip(p.rows["id"], p.rows["number"])) == {i: str(n + 1) for i, n in zip(view["id"], view["order"])}


def test_unknown_scale_is_refused(frame):
    with pytest.raises(ValueError, match="scale must be one of calendar, order"):
        build_figure(frame, scale="log")


def test_empty_view(frame):
    fig = build_figure(frame.iloc[:0], scale="order")
    assert "empty" in _named(fig, "")


def test_exports_of_an_order_view_use_the_scale(chron):
    state = ViewState(scale="order")
    fig, sheet = static_figure(chron, state, "png", "slide-16x9")
    assert _x_axes(fig) == ["xaxis"] and fig.layout.meta == {"scale": "order"} and _named(fig, "gap:")
    assert sheet.axis == "order" and 0 < sheet.labelled <= len(chron.frame)
    calendar, _ = static_figure(chron, ViewState(), "png", "slide-16x9", axis="calendar")
    assert _x_axes(calendar) == ["xaxis", "xaxis2"]
