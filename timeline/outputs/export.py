"""Export the current view, with its provenance: images, an interactive page, data and TimelineJS.

Images are the app's own figure (timeline.chart.figure.build_figure) re-laid out for a preset: a
title block above it and a key and credit line below it, added as margins so the chart's
pixel layout (and its non-overlapping labels) is untouched. The type is sized for the preset
by rendering at a scale: a 1280 × 720 layout at scale 1.5 is a 1920 × 1080 image. When the
preset is too short for a label on every event at that scale, smaller scales (more layout
room, smaller type) are tried, down to the preset's `min_scale`. The key under the chart
names the events whose label had to become a number or be left out: nothing is hover-only.

One browser serves every image export of the process (timeline.outputs.renderer, which bounds every
render in time and restarts a dead browser once); nothing here touches the network.
"""
from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import weakref
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from timeline.outputs import alttext, portrait, standards
from timeline.chart.figure import build_figure
from timeline.chart.layout import FONT_FAMILY, LABEL_SIZE, THEMES, plan
from timeline.data.chronology import Chronology
from timeline.filters import ViewState, filter_events
from timeline.chart.labels import text_width
from timeline.outputs.timelinejs import timelinejs
from timeline.outputs.renderer import (  # noqa: F401 (the renderer's names are part of this module's API)
    ChromiumMissing, RenderFailed, chromium_path, render, renderer_running, start_renderer, stop_renderer)

FORMATS = ("png", "svg", "pdf", "html", "csv", "json", "timelinejs", "annotations", "csl")
IMAGE_FORMATS = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html",
        "csv": "text/csv", "json": "application/json", "timelinejs": "application/json",
        "annotations": "application/ld+json", "csl": "application/vnd.citationstyles.csl+json"}
UNLABELLED = ("Markers without a label for want of room at this size: {k:,} of {n:,} events. "
              "The HTML page and the CSV export of this view list every one.")
_SCALES = (2.5, 2.0, 1.875, 1.75, 1.5, 1.25, 1.0)  # exact in binary: no rounding of image sizes
CM = 96 / 2.54  # one centimetre in CSS px (a PDF's 1 px is 0.75 pt)
PT = 4 / 3      # px per pt
_INK = THEMES["light"]


class ExportError(ValueError):
    """Raised when an export is asked for with a format, preset or size that does not exist."""


@dataclass(frozen=True)
class Preset:
    """An output: `width` × `height` layout px at `scale` (the image is width·scale × height·scale px).

    `floor`: the event labels' least size in output px (for a PDF, 1 px = 0.75 pt): the layout's scale never goes
    below floor / LABEL_SIZE, and may grow up to `max_scale` while every event keeps a label. `margin`: output px
    kept free of ink at every edge (1 cm for print)."""

    name: str
    label: str
    width: int
    height: int
    scale: float
    format: str
    title_size: float      # sizes in output px (for a PDF, 1 px = 0.75 pt)
    subtitle_size: float
    credit_size: float
    floor: float | None = None
    max_scale: float | None = None
    margin: float = 0.0
    vertical: bool = False  # print in portrait: a vertical timeline down the page, as many pages as it needs

    @property
    def pixels(self) -> tuple[int, int]:
        return int(self.width * self.scale + 1e-6), int(self.height * self.scale + 1e-6)

    @property
    def label_floor(self) -> float:
        """The event labels' least size in output px: the preset's floor, else what its scale makes of LABEL_SIZE."""
        return self.floor if self.floor is not None else LABEL_SIZE * self.scale


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("slide-16x9", "Slide 16:9 (1920 × 1080 px)", 1024, 576, 1.875, "png", 46, 28, 24, floor=20, max_scale=2.5),
    Preset("slide-4x3", "Slide 4:3 (1600 × 1200 px)", 800, 600, 2.0, "png", 44, 27, 24, floor=20, max_scale=2.5),
    Preset("a4", "Print, A4 landscape (PDF)", 1123, 794, 1.0, "pdf", 24, 16, 13, floor=8 * PT, max_scale=1.25, margin=CM),
    Preset("letter", "Print, US Letter landscape (PDF)", 1056, 816, 1.0, "pdf", 24, 16, 13, floor=8 * PT,
           max_scale=1.25, margin=CM),
    Preset("a4-portrait", "Print, A4 portrait (PDF, the timeline down the page)", 794, 1123, 1.0, "pdf", 24, 16, 13,
           floor=8 * PT, margin=CM, vertical=True),
    Preset("letter-portrait", "Print, US Letter portrait (PDF, the timeline down the page)", 816, 1056, 1.0, "pdf",
           24, 16, 13, floor=8 * PT, margin=CM, vertical=True),
    Preset("social", "Social media card (1200 × 675 px)", 640, 360, 1.875, "png", 36, 24, 22, floor=20, max_scale=2.5),
    Preset("custom", "Custom size", 1280, 720, 1.0, "png", 28, 17, 13),
)}
SLOTS = 8  # label rows on each side of a lane at most: an image has no scrolling, its height is there to use
AXES = ("calendar", "order")  # the page's scale= option: dates, or events evenly spaced in date order


@dataclass(frozen=True)
class Export:
    """A finished export: the file's bytes, its type and name, and the alt text of an image or page."""

    data: bytes
    mime: str
    filename: str
    alt_text: str | None = None
    embed: str | None = None  # for a page: the HTML that puts it into another page (an iframe that takes its height)


# --- the static figure ------------------------------------------------------------
@dataclass(frozen=True)
class Sheet:
    """How a static image is laid out: layout size, scale, and the blocks around the chart (layout px)."""

    width: int
    height: int
    scale: float
    pixels: tuple[int, int]                   # the image's size: width, height × scale (truncated)
    pad: float                                # free room at every edge; the chart is inset by it too
    fonts: tuple[float, float, float]        # title, subtitle, credit (layout px)
    title: list[str]
    subtitle: list[str]
    notes: list[str]                          # the key of the labels shown as numbers, or how many have none
    credit: list[str]
    key_size: float = 11.0                    # the notes' type (layout px): at the preset's floor
    reserve: int = 0                          # lines of room kept for the notes
    labelled: int = 0                         # events with a label (in at least one lane)
    numbered: int = 0                         # events whose label is a number
    keyed: bool = False                       # whether `notes` explains every number and missing label
    axis: str = "calendar"                    # the x axis: calendar, or event order
    numbers: bool = False                     # whether labels may be numbers ("#12", explained by the key)
    ranked: bool = False                      # labels by importance (not every event has one)
    events: int = 0                           # events in the view
    merged: bool = False                      # the view's lanes drawn as one (they left no room for labels)
    boxes: tuple = ()                         # the labels' LabelPlacements, in the chart's own pixels (see inset)
    fits: bool = True                         # whether the lanes fit the chart's height (else they would overlap)
    label_ids: tuple[str, ...] = ()           # the labelled events, in date order

    @property
    def top(self) -> int:
        t, s, _ = self.fonts
        return round(self.pad + len(self.title) * t * 1.2 + len(self.subtitle) * s * 1.3 + (s * 0.6 if self.subtitle else 0))

    @property
    def bottom(self) -> int:
        c = self.fonts[2]
        return round(max(self.reserve, len(self.notes)) * self.key_size * 1.35 + len(self.credit) * c * 1.35 + self.pad + c * 0.4)

    @property
    def chart_width(self) -> int:
        return round(self.width - 2 * self.pad)

    @property
    def chart_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def inset(self) -> float:
        """How far right of the image's left edge the chart starts (layout px)."""
        return (self.width - self.chart_width) / 2

    @property
    def complete(self) -> bool:
        """Every event has a label, any number explained by the key."""
        return self.labelled >= self.events and (not self.numbered or self.keyed)


def wrap_px(text: str, size: float, max_px: float) -> list[str]:
    """`text` broken into lines no wider than `max_px` at `size` px (bold metrics: a safe overestimate)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= max_px:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _key(frame: pd.DataFrame, labels: list, most: int = 20) -> str:
    """The labels shown as numbers, in words."""
    titles = dict(zip(frame["id"], frame["title"]))
    numbers = {lab.event_id: lab.text for lab in labels if lab.numbered}
    numbered = sorted(numbers.items(), key=lambda kv: int(re.sub(r"\D", "", kv[1]) or 0))
    return "Numbered labels: " + "; ".join(f"{n} {titles.get(i, i)}" for i, n in numbered[:most]) if numbered else ""


def _preset(preset: str, width: int | None, height: int | None, scale: float | None) -> Preset:
    if preset not in PRESETS:
        raise ExportError(f'There is no preset "{preset}": use one of {", ".join(PRESETS)}.')
    p = PRESETS[preset]
    if width is None and height is None and scale is None:
        return p
    w, h, s = width or p.width, height or p.height, scale or p.scale
    if not (200 <= w <= 8000 and 150 <= h <= 8000 and 0.25 <= s <= 4):
        raise ExportError(f"A size of {w} × {h} px at scale {s} is out of range "
                          "(width 200–8000, height 150–8000, scale 0.25–4).")
    grow = max(0.6, min((w * s) / (p.width * p.scale), (h * s) / (p.height * p.scale)))
    return replace(p, width=w, height=h, scale=s, title_size=p.title_size * grow, floor=None, max_scale=None,
                   subtitle_size=p.subtitle_size * grow, credit_size=p.credit_size * grow)


def _scales(p: Preset, fmt: str) -> list[float]:
    """Scales to try, largest first: from `max_scale` down to the preset's (its labels at the floor); for PNG and SVG
    only those that divide the image's pixels exactly (the renderer truncates width·scale to whole pixels)."""
    wp, hp = p.pixels
    top = p.max_scale or p.scale
    exact = [s for s in _SCALES if p.scale < s <= top and (fmt == "pdf" or (wp / s).is_integer() and (hp / s).is_integer())]
    return exact + [p.scale]


def _notes(sheet: Sheet, k: int, n: int) -> list[str]:
    return wrap_px(UNLABELLED.format(k=k, n=n), sheet.key_size, sheet.width - 2 * sheet.pad)


ONE_LANE = {"category": "All categories", "actor": "All actors", "source": "All outlets"}


def _one_lane(frame: pd.DataFrame, lanes: str) -> pd.DataFrame:
    """The view with every event in one lane (the kinds keep their shapes and colours)."""
    return frame.assign(category="all", category_label=ONE_LANE[lanes])


def _sheet(p: Preset, s: float, frame: pd.DataFrame, state: ViewState, lane_labels, texts: tuple[str, str, str],
           axis: str, pinned: tuple[str, ...], merged: bool = False) -> Sheet:
    """The layout at scale `s` on the `axis` scale: every event labelled in words if there is room; else numbers
    for some, when their key fits at the floor; else labels by importance, the rest markers, and a note saying so."""
    wp, hp = p.pixels
    w, h = (p.width, p.height) if s == p.scale else (math.ceil(wp / s - 1e-9), math.ceil(hp / s - 1e-9))
    fonts = (p.title_size / s, p.subtitle_size / s, p.credit_size / s)
    pad = max(12.0, 0.018 * wp, p.margin) / s
    room = w - 2 * pad
    title, subtitle, credit = texts
    n = int(frame["id"].nunique())
    sheet = Sheet(w, h, s, p.pixels, pad, fonts, wrap_px(title, fonts[0], room),
                  wrap_px(subtitle, fonts[1], room) if subtitle else [], [], wrap_px(credit, fonts[2], room),
                  key_size=max(p.label_floor / s, LABEL_SIZE), axis=axis, events=n, merged=merged)
    if frame.empty:
        return replace(sheet, keyed=True)
    ids_in_order = frame["id"]
    lanes = state.lanes
    if merged:
        frame, lanes, lane_labels = _one_lane(frame, lanes), "category", None

    def lay_out(sheet: Sheet, numbers: bool, ranked: bool) -> Sheet:
        measured = plan(frame, lanes, sheet.chart_width, sheet.chart_height, lane_labels=lane_labels,
                        window=state.window, scale=axis, number_labels=numbers, ranked=ranked, pinned=pinned,
                        max_slots=SLOTS)
        labels = measured.labels
        ids = {lab.event_id for lab in labels}
        order = [i for i in ids_in_order if i in ids]
        return replace(sheet, labelled=len(ids), numbered=len({lab.event_id for lab in labels if lab.numbered}),
                       numbers=numbers, ranked=ranked, label_ids=tuple(dict.fromkeys(order)), boxes=tuple(labels),
                       fits=measured.lanes[-1].bottom <= measured.plot_height + 0.5), labels

    probe, _ = lay_out(sheet, False, True)  # one quick pass, the most important first
    if probe.labelled >= n:
        return replace(probe, keyed=True)
    few = max(2, n // 10)  # a key of more numbers than this would take the chart's room (and be read by nobody)
    if n - probe.labelled > few:  # far from room for all: the slower layouts below would not find it either
        words = probe
    else:
        words, _ = lay_out(sheet, False, False)
        if words.labelled >= n:
            return replace(words, keyed=True)
    trial = sheet
    for _ in range(3 if n - words.labelled <= few else 0):  # numbers, while their key fits at the floor
        numbered, labels = lay_out(trial, True, False)
        if numbered.labelled < n or numbered.numbered > few:
            break
        notes = wrap_px(_key(frame, labels), sheet.key_size, room)
        if len(notes) <= trial.reserve:
            return replace(numbered, notes=notes, keyed=True)
        trial = replace(trial, reserve=len(notes))
    ranked = replace(sheet, reserve=len(_notes(sheet, n, n)))
    for _ in range(2):
        ranked, _ = lay_out(ranked, False, True)
        ranked = replace(ranked, notes=_notes(ranked, n - ranked.labelled, n), keyed=True)
        if len(ranked.notes) == ranked.reserve:
            break
        ranked = replace(ranked, reserve=len(ranked.notes))
    return ranked


@dataclass
class _Kept:
    """A view's layout search (and, once drawn, its figure) for one loaded table."""

    source: weakref.ref
    sheet: Sheet
    figure: go.Figure | None = None  # the finished figure (static_figure hands out copies)


_chosen: dict[tuple, _Kept] = {}  # the same view exported again skips the search and the figure's making


def _choose(p: Preset, fmt: str, frame: pd.DataFrame, state: ViewState, lane_labels, texts, axes: tuple[str, ...],
            pinned: tuple[str, ...], source: pd.DataFrame) -> _Kept:
    """The layout that labels the most events at or above the floor (see _search).

    `frame` is `filter_events(source, state)`: the search is kept for that table object and view (a weak reference:
    a table read again is another object, and finds nothing kept). Hashing the rows instead took seconds at
    100,000 events, more than the search it saved. The key names everything the figure is made of, so the
    figure is kept with it."""
    key = (id(source), state, state.lanes, axes, pinned, state.window, tuple(sorted((lane_labels or {}).items())), p,
           fmt == "pdf", texts)
    kept = _chosen.get(key)
    if kept is not None and kept.source() is source:
        return kept
    if len(_chosen) >= 64:
        _chosen.pop(next(iter(_chosen)))
    _chosen[key] = kept = _Kept(weakref.ref(source), _search(p, fmt, frame, state, lane_labels, texts, axes, pinned))
    return kept


def _search(p: Preset, fmt: str, frame: pd.DataFrame, state: ViewState, lane_labels, texts, axes: tuple[str, ...],
            pinned: tuple[str, ...]) -> Sheet:
    """For each axis, and for the view's lanes or all in one, scales from the largest down to the floor's: the first
    that labels every event wins, else the floor's. Of those, the one that labels more events (the view's lanes, then
    the calendar, when they tie)."""
    best = []
    for axis in axes:
        for merged in (False, True):
            for s in _scales(p, fmt):
                sheet = _sheet(p, s, frame, state, lane_labels, texts, axis, pinned, merged)
                if frame.empty or sheet.complete:
                    break
            best.append(sheet)
            if sheet.complete and sheet.fits:
                break
    return max(best, key=lambda t: (t.fits, t.labelled - t.numbered, t.complete, not t.merged, t.axis == "calendar"))


def _lane_labels(chron: Chronology, state: ViewState) -> dict[str, str] | None:
    return {s.id: s.outlet for s in chron.sources.values()} if state.lanes == "source" else None


def _text_annotation(name: str, lines: list[str], size: float, colour: str, x_shift: float, y: float,
                     y_anchor: str, y_shift: float, bold: bool = False) -> dict:
    text = "<br>".join(html.escape(line, quote=False) for line in lines)
    return {"name": name, "text": f"<b>{text}</b>" if bold else text, "xref": "paper", "yref": "paper", "x": 0, "y": y,
            "xanchor": "left", "yanchor": y_anchor, "xshift": x_shift, "yshift": y_shift, "align": "left",
            "showarrow": False, "font": {"family": FONT_FAMILY, "size": size, "color": colour}}


def _axes(state: ViewState, axis: str | None) -> tuple[str, ...]:
    if axis is not None:
        if axis not in AXES:
            raise ExportError(f'There is no scale "{axis}": use one of {", ".join(AXES)}.')
        return (axis,)
    return (state.scale,) if state.scale != "calendar" else AXES  # the view's own choice, else whichever labels more


def static_figure(chron: Chronology, state: ViewState, fmt: str = "png", preset: str = "slide-16x9", *,
                  title: str | None = None, subtitle: str | None = None, width: int | None = None,
                  height: int | None = None, scale: float | None = None, axis: str | None = None) -> tuple[go.Figure, Sheet]:
    """The view's figure laid out for a preset: title and subtitle above, key and credit below.

    `axis`: "calendar" or "order" (the page's scale= option); None: the view's scale when it asks for the event
    order, else whichever of the two labels more events at the preset's floor."""
    kept = _kept(chron, state, fmt, preset, title, subtitle, width, height, scale, axis)
    return go.Figure(kept.figure), kept.sheet  # a copy: the caller's own, to change at will


def _kept(chron: Chronology, state: ViewState, fmt: str, preset: str, title: str | None, subtitle: str | None,
          width: int | None, height: int | None, scale: float | None, axis: str | None) -> _Kept:
    """static_figure's sheet and figure as kept (the figure drawn on first use): to be read, not changed."""
    p = _preset(preset, width, height, scale)
    if p.vertical:
        raise ExportError(f'The preset "{preset}" runs down the page, with no chart of lanes: export it as pdf.')
    frame = filter_events(chron.frame, state)
    lane_labels = _lane_labels(chron, state)
    texts = (title or chron.story.title, alttext.subtitle(chron, frame, state) if subtitle is None else subtitle,
             alttext.credit_line(frame))
    pinned = (state.selected,) if state.selected else ()
    kept = _choose(p, fmt, frame, state, lane_labels, texts, _axes(state, axis), pinned, chron.frame)
    if kept.figure is None:
        kept.figure = _draw(kept.sheet, frame, state, lane_labels, pinned)
    return kept


def _draw(sheet: Sheet, frame: pd.DataFrame, state: ViewState, lane_labels, pinned: tuple[str, ...]) -> go.Figure:
    """The chart of `sheet`, with its title, key and credit around it."""
    drawn, lanes = (_one_lane(frame, state.lanes), "category") if sheet.merged else (frame, state.lanes)
    fig = build_figure(drawn, lanes=lanes, selected=state.selected, width=sheet.chart_width,
                       height=sheet.chart_height, lane_labels=None if sheet.merged else lane_labels, theme="light",
                       window=state.window, scale=sheet.axis, number_labels=sheet.numbers, ranked=sheet.ranked,
                       pinned=pinned, max_slots=SLOTS, still=True)
    m = {k: fig.layout.margin[k] for k in "ltrb"}  # build_figure sets every side
    inset = sheet.inset
    m["l"], m["r"] = m["l"] + inset, m["r"] + sheet.width - sheet.chart_width - inset  # the chart inset by the pad
    top, bottom = m["t"] + sheet.top, m["b"] + sheet.bottom
    left = -(m["l"] - sheet.pad)
    t, s, c = sheet.fonts
    blocks = [_text_annotation("export:title", sheet.title, t, _INK["ink"], left, 1, "top", top - sheet.pad, bold=True)]
    if sheet.subtitle:
        blocks.append(_text_annotation("export:subtitle", sheet.subtitle, s, _INK["muted"], left, 1, "top",
                                       top - sheet.pad - len(sheet.title) * t * 1.2))
    base = -(bottom - sheet.pad)
    blocks.append(_text_annotation("export:credit", sheet.credit, c, _INK["muted"], left, 0, "bottom", base))
    if sheet.notes:
        blocks.append(_text_annotation("export:key", sheet.notes, sheet.key_size, _INK["ink"], left, 0, "bottom",
                                       base + len(sheet.credit) * c * 1.35))
    fig.layout.annotations += tuple(go.layout.Annotation(b) for b in blocks)  # cheaper than re-setting them all
    fig.update_layout(width=sheet.width, height=sheet.height, margin={**m, "t": top, "b": bottom}, paper_bgcolor="#ffffff",
                      plot_bgcolor="#ffffff", hovermode=False, dragmode=False)
    return fig


def _pages(chron: Chronology, state: ViewState, frame: pd.DataFrame, p: Preset, title: str, subtitle: str) -> tuple[bytes, str]:
    """A portrait PDF: the vertical timeline (timeline.outputs.portrait), each page rendered, then joined."""
    from pypdf import PdfReader, PdfWriter

    start_renderer()
    # Chromium prints a page a little smaller than its CSS size (about 2.3%): the type is sized up to make up for it
    page = portrait.Page(p.width, p.height, p.margin, math.ceil(p.label_floor / 0.975 * 4) / 4,
                         (p.title_size, p.subtitle_size, p.credit_size))
    writer = PdfWriter()
    for fig in portrait.pages(frame, page, title, subtitle, alttext.credit_line(frame)):
        writer.append(PdfReader(io.BytesIO(render(fig, "pdf", p.width, p.height, 1.0))))
    out = io.BytesIO()
    writer.write(out)
    alt = alttext.alt_text(chron, frame, state, labelled=portrait.labelled_ids(frame))
    return alttext.pdf_with_metadata(out.getvalue(), title, alt, alttext.outlets(frame), chron.story.keywords,
                                     chron.story.slug), alt


def _image(chron: Chronology, state: ViewState, frame: pd.DataFrame, fmt: str, preset: str, **opts) -> tuple[bytes, str]:
    p = _preset(preset, opts.get("width"), opts.get("height"), opts.get("scale"))
    if p.vertical:
        return _pages(chron, state, frame, p, opts["title"] or chron.story.title,
                      alttext.subtitle(chron, frame, state) if opts["subtitle"] is None else opts["subtitle"])
    start_renderer()  # the browser starts in its own thread while the figure is laid out
    kept = _kept(chron, state, fmt, preset, opts["title"], opts["subtitle"], opts["width"], opts["height"],
                 opts["scale"], opts["axis"])
    fig, sheet = kept.figure, kept.sheet  # only read: render() takes the figure's JSON
    alt = alttext.alt_text(chron, frame, state, labelled=sheet.label_ids if sheet.labelled < sheet.events else None)
    title = " ".join(sheet.title)
    data = render(fig, fmt, sheet.width, sheet.height, sheet.scale)
    if fmt == "svg":
        data = alttext.svg_with_text(data.decode("utf-8"), title, alt, sheet.pixels).encode("utf-8")
    elif fmt == "pdf":
        data = alttext.pdf_with_metadata(data, title, alt, alttext.outlets(frame), chron.story.keywords, chron.story.slug)
    return data, alt

# --- data ---------------------------------------------------------------------------
EVENT_FIELDS = ("id", "title", "label", "date_label", "start", "end", "precision", "date_edtf", "date_certainty", "date_note",
                "kind", "category", "category_label", "actors", "summary", "claimed_by")
CITATION_FIELDS = ("source_id", "outlet", "headline", "published", "published_label", "url", "quote")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def records(chron: Chronology, frame: pd.DataFrame) -> list[dict]:
    """The view's events in date order, each with its citations (the verbatim quotes and their articles)."""
    out = []
    for row in frame.itertuples():
        event = {f: getattr(row, f) for f in EVENT_FIELDS}
        event["actors"] = list(row.actors)
        event["citations"] = [{
            "source_id": p.source.id, "outlet": p.source.outlet, "headline": p.source.headline,
            "published": p.source.published.iso, "published_label": p.source.published_label, "url": p.source.url,
            "quote": p.text} for p in chron.passages_for(row.id)]
        out.append(event)
    return out


def neutralise(cell: object) -> object:
    """A cell a spreadsheet would run as a formula, prefixed with ' (OWASP CSV injection guidance)."""
    return "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA) else cell


def to_csv(chron: Chronology, frame: pd.DataFrame) -> bytes:
    """One row per citation, the event's columns repeated on each (an event without citations gets one row)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(["event_id", *EVENT_FIELDS[1:], *CITATION_FIELDS])
    for event in records(chron, frame):
        cells = [event[f] if f != "actors" else "; ".join(event[f]) for f in EVENT_FIELDS]
        for citation in event["citations"] or [dict.fromkeys(CITATION_FIELDS, "")]:
            writer.writerow([neutralise(c) for c in (*cells, *(citation[f] for f in CITATION_FIELDS))])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM makes spreadsheets read UTF-8


def to_json(chron: Chronology, frame: pd.DataFrame, state: ViewState, title: str, subtitle: str) -> bytes:
    doc = {"title": title, "subtitle": subtitle, "view": {"description": state.describe(chron),
           "query": state.to_query_params()}, "credit": alttext.credit_line(frame),
           "count": len(frame), "events": records(chron, frame)}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


# --- the interactive page ---------------------------------------------------------
def to_html(chron: Chronology, state: ViewState, frame: pd.DataFrame, title: str, subtitle: str,
            width: int | None = None, height: int | None = None) -> tuple[bytes, str]:
    """The published page (timeline.outputs.publish): light, self-contained, embeddable; and its alt text.

    `width` and `height` are not used: the page fits whatever width it is shown at."""
    from timeline.outputs import publish

    return publish.page(chron, state, frame, records(chron, frame), title, subtitle)


# --- the API ---------------------------------------------------------------------
def export(chron: Chronology, state: ViewState, fmt: str, preset: str = "slide-16x9", *, title: str | None = None,
           subtitle: str | None = None, width: int | None = None, height: int | None = None,
           scale: float | None = None, axis: str | None = None) -> Export:
    """The view `state` of `chron` as a file: png, svg, pdf, html, csv, json, timelinejs, annotations (W3C Web
    Annotation JSON-LD, one per passage) or csl (CSL-JSON, one per article cited).

    title: defaults to the project's title; subtitle: None for the view's description, "" for none.
    width, height, scale: override the preset (layout px; the image is width·scale × height·scale px).
    axis: an image's x axis, "calendar" or "order" (the page's scale=); None: the view's when it is "order", else
    whichever labels more events.
    Raises ExportError for an unknown format or preset, ChromiumMissing when an image needs a browser,
    RenderFailed when the browser could not draw it twice in a row.
    """
    if fmt not in FORMATS:
        raise ExportError(f'There is no export format "{fmt}": use one of {", ".join(FORMATS)}.')
    p = _preset(preset, width, height, scale)  # checks the preset and the size, for every format
    _axes(state, axis)  # and the scale
    if p.vertical and fmt != "pdf":
        raise ExportError(f'The preset "{preset}" is print, in portrait: export it as pdf.')
    frame = filter_events(chron.frame, state)
    title = (title or "").strip() or chron.story.title
    subtitle = alttext.subtitle(chron, frame, state) if subtitle is None else subtitle.strip()
    if fmt in IMAGE_FORMATS:
        data, alt = _image(chron, state, frame, fmt, preset, title=title, subtitle=subtitle, width=width, height=height,
                           scale=scale, axis=axis)
        return Export(data, MIME[fmt], f"{chron.story.slug}-{p.name}.{fmt}", alt)
    if fmt == "html":
        from timeline.outputs.publish import embed_snippet

        data, alt = to_html(chron, state, frame, title, subtitle, width, height)
        name = f"{chron.story.slug}.html"
        return Export(data, MIME[fmt], name, alt, embed_snippet(name, title))
    if fmt == "csv":
        return Export(to_csv(chron, frame), MIME[fmt], f"{chron.story.slug}-citations.csv")
    if fmt == "json":
        return Export(to_json(chron, frame, state, title, subtitle), MIME[fmt], f"{chron.story.slug}.json")
    if fmt == "annotations":
        return Export(standards.to_annotations(chron, frame), MIME[fmt], f"{chron.story.slug}-annotations.jsonld")
    if fmt == "csl":
        return Export(standards.to_csl(chron, frame), MIME[fmt], f"{chron.story.slug}-sources.csl.json")
    return Export(timelinejs(chron, frame, title, subtitle), MIME[fmt], f"{chron.story.slug}-timelinejs.json")
