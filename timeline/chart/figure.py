"""The timeline figure: a Plan (timeline.chart.layout) drawn with plotly: events in lanes over a date axis
that breaks across long empty gaps.

`build_figure` is pure: a frame (Chronology.frame, or a filtered copy) in, a plotly figure
out, so the app, the CLI and the exporter share it. The y axis is measured in pixels from
the top of the plot area (lane names are its tick labels), which is what lets the labels be
laid out without overlaps for the given width (see timeline.chart.labels). Build the figure again
for another width; a figure shown wider than it was laid out only gains room between labels.

Finding things in it: every trace has meta {"role": marker|band|bar|bound|leader|selected|legend,
"kind": ..., "approximate": ...}; a "bound" trace draws the days a bounded date (after, by) may fall on,
meta "bound": "between" (an after date up to its end) or "open" with "step" 0–3 (a band fading away from
the marker, step 0 nearest it); every point's customdata[0] is its event id (markers:
[id, hover html, lane, number]). Labels are the first annotations, named "label:<event id>";
in plotly's SVG annotation i is `g.annotation[data-index="i"]` and its `rect.bg` is the
label's box (getBoundingClientRect in a browser), as layout_labels computes it. Past
MAX_LABELS lane entries, only the most important events of each lane get a label (most
sources, then events before claims, statistics and context), titles only, no "#12".

Big views (WEBGL_FROM lane entries or more) are drawn with WebGL (scattergl): dates as epoch
milliseconds, markers' customdata [id, title, date and kind] set out by WEBGL_HOVER, bands and
bars without customdata, WEBGL_LABELS labels at most; past BANDS_UP_TO entries, no bands.

A still image (`still=True`, the exporter's) is drawn as SVG however big the view: a headless browser draws WebGL
in software, seconds at 100,000 events. Its points carry no hover text (customdata is [event id]), and a big
view's solid bars and bands are drawn as a few layers of runs where they lie on one another (see `_lines`).
"""
from __future__ import annotations

import html
from collections.abc import Hashable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline.chart.figspec import FigureSpec, Trace, TraceType
from timeline.data.perf import Kept
from timeline.chart.labels import BORDER_PAD, MAX_LABELS, OFFSET, text_width, wrap
from timeline.chart.scale import day_of, order_ticks
from timeline.chart.layout import (_CERTAINTY_HEADS, _CERTAINTY_NOTES, _DRAWN, _EPOCH, BANDS_UP_TO, FONT_FAMILY, FONT_SIZE,
                                   GAP_ROW, GAP_SIZE, KIND_COLOURS, KIND_NAMES, KIND_SYMBOLS, KINDS, MARGIN,
                                   MARKER, MAX_SLOTS, PANEL_SPACING,
                                   SELECTED_MARKER, THEMES, WEBGL_FROM, WEBGL_HOVER, WEBGL_MARKER, Plan, Window, _lookup,
                                   _values, plan)


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
        lines = [f"<b>{wrap(_esc(title), 60)}</b>",
                 f"{_CERTAINTY_HEADS.get(certainty, '')}{_esc(date)}{_CERTAINTY_NOTES.get(certainty, '')}"]
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
    head = col("date_certainty").map(_CERTAINTY_HEADS).fillna("")
    kind = col("kind").map(KIND_NAMES).fillna(col("kind"))
    line = head.astype("str") + _esc_column(col("date_label")) + certainty.astype("str") + " · " + kind.astype("str")
    return _esc_column(col("title")).to_numpy(dtype=object), line.to_numpy(dtype=object)


def _segments(df: pd.DataFrame, big: bool = False, lo: pd.Series | None = None, hi: pd.Series | None = None) -> dict:
    """x, y and customdata for one line trace drawing a segment per row, None between them: from first_day to
    last_day, or from `lo` to `hi` (dates, one per row) when given.

    Every point, the gaps too, carries [event id] so that customdata[0] is always an event id. A big view: x in
    epoch milliseconds, NaN between segments, and no customdata (bands and bars take no clicks or hover).
    """
    n = len(df)
    lo = df["first_day"] if lo is None else lo
    hi = df["last_day"] if hi is None else hi
    if big:
        x, y = np.full(3 * n, np.nan), np.full(3 * n, np.nan)
        x[0::3], x[1::3] = _ms(lo), _ms(hi)
        y[0::3] = y[1::3] = df["y"].to_numpy(dtype="float64")
        return {"x": x, "y": y}
    x, y, ids = (np.full(3 * n, None, dtype=object) for _ in range(3))
    x[0::3], x[1::3] = lo.to_numpy(), hi.to_numpy()
    y[0::3] = y[1::3] = df["y"].to_numpy()
    ids[0::3] = ids[1::3] = ids[2::3] = df["id"].to_numpy()
    return {"x": x, "y": y, "customdata": ids[:, None]}


def covered(x: np.ndarray, y: np.ndarray, depth: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Where at least `depth` of the segments lie on one another: segments laid out as `_segments` makes them for a
    big view (x0, x1, NaN, ... with y repeated), those at one height that overlap or touch joined into runs, in
    order of x then y. depth 1 is their union; segments of no length cover nothing."""
    a, b, h = (np.asarray(v, dtype="float64") for v in (x[0::3], x[1::3], y[0::3]))
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = hi > lo
    lo, hi, h = lo[keep], hi[keep], h[keep]
    at = np.concatenate([lo, hi])
    step = np.concatenate([np.ones(len(lo)), -np.ones(len(hi))])
    level = np.concatenate([h, h])
    order = np.lexsort((-step, at, level))  # by height, then x; where one ends and another starts, the start first
    at, step, level = at[order], step[order], level[order]
    starts, ends, heights = [], [], []
    for height in np.unique(level):
        mine = level == height
        xs, count = at[mine], np.cumsum(step[mine])  # how many lie on one another just after each end point
        inside = count >= depth
        was = np.concatenate([[False], inside[:-1]])
        starts.append(xs[inside & ~was])
        ends.append(xs[~inside & was])
        heights.append(np.full(int((inside & ~was).sum()), height))
    s, e, hh = (np.concatenate(v) if v else np.empty(0) for v in (starts, ends, heights))
    some = e > s  # where one ends as the next starts, they lie on one another nowhere
    s, e, hh = s[some], e[some], hh[some]
    order = np.lexsort((hh, s))
    out_x, out_y = np.full(3 * len(s), np.nan), np.full(3 * len(s), np.nan)
    out_x[0::3], out_x[1::3] = s[order], e[order]
    out_y[0::3] = out_y[1::3] = hh[order]
    return out_x, out_y


FAINTEST = 0.02  # a translucent line is stacked until what shows through it is less than this
MOST_LAYERS = 8


def layers(alpha: float) -> int:
    """How many translucent strokes on one another look like the many a big view's bars and bands make: k of them
    let (1 - alpha)^k of the paper through, and past FAINTEST (or MOST_LAYERS) more make no difference."""
    if alpha >= 1:
        return 1
    return min(MOST_LAYERS, max(1, int(np.ceil(np.log(FAINTEST) / np.log(1 - alpha)))))


def _alpha(colour: str) -> float:
    return float(colour.rsplit(",", 1)[1].rstrip(") ")) if colour.startswith("rgba(") else 1.0


def _lines(Scatter: TraceType, df: pd.DataFrame, line: dict, lo: pd.Series | None = None,
           hi: pd.Series | None = None) -> list[dict]:
    """The points of the traces of one line style: `_segments`, one trace. In a still image of a big view, a solid
    line is drawn as layers instead, layer k where k segments or more lie on one another (see `covered`): an SVG
    path paints overlapping strokes of itself once, so thousands of bars become a few runs per layer, as dark
    as the thousands made them (WebGL draws each stroke over the last), with a fraction of the points. Strokes
    that seldom overlap, which layers would not make fewer, are drawn as they are."""
    points = _segments(df, Scatter.big, lo, hi)
    if not (Scatter.still and Scatter.big) or "dash" in line:
        return [points]
    runs = [covered(points["x"], points["y"], k) for k in range(1, layers(_alpha(line["color"])) + 1)]
    if sum(len(x) for x, _ in runs) >= len(points["x"]):  # strokes that seldom overlap: as they are
        return [points]
    return [{"x": x, "y": y} for x, y in runs if len(x)]


def _markers(Scatter: TraceType, df: pd.DataFrame, kind: str, hollow: bool, c: dict) -> Trace:
    """One marker trace: filled, or hollow (approximate dates) and filled with the background so no band shows through.

    customdata per point: event id, hover text, lane, number (a big view: event id, title, date and kind; a still
    image: event id).
    """
    colour = KIND_COLOURS[kind]
    columns = ("id",) if Scatter.still else ("id", "hover", "hover2", "stands_for") if Scatter.big else ("id", "hover", "lane", "number")
    hover = {"hoverinfo": "skip"} if Scatter.still else {
        "hovertemplate": WEBGL_HOVER if Scatter.big else "%{customdata[1]}<extra></extra>"}
    return Scatter(
        x=_ms(df["x"]) if Scatter.big else df["x"].to_numpy(), y=df["y"].to_numpy(dtype="float64"), mode="markers",
        name=KIND_NAMES[kind] + (" (approximate date)" if hollow else ""),
        legendgroup=kind, showlegend=False, meta={"role": "marker", "kind": kind, "approximate": hollow},
        marker={"symbol": KIND_SYMBOLS[kind], "size": WEBGL_MARKER if Scatter.big else MARKER, "color": c["paper"] if hollow else colour,
                "line": {"width": 2 if hollow else 1, "color": colour if hollow else c["paper"]}},
        customdata=np.column_stack([_values(df, col) for col in columns]), **hover)


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


_PLANS = Kept(8)  # laid-out views kept for `plan_key` callers: the overview's, the detail's, a few filters back


def _plan(frame: pd.DataFrame, plan_key: Hashable | None, **options) -> Plan:
    """`plan(frame, **options)`, kept for `plan_key` (None: not kept). The key must name the frame's content: the
    caller's data state and filters. A selection does not change the plan, so picking an event re-uses it."""
    if plan_key is None:
        return plan(frame, **options)
    key = (plan_key, len(frame), tuple(sorted((k, repr(v)) for k, v in options.items())))
    return _PLANS.get(key, lambda: plan(frame, **options))


def build_figure(frame: pd.DataFrame, lanes: str = "category", selected: str | None = None, width: int = 1280,
                 height: int | None = None, *, lane_labels: dict[str, str] | None = None, theme: str = "light",
                 max_labels: int = MAX_LABELS, links: list[tuple[str, str]] | None = None,
                 window: Window = None, scale: str = "calendar", axis_top: bool = False,
                 number_labels: bool | None = None, ranked: bool = False, pinned: tuple[str, ...] = (),
                 max_slots: int = MAX_SLOTS, small_labels: bool = False, plan_key: Hashable | None = None,
                 keep_unselected: bool = False, still: bool = False) -> go.Figure:
    """The timeline for `frame`, laid out for `width` × `height` px (height None: as tall as the lanes need).

    `axis_top`: the page's chart: year ticks above the lanes, no legend or key (the page has them); `number_labels`,
    `ranked`, `pinned`, `max_slots` and `small_labels`: see `plan`.

    `links`: (earlier, later) event id pairs drawn as thin arrows to the later one (e.g. a response).
    `window`: (first day, last day) the view is narrowed to, the dates the axes show (see `plan`).
    `scale` "order": the events evenly spaced in date order (timeline.chart.scale), one panel, a tick at each
    year's start (as many as the width allows) and a faint line at every one, each long gap's length written
    under the axis (annotations "gap:<position>") by a break mark. Its x values are positions as days from
    scale.ORIGIN, not dates: layout.meta["scale"] says so, and hover and labels show the real dates only.
    `plan_key`: a key for the content of `frame` (the data's state and the filters), under which the layout is kept
    for the next call (see `_plan`); None lays it out again.
    `keep_unselected`: markers not picked keep their colour when a click picks one (plotly would fade them): as
    `update_traces(selector={"type": <the markers' type>}, unselected={"marker": {"opacity": 1}})`, without plotly
    validating the update trace by trace.
    `still`: for a still image: SVG traces, no hover data, a big view's solid bars and bands joined (see the top).
    """
    if theme not in THEMES:
        raise ValueError(f'theme must be one of {", ".join(THEMES)}, not "{theme}"')
    c = THEMES[theme]
    if frame is None or frame.empty:
        return _empty_figure(width, height or 360, c)
    p = _plan(frame, plan_key, lanes=lanes, width=width, height=height, lane_labels=lane_labels, max_labels=max_labels,
              window=window, scale=scale, axis_top=axis_top, number_labels=number_labels, ranked=ranked, pinned=pinned,
              max_slots=max_slots, small_labels=small_labels)
    two = len(p.panels) == 2
    fig = FigureSpec(len(p.panels), (p.panels[0].domain[1], 1 - p.panels[1].domain[0]) if two else None, PANEL_SPACING)
    big = len(p.rows) >= WEBGL_FROM
    one_each = len(p.rows) == len(frame)  # one lane entry per event (lanes by category, or one actor each)
    first = p.rows if one_each else p.rows.drop_duplicates("id")
    hovers = () if still else _brief_hover(first) if big else (np.array(_hover(first, c["muted"]), dtype=object),)
    where = None if one_each else pd.Index(_values(first, "id")).get_indexer(_values(p.rows, "id"))
    rows = p.rows[[col for col in _DRAWN if col in p.rows]]
    rows = rows.astype({col: object for col in ("id", "lane", "kind", "date_certainty") if col in rows})  # numpy takes are quick
    rows = rows.assign(**{name: text if where is None else text[where] for name, text in zip(("hover", "hover2"), hovers)})
    if big and not still:  # a marker standing for others says so
        more = rows["stands_for"].to_numpy() > 1
        rows.loc[more, "hover2"] = (rows.loc[more, "hover2"] + "<br>and " + (rows.loc[more, "stands_for"] - 1).map("{:,}".format)
                                    + " more events here")
    x_of = _lookup(rows, p.labels, "x")
    Scatter = TraceType("scattergl" if big and not still else "scatter", big=big, still=still)
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
    for kind in [k for k in KINDS if k in rows["kind"].unique() and not axis_top]:  # legend entries: solid, one per kind
        fig.add_trace(Trace(type="scatter", x=[None], y=[None], mode="markers", name=KIND_NAMES[kind], legendgroup=kind,
                             meta={"role": "legend", "kind": kind},
                             marker={"symbol": KIND_SYMBOLS[kind], "color": KIND_COLOURS[kind], "size": 10}),
                      row=1, col=len(p.panels))
    labelled = first[first["id"].isin({lab.event_id for lab in p.labels})]
    _decorate(fig, p, c, selected, x_of, dict(zip(_values(labelled, "id"), _values(labelled, "title"))), axis_top)
    if keep_unselected:
        for trace in fig.data:
            if trace.get("type") == Scatter.type:
                trace.setdefault("unselected", {}).setdefault("marker", {})["opacity"] = 1
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
    bound = df["bound"].to_numpy(dtype=object) if "bound" in df else np.full(len(df), "", dtype=object)
    band = (~df["is_span"] & (df["first_day"] != df["last_day"])).to_numpy() & (bound == "")
    bar = df["is_span"].to_numpy().astype(bool)
    styles = [(band & ~approx, "band", {"width": 7, "color": _rgba(colour, c["band"])}),
              (band & approx, "band", {"width": 2.5, "color": _rgba(colour, 0.85), "dash": "dash"}),
              (bar & ~approx, "bar", {"width": 9, "color": _rgba(colour, 0.55)}),
              (bar & approx, "bar", {"width": 4, "color": _rgba(colour, 0.8), "dash": "dash"})]
    traces = [Scatter(mode="lines", line=line, name=f"{KIND_NAMES[kind]} {role}", legendgroup=kind, showlegend=False,
                      meta={"role": role, "kind": kind, "approximate": "dash" in line}, hoverinfo="skip", **points)
              for mask, role, line in styles if mask.any() and (bands or role != "band")
              for points in _lines(Scatter, df[mask], line)]
    if bands and (bound != "").any():
        traces += _bound_traces(Scatter, df, bound, kind, c)
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


FADE = (0.5, 0.32, 0.18, 0.08)  # an open bound's band, from the marker outwards: four steps, each fainter


def _bound_traces(Scatter: TraceType, df: pd.DataFrame, bound: np.ndarray, kind: str, c: dict) -> list:
    """The bands of one kind's bounded dates (see BOUND_PX): a dotted, lighter band from an "after" date to its
    end, unlike a period's solid bar; and for an open bound, a band in FADE steps away from the marker."""
    colour = KIND_COLOURS[kind]
    out = []

    def trace(rows: pd.DataFrame, lo: pd.Series, hi: pd.Series, line: dict, meta: dict) -> list[Trace]:
        return [Scatter(mode="lines", line=line, name=f"{KIND_NAMES[kind]} date not known", legendgroup=kind,
                        showlegend=False, hoverinfo="skip", meta={"role": "bound", "kind": kind, **meta}, **points)
                for points in _lines(Scatter, rows, line, lo, hi)]

    between = bound == "after"
    if between.any():
        rows = df[between]
        line = {"width": 6, "color": _rgba(colour, c["band"] * 0.8), "dash": "dot"}
        out += trace(rows, rows["bound_x0"], rows["bound_x1"], line, {"bound": "between"})
    open_ = (bound == "open-after") | (bound == "by")
    if open_.any():
        rows = df[open_]
        x0, x1 = pd.DatetimeIndex(rows["bound_x0"]), pd.DatetimeIndex(rows["bound_x1"])
        # from the marker outwards: left to right for "after", right to left for "by"
        near = np.where(rows["bound"].to_numpy(dtype=object) == "by", x1, x0)
        far = np.where(rows["bound"].to_numpy(dtype=object) == "by", x0, x1)
        near, step = pd.DatetimeIndex(near), (pd.DatetimeIndex(far) - pd.DatetimeIndex(near)) / len(FADE)

        def at(k: int) -> pd.Series:  # k steps from the marker, to the millisecond
            return pd.Series((near + step * k).to_numpy().astype("datetime64[ms]"), index=rows.index)

        for k, alpha in enumerate(FADE):
            a, b = at(k), at(k + 1)
            out += trace(rows, a, b, {"width": 6, "color": _rgba(colour, alpha)}, {"bound": "open", "step": k})
    return out


def _decorate(fig: FigureSpec, p: Plan, c: dict, selected: str | None, x_of: dict, titles: dict,
              axis_top: bool = False) -> None:
    """Axes, lane stripes, labels, break marks, panel header, key and theme."""
    t, extent = p.margin["t"], max(p.plot_height, p.lanes[-1].bottom)
    two = len(p.panels) == 2
    for i, panel in enumerate(p.panels):
        fig.update_xaxes(**{
            "row": 1, "col": i + 1, "type": "date", "range": [panel.start, panel.end], "domain": panel.domain,
            "showgrid": True, "gridcolor": c["grid"], "showline": True, "linecolor": c["axis"], "ticks": "outside",
            "tickcolor": c["axis"], "tickfont": {"size": 11, "color": c["muted"]}, "zeroline": False,
            "side": "top" if axis_top else "bottom",
            **({"dtick": "M120", "tickformat": "%Y"} if two and i == 0 else {}), **_order_axis(p)})
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
        "font": {"size": p.label_size, "color": c["ink"]}, "hovertext": _esc(titles[lab.event_id]),
        **({"captureevents": False} if merged else {}),  # a big view is zoomed by dragging: labels let drags through
    } for lab in p.labels]
    small = {"showarrow": False, "xref": "paper", "yref": "paper", "font": {"size": 11, "color": c["muted"]}}
    if p.order is not None:
        annotations += _order_marks(fig, p, c, axis_top)
    if two:
        plot_w = p.width - p.margin["l"] - p.margin["r"]
        dx, dy = 4 / plot_w, 7 / p.plot_height
        for x in (p.panels[0].domain[1], p.panels[1].domain[0]):
            for y in (0, 1):
                fig.add_shape(type="line", xref="paper", yref="paper", x0=x - dx, x1=x + dx, y0=y - dy, y1=y + dy,
                              line={"color": c["axis"], "width": 1.2})
        annotations.append({"name": "panel:history", "text": "Historical context", "x": 0, "xanchor": "left",
                            **({"y": 0, "yanchor": "top", "yshift": -3} if axis_top else {"y": 1, "yanchor": "bottom", "yshift": 4}),
                            **small})
    if axis_top:  # the page writes the key under the chart
        key = None
    elif p.order is not None:
        parts = ("Event order: evenly spaced by date, not to scale", "a line starts each year, // marks a long gap "
                 "and its length", "hollow marker: approximate date")
        one = "  ·  ".join(parts)  # on two lines when one would not fit the figure
        text = one if text_width(one, 11) <= p.width - 8 else parts[0] + "<br>" + "  ·  ".join(parts[1:])
        key = {"text": text, "yshift": -30 - GAP_ROW * (max([m.row + 1 for m in p.gap_marks], default=0))}
    else:
        key = {"yshift": -30, "text": "Bar: a period  ·  band: date known only to the month or year  ·  "
                                      "hollow marker, dashed band: approximate date"
               + ("<br>Dotted band: date not known, between two days  ·  fading band: date not known, "
                  "only after or by a day" if "bound" in p.rows and (p.rows["bound"] != "").any() else "")
               + (f"<br>Bands are drawn for views of at most {BANDS_UP_TO:,} entries: filter to see them"
                  if len(p.rows) > BANDS_UP_TO else "")}
    if key:
        annotations.append({"name": "key", "x": 1, "y": 0, "xanchor": "right", "yanchor": "top", "align": "right",
                            **small, **key})
    fig.update_layout(
        width=p.width, height=p.height, margin={**p.margin, "autoexpand": False}, annotations=annotations,
        paper_bgcolor=c["paper"], plot_bgcolor=c["paper"], font={"family": FONT_FAMILY, "size": FONT_SIZE, "color": c["ink"]},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1, "yanchor": "bottom", "bgcolor": "rgba(0,0,0,0)",
                "font": {"size": FONT_SIZE, "color": c["ink"]}, "itemsizing": "constant"},
        hovermode="closest", hoverlabel={"bgcolor": c["paper"], "bordercolor": c["axis"], "align": "left",
                                         "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": c["ink"]}},
        dragmode="zoom", uirevision="timeline", **({"meta": {"scale": "order"}} if p.order is not None else {}))


def _order_axis(p: Plan) -> dict:
    """An event-order x axis: its ticks at the years' starts, thinned for the plot's width (no grid: every year
    gets its line from `_order_marks`). Nothing for a calendar axis."""
    if p.order is None:
        return {}
    panel = p.panels[0]
    vals, texts = order_ticks(p.order, width_px=panel.hi - panel.lo)
    return {"tickmode": "array", "tickvals": vals, "ticktext": texts, "showgrid": False}


def _order_marks(fig: FigureSpec, p: Plan, c: dict, axis_top: bool = False) -> list[dict]:
    """An event-order axis's faint line at each year's start, a break mark (//) on the axis at each long gap, and
    the gaps' lengths under the year ticks (annotations "gap:<position>", rows laid out by layout.gap_marks)."""
    panel = p.panels[0]
    per_day = (panel.end - panel.start) / (panel.hi - panel.lo)  # one px, as a time on the axis
    for d in p.order.dividers:
        fig.add_shape(type="line", xref="x", yref="paper", x0=day_of(d.position), x1=day_of(d.position), y0=0, y1=1,
                      line={"color": c["axis"], "width": 1, "dash": "dot"}, layer="below", name=f"year:{d.year}")
    dy = 6 / p.plot_height
    edge = 1 if axis_top else 0  # the axis line the gaps are marked on
    out = []
    for m in p.gap_marks:
        at = day_of(m.gap.position)
        for k in (-1.5, 1.5):  # two short slanted strokes across the axis line
            fig.add_shape(type="line", xref="x", yref="paper", x0=at + per_day * (k - 2.5), x1=at + per_day * (k + 2.5),
                          y0=edge - dy, y1=edge + dy, line={"color": c["axis"], "width": 1.2}, name=f"break:{m.gap.position}")
        out.append({"name": f"gap:{m.gap.position}", "text": f"<i>{_esc(m.gap.label)}</i>", "showarrow": False,
                    "xref": "x", "yref": "paper", "x": at, "y": edge, "xanchor": "center",
                    "yanchor": "bottom" if axis_top else "top", "xshift": (m.x0 + m.x1) / 2 - m.x,
                    "yshift": (24 + GAP_ROW * m.row) if axis_top else -20 - GAP_ROW * m.row,
                    "font": {"size": GAP_SIZE, "color": c["muted"]}, "hovertext": f"{m.gap.days:,} days without events"})
    return out
