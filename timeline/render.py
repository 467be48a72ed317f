"""HTML fragments for the views: every piece of data text is escaped here."""
from __future__ import annotations

import html
import re
from urllib.parse import quote, urlencode

from timeline.data.chronology import Chronology, Passage
from timeline.data.models import KIND_LABELS, Certainty, Event, Kind, Source

# Lines of scraped page furniture: banners, widgets, appeals, bylines.
_FURNITURE = re.compile(
    r"^(skip to content|by continuing to browse|choose your language|notify of|inline feedbacks|view all comments|"
    r"like [^?]{1,40} news\?|want to leave a tip|we answer to you|want to join the conversation|already a subscriber|"
    r"running for office|original news source link|disinformation report hotline|©|@|互联网)",
    re.IGNORECASE,
)
KIND_BADGE = {
    Kind.event: ("#0072B2", "Event"), Kind.claim: ("#D55E00", "Claim"),
    Kind.statistic: ("#009E73", "Statistic"), Kind.context: ("#6E6E6E", "Context"),
}
# The badge's words in a darker shade of its kind's colour: the chart's colours are for marks, and small text in
# them falls under WCAG AA's 4.5:1 (the green reads 3.4:1 on white); these read 5.2:1 or more on the page's greys.
KIND_TEXT = {Kind.event: "#005a8c", Kind.claim: "#a84a00", Kind.statistic: "#00704f", Kind.context: "#575757"}
# On Streamlit's dark base the same words take a light tint of the kind (its own dark palette's text colours):
# 7:1 or more on its #171614 page and the chips' tints, where the shades above fall to 2–3:1.
KIND_TEXT_DARK = {Kind.event: "#85b8f8", Kind.claim: "#f2a56d", Kind.statistic: "#7ed5b0", Kind.context: "#b8b3a8"}


def themed(light: str, dark: str) -> str:
    """A CSS colour for either Streamlit theme. Streamlit gives its app root `color-scheme: light` or `dark`
    with the theme's base (it sets no class or variable a page could test), and `light-dark()` picks by it."""
    return f"light-dark({light}, {dark})"


def html_esc(text: object) -> str:
    """Text as inert HTML, for a page Streamlit does not touch (st.html, a file)."""
    return html.escape(str(text), quote=True)


def esc(text: object, keep_newlines: bool = False) -> str:
    """Text as inert HTML inside st.markdown. Newlines become spaces unless kept, so an HTML block never breaks
    on a blank line (after which Markdown would be interpreted again)."""
    # ":" is encoded too: Streamlit turns ":name:" into emoji or icons even inside HTML.
    out = html_esc(text).replace(":", "&#58;")
    return out if keep_newlines else re.sub(r"\s*[\r\n]+\s*", " ", out)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&])")


def md_safe(text: object) -> str:
    """Text for Streamlit calls that render Markdown (st.warning, st.caption …): every Markdown,
    HTML, LaTeX and emoji-shortcode character is escaped, so it shows as written."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s*[\r\n]+\s*", " ", str(text)))


def block(inner: str, cls: str = "tl") -> str:
    """Wrap HTML in a block-level element so Markdown leaves everything inside it alone."""
    return f'<div class="{cls}">{inner}</div>'


def safe_url(url: str) -> str | None:
    """The URL if it is plain http(s), else None: nothing else is ever made clickable."""
    return url if re.match(r"^https?://[^\s\"'<>]+$", url or "") else None


def is_furniture(line: str, source: Source) -> bool:
    """Whether a line of a scraped page is furniture rather than the article."""
    text = line.strip()
    if not text:
        return False
    if _FURNITURE.match(text) or text == source.outlet_description:
        return True
    if re.search(r"\(Photo by|Getty Images|/CFP$", text):
        return True
    words = text.split()
    return len(words) <= 3 and not text.endswith((".", "”", '"', ":", "?", "!"))


def kind_badge(event: Event) -> str:
    colour, label = KIND_BADGE[event.kind]
    text = themed(KIND_TEXT[event.kind], KIND_TEXT_DARK[event.kind])
    return f'<span class="badge" style="border-color:{colour};color:{text}">{esc(label)}</span>'


DATE_CERTAINTY = {Certainty.exact: "stated in the source", Certainty.inferred: "inferred",
                  Certainty.approximate: "approximate", Certainty.after: "exact date not known",
                  Certainty.by: "exact date not known"}


def date_line(event: Event) -> str:
    """The date as precise as the evidence, its certainty and how it was established."""
    certainty = DATE_CERTAINTY[event.date_certainty]
    note = f" — {esc(event.date_note)}" if event.date_note else ""
    return f"<strong>{esc(event.date_label)}</strong> <em>({certainty})</em>{note}"


def passage_html(passage: Passage, unit: str = "paragraph", link: str | None = None) -> str:
    """The quote highlighted inside its paragraph, with outlet, headline and date."""
    before, quote_text, after = passage.context(unit)
    s = passage.source
    headline = esc(s.headline) + (" <em>(descriptive title)</em>" if s.headline_descriptive else "")
    open_link = f' · <a href="{esc(link)}" target="_self">open in the source reader</a>' if link else ""
    return (
        '<figure class="passage">'
        f'<blockquote>{esc(before)}<mark>{esc(quote_text)}</mark>{esc(after)}</blockquote>'
        f'<figcaption><strong>{esc(s.outlet)}</strong>, “{headline}”, {esc(s.published_label)}{open_link}</figcaption>'
        "</figure>"
    )


def reader_link(source_id: str, event_id: str | None = None) -> str:
    params = {"source": source_id}
    if event_id:
        params["event"] = event_id
    return "./sources?" + urlencode(params, quote_via=quote)


def timeline_link(event_id: str) -> str:
    return "./?" + urlencode({"event": event_id}, quote_via=quote)


def source_html(chronology: Chronology, source_id: str, focus_event: str | None = None) -> str:
    """A source's full text: cited passages highlighted and labelled, furniture played down."""
    source = chronology.sources[source_id]
    text = source.text
    marks: dict[int, list[Passage]] = {}
    for p in chronology.passages_in(source_id):
        marks.setdefault(p.anchor.start, []).append(p)
    # Merge overlapping passages into spans that name every event they support.
    spans: list[tuple[int, int, list[Passage]]] = []
    for start in sorted(marks):
        group = marks[start]
        end = max(p.anchor.end for p in group)
        if spans and start < spans[-1][1]:
            s0, e0, g0 = spans[-1]
            spans[-1] = (s0, max(e0, end), g0 + group)
        else:
            spans.append((start, end, list(group)))
    out: list[str] = []
    pos = 0
    pieces: list[str] = []
    for start, end, group in spans:
        pieces.append(esc(text[pos:start], keep_newlines=True))
        events = {p.event_id: chronology.by_id[p.event_id] for p in group if p.event_id in chronology.by_id}
        focus = " focus" if focus_event in events else ""
        labels = "; ".join(f'<a href="{esc(timeline_link(eid))}" target="_self">{esc(ev.title)}</a>' for eid, ev in events.items())
        anchor_id = f"p-{start}"
        pieces.append(f'<mark id="{anchor_id}" class="cited{focus}">{esc(text[start:end])}</mark>'
                      f'<span class="supports">supports: {labels}</span>')
        pos = end
    pieces.append(esc(text[pos:], keep_newlines=True))
    body = "".join(pieces)
    # Split back into lines to style paragraphs; markup never spans a newline
    # because quotes never contain one.
    raw_lines = text.split("\n")
    html_lines = body.split("\n")
    for raw, line in zip(raw_lines, html_lines):
        if not raw.strip():
            continue
        if raw.strip() == source.headline.strip():
            out.append(f'<p class="headline">{line}</p>')
        elif is_furniture(raw, source) and "<mark" not in line:
            out.append(f'<p class="furniture" title="page furniture from the scraped page">{line}</p>')
        else:
            out.append(f"<p>{line}</p>")
    return '<div class="source-text">' + "\n".join(out) + "</div>"


# Colours come in pairs, one per Streamlit theme (see themed()): a grey or a tint tuned for white alone reads at
# 2–3:1 on the dark base's #171614.
CSS = """
<style>
.block-container{padding-top:2.2rem}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p{color:light-dark(#5e5d5c, #b8b3a8);opacity:1}
[data-testid="stButtonGroup"] button:is([aria-checked="true"], [aria-pressed="true"]),
[data-testid="stButtonGroup"] button:is([aria-checked="true"], [aria-pressed="true"]) p{color:light-dark(#a3342c, #f2919a)}
h1{font-size:2rem !important;padding-top:0 !important}
.badge{display:inline-block;border:2px solid;border-radius:4px;padding:0 .45em;font-size:.85em;font-weight:600;margin-right:.4em}
.passage{margin:.6em 0 1.1em 0}
.passage blockquote{opacity:1;color:light-dark(#31333f, #edebe8);margin:0;padding:.5em .9em;border-left:4px solid #999;background:rgba(127,127,127,.06);line-height:1.55}
.passage mark, .source-text mark{background:light-dark(#ffe58a, #5c4a00);color:light-dark(#111, #f4f6f8);padding:0 .1em}
.source-text mark.focus{background:light-dark(#ffb000, #8a5a00);outline:2px solid light-dark(#b36b00, #ffb000)}
.passage figcaption{font-size:.9em;margin-top:.3em;opacity:.85}
.source-text p{line-height:1.6;margin:.5em 0}
.source-text p.furniture{opacity:.75;font-size:.85em;font-style:italic}
.source-text p.headline{font-weight:700;font-size:1.1em}
.source-text .supports{font-size:.78em;margin-left:.35em;padding:0 .3em;border-radius:3px;background:rgba(0,114,178,.1)}
</style>
"""


def events_table_html(frame, max_rows: int = 300) -> str:
    """The chart's events as a real table (date, title, kind, date certainty, category, outlets), for readers who
    cannot see the chart (inside st.markdown); at most `max_rows` rows, and a caption that says so."""
    rows = frame.drop_duplicates("id").head(max_rows)
    body = "".join(
        f"<tr><td>{esc(r.date_label)}</td><td>{esc(r.title)}</td><td>{esc(r.kind_label)}</td>"
        f"<td>{esc(DATE_CERTAINTY.get(Certainty(r.date_certainty), r.date_certainty))}</td>"
        f"<td>{esc(r.category_label)}</td><td>{len(r.outlets)}</td></tr>"
        for r in rows.itertuples())
    n = frame["id"].nunique()
    caption = f"The {n:,} events of the chart in date order" + (f" (the first {max_rows:,})" if n > max_rows else "")
    return (f'<table class="events-table"><caption>{esc(caption)}</caption><thead><tr><th scope="col">Date</th>'
            '<th scope="col">Title</th><th scope="col">Kind</th><th scope="col">Date certainty</th><th scope="col">Category</th>'
            f'<th scope="col">Outlets</th></tr></thead><tbody>{body}</tbody></table>')
