"""The source lens: who reports what, in which words, what they dispute, and which figures they cite.

Pure functions over a Chronology and a (filtered) Chronology.frame; the page in
views/lens_view.py only lays out what they return. Corroboration counts outlets, not
articles or passages; outlets that share an affiliation are still counted apart, and
the shared affiliation is reported next to the count (attribution, not adjudication).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from timeline.data.chronology import Chronology, Passage
from timeline.data.lens_data import RELATION_LABELS, FigureRow, RelationKind, RelationRow
from timeline.data.models import Event, Source

REPORTED, NOT_MENTIONED, LATER = "reported", "not mentioned", "after publication"
_AFFILIATION = re.compile(r"\baffiliated with (?:the )?(.+?)(?: and |[,.;]|$)", re.IGNORECASE)


# --- sources and corroboration -------------------------------------------------------------


def source_order(chron: Chronology) -> list[str]:
    """Source ids by publication date, oldest first."""
    return sorted(chron.sources, key=lambda s: (chron.sources[s].published.sort_key, s))


def published_by(source: Source) -> date:
    """The last day the article can have been published (its date may be a month, or a range)."""
    return (source.published_end or source.published).last_day


def affiliations(chron: Chronology) -> dict[str, str]:
    """Source id → the affiliation its outlet description names ("a religious movement", say), when it names one."""
    out = {}
    for sid, s in chron.sources.items():
        m = _AFFILIATION.search(s.outlet_description)
        if m:
            out[sid] = m.group(1).strip()
    return out


def shared_affiliations(chron: Chronology) -> dict[str, list[str]]:
    """Affiliation → the source ids that share it, for affiliations shared by two or more outlets."""
    groups: dict[str, list[str]] = {}
    for sid, name in affiliations(chron).items():
        groups.setdefault(name, []).append(sid)
    order = source_order(chron)
    return {name: sorted(ids, key=order.index) for name, ids in groups.items() if len({chron.sources[i].outlet for i in ids}) > 1}


def outlet_count(outlets) -> int:
    return len(set(outlets))


def shared_affiliation_note(chron: Chronology) -> str:
    """"A and B share an affiliation but count as two." for each affiliation outlets share, else ""."""
    notes = []
    for ids in shared_affiliations(chron).values():
        outlets = list(dict.fromkeys(chron.sources[i].outlet for i in ids))
        if len(outlets) > 1:
            many = {2: "two", 3: "three", 4: "four", 5: "five"}.get(len(outlets), str(len(outlets)))
            notes.append(f"{', '.join(outlets[:-1])} and {outlets[-1]} share an affiliation but count as {many}.")
    return " ".join(notes)


def corroboration_label(n: int) -> str:
    return "single source" if n == 1 else f"{n} outlets" if n else "no source"


def affiliation_note(chron: Chronology, source_ids, shared: dict[str, list[str]] | None = None) -> str:
    """A sentence when two or more of these sources share an affiliation, else "".

    `shared`: shared_affiliations(chron), when the caller has it already.
    """
    notes = []
    for name, ids in (shared_affiliations(chron) if shared is None else shared).items():
        both = [i for i in ids if i in source_ids]
        if len({chron.sources[i].outlet for i in both}) > 1:
            outlets = " and ".join(chron.sources[i].outlet for i in both)
            notes.append(f"{outlets} are both described as affiliated with the {name}.")
    return " ".join(notes)


def corroboration(chron: Chronology, frame: pd.DataFrame) -> pd.DataFrame:
    """Per event of the frame: how many outlets report it, in words, and any shared affiliation among them."""
    n = [outlet_count(o) for o in frame["outlets"].to_numpy()]
    shared = shared_affiliations(chron)
    labels = {k: corroboration_label(k) for k in set(n)}
    return pd.DataFrame({
        "id": frame["id"].to_numpy(),
        "n_outlets": np.array(n, dtype=int),
        "corroboration": [labels[k] for k in n],
        "affiliation_note": [affiliation_note(chron, ids, shared) if k > 1 and shared else ""
                             for k, ids in zip(n, frame["source_ids"].to_numpy())],
    })


# --- coverage ------------------------------------------------------------------------------


def _pairs(chron: Chronology, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per passage of the frame's events: event, source."""
    wanted = set(frame["id"].tolist())
    return pd.DataFrame([(p.event_id, p.source.id) for p in chron.passages if p.event_id in wanted],
                        columns=["event", "source"])


def coverage_matrix(chron: Chronology, frame: pd.DataFrame, sources: list[str] | None = None) -> pd.DataFrame:
    """Events (rows, in the frame's order) × sources (columns, by publication date): passages cited, 0 if none.

    `sources`: only these columns (all sources by default).
    """
    order = source_order(chron) if sources is None else [s for s in source_order(chron) if s in set(sources)]
    ids = frame["id"].tolist()
    pairs = _pairs(chron, frame)
    counts = pairs.groupby(["event", "source"]).size().unstack(fill_value=0) if len(pairs) else pd.DataFrame()
    out = counts.reindex(index=ids, columns=order, fill_value=0).fillna(0).astype(int)
    out.index.name, out.columns.name = "event", "source"
    return out


def coverage_status(chron: Chronology, frame: pd.DataFrame, sources: list[str] | None = None, *,
                    matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Like coverage_matrix, in words: reported, not mentioned, or after publication (the article predates the event).
    `matrix`: coverage_matrix(chron, frame, sources), when the caller has it already."""
    matrix = coverage_matrix(chron, frame, sources) if matrix is None else matrix
    words = np.array([NOT_MENTIONED, REPORTED, LATER], dtype=object)[_codes(chron, frame, matrix)]
    return pd.DataFrame(words, index=matrix.index, columns=matrix.columns)


def _codes(chron: Chronology, frame: pd.DataFrame, matrix: pd.DataFrame) -> np.ndarray:
    """0 not mentioned, 1 reported, 2 after publication, per event (row) and source (column)."""
    first = frame["first_day"].to_numpy(dtype="datetime64[ns]")[:, None]
    last = np.array([np.datetime64(published_by(chron.sources[s]), "ns") for s in matrix.columns],
                    dtype="datetime64[ns]")[None, :]
    return np.where(matrix.to_numpy() > 0, 1, np.where(first > last, 2, 0)).astype(np.int8)


@dataclass
class SourceProfile:
    """One article seen through the lens: what it reports, what only it reports, what it could have."""

    source: Source
    events: list[str]                 # events of the frame it reports, in date order
    only_here: list[str]              # of those, reported by no other outlet
    passages: int                     # passages it contributes to the frame's events
    not_mentioned: int                # events of the frame that it does not mention, though they do not postdate it
    later: int                        # events of the frame dated after it was published
    shares_affiliation_with: list[str] = field(default_factory=list)
    affiliation: str = ""


def source_profiles(chron: Chronology, frame: pd.DataFrame) -> list[SourceProfile]:
    """Every article, by publication date, with what it reports among the frame's events."""
    # From the passages, not from a dense events × sources matrix: a large data folder has thousands of sources.
    pairs = _pairs(chron, frame)
    passages = pairs.groupby("source").size()
    pairs = pairs.drop_duplicates()
    reporters = pairs.groupby("event").size()
    rank = {e: i for i, e in enumerate(frame["id"].tolist())}  # the frame's (date) order
    first = dict(zip(frame["id"].tolist(), frame["first_day"].tolist()))
    days = np.sort(frame["first_day"].to_numpy(dtype="datetime64[ns]"))
    by_source = {sid: sorted(group.tolist(), key=rank.__getitem__) for sid, group in pairs.groupby("source")["event"]}
    shared = shared_affiliations(chron)
    names = affiliations(chron)
    out = []
    for sid in source_order(chron):
        events = by_source.get(sid, [])
        last = pd.Timestamp(published_by(chron.sources[sid]))
        later_all = len(days) - int(np.searchsorted(days, np.datetime64(last, "ns"), side="right"))
        later_reported = sum(first[e] > last for e in events)
        partners = next(([i for i in group if i != sid] for group in shared.values() if sid in group), [])
        out.append(SourceProfile(
            source=chron.sources[sid],
            events=events,
            only_here=[e for e in events if reporters[e] == 1],
            passages=int(passages.get(sid, 0)),
            not_mentioned=len(days) - later_all - (len(events) - later_reported),
            later=later_all - later_reported,
            shares_affiliation_with=partners,
            affiliation=names.get(sid, "") if partners else "",
        ))
    return out


# --- framing -------------------------------------------------------------------------------


@dataclass
class Framing:
    """One article's telling of one event: its passages in text order, and the figures it cites for it."""

    source: Source
    passages: list[Passage]
    figures: list[FigureRow]


def framing(chron: Chronology, event_id: str) -> list[Framing]:
    """The event as each article tells it, articles by publication date."""
    by_source: dict[str, list[Passage]] = {}
    for p in chron.passages_for(event_id):
        by_source.setdefault(p.source.id, []).append(p)
    out = []
    for sid in source_order(chron):
        if sid in by_source:
            figs = [f for f in chron.figures if f.figure.event_id == event_id and f.figure.source_id == sid]
            out.append(Framing(chron.sources[sid], sorted(by_source[sid], key=lambda p: p.anchor.start), figs))
    return out


def multi_outlet_events(frame: pd.DataFrame) -> list[str]:
    """Events of the frame that two or more outlets report: the ones whose framing can be compared."""
    if frame.empty:
        return []
    return list(frame.loc[frame["outlets"].map(outlet_count) >= 2, "id"])


# --- relations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sides:
    """A relation laid out for reading: left is the earlier event (or the one responded to)."""

    row: RelationRow
    left: Event
    right: Event

    @property
    def kind(self) -> RelationKind:
        return self.row.relation.relation


def sides(chron: Chronology, row: RelationRow) -> Sides:
    rel = row.relation
    a, b = chron.by_id[rel.from_event], chron.by_id[rel.to_event]
    if rel.relation is RelationKind.responds_to:
        return Sides(row, b, a)  # what is answered, then the answer
    return Sides(row, *sorted((a, b), key=lambda e: e.sort_key))


def relations_in_view(chron: Chronology, frame: pd.DataFrame, kinds=None) -> list[Sides]:
    """Relations with at least one of their events in the frame, of the given kinds (all by default).

    Ordered by kind (disputes, responses, agreements) and then by date.
    """
    shown = set(frame["id"])
    wanted = {RelationKind(k) for k in kinds} if kinds else set(RelationKind)
    rows = [sides(chron, r) for r in chron.relations
            if r.relation.relation in wanted and (r.relation.from_event in shown or r.relation.to_event in shown)]
    rank = {k: i for i, k in enumerate(RELATION_LABELS)}
    return sorted(rows, key=lambda s: (rank[s.kind], s.left.sort_key, s.right.sort_key))


def disputes(chron: Chronology, frame: pd.DataFrame) -> list[Sides]:
    """The pairs of accounts that are at odds, with at least one side in the frame."""
    return relations_in_view(chron, frame, [RelationKind.disputes])


def relations_of(chron: Chronology, event_id: str) -> list[Sides]:
    """Every relation the event takes part in."""
    return [sides(chron, r) for r in chron.relations if event_id in (r.relation.from_event, r.relation.to_event)]


def relation_links(chron: Chronology, frame: pd.DataFrame, kind: str = "responds-to") -> list[tuple[str, str]]:
    """(earlier, later) event id pairs of one kind of relation, both in the frame: lines to draw on the chart."""
    shown = set(frame["id"])
    out = []
    for r in chron.relations:
        rel = r.relation
        if rel.relation.value == kind and rel.from_event in shown and rel.to_event in shown:
            s = sides(chron, r)
            out.append((s.left.id, s.right.id))
    return out


# --- figures -------------------------------------------------------------------------------

FIGURE_COLUMNS = ["id", "value", "unit", "measure", "period", "source_id", "outlet", "published", "attributed_to",
                  "quote", "event_id", "event_title", "note"]


def figures_table(chron: Chronology, frame: pd.DataFrame | None = None, sources=()) -> pd.DataFrame:
    """The figures the articles cite, one row each, grouped by what they measure.

    With a frame, a figure tied to an event is kept when its event is in the frame; and any
    figure only when its outlet is one of `sources` (all outlets when empty).
    """
    shown = None if frame is None else set(frame["id"])
    rows = []
    for f in chron.figures:
        fig = f.figure
        if (shown is not None and fig.event_id and fig.event_id not in shown) or (sources and fig.source_id not in sources):
            continue
        event = chron.by_id.get(fig.event_id)
        rows.append({
            "id": fig.id, "value": fig.value, "unit": fig.unit, "measure": fig.measure, "period": fig.period,
            "source_id": fig.source_id, "outlet": f.link.source.outlet, "published": f.link.source.published_label,
            "attributed_to": fig.attributed_to, "quote": f.link.text, "event_id": event.id if event else "",
            "event_title": event.title if event else "", "note": fig.note,
        })
    out = pd.DataFrame(rows, columns=FIGURE_COLUMNS)
    if out.empty:
        return out
    first = {m: i for i, m in reversed(list(enumerate(out["measure"])))}  # keep like measures together, in file order
    return out.sort_values("measure", key=lambda s: s.map(first), kind="stable").reset_index(drop=True)


def value_span(quote: str, value: str) -> tuple[int, int] | None:
    """Where the value stands in the quote (case and typography folded), to highlight it."""
    from timeline.data.anchor import locate

    anchor = locate(value, quote)
    if anchor is None:
        lower = locate(value.casefold(), quote.casefold())
        return (lower.start, lower.end) if lower else None
    return anchor.start, anchor.end
