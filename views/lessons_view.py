"""The Lessons page: build a classroom lesson (new, or one of lessons.csv), preview its slides, save it.

Widgets in, calls to timeline.curation.lessons_edit out. A page that writes: it follows views/editing.py, and
the save is atomic and refused when lessons.csv changed since the page read it.
"""
from __future__ import annotations

import itertools
import re

import streamlit as st

from timeline.curation.curate import CurateError, StaleTables
from timeline.curation.lessons_edit import (LessonDraft, check, draft_of, new_draft, outlets_reporting, preview_lesson,
                                            read_rows, save_lesson)
from timeline.data.lessons import LESSONS, STEP_KIND_LABELS, StepKind
from timeline.present.html import css, slide_html
from timeline.present.steps import lesson_steps, strip
from timeline.render import esc
from views.common import _load, data_folder, flat, load, problems_panel, query_dict
from views.editing import editing_gate

NEW = "__new__"
_uids = itertools.count(1)


def _deck_css() -> str:
    """The slides' own rules of the Present page's styles, without those that restyle the whole app."""
    text = css("light")
    body = text[text.index("<style>") + 7:text.rindex("</style>")]
    rules = [r.strip() + "}" for r in body.split("}") if r.strip().startswith(".deck ") or r.strip().startswith(".deck {")]
    return "<style>" + "\n".join(rules) + "\n.lesson-preview{border:2px solid #c9d0d8;border-radius:8px;padding:1rem 1.5rem}</style>"


def _with_uids(draft: LessonDraft) -> LessonDraft:
    for step in draft.steps:
        step.setdefault("uid", str(next(_uids)))
    return draft


def _start(chron, pick: str) -> None:
    """A fresh draft of the lesson picked (or a new one), with lessons.csv as it is on disk now."""
    ss = st.session_state
    rows, digest = read_rows(data_folder())
    lesson = next((x for x in chron.lessons if x.id == pick), None)
    taken = {r.get("lesson_id", "").strip() for r in rows}
    ss["le_draft"] = _with_uids(draft_of(lesson, chron) if lesson else new_draft("New lesson", taken))
    ss["le_hash"] = digest
    ss["le_token"] = next(_uids)  # the title and id fields are new widgets for each draft: none keeps an old value
    for key in [k for k in ss if str(k).startswith(("le_text_", "le_notes_", "le_outlets_", "le_title_", "le_id_"))]:
        ss.pop(key, None)


def _on_pick() -> None:
    st.session_state["_le_restart"] = True
    st.session_state.pop("le_saved", None)


def _add(chron) -> None:
    ss = st.session_state
    kind, event = ss.get("le_new_kind") or "event", ss.get("le_new_event") or ""
    outlets = "; ".join(ss.get(f"le_new_outlets_{event}") or [])
    ss["le_draft"].add(kind, event if kind != "text" else "", outlets if kind != "text" else "", ss.get("le_new_text", "").strip())
    _with_uids(ss["le_draft"])
    ss["le_new_text"] = ""
    ss.pop(f"le_new_outlets_{event}", None)


def _move(index: int, by: int) -> None:
    st.session_state["le_draft"].move(index, by)


def _remove(index: int) -> None:
    st.session_state["le_draft"].remove(index)


def _event_label(chron, event_id: str) -> str:
    if not event_id:
        return "(no event)"
    e = chron.by_id.get(event_id)
    return f"{e.date_label} · {e.title}" if e else f"{event_id} (not in events.csv)"


def _problems(problems) -> None:
    items = "".join(f"<li><b>{esc(p.place)}</b>: {esc(p.message)}" + (f". <i>Fix: {esc(p.fix)}</i>" if p.fix else "") + "</li>"
                    for p in problems)
    st.html(f'<div role="alert" style="border:1px solid rgba(213,94,0,.5);border-radius:6px;padding:.4em .9em">'
            f'<b>Not ready to save:</b><ul style="margin:.3em 0">{items}</ul></div>')


def render() -> None:
    ss = st.session_state
    result = load()
    chron = result.chronology
    st.set_page_config(page_title=f"Lessons — {chron.story.title}")
    st.title("Lessons")
    st.markdown("Build a lesson for the Present page: choose the events and their order, put outlets side by side, "
               f"add questions and your own text. It is saved to {LESSONS} in the data folder.")
    if not editing_gate():
        return
    problems_panel(result, warnings=False)

    ids = [x.id for x in chron.lessons]
    if ss.get("_le_pick_next") in ids:  # just saved: go on editing the lesson as it now stands in the file
        ss["le_pick"] = ss.pop("_le_pick_next")
    titles = {x.id: f"{x.title} ({len(x.steps)} steps)" for x in chron.lessons}
    pick = st.selectbox("Lesson to edit", [NEW, *ids], key="le_pick", on_change=_on_pick,
                        format_func=lambda i: "A new lesson" if i == NEW else titles.get(i, i))
    if "le_draft" not in ss or ss.pop("_le_restart", False):
        _start(chron, pick)
    draft: LessonDraft = ss["le_draft"]

    left, right = st.columns([3, 2])
    token = ss["le_token"]
    draft.title = left.text_input("Title", value=draft.title, key=f"le_title_{token}", max_chars=120).strip()
    if draft.original_id is None:
        draft.lesson_id = right.text_input("Id (in the address: /present?lesson=…)", value=draft.lesson_id, key=f"le_id_{token}",
                                           help="Lower-case letters, digits and hyphens").strip()
    else:
        right.text_input("Id (in the address: /present?lesson=…)", value=draft.lesson_id, disabled=True, key=f"le_id_{token}")

    st.subheader(f"Steps ({len(draft.steps)})")
    if not draft.steps:
        st.info("No steps yet: add the first one below.")
    for i, step in enumerate(draft.steps):
        uid, kind = step["uid"], StepKind(step["kind"])
        with st.container(border=True):
            head, up, down, drop = st.columns([6, 1, 1, 1.4], vertical_alignment="center")
            about = _event_label(chron, step["event_id"]) if step["event_id"] else ""
            head.markdown(f"**Step {i + 1} · {STEP_KIND_LABELS[kind]}**" + (f" — {esc(about)}" if about else ""))
            up.button("↑", key=f"le_up_{uid}", on_click=_move, args=(i, -1), disabled=i == 0, help="Move up",
                      width="stretch")
            down.button("↓", key=f"le_down_{uid}", on_click=_move, args=(i, 1), disabled=i == len(draft.steps) - 1,
                        help="Move down", width="stretch")
            drop.button("Remove", key=f"le_rm_{uid}", on_click=_remove, args=(i,), width="stretch")
            if kind in (StepKind.event, StepKind.compare):
                choices = outlets_reporting(chron, step["event_id"])
                chosen = [o.strip() for o in step["outlets"].split(";") if o.strip()]
                picked = st.multiselect("Outlets (quoted in this order)" if kind is StepKind.compare else
                                        "Outlet quoted first (optional)", choices,
                                        default=[o for o in chosen if o in choices], key=f"le_outlets_{uid}")
                step["outlets"] = "; ".join(picked)
            if kind in (StepKind.question, StepKind.text):
                step["text"] = st.text_area("Question" if kind is StepKind.question else "Text on the slide",
                                            value=step["text"], key=f"le_text_{uid}", height=80).strip()
            step["notes"] = st.text_input("Speaker notes (not projected)", value=step["notes"], key=f"le_notes_{uid}").strip()

    with st.container(border=True):
        st.markdown("**Add a step**")
        a, b = st.columns([1, 3])
        kinds = [k.value for k in StepKind]
        kind = a.selectbox("Kind", kinds, key="le_new_kind", format_func=lambda k: STEP_KIND_LABELS[StepKind(k)])
        events = [""] + [e.id for e in chron.events]
        wanted = flat(query_dict()).get("event", "")  # from the Timeline page: /lessons?event=ID
        if wanted in chron.by_id and "le_new_event" not in ss:
            ss["le_new_event"] = wanted
        event = b.selectbox("Event (from the event list, in date order)", events, key="le_new_event",
                            format_func=lambda i: "(none)" if not i else _event_label(chron, i), disabled=kind == "text")
        if kind in ("event", "compare") and event:
            st.multiselect("Outlets (for a comparison, two or more)", outlets_reporting(chron, event),
                           key=f"le_new_outlets_{event}")
        if kind in ("question", "text"):
            st.text_area("Question" if kind == "question" else "Text on the slide", key="le_new_text", height=80)
        st.button("Add step", key="le_add", on_click=_add, args=(chron,))

    rows, _ = read_rows(data_folder())
    problems = check(draft, rows, chron)
    lesson = preview_lesson(draft, chron) if not problems else None

    st.subheader("Preview")
    if lesson is None:
        _problems(problems)
    else:
        all_steps = lesson_steps(chron, lesson)
        number = st.select_slider("Slide", options=list(range(1, len(all_steps) + 1)), key="le_preview",
                                  value=min(ss.get("le_preview", 1), len(all_steps)))
        st.html(_deck_css() + '<div class="lesson-preview">'
                + re.sub(r'href="\?[^"]*"', 'href="#"', slide_html(all_steps[number - 1], strip(all_steps))) + "</div>")

    saved = ss.get("le_saved")
    if st.button("Save lesson", key="le_save", type="primary", disabled=lesson is None):
        try:
            done = save_lesson(data_folder(), draft, ss.get("le_hash"), chron)
        except StaleTables as err:
            st.error(f"{err}.")
            st.button("Reload the lessons (your changes here are lost)", key="le_reload", on_click=_on_pick)
            return
        except CurateError as err:
            st.error(f"{err}.")
            return
        _load.clear()
        ss["le_saved"] = saved = {"id": done.lesson_id, "steps": done.steps, "row": done.first_row}
        ss["_le_restart"] = True
        ss["_le_pick_next"] = done.lesson_id
        st.rerun()
    if saved:
        st.success(f"Saved “{saved['id']}”: {saved['steps']} steps, from row {saved['row']} of {LESSONS} "
                   f"(the previous version is kept as {LESSONS}.bak).")
        st.page_link("views/page_present.py", label="Present this lesson", query_params={"lesson": saved["id"]})
