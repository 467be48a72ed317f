"""The timeline figure: events in lanes over a date axis that breaks across long empty gaps.

`build_figure` is pure: a frame (Chronology.frame, or a filtered copy) in, a plotly figure
out, so the app, the CLI and the exporter share it. The y axis is measured in pixels from
the top of the plot area (lane names are its tick labels), which is what lets the labels be
laid out without overlaps for the given width (see timeline.chart.labels). Build the figure again
for another width; a figure shown wider than it was laid out only gains room between labels.

Finding things in it: every trace has meta {"role": marker|band|bar|leader|selected|legend,
"kind": ..., "approximate": ...}; every point's customdata[0] is its event id (markers:
[id, hover html, lane, number]). Labels are the first annotations, named "label:<event id>";
in plotly's SVG annotation i is `g.annotation[data-index="i"]` and its `rect.bg` is the
label's box (getBoundingClientRect in a browser), as layout_labels computes it. Past
MAX_LABELS lane entries, only the most important events of each lane get a label (most
sources, then events before claims, statistics and context), titles only, no "#12".

Big views (WEBGL_FROM lane entries or more) are drawn with WebGL (scattergl): dates as epoch
milliseconds, markers' customdata [id, title, date and kind] set out by WEBGL_HOVER, bands and
bars without customdata, WEBGL_LABELS labels at most; past BANDS_UP_TO entries, no bands.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline.chart.figspec import FigureSpec, Trace, TraceType
from timeline.chart.labels import (BORDER_PAD, MAX_LABELS, OFFSET, LabelPlacement, label_requests, place_by_rank, place_lane, slot_order,
                     text_width, wrap)

LANE_FIELDS = ("category", "actor", "source")
KINDS = ("event", "claim", "statistic", "context")
KIND_NAMES = {"event": "Event", "claim": "Claim", "statistic": "Statistic", "context": "Context"}
# Okabe–Ito: blue, vermillion, bluish green, reddish purple. Symbols differ too, for greyscale print.
KIND_COLOURS = {"event": "#0072B2", "claim": "#D55E00", "statistic": "#009E73", "context": "#CC79A7"}
KIND_SYMBOLS = {"event": "circle", "claim": "diamond", "statistic": "square", "context": "triangle-up"}
FONT_FAMILY = 'Arial, "Liberation Sans", "Helvetica Neue", Helvetica, sans-serif'
FONT_SIZE = 12      # axes, legend, hover
LABEL_SIZE = 11     # event labels
ROW = 17            # height of a row of labels, px: a rendered label is 16 px tall, plus 1 px between rows
MARKER = 11         # marker diameter, px; the selected event's is SELECTED_MARKER
SELECTED_MARKER = 16
STEP = 11           # vertical distance between markers dodged apart because their dates overlap
MAX_LEVEL = 3       # markers dodge at most this many steps up or down
MAX_SLOTS = 4       # label rows on each side of a lane, at most (fewer when a given height demands)
LANE_PAD = 4        # px above and below each lane's rows
MARGIN = {"t": 46, "r": 24, "b": 62}   # the left margin is fitted to the lane names
MIN_GAP_YEARS = 20  # an empty stretch longer than this, and than GAP_SHARE of the whole span,
GAP_SHARE = 0.4     # breaks the axis into a historical and a modern panel
HISTORY_SHARE = 0.12
PANEL_SPACING = 0.02
THEMES = {
    "light": {"paper": "#ffffff", "stripe": "#f4f6f9", "ink": "#1f2933", "muted": "#5f6b7a",
              "grid": "#e3e7ed", "axis": "#9aa5b1", "band": 0.28},
    "dark": {"paper": "#0e1117", "stripe": "#161b24", "ink": "#e6e9ef", "muted": "#a3acb9",
             "grid": "#262c38", "axis": "#5c6675", "band": 0.42},
}
_NO_LANE = {"category": "No category", "actor": "No actor named", "source": "No source"}
_COLUMNS = ("order", "id", "title", "kind", "category", "category_label", "actors", "actor_labels", "outlets", "first_day",
            "last_day", "is_span", "date_label", "date_certainty", "date_note", "claimed_by", "n_sources", "n_citations")
_DRAWN = ("id", "lane", "number", "kind", "date_certainty", "is_span", "first_day", "last_day", "panel", "x", "y",
          "stands_for")
_LEVELS = [0] + [s * k for k in range(1, MAX_LEVEL + 1) for s in (-1, 1)]
KIND_LEVEL = dict(zip(KINDS, _LEVELS))  # WebGL views: a level of the lane per kind (event 0, claim -1, ...)
# From this many lane entries on, the figure is drawn with WebGL (scattergl): SVG slows down past some thousands
# of points. A WebGL figure is also built leaner: dates as epoch milliseconds (sent as binary arrays), a short
# hover (title, date, kind), bands and bars without customdata, markers spread over the lane's levels in turn.
WEBGL_FROM = 5000
WEBGL_LABELS = 100  # label budget of a WebGL figure (hover and zoom show the rest)
WEBGL_MARKER = 7  # px: thousands of markers leave gaps between them, so that density and bands show
BANDS_UP_TO = 20000  # more lane entries than this: no bands (hidden under the markers, and a third of the drawing time)
WEBGL_HOVER = "<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>"
_EPOCH = pd.Timestamp(0)
_CERTAINTY_NOTES = {"inferred": " · date inferred", "approximate": " · approximate date"}  # in the hover, after the date


Window = tuple[object, object] | None  # (first day, last day) of a view narrowed to some dates; either may be None


@dataclass(frozen=True)
class Panel:
    """One x axis: its default date range and where it sits, in figure pixels."""

    start: pd.Timestamp
    end: pd.Timestamp
    lo: float
    hi: float
    domain: tuple[float, float]

    def px(self, t: pd.Series) -> np.ndarray:
        scale = (self.hi - self.lo) / (self.end - self.start).total_seconds()
        return self.lo + (t - self.start).dt.total_seconds().to_numpy() * scale


@dataclass(frozen=True)
class Lane:
    """One lane: y positions in pixels from the top of the plot area."""

    key: str
    label: str
    top: float
    center: float
    bottom: float
    strip_top: float     # the markers' strip reaches this far above and below the centre
    strip_bottom: float


@dataclass
class Plan:
    """Everything measured before drawing: size, margins, panels, lanes, marker places, labels."""

    width: int
    height: int
    margin: dict
    panels: list[Panel]
    lanes: list[Lane]
    rows: pd.DataFrame            # one row per event and lane: panel, x (date), px, y (plot px)
    labels: list[LabelPlacement]  # boxes in figure pixels

    def background(self, c: dict) -> dict[str, str]:
        """Each lane's background colour: every other lane is striped."""
        return {ln.key: c["stripe"] if j % 2 else c["paper"] for j, ln in enumerate(self.lanes)}

    @property
    def plot_height(self) -> float:
        return self.height - self.margin["t"] - self.margin["b"]


def lane_rows(frame: pd.DataFrame, lanes: str = "category", lane_labels: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per event and lane it belongs in (columns lane, lane_label), lanes in order of first event."""
    if lanes not in LANE_FIELDS:
        raise ValueError(f'lanes must be one of {", ".join(LANE_FIELDS)}, not "{lanes}"')
    df = frame[[c for c in _COLUMNS if c in frame]]  # carrying summaries and quotes along would be slow
    key = "order" if "order" in df else "first_day"
    if not df[key].is_monotonic_increasing:  # the chronology's frame and its filtered copies are in order already
        df = df.sort_values(key, kind="stable")
    if lanes == "category":
        out = df.assign(lane=df["category"], lane_label=df.get("category_label", df["category"]))
    else:
        keys, names = ("actors", "actor_labels") if lanes == "actor" else ("outlets", "outlets")
        out = df.assign(lane=df[keys], lane_label=df[names] if names in df else df[keys])
        out = out.explode(["lane", "lane_label"]).reset_index(drop=True)
        none = out["lane"].isna()
        out.loc[none, "lane"], out.loc[none, "lane_label"] = "", _NO_LANE[lanes]
        out = out.drop_duplicates(["id", "lane"])
    if lane_labels:
        out["lane_label"] = out["lane"].map(lane_labels).fillna(out["lane_label"])
    return out.reset_index(drop=True)


def axis_break(frame: pd.DataFrame) -> pd.Timestamp | None:
    """First day of the modern period when a long empty gap splits the dates, else None (one panel)."""
    if len(frame) < 2:
        return None
    df = frame[["first_day", "last_day"]].sort_values("first_day")
    reach = df["last_day"].cummax().to_numpy()[:-1]
    starts = df["first_day"].to_numpy()[1:]
    gaps = (starts - reach) / np.timedelta64(1, "D") / 365.25
    i = int(np.argmax(gaps))
    span = (df["last_day"].max() - df["first_day"].min()).days / 365.25
    if gaps[i] > MIN_GAP_YEARS and gaps[i] > GAP_SHARE * span:
        return pd.Timestamp(starts[i])
    return None


def _range(first: pd.Series, last: pd.Series, share: float, least_days: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    lo, hi = first.min(), last.max()
    pad = max((hi - lo) * share, pd.Timedelta(days=least_days))
    return lo - pad, hi + pad


def _panels(frame: pd.DataFrame, cut: pd.Timestamp | None, left: float, plot_w: float) -> list[Panel]:
    frame = frame[["first_day", "last_day"]]
    if cut is None:
        return [Panel(*_range(frame["first_day"], frame["last_day"], 0.025, 45), left, left + plot_w, (0.0, 1.0))]
    old, new = frame[frame["first_day"] < cut], frame[frame["first_day"] >= cut]
    share = max(HISTORY_SHARE, 110 / plot_w)  # never too narrow to read
    avail = 1 - PANEL_SPACING
    d0, d1 = (0.0, avail * share), (avail * share + PANEL_SPACING, 1.0)
    return [Panel(*_range(old["first_day"], old["last_day"], 0.1, 365), left + d0[0] * plot_w, left + d0[1] * plot_w, d0),
            Panel(*_range(new["first_day"], new["last_day"], 0.025, 45), left + d1[0] * plot_w, left + d1[1] * plot_w, d1)]


def _dodge(lo: np.ndarray, hi: np.ndarray) -> list[int]:
    """A level per marker (in order of lo) so that markers and bands that overlap sit apart."""
    ends: dict[int, float] = {}
    levels = []
    for a, b in zip(lo, hi):
        level = next((lv for lv in _LEVELS if ends.get(lv, -np.inf) <= a), None)
        if level is None:
            level = min(ends, key=ends.__getitem__)
        ends[level] = b
        levels.append(level)
    return levels


def plan(frame: pd.DataFrame, lanes: str = "category", width: int = 1280, height: int | None = None, *,
         lane_labels: dict[str, str] | None = None, max_labels: int = MAX_LABELS, window: Window = None) -> Plan:
    """Measure the figure: panels, lane heights, marker positions and the label layout.

    `window` (first day, last day): the dates the view is narrowed to. The axes show those dates only; what reaches
    beyond is drawn up to the edge (a period's marker, at its start, then sits on the edge).
    """
    if window is not None:
        lo, hi = (pd.Timestamp(d) if d is not None else None for d in window)
        frame = frame.assign(first_day=frame["first_day"].clip(lo, hi), last_day=frame["last_day"].clip(lo, hi))
    rows = lane_rows(frame, lanes, lane_labels)
    keys = list(rows["lane"].unique())  # in order of first appearance
    names = dict(zip(_values(rows, "lane"), _values(rows, "lane_label")))
    lines = [line for k in keys for line in wrap(names[k], 18).split("<br>")]
    left = float(np.clip(max(text_width(line, FONT_SIZE) for line in lines) + 18, 60, width * 0.3))
    margin = {"l": round(left), **MARGIN}
    panels = _panels(frame, axis_break(frame), margin["l"], width - margin["l"] - margin["r"])
    cut = panels[1].start if len(panels) == 2 else None
    rows["panel"] = 0 if cut is None else (rows["first_day"] >= cut).astype(int)
    rows["x"] = rows["first_day"].where(rows["is_span"], rows["first_day"] + (rows["last_day"] - rows["first_day"]) / 2)
    numbers = rows["order"].to_numpy() + 1 if "order" in rows else np.arange(1, len(rows) + 1)
    rows["number"] = np.array([str(n) for n in numbers.tolist()], dtype=object)  # as object: Arrow text is slow to build
    for col, src in (("px", "x"), ("px0", "first_day"), ("px1", "last_day")):
        rows[col] = 0.0
        for i, panel in enumerate(panels):
            sel = rows["panel"] == i
            rows.loc[sel, col] = panel.px(rows.loc[sel, src])
    rows["level"] = 0
    r = SELECTED_MARKER / 2
    if len(rows) >= WEBGL_FROM:  # too many to dodge one by one: a level per kind, coinciding markers drawn once
        rows["level"], rows["stands_for"] = _coincide(rows)
    else:
        for _, grp in rows.sort_values("px0", kind="stable").groupby("lane", sort=False):
            rows.loc[grp.index, "level"] = _dodge(np.minimum(grp["px0"], grp["px"]).to_numpy() - r, grp["px1"].to_numpy() + r)
    bounds = [(pn.lo, width - 4 if i == len(panels) - 1 else pn.hi) for i, pn in enumerate(panels)]  # the last may use the margin
    budget = min(max_labels, WEBGL_LABELS) if len(rows) >= WEBGL_FROM else max_labels
    # A number ("#12") stands in for a title only while every entry can have a label; past the budget the labels
    # go to the most important events, titles only ("#48213" would tell a reader nothing), the rest on hover.
    drawn = rows if "stands_for" not in rows else rows[rows["stands_for"].to_numpy() > 0]
    requests = label_requests(drawn, bounds, width, budget, numbers=len(rows) <= budget)
    place = place_lane if len(rows) <= budget else place_by_rank  # crowded: most important first, no retries
    avail = None if height is None else height - margin["t"] - margin["b"]
    by_lane = {k: [q for q in requests if q.lane == k] for k in keys}
    # fewer label rows when the given height is short: 4, 3, 2, 1 on each side, one above, none
    for slots in [slot_order(n) for n in range(MAX_SLOTS, 0, -1)] + [[1], []]:
        placed = [p for k in keys for p in place(by_lane[k], slots, LABEL_SIZE)] if slots else []
        lane_list = _stack(keys, names, rows, placed)
        total = lane_list[-1].bottom
        if avail is None or total <= avail:
            break
    if avail is not None and total < avail:  # share the spare height out between the lanes (none when too short)
        extra = (avail - total) / len(keys)
        lane_list = [replace(ln, top=ln.top + i * extra, center=ln.center + (i + 0.5) * extra, bottom=ln.bottom + (i + 1) * extra)
                     for i, ln in enumerate(lane_list)]
        total = avail
    height = height or round(total + margin["t"] + margin["b"])
    by_key = {ln.key: ln for ln in lane_list}
    rows["y"] = rows["lane"].map({k: ln.center for k, ln in by_key.items()}) + rows["level"] * STEP
    level = _lookup(rows, placed, "y")
    t = margin["t"]
    labels = []
    for p in placed:
        ln = by_key[p.lane]
        if p.slot > 0:
            y1 = ln.center - ln.strip_top - (p.slot - 1) * ROW
            y0 = y1 - ROW
        else:
            y0 = ln.center + ln.strip_bottom + (-p.slot - 1) * ROW
            y1 = y0 + ROW
        labels.append(replace(p, y0=y0 + t, y1=y1 + t, marker_y=level[p.event_id, p.lane] + t))
    return Plan(width, height, margin, panels, lane_list, rows, labels)


def _coincide(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Markers of a WebGL view: each kind on its own level of the lane, and markers that would be drawn on one
    another (same lane, panel, kind and certainty, in the same marker-wide column of pixels) drawn once, for the
    most important of them (most sources, then most citations, then the earliest).

    Returns each row's level and how many events its marker stands for (0: not drawn, covered by another's).
    """
    level = rows["kind"].map(KIND_LEVEL).fillna(0).to_numpy(dtype=np.int64)
    group = pd.DataFrame({
        "lane": pd.factorize(rows["lane"])[0], "panel": rows["panel"].to_numpy(), "level": level,
        "approx": (rows["date_certainty"] == "approximate").to_numpy(),
        "cell": np.floor(rows["px"].to_numpy() / WEBGL_MARKER).astype(np.int64),
    }).groupby(["lane", "panel", "level", "approx", "cell"], sort=False).ngroup().to_numpy()
    keys = [np.arange(len(rows))]  # least significant first
    for col in ("n_citations", "n_sources"):
        if col in rows:
            keys.append(-rows[col].to_numpy())
    best_first = np.lexsort(keys)
    _, first = np.unique(group[best_first], return_index=True)
    drawn = best_first[first]
    stands_for = np.zeros(len(rows), dtype=np.int64)
    stands_for[drawn] = np.bincount(group)[group[drawn]]
    return level, stands_for


def _stack(keys: list[str], names: dict[str, str], rows: pd.DataFrame, placed: list[LabelPlacement]) -> list[Lane]:
    """Lanes from top to bottom, each as tall as its label rows and its dodged markers need."""
    lanes, y = [], 0.0
    levels = rows.groupby("lane")["level"].agg(["min", "max"])
    for k in keys:
        slots = [p.slot for p in placed if p.lane == k]
        above, below = max([s for s in slots if s > 0], default=0), -min([s for s in slots if s < 0], default=0)
        s_top = SELECTED_MARKER / 2 + 2 - levels.at[k, "min"] * STEP
        s_bottom = SELECTED_MARKER / 2 + 2 + levels.at[k, "max"] * STEP
        n_lines = wrap(names[k], 18).count("<br>") + 1
        spare = max(0.0, n_lines * 15 + 6 - (above + below) * ROW - s_top - s_bottom - 2 * LANE_PAD) / 2
        center = y + LANE_PAD + spare + above * ROW + s_top
        bottom = center + s_bottom + below * ROW + LANE_PAD + spare
        lanes.append(Lane(k, names[k], y, center, bottom, s_top, s_bottom))
        y = bottom
    return lanes


def layout_labels(frame: pd.DataFrame, lanes: str = "category", width: int = 1280, height: int | None = None, *,
                  lane_labels: dict[str, str] | None = None, max_labels: int = MAX_LABELS,
                  window: Window = None) -> list[LabelPlacement]:
    """The labels build_figure draws for these arguments, with their boxes in figure pixels."""
    return plan(frame, lanes, width, height, lane_labels=lane_labels, max_labels=max_labels, window=window).labels


def _values(df: pd.DataFrame, col: str) -> np.ndarray:
    """A column as an object array (iterating pandas' Arrow-backed strings one by one is slow)."""
    return df[col].to_numpy(dtype=object)


def _lookup(rows: pd.DataFrame, labels: list[LabelPlacement], col: str) -> dict[tuple[str, str], object]:
    """`col` of the lane entries that have a label, by (event id, lane): a few hundred, not every row."""
    hit = rows[rows["id"].isin({lab.event_id for lab in labels})]
    return dict(zip(zip(_values(hit, "id"), _values(hit, "lane")), hit[col]))


def _ms(t: pd.Series | np.ndarray) -> np.ndarray:
    """Dates as milliseconds since 1970 (float64): a date axis reads them as dates, and they travel as binary."""
    return ((pd.DatetimeIndex(t) - _EPOCH) / pd.Timedelta(milliseconds=1)).to_numpy(dtype="float64")


def _esc_column(s: pd.Series) -> pd.Series:
    return s.str.replace("&", "&amp;", regex=False).str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def _hover(rows: pd.DataFrame, muted: str) -> list[str]:
    """Hover text: title, date with its certainty and note, kind (and who claims it), outlets."""
    out = []
    empty = [()] * len(rows)
    for title, date, certainty, note, kind, claimed_by, outlets in zip(
            *(_values(rows, col) if col in rows else empty for col in
              ("title", "date_label", "date_certainty", "date_note", "kind", "claimed_by", "outlets"))):
        lines = [f"<b>{wrap(_esc(title), 60)}</b>", f"{_esc(date)}{_CERTAINTY_NOTES.get(certainty, '')}"]
        if note:
            lines.append(f"<span style='color:{muted}'>{wrap(_esc(note), 70)}</span>")
        name = KIND_NAMES.get(kind, kind)
        lines.append(f"{name} · claimed by {_esc(claimed_by)}" if kind == "claim" and claimed_by else name)
        if outlets:
            single = " · single source" if len(set(outlets)) == 1 else ""
            lines.append(wrap("Sources: " + _esc(", ".join(dict.fromkeys(outlets))) + single, 70))
        out.append("<br>".join(lines))
    return out


def _brief_hover(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Hover of a WebGL figure, built column by column: the title, and the date with its certainty and the kind.

    Two plain texts that WEBGL_HOVER sets out, so the markup is sent once rather than with each of 100,000 points
    (plotly's JSON writes each < as six characters). The rest (note, claimant, outlets, the quotes) is one click
    away, in the event's detail.
    """
    def col(name: str) -> pd.Series:
        return rows[name].astype("str") if name in rows else pd.Series("", index=rows.index, dtype="str")

    certainty = col("date_certainty").map(_CERTAINTY_NOTES).fillna("")
    kind = col("kind").map(KIND_NAMES).fillna(col("kind"))
    line = _esc_column(col("date_label")) + certainty.astype("str") + " · " + kind.astype("str")
    return _esc_column(col("title")).to_numpy(dtype=object), line.to_numpy(dtype=object)


def _segments(df: pd.DataFrame, webgl: bool = False) -> dict:
    """x, y and customdata for one line trace drawing a segment per row, None between them.

    Every point, the gaps too, carries [event id] so that customdata[0] is always an event id. WebGL: x in epoch
    milliseconds, NaN between segments, and no customdata (bands and bars take no clicks or hover).
    """
    n = len(df)
    if webgl:
        x, y = np.full(3 * n, np.nan), np.full(3 * n, np.nan)
        x[0::3], x[1::3] = _ms(df["first_day"]), _ms(df["last_day"])
        y[0::3] = y[1::3] = df["y"].to_numpy(dtype="float64")
        return {"x": x, "y": y}
    x, y, ids = (np.full(3 * n, None, dtype=object) for _ in range(3))
    x[0::3], x[1::3] = df["first_day"].to_numpy(), df["last_day"].to_numpy()
    y[0::3] = y[1::3] = df["y"].to_numpy()
    ids[0::3] = ids[1::3] = ids[2::3] = df["id"].to_numpy()
    return {"x": x, "y": y, "customdata": ids[:, None]}


def _markers(Scatter: TraceType, df: pd.DataFrame, kind: str, hollow: bool, c: dict) -> Trace:
    """One marker trace: filled, or hollow (approximate dates) and filled with the background so no band shows through.

    customdata per point: event id, hover text, lane, number (WebGL: event id, title, date and kind).
    """
    colour = KIND_COLOURS[kind]
    return Scatter(
        x=_ms(df["x"]) if Scatter.webgl else df["x"].to_numpy(), y=df["y"].to_numpy(dtype="float64"), mode="markers",
        name=KIND_NAMES[kind] + (" (approximate date)" if hollow else ""),
        legendgroup=kind, showlegend=False, meta={"role": "marker", "kind": kind, "approximate": hollow},
        marker={"symbol": KIND_SYMBOLS[kind], "size": WEBGL_MARKER if Scatter.webgl else MARKER, "color": c["paper"] if hollow else colour,
                "line": {"width": 2 if hollow else 1, "color": colour if hollow else c["paper"]}},
        customdata=np.column_stack([_values(df, col) for col in (("id", "hover", "hover2", "stands_for") if Scatter.webgl else
                                                                ("id", "hover", "lane", "number"))]),
        hovertemplate=WEBGL_HOVER if Scatter.webgl else "%{customdata[1]}<extra></extra>")


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _empty_figure(width: int, height: int, c: dict) -> go.Figure:
    note = {"name": "empty", "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "showarrow": False,
            "text": "No events match the filters<br><span style='font-size:13px'>Clear a filter or widen the date range.</span>",
            "font": {"size": 17, "color": c["muted"]}}
    return go.Figure(layout={"width": width, "height": height, "paper_bgcolor": c["paper"], "plot_bgcolor": c["paper"],
                             "font": {"family": FONT_FAMILY, "color": c["ink"]}, "annotations": [note],
                             "margin": {"l": 20, "r": 20, "t": MARGIN["t"], "b": 20, "autoexpand": False},
                             "xaxis": {"visible": False}, "yaxis": {"visible": False}})


def build_figure(frame: pd.DataFrame, lanes: str = "category", selected: str | None = None, width: int = 1280,
                 height: int | None = None, *, lane_labels: dict[str, str] | None = None, theme: str = "light",
                 max_labels: int = MAX_LABELS, links: list[tuple[str, str]] | None = None,
                 window: Window = None) -> go.Figure:
    """The timeline for `frame`, laid out for `width` × `height` px (height None: as tall as the lanes need).

    `links`: (earlier, later) event id pairs drawn as thin arrows to the later one (e.g. a response).
    `window`: (first day, last day) the view is narrowed to, the dates the axes show (see `plan`).
    """
    if theme not in THEMES:
        raise ValueError(f'theme must be one of {", ".join(THEMES)}, not "{theme}"')
    c = THEMES[theme]
    if frame is None or frame.empty:
        return _empty_figure(width, height or 360, c)
    p = plan(frame, lanes, width, height, lane_labels=lane_labels, max_labels=max_labels, window=window)
    two = len(p.panels) == 2
    fig = FigureSpec(len(p.panels), (p.panels[0].domain[1], 1 - p.panels[1].domain[0]) if two else None, PANEL_SPACING)
    webgl = len(p.rows) >= WEBGL_FROM
    one_each = len(p.rows) == len(frame)  # one lane entry per event (lanes by category, or one actor each)
    first = p.rows if one_each else p.rows.drop_duplicates("id")
    hovers = _brief_hover(first) if webgl else (np.array(_hover(first, c["muted"]), dtype=object),)
    where = None if one_each else pd.Index(_values(first, "id")).get_indexer(_values(p.rows, "id"))
    rows = p.rows[[col for col in _DRAWN if col in p.rows]]
    rows = rows.astype({col: object for col in ("id", "lane", "kind", "date_certainty") if col in rows})  # numpy takes are quick
    rows = rows.assign(**{name: text if where is None else text[where] for name, text in zip(("hover", "hover2"), hovers)})
    if webgl:  # a marker standing for others says so
        more = rows["stands_for"].to_numpy() > 1
        rows.loc[more, "hover2"] = (rows.loc[more, "hover2"] + "<br>and " + (rows.loc[more, "stands_for"] - 1).map("{:,}".format)
                                    + " more events here")
    x_of = _lookup(rows, p.labels, "x")
    Scatter = TraceType("scattergl" if webgl else "scatter")
    on_top = []
    for trace, col in _link_traces(p, links or [], c):  # under the markers
        fig.add_trace(trace, row=1, col=col)
    for i in range(len(p.panels)):
        sub = rows[rows["panel"] == i]
        for kind in [k for k in KINDS if k in sub["kind"].unique()]:
            traces, emphasis = _kind_traces(Scatter, sub[sub["kind"] == kind], kind, c, selected, len(rows) <= BANDS_UP_TO)
            fig.add_traces(traces, rows=1, cols=i + 1)
            on_top += [(trace, i + 1) for trace in emphasis]
        leaders = [lab for lab in p.labels if lab.panel == i and lab.leader]
        if leaders:  # from the marker's edge to the label's near edge
            x = np.array([[x_of[lab.event_id, lab.lane]] * 2 + [None] for lab in leaders], dtype=object).ravel()
            y = np.array([[lab.marker_y - p.margin["t"] + np.sign(lab.y0 - lab.marker_y) * (MARKER / 2 + 1),
                           (lab.y1 if lab.slot > 0 else lab.y0) - p.margin["t"], None] for lab in leaders], dtype=object).ravel()
            fig.add_trace(Scatter(x=x, y=y, mode="lines", line={"width": 0.8, "color": c["axis"]}, hoverinfo="skip",
                                  showlegend=False, name="leaders", meta={"role": "leader"},
                                  customdata=[[lab.event_id] for lab in leaders for _ in range(3)]), row=1, col=i + 1)
    for trace, col in on_top:
        fig.add_trace(trace, row=1, col=col)
    for kind in [k for k in KINDS if k in rows["kind"].unique()]:  # legend entries only: solid symbols, one per kind
        fig.add_trace(Trace(type="scatter", x=[None], y=[None], mode="markers", name=KIND_NAMES[kind], legendgroup=kind,
                             meta={"role": "legend", "kind": kind},
                             marker={"symbol": KIND_SYMBOLS[kind], "color": KIND_COLOURS[kind], "size": 10}),
                      row=1, col=len(p.panels))
    labelled = first[first["id"].isin({lab.event_id for lab in p.labels})]
    _decorate(fig, p, c, selected, x_of, dict(zip(_values(labelled, "id"), _values(labelled, "title"))))
    return fig.figure()


def _link_traces(p: Plan, links: list[tuple[str, str]], c: dict) -> list[tuple[go.Scatter, int]]:
    """One trace per panel of thin arrows between markers; links across the axis break are left out.

    Each arrow stops at the edge of the later event's marker. Points carry [event id] (meta role "link").
    """
    if not links:
        return []
    first = p.rows.drop_duplicates("id").set_index("id")
    by_panel: dict[int, tuple[list, list, list]] = {}
    for a, b in links:
        if a not in first.index or b not in first.index or first.at[a, "panel"] != first.at[b, "panel"]:
            continue
        i = int(first.at[a, "panel"])
        panel = p.panels[i]
        (x0, y0), (x1, y1) = ((first.at[e, "px"], first.at[e, "y"]) for e in (a, b))
        dist = float(np.hypot(x1 - x0, y1 - y0))
        if dist <= MARKER:
            continue  # markers touch: nothing to draw
        k = (dist - MARKER / 2 - 1.5) / dist
        end_px, end_y = x0 + (x1 - x0) * k, y0 + (y1 - y0) * k
        end_x = panel.start + (panel.end - panel.start) * ((end_px - panel.lo) / (panel.hi - panel.lo))
        xs, ys, ids = by_panel.setdefault(i, ([], [], []))
        xs += [first.at[a, "x"], end_x, None]
        ys += [y0, end_y, None]
        ids += [[a], [b], [b]]
    out = []
    for n, (i, (xs, ys, ids)) in enumerate(sorted(by_panel.items())):
        out.append((go.Scatter(
            x=xs, y=ys, mode="lines+markers", name="Responds to", legendgroup="links", showlegend=n == 0,
            meta={"role": "link"}, customdata=ids, hoverinfo="skip",
            line={"width": 1.5, "color": _rgba(c["ink"], 0.6), "dash": "dot"},  # dotted: unlike the labels' leaders
            marker={"symbol": "arrow", "angleref": "previous", "size": [0, 10, 0] * (len(xs) // 3),
                    "color": _rgba(c["ink"], 0.8), "line": {"width": 0}}), i + 1))
    return out


def _kind_traces(Scatter: TraceType, df: pd.DataFrame, kind: str, c: dict, selected: str | None,
                 bands: bool = True) -> tuple[list, list]:
    """One kind's traces in one panel: bands (unless `bands` is false) and bars below, then filled and hollow
    markers; and the selected one."""
    colour = KIND_COLOURS[kind]
    approx = (df["date_certainty"] == "approximate").to_numpy()
    band = (~df["is_span"] & (df["first_day"] != df["last_day"])).to_numpy()
    bar = df["is_span"].to_numpy().astype(bool)
    styles = [(band & ~approx, "band", {"width": 7, "color": _rgba(colour, c["band"])}),
              (band & approx, "band", {"width": 2.5, "color": _rgba(colour, 0.85), "dash": "dash"}),
              (bar & ~approx, "bar", {"width": 9, "color": _rgba(colour, 0.55)}),
              (bar & approx, "bar", {"width": 4, "color": _rgba(colour, 0.8), "dash": "dash"})]
    traces = [Scatter(mode="lines", line=line, name=f"{KIND_NAMES[kind]} {role}", legendgroup=kind, showlegend=False,
                      meta={"role": role, "kind": kind, "approximate": "dash" in line}, hoverinfo="skip",
                      **_segments(df[mask], Scatter.webgl))
              for mask, role, line in styles if mask.any() and (bands or role != "band")]
    drawn = (df["stands_for"] > 0).to_numpy() if "stands_for" in df else np.ones(len(df), dtype=bool)
    traces += [_markers(Scatter, df[drawn & (approx == hollow)], kind, hollow, c) for hollow in (False, True)
               if (drawn & (approx == hollow)).any()]
    chosen = df[(df["id"] == selected).to_numpy()]
    emphasis = []
    if not chosen.empty:  # drawn over its ordinary marker: bigger, outlined
        trace = _markers(Scatter, chosen, kind, chosen["date_certainty"].iat[0] == "approximate", c)
        trace.update(name="Selected", meta={"role": "selected", "kind": kind},
                     marker={"size": SELECTED_MARKER, "line": {"width": 3, "color": c["ink"]}})
        emphasis.append(trace)
    return traces, emphasis


def _decorate(fig: FigureSpec, p: Plan, c: dict, selected: str | None, x_of: dict, titles: dict) -> None:
    """Axes, lane stripes, labels, break marks, panel header, key and theme."""
    t, extent = p.margin["t"], max(p.plot_height, p.lanes[-1].bottom)
    two = len(p.panels) == 2
    for i, panel in enumerate(p.panels):
        fig.update_xaxes(
            row=1, col=i + 1, type="date", range=[panel.start, panel.end], domain=panel.domain,
            showgrid=True, gridcolor=c["grid"], showline=True, linecolor=c["axis"], ticks="outside", tickcolor=c["axis"],
            tickfont={"size": 11, "color": c["muted"]}, zeroline=False,
            **({"dtick": "M120", "tickformat": "%Y"} if two and i == 0 else {}))
        for lane in p.lanes[1::2]:
            fig.add_shape(type="rect", xref=f"x{i + 1 if i else ''} domain", x0=0, x1=1, yref="y", y0=lane.top, y1=lane.bottom,
                          fillcolor=c["stripe"], line={"width": 0}, layer="below")
    fig.update_yaxes(range=[extent, 0], fixedrange=True, showgrid=False, zeroline=False, ticks="", showline=False,
                     tickvals=[ln.center for ln in p.lanes], ticktext=[wrap(_esc(ln.label), 18) for ln in p.lanes],
                     tickfont={"size": FONT_SIZE, "color": c["ink"]})
    background = p.background(c)
    px_of = _lookup(p.rows, p.labels, "px")
    merged = "stands_for" in p.rows
    annotations = [{
        "name": f"label:{lab.event_id}", "x": x_of[lab.event_id, lab.lane], "y": (lab.y0 + lab.y1) / 2 - t,
        "xref": f"x{lab.panel + 1 if lab.panel else ''}", "yref": f"y{lab.panel + 1 if lab.panel else ''}",
        "xanchor": lab.anchor, "yanchor": "middle",
        "xshift": (OFFSET if lab.anchor == "left" else -OFFSET) + lab.marker_x - px_of[lab.event_id, lab.lane],
        "showarrow": False, "borderpad": BORDER_PAD, "bgcolor": background[lab.lane],
        "text": f"<b>{_esc(lab.text)}</b>" if lab.event_id == selected else _esc(lab.text),
        "font": {"size": LABEL_SIZE, "color": c["ink"]}, "hovertext": _esc(titles[lab.event_id]),
        **({"captureevents": False} if merged else {}),  # a big view is zoomed by dragging: labels let drags through
    } for lab in p.labels]
    small = {"showarrow": False, "xref": "paper", "yref": "paper", "font": {"size": 11, "color": c["muted"]}}
    if two:
        plot_w = p.width - p.margin["l"] - p.margin["r"]
        dx, dy = 4 / plot_w, 7 / p.plot_height
        for x in (p.panels[0].domain[1], p.panels[1].domain[0]):
            for y in (0, 1):
                fig.add_shape(type="line", xref="paper", yref="paper", x0=x - dx, x1=x + dx, y0=y - dy, y1=y + dy,
                              line={"color": c["axis"], "width": 1.2})
        annotations.append({"name": "panel:history", "text": "Historical context", "x": 0, "y": 1, "xanchor": "left",
                            "yanchor": "bottom", "yshift": 4, **small})
    annotations.append({"name": "key", "x": 1, "y": 0, "xanchor": "right", "yanchor": "top", "yshift": -30, **small,
                        "text": "Bar: a period  ·  band: date known only to the month or year  ·  "
                                "hollow marker, dashed band: approximate date"
                                + (f"<br>Bands are drawn for views of at most {BANDS_UP_TO:,} entries: filter to see them"
                                   if len(p.rows) > BANDS_UP_TO else "")})
    fig.update_layout(
        width=p.width, height=p.height, margin={**p.margin, "autoexpand": False}, annotations=annotations,
        paper_bgcolor=c["paper"], plot_bgcolor=c["paper"], font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": c["ink"]},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom", "bgcolor": "rgba(0,0,0,0)",
                "font": {"size": FONT_SIZE, "color": c["ink"]}, "itemsizing": "constant"},
        hovermode="closest", hoverlabel={"bgcolor": c["paper"], "bordercolor": c["axis"], "align": "left",
                                         "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": c["ink"]}},
        dragmode="zoom", uirevision="timeline")
