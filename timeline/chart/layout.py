"""The timeline's layout, measured before anything is drawn: the figure's size and margins, the date
panels (an axis broken across a long empty gap, or the event-order scale's one panel and its gap lengths), the lanes, where each marker sits and dodges, and the
label boxes (timeline.chart.labels places them). Also the figure's shared constants: kinds, colours,
symbols, sizes and themes.

`plan` is pure and returns a Plan; timeline.chart.figure draws a Plan with plotly.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import numpy as np
import pandas as pd

from timeline.chart.labels import MAX_LABELS, LabelPlacement, label_requests, place_by_rank, place_lane, slot_order, text_width, wrap
from timeline.chart.scale import Gap, OrderScale, as_order_frame, day_of, order_scale

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
SMALL_LABEL_SIZE = 10  # event labels where a given height leaves some without one at LABEL_SIZE (small_labels)
SMALL_ROW = 16         # ... and their rows: such a label is 15 px tall
MARKER = 11         # marker diameter, px; the selected event's is SELECTED_MARKER
SELECTED_MARKER = 16
STEP = 11           # vertical distance between markers dodged apart because their dates overlap
MAX_LEVEL = 3       # markers dodge at most this many steps up or down
MAX_SLOTS = 4       # label rows on each side of a lane, at most (fewer when a given height demands)
LANE_PAD = 4        # px above and below each lane's rows
TIGHT_PAD = 1       # ... when a given height is too short for every label: lanes close up before labels are left out
MARGIN = {"t": 46, "r": 24, "b": 62}   # the left margin is fitted to the lane names
KEY_LINE = 15  # px a line of the key under the chart takes; MARGIN's foot has room for two
PAGE_MARGIN = {"t": 30, "r": 24, "b": 22}  # the page's chart: year ticks on top, the key in the page, not the figure
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
_COLUMNS = ("order", "id", "title", "label", "kind", "category", "category_label", "actors", "actor_labels", "outlets", "first_day",
            "last_day", "is_span", "end", "date_label", "date_certainty", "date_note", "claimed_by", "n_sources", "n_citations")
_DRAWN = ("id", "lane", "number", "kind", "date_certainty", "is_span", "first_day", "last_day", "panel", "x", "y",
          "stands_for", "bound", "bound_x0", "bound_x1")
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
_CERTAINTY_HEADS = {"after": "Date not known: ", "by": "Date not known: "}  # in the hover, before the date
# A date the text only bounds (certainty after or by) is drawn at its bound, with a band over the days it may fall on:
# up to its end for an "after" date that has one; for an open bound, a band fading away from the marker over
# BOUND_PX pixels, or to the panel's edge when that is nearer (rightwards for "after", leftwards for "by").
BOUND_PX = 56
SCALES = ("calendar", "order")  # the x axis: dates, or events evenly spaced in date order (timeline.chart.scale)
GAP_SIZE = 10       # px, the type of a long gap's length written under an event-order axis
GAP_ROW = 13        # px between rows of gap lengths (neighbouring gaps too close for one row take the next)
GAP_ROWS = 3        # rows of gap lengths at most; a gap finding no room in any keeps its break mark only


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

    def at(self, px: np.ndarray) -> pd.DatetimeIndex:
        """The dates at these pixels (the inverse of `px`)."""
        seconds = (np.asarray(px, dtype="float64") - self.lo) * ((self.end - self.start).total_seconds() / (self.hi - self.lo))
        return pd.DatetimeIndex(self.start + pd.to_timedelta(seconds, unit="s"))


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


@dataclass(frozen=True)
class GapMark:
    """A long gap's length under an event-order axis: centred on the gap (`x`, figure px) unless that would leave
    the figure, in row 0 (nearest the axis), 1 or 2."""

    gap: Gap
    x: float
    row: int
    x0: float
    x1: float


def gap_marks(gaps: tuple[Gap, ...], panel: Panel, width: int, size: float = GAP_SIZE, rows: int = GAP_ROWS,
              gap: float = 6) -> tuple[GapMark, ...]:
    """The gaps' lengths laid out under the axis so that none overlaps another: each in the nearest row where it
    keeps `gap` px from the previous one (gaps a few events apart may not share a row)."""
    n = (panel.end - panel.start).days  # positions -1 … n-1 span n days
    ends: dict[int, float] = {}
    out = []
    for g in gaps:
        x = panel.lo + (g.position + 1) / n * (panel.hi - panel.lo)
        w = text_width(g.label, size) + 2
        x0 = min(max(x - w / 2, 2.0), width - 2 - w)
        row = next((r for r in range(rows) if ends.get(r, -np.inf) + gap <= x0), None)
        if row is None:
            continue
        ends[row] = x0 + w
        out.append(GapMark(g, x, row, x0, x0 + w))
    return tuple(out)


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
    order: OrderScale | None = None       # the event-order scale, when the x axis is one (its days are positions)
    gap_marks: tuple[GapMark, ...] = ()   # where its long gaps' lengths are written under the axis
    label_size: float = LABEL_SIZE        # the event labels' type, px

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
         lane_labels: dict[str, str] | None = None, max_labels: int = MAX_LABELS, window: Window = None,
         scale: str = "calendar", axis_top: bool = False, number_labels: bool | None = None, ranked: bool = False,
         pinned: tuple[str, ...] = (), max_slots: int = MAX_SLOTS, small_labels: bool = False) -> Plan:
    """Measure the figure: panels, lane heights, marker positions and the label layout.

    `axis_top`: the page's chart, its year ticks above the lanes (in view however tall the chart) and no key.
    `number_labels`: whether a label that finds no room for words may stand as the event's number ("#12"); None: only
    while every entry can have a label.
    `ranked`: label by importance (the `pinned` events, then the most reported, then events before claims, statistics
    and context), the most important first, when not every entry can have a label at this size (static images).
    `max_slots`: label rows on each side of a lane, at most.
    `small_labels`: where a given height leaves some entries without a label, lanes close up (their padding goes) and
    then, if some are still left out, the labels are set in SMALL_LABEL_SIZE type on SMALL_ROW rows (a page's chart;
    an image keeps its type size). Without it, only the lanes close up.

    `window` (first day, last day): the dates the view is narrowed to. The axes show those dates only; what reaches
    beyond is drawn up to the edge (a period's marker, at its start, then sits on the edge).
    `scale` "order": the events evenly spaced in date order, each a point, on one panel whatever the gaps (the
    scale writes their lengths instead); `window` is then left to the filter, as the axis shows no dates.
    """
    if scale not in SCALES:
        raise ValueError(f'scale must be one of {", ".join(SCALES)}, not "{scale}"')
    order, own_numbers = None, None
    if scale == "order":
        order = order_scale(frame)
        if "order" in frame:  # an event keeps its number ("#12") whatever the scale
            own_numbers = dict(zip(_values(frame, "id"), frame["order"].to_numpy() + 1))
        frame, window = as_order_frame(frame, order), None
    if window is not None:
        lo, hi = (pd.Timestamp(d) if d is not None else None for d in window)
        frame = frame.assign(first_day=frame["first_day"].clip(lo, hi), last_day=frame["last_day"].clip(lo, hi))
    rows = lane_rows(frame, lanes, lane_labels)
    keys = list(rows["lane"].unique())  # in order of first appearance
    names = dict(zip(_values(rows, "lane"), _values(rows, "lane_label")))
    lines = [line for k in keys for line in wrap(names[k], 18).split("<br>")]
    left = float(np.clip(max(text_width(line, FONT_SIZE) for line in lines) + 18, 60, width * 0.3))
    margin = {"l": round(left), **(PAGE_MARGIN if axis_top else MARGIN)}
    plot_w = width - margin["l"] - margin["r"]
    marks: tuple[GapMark, ...] = ()
    if order is not None:  # one panel, an event's width of room before the first and after the last
        panels = [Panel(day_of(-1), day_of(len(order)), margin["l"], margin["l"] + plot_w, (0.0, 1.0))]
        marks = gap_marks(order.gaps, panels[0], width)
        if marks:  # the gaps' rows go beside the year ticks (under them, or above them when they are on top)
            margin["t" if axis_top else "b"] += GAP_ROW * (max(m.row for m in marks) + 1)
    else:
        panels = _panels(frame, axis_break(frame), margin["l"], plot_w)
    cut = panels[1].start if len(panels) == 2 else None
    rows["panel"] = 0 if cut is None else (rows["first_day"] >= cut).astype(int)
    # every event a point on the event-order scale: no bound's band either (the hover still says "by", "after")
    bounded = _bounded(rows) if order is None else np.full(len(rows), "", dtype=object)
    if not axis_top and order is None:  # the key under the chart: room for a third line (figure.py writes it)
        key_lines = 1 + bool((bounded != "").any()) + (len(rows) > BANDS_UP_TO)
        margin["b"] += KEY_LINE * max(0, key_lines - 2)
    # a period's marker at its start, a bounded date's at its bound; other markers mid-interval
    middle = rows["first_day"] + (rows["last_day"] - rows["first_day"]) / 2
    rows["x"] = rows["first_day"].where(rows["is_span"] | (bounded != ""), middle)
    numbers = rows["order"].to_numpy() + 1 if "order" in rows else np.arange(1, len(rows) + 1)
    if own_numbers is not None:
        numbers = rows["id"].map(own_numbers).to_numpy()
    rows["number"] = np.array([str(n) for n in numbers.tolist()], dtype=object)  # as object: Arrow text is slow to build
    for col, src in (("px", "x"), ("px0", "first_day"), ("px1", "last_day")):
        rows[col] = 0.0
        for i, panel in enumerate(panels):
            sel = rows["panel"] == i
            rows.loc[sel, col] = panel.px(rows.loc[sel, src])
    reach = _bound_bands(rows, bounded, panels)
    rows["level"] = 0
    r = SELECTED_MARKER / 2
    if len(rows) >= WEBGL_FROM:  # too many to dodge one by one: a level per kind, coinciding markers drawn once
        rows["level"], rows["stands_for"] = _coincide(rows)
    else:
        for _, grp in rows.sort_values("px0", kind="stable").groupby("lane", sort=False):
            lo, hi = reach.loc[grp.index, "lo"].to_numpy(), reach.loc[grp.index, "hi"].to_numpy()
            rows.loc[grp.index, "level"] = _dodge(lo - r, hi + r)
    bounds = [(pn.lo, width - 4 if i == len(panels) - 1 else pn.hi) for i, pn in enumerate(panels)]  # the last may use the margin
    budget = min(max_labels, WEBGL_LABELS) if len(rows) >= WEBGL_FROM else max_labels
    # A number ("#12") stands in for a title only while every entry can have a label; past the budget the labels
    # go to the most important events, titles only ("#48213" would tell a reader nothing), the rest on hover.
    drawn = rows if "stands_for" not in rows else rows[rows["stands_for"].to_numpy() > 0]
    requests = label_requests(drawn, bounds, width, budget, numbers=len(rows) <= budget if number_labels is None else number_labels,
                              ranked=ranked, pinned=pinned)
    place = place_lane if len(rows) <= budget and not ranked else place_by_rank  # crowded: most important first, no retries
    avail = None if height is None else height - margin["t"] - margin["b"]
    by_lane = {k: [q for q in requests if q.lane == k] for k in keys}
    label_size, label_row = LABEL_SIZE, ROW
    # fewer label rows when the given height is short: 4, 3, 2, 1 on each side, one above, none
    # (measured by the greedy passes; the rows kept are then laid out with the search too, if it still fits)
    quick = partial(place, search=False) if place is place_lane else place
    for slots in [slot_order(n) for n in range(max_slots, 0, -1)] + [[1], []]:
        placed = [p for k in keys for p in quick(by_lane[k], slots, LABEL_SIZE)] if slots else []
        lane_list = _stack(keys, names, rows, placed)
        total = lane_list[-1].bottom
        if avail is None or total <= avail:
            break
    if quick is not place and len(placed) < len(requests):
        searched = [p for k in keys for p in place(by_lane[k], slots, LABEL_SIZE)] if slots else []
        stacked = _stack(keys, names, rows, searched)
        if len(searched) > len(placed) and (avail is None or stacked[-1].bottom <= avail):
            placed, lane_list, total = searched, stacked, stacked[-1].bottom
    if avail is not None and slots != slot_order(max_slots) and (place is place_lane or ranked):
        # short of height: the same rows for every lane leave most lanes bare; lane by lane, rows go where labels wait
        tries = [(LANE_PAD, LABEL_SIZE, ROW), (TIGHT_PAD, LABEL_SIZE, ROW)] + ([(TIGHT_PAD, SMALL_LABEL_SIZE, SMALL_ROW)]
                                                                              if small_labels else [])
        laid: dict = {}  # lane layouts by (lane, rows, type size): the padding changes none of them
        for pad, size, row in tries:
            fitted = _fit_rows(keys, by_lane, names, rows, avail, place, max_slots, pad, size, row, laid)
            if len(fitted) > len(placed):
                placed, label_size, label_row = fitted, size, row
                lane_list = _stack(keys, names, rows, placed, pad, row)
                total = lane_list[-1].bottom
            if len(placed) == len(requests):
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
            y1 = ln.center - ln.strip_top - (p.slot - 1) * label_row
            y0 = y1 - label_row
        else:
            y0 = ln.center + ln.strip_bottom + (-p.slot - 1) * label_row
            y1 = y0 + label_row
        labels.append(replace(p, y0=y0 + t, y1=y1 + t, marker_y=level[p.event_id, p.lane] + t))
    return Plan(width, height, margin, panels, lane_list, rows, labels, order, marks, label_size)


def _fit_rows(keys: list[str], by_lane: dict[str, list], names: dict[str, str], rows: pd.DataFrame,
              avail: float, place=place_lane, max_slots: int = MAX_SLOTS, pad: float = LANE_PAD, size: float = LABEL_SIZE,
              row: float = ROW, kept: dict | None = None) -> list[LabelPlacement]:
    """Labels for lanes that must fit `avail` px, each lane given the rows (nearest the lane first) that, all lanes
    together, label the most lanes and then the most events; among equals, the least height.

    A lane's height is its own: the lanes' heights add up, so the best choice of rows is found exactly, lane by lane
    (for each total height, the most labels the lanes so far can have in it). Lanes have `pad` px above and below,
    labels `size` px type in rows `row` px tall. `kept`: lane layouts already made, by (lane, rows, size), added to.
    """
    order = slot_order(max_slots)
    kept = {} if kept is None else kept

    def height(k: str, placed: list[LabelPlacement]) -> float:
        return _stack([k], names, rows, placed, pad, row)[-1].bottom

    bare = {k: height(k, []) for k in keys}
    choices = {}
    for k in keys:
        room = avail - sum(bare.values()) + bare[k]  # what this lane may take, the others bare
        options = [(bare[k], [])] if bare[k] <= room else []
        for n in range(1, len(order) + 1):
            if options and len(options[-1][1]) == len(by_lane[k]):
                break
            if (k, n, size) not in kept:
                kept[k, n, size] = place(by_lane[k], order[:n], size)
            placed = kept[k, n, size]
            h = height(k, placed)
            if h > room:
                break
            if not options or len(placed) > len(options[-1][1]):  # a row is worth its height only if it labels more
                options.append((h, placed))
        choices[k] = options
    # (height, (lanes labelled, labels), layouts): for each height, the state labelling most so far
    states: list[tuple[float, tuple[int, int], list]] = [(0.0, (0, 0), [])]
    for k in keys:
        grown = sorted(((h + hk, (v[0] + bool(lay), v[1] + len(lay)), picks + [lay])
                        for h, v, picks in states for hk, lay in choices[k] if h + hk <= avail),
                       key=lambda s: (s[0], -s[1][0], -s[1][1]))
        states, top = [], None
        for state in grown:  # a taller state is kept only when it labels more
            if top is None or state[1] > top:
                states.append(state)
                top = state[1]
    if not states:
        return []
    best = max(states, key=lambda s: (s[1], -s[0]))
    return [p for lay in best[2] for p in lay]


def _bounded(rows: pd.DataFrame) -> np.ndarray:
    """Each row's bound: "after" (up to its end), "open-after" (no end), "by", or "" (a date, not a bound)."""
    out = np.full(len(rows), "", dtype=object)
    if "date_certainty" not in rows:
        return out
    certainty = rows["date_certainty"].to_numpy(dtype=object)
    after, by = certainty == "after", certainty == "by"
    if not (after.any() or by.any()):
        return out
    no_end = (rows["end"] == "").to_numpy(dtype=bool) if "end" in rows else (rows["first_day"] == rows["last_day"]).to_numpy()
    out[after & ~no_end], out[after & no_end], out[by] = "after", "open-after", "by"
    return out


def _bound_bands(rows: pd.DataFrame, bounded: np.ndarray, panels: list[Panel]) -> pd.DataFrame:
    """Set rows' bound and the dates its band runs between (bound_x0, bound_x1; NaT for a date that is no bound).

    Returns the pixels each row reaches, its band included (columns lo, hi), for the markers to dodge by.
    """
    rows["bound"] = bounded
    lo, hi = np.minimum(rows["px0"].to_numpy(), rows["px"].to_numpy()), rows["px1"].to_numpy().copy()
    rows["bound_x0"] = rows["bound_x1"] = pd.NaT
    if (bounded != "").any():
        px = rows["px"].to_numpy()
        edge_lo = np.array([panels[i].lo for i in rows["panel"]])
        edge_hi = np.array([panels[i].hi for i in rows["panel"]])
        b0 = np.select([bounded == "after", bounded == "open-after", bounded == "by"],
                       [rows["px0"].to_numpy(), px, np.maximum(px - BOUND_PX, np.minimum(edge_lo, px))], np.nan)
        b1 = np.select([bounded == "after", bounded == "open-after", bounded == "by"],
                       [rows["px1"].to_numpy(), np.minimum(px + BOUND_PX, np.maximum(edge_hi, px)), px], np.nan)
        # to the millisecond (a date axis needs no finer), an "after" date's band exactly from its start to its end
        x0, x1 = (np.full(len(rows), np.datetime64("NaT"), dtype="datetime64[ms]") for _ in range(2))
        for i, panel in enumerate(panels):
            sel = (rows["panel"].to_numpy() == i) & (bounded != "")
            if sel.any():
                x0[sel], x1[sel] = panel.at(b0[sel]).to_numpy(), panel.at(b1[sel]).to_numpy()
        between = bounded == "after"
        x0[between], x1[between] = rows["first_day"].to_numpy()[between], rows["last_day"].to_numpy()[between]
        rows["bound_x0"], rows["bound_x1"] = x0, x1
        some = bounded != ""
        lo[some], hi[some] = np.minimum(lo[some], b0[some]), np.maximum(hi[some], b1[some])
    return pd.DataFrame({"lo": lo, "hi": hi}, index=rows.index)


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


def _stack(keys: list[str], names: dict[str, str], rows: pd.DataFrame, placed: list[LabelPlacement],
           pad: float = LANE_PAD, row: float = ROW) -> list[Lane]:
    """Lanes from top to bottom, each as tall as its label rows (`row` px each) and its dodged markers need, `pad` px
    above and below."""
    lanes, y = [], 0.0
    levels = rows.groupby("lane")["level"].agg(["min", "max"])
    for k in keys:
        slots = [p.slot for p in placed if p.lane == k]
        above, below = max([s for s in slots if s > 0], default=0), -min([s for s in slots if s < 0], default=0)
        s_top = SELECTED_MARKER / 2 + 2 - levels.at[k, "min"] * STEP
        s_bottom = SELECTED_MARKER / 2 + 2 + levels.at[k, "max"] * STEP
        n_lines = wrap(names[k], 18).count("<br>") + 1
        spare = max(0.0, n_lines * 15 + 6 - (above + below) * row - s_top - s_bottom - 2 * pad) / 2
        center = y + pad + spare + above * row + s_top
        bottom = center + s_bottom + below * row + pad + spare
        lanes.append(Lane(k, names[k], y, center, bottom, s_top, s_bottom))
        y = bottom
    return lanes


def layout_labels(frame: pd.DataFrame, lanes: str = "category", width: int = 1280, height: int | None = None, *,
                  lane_labels: dict[str, str] | None = None, max_labels: int = MAX_LABELS,
                  window: Window = None, scale: str = "calendar", axis_top: bool = False,
                  number_labels: bool | None = None, ranked: bool = False,
                  pinned: tuple[str, ...] = (), max_slots: int = MAX_SLOTS, small_labels: bool = False) -> list[LabelPlacement]:
    """The labels build_figure draws for these arguments, with their boxes in figure pixels."""
    return plan(frame, lanes, width, height, lane_labels=lane_labels, max_labels=max_labels, window=window,
                scale=scale, axis_top=axis_top, number_labels=number_labels, ranked=ranked, pinned=pinned,
                max_slots=max_slots, small_labels=small_labels).labels


def _values(df: pd.DataFrame, col: str) -> np.ndarray:
    """A column as an object array (iterating pandas' Arrow-backed strings one by one is slow)."""
    return df[col].to_numpy(dtype=object)


def _lookup(rows: pd.DataFrame, labels: list[LabelPlacement], col: str) -> dict[tuple[str, str], object]:
    """`col` of the lane entries that have a label, by (event id, lane): a few hundred, not every row."""
    hit = rows[rows["id"].isin({lab.event_id for lab in labels})]
    return dict(zip(zip(_values(hit, "id"), _values(hit, "lane")), hit[col]))
