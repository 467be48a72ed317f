"""TimelineJS3 JSON (Knight Lab) for a view, and the HTML of events with their quotes it shares with the page.

The format: https://timeline.knightlab.com/docs/json-format.html. Its text fields are HTML,
so every piece of data text is escaped, and only http(s) addresses become links.
"""
from __future__ import annotations

import json

import pandas as pd

from timeline.outputs import alttext
from timeline.data.chronology import Chronology
from timeline.data.dates import PartialDate
from timeline.data.models import CERTAINTY_TEXT, KIND_LABELS, Event
from timeline.present.steps import attribution
from timeline.render import esc, safe_url


def _date(date: PartialDate) -> dict:
    """A TimelineJS date at the precision the evidence gives: no month or day unless known."""
    out: dict = {"year": date.year}
    if date.month is not None:
        out["month"] = date.month
    if date.day is not None:
        out["day"] = date.day
    return out


def quotes_html(chron: Chronology, event_id: str) -> str:
    """Each quote of an event as a blockquote, with outlet, headline (a link if http(s)) and date."""
    parts = []
    for p in chron.passages_for(event_id):
        s = p.source
        url = safe_url(s.url)
        headline = f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(s.headline)}</a>' if url else esc(s.headline)
        parts.append(f"<blockquote>{esc(p.text)}</blockquote>"
                     f'<p class="credit">— {esc(s.outlet)}, “{headline}”, {esc(s.published_label)}</p>')
    return "".join(parts)


def event_html(chron: Chronology, e: Event) -> str:
    """Summary, who makes the claim, how the date is known, then each quote with its credit."""
    who = attribution(e)
    who = f"<p><em>{esc(who)}</em></p>" if who else ""
    note = f'<p class="date-note"><em>Date {CERTAINTY_TEXT[e.date_certainty]}:</em> {esc(e.date_note)}</p>' if e.date_note else ""
    return f"<p>{esc(e.summary)}</p>{who}{note}{quotes_html(chron, e.id)}"


def events_list(chron: Chronology, frame: pd.DataFrame) -> str:
    """<li> items for a page: each event's title, date, kind and category, then `event_html`."""
    items = []
    for event_id in frame["id"]:
        e = chron.by_id[event_id]
        meta = f"<strong>{esc(e.date_label)}</strong> · {esc(KIND_LABELS[e.kind])} · {esc(chron.label('category', e.category))}"
        items.append(f'<li id="event-{esc(e.id)}"><h3>{esc(e.title)}</h3><p class="meta">{meta}</p>{event_html(chron, e)}</li>')
    return "".join(items)


def timelinejs(chron: Chronology, frame: pd.DataFrame, title: str, subtitle: str) -> bytes:
    """Knight Lab TimelineJS3 JSON: dates at their own precision, summaries, quotes as blockquotes, credits.

    TimelineJS has no way to draw a date that is only bounded: such an event is a point at its start, and its
    display date is the label ("after 23 October 2022", "by 2019")."""
    events = []
    for event_id in frame["id"]:
        e = chron.by_id[event_id]
        item = {"start_date": _date(e.start), "display_date": esc(e.date_label),
                "text": {"headline": esc(e.title), "text": event_html(chron, e)},
                "group": esc(chron.label("category", e.category)), "unique_id": e.id}
        if e.is_span:  # a bounded date (after, by) is a point at its start, its label saying what is known
            item["end_date"] = _date(e.end)
        events.append(item)
    doc = {"title": {"text": {"headline": esc(title),
                              "text": f"<p>{esc(subtitle)}</p><p>{esc(alttext.credit_line(frame))}</p>"}},
           "events": events, "eras": []}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
