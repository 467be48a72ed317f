"""The main page: filters in the sidebar, the timeline, the selected event, the table."""
from __future__ import annotations

from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

from timeline.chart.figure import build_figure
from timeline.chart.layout import MAX_SLOTS
from timeline.chart.screen import DETAIL_SHARE, neighbour, screen
from timeline.filters import DENSITY_CHOICES, LANE_CHOICES, SCALE_CHOICES, ViewState, box_dates, filter_events
from timeline.lens import corroboration_label, outlet_count, relation_links, shared_affiliation_note
from timeline.data.models import Kind
from timeline.data.perf import Kept
from timeline.render import CSS, block, date_line, esc, events_table_html, kind_badge, md_safe, passage_html, reader_link
from timeline.chart.vertical import key_html, vertical_html
from timeline.outputs.alttext import alt_text
from views.common import dark_theme, flat, hold_warm_up, page_chronology, query_dict, set_query
from views.editing import write_pages_visible
from views.export_panel import panel as export_panel
from views.filter_panel import FilterPanel
from views.screen import from_browser, probe, vertical_list

LANE_NAMES = {"category": "Category", "actor": "Actor", "source": "Source"}
SCALE_NAMES = {"calendar": "Calendar", "order": "Event order"}
DENSITY_NAMES = {"compact": "Compact", "roomy": "Roomy"}
ROOMY_SLOTS = MAX_SLOTS + 1  # label rows on each side of a lane in the roomy density, where height is no limit
MAX_PICK = 1000  # events offered in the "Event" list at most
MAX_TABLE = 1000  # rows of the Events table at most: 100,000 rows would be 22 MB sent on every visit, before the chart draws
PANEL = FilterPanel("w")  # search, dates, kind, category, actor, outlet: w_search, w_dates, ...
W = {"lanes": "w_lanes", "scale": "w_scale", "density": "w_density", "dates": PANEL.key("dates"), "event": "w_event",
     "links": "w_links"}
PAGE_CSS = """
<style>
.st-key-screen_probe{display:none}
@media (min-width: 640px){[data-testid="stMainBlockContainer"]{padding-left:1.5rem;padding-right:1.5rem}}
.st-key-detail{padding-right:.25rem}
.st-key-chart .modebar{left:2px !important;right:auto !important;top:0 !important}
.st-key-detail h3{margin-top:0;padding-top:0;font-size:1.3rem;line-height:1.3}
.st-key-detail p, .st-key-detail blockquote{font-size:.95rem;margin-bottom:.35rem}
.st-key-detail [data-testid="stVerticalBlock"]{gap:.55rem}
.chart-key{font-size:.85rem;margin:-.6rem 0 .2rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.chart-key svg{vertical-align:-2px}
.walk-at{margin:0;font-size:.85rem}
.events-table{font-size:.85rem;border-collapse:collapse;width:100%}
.events-table caption{text-align:left;font-weight:600;padding:.2rem 0}
.events-table th, .events-table td{border-bottom:1px solid rgba(127,127,127,.35);padding:.2rem .4rem;text-align:left;vertical-align:top}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
</style>
"""


def _apply(state: ViewState, bounds) -> None:
    """Put a view state into the widgets (before they are drawn)."""
    PANEL.apply(state, bounds)
    st.session_state[W["lanes"]] = state.lanes
    st.session_state[W["scale"]] = state.scale
    st.session_state[W["density"]] = state.density
    st.session_state[W["event"]] = state.selected


def _select(event_id: str | None) -> None:
    st.session_state[W["event"]] = event_id


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
    return PANEL.read(bounds, lanes=ss.get(W["lanes"]) or "category", scale=ss.get(W["scale"]) or "calendar",
                      density=ss.get(W["density"]) or "compact", selected=ss.get(W["event"]))


NOTES = Kept(4)  # the outlets' note of the data state: it sorts every source


def sidebar(chron, bounds, stamp: tuple) -> None:
    outlets_help = NOTES.get(stamp, lambda: " ".join(["Corroboration counts outlets.", shared_affiliation_note(chron)]).strip())
    with st.sidebar:
        st.segmented_control("Lanes by", LANE_CHOICES, key=W["lanes"], format_func=LANE_NAMES.get, required=True)
        st.segmented_control("Time scale", SCALE_CHOICES, key=W["scale"], format_func=SCALE_NAMES.get, required=True,
                             help="Calendar: distance is time (a long empty stretch breaks the axis). Event order: the "
                                  "events evenly spaced in date order, with a line where each year starts and the "
                                  "length of long gaps written on the axis, so crowded years can be read.")
        st.segmented_control("Density", DENSITY_CHOICES, key=W["density"], format_func=DENSITY_NAMES.get, required=True,
                             help="Compact: the whole chart fits the window, with fewer labels. Roomy: every lane as "
                                  "tall as its labels need.")
        if chron.relations:
            st.checkbox("Draw “responds to” links", key=W["links"], help="Arrows from an event to the response to it "
                        "(relations.csv). See the Source lens page for claims and counter-claims.")
        st.header("Filters")
        PANEL.draw(chron, bounds, sources=list(chron.sources), on_reset=_reset, reset_args=(bounds,),
                   outlets_help=outlets_help)
        if chron.vocabulary.get("category") or chron.vocabulary.get("actor"):
            st.caption("Categories and actors are defined in vocabulary.csv.")


def _close() -> None:
    st.session_state[W["event"]] = None


def walk_buttons(ids: list[str], event_id: str, where: str, rerun: bool = False) -> None:
    """Previous, next and close, and the event's place in the view: its events in date order."""
    at = ids.index(event_id) + 1 if event_id in ids else None
    prev, nxt = neighbour(ids, event_id, -1), neighbour(ids, event_id, 1)
    row = st.container(horizontal=True, gap="small")  # one row even on a phone (columns would stack)
    pressed = [
        row.button("Previous", key=f"{where}_prev", on_click=_select, args=(prev,), disabled=prev is None,
                       help="The event before this one in the view (← key)"),
        row.button("Next", key=f"{where}_next", on_click=_select, args=(nxt,), disabled=nxt is None,
                       help="The event after this one in the view (→ key)"),
        row.button("Close", key=f"{where}_close", on_click=_close, help="Back to the overview"),
    ]
    st.markdown(block(f'<p class="walk-at">Event {at:,} of {len(ids):,} in this view, in date order</p>' if at else
                      '<p class="walk-at">Not in this view</p>'), unsafe_allow_html=True)
    if rerun and any(pressed):  # in a dialog a button reruns the dialog only: the page must follow
        st.rerun()


def event_detail(chron, event_id: str, visible: bool, title: bool = True) -> None:
    event = chron.by_id[event_id]
    if not visible:
        st.warning("This event is hidden by the current filters; it is shown here because it is selected.")
    if title:
        st.markdown(block(f"<h3>{esc(event.title)}</h3>"), unsafe_allow_html=True)
    st.markdown(block(f"<p>{kind_badge(event)}{date_line(event)}</p>"), unsafe_allow_html=True)
    if event.kind is Kind.claim:
        st.markdown(block(f"<p><strong>Claim made by:</strong> {esc(event.claimed_by)}</p>"), unsafe_allow_html=True)
    elif event.claimed_by:
        st.markdown(block(f"<p><strong>Figure from:</strong> {esc(event.claimed_by)}</p>"), unsafe_allow_html=True)
    st.markdown(block(f"<p>{esc(event.summary)}</p>"), unsafe_allow_html=True)
    passages = chron.passages_for(event_id)
    outlets = {p.source.outlet for p in passages}
    st.markdown(f"**In the sources** — {len(passages)} passage{'s' if len(passages) != 1 else ''} "
                f"from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''}"
                + (" (single source)" if len(outlets) == 1 else ""))
    for p in passages:
        st.markdown(passage_html(p, link=reader_link(p.source.id, event_id)), unsafe_allow_html=True)
    actors = ", ".join(chron.label("actor", a) for a in event.actors)
    st.caption(md_safe(f"Category: {chron.label('category', event.category)} · Actors: {actors}"))
    lens_url = "./lens?" + urlencode({"event": event_id, "lens": "Framing"}, quote_via=quote)
    links = [f'<a href="{esc(lens_url)}" target="_self">Compare the outlets and related accounts in the Source lens →</a>']
    if write_pages_visible():  # the pages that write are listed: the Edit page and the lesson editor take the event
        for page, words in (("edit", "Edit this event"), ("lessons", "Add it to a lesson")):
            links.append(f'<a href="./{page}?{esc(urlencode({"event": event_id}, quote_via=quote))}" target="_self">{words} →</a>')
    st.markdown(block("<p>" + "<br>".join(links) + "</p>"), unsafe_allow_html=True)


def _sheet(chron, event_id: str, visible: bool, ids: list[str]) -> None:
    """The detail over the page (a phone's sheet, a narrow window's dialog); closing it returns to the overview."""
    def body():
        walk_buttons(ids, event_id, "sheet", rerun=True)
        event_detail(chron, event_id, visible, title=False)
    st.dialog(md_safe(chron.by_id[event_id].title), width="large", on_dismiss=_close)(body)()


def _picker(chron, shown: pd.DataFrame, state: ViewState) -> None:
    ids = shown["id"].tolist()
    options = ids[:MAX_PICK]  # a list of 100,000 would be slow to send and useless to scroll
    first = shown.iloc[:MAX_PICK]
    names = dict(zip(options, (f"{d} · {t}" for d, t in zip(first["date_label"].tolist(), first["title"].tolist()))))
    if state.selected is not None and state.selected not in names:  # hidden by the filters: from the events
        event = chron.by_id[state.selected]
        options, names[state.selected] = [state.selected, *options], f"{event.date_label} · {event.title}"
    st.selectbox("Event", [None, *options], key=W["event"], placeholder="Pick an event to see its sources",
                 format_func=lambda i: "—" if i is None else names[i])
    if len(ids) > MAX_PICK:
        st.caption(f"The list offers the first {MAX_PICK:,} of {len(ids):,} events; narrow the filters, or click a marker "
                   "or a row of the table, to pick any other.")


FIGURES = Kept(4)  # the page's finished figures and alt texts, for every session: a later visit draws the one made


def _figure(chron, shown, state: ViewState, layout, links: bool, dark: bool, stamp: tuple):
    """The chart as the page sends it, and its alt text: made once per data state, view, size, links and theme."""
    fig = build_figure(shown, lanes=state.lanes, selected=state.selected, width=layout.chart_width,
                       height=layout.chart_height, links=relation_links(chron, shown) if links else None,
                       window=state.window, scale=state.scale, axis_top=True, number_labels=False,
                       theme="dark" if dark else "light", max_slots=ROOMY_SLOTS if layout.chart_height is None else MAX_SLOTS,
                       small_labels=True,  # a compact chart steps its labels down a size before leaving events out
                       plan_key=(stamp, state.model_copy(update={"selected": None})),
                       keep_unselected=True)  # a click picks an event: the others keep their colour
    merged = any(t.type == "scattergl" for t in fig.data)
    order = state.scale == "order"  # x is a position, not a date: no period to drag across
    # Zooming in narrows the view (the Dates filter) on the server, so the labels are laid out again: a period
    # dragged across the chart (a big view's drag; the Box Select tool of a small one, whose drag zooms plotly).
    # The toolbar keeps three tools and sits at the top left, over the lane names, clear of the year ticks.
    fig.update_layout(width=None, selectdirection="h", **({"dragmode": "select"} if merged and not order else {}))
    return fig, merged, esc(alt_text(chron, shown, state))


def _chart(chron, shown, state: ViewState, layout, stamp: tuple) -> None:
    ss = st.session_state
    bounds = chron.date_range
    links, dark = bool(ss.get(W["links"])), dark_theme()
    fig, merged, alt = FIGURES.get((stamp, state, layout, links, dark),
                                   lambda: _figure(chron, shown, state, layout, links, dark, stamp))
    order = state.scale == "order"
    st.markdown(f'<p class="sr-only">{alt}</p>', unsafe_allow_html=True)
    drop = ["lasso2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "toImage", *(["select2d"] if order else [])]
    st.plotly_chart(fig, key="chart", on_select="rerun", selection_mode=("points",) if order else ("points", "box"),
                    width="stretch", config={"displaylogo": False, "scrollZoom": False, "modeBarButtonsToRemove": drop})
    if merged:
        st.caption(f"{len(shown):,} events: each marker stands for the events of its kind at that spot of the lane "
                   "(hover says how many). Drag across a period to zoom in to it: fewer events, each with its marker, "
                   "more labels. Hollow markers: approximate dates.")
    else:
        st.markdown(key_html(sorted(set(shown["kind"]))), unsafe_allow_html=True)
        st.caption("Click a marker, pick an event, or use ← and →, for the sources' own words. Hover over a marker "
                   "without a label for its title. "
                   + ("Event order: the events evenly spaced by date, not to scale; a dotted line starts each year, "
                      "and // marks a long gap, its length written above." if order else
                      "To zoom in to a period with more labels, choose Box Select in the chart's toolbar (top left) "
                      "and drag across it."))
    with st.expander("The chart as text: what it shows, and its events in a table"):
        st.markdown(block(f"<p>{alt}</p>"), unsafe_allow_html=True)
        st.markdown(events_table_html(shown), unsafe_allow_html=True)
    if state.date_from or state.date_to:
        st.button("Zoom out to all dates", on_click=_all_dates, args=(bounds,), key="zoom_out")


def render() -> None:
    ss = st.session_state
    chron, stamp = page_chronology(CSS + PAGE_CSS, stamped=True)  # the stamp stats every file of the folder: once a run
    frame = chron.frame
    bounds = chron.date_range

    url = flat(query_dict())
    if ss.get("_url_written") != url:
        state, notices = ViewState.from_query_params(query_dict(), chron)
        _apply(state, bounds)
        ss["_notices"] = notices
    size, walk = probe(walk=bool(ss.get(W["event"])))
    size = size or {}
    picked = _picked("chart", bounds) or _picked("table", bounds)
    if picked and picked in chron.by_id:
        ss[W["event"]] = picked

    sidebar(chron, bounds, stamp)
    state = _view_from_widgets(bounds)
    shown = filter_events(frame, state)
    ids = shown["id"].tolist()
    if walk and state.selected:
        ss[W["event"]] = neighbour(ids, state.selected, 1 if walk == "next" else -1) or state.selected
        state = _view_from_widgets(bounds)
    layout = screen(size.get("width"), size.get("height"), state.density, size.get("top"), detail=bool(state.selected))

    st.title(chron.story.title)
    for notice in ss.pop("_notices", []) or []:
        st.warning(md_safe(f"{notice} The link's other settings were applied."), icon="ℹ️")
    st.markdown(block(f"<p><strong>{len(shown):,} of {len(frame):,} events</strong> · {esc(state.describe(chron))}</p>",
                      "summary"), unsafe_allow_html=True)

    if not size and from_browser() and not shown.empty:
        # A browser new to the page has not said its size yet (it does as soon as this run ends): a chart laid out
        # for a guess would be sent, drawn and then replaced. The heading and a space of the chart's height stand,
        # where the chart will (after the same hidden paragraph: its top, measured, is the chart's), and the data
        # still to be unpickled waits for the run that sends the chart.
        st.markdown('<p class="sr-only">The chart is being laid out for this window.</p>', unsafe_allow_html=True)
        with st.container(key="chart_wait", height=layout.chart_height or 480, border=False):
            st.caption("Laying out the chart for this window…")
        hold_warm_up()
        return
    if shown.empty:
        st.info("No events match these filters. Widen the date range, remove a kind, category, actor or outlet, "
                "or clear the search — or reset all filters.")
        st.button("Reset all filters", on_click=_reset, args=(bounds,), key="reset_empty")
        _picker(chron, shown, state)
    elif layout.beside and not state.selected:  # the overview: the whole width for the chart and its labels
        _chart(chron, shown, state, layout, stamp)
        with st.columns([1 - DETAIL_SHARE, DETAIL_SHARE], gap="medium")[0], st.container(key="pick"):
            _picker(chron, shown, state)  # the caption above says how else to open an event
    elif layout.beside:
        left, right = st.columns([1 - DETAIL_SHARE, DETAIL_SHARE], gap="medium")
        with left:
            _chart(chron, shown, state, layout, stamp)
        with right, st.container(key="detail"):
            _picker(chron, shown, state)
            state = _view_from_widgets(bounds)
            if state.selected:
                walk_buttons(ids, state.selected, "side")
                event_detail(chron, state.selected, state.selected in ids)
    else:
        if layout.mode == "phone":
            tapped = vertical_list(vertical_html(shown, state.selected), focus=False)
            if tapped and tapped in chron.by_id:
                ss[W["event"]] = tapped
        else:
            _chart(chron, shown, state, layout, stamp)
        _picker(chron, shown, state)
        state = _view_from_widgets(bounds)
        if state.selected:
            _sheet(chron, state.selected, state.selected in ids, ids)

    if not shown.empty:
        export_panel(chron, state, stamp, shown)
        view = {k: v for k, v in state.to_query_params().items() if k != "lanes"}
        left, right = st.columns(2)
        left.page_link("views/page_present.py", label="Present this view in class", query_params=view)
        right.page_link("views/page_lens.py", label="Compare the outlets on this view", query_params=view)
        with st.expander(f"Events: the view's {len(shown):,} in a table (pick a row to open one)"):
            listed = shown.iloc[:MAX_TABLE]
            if len(shown) > MAX_TABLE:
                st.caption(f"The first {MAX_TABLE:,} of the view's {len(shown):,} events, in date order. Narrow the filters "
                           "to list others, or export the view as CSV for all of them.")
            table = listed[["start", "date_label", "title", "kind_label", "category_label", "n_sources"]].rename(columns={
                "start": "Sort date", "date_label": "Date", "title": "Title", "kind_label": "Kind",
                "category_label": "Category", "n_sources": "Sources"})
            n_outlets = pd.Series(map(outlet_count, listed["outlets"].to_numpy()), index=table.index, dtype="int64")
            table["Corroboration"] = n_outlets.map({n: corroboration_label(n) for n in n_outlets.unique()})
            ss["_table_ids"] = ids[:MAX_TABLE]
            st.dataframe(table, key="table", on_select="rerun", selection_mode="single-row", hide_index=True, width="stretch",
                         column_config={"Sources": st.column_config.NumberColumn(help="Number of articles that report it")})
    set_query(state.to_query_params())
