"""The validated chronology: events with their located source passages."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .anchor import Anchor, paragraph_bounds, sentence_bounds
from .models import KIND_LABELS, Citation, Event, Source, VocabularyEntry


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

    @property
    def date_range(self) -> tuple | None:
        if not self.events:
            return None
        return min(e.first_day for e in self.events), max(e.last_day for e in self.events)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """One row per event, in date order, with what the views filter and show."""
        rows = []
        for order, e in enumerate(self.events):
            sources = self.sources_for(e.id)
            passages = self.passages_for(e.id)
            rows.append({
                "order": order,
                "id": e.id,
                "title": e.title,
                "kind": e.kind.value,
                "kind_label": KIND_LABELS[e.kind],
                "category": e.category,
                "category_label": self.label("category", e.category),
                "actors": e.actors,
                "actor_labels": tuple(self.label("actor", a) for a in e.actors),
                "start": e.start.iso,
                "end": e.end.iso if e.end else "",
                "precision": e.start.precision,
                "date_label": e.date_label,
                "date_certainty": e.date_certainty.value,
                "date_note": e.date_note,
                "first_day": pd.Timestamp(e.first_day),
                "last_day": pd.Timestamp(e.last_day),
                "is_span": e.is_span,
                "summary": e.summary,
                "claimed_by": e.claimed_by,
                "source_ids": tuple(s.id for s in sources),
                "outlets": tuple(s.outlet for s in sources),
                "n_sources": len(sources),
                "n_citations": len(passages),
                "search_text": " \n".join([e.title, e.summary, e.claimed_by, *(p.text for p in passages)]).casefold(),
            })
        columns = list(rows[0]) if rows else ["order", "id", "title", "kind", "first_day", "last_day"]
        return pd.DataFrame(rows, columns=columns)
