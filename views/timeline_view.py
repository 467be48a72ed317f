"""The main page: filters in the sidebar, the timeline, the selected event, the table."""
from __future__ import annotations

from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

from timeline.chart.figure import build_figure
from timeline.filters import LANE_CHOICES, ViewState, box_dates, filter_events
from timeline.lens import corroboration_label, outlet_count, relation_links, shared_affiliation_note
from timeline.data.models import Kind
from timeline.render import CSS, block, date_line, esc, kind_badge, md_safe, passage_html, reader_link
from views.common import data_stamp, flat, page_chronology, query_dict, set_query
from views.export_panel import panel as export_panel
from views.filter_panel import FilterPanel

LANE_NAMES = {"category": "Category", "actor": "Actor", "source": "Source"}
CHART_WIDTH = 840  # labels are laid out for the narrowest expected chart; wider screens only add room
MAX_PICK = 1000  # events offered in the "Event" list at most
PANEL = FilterPanel("w")  # search, dates, kind, category, actor, outlet: w_search, w_dates, ...
W = {"lanes": "w_lanes", "dates": PANEL.key("dates"), "event": "w_event", "links": "w_links"}


def _apply(state: ViewState, bounds) -> None:
    """Put a view state into the widgets (before they are drawn)."""
    PANEL.apply(state, bounds)
    st.session_state[W["lanes"]] = state.lanes
    st.session_state[W["event"]] = state.selected


def _all_dates(bounds) -> None:
    st.session_state[W["dates"]] = tuple(bounds)


def _reset(bounds) -> None:
    _apply(ViewState(), bounds)


def _picked(key: str, bounds) -> str | None:
    """An event newly picked on the chart or in the table, if any; a period dragged across the chart zooms in to it."""
    ss = st.session_state
    sel = ss.get(key)
    if not sel:
        return None
    selection = sel.get("selection", {}) if isinstance(sel, dict) else getattr(sel, "selection", {})
    signature = repr(selection)
    if ss.get(f"_seen_{key}") == signature:
        return None
    ss[f"_seen_{key}"] = signature
    if key == "chart":
        if selection.get("box"):  # a period dragged across: zoom in to it (the Dates filter)
            span = box_dates(selection["box"][0].get("x", []), bounds)
            if span:
                ss[W["dates"]] = span
            return None
        for point in selection.get("points", []):
            data = point.get("customdata")
            if isinstance(data, (list, tuple)) and data:
                return str(data[0])
            if isinstance(data, str):
                return data
    else:
        rows = selection.get("rows", [])
        shown = ss.get("_table_ids", [])
        if rows and rows[0] < len(shown):
            return shown[rows[0]]
    return None


def _view_from_widgets(bounds) -> ViewState:
    ss = st.session_state
    return PANEL.read(bounds, lanes=ss.get(W["lanes"]) or "category", selected=ss.get(W["event"]))


def sidebar(chron, bounds) -> None:
    with st.sidebar:
        st.segmented_control("Lanes by", LANE_CHOICES, key=W["lanes"], format_func=LANE_NAMES.get, required=True)
        if chron.relations:
            st.checkbox("Draw “responds to” links", key=W["links"], help="Arrows from an event to the response to it "
                        "(relations.csv). See the Source lens page for claims and counter-claims.")
        st.header("Filters")
        PANEL.draw(chron, bounds, sources=list(chron.sources), on_reset=_reset, reset_args=(bounds,),
                   outlets_help=" ".join(["Corroboration counts outlets.", shared_affiliation_note(chron)]).strip())
        if chron.vocabulary.get("category") or chron.vocabulary.get("actor"):
            st.caption("Categories and actors are defined in vocabulary.csv.")


def event_detail(chron, event_id: str, visible: bool) -> None:
    event = chron.by_id[event_id]
    if not visible:
        st.warning("This event is hidden by the current filters; it is shown here because it is selected.")
    st.markdown(block(f"<h3>{esc(event.title)}</h3>"), unsafe_allow_html=True)
    st.markdown(block(f"<p>{kind_badge(event)}{date_line(event)}</p>"), unsafe_allow_html=True)
    if event.kind is Kind.claim:
        st.markdown(block(f"<p><strong>Claim made by:</strong> {esc(event.claimed_by)}</p>"), unsafe_allow_html=True)
    elif event.claimed_by:
        st.markdown(block(f"<p><strong>Figure from:</strong> {esc(event.claimed_by)}</p>"), unsafe_allow_html=True)
    st.markdown(block(f"<p>{esc(event.summary)}</p>"), unsafe_allow_html=True)
    actors = ", ".join(chron.label("actor", a) for a in event.actors)
    st.caption(md_safe(f"Category: {chron.label('category', event.category)} · Actors: {actors}"))
    passages = chron.passages_for(event_id)
    outlets = {p.source.outlet for p in passages}
    st.markdown(f"**In the sources** — {len(passages)} passage{'s' if len(passages) != 1 else ''} "
                f"from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"
                + (" (single source)" if len(outlets) == 1 else ""))
    for p in passages:
        st.markdown(passage_html(p, link=reader_link(p.source.id, event_id)), unsafe_allow_html=True)
    lens_url = "./lens?" + urlencode({"event": event_id, "lens": "Framing"}, quote_via=quote)
    st.markdown(block(f'<p><a href="{esc(lens_url)}" target="_self">Compare the outlets and related accounts '
                      "in the Source lens →</a></p>"), unsafe_allow_html=True)


def render() -> None:
    ss = st.session_state
    chron = page_chronology(CSS)
    frame = chron.frame
    bounds = chron.date_range

    url = flat(query_dict())
    if ss.get("_url_written") != url:
        state, notices = ViewState.from_query_params(query_dict(), chron)
        _apply(state, bounds)
        ss["_notices"] = notices
    picked = _picked("chart", bounds) or _picked("table", bounds)
    if picked in chron.by_id:
        ss[W["event"]] = picked

    sidebar(chron, bounds)
    state = _view_from_widgets(bounds)
    shown = filter_events(frame, state)

    st.title(chron.story.title)
    for notice in ss.pop("_notices", []) or []:
        st.warning(md_safe(f"{notice} The link's other settings were applied."), icon="ℹ️")
    st.markdown(block(f"<p><strong>{len(shown):,} of {len(frame):,} events</strong> · {esc(state.describe(chron))}</p>",
                      "summary"), unsafe_allow_html=True)

    if shown.empty:
        st.info("No events match these filters. Widen the date range, remove a kind, category, actor or outlet, "
                "or clear the search — or reset all filters.")
        st.button("Reset all filters", on_click=_reset, args=(bounds,), key="reset_empty")
    else:
        fig = build_figure(shown, lanes=state.lanes, selected=state.selected, width=CHART_WIDTH,
                           links=relation_links(chron, shown) if ss.get(W["links"]) else None, window=state.window)
        merged = any(t.type == "scattergl" for t in fig.data)
        # Zooming in narrows the view (the Dates filter) on the server, so the labels are laid out again: a period
        # dragged across the chart (a big view's drag; the Box Select tool of a small one, whose drag zooms plotly).
        fig.update_layout(width=None, selectdirection="h", **({"dragmode": "select"} if merged else {}))
        st.plotly_chart(fig, key="chart", on_select="rerun", selection_mode=("points", "box"), width="stretch",
                        config={"displaylogo": False, "scrollZoom": False, "modeBarButtonsToRemove": ["lasso2d"],
                                "toImageButtonOptions": {"format": "png", "filename": chron.story.slug, "scale": 2}})
        if merged:
            st.caption(f"{len(shown):,} events: each marker stands for the events of its kind at that spot of the lane "
                       "(hover says how many). Drag across a period to zoom in to it: fewer events, each with its marker, "
                       "more labels. Hollow markers: approximate dates.")
        else:
            st.caption("Filled markers: dated to the day. Bands: month or year precision. Hollow markers, dashed bands: "
                       "approximate. Click a marker, or pick below, for the sources' own words. To zoom in with more "
                       "labels, choose Box Select in the chart's toolbar and drag across a period.")
        if state.date_from or state.date_to:
            st.button("Zoom out to all dates", on_click=_all_dates, args=(bounds,), key="zoom_out")
        export_panel(chron, state, data_stamp(), shown)
        view = {k: v for k, v in state.to_query_params().items() if k != "lanes"}
        left, right = st.columns(2)
        left.page_link("views/page_present.py", label="Present this view in class", query_params=view)
        right.page_link("views/page_lens.py", label="Compare the outlets on this view", query_params=view)

    ids = shown["id"].tolist()
    options = ids[:MAX_PICK]  # a list of 100,000 would be slow to send and useless to scroll
    if state.selected is not None and state.selected not in options:
        options = [state.selected, *options]
    st.selectbox("Event", [None, *options], key=W["event"], placeholder="Pick an event to see its sources",
                 format_func=lambda i: "—" if i is None else f"{chron.by_id[i].date_label} · {chron.by_id[i].title}")
    if len(ids) > MAX_PICK:
        st.caption(f"The list offers the first {MAX_PICK:,} of {len(ids):,} events; narrow the filters, or click a marker "
                   "or a row of the table, to pick any other.")
    state = _view_from_widgets(bounds)
    if state.selected:
        event_detail(chron, state.selected, state.selected in ids)

    if not shown.empty:
        st.subheader("Events")
        table = shown[["start", "date_label", "title", "kind_label", "category_label", "n_sources"]].rename(columns={
            "start": "Sort date", "date_label": "Date", "title": "Title", "kind_label": "Kind",
            "category_label": "Category", "n_sources": "Sources"})
        n_outlets = pd.Series(map(outlet_count, shown["outlets"].to_numpy()), index=table.index, dtype="int64")
        table["Corroboration"] = n_outlets.map({n: corroboration_label(n) for n in n_outlets.unique()})
        ss["_table_ids"] = ids
        st.dataframe(table, key="table", on_select="rerun", selection_mode="single-row", hide_index=True, width="stretch",
                     column_config={"Sources": st.column_config.NumberColumn(help="Number of articles that report it")})
    set_query(state.to_query_params())
