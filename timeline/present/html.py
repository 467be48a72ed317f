"""The presentation page's slides as HTML: projector type, two themes, every data string escaped.

Sizes are for a 1280 × 720 projector seen from the back of a room: body text 26 px (never
under 24 px), titles about twice that. A claim carries a dashed banner in the claim colour
that says who makes it; other kinds a solid tag: the difference never rests on colour alone.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

from timeline.present.steps import (CLAIM_COLOUR, KIND_COLOURS, READING_KEY, Step, Strip, corroboration, date_certainty, kind_banner,
                      quoted)
from timeline.render import html_esc as esc, safe_url

THEMES = {
    "light": {"bg": "#ffffff", "ink": "#111418", "muted": "#3b4450", "rule": "#c9d0d8", "panel": "#f2f4f7",
              "dim": "#8a949f", "mark": "#fff1b8", "kinds": KIND_COLOURS},
    "dark": {"bg": "#0b0d11", "ink": "#f4f6f8", "muted": "#c6cdd6", "rule": "#3a414c", "panel": "#181c23",
             "dim": "#6b7480", "mark": "#5c4a00",
             "kinds": {**KIND_COLOURS, "event": "#56B4E9"}},  # the darker blue is too faint on black
}
def step_link(query: dict[str, str], number: int) -> str:
    return "?" + urlencode({**query, "step": str(number)}, quote_via=quote)


def css(theme: str = "light") -> str:
    """The page's projector styles for `theme` (the whole app takes the theme's colours)."""
    c = THEMES[theme]
    k = c["kinds"]
    kind_rules = "\n".join(f".deck .deck-strip .k-{name}.pin, .deck .deck-strip .k-{name}.cur, .deck .deck-strip .band.k-{name} "
                           f"{{background:{colour};border-color:{colour};color:{colour}}}" for name, colour in k.items())
    return f"""<style>
.stApp, [data-testid="stSidebar"] {{background:{c['bg']} !important;color:{c['ink']}}}
[data-testid="stHeader"], [data-testid="stHeader"] * {{background:transparent !important;pointer-events:none}}
[data-testid="stHeader"] button, [data-testid="stHeader"] button * {{pointer-events:auto}}
.block-container {{padding:.6rem 4rem 1rem 4rem !important;max-width:none !important}}
.stApp p, .stApp label, .stApp li, .stApp span {{color:{c['ink']}}}
.stButton button, .stDownloadButton button, [data-testid="stPopover"] button {{font-size:22px !important;
  min-height:48px;padding:.2em 1em;background:{c['panel']};color:{c['ink']};border:2px solid {c['rule']}}}
.stButton button p, .stDownloadButton button p, [data-testid="stPopover"] button p {{font-size:22px !important}}
.stButton button:disabled {{opacity:.35}}
[data-testid="stPopoverBody"] {{background:{c['bg']} !important;border:2px solid {c['rule']}}}
[data-testid="stPopoverBody"] p, [data-testid="stExpander"] summary p {{color:{c['ink']}}}
.deck-counter {{font-size:26px;font-weight:700;text-align:center;line-height:48px;color:{c['ink']};white-space:nowrap}}
.deck {{font-family:"Liberation Sans",Arial,"Helvetica Neue",Helvetica,sans-serif;font-size:26px;line-height:1.35;
  color:{c['ink']};background:{c['bg']}}}
.deck p {{margin:0 0 .45em 0;font-size:inherit;color:inherit}}
.deck .deck-title {{font-size:46px !important;line-height:1.12;font-weight:800;margin:.05em 0 .3em 0;padding:0;
  color:{c['ink']};letter-spacing:-.01em}}
.deck .role-title .deck-title {{font-size:54px !important;margin:.15em 0 .25em 0}}
.deck .role-title p {{margin-bottom:.35em}}
.deck .dense .deck-title {{font-size:40px !important}}
.deck .dense .deck-summary, .deck .dense .deck-quote blockquote {{font-size:24px}}
.deck .dense .deck-date {{font-size:28px}}
.deck .denser {{line-height:1.25}}
.deck .denser .deck-title {{font-size:36px !important}}
.deck .denser .deck-quote blockquote {{line-height:1.25}}
.deck .deck-date {{font-size:32px;font-weight:700;margin:0}}
.deck .deck-cert {{font-size:24px;font-weight:400;color:{c['muted']};margin-left:.6em}}
.deck .deck-summary {{font-size:26px;max-width:62em}}
.deck .deck-tag {{display:inline-block;font-size:24px;font-weight:800;letter-spacing:.04em;padding:.1em .55em;
  margin:0 0 .35em 0;border:3px solid;border-radius:6px}}
.deck .deck-tag.kind-event {{color:{k['event']};border-color:{k['event']}}}
.deck .deck-tag.kind-statistic {{color:{k['statistic']};border-color:{k['statistic']}}}
.deck .deck-tag.kind-context {{color:{k['context']};border-color:{k['context']}}}
.deck .deck-tag.kind-claim {{color:{c['ink']};border:4px dashed {CLAIM_COLOUR};background:{CLAIM_COLOUR}1f}}
.deck .deck-tag.kind-claim b {{color:{CLAIM_COLOUR if theme == 'light' else '#ff8a3d'}}}
.deck .deck-quote {{margin:.5em 0 .4em 0;padding:.25em 0 .25em .8em;border-left:8px solid {c['rule']}}}
.deck .kind-claim .deck-quote {{border-left:8px dashed {CLAIM_COLOUR}}}
.deck .deck-quote blockquote {{margin:0;padding:0;border:0;font-size:26px;line-height:1.35;color:{c['ink']}}}
.deck .deck-quote figcaption {{font-size:24px;color:{c['muted']};margin-top:.25em}}
.deck .deck-quote figcaption b {{color:{c['ink']}}}
.deck .deck-kicker {{font-size:26px;font-weight:700;letter-spacing:.08em;text-transform:uppercase;color:{c['muted']};margin:0}}
.deck .deck-lead {{font-size:32px;font-weight:600}}
.deck .deck-sources {{margin:.2em 0 .6em 0;padding-left:1.4em;font-size:26px}}
.deck .deck-sources li {{margin:0 0 .35em 0;color:{c['ink']};line-height:1.3}}
.deck .deck-sources .deck-pub, .deck .deck-desc {{color:{c['muted']}}}
.deck a {{color:inherit !important;text-decoration:underline}}
.deck .deck-cols {{display:grid;gap:18px;margin:.1em -2rem 0 -2rem}}
.deck .deck-head {{display:flex;flex-wrap:wrap;align-items:baseline;gap:0 .8em}}
.deck .deck-head .deck-tag {{margin-bottom:.15em}}
.deck .role-compare .deck-quote {{margin:0;padding:.1em 0 .1em .6em}}
.deck .role-compare.denser .deck-quote blockquote {{line-height:1.25}}
.deck .role-compare .deck-strip {{margin-top:.1em}}
.deck .role-compare .deck-title {{margin:0 0 .15em 0}}
.deck .role-compare .deck-col figcaption.deck-outlet {{margin-bottom:.1em}}
.deck .deck-col {{margin:0}}
.deck .deck-col figcaption.deck-outlet {{margin:0 0 .2em 0;font-size:24px}}
.deck .deck-question {{font-size:42px !important;line-height:1.2;font-weight:700;max-width:28em}}
.deck .deck-teacher {{font-size:34px;line-height:1.35;max-width:30em;font-weight:500}}
.deck .deck-muted {{color:{c['muted']};font-size:24px}}
.deck .deck-strip {{position:relative;width:100%;margin-top:.3em}}
.deck .deck-strip-in {{position:absolute;left:14px;right:14px;top:0;bottom:0}}
.deck .deck-strip-in > :not(a) {{pointer-events:none}}
.deck .deck-strip .axis {{position:absolute;left:-14px;right:-14px;height:3px;margin-top:-1.5px;background:{c['rule']}}}
.deck .deck-strip .tick {{position:absolute;width:2px;height:9px;background:{c['rule']}}}
.deck .deck-strip .brk {{position:absolute;width:14px;height:22px;margin:-11px 0 0 -7px;background:{c['bg']};
  border-left:3px solid {c['muted']};border-right:3px solid {c['muted']};transform:skewX(-20deg)}}
.deck .deck-strip .year {{position:absolute;transform:translateX(-50%);font-size:22px;line-height:1;color:{c['muted']};
  white-space:nowrap}}
.deck .deck-strip .guide {{position:absolute;top:0;width:0;border-left:2px dashed {c['ink']}}}
.deck .deck-strip .band {{position:absolute;height:10px;margin-top:-5px;opacity:.7}}
.deck .deck-strip .band.approx {{background:none !important;height:0;margin-top:-2px;border-top:5px dashed}}
.deck .deck-strip .mk {{position:absolute;width:13px;height:13px;transform:translate(-50%,-50%);opacity:.5;
  background:{c['dim']};border:0;border-radius:0;text-decoration:none}}
.deck .deck-strip .mk i {{display:none}}
.deck .deck-strip .mk.hollow {{background:{c['bg']};border:3px solid {c['dim']}}}
.deck .deck-strip .mk.k-event {{border-radius:50%}}
.deck .deck-strip .mk.k-claim {{transform:translate(-50%,-50%) rotate(45deg) scale(.9)}}
.deck .deck-strip .mk.k-context {{clip-path:polygon(50% 0,100% 100%,0 100%);border:0}}
.deck .deck-strip .mk.k-context.hollow {{background:{c['dim']}}}
.deck .deck-strip .mk.k-context.hollow i {{display:block;position:absolute;inset:5px 3px 2px 3px;background:{c['bg']};
  clip-path:polygon(50% 0,100% 100%,0 100%)}}
.deck .deck-strip .mk:hover {{opacity:1}}
.deck .deck-strip .mk.cur {{opacity:1}}
.deck .deck-strip .mk.pin {{width:28px;height:28px;opacity:1;z-index:2;box-shadow:0 0 0 3px {c['bg']},0 0 0 6px {c['ink']}}}
.deck .deck-strip .mk.pin.k-context {{box-shadow:none}}
.deck .deck-strip .mk.pin.hollow {{border-width:6px}}
{kind_rules}
.deck .deck-strip .mk.pin.hollow:not(.k-context), .deck .deck-strip .mk.cur.hollow:not(.k-context) {{background:{c['bg']}}}
.deck .deck-strip .mk.pin.k-context.hollow i {{inset:11px 7px 5px 7px}}
.deck-notice {{font-size:22px;border-left:6px solid {CLAIM_COLOUR};padding:.3em .7em;margin:.2em 0 .6em 0;
  background:{c['panel']};color:{c['ink']}}}
.deck-notes, .deck-notes p {{font-size:20px;line-height:1.5;color:{c['ink']}}}
.deck-notes .passage blockquote {{margin:.2em 0;padding:.4em .8em;border-left:5px solid {c['rule']};background:{c['panel']}}}
.deck-notes mark {{background:{c['mark']};color:{c['ink']};padding:0 .1em}}
.deck-notes figcaption {{font-size:20px;color:{c['muted']};margin-bottom:.8em}}
.deck-notes a {{color:{k['event']}}}
</style>"""


def strip_html(strip: Strip, theme: str, current: str | None, query: dict[str, str], compact: bool = False) -> str:
    """The events on one axis, the current one big and in its kind's colour, the others dimmed; each links
    to its step. Plain HTML and CSS (Streamlit's sanitiser drops inline SVG). `compact`: the current event's
    big marker sits lower, just over the stacks (a slide of side-by-side passages needs the height)."""
    level_h = 18
    pin = (16 if compact else 40) if current else 0  # the current event's big marker sits above the stacks, on a guide
    axis = pin + 8 + strip.levels * level_h
    out = [f'<div class="deck-strip" style="height:{axis + (34 if compact else 40)}px" role="group" '
           f'aria-label="Timeline strip: every event of this presentation in date order, the current one highlighted">'
           f'<div class="deck-strip-in"><div class="axis" style="top:{axis}px"></div>']
    for x in strip.breaks:
        out.append(f'<div class="brk" style="left:{x * 100:.2f}%;top:{axis}px"></div>')
    for x, label in strip.ticks:
        out.append(f'<div class="tick" style="left:{x * 100:.2f}%;top:{axis}px"></div>'
                   f'<span class="year" style="left:{x * 100:.2f}%;top:{axis + 8}px">{esc(label)}</span>')
    for m in strip.marks:
        hollow = " hollow" if m.approximate else ""
        link = f'href="{esc(step_link(query, m.step))}" target="_self" title="{esc(m.label)}"'
        if m.event_id == current:
            if m.x_end - m.x > 0.004:  # its period, or the month or year its date stands for
                out.append(f'<div class="band{" approx" if m.approximate else ""} k-{m.kind}" style="left:{m.x * 100:.2f}%;'
                           f'width:{(m.x_end - m.x) * 100:.2f}%;top:{axis}px"></div>')
            out.append(f'<div class="guide" style="left:{m.x * 100:.2f}%;top:{pin / 2 + 16}px;'
                       f'height:{axis - pin / 2 - 16}px"></div>'
                       f'<a class="mk pin k-{m.kind}{hollow}" {link} style="left:{m.x * 100:.2f}%;top:{pin / 2}px"><i></i></a>')
        cls = f"mk{' cur' if m.event_id == current else ''} k-{m.kind}{hollow}"
        out.append(f'<a class="{cls}" {link} style="left:{m.x * 100:.2f}%;top:{axis - m.level * level_h}px"><i></i></a>')
    out.append("</div></div>")
    return "".join(out)


def _event_body(step: Step) -> str:
    e = step.event
    assert e is not None
    kind = e.kind.value
    banner = kind_banner(e)
    if " — " in banner:
        word, rest = banner.split(" — ", 1)
        tag = f"<b>{esc(word)}</b> — {esc(rest)}"
    else:
        tag = f"<b>{esc(banner)}</b>"
    parts = [f'<div class="deck-tag kind-{kind}">{tag}</div>',
             f'<p class="deck-date">{esc(e.date_label)}<span class="deck-cert">{esc(date_certainty(e))}</span></p>',
             f'<h1 class="deck-title">{esc(e.title)}</h1>',
             f'<p class="deck-summary">{esc(e.summary)}</p>']
    key = step.key_passage
    if key:
        parts.append(f'<figure class="deck-quote"><blockquote>{esc(quoted(key.text))}</blockquote>'
                     f'<figcaption>— <b>{esc(key.source.outlet)}</b>, {esc(key.source.published_label)}'
                     f'{esc(corroboration(step))}</figcaption></figure>')
    return "".join(parts)


def _tag_html(step: Step) -> str:
    e = step.event
    assert e is not None
    banner = kind_banner(e)
    word, _, rest = banner.partition(" — ")
    tag = f"<b>{esc(word)}</b>" + (f" — {esc(rest)}" if rest else "")
    return f'<div class="deck-tag kind-{e.kind.value}">{tag}</div>'


def _compare_body(step: Step) -> str:
    """One event as two or more outlets tell it: a compact head (kind and date on one line), the title, then
    each outlet's passage in a column of its own, the outlet and publication date above its words."""
    e = step.event
    assert e is not None
    n = len(step.compared)
    cols = "".join(f'<figure class="deck-quote deck-col"><figcaption class="deck-outlet"><b>{esc(p.source.outlet)}</b>, '
                   f'{esc(p.source.published_label)}</figcaption><blockquote>{esc(quoted(p.text))}</blockquote></figure>'
                   for p in step.compared)
    return (f'<div class="deck-head">{_tag_html(step)}<p class="deck-date">{esc(e.date_label)}'
            f'<span class="deck-cert">{esc(date_certainty(e))}</span></p></div>'
            f'<h1 class="deck-title">{esc(e.title)}</h1>'
            f'<div class="deck-cols" aria-label="How {n} outlets tell it, in their own words" '
            f'role="group" style="grid-template-columns:repeat({n},minmax(0,1fr))">{cols}</div>')


def _question_body(step: Step) -> str:
    about = (f'<p class="deck-muted">About: {esc(step.event.date_label)} · {esc(step.event.title)}</p>'
             if step.event else "")
    return (f'<p class="deck-kicker">Question for discussion</p><h1 class="deck-title deck-question">{esc(step.text)}</h1>'
            + about)


def _text_body(step: Step) -> str:
    return f'<p class="deck-kicker">{esc(step.title)}</p><p class="deck-teacher">{esc(step.text)}</p>'


def _title_body(step: Step) -> str:
    outlets = sorted({s.outlet for s in step.sources}, key=lambda o: o.casefold().removeprefix("the "))
    articles = f"{len(step.sources)} article{'s' if len(step.sources) != 1 else ''}"
    kicker = "A classroom lesson" if step.lesson else "A sourced chronology"
    return (f'<p class="deck-kicker">{kicker}</p><h1 class="deck-title">{esc(step.title)}</h1>'
            + (f'<p class="deck-lead">{esc(step.period)}</p>' if step.period else "")
            + f'<p>{esc(step.counts)}</p><p class="deck-muted">{esc(step.view)}</p>'
            + (f'<p>Quoted from {esc(articles)}: <b>{esc(" · ".join(outlets))}</b></p>' if outlets else "")
            + '<p class="deck-tag kind-claim"><b>CLAIM</b> — made by …</p>'
            + f'<p class="deck-muted">{esc(READING_KEY)}</p>')


def _sources_body(step: Step) -> str:
    items = []
    for s in step.sources:
        url = safe_url(s.url)
        name = f'<a href="{esc(url)}" rel="noopener noreferrer" target="_blank">{esc(s.outlet)}</a>' if url else esc(s.outlet)
        desc = ' <span class="deck-desc">(descriptive title)</span>' if s.headline_descriptive else ""
        items.append(f'<li><b>{name}</b> <span class="deck-pub">· {esc(s.published_label)}</span><br>'
                     f'“{esc(s.headline)}”{desc}</li>')
    return (f'<h1 class="deck-title">{esc(step.title)}</h1>'
            + (f'<ol class="deck-sources">{"".join(items)}</ol>' if items else "<p>No articles: no events in this view.</p>")
            + '<p class="deck-muted">Every quote was checked against its article’s text. '
              "Outlets and how each date is known: in the handout.</p>")


BUDGET = 640          # px of a 1280 × 720 screen left for a slide under the controls
TEXT_WIDTH = 1140     # px of text width at 1280 px


def _lines(text: str, size: float, width: float = TEXT_WIDTH, em: float = 0.5) -> int:
    return -(-int(len(text) * size * em) // int(width))


def density(step: Step, strip_levels: int = 4) -> str:
    """"", "dense" or "denser": the largest type with which an event step fits the projector screen.
    Body text stays at 24 px or more; quotes are never shortened."""
    e, key = step.event, step.key_passage
    if e is None:
        return ""
    strip_h = 40 + 8 + 18 * strip_levels + 40 + 8
    if step.role == "compare":
        strip_h -= 24
        n = max(1, len(step.compared))
        width = (TEXT_WIDTH + 64 - 18 * (n - 1)) / n - 22
        for name, title, body, date, lh in (("", 46, 26, 32, 1.35), ("dense", 40, 24, 28, 1.35), ("denser", 36, 24, 28, 1.25)):
            quotes = max(_lines(quoted(p.text), body, width) for p in step.compared) * body * lh
            captions = max(_lines(f"{p.source.outlet}, {p.source.published_label}", 24, width) for p in step.compared) * 34
            height = (max(50, date * 1.4) + _lines(e.title, title, em=0.55) * title * 1.12
                      + title * 0.3 + quotes + captions + 30 + strip_h)
            if height <= BUDGET:
                return name
        return "denser"
    for name, title, body, date, lh in (("", 46, 26, 32, 1.35), ("dense", 40, 24, 28, 1.35), ("denser", 36, 24, 28, 1.25)):
        height = (_lines(kind_banner(e), 24, em=0.6) * 36 + 18 + date * 1.4
                  + _lines(e.title, title, em=0.55) * title * 1.12 + title * 0.3
                  + _lines(e.summary, body) * body * lh + body * 0.45
                  + ((_lines(quoted(key.text), body, TEXT_WIDTH - 40) * body * lh + 40 + 20) if key else 0) + strip_h)
        if height <= BUDGET:
            return name
    return "denser"


def slide_html(step: Step, strip: Strip, theme: str = "light", query: dict[str, str] | None = None) -> str:
    """One step as a projector slide: its content, then the timeline strip."""
    body = {"title": _title_body, "event": _event_body, "compare": _compare_body, "question": _question_body,
            "text": _text_body, "sources": _sources_body}[step.role](step)
    kind = f" kind-{step.event.kind.value}" if step.event else ""
    current = step.event.id if step.event else None
    svg = strip_html(strip, theme, current, query or {}, compact=step.role == "compare") if strip.marks and step.role != "sources" else ""
    fit = f" {density(step, strip.levels)}" if step.role in ("event", "compare") else ""
    return (f'<div class="deck theme-{theme}"><section class="deck-slide role-{step.role}{kind}{fit}" '
            f'data-step="{step.number}" aria-label="{esc(step.counter)}">{body}{svg}</section></div>')
