"""The timeline on a phone: dates run down the page, one card per event, under a heading per year.

Each card is a button: its marker (the chart's shape and colour for the kind; hollow for an approximate date), the
date as precise as the evidence, the title, and the kind and date certainty in words. Long empty stretches are
written between the cards ("157 years later"), as on the event-order scale. Pure: returns HTML.
"""
from __future__ import annotations

import html

import pandas as pd

from timeline.chart.layout import KIND_COLOURS, KIND_NAMES
from timeline.chart.scale import order_scale

MAX_CARDS = 300  # cards on one page at most: past this, narrowing the filters says more than scrolling does
CERTAINTY_WORDS = {"exact": "", "inferred": "date inferred", "approximate": "approximate date",
                   "after": "exact date not known", "by": "exact date not known"}
_SHAPES = {  # 14 × 14 px, centred on (7, 7)
    "event": '<circle cx="7" cy="7" r="5.5"/>',
    "claim": '<path d="M7 1 L13 7 L7 13 L1 7 Z"/>',
    "statistic": '<rect x="1.75" y="1.75" width="10.5" height="10.5"/>',
    "context": '<path d="M7 1.5 L13 12.5 L1 12.5 Z"/>',
}


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def marker_svg(kind: str, hollow: bool = False) -> str:
    colour = KIND_COLOURS.get(kind, KIND_COLOURS["event"])
    paint = f'fill="none" stroke="{colour}" stroke-width="2"' if hollow else f'fill="{colour}"'
    return (f'<svg class="vt-marker" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">'
            f'<g {paint}>{_SHAPES.get(kind, _SHAPES["event"])}</g></svg>')


def vertical_html(frame: pd.DataFrame, selected: str | None = None, max_cards: int = MAX_CARDS) -> str:
    """The events of `frame` (in date order) as year sections of cards; the selected card is marked pressed."""
    if frame is None or frame.empty:
        return ""
    scale = order_scale(frame)
    rows = frame.drop_duplicates("id").set_index("id")
    gaps = {int(g.position - 0.5): g.label for g in scale.gaps}  # after event k
    out, year = [], None
    for k, event_id in enumerate(scale.ids[:max_cards]):
        r = rows.loc[event_id]
        y = pd.Timestamp(r["first_day"]).year
        if y != year:
            if year is not None:
                out.append("</ol></section>")
            out.append(f'<section class="vt-section"><h3 class="vt-year">{y}</h3><ol class="vt-list">')
            year = y
        kind = str(r["kind"])
        certainty = str(r.get("date_certainty", "exact"))
        words = " · ".join(w for w in (KIND_NAMES.get(kind, kind), CERTAINTY_WORDS.get(certainty, "")) if w)
        pressed = "true" if event_id == selected else "false"
        out.append(
            f'<li><button type="button" class="vt-card" data-event="{_esc(event_id)}" aria-pressed="{pressed}">'
            f'{marker_svg(kind, certainty == "approximate")}'
            f'<span class="vt-text"><span class="vt-date">{_esc(r["date_label"])}</span>'
            f'<span class="vt-title">{_esc(r["title"])}</span>'
            f'<span class="vt-kind">{_esc(words)}</span></span></button></li>')
        if k in gaps and k + 1 < min(len(scale), max_cards):
            out.append(f'<li class="vt-gap">{_esc(gaps[k])} later</li>')
    out.append("</ol></section>")
    if len(scale) > max_cards:
        out.append(f'<p class="vt-more">The first {max_cards:,} of {len(scale):,} events. Narrow the filters to see the '
                   "others here, or pick one in the Event list.</p>")
    return "".join(out)


def key_html(kinds: list[str] | None = None) -> str:
    """The chart's key in words and its markers, for the page under the chart (the figure itself has none)."""
    kinds = [k for k in KIND_COLOURS if kinds is None or k in kinds]
    items = "".join(f'<span class="key-item">{marker_svg(k)} {KIND_NAMES[k]}</span>' for k in kinds)
    return (f'<p class="chart-key">{items}<span class="key-item">{marker_svg("event", hollow=True)} approximate date'
            "</span><span class=\"key-item\">bar: a period; band: month or year only</span></p>")
