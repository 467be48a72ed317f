"""The timeline figure: traces per kind, lanes, dates and their precision, the broken axis, labels."""
from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest

from tests.conftest import ROOT
from timeline.data.edtf_dates import to_edtf
from timeline.chart.figure import build_figure
from timeline.chart.layout import (
    KIND_COLOURS,
    KIND_SYMBOLS,
    LANE_FIELDS,
    MARGIN,
    MARKER,
    SELECTED_MARKER,
    THEMES,
    axis_break,
    layout_labels,
    plan,
)
from timeline.data.dates import PartialDate, span_label
from timeline.chart.labels import OFFSET, Box, label_requests, label_texts, overlapping, text_width, truncate
from timeline.data.load import load_chronology
from timeline.filters import ViewState, filter_events
from tests.shipped import N_EVENTS

OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return load_chronology(ROOT).frame


def event(id: str, start: str, end: str = "", *, kind: str = "event", category: str = "diplomacy",
          actors: tuple[str, ...] = ("us-president",), outlets: tuple[str, ...] = ("CGTN",), certainty: str = "exact",
          title: str = "", n_citations: int = 1) -> dict:
    """A row as Chronology.frame has it, for a synthetic event."""
    s, e = PartialDate.parse(start), PartialDate.parse(end) if end else None
    return {
        "order": 0, "id": id, "title": title or id.replace("-", " ").capitalize(), "label": "", "kind": kind,
        "kind_label": kind.capitalize(), "category": category, "category_label": category.replace("-", " ").capitalize(),
        "actors": actors, "actor_labels": tuple(a.replace("-", " ").title() for a in actors), "start": start, "end": end,
        "precision": s.precision, "date_label": ("c. " if certainty == "approximate" else "") + span_label(s, e),
        "date_edtf": to_edtf(s, e, certainty), "date_certainty": certainty, "date_note": "" if certainty == "exact" else "worked out from the article",
        "first_day": pd.Timestamp(s.first_day), "last_day": pd.Timestamp((e or s).last_day), "is_span": e is not None and e != s,
        "summary": "", "claimed_by": "Someone" if kind == "claim" else "", "source_ids": tuple(o.lower() for o in outlets),
        "outlets": outlets, "n_sources": len(outlets), "n_citations": n_citations, "search_text": "",
    }


def frame_of(*events: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(events)).sort_values("first_day", kind="stable").reset_index(drop=True)
    df["order"] = range(len(df))
    return df


MODERN = frame_of(event("a", "2017-03-01"), event("b", "2019-06"), event("c", "2021", kind="claim"),
                  event("d", "2024-11-25", category="cooperation", actors=("us-president", "prc-government")))


def by_role(fig, role: str, **meta) -> list:
    return [t for t in fig.data if (t.meta or {}).get("role") == role and all(t.meta.get(k) == v for k, v in meta.items())]


def ids_of(traces) -> list[str]:
    return [row[0] for t in traces for row in t.customdata]


def segment(trace, event_id: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    i = [row[0] for row in trace.customdata].index(event_id)
    return pd.Timestamp(trace.x[i]), pd.Timestamp(trace.x[i + 1])


def label_annotations(fig) -> list:
    return [a for a in fig.layout.annotations if (a.name or "").startswith("label:")]


def ticks(fig) -> list[str]:
    return [t.replace("<br>", " ") for t in fig.layout.yaxis.ticktext]


def test_synthetic_rows_have_the_columns_of_the_real_frame(frame):
    assert list(MODERN.columns) == list(frame.columns)


# --- kinds, colours, legend -------------------------------------------------------------------

def test_colours_are_okabe_ito_and_claims_differ_in_shape_too():
    assert set(KIND_COLOURS) == {"event", "claim", "statistic", "context"}
    assert set(KIND_COLOURS.values()) <= OKABE_ITO and len(set(KIND_COLOURS.values())) == 4
    assert len(set(KIND_SYMBOLS.values())) == 4 and KIND_SYMBOLS["claim"] != KIND_SYMBOLS["event"]


def test_one_legend_entry_per_kind_present(frame):
    fig = build_figure(frame)
    legend = [t for t in fig.data if t.showlegend is not False]
    assert [t.name for t in legend] == ["Event", "Claim", "Statistic", "Context"]
    assert [t.marker.color for t in legend] == [KIND_COLOURS[k] for k in ("event", "claim", "statistic", "context")]
    only_claims = build_figure(frame[frame["kind"] == "claim"])
    assert [t.name for t in only_claims.data if t.showlegend is not False] == ["Claim"]


def test_markers_are_one_trace_per_kind_per_panel_and_style(frame):
    fig = build_figure(frame)
    markers = by_role(fig, "marker")
    keys = [(t.meta["kind"], t.meta["approximate"], t.xaxis) for t in markers]
    assert len(keys) == len(set(keys))
    for t in markers:
        assert t.marker.symbol == KIND_SYMBOLS[t.meta["kind"]]
    claims = by_role(fig, "marker", kind="claim")
    assert set(ids_of(claims)) == set(frame.loc[frame["kind"] == "claim", "id"])


def test_trace_count_does_not_grow_with_the_events():
    def many(n: int) -> pd.DataFrame:
        kinds = ["event", "claim", "statistic"]
        return frame_of(*(event(f"e{i}", f"{2017 + i % 8}-{1 + i % 12:02d}-{1 + i % 28:02d}", kind=kinds[i % 3],
                                category=f"c{i % 4}") for i in range(n)))
    assert len(build_figure(many(30)).data) == len(build_figure(many(600), max_labels=50).data)


# --- lanes ------------------------------------------------------------------------------------

def test_category_lanes_are_named_in_order_of_their_first_event(frame):
    fig = build_figure(frame)
    assert ticks(fig) == list(dict.fromkeys(frame["category_label"]))
    assert fig.layout.yaxis.fixedrange is True


def test_actor_lanes_put_an_event_in_each_of_its_actors_lanes(frame):
    fig = build_figure(frame, "actor")
    markers = by_role(fig, "marker")
    assert len(ids_of(markers)) == sum(len(a) for a in frame["actors"])
    assert set(ticks(fig)) == {label for labels in frame["actor_labels"] for label in labels}
    opium = [row for t in markers for row in t.customdata if row[0] == "opium-wars"]
    assert {row[2] for row in opium} == {"qing-china", "western-powers"}


def test_source_lanes_put_an_event_in_each_of_its_outlets_lanes(frame):
    fig = build_figure(frame, "source")
    assert len(ids_of(by_role(fig, "marker"))) == sum(len(set(o)) for o in frame["outlets"])
    assert set(ticks(fig)) == {"CGTN", "NTDTV", "TheBlaze", "The Daily Caller", "The Epoch Times"}


def test_events_without_actors_get_a_lane_of_their_own():
    fig = build_figure(frame_of(event("a", "2020-01-01", actors=()), event("b", "2021-01-01")), "actor")
    assert ticks(fig) == ["No actor named", "Us President"]


def test_lane_labels_rename_lanes(frame):
    assert ticks(build_figure(frame, lane_labels={"history": "Before 1900"}))[0] == "Before 1900"


def test_unknown_lane_field_is_refused(frame):
    assert LANE_FIELDS == ("category", "actor", "source")
    with pytest.raises(ValueError, match="lanes must be one of category, actor, source"):
        build_figure(frame, "outlet")


# --- dates and their precision ----------------------------------------------------------------

def test_spans_are_bars_over_their_whole_interval(frame):
    fig = build_figure(frame)
    bars = by_role(fig, "bar")
    assert segment(next(t for t in bars if "opium-wars" in ids_of([t])), "opium-wars") == (
        pd.Timestamp("1839-01-01"), pd.Timestamp("1860-12-31"))
    assert segment(next(t for t in bars if "pelosi-taiwan" in ids_of([t])), "pelosi-taiwan") == (
        pd.Timestamp("2022-08-02"), pd.Timestamp("2022-08-03"))
    assert set(ids_of(bars)) == set(frame.loc[frame["is_span"], "id"])


def test_month_and_year_dates_get_a_band_day_dates_do_not(frame):
    fig = build_figure(frame)
    bands = by_role(fig, "band", approximate=False)
    dea = next(t for t in bands if "dea-2020-report" in ids_of([t]))
    assert segment(dea, "dea-2020-report") == (pd.Timestamp("2020-01-01"), pd.Timestamp("2020-12-31"))
    ifs = next(t for t in bands if "ifs-sanctions" in ids_of([t]))
    assert segment(ifs, "ifs-sanctions") == (pd.Timestamp("2020-05-01"), pd.Timestamp("2020-05-31"))
    banded = set(ids_of(by_role(fig, "band")))
    coarse = frame[(frame["precision"] != "day") & ~frame["is_span"] & ~frame["date_certainty"].isin(["after", "by"])]
    assert banded == set(coarse["id"])
    assert "china-halts-cooperation" not in banded | set(ids_of(by_role(fig, "bar")))


def test_markers_sit_mid_interval_for_coarse_dates_and_at_the_start_otherwise(frame):
    fig = build_figure(frame)
    x = {row[0]: pd.Timestamp(xv) for t in by_role(fig, "marker") for row, xv in zip(t.customdata, t.x)}
    assert x["china-halts-cooperation"] == pd.Timestamp("2022-08-05")
    assert x["opium-wars"] == pd.Timestamp("1839-01-01")
    assert pd.Timestamp("2020-05-15") <= x["ifs-sanctions"] <= pd.Timestamp("2020-05-17")


def test_approximate_dates_are_hollow_markers_with_dashed_bands(frame):
    fig = build_figure(frame)
    approximate = set(frame.loc[frame["date_certainty"] == "approximate", "id"])
    hollow = by_role(fig, "marker", approximate=True)
    assert set(ids_of(hollow)) == approximate
    for t in hollow:
        assert t.marker.color == THEMES["light"]["paper"] and t.marker.line.color == KIND_COLOURS[t.meta["kind"]]
    for t in by_role(fig, "marker", approximate=False):
        assert t.marker.color == KIND_COLOURS[t.meta["kind"]]
    dashed = by_role(fig, "band", approximate=True)
    assert dashed and all(t.line.dash == "dash" for t in dashed)
    assert set(ids_of(dashed)) == {i for i in approximate if frame.set_index("id").at[i, "precision"] != "day"}
    assert not any(t.line.dash for t in by_role(fig, "band", approximate=False))


def test_an_approximate_span_is_a_dashed_bar():
    fig = build_figure(frame_of(event("a", "2019", "2021", certainty="approximate"), event("b", "2020-01-01")))
    assert [t.line.dash for t in by_role(fig, "bar")] == ["dash"]


# --- what a click and a hover give ------------------------------------------------------------

def test_every_point_carries_its_event_id_first(frame):
    fig = build_figure(frame)
    ids = set(frame["id"])
    for t in fig.data:
        for row in t.customdata if t.customdata is not None else []:
            assert row[0] in ids
    markers = ids_of(by_role(fig, "marker"))
    assert sorted(markers) == sorted(ids)  # category lanes: each event exactly once


def test_hover_has_title_date_certainty_note_kind_claimant_and_outlets(frame):
    fig = build_figure(frame)
    hover = {row[0]: row[1] for t in by_role(fig, "marker") for row in t.customdata}
    row = frame.set_index("id").loc["xi-secret-speech"]
    text = re.sub(r"<br>", " ", hover["xi-secret-speech"])
    for part in (row["title"], row["date_label"], "approximate date", "Claim · claimed by " + row["claimed_by"],
                 *row["outlets"]):
        assert part in text
    assert row["date_note"][:30] in text
    assert all(t.hovertemplate == "%{customdata[1]}<extra></extra>" for t in by_role(fig, "marker"))


# --- the broken axis --------------------------------------------------------------------------

def test_curated_data_gets_a_narrow_historical_panel(frame):
    fig = build_figure(frame)
    layout = fig.layout
    assert 0.10 <= layout.xaxis.domain[1] <= 0.14 and layout.xaxis2.domain[0] - layout.xaxis.domain[1] == pytest.approx(0.02)
    assert pd.Timestamp(layout.xaxis.range[0]) < pd.Timestamp("1839-01-01")
    assert pd.Timestamp(layout.xaxis.range[1]) > pd.Timestamp("1860-12-31")
    assert pd.Timestamp(layout.xaxis2.range[0]) > pd.Timestamp("2000-01-01")
    marks = [s for s in layout.shapes if s.type == "line" and s.xref == "paper"]
    assert len(marks) == 4  # a pair of slashes at the foot and at the top of the gap
    assert any(a.name == "panel:history" and a.text == "Historical context" for a in layout.annotations)
    opium = by_role(fig, "marker", kind="context")
    assert {t.xaxis for t in opium if "opium-wars" in ids_of([t])} == {"x"}


def test_modern_panel_defaults_to_its_events_with_a_little_padding_and_can_zoom(frame):
    layout = build_figure(frame).layout
    lo, hi = (pd.Timestamp(v) for v in layout.xaxis2.range)
    assert pd.Timestamp("2016-09-01") < lo < pd.Timestamp("2017-01-01")
    assert pd.Timestamp("2024-12-31") < hi < pd.Timestamp("2025-05-01")
    assert layout.xaxis2.fixedrange is not True and layout.dragmode == "zoom"


def test_a_view_narrowed_to_some_dates_shows_those_dates_and_cuts_what_reaches_beyond(frame):
    """Zooming in (a period dragged across, or the Dates filter): the axis spans the window, not the events."""
    from timeline.filters import ViewState, filter_events
    state = ViewState(date_from=PartialDate(2019, 4, 15), date_to=PartialDate(2022))
    shown = filter_events(frame, state)
    spans = shown[shown["is_span"] & (shown["first_day"] < pd.Timestamp("2019-04-15"))]
    assert not spans.empty  # something that began before the window and reaches into it
    fig = build_figure(shown, window=state.window)
    assert "xaxis2" not in fig.layout.to_plotly_json()  # nothing from the 1800s in this window: one panel
    lo, hi = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert pd.Timestamp("2019-02-01") < lo <= pd.Timestamp("2019-04-15")
    assert pd.Timestamp("2022-12-31") <= hi < pd.Timestamp("2023-03-01")
    bars = [t for t in fig.data if (t.meta or {}).get("role") == "bar"]
    starts = [x for t in bars for x in t.x[0::3]]
    assert starts and min(pd.Timestamp(x) for x in starts) == pd.Timestamp("2019-04-15")  # drawn from the edge
    unzoomed = build_figure(shown)
    assert pd.Timestamp(unzoomed.layout.xaxis.range[0]) < pd.Timestamp("2019-03-01")


def test_data_without_a_long_gap_gets_one_panel():
    fig = build_figure(MODERN)
    assert "xaxis2" not in fig.layout.to_plotly_json()
    assert not [s for s in fig.layout.shapes if s.type == "line"]
    lo, hi = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert pd.Timestamp("2016-06-01") < lo < pd.Timestamp("2017-03-01")
    assert pd.Timestamp("2024-11-25") < hi < pd.Timestamp("2025-06-01")


@pytest.mark.parametrize("dates, cut", [
    ([("1839", "1860"), ("2017", ""), ("2024-11-25", "")], "2017-01-01"),
    ([("1950-05", ""), ("2017", ""), ("2024", "")], "2017-01-01"),
    ([("2000", ""), ("2017", ""), ("2024", "")], None),  # a 16-year gap is not long enough
    ([("1990", "2015"), ("2017", ""), ("2024", "")], None),
    ([("2020-01-01", "")], None),
])
def test_axis_break_needs_a_long_empty_gap(dates, cut):
    df = frame_of(*(event(f"e{i}", s, e) for i, (s, e) in enumerate(dates)))
    assert axis_break(df) == (pd.Timestamp(cut) if cut else None)


# --- labels -----------------------------------------------------------------------------------

def marker_boxes(p) -> list[Box]:
    r = SELECTED_MARKER / 2
    t = p.margin["t"]
    return [Box(x - r, y + t - r, x + r, y + t + r) for x, y in zip(p.rows["px"], p.rows["y"])]


@pytest.mark.parametrize("lanes", LANE_FIELDS)
@pytest.mark.parametrize("width", [1280, 1920])
def test_labels_never_overlap_labels_or_markers_and_stay_in_their_panel(frame, lanes, width):
    p = plan(frame, lanes, width)
    labels = p.labels
    assert overlapping(labels) == []
    markers = marker_boxes(p)
    for lab in labels:
        panel = p.panels[lab.panel]
        right = p.width - 4 if lab.panel == len(p.panels) - 1 else panel.hi  # the last panel may use the right margin
        assert panel.lo <= lab.x0 < lab.x1 <= right
        assert p.margin["t"] <= lab.y0 < lab.y1 <= p.height - p.margin["b"]
        assert not any(lab.box.intersects(m) for m in markers), lab
        assert lab.x0 == pytest.approx(lab.marker_x + OFFSET) if lab.anchor == "left" else lab.x1 == pytest.approx(
            lab.marker_x - OFFSET)
    instances = len(p.rows)
    assert len(labels) >= 0.9 * instances  # the source lanes of the crowded 2023–2024 months leave a few unlabelled
    if lanes == "category":
        assert sorted(lab.event_id for lab in labels) == sorted(frame["id"])
        assert sum(lab.numbered for lab in labels) <= 4


def test_overlap_check_would_catch_an_overlap(frame):
    labels = layout_labels(frame, "category", 1280)
    a = labels[0]
    clash = type(a)(**{**a.__dict__, "event_id": "other", "x0": a.x0 + 5, "x1": a.x1 + 5})
    assert overlapping([*labels, clash]) == [(a, clash)]


def test_labels_are_the_figures_annotations(frame):
    fig = build_figure(frame, width=1280)
    labels = layout_labels(frame, width=1280)
    notes = label_annotations(fig)
    assert list(fig.layout.annotations[:len(labels)]) == notes  # labels come first: data-index i in the SVG
    assert [a.name for a in notes] == [f"label:{lab.event_id}" for lab in labels]
    assert [a.text for a in notes] == [lab.text for lab in labels]
    assert [a.xanchor for a in notes] == [lab.anchor for lab in labels]
    for a, lab in zip(notes, labels):
        assert a.y == pytest.approx((lab.y0 + lab.y1) / 2 - fig.layout.margin.t)
        assert a.font.size == 11 and a.showarrow is False


def test_displaced_labels_get_a_leader(frame):
    p = plan(frame, "actor", 1280)
    fig = build_figure(frame, "actor", width=1280)
    with_leader = [lab for lab in p.labels if lab.leader]
    assert with_leader and all(abs(lab.slot) >= 1 for lab in with_leader)
    assert sorted(set(ids_of(by_role(fig, "leader")))) == sorted({lab.event_id for lab in with_leader})


def test_long_titles_are_truncated_with_an_ellipsis(frame):
    assert truncate("House hearing on the fentanyl crisis in America", 24) == "House hearing on the…"
    assert truncate("Short", 24) == "Short"
    rows = frame.set_index("id")
    for lab in layout_labels(frame, "category", 1280):
        title, label = rows.at[lab.event_id, "title"], rows.at[lab.event_id, "label"]
        assert (lab.numbered or lab.text in (title, label)
                or (lab.text.endswith("…") and title.startswith(lab.text[:-1])))


def test_a_short_label_is_tried_after_the_whole_title_and_before_any_cut_or_number():
    title = "A committee of the legislature publishes its long report on the trade in precursor chemicals"
    assert label_texts(title, "", 40) == [truncate(title, 72), truncate(title, 40), truncate(title, 22)]
    texts = label_texts(title, "Committee report on precursors", 40)
    assert texts[0] == "Committee report on precursors"  # the title is over 72 characters: the label comes first
    assert all(t.endswith("…") and text_width(t, 11) < text_width(texts[0], 11) for t in texts[1:])
    short = "Committee publishes its report on the precursor trade"
    assert label_texts(short, "Committee report", 32)[:2] == [short, "Committee report"]
    requests = label_requests(frame_of(event("a", "2020", title=short)).assign(label="Committee report", lane="x",
                                                                             number="1", panel=0, px=100.0),
                              [(0, 1000)], 1280)
    assert requests[0].texts[:2] == (short, "Committee report") and requests[0].texts[-1] == "#1"


def test_the_label_shows_where_the_title_does_not_fit():
    days = pd.date_range("2020-01-01", periods=6, freq="90D")
    long = "A title far too long to sit beside its neighbours on a narrow chart, whatever row it takes"
    df = frame_of(*(event(f"e{i}", d.strftime("%Y-%m-%d"), title=f"{long} {i}") for i, d in enumerate(days)))
    plain = layout_labels(df, "category", 700)
    labelled = layout_labels(df.assign(label=[f"Short label {i}" for i in range(len(df))]), "category", 700)
    assert not any(lab.text.startswith("Short label") for lab in plain)
    shown = [lab.text for lab in labelled]
    assert any(t.startswith("Short label") for t in shown)
    assert sum(t.endswith("…") for t in shown) < sum(lab.text.endswith("…") for lab in plain)


def test_crowded_lanes_fall_back_to_numbered_labels_with_the_title_on_hover():
    days = pd.date_range("2020-01-01", periods=16, freq="40D")  # markers about 7 px apart
    crowded = [event(f"e{i}", f"{d:%Y-%m-%d}", title=f"A long descriptive title for crowded event number {i}")
               for i, d in enumerate(days)]
    df = frame_of(event("early", "2017-01-01"), *crowded, event("late", "2024-12-31"))
    fig = build_figure(df, width=700)
    labels = layout_labels(df, width=700)
    assert overlapping(labels) == []
    numbered = [lab for lab in labels if lab.numbered]
    assert numbered and all(re.fullmatch(r"#\d+", lab.text) for lab in numbered)
    order = df.set_index("id")["order"]
    assert all(lab.text == f"#{order[lab.event_id] + 1}" for lab in numbered)
    titles = {a.name: a.hovertext for a in label_annotations(fig)}
    assert titles[f"label:{numbered[0].event_id}"] == df.set_index("id").at[numbered[0].event_id, "title"]


def test_label_budget_limits_the_layout_and_shares_it_between_lanes():
    df = frame_of(*(event(f"e{i}", f"{2017 + i % 8}-{1 + i % 12:02d}-01", category=f"c{i % 3}") for i in range(300)))
    labels = layout_labels(df, max_labels=30)
    assert 0 < len(labels) <= 30
    assert {lab.lane for lab in labels} == {"c0", "c1", "c2"}


def test_text_width_follows_arial_bold_metrics():
    assert text_width("Opium Wars", 11) == pytest.approx(11 * (778 + 611 + 278 + 611 + 889 + 278 + 944 + 556 + 389 + 556) / 1000)
    assert text_width("WWW", 11) > text_width("iii", 11) * 2


# --- size ---------------------------------------------------------------------------------------

def test_default_height_is_what_the_lanes_need(frame):
    for lanes in LANE_FIELDS:
        p = plan(frame, lanes, 1280)
        assert p.height == round(MARGIN["t"] + MARGIN["b"] + p.lanes[-1].bottom)
        assert build_figure(frame, lanes).layout.height == p.height
    assert plan(frame, "actor").height > plan(frame, "category").height


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080), (900, 500)])
def test_a_given_height_is_kept_and_labels_still_fit(frame, width, height):
    fig = build_figure(frame, width=width, height=height)
    assert (fig.layout.width, fig.layout.height) == (width, height)
    labels = layout_labels(frame, width=width, height=height)
    assert overlapping(labels) == []
    assert all(MARGIN["t"] <= lab.y0 and lab.y1 <= height - MARGIN["b"] for lab in labels)


# --- selection, themes, emptiness ------------------------------------------------------------

def test_the_selected_event_is_emphasised_and_nothing_else_moves(frame):
    plain, chosen = build_figure(frame), build_figure(frame, selected="pelosi-taiwan")
    emphasis = by_role(chosen, "selected")
    assert ids_of(emphasis) == ["pelosi-taiwan"]
    assert emphasis[0].marker.size == SELECTED_MARKER > MARKER and emphasis[0].marker.line.width >= 2
    assert chosen.data[-len(emphasis) - 4:-4] == tuple(emphasis)  # drawn over the other markers, under nothing
    for a, b in zip(label_annotations(plain), label_annotations(chosen)):
        assert (a.x, a.y, a.xanchor) == (b.x, b.y, b.xanchor)
        assert b.text == (f"<b>{a.text}</b>" if a.name == "label:pelosi-taiwan" else a.text)
    assert not by_role(plain, "selected")


def test_a_selected_event_is_emphasised_in_each_of_its_lanes(frame):
    assert ids_of(by_role(build_figure(frame, "actor", selected="opium-wars"), "selected")) == ["opium-wars"] * 2


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_themes(frame, theme):
    layout = build_figure(frame, theme=theme).layout
    assert layout.paper_bgcolor == layout.plot_bgcolor == THEMES[theme]["paper"]
    assert "sans-serif" in layout.font.family and layout.title.text is None
    assert all(a.font.color == THEMES[theme]["ink"] for a in label_annotations(build_figure(frame, theme=theme)))


def test_light_theme_is_white_and_an_unknown_theme_is_refused(frame):
    assert THEMES["light"]["paper"] == "#ffffff"
    with pytest.raises(ValueError, match="theme must be one of light, dark"):
        build_figure(frame, theme="sepia")


@pytest.mark.parametrize("empty", [lambda f: f.iloc[0:0], lambda f: pd.DataFrame()])
def test_an_empty_frame_explains_itself(frame, empty):
    fig = build_figure(empty(frame))
    assert len(fig.data) == 0
    assert "No events match the filters" in fig.layout.annotations[0].text


# --- what the browser draws --------------------------------------------------------------------

# the page's compact event-order chart at 1280 × 720 sets its labels in the small type, lanes closed up
SMALL_TYPE = {"height": 548, "scale": "order", "axis_top": True, "number_labels": False, "small_labels": True}


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium for kaleido")
@pytest.mark.parametrize("width, options", [(1280, {}), (1920, {}), (932, SMALL_TYPE)])
def test_rendered_label_boxes_do_not_overlap_and_fit_the_estimates(frame, width, options):
    """Read every label's box from the SVG plotly draws: g.annotation[data-index=i] > g > rect.bg."""
    fig = build_figure(frame, width=width, **options)
    try:
        svg = fig.to_image(format="svg", width=width, height=fig.layout.height).decode()
    except RuntimeError as err:  # pragma: no cover - no usable browser
        pytest.skip(str(err))
    found = re.findall(r'<g class="annotation" data-index="(\d+)".*?<g class="cursor-pointer" '
                       r'transform="translate\(([-\d.]+),\s*([-\d.]+)\)"[^>]*><rect class="bg" x="[-\d.]+" y="[-\d.]+" '
                       r'width="([-\d.]+)" height="([-\d.]+)"', svg)
    boxes = {int(i): Box(float(x), float(y), float(x) + float(w) + 1, float(y) + float(h) + 1) for i, x, y, w, h in found}
    labels = layout_labels(frame, width=width, **options)
    drawn = [boxes[i] for i in range(len(labels))]
    assert not [(a, b) for i, a in enumerate(drawn) for b in drawn[i + 1:] if a.intersects(b)]
    for box, lab in zip(drawn, labels):  # what is drawn lies within what was laid out
        assert lab.x0 - 1 <= box.x0 and box.x1 <= lab.x1 + 1 and lab.y0 - 1 <= box.y0 and box.y1 <= lab.y1 + 1


# --- dates the text only bounds (after, by) ------------------------------------------------------

@pytest.fixture(scope="module")
def bounded(tmp_path_factory) -> pd.DataFrame:
    from tests.conftest import bounded_folder
    return load_chronology(bounded_folder(tmp_path_factory.mktemp("bounded") / "data")).frame


def bound_segments(fig, event_id: str) -> list[tuple[int | None, pd.Timestamp, pd.Timestamp, float]]:
    """(fade step, from, to, opacity) of each piece of an event's bound band, nearest the marker first."""
    out = []
    for t in by_role(fig, "bound"):
        if event_id in ids_of([t]):
            lo, hi = segment(t, event_id)
            out.append((t.meta.get("step"), lo, hi, float(t.line.color.rsplit(",", 1)[1].rstrip(")"))))
    return sorted(out, key=lambda s: -1 if s[0] is None else s[0])


def pixels(fig, t: pd.Timestamp, axis: str = "xaxis") -> float:
    lo, hi = (pd.Timestamp(v) for v in fig.layout[axis].range)
    d0, d1 = fig.layout[axis].domain
    plot_w = fig.layout.width - fig.layout.margin.l - fig.layout.margin.r
    return (t - lo) / (hi - lo) * (d1 - d0) * plot_w


def test_a_bounded_date_has_its_marker_at_the_bound(bounded):
    fig = build_figure(bounded)
    x = {row[0]: pd.Timestamp(xv) for t in by_role(fig, "marker") for row, xv in zip(t.customdata, t.x)}
    assert x["no-seizures"] == pd.Timestamp("2019-09-01")      # after September 2019: its first day
    assert x["class-scheduling"] == pd.Timestamp("2019-12-31")  # by 2019: its last day
    assert x["delegation-visit"] == pd.Timestamp("2024-01-30")  # between two days: the earliest, not the middle
    # neither a period's bar nor a month's band: only the bound's band
    drawn = set(ids_of(by_role(fig, "bar"))) | set(ids_of(by_role(fig, "band")))
    assert not drawn & {"no-seizures", "class-scheduling", "delegation-visit"}
    assert set(ids_of(by_role(fig, "bound"))) == {"no-seizures", "class-scheduling", "delegation-visit"}


def test_an_after_date_with_an_end_is_a_dotted_band_from_start_to_end(bounded):
    fig = build_figure(bounded)
    [(step, lo, hi, alpha)] = bound_segments(fig, "delegation-visit")
    assert step is None and (lo, hi) == (pd.Timestamp("2024-01-30"), pd.Timestamp("2024-12-31"))
    [trace] = by_role(fig, "bound", bound="between")
    assert trace.line.dash == "dot" and alpha < 0.55  # lighter than a period's bar
    assert pd.Timestamp(fig.layout.xaxis.range[1]) > pd.Timestamp("2024-12-31")  # the axis reaches the end


def test_an_open_after_date_fades_away_to_the_right_and_a_by_date_to_the_left(bounded):
    fig = build_figure(bounded)
    after, by = bound_segments(fig, "no-seizures"), bound_segments(fig, "class-scheduling")
    for pieces, start, sign in ((after, pd.Timestamp("2019-09-01"), 1), (by, pd.Timestamp("2019-12-31"), -1)):
        assert [p[0] for p in pieces] == [0, 1, 2, 3]
        assert pieces[0][1] == start  # from the marker
        for (_, a, b, _), (_, c, _, _) in zip(pieces, pieces[1:]):
            assert b == c and (b - a) * sign > pd.Timedelta(0)  # each piece follows on from the last, outwards
        alphas = [p[3] for p in pieces]
        assert alphas == sorted(alphas, reverse=True) and alphas[0] > alphas[-1]  # fainter and fainter
        reach = abs(pixels(fig, pieces[-1][2]) - pixels(fig, start))
        assert 50 <= reach <= 60  # a fixed length on screen, not a made-up date


def test_an_open_band_of_a_narrow_window_stays_inside_the_axis(bounded):
    from timeline.filters import ViewState, filter_events
    state = ViewState(date_from=PartialDate(2019, 12, 31), date_to=PartialDate(2020, 1, 2))
    shown = filter_events(bounded, state)
    assert list(shown["id"]) == ["class-scheduling"]  # "by 2019", drawn at 31 December 2019
    fig = build_figure(shown, window=state.window, width=700)
    pieces = bound_segments(fig, "class-scheduling")
    lo, hi = (pd.Timestamp(v) for v in fig.layout.xaxis.range)
    assert pieces and pieces[0][1] == pd.Timestamp("2019-12-31")  # from the marker, leftwards
    assert min(p[2] for p in pieces) >= lo and max(p[1] for p in pieces) <= hi


def test_the_hover_and_the_key_say_the_date_is_not_known(bounded):
    fig = build_figure(bounded)
    hover = {row[0]: row[1] for t in by_role(fig, "marker") for row in t.customdata}
    assert "Date not known: after September 2019" in hover["no-seizures"]
    assert "Date not known: by 2019" in hover["class-scheduling"]
    assert "Date not known: between 30 January 2024 and December 2024" in hover["delegation-visit"]
    assert "Date not known" not in hover["working-group-launch"]
    key = next(a for a in fig.layout.annotations if a.name == "key").text
    assert "fading band: date not known" in key and "Dotted band" in key
    assert "fading band" not in next(a for a in build_figure(MODERN).layout.annotations if a.name == "key").text


def test_bound_bands_in_a_webgl_view(bounded):
    from timeline.chart.layout import WEBGL_FROM
    big = pd.concat([bounded] * (WEBGL_FROM // len(bounded) + 1), ignore_index=True)
    big["id"] = [f"e{i}" for i in range(len(big))]
    big["order"] = range(len(big))
    fig = build_figure(big)
    assert fig.data[0].type == "scattergl"
    bound = by_role(fig, "bound")
    assert {t.meta["bound"] for t in bound} == {"between", "open"}
    assert all(t.customdata is None for t in bound)
    assert "Date not known: by 2019" in " ".join(row[2] for t in by_role(fig, "marker") for row in t.customdata)


PAGE_WIDTHS = (560, 700, 840, 1100)  # the page's chart, from a narrow window to a wide one


def default_view_labels(width: int) -> list[str]:
    frame = filter_events(load_chronology(ROOT).frame, ViewState())
    return [a.text for a in label_annotations(build_figure(frame, width=width))]


@pytest.mark.parametrize("width", [w for w in PAGE_WIDTHS if w >= 700])
def test_the_shipped_labels_keep_the_default_view_in_words_not_cut_titles(width):
    texts = default_view_labels(width)
    assert len(texts) == N_EVENTS
    assert sum(t.endswith("…") for t in texts) <= 2  # 11 to 17 cut titles before the label column


@pytest.mark.xfail(strict=True, reason="two crowded stretches (drug control in 2019, cooperation in late 2024) have "
                                       "no row free for any words: their leaders and neighbours, not text length, "
                                       "leave room only for a number")
@pytest.mark.parametrize("width", [w for w in PAGE_WIDTHS if w >= 700])
def test_no_label_of_the_default_view_is_a_number_at_the_page_widths(width):
    assert [t for t in default_view_labels(width) if t.startswith("#")] == []


def test_markers_a_few_px_apart_get_their_labels_as_a_staircase():
    # Three markers 15 px apart, each label about 200 px wide, three rows above the lane. In date order the first
    # label takes the nearest row and covers the column of the next markers' stems: they find no row. From the
    # latest marker back, the later labels take the nearer rows and every stem reaches its label.
    from timeline.chart.labels import LabelRequest, _place_lane, place_lane
    reqs = [LabelRequest(f"e{i}", "lane", 100 + 15 * i, 0, 1000, ("A fairly long label of forty characters!",), f"#{i}")
            for i in range(3)]
    forward = _place_lane(reqs, [1, 2, 3], 11, passes=0)
    assert len(forward) < 3
    placed = place_lane(reqs, [1, 2, 3], 11)
    assert sorted(p.event_id for p in placed) == ["e0", "e1", "e2"]
    assert overlapping(placed) == []
    slot = {p.event_id: p.slot for p in placed}
    assert slot["e2"] < slot["e1"] < slot["e0"]  # the later, the nearer the lane


def test_labels_still_without_a_row_choose_first_in_a_last_pass():
    # A lane where neither date order nor its reverse places every label: the last pass lets the ones left out
    # choose their rows before the others, and keeps the layout only when it places more.
    from timeline.chart.labels import LabelRequest, place_lane
    long = "A label of some thirty characters"
    reqs = [LabelRequest(f"e{i}", "lane", x, 0, 1000, (long,), f"#{i}") for i, x in enumerate((100, 112, 124, 400, 412))]
    placed = place_lane(reqs, [1, -1, 2], 11)
    assert len(placed) == 5 and overlapping(placed) == []


def stems_clear(placed) -> bool:
    """No leader stem (at its marker's x, through the rows between the lane and its label) runs through a label."""
    from timeline.chart.labels import STEM
    for p in placed:
        step = 1 if p.slot > 0 else -1
        for q in placed:
            if q is not p and q.lane == p.lane and q.slot in range(step, p.slot, step) and q.x0 - 1 < p.marker_x + STEM and p.marker_x - STEM < q.x1 + 1:
                return False
    return True


def test_a_lane_the_greedy_passes_leave_short_is_searched_for_a_layout_that_labels_all():
    # Four markers, labels some 190 px wide, one row each side. Every greedy order leaves one out; a layout exists:
    # the second's label ends left of its marker below the lane, the first's starts right of its own above it.
    from timeline.chart.labels import LabelRequest, place_lane
    reqs = [LabelRequest(f"e{i}", "lane", x, 0, 600, ("A label of some thirty characters",), f"#{i}")
            for i, x in enumerate((100, 230, 290, 340))]
    assert len(place_lane(reqs, [1, -1], 11, search=False)) == 3
    placed = place_lane(reqs, [1, -1], 11)
    assert sorted(p.event_id for p in placed) == ["e0", "e1", "e2", "e3"]
    assert overlapping(placed) == [] and stems_clear(placed)
    assert all(0 <= p.x0 and p.x1 <= 600 for p in placed)
    by_id = {p.event_id: p for p in placed}
    assert (by_id["e1"].slot, by_id["e1"].anchor) == (-1, "right")


def test_the_search_puts_words_where_the_greedy_passes_leave_a_number():
    from timeline.chart.labels import LabelRequest, place_lane
    reqs = [LabelRequest(f"e{i}", "lane", x, 0, 600, ("A label of some thirty characters", f"#{i}"), f"#{i}")
            for i, x in enumerate((310, 330, 350))]
    assert sum(p.numbered for p in place_lane(reqs, [1, -1], 11, search=False)) == 1
    placed = place_lane(reqs, [1, -1], 11)
    assert len(placed) == 3 and not any(p.numbered for p in placed)
    assert overlapping(placed) == [] and stems_clear(placed)


def test_the_roomy_event_order_chart_labels_every_event(frame):
    # the page's roomy density at 1280 × 720: five rows a side; the crowded stretches of the cooperation lane left two
    # events without a label in any order the greedy passes tried
    p = plan(frame, width=932, scale="order", axis_top=True, number_labels=False, max_slots=5)
    assert {lab.event_id for lab in p.labels} == set(frame["id"])
    assert overlapping(p.labels) == [] and stems_clear(p.labels)


def test_a_short_chart_closes_its_lanes_up_before_leaving_labels_out(frame):
    from timeline.chart.layout import LABEL_SIZE, LANE_PAD, ROW
    p = plan(frame, width=932, height=548, scale="order", axis_top=True, number_labels=False)
    assert len({lab.event_id for lab in p.labels}) >= 43  # 35 with every lane's padding kept
    assert p.label_size == LABEL_SIZE and all(lab.y1 - lab.y0 == ROW for lab in p.labels)
    assert overlapping(p.labels) == [] and stems_clear(p.labels)
    tall = plan(frame, width=932, height=900, scale="order", axis_top=True, number_labels=False)
    first = tall.lanes[1]  # room to spare: lanes keep their padding (and share out the rest)
    above = [lab for lab in tall.labels if lab.lane == first.key and lab.slot > 0]
    assert min(lab.y0 for lab in above) - tall.margin["t"] - first.top >= LANE_PAD


def test_short_of_height_every_lane_gets_a_label_before_any_gets_more(frame):
    # the calendar at 1280 × 720 has room for a fraction of its labels: rows go to the lanes with none first
    p = plan(frame, width=932, height=548, axis_top=True, number_labels=False)
    assert {lab.lane for lab in p.labels} == set(frame["category"])  # three lanes bare with rows dealt round by round
    assert len({lab.event_id for lab in p.labels}) >= 16  # 12 then
    assert overlapping(p.labels) == [] and stems_clear(p.labels)


def test_small_labels_step_the_type_down_only_where_labels_would_be_left_out(frame):
    from timeline.chart.layout import LABEL_SIZE, SMALL_LABEL_SIZE, SMALL_ROW
    short = dict(width=932, height=548, scale="order", axis_top=True, number_labels=False)
    p = plan(frame, **short, small_labels=True)
    assert p.label_size == SMALL_LABEL_SIZE and all(lab.y1 - lab.y0 == SMALL_ROW for lab in p.labels)
    assert {lab.event_id for lab in p.labels} == set(frame["id"])
    fig = build_figure(frame, **short, small_labels=True)
    sizes = {a.font.size for a in fig.layout.annotations if (a.name or "").startswith("label:")}
    assert sizes == {SMALL_LABEL_SIZE}
    assert plan(frame, **short).label_size == LABEL_SIZE  # not asked for: the type keeps its size
    roomy = plan(frame, width=1572, height=908, scale="order", axis_top=True, number_labels=False, small_labels=True)
    assert roomy.label_size == LABEL_SIZE  # every label fits at the usual size


@pytest.mark.parametrize("size", [None, 6000])  # the curated data (SVG) and a view drawn with WebGL
def test_keep_unselected_is_the_same_as_updating_the_marker_traces(frame, tmp_path, size):
    import json

    import plotly.io as pio

    from timeline.data.synth import write_folder

    if size:
        write_folder(tmp_path / "big", size, seed=42)
        frame = load_chronology(tmp_path / "big").frame
    picked = frame["id"].iloc[len(frame) // 2]
    links = [(frame["id"].iloc[0], frame["id"].iloc[3])]
    kept = build_figure(frame, selected=picked, width=900, height=600, links=links, keep_unselected=True)
    updated = build_figure(frame, selected=picked, width=900, height=600, links=links)
    gl = any(t.type == "scattergl" for t in updated.data)
    assert gl == bool(size)
    updated.update_traces(selector={"type": "scattergl" if gl else "scatter"}, unselected={"marker": {"opacity": 1}})
    assert json.loads(pio.to_json(kept, validate=False)) == json.loads(pio.to_json(updated, validate=False))
    assert any(t.unselected.marker.opacity == 1 for t in kept.data)
