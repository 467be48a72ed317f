"""The Curate page: find a passage in an article, describe the event it reports, preview it, save it.

Widgets in, calls to timeline.curation.curate and timeline.curation.suggest, elements out. The form is checked
by the loader's own models on every change; the Save button appends the rows (see
timeline.curation.curate for how nothing is lost).
"""
from __future__ import annotations

import contextlib
import html
import re

import streamlit as st

from timeline.chart.figure import build_figure
from timeline.data.chronology import Passage
from timeline.curation.curate import (CITATIONS, EVENTS, CurateError, Draft, Snapshot, StaleTables, check_draft, examples, save_event,
                             sentences_with, slugify, with_event)
from timeline.data.load import ROOT
from timeline.data.models import KIND_LABELS, MAX_LABEL, Certainty, Kind
from timeline.data.problems import Problem
from timeline.render import CSS, date_line, esc, kind_badge, passage_html, timeline_link
from timeline.curation.review import decide
from timeline.curation.suggest import Candidate, find_dates
from views.add_article_view import render as add_article
from views.common import _load, data_folder, kept_snapshot, load, problems_panel, story_heading
from views.editing import editing_gate

CHART_WIDTH = 900
FIELDS = ("id", "title", "label", "start", "end", "date_certainty", "date_note", "kind", "category", "actors", "summary", "claimed_by")
K = {name: f"cur_{name}" for name in FIELDS}
K.update(source="cur_source", search="cur_search", sentence="cur_sentence", quote="cur_quote")
CHOICES = ("kind", "category", "date_certainty")  # selectboxes: None until chosen
CERTAINTY_HELP = {"exact": "exact — the article states the date at this precision",
                  "inferred": "inferred — worked out from a relative date or the public record",
                  "approximate": "approximate — only roughly known (“a year and a half ago”)",
                  "after": "after — on or after start (“after the congress”); end, if given, the latest it can be",
                  "by": "by — on or before start (“by 2019”); end left empty"}
LABELS = {"id": "Id", "title": "Title", "label": "Label", "start": "Start", "end": "End", "date_certainty": "Date certainty",
          "date_note": "Date note", "kind": "Kind", "category": "Category", "actors": "Actors", "summary": "Summary",
          "claimed_by": "Claimed by", "quote": "Quote", "source_id": "Article"}
PAGE_CSS = """
<style>
.curate-where{border:1px solid rgba(0,114,178,.35);background:rgba(0,114,178,.06);border-radius:6px;padding:.6em .9em;margin:.2em 0 1em}
.curate-where code{font-size:.9em}
.problem-box{border:1px solid rgba(213,94,0,.45);background:rgba(213,94,0,.07);border-radius:6px;padding:.6em .9em .3em;margin-bottom:.8em}
.problems{margin:.3em 0 0 0;padding-left:1.2em}
.problems li{margin:.25em 0;line-height:1.45}
.problems .place{font-weight:600}
.problems .fix{opacity:.85}
.candidate{font-size:.92em;line-height:1.4}
</style>
"""


@st.cache_data(show_spinner="Looking for dates in the article…", max_entries=16)
def _candidates(text: str, published: str, outlet_description: str, cited: dict[str, str]) -> list[Candidate]:
    try:
        return find_dates(text, published, outlet_description, cited)
    except ValueError:  # a year-precision publication: relative dates cannot be resolved
        return []


def _md(text: str) -> str:
    """Text shown where Streamlit reads Markdown (radio labels), with its special characters made literal."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|$~<>])", r"\\\1", text)


def _snapshot(folder) -> Snapshot:
    return kept_snapshot("_cur_snapshot", folder)


def _reload() -> None:
    ss = st.session_state
    _load.clear()
    ss.pop("_cur_snapshot", None)
    ss.pop("_cur_stale", None)
    ss["_cur_flash"] = ("info", "Reloaded the tables from disk. Check the form against them, then save again.")


def _use_date(candidate: Candidate) -> None:
    ss = st.session_state
    ss[K["start"]] = candidate.start.iso
    ss[K["end"]] = candidate.end.iso if candidate.end else ""
    ss[K["date_certainty"]] = candidate.certainty
    ss[K["date_note"]] = f"The article says “{candidate.expression}”, i.e. {candidate.why}."


def _use_id(slug: str, keys: dict[str, str] = K) -> None:
    st.session_state[keys["id"]] = slug


def _cells() -> dict:
    ss = st.session_state
    return {name: ss.get(K[name]) for name in FIELDS}


def _pristine() -> bool:
    ss = st.session_state
    return not any(ss.get(K[n]) for n in ("id", "title", "label", "start", "end", "date_note", "kind", "category", "actors", "summary",
                                          "claimed_by"))


def _draft(chron, folder) -> Draft:
    ss = st.session_state
    source = chron.sources.get(ss.get(K["source"]))
    return check_draft(_cells(), ss.get(K["quote"]) or "", source, chron, folder)


def _save(folder) -> None:
    """On click: check again, then append; the outcome is shown on the next run."""
    ss = st.session_state
    chron = load().chronology
    draft = _draft(chron, folder)
    if not draft.ok:
        ss["_cur_flash"] = ("error", "Nothing was saved: the form has problems (listed below).")
        return
    try:
        saved = save_event(folder, draft.event, [draft.citation], _snapshot(folder))
    except StaleTables as err:
        ss["_cur_stale"] = str(err)
        return
    except CurateError as err:
        ss["_cur_flash"] = ("error", f"Nothing was saved: {err}.")
        return
    _load.clear()
    ss["_cur_snapshot"] = Snapshot.take(folder)
    ss.pop("_ed_snapshot", None)  # this session's own save: the Edit page reads the tables afresh
    candidate = ss.pop("_rv_active", None)  # saved from the review queue: that candidate is done
    if candidate is not None:
        with contextlib.suppress(OSError, CurateError):
            decide(folder, candidate, "accepted", saved.event_id, settled_by_last_save=True)
    ss["_cur_saved"] = {"id": saved.event_id, "title": draft.event.title, "event_row": saved.event_row,
                        "citation_row": saved.citation_row, "backups": [p.name for p in saved.backups]}
    _clear_form()


def _clear_form() -> None:
    """Empty every field (the article and the search stay), so the next event starts afresh."""
    ss = st.session_state
    for name in (*FIELDS, "quote"):
        ss[K[name]] = [] if name == "actors" else None if name in CHOICES else ""
    ss[K["sentence"]] = None
    ss.pop("_cur_quote_for", None)


def problems_html(problems: list[Problem], new: bool = True) -> str:
    """The problems as a list: place, message, fix, as `validate` words them. Every piece is escaped."""
    items = []
    for p in problems:
        place = f"{p.file} {'new ' if new else ''}row {p.row}" if p.row else p.file
        if p.column:
            place += f", column {p.column}" + (f" ({LABELS[p.column]})" if p.column in LABELS else "")
        fix = f' <span class="fix">Fix: {esc(p.fix)}.</span>' if p.fix else ""
        items.append(f'<li><span class="place">{esc(place)}</span>: {esc(p.message)}.{fix}</li>')
    return '<ul class="problems">' + "".join(items) + "</ul>"


def where_html(folder) -> str:
    own = " — the repository's own data folder" if folder == ROOT else ""
    return (f'<div class="curate-where"><strong>Saving writes to</strong> <code>{esc(folder)}</code>{esc(own)}: '
            f"one new row at the end of <code>{EVENTS}</code> and of <code>{CITATIONS}</code>. Nothing else in them "
            f"changes, and the previous versions are kept as <code>{EVENTS}.bak</code> and <code>{CITATIONS}.bak</code>.</div>")


def _flash() -> None:
    ss = st.session_state
    saved = ss.pop("_cur_saved", None)
    if saved:
        st.success(f"Saved “{saved['title']}” ({saved['id']}) as row {saved['event_row']} of {EVENTS} and row "
                   f"{saved['citation_row']} of {CITATIONS}. Previous versions: {', '.join(saved['backups'])}.", icon=":material/check_circle:")
        st.markdown(f'<a href="{esc(timeline_link(saved["id"]))}" target="_self">See it on the timeline →</a>',
                    unsafe_allow_html=True)
    flash = ss.pop("_cur_flash", None)
    if flash:
        getattr(st, flash[0])(flash[1])


def passage_picker(chron) -> tuple:
    """Step 1: the source, a search, the sentence. Returns (source, chosen sentence bounds or None)."""
    ss = st.session_state
    ids = sorted(chron.sources, key=lambda s: chron.sources[s].published.sort_key)
    if ss.get(K["source"]) not in ids:
        ss[K["source"]] = ids[0]
    st.subheader("1 · Find the passage")
    left, right = st.columns([2, 3])
    with left:
        source_id = st.selectbox("Article", ids, key=K["source"],
                                 format_func=lambda s: f"{chron.sources[s].outlet} — {chron.sources[s].published_label}")
    source = chron.sources[source_id]
    with right:
        term = st.text_input("Search the article", key=K["search"], placeholder=f"a word or phrase, e.g. {examples(chron).search}, Tuesday",
                             help="Lists every sentence that contains it. Leave empty to see the sentences with a date in them.")
    st.caption(f"“{source.headline}”" + (" (descriptive title)" if source.headline_descriptive else "")
               + f" · {source.outlet} · published {source.published_label}")
    text = source.text
    cited = {p.text: p.event_id for p in chron.passages}
    candidates = _candidates(text, source.published.iso, source.outlet_description, cited)
    if term.strip():
        bounds = sentences_with(text, term)
        heading = (f"{len(bounds)} sentence{'s' if len(bounds) != 1 else ''} contain{'s' if len(bounds) == 1 else ''} "
                   f"“{term.strip()}”" if bounds else f"No sentence of this article contains “{term.strip()}”.")
    else:
        bounds = list(dict.fromkeys((c.quote_start, c.quote_start + len(c.quote)) for c in candidates))
        heading = (f"{len(bounds)} sentences with a date in them (found by the assistant) — or search for words above"
                   if bounds else "Search for a word or phrase to list the sentences that contain it.")
    cited_in = {}
    for p in chron.passages_in(source_id):
        for b in bounds:
            if p.anchor.start < b[1] and b[0] < p.anchor.end:
                cited_in.setdefault(b, []).append(p.event_id)
    options = [f"{a}:{b}" for a, b in bounds]
    if ss.get(K["sentence"]) not in options:
        ss[K["sentence"]] = None  # nothing chosen until the reader picks a sentence

    def label(key: str) -> str:
        a, b = map(int, key.split(":"))
        events = cited_in.get((a, b))
        note = f" — *already cited for {_md(', '.join(dict.fromkeys(events)))}*" if events else ""
        return _md(text[a:b]) + note

    if not options:
        st.info(heading)
        return source, None, candidates
    choice = st.radio(heading, options, key=K["sentence"], format_func=label)
    if choice is None:
        return source, None, candidates
    a, b = map(int, choice.split(":"))
    return source, (a, b), candidates


def date_hints(candidates: list[Candidate], bounds: tuple[int, int]) -> None:
    """The dates the assistant found in the chosen sentence, each with a button that fills in the date fields."""
    found = [c for c in candidates if bounds[0] <= c.offset < bounds[1]]
    if not found:
        st.caption("No date expression in this sentence: date the event from the article's context or the public record, "
                   "and say how in the date note.")
        return
    st.markdown("**Dates in this sentence**")
    for i, c in enumerate(found):
        left, right = st.columns([5, 1], vertical_alignment="center")
        with left:
            st.markdown(f'<div class="candidate"><strong>{esc(c.date)}</strong> · <em>{esc(c.certainty)}</em> — '
                        f"{esc(c.reasoning)}</div>", unsafe_allow_html=True)
        with right:
            st.button("Use this date", key=f"cur_use_{i}", on_click=_use_date, args=(c,), width="stretch")


def event_form(chron, keys: dict[str, str] = K, heading: str = "2 · Describe the event") -> None:
    """Step 2: the event's fields, in the columns of events.csv (under the given widget keys)."""
    ss = st.session_state
    voc = chron.vocabulary
    ex = examples(chron)
    if heading:
        st.subheader(heading)
    left, right = st.columns([3, 2])
    with left:
        st.text_input("Title", key=keys["title"], placeholder=f"e.g. {ex.title}",
                      help="Short and neutral; attribute allegations (“House report: …”).")
        st.text_input("Label", key=keys["label"], max_chars=MAX_LABEL, placeholder="Optional: a shorter title",
                      help=f"At most {MAX_LABEL} characters, shown on the chart where the title does not fit.")
        st.text_area("Summary", key=keys["summary"], height=110,
                     placeholder="One or two neutral sentences that say who did what, and who says so.")
        st.text_input("Claimed by", key=keys["claimed_by"], placeholder=f"e.g. {ex.claimant}",
                      help="Required for a claim: the person or body that makes it.")
    with right:
        slug = slugify(ss.get(keys["title"]) or "")
        id_col, use_col = st.columns([3, 2], vertical_alignment="bottom")
        with id_col:
            st.text_input("Id", key=keys["id"], placeholder=slug or f"e.g. {slugify(ex.title)}",
                          help="Lower-case letters, digits and hyphens; unique in events.csv.")
        with use_col:
            st.button("Id from title", key=f"{keys['id']}_from_title", on_click=_use_id, args=(slug, keys), disabled=not slug,
                      width="stretch", help=f"Use “{slug}”" if slug else "Type a title first")
        st.selectbox("Kind", [k.value for k in Kind], key=keys["kind"], placeholder="Choose a kind",
                     format_func=lambda k: KIND_LABELS[Kind(k)],
                     help="Event: it happened, as reported. Claim: an allegation (say who makes it). "
                          "Statistic: a cited figure. Context: background.")
        categories = list(voc.get("category", {}))
        st.selectbox("Category", categories, key=keys["category"], placeholder="Choose a category",
                     format_func=lambda c: chron.label("category", c), help="From vocabulary.csv.")
        st.multiselect("Actors", list(voc.get("actor", {})), key=keys["actors"], placeholder="Choose one or more actors",
                       format_func=lambda a: chron.label("actor", a), help="From vocabulary.csv.")
    c1, c2, c3 = st.columns([1, 1, 2])
    with c1:
        st.text_input("Start", key=keys["start"], placeholder="YYYY, YYYY-MM or YYYY-MM-DD",
                      help="As precise as the evidence: 2019, 2019-04 or 2019-04-01.")
    with c2:
        st.text_input("End (spans only)", key=keys["end"], placeholder="optional")
    with c3:
        st.selectbox("Date certainty", [c.value for c in Certainty], key=keys["date_certainty"],
                     placeholder="How is the date known?", format_func=CERTAINTY_HELP.get)
    st.text_input("Date note", key=keys["date_note"],
                  placeholder="How the date was established, e.g. The article says “on Tuesday”, i.e. 30 January 2024.",
                  help="Required unless the date is exact.")


def check_and_save(chron, folder, source) -> None:
    """Step 3: the problems, or a preview; then Save."""
    ss = st.session_state
    st.subheader("3 · Check, preview and save")
    draft = _draft(chron, folder)
    if ss.get("_cur_stale"):
        st.error(f"Not saved: {ss['_cur_stale']}.", icon=":material/block:")
        st.button("Reload the tables from disk", key="cur_reload", on_click=_reload, type="primary")
    if _pristine() and not ss.get(K["quote"]):
        st.info("Choose a sentence and fill in the form: any problem is listed here as you type, in the words "
                "`python -m timeline validate` uses; then a preview appears.")
    elif not draft.ok:
        n = len(draft.problems)
        st.markdown(f'<div class="problem-box" role="alert"><strong>{n} problem{"s" if n != 1 else ""} to fix before saving</strong>'
                    f"{problems_html(draft.problems)}</div>", unsafe_allow_html=True)
    else:
        if not ss.get("_cur_stale"):
            st.success(f"Ready to save as row {draft.event_row} of {EVENTS} and row {draft.citation_row} of {CITATIONS}.",
                       icon=":material/check:")
        preview(chron, draft)
    st.button(f"Save to {EVENTS} and {CITATIONS}", key="cur_save", type="primary", on_click=_save, args=(folder,),
              disabled=not draft.ok, help=None if draft.ok else "Fix the problems listed above first")


def preview(chron, draft: Draft) -> None:
    event = draft.event
    source = chron.sources[draft.citation.source_id]
    with st.container(border=True):
        st.markdown(f"**{esc(event.title)}**", unsafe_allow_html=True)
        st.markdown(kind_badge(event) + date_line(event), unsafe_allow_html=True)
        if event.claimed_by:
            st.markdown(f"**{'Claim made by' if event.kind is Kind.claim else 'Figure from'}:** {esc(event.claimed_by)}",
                        unsafe_allow_html=True)
        st.markdown(esc(event.summary), unsafe_allow_html=True)
        st.markdown(passage_html(Passage(draft.citation, source, draft.anchor)), unsafe_allow_html=True)
    combined = with_event(chron, draft)
    fig = build_figure(combined.frame, lanes="category", selected=event.id, width=CHART_WIDTH)
    st.plotly_chart(fig, key="cur_preview", width="stretch", config={"displaylogo": False, "scrollZoom": False})
    label = next((a.text for a in fig.layout.annotations if a.name == f"label:{event.id}"), "")
    label = html.unescape(re.sub(r"<[^>]+>", "", label or ""))
    named = f", labelled “{label}”" if label and label != event.title else ""
    st.caption(f"The new event is the large outlined marker in the “{chron.label('category', event.category)}” lane{named}, "
               f"among the {len(chron.events)} events already on the timeline.")


def render() -> None:
    ss = st.session_state
    st.markdown(CSS + PAGE_CSS, unsafe_allow_html=True)
    if not editing_gate():
        return
    for name in ("kind", "category", "date_certainty", "sentence"):
        ss.setdefault(K[name], None)  # choices start empty: nothing is pre-selected for the curator
    folder = data_folder()
    _snapshot(folder)  # taken before the tables are read, so a later change is always noticed
    result = load()
    chron = result.chronology
    story_heading(chron)
    st.title("Curate")
    st.markdown("Add an event from a passage of one of the articles: find the sentence, describe what it reports, "
                "check the preview, save.")
    st.markdown(where_html(folder), unsafe_allow_html=True)
    add_article(not chron.sources)  # an expander, open while the story has no article
    from views.edit_view import flash as edit_flash, undo_panel  # the Edit page's own: it imports this one

    undo_panel(folder)
    problems_panel(result)
    _flash()
    edit_flash()
    if not chron.sources:
        st.info("There are no readable articles in this data folder yet. Add one with the form above, or with "
                "`python -m timeline add-article FOLDER ARTICLE.html`.")
        st.stop()
    source, bounds, candidates = passage_picker(chron)
    if bounds is not None:
        key = f"{source.id}:{bounds[0]}:{bounds[1]}"
        if ss.get("_cur_quote_for") != key:  # a newly chosen sentence becomes the quote
            ss[K["quote"]] = source.text[bounds[0]:bounds[1]]
            ss["_cur_quote_for"] = key
        st.text_area("Quote", key=K["quote"], height=90,
                     help="Verbatim from the article; you may shorten it to the clause that reports the event.")
        date_hints(candidates, bounds)
    elif ss.get(K["quote"]):
        st.text_area("Quote", key=K["quote"], height=90)
    event_form(chron)
    check_and_save(chron, folder, source)
