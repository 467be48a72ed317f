"""Plain-words descriptions of a view, for exports: alt text (and putting it into SVG and PDF files),
subtitle and credit line."""
from __future__ import annotations

import io
import re
from itertools import chain
from typing import Sequence

import pandas as pd

from timeline.data.chronology import Chronology
from timeline.filters import ViewState
from timeline.render import esc
from timeline.words import _and, count, period  # noqa: F401  (period: for the exports)

_KIND_WORDS = {  # kind -> (one, many)
    "event": ("event", "events"), "claim": ("claim", "claims"),
    "statistic": ("statistic", "statistics"), "context": ("context entry", "context entries"),
}
_LANE_WORDS = {"category": "category", "actor": "actor", "source": "the outlet that reports them"}
VERIFIED = "quotes verified against the articles' text"
ALT_EVENTS = 200  # events listed by name at most: past that, alt text would be longer than anyone reads


def outlets(frame: pd.DataFrame) -> list[str]:
    """The outlets whose articles are cited for the events of `frame`, alphabetically."""
    names = set(chain.from_iterable(frame["outlets"].to_numpy())) if "outlets" in frame else set()
    return sorted(names, key=lambda o: o.casefold().removeprefix("the "))


def credit_line(frame: pd.DataFrame) -> str:
    """`Sources: Outlet A; Outlet B; … — quotes verified against the articles' text`."""
    names = outlets(frame)
    return f"Sources: {'; '.join(names)} — {VERIFIED}" if names else "No sources cited in this view"


def kind_counts(frame: pd.DataFrame) -> str:
    """`21 events, 12 claims, 3 statistics and 2 context entries`, in the kinds' own order."""
    counts = frame["kind"].value_counts()
    return _and([count(int(counts[k]), *words) for k, words in _KIND_WORDS.items() if k in counts])


def subtitle(chron: Chronology, frame: pd.DataFrame, state: ViewState) -> str:
    """`38 events, 1839 – November 2024 · All events, no filters`."""
    total = chron.n_events
    shown = f"{len(frame):,} of {total:,} events" if len(frame) != total else count(total, "event", "events")
    span = f", {period(chron, frame)}" if len(frame) else ""
    return f"{shown}{span} · {state.describe(chron)}"


def _lanes(chron: Chronology, frame: pd.DataFrame, state: ViewState) -> list[str]:
    if state.lanes == "actor":
        return list(dict.fromkeys(chron.label("actor", a) for a in dict.fromkeys(chain.from_iterable(frame["actors"].to_numpy()))))
    if state.lanes == "source":
        return outlets(frame)
    return list(frame["category_label"].unique())  # in order of first appearance


def alt_text(chron: Chronology, frame: pd.DataFrame, state: ViewState, labelled: Sequence[str] | None = None) -> str:
    """A plain-language description of the chart: period, counts, lanes, then every event in order.

    `labelled`: the events an image labels, when it cannot label them all: the alt text then names exactly those,
    in date order, and says how many more the image shows as markers."""
    view = state.describe(chron)
    if frame.empty:
        return f"Timeline chart with no events: nothing matches this view ({view})."
    span = period(chron, frame, " to ")
    parts = [
        f"Timeline chart of {count(len(frame), 'entry', 'entries')} {'from' if ' to ' in span else 'in'} {span} "
        f"({view}): {kind_counts(frame)}.",
        f"They are grouped in lanes by {_LANE_WORDS[state.lanes]}: {_and(_lanes(chron, frame, state))}.",
    ]
    if state.selected and (frame["id"] == state.selected).any():
        parts.append(f"Highlighted: {chron.by_id[state.selected].title}.")
    items = []
    named = frame.head(ALT_EVENTS) if labelled is None else frame[frame["id"].isin(set(labelled))].drop_duplicates("id")
    for row in named.itertuples():
        kind = "" if row.kind == "event" else f" — a {_KIND_WORDS[row.kind][0]}"
        if row.kind == "claim" and row.claimed_by:
            kind += f" by {row.claimed_by}"
        items.append(f"{row.date_label}: {row.title}{kind}")
    if labelled is not None:
        rest = frame["id"].nunique() - len(named)
        markers = f"shown as {'a marker' if rest == 1 else 'markers'} without a label (the data export lists them all)."
        if len(named) and not rest:
            parts.append("In date order: " + "; ".join(items) + ".")
        elif len(named):
            parts.append("Labelled in the image, in date order: " + "; ".join(items)
                         + f"; and {count(rest, 'more entry', 'more entries')} {markers}")
        else:
            parts.append(f"The image labels none of them: all {count(rest, 'entry is', 'entries are')} {markers}")
    else:
        more = f"; and {len(frame) - ALT_EVENTS:,} more (the data export lists them all)" if len(frame) > ALT_EVENTS else ""
        parts.append(("In date order: " if not more else f"The first {ALT_EVENTS} in date order: ") + "; ".join(items) + more + ".")
    parts.append(credit_line(frame) + ".")
    return " ".join(parts)


def svg_with_text(svg: str, title: str, alt: str, size: tuple[int, int] | None = None) -> str:
    """The SVG with <title> and <desc> first inside its root, the root labelled by them for screen readers.

    `size` sets the root's width and height (the viewBox keeps the layout), e.g. to the preset's pixels.
    """
    match = re.search(r"<svg\b[^>]*>", svg)
    if not match:
        raise ValueError("no <svg> element in the renderer's output")
    root = match.group(0)
    if size:
        root = re.sub(r'\swidth="[^"]*"', f' width="{size[0]}"', root, count=1)
        root = re.sub(r'\sheight="[^"]*"', f' height="{size[1]}"', root, count=1)
    labelled = root[:-1].rstrip("/") + ' role="img" aria-labelledby="export-title export-desc">'
    text = f'<title id="export-title">{esc(title)}</title><desc id="export-desc">{esc(alt)}</desc>'
    return svg[:match.start()] + labelled + text + svg[match.end():]


def pdf_with_metadata(pdf: bytes, title: str, alt: str, outlets: list[str], keywords: tuple[str, ...] = (),
                      creator: str = "timeline") -> bytes:
    """The PDF with its title, the alt text as /Subject and the outlets as /Keywords."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_metadata({"/Title": title, "/Subject": alt, "/Keywords": "; ".join([*keywords, *outlets]),
                         "/Creator": f"{creator} (plotly, kaleido)"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
