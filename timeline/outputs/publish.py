"""The published story: one light, self-contained page to put into an article, alone or as an embed.

The page holds its events twice over, each for its own reader:
- as an HTML list (title, date, kind, category, summary, who makes a claim, every quote with its outlet,
  headline, date and link), readable without JavaScript and printable;
- as JSON (the rows of `export.records`, every field passed through, columns named once) for the chart.

A small hand-written script (page/publish.js, no library) draws the timeline on a canvas — time across
the page in a lane per category, or down the page on a phone — opens an event's card on a click, a tap or
the keyboard (the card is a copy of the event's list item, so the quotes are written once), and keeps the
kind, category and outlet filters and the search in the address's hash. Inside an iframe it tells the
parent page its height (`{type: "timeline:height", height}`), which `embed_snippet` listens for.

A canvas because it draws 100,000 events in well under a second where an SVG of as many elements takes
seconds (bench/peers.py measures it beside TimelineJS and vis-timeline). Nothing is fetched: no font, image or
script comes from outside the file. Every piece of data text is escaped here; the script only ever sets text.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from timeline.data.chronology import Chronology
from timeline.data.models import CERTAINTY_TEXT, KIND_LABELS
from timeline.filters import ViewState
from timeline.outputs import alttext, standards
from timeline.render import html_esc as esc
from timeline.render import safe_url

HERE = Path(__file__).with_name("page")
SCRIPT = (HERE / "publish.js").read_text(encoding="utf-8")
STYLE = (HERE / "publish.css").read_text(encoding="utf-8")
HEIGHT_MESSAGE = "timeline:height"
# Fields the list item carries and the script reads from it (the card is a copy of the item): not written twice.
IN_THE_LIST = ("citations", "summary", "date_note")


def _json_for_script(value: object) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _days(column: pd.Series) -> list[int]:
    return column.to_numpy().astype("datetime64[D]").astype(np.int64).tolist()


def _column(values: list) -> list | dict:
    """A field's values; as a table of its distinct values and a code per event when they are few (kind, category,
    precision…), which makes the page's JSON about a third lighter and quicker to read at 100,000 events."""
    if len(values) < 50 or not all(isinstance(v, str) for v in values):
        return values
    table: dict[str, int] = {}
    codes = [table.setdefault(v, len(table)) for v in values]
    return {"values": list(table), "codes": codes} if len(table) <= len(values) // 4 else values


def page_data(chron: Chronology, frame: pd.DataFrame, events: list[dict]) -> dict:
    """What the script needs: the records as columns, their days, their articles and the kinds' names.

    Every field of the records is passed through but those in IN_THE_LIST, which the list item holds; a citation
    becomes the index of its article in `sources` (its quote is in the list item, not repeated)."""
    sources: dict[str, int] = {}
    source_rows: list[list] = []
    fields = [f for f in (events[0] if events else {}) if f not in IN_THE_LIST]
    cites = []
    for event in events:
        mine = []
        for c in event["citations"]:
            if c["source_id"] not in sources:
                sources[c["source_id"]] = len(source_rows)
                source_rows.append([c["outlet"], c["headline"], c["published_label"], safe_url(c["url"]) or ""])
            mine.append(sources[c["source_id"]])
        cites.append(mine)
    return {"columns": {f: _column([e[f] for e in events]) for f in fields}, "cites": cites, "sources": source_rows,
            "t0": _days(frame["first_day"]) if len(frame) else [], "t1": _days(frame["last_day"]) if len(frame) else [],
            "kinds": {k.value: label for k, label in KIND_LABELS.items()}}


def _event_item(event: dict) -> str:
    """One event of the list: title, date · kind · category, summary, attribution, date note, quotes."""
    kind = event["kind"]
    meta = (f'<strong>{esc(event["date_label"])}</strong> · <span class="kind kind-{esc(kind)}">'
            f'{esc(KIND_LABELS.get(kind, kind) if isinstance(kind, str) else kind)}</span> · {esc(event["category_label"])}')
    parts = [f'<li id="event-{esc(event["id"])}"><h3>{esc(event["title"])}</h3><p class="meta">{meta}</p>']
    if event["summary"]:
        parts.append(f'<p>{esc(event["summary"])}</p>')
    if event["claimed_by"]:
        who = "Claim made by" if kind == "claim" else "Figure from"
        parts.append(f'<p class="who"><em>{who} {esc(event["claimed_by"])}</em></p>')
    if event["date_note"]:
        certainty = CERTAINTY_TEXT.get(event["date_certainty"], event["date_certainty"])
        parts.append(f'<p class="date-note"><em>Date {esc(certainty)}:</em> {esc(event["date_note"])}</p>')
    for c in event["citations"]:
        url = safe_url(c["url"])
        headline = f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(c["headline"])}</a>' if url else esc(c["headline"])
        parts.append(f'<blockquote>{esc(c["quote"])}</blockquote>'
                     f'<p class="cite">— <span class="outlet">{esc(c["outlet"])}</span>, “{headline}”, '
                     f'{esc(c["published_label"])}</p>')
    parts.append("</li>")
    return "".join(parts)


# --- places kept for what other parts of the project supply ---------------------------------
FORMATTED_UP_TO = 500  # articles: past this many the list keeps its plain entries (citeproc takes ~2 ms each)


def structured_data(chron: Chronology, frame: pd.DataFrame) -> str:
    """The view's claims as schema.org Claim JSON-LD (timeline.outputs.standards), a <script> safe in <head>;
    "" when the view has no claim."""
    if not len(frame) or not (frame["kind"] == "claim").any():
        return ""
    return standards.claims_script(chron, frame)


def sources_html(chron: Chronology, frame: pd.DataFrame, sources: list[dict]) -> str:
    """The articles cited in the view: formatted references (Chicago author-date, timeline.outputs.standards),
    or plain entries past FORMATTED_UP_TO articles."""
    if 0 < len(sources) <= FORMATTED_UP_TO:
        return standards.source_list_html(chron, frame)
    return '<ol class="sources">' + "".join(f"<li>{source_entry(s)}</li>" for s in sources) + "</ol>"


def source_entry(source: dict) -> str:
    """One article of the sources list, plainly: outlet, "headline", date, link."""
    url = safe_url(source["url"])
    link = f' <a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a>' if url else ""
    return f'{esc(source["outlet"])}, “{esc(source["headline"])}”, {esc(source["published_label"])}.{link}'


def _sources(events: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for event in events:
        for c in event["citations"]:
            seen.setdefault(c["source_id"], c)
    return sorted(seen.values(), key=lambda c: (c["outlet"].casefold().removeprefix("the "), c["published"], c["headline"]))


def _options(name: str, label: str, values: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{esc(v)}">{esc(t)}</option>' for v, t in values)
    return (f'<label class="ctl">{label} <select id="tl-{name}" name="{name}"><option value="">All</option>{opts}'
            f"</select></label>")


_SHAPES = {  # the chart's marker of each kind, 12 × 12 px
    "event": '<circle cx="6" cy="6" r="5"/>', "claim": '<path d="M6 0 L12 6 L6 12 L0 6 Z"/>',
    "statistic": '<rect x="1.5" y="1.5" width="9" height="9"/>', "context": '<path d="M6 0.5 L11.5 10.5 L0.5 10.5 Z"/>'}


def _legend(kinds: list[tuple[str, str]]) -> str:
    """The kinds in the view, each with its marker (colour and shape), for the chart's key."""
    items = "".join(f'<span class="key"><svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" '
                    f'class="mk-{esc(k)}">{_SHAPES.get(k, _SHAPES["event"])}</svg> {esc(label)}</span>' for k, label in kinds)
    return f'<span class="legend">{items}</span>' if items else ""


def embed_snippet(filename: str, title: str) -> str:
    """The HTML to paste into an article: the iframe, and a listener that sets its height from the page's messages."""
    return (f'<iframe src="{esc(filename)}" title="{esc(title)}" data-timeline-embed loading="lazy" '
            'style="width:100%;height:900px;border:0"></iframe>\n'
            "<script>window.addEventListener(\"message\",function(e){var d=e.data;"
            f"if(!d||d.type!==\"{HEIGHT_MESSAGE}\"||!(d.height>0&&d.height<1e6))return;"
            "document.querySelectorAll(\"iframe[data-timeline-embed]\").forEach(function(f){"
            "if(f.contentWindow===e.source)f.style.height=Math.ceil(d.height)+\"px\";});});</script>\n")


def page(chron: Chronology, state: ViewState, frame: pd.DataFrame, events: list[dict], title: str,
         subtitle: str) -> tuple[bytes, str]:
    """The published page of the view (`frame`, its `events` from export.records) and its alt text."""
    alt = alttext.alt_text(chron, frame, state)
    credit = alttext.credit_line(frame)
    story = chron.story
    by = " · ".join(esc(x) for x in (story.byline, story.credit) if x)
    data = page_data(chron, frame, events)
    present = set(frame["kind"]) if len(frame) else set()
    kinds = [(k.value, label) for k, label in KIND_LABELS.items() if k.value in present]
    cats = list(dict.fromkeys(zip(frame["category"], frame["category_label"]))) if len(frame) else []
    outlets = alttext.outlets(frame)
    sources = _sources(events)
    n = len(events)
    controls = (
        '<form class="controls" id="tl-controls" hidden role="search" aria-label="Filter the events">'
        + _options("kind", "Kind", kinds) + _options("category", "Category", cats)
        + _options("outlet", "Outlet", [(o, o) for o in outlets])
        + '<label class="ctl">Search <input type="search" id="tl-q" name="q" autocomplete="off"></label>'
        + '<button type="reset" id="tl-reset">Show all</button>'
        + f'<p id="tl-count" class="count" aria-live="polite">{n:,} events</p></form>')
    head = (f'<!DOCTYPE html>\n<html lang="{esc(story.language)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="color-scheme" content="light dark">'
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
            "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">"
            f"<title>{esc(title)}</title><style>{STYLE}</style>"
            "<script>document.documentElement.className='js'</script>"
            f"{structured_data(chron, frame)}</head>\n")
    body = (
        f'<body><header><h1>{esc(title)}</h1>' + (f'<p class="subtitle">{esc(subtitle)}</p>' if subtitle else "")
        + (f'<p class="byline">{by}</p>' if by else "") + "</header>\n<main>"
        + controls
        + '<figure class="tl-chart" id="tl-chart" aria-describedby="tl-alt">'
        '<canvas id="tl-canvas" tabindex="0" role="img" aria-label="Timeline of the events. '
        'Arrow keys move between events, Enter opens one."></canvas>'
        + f'<figcaption class="hint">{_legend(kinds)} <span class="howto">Click or tap a marker for its sources; or '
        'focus the chart and use the arrow keys and Enter.</span></figcaption>'
        '<section class="card" id="tl-card" hidden tabindex="-1" aria-labelledby="tl-card-title">'
        '<button type="button" class="close" id="tl-close" aria-label="Close the card">×</button>'
        '<h2 id="tl-card-title"></h2><div id="tl-card-body"></div></section></figure>\n'
        f'<details id="tl-alt-box"><summary>Text description of the chart</summary><p id="tl-alt">{esc(alt)}</p></details>\n'
        f'<script type="application/json" id="tl-data">{_json_for_script(data)}</script>\n'
        f"<script>{SCRIPT}</script>\n"
        f'<section class="events-box"><h2>The events in date order (<span id="tl-list-n">{n:,}</span>)</h2><ol class="events" id="tl-events">'
        + "".join(map(_event_item, events))
        + "</ol></section>\n"
        f'<section class="sources-box"><h2>Sources ({len(sources):,})</h2>'
        + sources_html(chron, frame, sources) + "</section></main>\n"
        f'<footer><p class="credit">{esc(credit)}.</p><p>{esc(state.describe(chron))}.</p></footer></body></html>\n')
    return (head + body).encode("utf-8"), alt
