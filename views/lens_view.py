"""The source lens: who reports what, their wording side by side, claims against counter-claims, figures.

Layout only: the logic is in timeline/lens.py. Filters are the timeline's (the same URL
parameters), with their own widgets in the sidebar; the active tab is in the URL as `lens`.
Every piece of data text goes through esc() inside a block-level element.
"""
from __future__ import annotations

from urllib.parse import quote, urlencode

import streamlit as st

from timeline import lens
from timeline.filters import ViewState, filter_events
from timeline.data.lens_data import RELATION_LABELS, RelationKind
from timeline.data.models import Kind
from timeline.data.references import formatted_citations
from timeline.render import CSS, block, esc, kind_badge, md_safe, reader_link, themed, timeline_link
from views.common import flat, page_chronology, query_dict
from views.filter_panel import FilterPanel

TAB_PARAM = "lens"
TABS = ["Sources", "Coverage", "Framing", "Claims and counter-claims", "Figures"]
PANEL = FilterPanel("l")  # the timeline's filters, with their own widgets: l_search, l_dates, ...
RELATION_COLOURS = {RelationKind.disputes: "#D55E00", RelationKind.responds_to: "#0072B2", RelationKind.supports: "#009E73"}
# The chip's words in a darker shade of the relation's colour, for WCAG AA contrast on its tint (5:1 or more)
RELATION_TEXT = {RelationKind.disputes: "#a84a00", RelationKind.responds_to: "#005a8c", RelationKind.supports: "#00704f"}
RELATION_TEXT_DARK = {RelationKind.disputes: "#f2a56d", RelationKind.responds_to: "#85b8f8", RelationKind.supports: "#7ed5b0"}
# Caps for large data folders (the shipped story has 5 articles and 38 events: none applies).
MAX_PROFILES, MAX_LIST, MAX_ROWS, MAX_COLUMNS, MAX_PICK = 15, 40, 300, 12, 1000
SIDE_NAMES = {RelationKind.disputes: ("One account", "The other account"),
              RelationKind.supports: ("One account", "The other account"),
              RelationKind.responds_to: ("What is answered", "The response")}

LENS_CSS = """
<style>
.lens p{margin:.25em 0 .5em 0;line-height:1.5}
.lens .muted{opacity:.72;font-size:.9em}
.lens .chip{display:inline-block;border-radius:999px;padding:0 .6em;font-size:.8em;font-weight:600;margin:0 .3em .1em 0;
  background:rgba(127,127,127,.14);white-space:nowrap}
.lens .chip.single{background:rgba(213,94,0,.14);color:light-dark(#b34a00, #f2a56d)}
.lens .chip.multi{background:rgba(0,158,115,.16);color:light-dark(#00785a, #7ed5b0)}
.lens .chip.affil{background:rgba(204,121,167,.18);color:light-dark(#9b4f7c, #e6a3c9)}
.lens h4{margin:.1em 0 .2em 0;font-size:1.25rem}
.lens h5{margin:.2em 0 .3em 0;font-size:1.02rem}
.lens ul.events{list-style:none;padding:0;margin:.3em 0}
.lens ul.events li{display:grid;grid-template-columns:8.6em 1fr;column-gap:.6em;padding:.28em 0;
  border-bottom:1px solid rgba(127,127,127,.15);font-size:.93em}
.lens ul.events .date{opacity:.75}
.lens ul.events li .badge, .lens table.grid .badge{font-size:.72em;padding:0 .35em;border-width:1.5px;margin-left:.3em}
.lens table.grid{border-collapse:collapse;width:100%;font-size:.88em;table-layout:fixed}
.lens table.grid th,.lens table.grid td{border-bottom:1px solid rgba(127,127,127,.18);padding:.3em .45em;vertical-align:top;text-align:left}
.lens table.grid thead th{position:sticky;top:0;background:light-dark(#fff, #171614);font-weight:600}
.lens table.grid td.cell{text-align:center}
.lens td.rep{background:rgba(0,114,178,.16);font-weight:700;color:light-dark(#005a8c, #85b8f8)}
.lens td.later{background:repeating-linear-gradient(45deg,rgba(127,127,127,.10) 0 4px,transparent 4px 8px);color:rgba(127,127,127,.9)}
.lens td.none{color:rgba(127,127,127,.55)}
.lens tfoot td{font-weight:600;border-top:2px solid rgba(127,127,127,.35)}
.lens .relnote{border-left:4px solid;padding:.35em .8em;margin:.2em 0 .5em 0;background:rgba(127,127,127,.05)}
.lens .frame-head{border-bottom:2px solid rgba(127,127,127,.3);padding-bottom:.3em;margin-bottom:.4em}
.lens .figure-value{font-weight:700;font-size:1.08em}
.lens .what{font-weight:600}
.lens .passage blockquote{font-size:.95em}
.lens blockquote{opacity:1;color:light-dark(#31333f, #edebe8)}
.lens mark{background:light-dark(#ffe58a, #5c4a00);color:light-dark(#111, #f4f6f8);padding:0 .1em}
</style>
"""


# --- state ----------------------------------------------------------------------------------


def _apply(state: ViewState, bounds) -> None:
    PANEL.apply(state, bounds)
    st.session_state["_l_keep"] = {"lanes": state.lanes, "selected": state.selected}  # not edited here; passed through


def _reset(bounds) -> None:
    _apply(ViewState(**st.session_state.get("_l_keep", {})), bounds)


def _state(bounds) -> ViewState:
    return PANEL.read(bounds, **st.session_state.get("_l_keep", {}))


def sidebar(chron, bounds) -> None:
    with st.sidebar:
        st.header("Filters")
        st.caption("The same filters as the timeline; a link keeps them.")
        PANEL.draw(chron, bounds, sources=lens.source_order(chron), on_reset=_reset, reset_args=(bounds,),
                   outlets_help="Corroboration counts outlets. Outlets that share an affiliation still count as two; "
                                "the lens says so where it matters.")


# --- small HTML pieces ------------------------------------------------------------------------


def _chip(text: str, cls: str = "") -> str:
    return f'<span class="chip {cls}">{esc(text)}</span>'


def _corroboration_chip(n: int) -> str:
    return _chip(lens.corroboration_label(n), "single" if n == 1 else "multi")


def _event_link(chron, event_id: str) -> str:
    return f'<a href="{esc(timeline_link(event_id))}" target="_self">{esc(chron.by_id[event_id].title)}</a>'


def _event_item(chron, event_id: str, after: str = "") -> str:
    """A list item: the date in its own column, then the linked title and what follows it."""
    date = esc(chron.by_id[event_id].date_label)
    return f'<li><span class="date">{date}</span><span>{_event_link(chron, event_id)}{after}</span></li>'


def _also(chron, event_id: str, outlet: str) -> str:
    """The other outlets that report the event, or a single-source flag."""
    others = [s.outlet for s in chron.sources_for(event_id) if s.outlet != outlet]
    if not others:
        return _chip("single source", "single")
    return _chip("also " + ", ".join(dict.fromkeys(others)), "multi")


def _passage(p, unit: str = "sentence", caption: bool = True) -> str:
    before, text, after = p.context(unit)
    cap = ""
    if caption:
        cap = (f'<figcaption><strong>{esc(p.source.outlet)}</strong>, {esc(p.source.published_label)} · '
               f'<a href="{esc(reader_link(p.source.id, p.event_id))}" target="_self">in the article</a></figcaption>')
    return f'<figure class="passage"><blockquote>{esc(before)}<mark>{esc(text)}</mark>{esc(after)}</blockquote>{cap}</figure>'


def _are(n: int) -> str:
    return f"{n:,} {'is' if n == 1 else 'are'}"


def _html(inner: str) -> None:
    st.markdown(block(inner, "lens"), unsafe_allow_html=True)


def _n_outlets(chron, event_id: str) -> int:
    return lens.outlet_count(s.outlet for s in chron.sources_for(event_id))


# --- tabs -------------------------------------------------------------------------------------


def profiles_tab(chron, shown) -> None:
    _html('<p class="muted">Each article, oldest first: who publishes it, how its date is known, and the events of this '
          "view it reports. Outlet descriptions are labels for attribution, not verdicts.</p>")
    profiles = lens.source_profiles(chron, shown)
    if len(profiles) > MAX_PROFILES:
        _html(f'<p class="muted">Showing the {MAX_PROFILES} of {len(profiles):,} articles that report the most events of '
              "this view; pick outlets under “Reported by” to see others.</p>")
        keep = {id(p) for p in sorted(profiles, key=lambda p: -len(p.events))[:MAX_PROFILES]}
        profiles = [p for p in profiles if id(p) in keep]
    references = formatted_citations([p.source for p in profiles])
    for prof in profiles:
        s = prof.source
        with st.container(border=True):
            left, right = st.columns([5, 6], gap="large")
            with left:
                affil = _chip(f"affiliated: {prof.affiliation}", "affil") if prof.affiliation else ""
                descriptive = ' <em class="muted">(descriptive title)</em>' if s.headline_descriptive else ""
                how = "stated in the text" if s.published_certainty == "stated" else "inferred"
                parts = [
                    f"<h4>{esc(s.outlet)}</h4>{affil}",
                    f'<p class="muted">{esc(s.outlet_description)}</p>',
                    f"<p><strong>Headline:</strong> “{esc(s.headline)}”{descriptive}</p>",
                    f"<p><strong>Published:</strong> {esc(s.published_label)} — {how}. "
                    f'<span class="muted">{esc(s.published_note)}</span></p>',
                ]
                if s.notes:
                    parts.append(f'<p><strong>Notes:</strong> <span class="muted">{esc(s.notes)}</span></p>')
                parts.append(f'<p class="reference"><strong>Cite as</strong> <span class="muted">(Chicago author-date)'
                             f"</span>: {esc(references[s.id])}</p>")
                if prof.shares_affiliation_with:
                    others = " and ".join(chron.sources[i].outlet for i in prof.shares_affiliation_with)
                    parts.append(f'<p class="muted">Shares its affiliation ({esc(prof.affiliation)}) with {esc(others)}: '
                                 "where both report an event they count as two outlets, which may not be independent.</p>")
                parts.append(f'<p><a href="{esc(reader_link(s.id))}" target="_self">Read the article, cited passages '
                             "highlighted →</a></p>")
                _html("".join(parts))
            with right:
                m1, m2, m3 = st.columns(3)
                m1.metric("Events reported", len(prof.events), help="Among the events of this view.")
                m2.metric("Only this outlet", len(prof.only_here), help="Events of this view no other outlet reports.")
                m3.metric("Passages cited", prof.passages)
                if prof.events:
                    items = "".join(_event_item(chron, e, kind_badge(chron.by_id[e]) + _also(chron, e, s.outlet))
                                    for e in prof.events[:MAX_LIST])
                    more = len(prof.events) - MAX_LIST
                    _html(f'<ul class="events">{items}</ul>'
                          + (f'<p class="muted">… and {more:,} more: see the Coverage tab.</p>' if more > 0 else ""))
                else:
                    _html('<p class="muted">No event of this view comes from this article.</p>')
                _html(f'<p class="muted">Of the other events in this view, {_are(prof.not_mentioned)} not mentioned in '
                      f"it and {_are(prof.later)} dated after it was published.</p>")


def coverage_tab(chron, shown) -> None:
    total = len(shown)
    if total > MAX_ROWS:
        _html(f'<p class="muted">Showing the first {MAX_ROWS} of {total:,} events; narrow the filters to see the others.</p>')
        shown = shown.iloc[:MAX_ROWS]
    matrix = lens.coverage_matrix(chron, shown)
    columns = None
    if len(chron.sources) > MAX_COLUMNS:  # the articles that report the most of these events
        counts = matrix.astype(bool).sum()
        columns = list(counts[counts > 0].sort_values(ascending=False, kind="stable").index[:MAX_COLUMNS])
        _html(f'<p class="muted">Showing the {len(columns)} of {len(chron.sources):,} articles that report the most of '
              "these events.</p>")
        matrix = matrix[[s for s in matrix.columns if s in columns]]  # still by publication date
    status = lens.coverage_status(chron, shown, columns, matrix=matrix)
    order = list(status.columns)
    shared = lens.shared_affiliations(chron)
    _html('<p class="muted">Which article reports which event. <strong>●</strong> reported (the number of passages '
          "cited) · blank: not mentioned · hatched: the event is dated after the article was published, so it could "
          "not be reported. Articles differ in subject and date: a blank is an absence, not necessarily an "
          "omission.</p>")
    head = "".join(f'<th class="cell">{esc(chron.sources[s].outlet)}<br><span class="muted">'
                   f"{esc(chron.sources[s].published_label)}</span></th>" for s in order)
    rows = []
    for _, r in shown.iterrows():
        e = r["id"]
        cells = []
        for s in order:
            st_ = status.at[e, s]
            if st_ == lens.REPORTED:
                k = int(matrix.at[e, s])
                cells.append(f'<td class="cell rep" title="{k} passage{"s" if k != 1 else ""}">● {k}</td>')
            elif st_ == lens.LATER:
                cells.append('<td class="cell later" title="dated after this article was published">after</td>')
            else:
                cells.append('<td class="cell none" title="not mentioned in this article"></td>')
        n = lens.outlet_count(r["outlets"])
        note = lens.affiliation_note(chron, r["source_ids"], shared) if n > 1 else ""
        affil = f' {_chip("shared affiliation", "affil")}' if note else ""
        rows.append(f'<tr><td>{esc(r["date_label"])}</td>'
                    f'<td><a href="{esc(timeline_link(e))}" target="_self">{esc(r["title"])}</a> '
                    f'{kind_badge(chron.by_id[e])}</td>{"".join(cells)}<td>{_corroboration_chip(n)}{affil}</td></tr>')
    totals = "".join(f'<td class="cell">{int((status[s] == lens.REPORTED).sum())}</td>' for s in order)
    cols = '<colgroup><col style="width:7.6em"><col>' + '<col style="width:5.8em">' * len(order) + '<col style="width:6.8em"></colgroup>'
    _html(f'<table class="grid">{cols}<thead><tr><th>Date</th><th>Event</th>{head}<th>Outlets</th></tr></thead>'
          f'<tbody>{"".join(rows)}</tbody><tfoot><tr><td></td><td>Events reported, of {len(shown):,}</td>{totals}<td></td>'
          "</tr></tfoot></table>")
    if shared:
        notes = " ".join(f"{' and '.join(chron.sources[i].outlet for i in ids)} are both described as affiliated with the "
                         f"{name}." for name, ids in shared.items())
        _html(f'<p class="muted">Corroboration counts outlets. {esc(notes)} Where they report the same event they are '
              "counted as two outlets; the table marks it.</p>")
    table = matrix.rename(columns=lambda s: chron.sources[s].outlet)
    table.insert(0, "title", shown["title"].to_numpy())
    table.insert(0, "date", shown["date_label"].to_numpy())
    csv = table.to_csv().encode("utf-8-sig")
    st.download_button("Download the coverage matrix (CSV)", csv, file_name="coverage.csv", mime="text/csv", key="l_cov_csv",
                       on_click="ignore")


def framing_tab(chron, shown, state: ViewState) -> None:
    ss = st.session_state
    multi = lens.multi_outlet_events(shown)
    every = st.toggle("Include events only one outlet reports", key="l_frame_all")
    options = (list(shown["id"]) if every else multi)[:MAX_PICK]
    if state.selected and state.selected in chron.by_id and state.selected not in options:
        options = [state.selected, *options]
    if not options:
        _html('<p class="muted">No event of this view is reported by two or more outlets. Include single-source events '
              "above, or widen the filters.</p>")
        return
    if ss.get("l_frame") not in options:
        # the selected event, else the one told by the most outlets
        ss["l_frame"] = state.selected if state.selected in options else max(options, key=lambda i: _n_outlets(chron, i))
    event_id = st.selectbox("Event", options, key="l_frame",
                            format_func=lambda i: f"{chron.by_id[i].date_label} · {chron.by_id[i].title} "
                                                  f"({lens.corroboration_label(_n_outlets(chron, i))})")
    event = chron.by_id[event_id]
    tellings = lens.framing(chron, event_id)
    n = lens.outlet_count(t.source.outlet for t in tellings)
    note = lens.affiliation_note(chron, [t.source.id for t in tellings])
    who = f'<p><strong>Claim made by:</strong> {esc(event.claimed_by)}</p>' if event.kind is Kind.claim else ""
    _html(f"<h4>{_event_link(chron, event_id)}</h4>"
          f"<p>{kind_badge(event)}<strong>{esc(event.date_label)}</strong> · {_corroboration_chip(n)}</p>{who}"
          f'<p class="muted">Our summary: {esc(event.summary)}</p>'
          + (f'<p class="muted">{esc(note)}</p>' if note else ""))
    cols = st.columns(len(tellings), gap="medium", border=True) if len(tellings) > 1 else [st.container(border=True)]
    for col, t in zip(cols, tellings):
        with col:
            s = t.source
            figures = "".join(
                f'<p class="muted">Figure cited: <span class="figure-value">{esc(f.figure.value)}</span> '
                f"{esc(f.figure.unit)} — {esc(f.figure.measure)}, credited to {esc(f.figure.attributed_to)}</p>"
                for f in t.figures)
            passages = "".join(_passage(p, "sentence", caption=False) for p in t.passages)
            _html(f'<div class="frame-head"><h5>{esc(s.outlet)}</h5><span class="muted">{esc(s.published_label)} · '
                  f"{len(t.passages)} passage{'s' if len(t.passages) != 1 else ''}</span></div>{passages}{figures}"
                  f'<p><a href="{esc(reader_link(s.id, event_id))}" target="_self">Read it in the article →</a></p>')
    related = lens.relations_of(chron, event_id)
    if related:
        items = "".join(f'<li><span class="date">{esc(RELATION_LABELS[r.kind])}</span><span>'
                        f"{_event_link(chron, r.left.id)} ({esc(r.left.date_label)}) — "
                        f"{_event_link(chron, r.right.id)} ({esc(r.right.date_label)})</span></li>"
                        for r in related)
        _html(f'<h5>Related accounts</h5><ul class="events">{items}</ul>'
              '<p class="muted">See “Claims and counter-claims” for both sides\' passages.</p>')


def _side(chron, event, heading: str) -> str:
    who = f'<p><strong>Claim made by:</strong> {esc(event.claimed_by)}</p>' if event.kind is Kind.claim else ""
    passages = "".join(_passage(p) for p in chron.passages_for(event.id))
    return (f'<p class="muted">{esc(heading)}</p><h5>{_event_link(chron, event.id)}</h5>'
            f"<p>{kind_badge(event)}<strong>{esc(event.date_label)}</strong> {_corroboration_chip(_n_outlets(chron, event.id))}</p>"
            f"{who}{passages}")


def claims_tab(chron, shown) -> None:
    if not chron.relations:
        _html('<p class="muted">This data folder has no relations.csv: there are no curated claims and counter-claims.</p>')
        return
    _html('<p class="muted">Pairs of events whose sources disagree, agree or answer each other, curated in relations.csv. '
          "A relation says that the accounts differ or respond, not who is right; each side is shown in its sources' "
          "own words.</p>")
    kinds = st.segmented_control("Show", list(RELATION_LABELS), selection_mode="multi", key="l_rel_kinds",
                                 default=list(RELATION_LABELS), format_func=lambda k: RELATION_LABELS[RelationKind(k)])
    rows = lens.relations_in_view(chron, shown, kinds or [])
    if not kinds:
        _html('<p class="muted">Pick at least one kind of relation above.</p>')
        return
    if not rows:
        _html('<p class="muted">No relation involves an event of this view. Widen the filters.</p>')
        return
    _html(f'<p><strong>{len(rows)} of {len(chron.relations)} relations</strong> involve an event of this view.</p>')
    shown_ids = set(shown["id"])
    for s in rows:
        rel = s.row.relation
        colour = RELATION_COLOURS[s.kind]
        if s.row.link:
            basis = (f"The link is stated by <strong>{esc(s.row.link.source.outlet)}</strong>: "
                     f"“{esc(s.row.link.text)}”")
        else:
            basis = "Paired by the editors of this timeline; each side rests on its own citations."
        hidden = [e for e in (s.left, s.right) if e.id not in shown_ids]
        hidden_note = (f' <span class="muted">(“{esc(hidden[0].title)}” is outside the current filters.)</span>'
                       if hidden else "")
        with st.container(border=True):
            _html(f'<p><span class="chip" style="background:{colour}22;color:{themed(RELATION_TEXT[s.kind], RELATION_TEXT_DARK[s.kind])}">{esc(RELATION_LABELS[s.kind])}</span>'
                  f'</p><div class="relnote" style="border-color:{colour}"><p>{esc(rel.note)}</p>'
                  f'<p class="muted">{basis}{hidden_note}</p></div>')
            left, right = st.columns(2, gap="large")
            names = SIDE_NAMES[s.kind]
            with left:
                _html(_side(chron, s.left, names[0]))
            with right:
                _html(_side(chron, s.right, names[1]))


def figures_tab(chron, shown, state: ViewState) -> None:
    if not chron.figures:
        _html('<p class="muted">This data folder has no figures.csv.</p>')
        return
    table = lens.figures_table(chron, shown, state.sources)
    _html('<p class="muted">The numbers the articles cite, each with what it counts, its period, the outlet and whom the '
          "outlet credits, in the article's own words. Numbers that look alike can count different things: "
          "all overdose deaths are not opioid deaths, and an age range is not a count. Figures tied to an event appear "
          "with it; every figure follows the outlet filter.</p>")
    if table.empty:
        _html('<p class="muted">No figure belongs to the events of this view.</p>')
        return
    rows = []
    for _, f in table.iterrows():
        span = lens.value_span(f["quote"], f["value"])
        q = f["quote"]
        quote_html = (f"{esc(q[:span[0]])}<mark>{esc(q[span[0]:span[1]])}</mark>{esc(q[span[1]:])}" if span else esc(q))
        event = _event_link(chron, f["event_id"]) if f["event_id"] else '<span class="muted">—</span>'
        period = esc(f["period"]) if f["period"] else "no period given"
        rows.append(
            f'<tr><td><span class="figure-value">{esc(f["value"])}</span> {esc(f["unit"])}<br>'
            f'<span class="what">{esc(f["measure"])}</span><br><span class="muted">{period}</span></td>'
            f'<td><strong>{esc(f["outlet"])}</strong>, <span class="muted">{esc(f["published"])}</span><br>'
            f'<span class="muted">credited to</span> {esc(f["attributed_to"])}</td>'
            f'<td>“{quote_html}”</td><td>{event}<br><span class="muted">{esc(f["note"])}</span></td></tr>')
    cols = "".join(f'<col style="width:{w}">' if w else "<col>" for w in ("26%", "20%", "", "24%"))
    _html(f'<table class="grid figures"><colgroup>{cols}</colgroup><thead><tr><th>Figure: what it counts</th>'
          "<th>Outlet and whom it credits</th><th>In the article's words</th><th>Event · note</th></tr></thead>"
          f'<tbody>{"".join(rows)}</tbody></table>')
    st.caption(md_safe(f"{len(table)} of {len(chron.figures)} figures. Each quote is checked against its article, like "
                       "every citation."))
    st.download_button("Download the figures (CSV)", table.drop(columns=["event_title"]).to_csv(index=False).encode("utf-8-sig"),
                       file_name="figures.csv", mime="text/csv", key="l_fig_csv", on_click="ignore")


# --- the page ---------------------------------------------------------------------------------


def render() -> None:
    ss = st.session_state
    chron = page_chronology(CSS + LENS_CSS)
    bounds = chron.date_range
    params = query_dict()
    params.pop(TAB_PARAM, None)  # the tabs' own parameter
    url = flat(params)
    if ss.get("_lens_url") != url:
        state, notices = ViewState.from_query_params(params, chron)
        _apply(state, bounds)
        ss["_lens_url"] = url
        ss["_lens_notices"] = notices

    sidebar(chron, bounds)
    state = _state(bounds)
    shown = filter_events(chron.frame, state)

    st.title("Source lens")
    for notice in ss.pop("_lens_notices", []) or []:
        st.warning(md_safe(f"{notice} The link's other settings were applied."), icon="ℹ️")
    timeline_url = "./?" + urlencode(state.to_query_params(), quote_via=quote)
    _html(f'<p>Who reports what, in which words, what they dispute and which figures they cite. '
          f"<strong>{len(shown):,} of {len(chron.frame):,} events</strong> · {esc(state.describe(chron))} · "
          f'<a href="{esc(timeline_url)}" target="_self">this view on the timeline</a></p>')

    tabs = st.tabs(TABS, key=TAB_PARAM, bind="query-params")  # ?lens=Framing opens that tab
    with tabs[0]:
        profiles_tab(chron, shown)
    with tabs[1]:
        if shown.empty:
            _html('<p class="muted">No events match these filters.</p>')
        else:
            coverage_tab(chron, shown)
    with tabs[2]:
        framing_tab(chron, shown, state)
    with tabs[3]:
        claims_tab(chron, shown)
    with tabs[4]:
        figures_tab(chron, shown, state)

    target = state.to_query_params()
    ss["_lens_url"] = dict(target)
    _write_url(target)


def _write_url(target: dict[str, str]) -> None:
    """Put the filters into the URL, key by key: the tab's parameter belongs to st.tabs and must not be touched."""
    current = {k: v for k, v in flat(query_dict()).items() if k != TAB_PARAM}
    for k in set(current) - set(target):
        del st.query_params[k]
    for k, v in target.items():
        if current.get(k) != v:
            st.query_params[k] = v
    st.session_state["_url_written"] = target
