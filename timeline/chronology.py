"""The validated chronology: events with their located source passages."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .anchor import Anchor, paragraph_bounds, sentence_bounds
from .models import KIND_LABELS, Citation, Event, Source, VocabularyEntry
from .perf import gc_paused

if TYPE_CHECKING:  # the source lens's tables (timeline/lens_data.py)
    from .lens_data import FigureRow, RelationRow


@dataclass(frozen=True)
class Passage:
    """A citation located in its source text."""

    citation: Citation
    source: Source
    anchor: Anchor

    @property
    def event_id(self) -> str:
        return self.citation.event_id

    @property
    def text(self) -> str:
        """The quote exactly as it stands in the source."""
        return self.source.text[self.anchor.start:self.anchor.end]

    def context(self, unit: str = "paragraph") -> tuple[str, str, str]:
        """(before, quote, after) within the enclosing paragraph or sentence."""
        bounds = paragraph_bounds if unit == "paragraph" else sentence_bounds
        lo, hi = bounds(self.source.text, self.anchor.start, self.anchor.end)
        t = self.source.text
        return t[lo:self.anchor.start], t[self.anchor.start:self.anchor.end], t[self.anchor.end:hi]


@dataclass
class Chronology:
    """Sources, events in date order and their passages, all validated."""

    sources: dict[str, Source]
    events: list[Event]
    passages: list[Passage]
    vocabulary: dict[str, dict[str, VocabularyEntry]] = field(default_factory=dict)
    relations: list[RelationRow] = field(default_factory=list)  # relations.csv, if any
    figures: list[FigureRow] = field(default_factory=list)      # figures.csv, if any

    def __post_init__(self) -> None:
        self.events = sorted(self.events, key=lambda e: e.sort_key)

    @cached_property
    def by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    @cached_property
    def _by_event(self) -> dict[str, list[Passage]]:
        out: dict[str, list[Passage]] = {}
        for p in self.passages:
            out.setdefault(p.event_id, []).append(p)
        for ps in out.values():
            ps.sort(key=lambda p: (p.source.published.sort_key, p.source.id, p.anchor.start))
        return out

    def passages_for(self, event_id: str) -> list[Passage]:
        return self._by_event.get(event_id, [])

    def passages_in(self, source_id: str) -> list[Passage]:
        return sorted((p for p in self.passages if p.source.id == source_id), key=lambda p: p.anchor.start)

    def sources_for(self, event_id: str) -> list[Source]:
        seen: dict[str, Source] = {}
        for p in self.passages_for(event_id):
            seen.setdefault(p.source.id, p.source)
        return list(seen.values())

    def label(self, field_name: str, value: str) -> str:
        entry = self.vocabulary.get(field_name, {}).get(value)
        return entry.label if entry else value

    @cached_property
    def date_range(self) -> tuple | None:
        if not self.events:
            return None
        return min(e.first_day for e in self.events), max(e.last_day for e in self.events)

    @cached_property
    def in_use(self) -> dict[str, list[str]]:
        """The categories and actors that events use, each once, in order of first use (for the filters)."""
        return {"category": list(dict.fromkeys(e.category for e in self.events)),
                "actor": list(dict.fromkeys(a for e in self.events for a in e.actors))}

    @cached_property
    def frame(self) -> pd.DataFrame:
        """One row per event, in date order, with what the views filter and show.

        Built column by column, with what many events share (labels, dates) worked out once:
        100,000 events take about a second.
        """
        with gc_paused():
            return self._frame()

    def _frame(self) -> pd.DataFrame:
        events = self.events
        if not events:
            return pd.DataFrame([], columns=["order", "id", "title", "kind", "first_day", "last_day"])
        by_event = self._by_event
        labels = {f: {k: v.label for k, v in entries.items()} for f, entries in self.vocabulary.items()}
        categories, actors = labels.get("category", {}), labels.get("actor", {})
        dates: dict[tuple, tuple] = {}  # (start, end, certainty) -> start iso, end iso, precision, label, is_span, days
        for e in events:
            key = (e.start, e.end, e.date_certainty)
            if key not in dates:
                dates[key] = (e.start.iso, e.end.iso if e.end else "", e.start.precision, e.date_label, e.is_span,
                              e.first_day, e.last_day)
        when = [dates[e.start, e.end, e.date_certainty] for e in events]
        ids = [e.id for e in events]
        passages = [by_event.get(i, []) for i in ids]
        sources = [{p.source.id: p.source.outlet for p in ps} for ps in passages]  # in order of first passage

        def tuples(values: list) -> np.ndarray:  # tuples stay tuples, not nested arrays
            column = np.empty(len(values), dtype=object)
            column[:] = values
            return column

        def days(values: list) -> np.ndarray:
            return np.array(values, dtype="datetime64[D]").astype("datetime64[s]")

        return pd.DataFrame({
            "order": np.arange(len(events), dtype="int64"),
            "id": _strings(ids),
            "title": _strings([e.title for e in events]),
            "kind": _strings([e.kind.value for e in events]),
            "kind_label": _strings([KIND_LABELS[e.kind] for e in events]),
            "category": _strings([e.category for e in events]),
            "category_label": _strings([categories.get(e.category, e.category) for e in events]),
            "actors": tuples([e.actors for e in events]),
            "actor_labels": tuples([tuple(actors.get(a, a) for a in e.actors) for e in events]),
            "start": _strings([w[0] for w in when]),
            "end": _strings([w[1] for w in when]),
            "precision": _strings([w[2] for w in when]),
            "date_label": _strings([w[3] for w in when]),
            "date_certainty": _strings([e.date_certainty.value for e in events]),
            "date_note": _strings([e.date_note for e in events]),
            "first_day": days([w[5] for w in when]),
            "last_day": days([w[6] for w in when]),
            "is_span": [w[4] for w in when],
            "summary": _strings([e.summary for e in events]),
            "claimed_by": _strings([e.claimed_by for e in events]),
            "source_ids": tuples([tuple(s) for s in sources]),
            "outlets": tuples([tuple(s.values()) for s in sources]),
            "n_sources": np.array([len(s) for s in sources], dtype="int64"),
            "n_citations": np.array([len(ps) for ps in passages], dtype="int64"),
            "search_text": _strings([" \n".join([e.title, e.summary, e.claimed_by, *(p.text for p in ps)]).casefold()
                                     for e, ps in zip(events, passages)]),
        })


def _strings(values: list[str]) -> pd.Series | list[str]:
    """A column of text as pandas would store it, made faster: straight into Arrow when pandas stores text there."""
    if _STR.storage != "pyarrow":
        return values
    import pyarrow as pa

    return pd.Series(pa.array(values, type=pa.large_string()), dtype=_STR)


_STR = pd.Series(["x"]).dtype  # pandas' own choice of text dtype (Arrow-backed when pyarrow is installed)
