"""The Edit page: change an event's fields, add or remove its citations, delete it; undo the last save.

Widgets in, calls to timeline.curation.edit out. Every save is checked first (the loader's messages), then
written atomically with backups, and refused when a table changed on disk since the page read it.
"""
from __future__ import annotations

import streamlit as st

from timeline.curation.curate import CurateError, Snapshot, StaleTables, event_cells, last_save, sentences_with
from timeline.curation.review import undo as undo_last_save
from timeline.curation.edit import EDIT_TABLES, NothingChanged, attached, add_citation, check_citation, check_event, delete_event, remove_citation, update_event
from timeline.render import CSS, esc
from views.common import _load, data_folder, kept_snapshot, load, problems_panel, story_heading
from views.curate_view import FIELDS, PAGE_CSS, _md, event_form, problems_html
from views.editing import editing_gate

EDIT_CSS = """
<style>
.quote-box{border-left:3px solid rgba(0,114,178,.6);padding:.15em .8em;margin:.3em 0 .2em;color:inherit}
</style>
"""
KE = {name: f"ed_{name}" for name in FIELDS}
CHOICES = ("kind", "category", "date_certainty")


def snapshot(folder) -> Snapshot:
    """The tables' state when this page read them: every save is checked against it."""
    return kept_snapshot("_ed_snapshot", folder, EDIT_TABLES)


def saved(folder, message: str) -> None:
    """After a save: read the tables again, and say what happened."""
    ss = st.session_state
    _load.clear()
    ss["_ed_snapshot"] = Snapshot.take(folder, EDIT_TABLES)
    ss.pop("_cur_snapshot", None)
    ss.pop("_ed_for", None)  # the form is filled again from the saved tables
    ss["_ed_flash"] = ("success", message)


def attempt(folder, action, message: str) -> bool:
    """Run a save; a refusal is shown on the next run. True when it was written."""
    ss = st.session_state
    try:
        result = action()
    except StaleTables as err:
        ss["_ed_stale"] = str(err)
        return False
    except NothingChanged:
        ss["_ed_flash"] = ("info", "Nothing to save: the tables already say this.")
        return False
    except CurateError as err:
        ss["_ed_flash"] = ("error", f"Nothing was saved: {err}.")
        return False
    saved(folder, message.format(result=result))
    return True


def reload() -> None:
    ss = st.session_state
    _load.clear()
    for key in ("_ed_snapshot", "_cur_snapshot", "_ed_stale", "_ed_for"):
        ss.pop(key, None)
    ss["_ed_flash"] = ("info", "Reloaded the tables from disk. Check the event against them, then save again.")


def undo(folder) -> None:
    ss = st.session_state
    try:
        what = undo_last_save(folder)
    except CurateError as err:
        ss["_ed_flash"] = ("error", f"Not undone: {err}.")
        return
    saved(folder, f"Undone: {what}. The tables are as they were before that save.")


def undo_panel(folder) -> None:
    """"Undo last save", for the last save made by any page of this data folder."""
    what = last_save(folder)
    left, right = st.columns([4, 1], vertical_alignment="center")
    with left:
        st.caption(f"Last save: {what}." if what else "No save to undo.")
    with right:
        st.button("Undo last save", key="ed_undo", on_click=undo, args=(folder,), disabled=what is None, width="stretch")


def flash() -> None:
    ss = st.session_state
    message = ss.pop("_ed_flash", None)
    if message:
        getattr(st, message[0])(message[1])
    if ss.get("_ed_stale"):
        st.error(f"Not saved: {ss['_ed_stale']}.", icon=":material/block:")
        st.button("Reload the tables from disk", key="ed_reload", on_click=reload, type="primary")


def fill_form(chron, event_id: str) -> None:
    """The chosen event's values into the form, once per event chosen (then the widgets hold the edits)."""
    ss = st.session_state
    if ss.get("_ed_for") == event_id:
        return
    cells = event_cells(chron.by_id[event_id])
    for name in FIELDS:
        value = cells.get(name, "")
        if name == "actors":
            value = [a for a in value.split(";") if a]
        elif name in CHOICES:
            value = value or None
        ss[KE[name]] = value
    ss["_ed_for"] = event_id
    ss.pop("_ed_confirm", None)


def cells() -> dict:
    return {name: st.session_state.get(KE[name]) for name in FIELDS}


def save_fields(folder, event_id: str) -> None:
    chron = load().chronology
    checked = check_event(cells(), event_id, chron, folder)
    if not checked.ok:
        st.session_state["_ed_flash"] = ("error", "Nothing was saved: the form has problems (listed below).")
        return
    if attempt(folder, lambda: update_event(folder, event_id, checked.event, snapshot(folder)),
               f"Saved the changes to “{checked.event.title}” as row {{result}} of events.csv.") and checked.event.id != event_id:
        st.session_state["ed_event"] = checked.event.id


def citations(chron, folder, event_id: str) -> None:
    st.subheader("Citations")
    rows = [(r, c) for r, c in attached(folder, event_id).citations]
    for i, (row, cell) in enumerate(rows):
        source = chron.sources.get(cell.get("source_id", ""))
        left, right = st.columns([6, 1], vertical_alignment="center")
        with left:
            outlet = source.outlet if source else cell.get("source_id", "")
            st.markdown(f"<div class=\"quote-box\">{esc(cell.get('quote', ''))}</div><small>{esc(outlet)} · citations.csv row {row}</small>",
                        unsafe_allow_html=True)
        with right:
            st.button("Remove", key=f"ed_remove_{i}", disabled=len(rows) == 1, width="stretch",
                      help="An event keeps at least one citation" if len(rows) == 1 else f"Remove row {row} of citations.csv",
                      on_click=lambda r=row: attempt(folder, lambda: remove_citation(folder, event_id, r, snapshot(folder)),
                                                     f"Removed row {r} of citations.csv."))
    with st.expander("Add a citation", expanded=bool(st.session_state.get("ed_cite_search"))):
        ids = sorted(chron.sources, key=lambda s: chron.sources[s].published.sort_key)
        source_id = st.selectbox("Article", ids, key="ed_cite_source",
                                 format_func=lambda s: f"{chron.sources[s].outlet} — {chron.sources[s].published_label}")
        source = chron.sources[source_id]
        term = st.text_input("Search the article", key="ed_cite_search", placeholder="a word or phrase")
        if term.strip():
            bounds = sentences_with(source.text, term)
            options = [f"{a}:{b}" for a, b in bounds]
            if st.session_state.get("ed_cite_sentence") not in options:
                st.session_state["ed_cite_sentence"] = None
            if options:
                choice = st.radio(f"{len(options)} sentence(s) contain “{term.strip()}”", options, key="ed_cite_sentence",
                                  format_func=lambda k: _md(source.text[int(k.split(':')[0]):int(k.split(':')[1])]))
                if choice and st.session_state.get("_ed_cite_for") != choice:
                    a, b = map(int, choice.split(":"))
                    st.session_state["ed_cite_quote"] = source.text[a:b]
                    st.session_state["_ed_cite_for"] = choice
            else:
                st.info(f"No sentence of this article contains “{term.strip()}”.")
        quote = st.text_area("Quote", key="ed_cite_quote", height=80, help="Verbatim from the article; you may shorten it.")
        citation, problems = check_citation(event_id, source, quote or "", folder) if quote else (None, [])
        if problems:
            st.markdown(f'<div class="problem-box" role="alert">{problems_html(problems)}</div>', unsafe_allow_html=True)

        def add() -> None:
            if attempt(folder, lambda: add_citation(folder, citation, snapshot(folder)), "Added the citation as row {result} of citations.csv."):
                for key in ("ed_cite_quote", "ed_cite_search"):
                    st.session_state[key] = ""
                st.session_state.pop("_ed_cite_for", None)

        st.button("Add citation", key="ed_cite_add", on_click=add, disabled=citation is None, type="primary",
                  help=None if citation else "Pick a sentence, or paste a verbatim passage, first")


def delete_section(chron, folder, event_id: str) -> None:
    ss = st.session_state
    st.subheader("Delete")
    if ss.get("_ed_confirm") != event_id:
        st.button("Delete this event…", key="ed_delete", on_click=lambda: ss.__setitem__("_ed_confirm", event_id))
        return
    going = attached(folder, event_id)
    items = [f"<li>citations.csv row {r}: {esc(c.get('source_id', ''))} — “{esc(c.get('quote', ''))}”</li>" for r, c in going.citations]
    items += [f"<li>relations.csv row {r}: {esc(c.get('from_event', ''))} {esc(c.get('relation', ''))} {esc(c.get('to_event', ''))}</li>"
              for r, c in going.relations]
    figures = "".join(f"<li>figures.csv row {r}: {esc(c.get('id', ''))} stays, no longer linked to the event</li>" for r, c in going.figures)
    title = chron.by_id[event_id].title
    st.markdown(f'<div class="problem-box" role="alert"><strong>Delete “{esc(title)}” ({esc(event_id)})?</strong> '
                f"These rows go with it:<ul>{''.join(items)}{figures}</ul>"
                "The previous tables are kept as .bak files, and “Undo last save” puts them back.</div>", unsafe_allow_html=True)

    def yes() -> None:
        if attempt(folder, lambda: delete_event(folder, event_id, snapshot(folder)),
                   f"Deleted “{title}” with {len(going.citations)} citation(s) and {len(going.relations)} relation(s)."):
            ss.pop("ed_event", None)
        ss.pop("_ed_confirm", None)

    c1, c2 = st.columns(2)
    with c1:
        st.button("Yes, delete it and these rows", key="ed_delete_yes", type="primary", on_click=yes, width="stretch")
    with c2:
        st.button("Cancel", key="ed_delete_no", on_click=lambda: ss.pop("_ed_confirm", None), width="stretch")


def render() -> None:
    ss = st.session_state
    st.markdown(CSS + PAGE_CSS + EDIT_CSS, unsafe_allow_html=True)
    if not editing_gate():
        return
    folder = data_folder()
    snapshot(folder)  # taken before the tables are read, so a later change is always noticed
    result = load()
    chron = result.chronology
    story_heading(chron)
    st.title("Edit")
    st.markdown("Change an event, add or remove its citations, or delete it. Each save is checked like "
                "`python -m timeline validate`, keeps a `.bak` of each table it changes, and can be undone.")
    undo_panel(folder)
    problems_panel(result)
    flash()
    if not chron.events:
        st.info("There are no events yet: add one on the Curate page, or accept one on the Review page.")
        return
    ids = [e.id for e in chron.events]
    wanted = st.query_params.get("event")
    if ss.get("ed_event") not in ids:
        ss["ed_event"] = wanted if wanted in ids else ids[0]
    event_id = st.selectbox("Event", ids, key="ed_event", format_func=lambda i: f"{chron.by_id[i].title} ({i})")
    fill_form(chron, event_id)
    event_form(chron, KE, heading="Fields")
    checked = check_event(cells(), event_id, chron, folder)
    if not checked.ok:
        n = len(checked.problems)
        st.markdown(f'<div class="problem-box" role="alert"><strong>{n} problem{"s" if n != 1 else ""} to fix before saving</strong>'
                    f"{problems_html(checked.problems, new=False)}</div>", unsafe_allow_html=True)
    st.button("Save changes to events.csv", key="ed_save", type="primary", on_click=save_fields, args=(folder, event_id),
              disabled=not checked.ok, help=None if checked.ok else "Fix the problems listed above first")
    try:
        citations(chron, folder, event_id)
        delete_section(chron, folder, event_id)
    except CurateError as err:  # a table that cannot be read row by row: say which and how to fix it
        st.error(f"Citations and deletion are unavailable: {err}.")
