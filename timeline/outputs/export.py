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
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from timeline.outputs import alttext
from timeline.chart.figure import build_figure
from timeline.chart.layout import FONT_FAMILY, THEMES, layout_labels
from timeline.data.chronology import Chronology
from timeline.filters import ViewState, filter_events
from timeline.chart.labels import MAX_LABELS, text_width
from timeline.render import esc
from timeline.outputs.timelinejs import events_list, timelinejs
from timeline.outputs.renderer import (  # noqa: F401 (the renderer's names are part of this module's API)
    ChromiumMissing, RenderFailed, chromium_path, render, renderer_running, start_renderer, stop_renderer)

FORMATS = ("png", "svg", "pdf", "html", "csv", "json", "timelinejs")
IMAGE_FORMATS = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf", "html": "text/html",
        "csv": "text/csv", "json": "application/json", "timelinejs": "application/json"}
CROWDED = ("Some labels are numbers or left out for want of room: filter the view or choose a larger preset. "
           "The alt text and the data export list the events.")
NO_ROOM = "Too many events for their labels at this size: filter the view or choose a larger preset. The alt text and the data export list the events."
_SCALES = (2.0, 1.75, 1.5, 1.25, 1.0, 0.875, 0.75, 0.625, 0.5)  # exact in binary: no rounding of image sizes
_INK = THEMES["light"]


class ExportError(ValueError):
    """Raised when an export is asked for with a format, preset or size that does not exist."""


@dataclass(frozen=True)
class Preset:
    """An output: `width` × `height` layout px at `scale` (the image is width·scale × height·scale px)."""

    name: str
    label: str
    width: int
    height: int
    scale: float
    format: str
    title_size: float      # sizes in output px (for a PDF, 1 px = 0.75 pt)
    subtitle_size: float
    credit_size: float
    min_scale: float = 0.75  # the chart's type may shrink to this (11 px labels × 0.75) to find room for labels

    @property
    def pixels(self) -> tuple[int, int]:
        return int(self.width * self.scale + 1e-6), int(self.height * self.scale + 1e-6)


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("slide-16x9", "Slide 16:9 (1920 × 1080 px)", 1280, 720, 1.5, "png", 38, 23, 17),
    Preset("slide-4x3", "Slide 4:3 (1600 × 1200 px)", 1280, 960, 1.25, "png", 36, 22, 16),
    Preset("a4", "Print, A4 landscape (PDF)", 1123, 794, 1.0, "pdf", 24, 15, 11.5, min_scale=0.625),
    Preset("social", "Social media card (1200 × 675 px)", 960, 540, 1.25, "png", 27, 17, 13, min_scale=0.625),
    Preset("custom", "Custom size", 1280, 720, 1.0, "png", 28, 17, 13),
)}


@dataclass(frozen=True)
class Export:
    """A finished export: the file's bytes, its type and name, and the alt text of an image or page."""

    data: bytes
    mime: str
    filename: str
    alt_text: str | None = None


# --- the static figure ------------------------------------------------------------
@dataclass(frozen=True)
class Sheet:
    """How a static image is laid out: layout size, scale, and the blocks around the chart (layout px)."""

    width: int
    height: int
    scale: float
    pixels: tuple[int, int]                   # the image's size: width, height × scale (truncated)
    pad: float
    fonts: tuple[float, float, float]        # title, subtitle, credit (layout px)
    title: list[str]
    subtitle: list[str]
    notes: list[str]                          # the key of the labels shown as numbers
    credit: list[str]
    reserve: int = 0                          # lines of room kept for the key
    labelled: int = 0                         # events with a label (in at least one lane)
    numbered: int = 0                         # events whose label is a number
    keyed: bool = False                       # whether `notes` explains every number and missing label

    @property
    def top(self) -> int:
        t, s, _ = self.fonts
        return round(self.pad + len(self.title) * t * 1.2 + len(self.subtitle) * s * 1.3 + (s * 0.6 if self.subtitle else 0))

    @property
    def key_size(self) -> float:
        return self.fonts[2] * 0.85

    @property
    def bottom(self) -> int:
        c = self.fonts[2]
        return round(max(self.reserve, len(self.notes)) * self.key_size * 1.35 + len(self.credit) * c * 1.35 + self.pad + c * 0.4)


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
    """The labels shown as numbers, and the events left without a label, in words."""
    titles = dict(zip(frame["id"], frame["title"]))
    numbers = {lab.event_id: lab.text for lab in labels if lab.numbered}
    numbered = sorted(numbers.items(), key=lambda kv: int(re.sub(r"\D", "", kv[1]) or 0))
    shown = {lab.event_id for lab in labels}
    missing = [f"{r.title} ({r.date_label})" for r in frame.itertuples() if r.id not in shown]
    parts = []
    if numbered:
        parts.append("Numbered labels: " + "; ".join(f"{n} {titles.get(i, i)}" for i, n in numbered[:most]))
    if missing:
        more = f"; and {len(missing) - most} more (see the alt text)" if len(missing) > most else ""
        parts.append("Not labelled for want of room: " + "; ".join(missing[:most]) + more)
    return "  ·  ".join(parts)


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
    return replace(p, width=w, height=h, scale=s, title_size=p.title_size * grow,
                   subtitle_size=p.subtitle_size * grow, credit_size=p.credit_size * grow)


def _scales(p: Preset, fmt: str) -> list[float]:
    """Scales to try, largest first; for PNG and SVG only those that keep the image size exact.

    The renderer truncates width·scale to whole pixels: a layout of ceil(pixels / s) at a scale s ≤ 1
    (exact in binary) comes out at exactly the preset's pixels; above 1 the division must be exact.
    """
    wp, hp = p.pixels
    exact = [s for s in _SCALES if fmt == "pdf" or s <= 1 or (wp / s).is_integer() and (hp / s).is_integer()]
    return [p.scale] + [s for s in exact if s < p.scale]


def _sheet(p: Preset, s: float, frame: pd.DataFrame, state: ViewState, lane_labels, texts: tuple[str, str, str],
           wanted: int) -> Sheet:
    """The layout at scale `s`, with room under the chart for the key of the labels that became numbers."""
    wp, hp = p.pixels
    w, h = (p.width, p.height) if s == p.scale else (math.ceil(wp / s - 1e-9), math.ceil(hp / s - 1e-9))
    fonts = (p.title_size / s, p.subtitle_size / s, p.credit_size / s)
    pad = max(12.0, 0.018 * wp) / s
    room = w - 2 * pad
    title, subtitle, credit = texts
    sheet = Sheet(w, h, s, p.pixels, pad, fonts, wrap_px(title, fonts[0], room),
                  wrap_px(subtitle, fonts[1], room) if subtitle else [], [], wrap_px(credit, fonts[2], room))
    if frame.empty:
        return replace(sheet, keyed=True)
    def lay_out(sheet: Sheet) -> tuple[list, int, int]:
        """The chart's labels with what room the sheet leaves it; how many events are labelled, how many numbered."""
        labels = layout_labels(frame, state.lanes, w, h - sheet.top - sheet.bottom, lane_labels=lane_labels,
                               window=state.window, scale=state.scale)
        return labels, len({lab.event_id for lab in labels}), len({lab.event_id for lab in labels if lab.numbered})

    first = None
    for _ in range(3):  # the key takes room from the chart, which may turn other labels into numbers
        labels, labelled, numbered = lay_out(sheet)
        if first is None and labelled < wanted:  # some events get no label at this scale: no use fitting a key
            return replace(sheet, labelled=labelled, numbered=numbered)
        first = labelled if first is None else first
        if labelled < first:  # the key would cost more labels than it explains
            break
        notes = wrap_px(_key(frame, labels), sheet.key_size, room)
        if len(notes) <= sheet.reserve:
            return replace(sheet, notes=notes, labelled=labelled, numbered=numbered, keyed=True)
        sheet = replace(sheet, reserve=len(notes))
    sheet = replace(sheet, reserve=1)  # too crowded for a key: one line says so
    _, labelled, numbered = lay_out(sheet)
    return replace(sheet, notes=[CROWDED if labelled else NO_ROOM], labelled=labelled, numbered=numbered)


_chosen: dict[tuple, tuple[weakref.ref, Sheet]] = {}  # the same view exported again skips the search


def _choose(p: Preset, fmt: str, frame: pd.DataFrame, state: ViewState, lane_labels, texts, source: pd.DataFrame) -> Sheet:
    """The largest scale at which every event has a label (few of them numbers), within the preset's limits.

    `frame` is `filter_events(source, state)`: the search is kept for that table object and view (a weak reference:
    a table read again is another object, and finds nothing kept). Hashing the rows instead took seconds at
    100,000 events, more than the search it saved."""
    key = (id(source), state, state.lanes, state.scale, tuple(sorted((lane_labels or {}).items())), p, fmt == "pdf", texts)
    kept = _chosen.get(key)
    if kept is not None and kept[0]() is source:
        return kept[1]
    if len(_chosen) >= 64:
        _chosen.pop(next(iter(_chosen)))
    _chosen[key] = (weakref.ref(source), sheet := _search(p, fmt, frame, state, lane_labels, texts))
    return sheet


def _search(p: Preset, fmt: str, frame: pd.DataFrame, state: ViewState, lane_labels, texts) -> Sheet:
    """Scales from the preset's down: the first that labels every event with few numbers wins; below
    `min_scale` the type gets too small to read, so the search goes on only while nothing is labelled."""
    wanted = min(len(frame), MAX_LABELS)
    tried: list[Sheet] = []
    for s in _scales(p, fmt):
        if s < p.min_scale and any(t.labelled for t in tried):
            break
        sheet = _sheet(p, s, frame, state, lane_labels, texts, wanted)
        if frame.empty or sheet.labelled >= wanted and sheet.numbered <= 0.1 * len(frame):
            return sheet
        tried.append(sheet)
    if not any(t.labelled for t in tried):  # a key of every event would only squeeze the chart further
        return replace(tried[-1], notes=[NO_ROOM], reserve=1)
    keyed = [t if t.keyed or t.notes else _sheet(p, t.scale, frame, state, lane_labels, texts, 0) for t in tried if t.labelled]
    return max(keyed, key=lambda t: (t.keyed, t.labelled, -t.numbered, t.scale))


def _lane_labels(chron: Chronology, state: ViewState) -> dict[str, str] | None:
    return {s.id: s.outlet for s in chron.sources.values()} if state.lanes == "source" else None


def _text_annotation(name: str, lines: list[str], size: float, colour: str, x_shift: float, y: float,
                     y_anchor: str, y_shift: float, bold: bool = False) -> dict:
    text = "<br>".join(html.escape(line, quote=False) for line in lines)
    return {"name": name, "text": f"<b>{text}</b>" if bold else text, "xref": "paper", "yref": "paper", "x": 0, "y": y,
            "xanchor": "left", "yanchor": y_anchor, "xshift": x_shift, "yshift": y_shift, "align": "left",
            "showarrow": False, "font": {"family": FONT_FAMILY, "size": size, "color": colour}}


def static_figure(chron: Chronology, state: ViewState, fmt: str = "png", preset: str = "slide-16x9", *,
                  title: str | None = None, subtitle: str | None = None, width: int | None = None,
                  height: int | None = None, scale: float | None = None) -> tuple[go.Figure, Sheet]:
    """The view's figure laid out for a preset: title and subtitle above, key and credit below."""
    p = _preset(preset, width, height, scale)
    frame = filter_events(chron.frame, state)
    lane_labels = _lane_labels(chron, state)
    texts = (title or chron.story.title, alttext.subtitle(chron, frame, state) if subtitle is None else subtitle,
             alttext.credit_line(frame))
    sheet = _choose(p, fmt, frame, state, lane_labels, texts, chron.frame)
    fig = build_figure(frame, lanes=state.lanes, selected=state.selected, width=sheet.width,
                       height=sheet.height - sheet.top - sheet.bottom, lane_labels=lane_labels, theme="light",
                       window=state.window, scale=state.scale)
    m = {k: fig.layout.margin[k] for k in "ltrb"}  # build_figure sets every side
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
    return fig, sheet


def _image(chron: Chronology, state: ViewState, frame: pd.DataFrame, fmt: str, preset: str, **opts) -> tuple[bytes, str]:
    start_renderer()  # the browser starts in its own thread while the figure is laid out
    fig, sheet = static_figure(chron, state, fmt, preset, **opts)
    alt, title = alttext.alt_text(chron, frame, state), " ".join(sheet.title)
    data = render(fig, fmt, sheet.width, sheet.height, sheet.scale)
    if fmt == "svg":
        data = alttext.svg_with_text(data.decode("utf-8"), title, alt, sheet.pixels).encode("utf-8")
    elif fmt == "pdf":
        data = alttext.pdf_with_metadata(data, title, alt, alttext.outlets(frame), chron.story.keywords, chron.story.slug)
    return data, alt


# --- data ---------------------------------------------------------------------------
EVENT_FIELDS = ("id", "title", "label", "date_label", "start", "end", "precision", "date_certainty", "date_note", "kind",
                "category", "category_label", "actors", "summary", "claimed_by")
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
PAGE_CSS = """
body{font-family:Arial,"Liberation Sans",Helvetica,sans-serif;color:#1f2933;background:#fff;margin:0 auto;
max-width:1320px;padding:1.2em}
h1{font-size:1.7em;margin:.2em 0}.subtitle,.credit,footer{color:#5f6b7a}.chart{margin:1em 0;overflow-x:auto}
.events{padding-left:1.4em}.events li{margin:0 0 1.6em 0;line-height:1.5}.events h3{margin:.1em 0;font-size:1.1em}
.meta{margin:.2em 0;color:#5f6b7a}.date-note{font-size:.92em;color:#5f6b7a}
blockquote{margin:.5em 0 .2em 0;padding:.4em .9em;border-left:4px solid #999;background:#f4f6f9}
p.credit{margin:0 0 .6em 0;font-size:.92em}details{margin:1em 0}
"""


def to_html(chron: Chronology, state: ViewState, frame: pd.DataFrame, title: str, subtitle: str,
            width: int | None = None, height: int | None = None) -> tuple[bytes, str]:
    """One self-contained page: the interactive chart (plotly.js inlined), then every event with its quotes."""
    fig = build_figure(frame, lanes=state.lanes, selected=state.selected, width=width or 1280, height=height,
                       lane_labels=_lane_labels(chron, state), theme="light", window=state.window, scale=state.scale)
    chart = fig.to_html(include_plotlyjs=True, full_html=False, div_id="timeline-chart", include_mathjax=False,
                        config={"displaylogo": False, "responsive": False,
                                "toImageButtonOptions": {"format": "png", "filename": chron.story.slug, "scale": 2}})
    alt = alttext.alt_text(chron, frame, state)
    query = urlencode(state.to_query_params())
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{esc(title)}</title>'
            f"<style>{PAGE_CSS}</style></head><body>\n<header><h1>{esc(title)}</h1>"
            f'<p class="subtitle">{esc(subtitle)}</p></header>\n'
            f'<figure class="chart" aria-describedby="chart-description">{chart}'
            f'<figcaption class="credit">{esc(alttext.credit_line(frame))}. Point at a marker for its details.'
            "</figcaption></figure>\n"
            f'<details id="chart-description"><summary>Text description of the chart</summary><p>{esc(alt)}</p></details>\n'
            f'<section><h2>The events in date order ({len(frame)})</h2><ol class="events">{events_list(chron, frame)}</ol>'
            f"</section>\n<footer><p>{esc(state.describe(chron))}. View parameters: "
            f"<code>{'?' + esc(query) if query else 'none'}</code></p></footer></body></html>\n")
    return page.encode("utf-8"), alt


# --- the API ---------------------------------------------------------------------
def export(chron: Chronology, state: ViewState, fmt: str, preset: str = "slide-16x9", *, title: str | None = None,
           subtitle: str | None = None, width: int | None = None, height: int | None = None,
           scale: float | None = None) -> Export:
    """The view `state` of `chron` as a file: png, svg, pdf, html, csv, json or timelinejs.

    title: defaults to the project's title; subtitle: None for the view's description, "" for none.
    width, height, scale: override the preset (layout px; the image is width·scale × height·scale px).
    Raises ExportError for an unknown format or preset, ChromiumMissing when an image needs a browser,
    RenderFailed when the browser could not draw it twice in a row.
    """
    if fmt not in FORMATS:
        raise ExportError(f'There is no export format "{fmt}": use one of {", ".join(FORMATS)}.')
    p = _preset(preset, width, height, scale)  # checks the preset and the size, for every format
    frame = filter_events(chron.frame, state)
    title = (title or "").strip() or chron.story.title
    subtitle = alttext.subtitle(chron, frame, state) if subtitle is None else subtitle.strip()
    if fmt in IMAGE_FORMATS:
        data, alt = _image(chron, state, frame, fmt, preset, title=title, subtitle=subtitle, width=width, height=height,
                           scale=scale)
        return Export(data, MIME[fmt], f"{chron.story.slug}-{p.name}.{fmt}", alt)
    if fmt == "html":
        data, alt = to_html(chron, state, frame, title, subtitle, width, height)
        return Export(data, MIME[fmt], f"{chron.story.slug}.html", alt)
    if fmt == "csv":
        return Export(to_csv(chron, frame), MIME[fmt], f"{chron.story.slug}-citations.csv")
    if fmt == "json":
        return Export(to_json(chron, frame, state, title, subtitle), MIME[fmt], f"{chron.story.slug}.json")
    return Export(timelinejs(chron, frame, title, subtitle), MIME[fmt], f"{chron.story.slug}-timelinejs.json")
