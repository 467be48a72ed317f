"""Any data folder, at any size: the CLI and the app on 1,000 generated events, and the fast paths that make
100,000 events usable (WebGL traces, the label budget, vectorised filters) giving what the plain ones give."""
from __future__ import annotations

import json
import os
import random
import shutil
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from timeline.data.anchor import _FOLD, normalise
from timeline.chart.figure import build_figure, covered, layers
from timeline.chart.layout import BANDS_UP_TO, WEBGL_FROM, WEBGL_LABELS
from timeline.data.dates import PartialDate
from timeline.filters import ViewState, filter_events
from timeline.chart.labels import MAX_LABELS
from timeline.data.load import ROOT, fingerprint, load_chronology
from timeline.data.synth import write_folder

N = 1000


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("scale") / "n1000"
    write_folder(folder, N, seed=42)
    return folder


@pytest.fixture(scope="module")
def chron(big):
    return load_chronology(big)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "timeline", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


# --- the command line on another data folder --------------------------------------------------------------


def test_validate_and_list_take_the_folder(big):
    r = cli("validate", "--data", str(big))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"OK: {N} events, ")
    r = cli("list", "--data", str(big), "--kind", "claim", "--actor", "dea")
    assert r.returncode == 0, r.stderr
    assert re.search(rf"\n(\d+) of {N} events\. Events of kind claim, involving DEA\.\n$", r.stdout)


def test_export_takes_the_folder(big, tmp_path):
    out = tmp_path / "claims.csv"
    r = cli("export", "--data", str(big), "--format", "csv", "--kind", "claim", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert f"of {N} events" in r.stdout and out.stat().st_size > 1000


# --- the app on another data folder ---------------------------------------------------------------------------


def test_the_app_reads_the_folder_named_by_timeline_data(big, monkeypatch):
    monkeypatch.setenv("TIMELINE_DATA", str(big))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert f"<strong>{N:,} of {N:,} events</strong>" in text
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {t["type"] for t in spec["data"]} == {"scatter"}  # 1,000 events: SVG
    assert len(at.dataframe[0].value) == N
    at.multiselect(key="w_kinds").set_value(["claim"]).run()
    assert not at.exception, at.exception
    shown = int(re.search(r"<strong>([\d,]+) of", "\n".join(m.value for m in at.markdown)).group(1).replace(",", ""))
    assert 0 < shown < N and len(at.dataframe[0].value) == shown


# --- the figure at scale ---------------------------------------------------------------------------------------


def many(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """`frame` repeated to `n` rows, each with its own id, in date order."""
    reps = -(-n // len(frame))
    out = pd.concat([frame] * reps, ignore_index=True).iloc[:n].copy()
    out["id"] = [f"{i}-{k}" for k, i in enumerate(out["id"])]
    out = out.sort_values("first_day", kind="stable").reset_index(drop=True)
    out["order"] = np.arange(len(out))
    return out


def labels_of(fig) -> list:
    return [a for a in fig.layout.annotations if (a.name or "").startswith("label:")]


def test_a_big_view_is_drawn_with_webgl_and_dates_travel_as_numbers(chron):
    frame = many(chron.frame, WEBGL_FROM)
    fig = build_figure(frame, width=900)
    big = [t for t in fig.data if (t.meta or {}).get("role") in ("marker", "band", "bar")]
    assert {t.type for t in big} == {"scattergl"}
    markers = [t for t in big if t.meta["role"] == "marker"]
    assert sum(int(row[3]) for t in markers for row in t.customdata) == len(frame)  # every event stands in one marker
    x = np.concatenate([t.x for t in markers])
    assert x.dtype == np.float64  # epoch milliseconds: plotly sends them as a binary array
    lo, hi = frame["first_day"].min(), frame["last_day"].max()
    assert pd.Timestamp(x.min(), unit="ms") >= lo and pd.Timestamp(x.max(), unit="ms") <= hi
    ids = {row[0] for t in markers for row in t.customdata}
    assert ids <= set(frame["id"])
    assert all(t.hovertemplate.startswith("<b>%{customdata[1]}</b>") for t in markers)
    json.loads(fig.to_json())  # serialisable as it is


def test_markers_that_would_cover_one_another_are_drawn_once_for_the_best_reported_event(chron):
    frame = many(chron.frame, WEBGL_FROM)  # the 1,000 events five times over: copies share a date, lane and kind
    best = frame["id"].iloc[len(frame) // 2]
    frame.loc[frame["id"] == best, "n_sources"] = 99
    fig = build_figure(frame, width=900)
    markers = [t for t in fig.data if (t.meta or {}).get("role") == "marker"]
    rows = [row for t in markers for row in t.customdata]
    assert len(rows) < len(frame) / 4  # far fewer markers than events...
    assert sum(int(r[3]) for r in rows) == len(frame)  # ...standing for every one of them
    assert best in {r[0] for r in rows}
    for r in rows:  # the hover says how many a marker stands for
        n = int(r[3])
        assert (f"and {n - 1:,} more events here" in r[2]) == (n > 1)
    # each kind keeps its own level in a lane: no marker of one kind is drawn over another kind's
    y_by_kind = {t.meta["kind"]: set(np.round(t.y, 3)) for t in markers if not t.meta["approximate"]}
    kinds = list(y_by_kind)
    assert all(not (y_by_kind[a] & y_by_kind[b]) for i, a in enumerate(kinds) for b in kinds[i + 1:])


def test_zooming_in_brings_back_every_marker_and_more_labels(chron):
    """A narrower view (what dragging across a period does) draws each event, and labels more of them."""
    frame = many(chron.frame, WEBGL_FROM)
    whole = build_figure(frame, width=900)
    narrow = frame[frame["first_day"] >= frame["first_day"].quantile(0.9)]
    zoomed = build_figure(narrow, width=900)
    drawn = lambda fig: sum(len(t.customdata) for t in fig.data if (t.meta or {}).get("role") == "marker")  # noqa: E731
    assert drawn(zoomed) == len(narrow) < WEBGL_FROM
    assert len(labels_of(zoomed)) > len(labels_of(whole))


def test_a_small_view_stays_svg(chron):
    fig = build_figure(chron.frame.iloc[:200], width=900)
    assert {t.type for t in fig.data} == {"scatter"}


def test_the_label_budget_goes_to_the_best_reported_events_and_numbers_only_when_all_fit(chron):
    frame = chron.frame
    svg = build_figure(frame, width=900)  # 1,000 entries: more than MAX_LABELS
    labels = labels_of(svg)
    assert 0 < len(labels) <= MAX_LABELS
    assert not any(re.fullmatch(r"#\d+", a.text) for a in labels)
    labelled = frame.set_index("id").loc[[a.name.removeprefix("label:") for a in labels]]
    assert labelled["n_sources"].mean() > frame["n_sources"].mean()
    gl = build_figure(many(frame, WEBGL_FROM), width=900)
    assert 0 < len(labels_of(gl)) <= WEBGL_LABELS


def test_bands_are_left_out_only_of_the_biggest_views(chron):
    roles = lambda fig: {(t.meta or {}).get("role") for t in fig.data}  # noqa: E731
    assert {"band", "bar"} <= roles(build_figure(many(chron.frame, WEBGL_FROM), width=900))
    huge = build_figure(many(chron.frame, BANDS_UP_TO + 1), width=900)
    assert "band" not in roles(huge) and "bar" in roles(huge)
    assert any("Bands are drawn for views of at most" in (a.text or "") for a in huge.layout.annotations)
    # its three lines of key have room under the axis: the chart's foot grows by a line (an image's notes follow it)
    key = next(a for a in huge.layout.annotations if a.name == "key")
    assert key.text.count("<br>") == 2
    small = build_figure(many(chron.frame, WEBGL_FROM), width=900)
    assert huge.layout.margin.b == small.layout.margin.b + 15
    assert huge.layout.margin.b >= -key.yshift + 3 * 11 * 1.3


def _segments_of(fig, role: str, dashed: bool) -> list:
    return [t for t in fig.data if (t.meta or {}).get("role") == role and (t.line.dash is not None) == dashed]


def test_a_still_image_of_a_big_view_is_svg_without_hover_and_its_bars_joined(chron):
    frame = many(chron.frame, BANDS_UP_TO)  # each event 20 times over: strokes piled on one another
    live, still = build_figure(frame, width=900), build_figure(frame, width=900, still=True)
    assert {t.type for t in still.data} == {"scatter"}
    markers = [t for t in still.data if t.meta["role"] == "marker"]
    assert markers and all(t.customdata.shape[1] == 1 and t.hovertemplate is None for t in markers)
    assert [(t.x.tolist(), t.y.tolist()) for t in markers] == [
        (t.x.tolist(), t.y.tolist()) for t in live.data if t.meta["role"] == "marker"]  # the same markers
    assert [a.text for a in still.layout.annotations] == [a.text for a in live.layout.annotations]
    for role in ("bar", "band"):
        before, after = _segments_of(live, role, False), _segments_of(still, role, False)
        assert sum(len(t.x) for t in after) < sum(len(t.x) for t in before) / 2  # joined runs, a few layers
        ours = {(t.line.color, t.xaxis) for t in after}
        assert ours == {(t.line.color, t.xaxis) for t in before}
        for style in ours:  # the first layer: the union of the strokes of that style in that panel
            runs = [t for t in after if (t.line.color, t.xaxis) == style]
            np.testing.assert_array_equal(covered(*_xy(before, style), 1)[0], runs[0].x)
    _same_lines(_segments_of(still, "bar", True), _segments_of(live, "bar", True))  # dashes would move: as they are
    few = many(chron.frame, WEBGL_FROM)  # five times over: layers may be no fewer points, then strokes stay as they are
    for ours, theirs in ((still, live), (build_figure(few, width=900, still=True), build_figure(few, width=900))):
        solid = [t for role in ("bar", "band", "bound") for t in _segments_of(theirs, role, False)]
        for style in {(t.line.color, t.xaxis) for t in solid}:
            drawn = [t for t in ours.data if t.mode == "lines" and (t.line.color, t.xaxis) == style]
            assert 0 < sum(len(t.x) for t in drawn) <= len(_xy(solid, style)[0])


def _same_lines(ours: list, theirs: list) -> None:
    assert [t.line.color for t in ours] == [t.line.color for t in theirs] and ours
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.x, b.x)
        np.testing.assert_array_equal(a.y, b.y)


def _xy(traces, style: tuple) -> tuple[np.ndarray, np.ndarray]:
    mine = [t for t in traces if (t.line.color, t.xaxis) == style]
    return np.concatenate([t.x for t in mine]), np.concatenate([t.y for t in mine])


def _runs(x: np.ndarray, y: np.ndarray) -> list[tuple]:
    return [(x[i], x[i + 1], y[i]) for i in range(0, len(x), 3)]


def test_covered_gives_runs_where_so_many_segments_lie_on_one_another():
    nan = np.nan
    x = np.array([0, 10, nan, 5, 20, nan, 20, 30, nan, 40, 50, nan, 8, 9, nan, 60, 60, nan, 45, 41, nan])
    y = np.array([1, 1, nan, 1, 1, nan, 1, 1, nan, 1, 1, nan, 1, 1, nan, 1, 1, nan, 2, 2, nan])
    # touching segments join; another height is its own run; ends may come reversed; no length covers nothing
    assert _runs(*covered(x, y, 1)) == [(0, 30, 1), (40, 50, 1), (41, 45, 2)]
    assert _runs(*covered(x, y, 2)) == [(5, 10, 1)]
    assert _runs(*covered(x, y, 3)) == [(8, 9, 1)]
    assert len(covered(x, y, 4)[0]) == 0
    assert np.isnan(covered(x, y, 1)[0][2::3]).all()  # gaps between the runs, as plotly needs them


def test_layers_stack_to_the_darkness_of_many_translucent_strokes():
    rng = np.random.default_rng(7)
    lo = rng.uniform(0, 100, 300)
    x = np.column_stack([lo, lo + rng.uniform(0, 20, 300), np.full(300, np.nan)]).ravel()
    y = np.column_stack([np.ones(300), np.ones(300), np.full(300, np.nan)]).ravel()
    alpha = 0.55
    k = layers(alpha)
    assert (1 - alpha) ** k <= 0.02 < (1 - alpha) ** (k - 1) and layers(1.0) == 1 and layers(0.01) == 8
    stack = [covered(x, y, d)[0] for d in range(1, k + 1)]
    for at in rng.uniform(-5, 125, 200):  # at each point: one layer per stroke over it, up to k
        depth = int(((x[0::3] < at) & (at < x[1::3])).sum())
        shown = sum(bool(((s[0::3] <= at) & (at <= s[1::3])).any()) for s in stack)
        assert shown == min(depth, k), at


@pytest.mark.parametrize("size", ["curated", "webgl", "still"])
def test_plotly_accepts_every_property_of_the_figure(chron, size):
    """build_figure assembles the figure without plotly's validation (for speed): validate it here."""
    frame = load_chronology(ROOT).frame if size == "curated" else many(chron.frame, WEBGL_FROM)
    fig = build_figure(frame, width=900, selected=frame["id"].iloc[3], still=size == "still")
    again = go.Figure(fig.to_dict())  # raises on a misspelt or misplaced property
    assert again.to_plotly_json()["layout"]["height"] == fig.layout.height


# --- the fast paths agree with the plain ones ---------------------------------------------------------------


def plain_filter(frame: pd.DataFrame, state: ViewState, chron) -> pd.DataFrame:
    """filter_events as it was written first: a Python function per row (dates from each Event's first and last day)."""
    mask = pd.Series(True, index=frame.index)
    days = frame["id"].map(lambda i: (chron.by_id[i].first_day, chron.by_id[i].last_day))
    if state.date_from:
        mask &= days.map(lambda d: d[1] >= state.date_from.first_day)
    if state.date_to:
        mask &= days.map(lambda d: d[0] <= state.date_to.last_day)
    if state.categories:
        mask &= frame["category"].isin(state.categories)
    if state.kinds:
        mask &= frame["kind"].isin(state.kinds)
    if state.actors:
        mask &= frame["actors"].map(lambda xs: not set(state.actors).isdisjoint(xs))
    if state.sources:
        mask &= frame["source_ids"].map(lambda xs: not set(state.sources).isdisjoint(xs))
    if state.min_outlets > 1:
        mask &= frame["outlets"].map(lambda xs: len(set(xs))) >= state.min_outlets
    for term in state.search.casefold().split():
        mask &= frame["search_text"].map(lambda text: term in text)
    return frame[mask]


def random_states(chron, n: int):
    rng = random.Random(42)
    frame = chron.frame
    categories, actors, sources = sorted(set(frame["category"])), chron.in_use["actor"], sorted(chron.sources)
    words = ["beijing", "tariffs", "officials said", "item 12", "vienna precursors", "zzz"]
    for _ in range(n):
        year = rng.randrange(1990, 2025)
        yield ViewState(
            kinds=tuple(rng.sample(["event", "claim", "statistic", "context"], rng.randrange(0, 3))),
            categories=tuple(rng.sample(categories, rng.randrange(0, 3))),
            actors=tuple(rng.sample(actors, rng.randrange(0, 3))),
            sources=tuple(rng.sample(sources, rng.randrange(0, 2))),
            date_from=PartialDate(year) if rng.random() < 0.3 else None,
            date_to=PartialDate(year + rng.randrange(0, 8)) if rng.random() < 0.3 else None,
            search=rng.choice(words) if rng.random() < 0.3 else "",
            min_outlets=rng.choice([0, 0, 2, 3]),
        )


def test_vectorised_filters_match_the_plain_ones(chron):
    frame = chron.frame
    for state in random_states(chron, 60):
        assert filter_events(frame, state)["id"].tolist() == plain_filter(frame, state, chron)["id"].tolist(), state


def test_no_filter_gives_every_row_without_copying(chron):
    shown = filter_events(chron.frame, ViewState())
    assert shown is not chron.frame and shown.equals(chron.frame)


def plain_normalise(text: str) -> tuple[str, list[int]]:
    """anchor.normalise as it was written first: character by character."""
    out, where, folded, i = [], [], text.translate(_FOLD), 0
    while i < len(folded):
        ch = folded[i]
        if ch.isspace():
            j = i
            while j < len(folded) and folded[j].isspace():
                j += 1
            out.append(" ")
            where.append(i)
            i = j
            continue
        if ch == "\u2026":
            out.extend("...")
            where.extend([i, i, i])
        else:
            out.append(ch)
            where.append(i)
        i += 1
    return "".join(out), where


def test_fast_normalise_matches_the_plain_one():
    rng = random.Random(1)
    pieces = [" ", "  ", "\n", "\t", "\xa0", "\u2026", "a", "B", "“", "”", "—", "’", "\u2212", "\u3000", "\x85", "x y", "é"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))
        assert normalise(text) == plain_normalise(text), repr(text)


def test_fingerprint_names_every_article_but_not_the_tables_in_seeds(big):
    names = [entry[0] for entry in fingerprint(big)]
    articles = sorted(p.name for p in (big / "seeds").iterdir() if p.suffix != ".csv")
    assert names[-len(articles):] == articles and "sources.csv" in names


def test_the_cache_key_follows_the_content_of_the_files_not_their_times(big, tmp_path):
    from views.common import content_key
    copy = tmp_path / "copy"
    shutil.copytree(big, copy)
    assert content_key(copy) == content_key(big)  # a copy holds the same data
    article = sorted((copy / "seeds").glob("*.txt"))[0]
    before = content_key(copy)
    os.utime(article, ns=(1, 1))  # saved again, unchanged
    assert fingerprint(copy) != fingerprint(big) and content_key(copy) == before
    article.write_text(article.read_text() + " ", encoding="utf-8")  # one more character
    edited = content_key(copy)
    assert edited != before
    (copy / "relations.csv").write_text("", encoding="utf-8")  # an empty table is not a missing one
    assert content_key(copy) not in (before, edited)
