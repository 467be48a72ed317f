"""The presentation page: the filtered chronology one step at a time, for a projector.

The URL holds the view (the Timeline page's filters), the step and the theme, so a teacher
can open the deck at a given event: /present?kind=claim&step=4&theme=dark. Without a step,
`event=ID` (as the Timeline page writes it) opens at that event. `lesson=ID` plays a lesson of
lessons.csv instead of the filtered view: /present?lesson=how-the-2022-suspension-is-told&step=3.
"""
from __future__ import annotations

from functools import partial

import streamlit as st

from timeline.data.chronology import Chronology
from timeline.filters import ViewState
from timeline.present.deck import deck_pptx, lesson_pptx
from timeline.present.handout import handout_pdf, lesson_handout_pdf
from timeline.present.steps import Step, Strip, attribution, clamp, lesson_by_id, lesson_steps, step_of_event, steps, strip
from timeline.present.worksheet import worksheet_pdf
from timeline.present.html import css, esc, slide_html
from timeline.render import passage_html, reader_link
from views.common import data_stamp, flat, load, problems_panel, query_dict, set_query

OWN_PARAMS = ("step", "theme", "lesson")  # every other parameter is the Timeline page's view (ViewState)
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
KEYS_JS = """<div style="display:none"><script>
if (!window.__deckKeys) {
  window.__deckKeys = true;
  document.addEventListener('keydown', (ev) => {
    const t = ev.target, tag = (t && t.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'textarea' || (t && t.isContentEditable) || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const key = {ArrowRight: 'present_next', PageDown: 'present_next', ArrowLeft: 'present_prev', PageUp: 'present_prev'}[ev.key];
    const button = key && document.querySelector('.st-key-' + key + ' button');
    if (button && !button.disabled) { ev.preventDefault(); button.click(); }
  });
}
</script></div>"""


@st.cache_resource(max_entries=16, show_spinner=False)
def _deck(_chron: Chronology, _state: ViewState, data_key: tuple, view: str, lesson: str) -> tuple[list[Step], Strip]:
    """The view's (or the lesson's) steps and their strip, built once per data and view rather than at every
    click of Next (`view`: the state as JSON, the cache key for `_state`)."""
    found = lesson_by_id(_chron, lesson) if lesson else None
    all_steps = lesson_steps(_chron, found) if found else steps(_chron, _state)
    return all_steps, strip(all_steps)


def deck(chron: Chronology, state: ViewState, lesson: str = "") -> tuple[list[Step], Strip]:
    return _deck(chron, state, data_stamp(), state.model_dump_json(), lesson)


def _from_url(chron: Chronology) -> tuple[ViewState, str, int, bool, list[str]]:
    """The view, lesson, step and theme the URL asks for, with a notice for each value that makes no sense."""
    params = query_dict()
    state, notices = ViewState.from_query_params({k: v for k, v in params.items() if k not in OWN_PARAMS}, chron)
    url = flat(params)
    theme = url.get("theme", "light").strip() or "light"
    if theme not in ("light", "dark"):
        notices.append(f'Ignored theme "{theme}": use light or dark.')
        theme = "light"
    lesson = url.get("lesson", "").strip()
    if lesson and lesson_by_id(chron, lesson) is None:
        known = ", ".join(x.id for x in chron.lessons) or "none in lessons.csv"
        notices.append(f'There is no lesson "{lesson}" (lessons: {known}); showing the filtered view.')
        lesson = ""
    all_steps, _ = deck(chron, state, lesson)
    total, number = len(all_steps), 1
    text = url.get("step", "").strip()
    if text:
        if text.isdigit() and 1 <= int(text) <= total:
            number = int(text)
        elif text.isdigit():
            number = clamp(int(text), total)
            notices.append(f"There is no step {text}: this presentation has {total} steps; showing step {number}.")
        else:
            notices.append(f'Ignored step "{text}": give a number from 1 to {total}.')
    elif state.selected and not lesson:
        number = step_of_event(all_steps, state.selected) or 1
        if number == 1:
            notices.append("The selected event is hidden by the filters; starting at the title.")
    return state.model_copy(update={"selected": None}), lesson, number, theme == "dark", notices


def _go(delta: int, total: int) -> None:
    st.session_state["present_step"] = clamp(st.session_state.get("present_step", 1) + delta, total)
    _by_widget()


def _pick_lesson() -> None:
    st.session_state["present_step"] = 1
    _by_widget()


def _by_widget() -> None:
    """This run comes from a button or toggle: the session, not the address bar, is current (the
    browser may not have shown the previous run's URL yet when a presenter presses keys quickly)."""
    st.session_state["_present_by_widget"] = True


@st.cache_data(show_spinner=False, max_entries=16)
def _file(_chron: Chronology, kind: str, data_key: tuple, state_json: str, theme: str, lesson: str = "") -> bytes:
    if lesson:
        return {"pptx": lambda: lesson_pptx(_chron, lesson, theme), "pdf": lambda: lesson_handout_pdf(_chron, lesson),
                "worksheet": lambda: worksheet_pdf(_chron, lesson)}[kind]()
    state = ViewState.model_validate_json(state_json)
    return deck_pptx(_chron, state, theme) if kind == "pptx" else handout_pdf(_chron, state)


def _downloads(chron: Chronology, state: ViewState, theme: str, lesson: str) -> None:
    """The files of the current view or lesson, built only when clicked."""
    view = (data_stamp(), state.model_dump_json(), theme, lesson)
    slug = lesson or chron.story.slug
    with st.popover("Take away ⤓", width="stretch"):
        st.download_button("Slides (PowerPoint, .pptx)", data=partial(_file, chron, "pptx", *view),
                           file_name=f"{slug}-slides.pptx", mime=PPTX_MIME, key="present_pptx", on_click="ignore",
                           width="stretch")
        st.download_button("Handout (PDF)", data=partial(_file, chron, "pdf", *view),
                           file_name=f"{slug}-handout.pdf", mime="application/pdf", key="present_pdf", on_click="ignore",
                           width="stretch")
        if lesson:
            st.download_button("Student worksheet (PDF)", data=partial(_file, chron, "worksheet", *view),
                               file_name=f"{slug}-worksheet.pdf", mime="application/pdf", key="present_worksheet",
                               on_click="ignore", width="stretch")
        st.caption("One slide per step, with the full citations in the speaker notes; "
                   "a printable chronology with every quote as a numbered footnote"
                   + ("; the passages and questions with room to answer." if lesson else "."))


def _teacher_notes(step: Step, state: ViewState, lesson: str = "") -> None:
    """Below the slide (off the projected screen): everything the slide leaves out."""
    with st.expander("Teacher's notes: how the date is known, every passage in context", expanded=False):
        if step.notes:
            st.html(f'<div class="deck-notes"><p><b>Notes:</b> {esc(step.notes)}</p></div>')
        if step.event:
            e = step.event
            notes = [f"<p><b>Date:</b> {esc(e.date_label)} — {esc(e.date_note or 'as stated in the source')}</p>"]
            if attribution(e):
                notes.append(f"<p><b>{esc(attribution(e))}</b></p>")
            notes += [passage_html(p, link=reader_link(p.source.id, e.id)) for p in (step.compared or step.passages)]
            st.html('<div class="deck-notes">' + "".join(notes) + "</div>")
        elif step.role in ("title", "sources"):
            rows = [f"<p><b>{esc(s.outlet)}</b> — {esc(s.outlet_description)} Published {esc(s.published_label)}: "
                    f"{esc(s.published_note or 'stated in the article')}</p>" for s in step.sources]
            st.html('<div class="deck-notes">' + ("".join(rows) or "<p>No articles.</p>") + "</div>")
        back = (ViewState() if lesson else state).model_copy(update={"selected": step.event.id if step.event else None})
        st.page_link("views/page_timeline.py", label="Open this view on the Timeline page",
                     query_params=back.to_query_params())


def render() -> None:
    ss = st.session_state
    result = load()
    chron = result.chronology
    st.set_page_config(page_title=f"Present — {chron.story.title}", initial_sidebar_state="collapsed")
    problems_panel(result, warnings=False)  # the audience sees the story; the writing's warnings are for its editors

    url = flat(query_dict())
    if not ss.pop("_present_by_widget", False) and ss.get("_present_url") != url:  # a link or the address bar
        state, lesson, number, dark, notices = _from_url(chron)
        ss["present_state"], ss["present_step"], ss["present_dark"], ss["_present_notices"] = state, number, dark, notices
        ss["present_lesson"] = lesson
    state: ViewState = ss["present_state"]
    if ss.get("present_lesson") and lesson_by_id(chron, ss["present_lesson"]) is None:
        ss["present_lesson"] = ""  # the lesson was deleted from lessons.csv since
    lesson = ss.get("present_lesson", "")
    all_steps, timeline_strip = deck(chron, state, lesson)
    total = len(all_steps)
    number = ss["present_step"] = clamp(ss.get("present_step", 1), total)
    theme = "dark" if ss.get("present_dark") else "light"
    st.html(css(theme))
    st.html(KEYS_JS, unsafe_allow_javascript=True)

    prev, counter, nxt, toggle, take = st.columns([1.3, 1.4, 1.3, 1.4, 1.6], vertical_alignment="center")
    prev.button("◀ Previous", key="present_prev", on_click=_go, args=(-1, total), disabled=number <= 1, width="stretch")
    counter.html(f'<div class="deck-counter" data-testid="deck-counter">Step {number} of {total}</div>')
    nxt.button("Next ▶", key="present_next", on_click=_go, args=(1, total), disabled=number >= total, width="stretch")
    toggle.toggle("Dark theme", key="present_dark", on_change=_by_widget)
    with take:
        _downloads(chron, state, theme, lesson)
    for notice in ss.pop("_present_notices", []) or []:
        st.html(f'<div class="deck-notice">{esc(notice)} The link’s other settings were applied.</div>')

    step = all_steps[number - 1]
    query = {**({"lesson": lesson} if lesson else state.to_query_params()), **({"theme": "dark"} if theme == "dark" else {})}
    st.html(slide_html(step, timeline_strip, theme, query))
    if total == 2 and not lesson:
        st.info("No events match these filters: open the Timeline page and widen them.")
    if chron.lessons:  # under the slide: the projected screen shows the slide alone
        choices = ["", *(x.id for x in chron.lessons)]
        titles = {x.id: f"Lesson: {x.title} ({len(x.steps)} steps)" for x in chron.lessons}
        st.selectbox("Present a lesson, or the Timeline page's view", choices, key="present_lesson",
                     format_func=lambda i: titles.get(i, "The filtered view (Timeline page)"), on_change=_pick_lesson)
    _teacher_notes(step, state, lesson)
    st.caption("Keys: → or Page Down for the next step, ← or Page Up for the previous one (a presenter remote works). "
               "Click an event on the strip to jump to it.")

    params = {**query, "step": str(number)}
    ss["_present_url"] = params
    set_query(params)

