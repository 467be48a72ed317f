"""The filter widgets in a page's sidebar, shared by the timeline and the source lens: a view state is put into
them (from the URL), they are drawn, and a view state is read back out of them."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from timeline.curation.curate import examples
from timeline.filters import ViewState, compact_from, compact_to
from timeline.data.models import KIND_LABELS, Kind

FIELDS = ("kinds", "categories", "actors", "sources")


@dataclass(frozen=True)
class FilterPanel:
    """One page's set of filter widgets; `prefix` keeps their session keys apart ("w": w_kinds, w_dates, ...)."""

    prefix: str

    def key(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    @property
    def _n_outlets(self) -> str:  # the checkbox means "at least two"; a link may ask for more
        return f"_{self.prefix}_outlets_n"

    def apply(self, state: ViewState, bounds) -> None:
        """Put a view state into the widgets (before they are drawn)."""
        ss = st.session_state
        lo, hi = bounds
        start = max(lo, min(hi, state.date_from.first_day)) if state.date_from else lo
        end = min(hi, max(lo, state.date_to.last_day)) if state.date_to else hi
        ss[self.key("dates")] = (start, end)
        for name in FIELDS:
            ss[self.key(name)] = list(getattr(state, name))
        ss[self.key("search")] = state.search
        ss[self.key("outlets")] = state.min_outlets >= 2
        ss[self._n_outlets] = max(2, state.min_outlets)

    def read(self, bounds, **rest) -> ViewState:
        """The view state the widgets show; `rest`: what they do not edit (lanes, the selected event)."""
        ss = st.session_state
        dates = ss.get(self.key("dates")) or bounds
        lo, hi = (dates[0], dates[-1]) if len(dates) else bounds
        return ViewState(
            date_from=None if lo <= bounds[0] else compact_from(lo),
            date_to=None if hi >= bounds[1] else compact_to(hi),
            **{name: tuple(ss.get(self.key(name)) or ()) for name in FIELDS},
            search=(ss.get(self.key("search")) or "").strip(),
            min_outlets=ss.get(self._n_outlets, 2) if ss.get(self.key("outlets")) else 0,
            **rest,
        )

    def draw(self, chron, bounds, *, sources: list[str], outlets_help: str, on_reset, reset_args=()) -> None:
        """The widgets, in the sidebar's current place."""
        categories = sorted(chron.in_use["category"], key=lambda c: chron.label("category", c))
        actors = sorted(chron.in_use["actor"], key=lambda a: chron.label("actor", a))
        st.text_input("Search titles, summaries and quotes", key=self.key("search"), placeholder=f"e.g. {examples(chron).search}")
        st.date_input("Dates", key=self.key("dates"), min_value=bounds[0], max_value=bounds[1], format="YYYY-MM-DD",
                      help="Events whose dates overlap this range. A month- or year-precision date counts if any of "
                           "its days falls inside.")
        st.multiselect("Kind", [k.value for k in Kind], key=self.key("kinds"), format_func=lambda k: KIND_LABELS[Kind(k)],
                       placeholder="All kinds")
        st.multiselect("Category", categories, key=self.key("categories"), format_func=lambda c: chron.label("category", c),
                       placeholder="All categories")
        st.multiselect("Actor", actors, key=self.key("actors"), format_func=lambda a: chron.label("actor", a),
                       placeholder="All actors")
        st.multiselect("Reported by", sources, key=self.key("sources"), format_func=lambda s: chron.sources[s].outlet,
                       placeholder="All outlets")
        st.checkbox("Only events reported by at least two outlets", key=self.key("outlets"), help=outlets_help)
        st.button("Reset filters", on_click=on_reset, args=reset_args, width="stretch", key=self.key("reset"))
