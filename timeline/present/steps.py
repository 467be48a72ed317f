"""Classroom presentation: the filtered chronology as numbered steps, and the take-away files.

`steps(chron, state)` is the one source of what a presentation shows: a title step, one
step per event of the view in date order, and a closing step listing the articles cited.
The page (views/present_view.py), the slide deck (`deck_pptx`, in present_pptx.py) and the
handout (`handout_pdf`, in present_pdf.py) all render these steps, with the same words for
provenance: what kind of entry it is, who makes a claim, and how certain the date is.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd

from timeline.words import count, period
from timeline.chart.layout import KIND_COLOURS, axis_break
from timeline.data.chronology import Chronology, Passage
from timeline.filters import ViewState, filter_events
from timeline.data.lessons import Lesson, StepKind
from timeline.data.models import Certainty, Event, Kind, Source

CLAIM_COLOUR = KIND_COLOURS["claim"]  # Okabe–Ito, as on the chart; shapes differ too (see present_html / present_pptx)
CERTAINTY_WORDS = {
    Certainty.exact: "date as stated in the source",
    Certainty.inferred: "date inferred",
    Certainty.approximate: "approximate date",
    Certainty.after: "exact date not known",
    Certainty.by: "exact date not known",
}
READING_KEY = ("CLAIM marks an allegation and names who makes it.  “c.” marks an approximate date; "
               "“inferred” a date worked out from the article or the public record; "
               "“after” and “by” a date the article only bounds.")
MARK_OPEN, MARK_CLOSE = "[[", "]]"  # the cited words inside their paragraph, in plain text

Role = Literal["title", "event", "compare", "question", "text", "sources"]


@dataclass(frozen=True)
class Step:
    """One screen of the presentation, one slide of the deck."""

    number: int                      # 1-based, as in ?step=
    total: int
    role: Role
    title: str
    event: Event | None = None
    passages: tuple[Passage, ...] = ()   # event steps: every passage cited, earliest article first
    sources: tuple[Source, ...] = ()     # title and sources steps: the articles cited, by publication date
    period: str = ""                     # title step: `1839 – November 2024`
    counts: str = ""                     # title step: `38 events — 21 events, 12 claims, …`
    view: str = ""                       # title step: the filters in words
    text: str = ""                       # question and text steps: the teacher's words
    notes: str = ""                      # a lesson step's speaker notes
    compared: tuple[Passage, ...] = ()   # compare steps: one passage per outlet, in the order the lesson names them
    lesson: str = ""                     # title step of a lesson: its id

    @property
    def counter(self) -> str:
        return f"Step {self.number} of {self.total}"

    @property
    def key_passage(self) -> Passage | None:
        """The passage shown on the slide: from the earliest-published article that reports the event."""
        return self.passages[0] if self.passages else None


def steps(chron: Chronology, state: ViewState) -> list[Step]:
    """Title step, one step per event of the view in date order, closing step with the articles cited."""
    frame = filter_events(chron.frame, state)  # the events the view lets through, in date order (as on the dashboard)
    events = [chron.by_id[i] for i in frame["id"]]
    cited: dict[str, Source] = {}
    for e in events:
        for s in chron.sources_for(e.id):
            cited.setdefault(s.id, s)
    sources = tuple(sorted(cited.values(), key=lambda s: (s.published.sort_key, s.outlet.casefold())))
    total = len(events) + 2
    out = [Step(1, total, "title", chron.story.title, sources=sources, period=period(chron, frame) if events else "",
                counts=event_counts(events), view=state.describe(chron))]
    out += [Step(i + 2, total, "event", e.title, event=e, passages=tuple(chron.passages_for(e.id)))
            for i, e in enumerate(events)]
    out.append(Step(total, total, "sources", "Articles cited", sources=sources))
    return out


def lesson_steps(chron: Chronology, lesson: Lesson) -> list[Step]:
    """A lesson as steps: a title step, the lesson's own steps in order, and the articles its slides quote.

    An event step quotes first the outlet the lesson names; a compare step holds one passage per outlet
    named (the earliest in its article), side by side on the slide.
    """
    total = len(lesson.steps) + 2
    out: list[Step] = []
    cited: dict[str, Source] = {}
    for ls in lesson.steps:
        event = chron.by_id.get(ls.event_id) if ls.event_id else None
        passages: tuple[Passage, ...] = ()
        compared: tuple[Passage, ...] = ()
        if event is not None:
            every = chron.passages_for(event.id)
            rank = {sid: i for i, sid in enumerate(ls.source_ids)}
            passages = tuple(sorted(every, key=lambda p: rank.get(p.source.id, len(rank))))
            if ls.kind is StepKind.compare:
                compared = tuple(next(p for p in every if p.source.id == sid) for sid in ls.source_ids)
            shown = compared or (passages[:1] if ls.kind is StepKind.event else ())
            for p in shown:
                cited.setdefault(p.source.id, p.source)
        title = event.title if event is not None and ls.kind in (StepKind.event, StepKind.compare) else (
            "Discuss" if ls.kind is StepKind.question else lesson.title)
        out.append(Step(ls.number + 1, total, ls.kind.value, title, event=event, passages=passages, text=ls.text,
                        notes=ls.notes, compared=compared))
    sources = tuple(sorted(cited.values(), key=lambda s: (s.published.sort_key, s.outlet.casefold())))
    events = list(dict.fromkeys(s.event.id for s in out if s.event))
    frame = chron.frame[chron.frame["id"].isin(events)]
    counts = f"{count(len(lesson.steps), 'step', 'steps')} on {count(len(events), 'event', 'events')}"
    head = Step(1, total, "title", lesson.title, sources=sources, period=period(chron, frame) if events else "",
                counts=counts, view=f"A lesson on {chron.story.title}", lesson=lesson.id)
    return [head, *out, Step(total, total, "sources", "Articles quoted", sources=sources)]


def lesson_by_id(chron: Chronology, lesson_id: str) -> Lesson | None:
    return next((lesson for lesson in chron.lessons if lesson.id == lesson_id), None)


_KIND_WORDS = {Kind.claim: ("claim", "claims"), Kind.statistic: ("statistic", "statistics"),
               Kind.context: ("context entry", "context entries")}


def event_counts(events: list[Event]) -> str:
    """`38 events, among them 12 claims, 3 statistics and 2 context entries`."""
    if not events:
        return "No events match this view"
    n = count(len(events), "event", "events")
    kinds = [e.kind for e in events]
    others = [count(kinds.count(k), *words) for k, words in _KIND_WORDS.items() if k in kinds]
    if len(set(kinds)) == 1 and kinds[0] is not Kind.event:
        return f"{n}, all of them {_KIND_WORDS[kinds[0]][1]}" if len(events) > 1 else f"{n}: a {_KIND_WORDS[kinds[0]][0]}"
    if not others:
        return n
    return f"{n}, among them " + (" and ".join(others) if len(others) <= 2 else ", ".join(others[:-1]) + " and " + others[-1])


def clamp(step: int, total: int) -> int:
    return max(1, min(total, step))


def step_of_event(all_steps: list[Step], event_id: str) -> int | None:
    return next((s.number for s in all_steps if s.event and s.event.id == event_id), None)


# --- provenance in words: the same on the page, the slides and the handout ----------------
def kind_banner(event: Event) -> str:
    """`CLAIM — made by …`, `STATISTIC — figure from …`, `EVENT`, `CONTEXT`."""
    if event.kind is Kind.claim:
        return f"CLAIM — made by {event.claimed_by}"
    if event.kind is Kind.statistic and event.claimed_by:
        return f"STATISTIC — figure from {event.claimed_by}"
    return event.kind.value.upper()


def attribution(event: Event) -> str:
    """`Claim made by …` / `Figure from …`: who stands behind an entry that is not plain reporting."""
    if event.kind is Kind.claim:
        return f"Claim made by {event.claimed_by}"
    return f"Figure from {event.claimed_by}" if event.claimed_by else ""


def corroboration(step: Step) -> str:
    """After the key quote: ` · also reported by X, Y`, ` · single source`, or nothing."""
    key = step.key_passage
    if key is None:
        return ""
    others = list(dict.fromkeys(p.source.outlet for p in step.passages[1:] if p.source.outlet != key.source.outlet))
    if others:
        return f" · also reported by {', '.join(others)}"
    return " · single source" if len({p.source.id for p in step.passages}) == 1 else ""


def date_certainty(event: Event) -> str:
    return CERTAINTY_WORDS[event.date_certainty]


def headline(source: Source) -> str:
    return f"“{source.headline}”" + (" (descriptive title)" if source.headline_descriptive else "")


def citation(source: Source) -> str:
    """`Outlet, “Headline …”, 8 May 2024`: outlet, headline, publication date."""
    return f"{source.outlet}, {headline(source)}, {source.published_label}"


def quoted(text: str) -> str:
    """The words between curly quotes, unless the passage is itself one whole quotation."""
    text = text.strip()
    whole = (text[:1] == "“" and text[-1:] == "”" and text.count("“") == 1) or (
        text[:1] == text[-1:] == '"' and text.count('"') == 2)
    return text if whole else f"“{text}”"


def in_context(passage: Passage) -> str:
    """The paragraph around the quote, with the cited words between [[ and ]]."""
    before, words, after = passage.context("paragraph")
    return " ".join(f"{before.strip()} {MARK_OPEN}{words}{MARK_CLOSE} {after.strip()}".split())


def outlets_line(sources: tuple[Source, ...]) -> str:
    names = sorted({s.outlet for s in sources}, key=lambda o: o.casefold().removeprefix("the "))
    return " · ".join(names)


# --- the timeline strip: where each event sits, shared by the page and the deck ----------
@dataclass(frozen=True)
class Mark:
    event_id: str
    step: int
    kind: str
    x: float          # 0..1 across the strip, at the event's first day
    x_end: float      # where its period or band ends (== x for a single day)
    level: int        # 0 on the axis; 1, 2, … stacked above when marks would touch
    approximate: bool
    label: str        # `date · title`, for tooltips


@dataclass(frozen=True)
class Strip:
    marks: tuple[Mark, ...]
    ticks: tuple[tuple[float, str], ...]
    breaks: tuple[float, ...]   # x of an axis break (a long empty gap cut out)
    levels: int


HISTORY_SHARE, BREAK_GAP = 0.1, 0.03


def strip(all_steps: list[Step], min_gap: float = 0.014, max_levels: int = 4) -> Strip:
    """Every event of the steps on one horizontal axis, a long empty gap cut out as on the chart."""
    first: dict[str, tuple[int, Event]] = {}
    for s in all_steps:
        if s.event and s.event.id not in first:  # a lesson may come back to an event: one mark, at its first step
            first[s.event.id] = (s.number, s.event)
    events = sorted(first.values(), key=lambda ne: (ne[1].date_key, ne[1].id))
    if not events:
        return Strip((), (), (), 1)
    df = pd.DataFrame({"first_day": [pd.Timestamp(e.first_day) for _, e in events],
                       "last_day": [pd.Timestamp(e.last_day) for _, e in events]})
    cut = axis_break(df)
    parts = [(df, 0.0, 1.0)] if cut is None else [
        (df[df.first_day < cut], 0.0, HISTORY_SHARE), (df[df.first_day >= cut], HISTORY_SHARE + BREAK_GAP, 1.0)]
    panels = []  # (first date, last date, x0, x1)
    for part, x0, x1 in parts:
        lo, hi = part.first_day.min(), part.last_day.max()
        pad = max((hi - lo) * 0.03, pd.Timedelta(days=60))
        panels.append((lo - pad, hi + pad, x0, x1))

    def x_of(t: pd.Timestamp) -> float:
        start, end, x0, x1 = next((p for p in panels if t <= p[1]), panels[-1])
        return x0 + (x1 - x0) * (t - start).total_seconds() / (end - start).total_seconds()

    ends: dict[int, float] = {}
    marks = []
    for number, e in events:
        x, x_end = x_of(pd.Timestamp(e.first_day)), x_of(pd.Timestamp(e.last_day))
        level = next((lv for lv in range(max_levels) if ends.get(lv, -1.0) + min_gap <= x), None)
        if level is None:
            level = min(ends, key=ends.__getitem__)
        ends[level] = x
        marks.append(Mark(e.id, number, e.kind.value, x, x_end, level, e.date_certainty is Certainty.approximate,
                          f"{e.date_label} · {e.title}"))
    ticks = []
    for (start, end, x0, x1), (part, _, _) in zip(panels, parts):
        if x1 - x0 < 0.2:  # the narrow historical panel: just where it starts
            ticks.append((x_of(part.first_day.min()), str(part.first_day.min().year)))
            continue
        first = part.first_day.min()
        years = range(first.year + (first != pd.Timestamp(first.year, 1, 1)), part.last_day.max().year + 1)
        room = max(1, int((x1 - x0) / 0.07))  # a year label needs about 7 % of the width
        every = next(k for k in (1, 2, 5, 10, 20, 50, 100) if len(years) / k <= room)
        ticks += [(x_of(pd.Timestamp(y, 1, 1)), str(y)) for y in years if y % every == 0]
    breaks = (HISTORY_SHARE + BREAK_GAP / 2,) if cut is not None else ()
    return Strip(tuple(marks), tuple(ticks), breaks, max(m.level for m in marks) + 1)


# --- fonts for the handout (embedded) and for measuring text on slides ---------------------
FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation"), Path("/usr/share/fonts/truetype/dejavu"))
_FAMILIES = {  # style -> candidate files, best first (Liberation Sans has Arial's metrics)
    "": ("LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
    "B": ("LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
    "I": ("LiberationSans-Italic.ttf", "DejaVuSans-Oblique.ttf", "LiberationSans-Regular.ttf", "DejaVuSans.ttf"),
    "BI": ("LiberationSans-BoldItalic.ttf", "DejaVuSans-BoldOblique.ttf", "LiberationSans-Bold.ttf", "DejaVuSans-Bold.ttf"),
}


class FontMissing(RuntimeError):
    """Raised when no Unicode TrueType font for the handout is installed."""

    def __init__(self) -> None:
        super().__init__("The handout needs a Unicode font: install one with "
                         "`sudo apt-get install fonts-liberation` (or fonts-dejavu-core).")


@cache
def font_file(style: str = "") -> Path:
    """A TrueType file for `style` ("", "B", "I", "BI") that has curly quotes and dashes."""
    for name in _FAMILIES[style]:
        for folder in FONT_DIRS:
            if (folder / name).is_file():
                return folder / name
    raise FontMissing()
