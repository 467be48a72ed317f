"""Print in portrait: a vertical timeline that runs down the page, one row per event, as many pages as it takes.

Each row: the date (as precise as the evidence) on the left, the event's marker on a line that runs down the page
(the chart's shape and colour for its kind, hollow for an approximate date), then its short label, or its title
where it has none, cut to the page's width. Long empty stretches get a row of their own ("157 years later"), as on
the event-order scale. Every page repeats the title and the credit line and says which page of how many it is.
Pure: plotly figures, one per page; timeline.outputs.export renders them and joins them into one PDF.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from timeline.chart.labels import text_width, truncate
from timeline.chart.layout import FONT_FAMILY, KIND_COLOURS, KIND_SYMBOLS, THEMES
from timeline.chart.scale import order_scale

ROW = 1.6  # a row's height, in label sizes
_INK = THEMES["light"]


@dataclass(frozen=True)
class Page:
    """One page's layout, in CSS px (a PDF's 1 px is 0.75 pt)."""

    width: int
    height: int
    pad: float                      # the margin kept free at every edge
    size: float                     # the type of the rows (dates and labels)
    fonts: tuple[float, float, float]  # title, subtitle, credit


def _lines(text: str, size: float, room: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def rows_of(frame: pd.DataFrame) -> list[dict]:
    """The rows down the page: an event each (date, text, kind, hollow, id), and a gap row after a long gap."""
    if frame is None or frame.empty:
        return []
    scale = order_scale(frame)
    by_id = frame.drop_duplicates("id").set_index("id")
    gaps = {int(g.position - 0.5): g.label for g in scale.gaps}
    out = []
    for k, event_id in enumerate(scale.ids):
        r = by_id.loc[event_id]
        label = str(r.get("label", "") or "")
        out.append({"id": event_id, "date": str(r["date_label"]), "text": label or str(r["title"]),
                    "kind": str(r["kind"]), "hollow": str(r.get("date_certainty", "")) == "approximate"})
        if k in gaps and k + 1 < len(scale):
            out.append({"gap": f"{gaps[k]} later"})
    return out


def pages(frame: pd.DataFrame, page: Page, title: str, subtitle: str, credit: str) -> list[go.Figure]:
    """The vertical timeline of `frame` on as many pages as its rows need (at least one)."""
    room = page.width - 2 * page.pad
    t, s, c = page.fonts
    head = _lines(title, t, room), _lines(subtitle, s, room) if subtitle else []
    foot = _lines(credit, c, room - text_width("Page 00 of 00", c) - 20)
    top = page.pad + len(head[0]) * t * 1.25 + len(head[1]) * s * 1.3 + s
    bottom = page.height - page.pad - len(foot) * c * 1.35 - c
    step = page.size * ROW
    per_page = max(1, int((bottom - top) // step))
    rows = rows_of(frame)
    chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)] or [[]]
    date_w = max([text_width(r["date"], page.size) for r in rows if "date" in r] + [0]) + 6
    line_x = page.pad + date_w + 10
    text_x = line_x + 14
    fit = room - (text_x - page.pad)
    out = []
    for n, chunk in enumerate(chunks, start=1):
        notes = []

        def note(text, x, y, size, colour, anchor="left", bold=False, italic=False, name=""):
            body = html.escape(text, quote=False)
            body = f"<b>{body}</b>" if bold else f"<i>{body}</i>" if italic else body
            notes.append({"text": body, "x": x, "y": y, "xref": "x", "yref": "y", "xanchor": anchor, "yanchor": "middle",
                          "showarrow": False, "name": name, "font": {"family": FONT_FAMILY, "size": size, "color": colour}})

        y = page.pad
        for line in head[0]:
            note(line, page.pad, y + t * 0.6, t, _INK["ink"], bold=True, name="export:title")
            y += t * 1.25
        for line in head[1]:
            note(line, page.pad, y + s * 0.6, s, _INK["muted"], name="export:subtitle")
            y += s * 1.3
        y = page.height - page.pad - len(foot) * c * 1.35
        for line in foot:
            note(line, page.pad, y + c * 0.6, c, _INK["muted"], name="export:credit")
            y += c * 1.35
        note(f"Page {n} of {len(chunks)}", page.width - page.pad, page.height - page.pad - c * 0.7, c, _INK["muted"],
             anchor="right", name="export:page")
        xs, ys, symbols, colours, fills = [], [], [], [], []
        for i, r in enumerate(chunk):
            y = top + (i + 0.5) * step
            if "gap" in r:
                note(r["gap"], text_x, y, page.size, _INK["muted"], italic=True, name="gap")
                continue
            note(r["date"], line_x - 10, y, page.size, _INK["muted"], anchor="right", name=f"date:{r['id']}")
            text = r["text"]
            chars = len(text)
            while chars > 8 and text_width(text, page.size) > fit:
                chars -= 2
                text = truncate(r["text"], chars)
            note(text, text_x, y, page.size, _INK["ink"], name=f"label:{r['id']}")
            xs.append(line_x)
            ys.append(y)
            symbols.append(KIND_SYMBOLS.get(r["kind"], "circle"))
            colours.append(KIND_COLOURS.get(r["kind"], KIND_COLOURS["event"]))
            fills.append("#ffffff" if r["hollow"] else KIND_COLOURS.get(r["kind"], KIND_COLOURS["event"]))
        data = []
        if chunk:
            data.append(go.Scatter(x=[line_x, line_x], y=[top, top + len(chunk) * step], mode="lines",
                                   line={"color": _INK["axis"], "width": 1.5}, hoverinfo="skip", showlegend=False))
        if xs:
            data.append(go.Scatter(x=xs, y=ys, mode="markers", hoverinfo="skip", showlegend=False,
                                   marker={"symbol": symbols, "size": page.size * 0.9, "color": fills,
                                           "line": {"width": 1.5, "color": colours}}))
        if not rows:
            note("No events match the filters", page.pad, top + step, page.size * 1.3, _INK["muted"], name="empty")
        axis = {"visible": False, "fixedrange": True}
        out.append(go.Figure(data=data, layout={
            "width": page.width, "height": page.height, "margin": {"l": 0, "r": 0, "t": 0, "b": 0, "autoexpand": False},
            "xaxis": {**axis, "range": [0, page.width]}, "yaxis": {**axis, "range": [page.height, 0]},
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "annotations": notes, "hovermode": False,
            "font": {"family": FONT_FAMILY}}))
    return out


def labelled_ids(frame: pd.DataFrame) -> tuple[str, ...]:
    """Every event gets a row with its label: all of them, in date order."""
    return tuple(r["id"] for r in rows_of(frame) if "id" in r)
