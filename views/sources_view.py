"""The source reader: each article in full, cited passages highlighted and linked to their events."""
from __future__ import annotations

import streamlit as st

from timeline.render import CSS, block, esc, md_safe, safe_url, source_html
from views.common import page_chronology, query_dict, set_query


def render() -> None:
    ss = st.session_state
    chron = page_chronology(CSS, need="sources")
    ids = sorted(chron.sources, key=lambda s: chron.sources[s].published.sort_key)
    params = {k: v[-1] for k, v in query_dict().items() if v}
    if ss.get("_reader_url") != params:
        ss["_reader_url"] = params
        wanted = params.get("source")
        if wanted in chron.sources:
            ss["w_source"] = wanted
        elif wanted:
            st.warning(md_safe(f'There is no source "{wanted}"; showing the first one.'), icon="ℹ️")
        ss["_focus"] = params.get("event") if params.get("event") in chron.by_id else None

    st.title("Sources")
    source_id = st.selectbox("Article", ids, key="w_source",
                             format_func=lambda s: f"{chron.sources[s].outlet} — {chron.sources[s].published_label}")
    source = chron.sources[source_id]
    focus = ss.get("_focus")
    if focus and focus not in {p.event_id for p in chron.passages_in(source_id)}:
        focus = None

    st.markdown(block(f"<h2>{esc(source.headline)}" + (" <em>(descriptive title)</em>" if source.headline_descriptive else "")
                      + "</h2>"), unsafe_allow_html=True)
    left, right = st.columns([2, 1])
    with left:
        st.markdown(block(f"<p><strong>Outlet:</strong> {esc(source.outlet)} — {esc(source.outlet_description)}</p>"
                          f"<p><strong>Published:</strong> {esc(source.published_label)}. {esc(source.published_note)}</p>"),
                    unsafe_allow_html=True)
        url = safe_url(source.url)
        if url:
            st.markdown(block(f'<p><strong>Address given in the text:</strong> '
                              f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(url)}</a></p>'), unsafe_allow_html=True)
        if source.notes:
            st.markdown(block(f"<p><strong>Notes:</strong> {esc(source.notes)}</p>"), unsafe_allow_html=True)
    with right:
        passages = chron.passages_in(source_id)
        events = {p.event_id for p in passages}
        st.metric("Passages cited", len(passages))
        st.metric("Events supported", len(events))
    st.caption("Highlighted: passages cited on the timeline, each followed by the event it supports (click to open it). "
               "Greyed italic lines: page furniture from the scraped web page (banners, widgets, bylines), kept as scraped.")
    if focus:
        st.info(md_safe(f"Passages supporting “{chron.by_id[focus].title}” are outlined."))
    st.markdown(source_html(chron, source_id, focus), unsafe_allow_html=True)
    query = {"source": source_id}
    if focus:
        query["event"] = focus
    ss["_reader_url"] = query
    set_query(query)
