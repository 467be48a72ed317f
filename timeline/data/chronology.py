"""The validated chronology: events with their located source passages."""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from operator import attrgetter

import numpy as np
import pandas as pd

from timeline.data.anchor import Anchor, paragraph_bounds, sentence_bounds
from timeline.data.models import KIND_LABELS, Citation, Event, Source, VocabularyEntry
from timeline.data.perf import long_lived
from timeline.data.lens_rows import FigureRow, RelationRow  # the source lens's tables
from timeline.data.story import Story



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
        """The quote exactly as it stands in the source (the citation's own text when it was found verbatim,
        rather than cut out of the article again)."""
        return self.citation.quote if self.anchor.exact else self.source.text[self.anchor.start:self.anchor.end]

    def context(self, unit: str = "paragraph") -> tuple[str, str, str]:
        """(before, quote, after) within the enclosing paragraph or sentence."""
        bounds = paragraph_bounds if unit == "paragraph" else sentence_bounds
        lo, hi = bounds(self.source.text, self.anchor.start, self.anchor.end)
        t = self.source.text
        return t[lo:self.anchor.start], t[self.anchor.start:self.anchor.end], t[self.anchor.end:hi]


DEFERRED = ("events", "passages")  # what a chronology read from the disk cache may still be loading
FROM_EVENTS = ("frame", "date_range", "in_use", "n_events")  # worked out from the events, kept with the rest


@dataclass
class Chronology:
    """Sources, events in date order and their passages, all validated."""

    sources: dict[str, Source]
    events: list[Event]
    passages: list[Passage]
    vocabulary: dict[str, dict[str, VocabularyEntry]] = field(default_factory=dict)
    relations: list[RelationRow] = field(default_factory=list)  # relations.csv, if any
    figures: list[FigureRow] = field(default_factory=list)      # figures.csv, if any
    story: Story = field(default_factory=lambda: Story(title="Timeline"))  # story.toml: the story's own words
    lessons: list = field(default_factory=list)  # lessons.csv, if any: timeline.data.lessons.Lesson

    def __post_init__(self) -> None:
        # In Event.sort_key order, (date_key, id), in two stable passes: each compares keys of one type, which is quicker
        self.events = sorted(self.events, key=attrgetter("id"))
        self.events.sort(key=attrgetter("date_key"))

    def __getattr__(self, name: str):
        """Only for what is not set: the events and passages of a chronology read from the disk cache, which come
        after the rest (timeline.data.cache: the pages' first run needs the frame, not 100,000 objects)."""
        if name in DEFERRED:
            pending = self.__dict__.get("_deferred")
            if pending is not None:
                pending.fill(self)
                return self.__dict__[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @cached_property
    def n_events(self) -> int:
        return len(self.events)

    @cached_property
    def by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    @cached_property
    def _by_event(self) -> dict[str, list[Passage]]:
        out: dict[str, list[Passage]] = {}
        for p in self.passages:
            event_id = p.citation.event_id
            if event_id in out:
                out[event_id].append(p)
            else:
                out[event_id] = [p]
        for ps in out.values():
            if len(ps) > 1:
                ps.sort(key=attrgetter("source.published.sort_key", "source.id", "anchor.start"))
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

        Built column by column, with what many events share (labels, dates) worked out once
        per distinct value: 100,000 events take about a second.
        """
        with long_lived():
            return self._frame()

    def _frame(self) -> pd.DataFrame:
        if not self.events:
            return pd.DataFrame([], columns=["order", "id", "title", "kind", "first_day", "last_day"])
        # The events are visited in the order they sit in memory, not in date order, where nearly every
        # event, its fields and its passages are a cache miss (several times slower at 100,000 events);
        # each column is put in date order at the end: row i of a column is its value at back[i].
        n = len(self.events)
        walk = np.argsort(np.fromiter(map(id, self.events), dtype=np.uintp, count=n), kind="stable")
        back = np.empty(n, dtype=np.intp)
        back[walk] = np.arange(n)
        events = [self.events[i] for i in walk]

        labels = {f: {k: v.label for k, v in entries.items()} for f, entries in self.vocabulary.items()}
        categories, actors = labels.get("category", {}), labels.get("actor", {})
        ids, titles, event_labels, kinds, cats, actor_lists, notes, summaries, claimed, certainties = map(list, zip(*map(attrgetter(
            "id", "title", "label", "kind", "category", "actors", "date_note", "summary", "claimed_by", "date_certainty"), events)))
        kind, kind_at = _distinct(kinds)
        category, category_at = _distinct(cats)
        certainty, certainty_at = _distinct(certainties)
        # the date columns, worked out once for each distinct start, end and certainty (by the first event with them)
        when, when_at = _distinct(zip(map(id, map(attrgetter("start"), events)), map(id, map(attrgetter("end"), events)),
                                      certainty_at), events)
        dates = [(e.start.iso, e.end.iso if e.end else "", e.start.precision, e.date_label, e.is_span, e.first_day, e.last_day,
                  e.date_edtf) for e in when]
        start, end, precision, date_label, is_span, first_day, last_day, date_edtf = map(list, zip(*dates))
        actor_labels = {a: tuple(actors.get(x, x) for x in a) for a in set(actor_lists)}

        passages = list(map(self._by_event.get, ids, repeat(())))
        source_id = attrgetter("source.id")
        source_ids = [tuple(dict.fromkeys(map(source_id, ps))) for ps in passages]  # in order of first passage
        outlet_of = {sid: s.outlet for sid, s in self.sources.items()}
        outlets = {sources: tuple(map(outlet_of.__getitem__, sources)) for sources in set(source_ids)}
        search_text = [" \n".join([title, label, summary, claimed_by, *(p.text for p in ps)]).casefold()
                       for title, label, summary, claimed_by, ps in zip(titles, event_labels, summaries, claimed, passages)]

        def tuples(values: list) -> np.ndarray:  # tuples stay tuples, not nested arrays
            column = np.empty(len(values), dtype=object)
            column[:] = values
            return column[back]

        def days(values: list) -> np.ndarray:
            return np.array(values, dtype="datetime64[D]").astype("datetime64[s]")[when_at[back]]

        return pd.DataFrame({
            "order": np.arange(n, dtype="int64"),
            "id": _strings(ids, back),
            "title": _strings(titles, back),
            "label": _strings(event_labels, back),
            "kind": _strings([k.value for k in kind], kind_at[back]),
            "kind_label": _strings([KIND_LABELS[k] for k in kind], kind_at[back]),
            "category": _strings(category, category_at[back]),
            "category_label": _strings([categories.get(c, c) for c in category], category_at[back]),
            "actors": tuples(actor_lists),
            "actor_labels": tuples(list(map(actor_labels.__getitem__, actor_lists))),
            "start": _strings(start, when_at[back]),
            "end": _strings(end, when_at[back]),
            "precision": _strings(precision, when_at[back]),
            "date_label": _strings(date_label, when_at[back]),
            "date_edtf": _strings(date_edtf, when_at[back]),
            "date_certainty": _strings([c.value for c in certainty], certainty_at[back]),
            "date_note": _strings(notes, back),
            "first_day": days(first_day),
            "last_day": days(last_day),
            "is_span": np.array(is_span, dtype=bool)[when_at[back]],
            "summary": _strings(summaries, back),
            "claimed_by": _strings(claimed, back),
            "source_ids": tuples(source_ids),
            "outlets": tuples(list(map(outlets.__getitem__, source_ids))),
            "n_sources": np.fromiter(map(len, source_ids), dtype="int64", count=n)[back],
            "n_citations": np.fromiter(map(len, passages), dtype="int64", count=n)[back],
            "search_text": _strings(search_text, back),
        })


def _distinct(keys: Iterable[Hashable], items: Sequence | None = None) -> tuple[list, np.ndarray]:
    """The distinct keys in order of first appearance, and where each row's key stands among them.

    With `items` (one per key), the first item of each distinct key rather than the key itself.
    """
    index: dict[Hashable, int] = {}
    at = np.fromiter((index.setdefault(key, len(index)) for key in keys), dtype=np.intp)
    if items is None:
        return list(index), at
    first = np.unique(at, return_index=True)[1]  # the first row of each key, in the keys' order
    return [items[i] for i in first], at


def _strings(values: list[str], at: np.ndarray) -> pd.Series | list[str]:
    """The column values[at] of text as pandas would store it, made faster: straight into Arrow when pandas stores text there.

    The buffers come from the system allocator: Arrow's default one (mimalloc) backs big buffers with
    huge pages, which the kernel zeroes as they are first touched; on the benchmark's virtual machine
    that alone added up to half a second for 100,000 events, and varied from run to run.
    """
    if _STR.storage != "pyarrow":
        return [values[i] for i in at]
    import pyarrow as pa
    import pyarrow.compute as pc

    pool = pa.system_memory_pool()
    return pd.Series(pc.take(pa.array(values, type=pa.large_string(), memory_pool=pool), at, memory_pool=pool), dtype=_STR)


_STR = pd.Series(["x"]).dtype  # pandas' own choice of text dtype (Arrow-backed when pyarrow is installed)
