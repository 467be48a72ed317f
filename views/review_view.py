"""The Review page: the candidates in review/*.csv, article by article. Each is accepted into the event form,
merged into an existing event as another citation, or dismissed; the queue shows what is left.

Widgets in, calls to timeline.curation.review and timeline.curation.edit out; the form and its save are the
Curate page's (views/curate_view.py), so an accepted candidate is checked and saved exactly as a new event is.
"""
from __future__ import annotations

import streamlit as st

from timeline.curation.curate import CurateError
from timeline.curation.edit import add_citation, check_citation
from timeline.curation.review import FIELDS, Candidate, decide, review_queue
from timeline.render import CSS, esc
from views.common import data_folder, load, problems_panel, story_heading
from views.curate_view import CHOICES, K, PAGE_CSS, _flash, _snapshot, check_and_save, event_form, passage_picker
from views.edit_view import EDIT_CSS, attempt, flash, snapshot, undo_panel
from views.editing import editing_gate

SHOWN = 10  # candidates drawn at once: the page stays quick however long a sheet is


def accept(chron, candidate: Candidate) -> None:
    """Into the Curate form: the sheet's values where they fit the form; the rest said, not dropped."""
    ss = st.session_state
    voc = chron.vocabulary
    fields = candidate.fields
    left_out = []
    for name in FIELDS:
        value = fields.get(name, "").strip()
        if name == "actors":
            given = [a.strip() for a in value.split(";") if a.strip()]
            ss[K[name]] = [a for a in given if a in voc.get("actor", {})]
            left_out += [f"actor “{a}”" for a in given if a not in voc.get("actor", {})]
        elif name in CHOICES:
            options = {"kind": ("claim", "context", "event", "statistic"), "date_certainty": ("exact", "inferred", "approximate", "after", "by"),
                       "category": tuple(voc.get("category", {}))}[name]
            ss[K[name]] = value if value in options else None
            if value and value not in options:
                left_out.append(f"{name} “{value}”")
        else:
            ss[K[name]] = value
    has = candidate.has_passage and candidate.source_id in chron.sources
    if has:
        ss[K["source"]] = candidate.source_id
        ss[K["quote"]] = candidate.quote
    else:
        ss[K["quote"]] = ""
    ss[K["sentence"]] = None
    ss.pop("_cur_quote_for", None)
    ss["_rv_active"] = candidate
    ss["_rv_left_out"] = left_out


def dismiss(folder, candidate: Candidate) -> None:
    try:
        decide(folder, candidate, "dismissed")
        st.session_state["_ed_flash"] = ("success", f"Dismissed {candidate.key} of review/{candidate.sheet}; it stays in the sheet.")
    except (OSError, CurateError) as err:
        st.session_state["_ed_flash"] = ("error", f"Not dismissed: {err}.")


def merge(folder, candidate: Candidate, key: str) -> None:
    ss = st.session_state
    event_id = ss.get(key)
    chron = load().chronology
    citation, problems = check_citation(event_id or "", chron.sources.get(candidate.source_id), candidate.quote, folder)
    if citation is None or not event_id:
        ss["_ed_flash"] = ("error", "Not merged: " + ("choose the event first." if not event_id else "; ".join(map(str, problems))))
        return
    if attempt(folder, lambda: add_citation(folder, citation, snapshot(folder)),
               f"Merged into “{chron.by_id[event_id].title}” as row {{result}} of citations.csv."):
        decide(folder, candidate, "merged", event_id, settled_by_last_save=True)


def candidate_card(chron, folder, c: Candidate, i: int) -> None:
    with st.container(border=True):
        source = chron.sources.get(c.source_id)
        date = c.cells.get("start", "") + (f" – {c.cells['end']}" if c.cells.get("end") else "")
        title = c.cells.get("title", "").strip()
        st.markdown(f"**{esc(title or 'Untitled candidate')}** · {esc(date or 'no date')} · "
                    f"<small>{esc(c.key if c.key == f'row {c.row}' else f'{c.key}, row {c.row}')}</small>", unsafe_allow_html=True)
        if c.has_passage:
            st.markdown(f'<div class="quote-box">{esc(c.quote)}</div>', unsafe_allow_html=True)
            if source is None:
                st.warning(f"Its article “{c.source_id}” is not in seeds/sources.csv: add the article before accepting it.")
        else:
            st.caption("No passage yet: accept it and pick the sentence from an article.")
        note = c.cells.get("reasoning", "") or c.cells.get("date_note", "")
        if note:
            st.caption(note)
        mergeable = c.has_passage and source is not None
        b1, b2, b3, b4 = st.columns([2, 3, 2, 2], vertical_alignment="bottom")
        with b1:
            st.button("Accept into the form", key=f"rv_accept_{i}", on_click=accept, args=(chron, c), type="primary", width="stretch")
        merging = st.session_state.get("_rv_merging") == (c.sheet, c.key)
        if mergeable and merging:  # the events to choose from are drawn for this candidate only
            with b2:
                st.selectbox("Merge into event", [e.id for e in chron.events], key=f"rv_target_{i}", index=None,
                             placeholder="Choose an event", format_func=lambda e: chron.by_id[e].title)
            with b3:
                st.button("Merge as a citation", key=f"rv_merge_{i}", on_click=merge, args=(folder, c, f"rv_target_{i}"), width="stretch")
        elif mergeable:  # a merge adds the candidate's passage to an event: without one there is nothing to add
            with b2:
                st.button("Merge into an event…", key=f"rv_merge_open_{i}", width="stretch",
                          on_click=lambda k=(c.sheet, c.key): st.session_state.__setitem__("_rv_merging", k))
        with b4:
            st.button("Dismiss", key=f"rv_dismiss_{i}", on_click=dismiss, args=(folder, c), width="stretch")


def accepted_form(chron, folder) -> None:
    ss = st.session_state
    c: Candidate = ss["_rv_active"]
    st.subheader(f"Accepted: {c.key} of review/{c.sheet}")
    left_out = ss.get("_rv_left_out") or []
    if left_out:
        st.warning("Not in this story's vocabulary, so not filled in: " + ", ".join(left_out)
                   + ". Choose from the lists, or add them to vocabulary.csv.")
    source = chron.sources.get(ss.get(K["source"]))
    if not (c.has_passage and c.source_id in chron.sources):
        source, bounds, _ = passage_picker(chron)
        if bounds is not None:
            key = f"{source.id}:{bounds[0]}:{bounds[1]}"
            if ss.get("_cur_quote_for") != key:
                ss[K["quote"]] = source.text[bounds[0]:bounds[1]]
                ss["_cur_quote_for"] = key
    else:
        st.caption(f"From {source.outlet} — {source.published_label}")
    st.text_area("Quote", key=K["quote"], height=90, help="Verbatim from the article; you may shorten it.")
    event_form(chron)
    check_and_save(chron, folder, source)
    st.button("Back to the queue", key="rv_back", on_click=lambda: ss.pop("_rv_active", None))


def render() -> None:
    ss = st.session_state
    st.markdown(CSS + PAGE_CSS + EDIT_CSS, unsafe_allow_html=True)
    if not editing_gate():
        return
    for name in ("kind", "category", "date_certainty", "sentence"):
        ss.setdefault(K[name], None)
    folder = data_folder()
    _snapshot(folder)
    snapshot(folder)
    result = load()
    chron = result.chronology
    story_heading(chron)
    st.title("Review")
    queue = review_queue(folder)
    st.markdown(f"Candidate events from `review/*.csv` (written by `add-article --suggest`, `suggest --write` and `import-timelinejs`): "
                f"**{len(queue.left)} left** of {queue.total}. Accept one into the event form, merge it into an event "
                "as another citation, or dismiss it; decisions are kept in `review/decisions.csv`.")
    undo_panel(folder)
    problems_panel(result)
    for problem in queue.problems:
        st.error(problem)
    flash()
    _flash()
    if ss.get("_rv_active") is not None:
        accepted_form(chron, folder)
        return
    sheets = queue.per_sheet()
    if not sheets:
        st.info("Nothing left to review. Candidates come from the dates of an article: "
                "`python -m timeline add-article FOLDER ARTICLE.html --suggest` (or `suggest ARTICLE.txt --write`), "
                "and from a TimelineJS sheet: `python -m timeline import-timelinejs SHEET.csv --out FOLDER`.")
        return
    names = list(sheets)
    if ss.get("rv_sheet") not in names:
        ss["rv_sheet"] = names[0]

    def label(name: str) -> str:
        source = chron.sources.get(name.removesuffix(".csv"))
        return f"{source.outlet if source else name} — {len(sheets[name])} left"

    sheet = st.selectbox("Article", names, key="rv_sheet", format_func=label)
    shown = sheets[sheet][:SHOWN]
    if len(sheets[sheet]) > SHOWN:
        st.caption(f"The first {SHOWN} of {len(sheets[sheet])}; the next ones appear as these are decided.")
    for i, c in enumerate(shown):
        candidate_card(chron, folder, c, i)
