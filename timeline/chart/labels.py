"""Greedy label placement that never overlaps (DESIGN-NOTES: "Labels that never overlap").

Each lane has a strip that holds its markers, and rows of labels ("slots") above it
(+1, +2, ...) and below it (-1, -2, ...). Walking a lane's markers by date, each label
takes the cheapest free (text, slot) pair: the full title, the event's short label (events.csv's
label column, where it has one), the title cut short, a shorter cut, and last the event's number
("#12"), in rows nearest first. A label starts just right
of its marker or ends just left of it; away from its marker it gets a leader, a vertical
stem at the marker's x that occupies the rows it crosses. Widths come from Arial Bold's
metrics, the font the figure asks for first. Rows are disjoint bands and lanes are
disjoint, so checking a label against its own row is enough for no two to overlap.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

# Advance widths of Arial Bold, 1/1000 em, for " ".."~" (Liberation Sans Bold is metric-compatible).
# Bold, so that emphasising the selected label never makes it collide or moves other labels.
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778,
    722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333,
    278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
)
_EXTRA = {"“": 500, "”": 500, "‘": 278, "’": 278, "–": 556, "—": 1000, "…": 1000, "·": 278, "é": 556}
BORDER_PAD = 1  # the annotations' borderpad, on each side
GAP = 6         # clear pixels between two labels in a row
OFFSET = 4      # a label starts this far right of its marker's x (or ends this far left of it)
TEXT_COST = 1.5 # a shorter text is worth this many rows nearer the marker
NUMBER_COST = 100  # a number ("#12") in place of words costs more than any words in any row
PASSES = 120    # layouts tried per lane, at most
MAX_LABELS = 300  # lane entries labelled at most; the rest show their title on hover only
SNAP = 6        # labels of markers closer than this (px) in a lane are anchored at one x
REACH = 40      # labels this close (px) to a marker whose label found no room are asked to give way
STEM = 1.5      # half-width of a leader stem
LEADER_FROM = 12  # a label further than this from its marker's centre gets a leader
SEARCH_NODES = 5000  # placements tried at most by the search for a lane the greedy passes leave labels out of
SEARCH_UP_TO = 60     # lane entries at most for that search (a longer lane keeps the greedy layout)
SEARCH_OPTIONS = 3000  # and their (text, row, side) choices at most
KIND_RANK = {"event": 0, "claim": 1, "statistic": 2, "context": 3}  # which kind is labelled first, all else equal


def text_width(text: str, size: float) -> float:
    """Width in pixels of `text` set in bold Arial at `size` px."""
    total = 0
    for ch in text:
        code = ord(ch)
        if 32 <= code < 127:
            total += _BOLD[code - 32]
        elif ch in _EXTRA:
            total += _EXTRA[ch]
        else:
            total += 1000 if unicodedata.east_asian_width(ch) in ("W", "F") else 722
    return total * size / 1000


@lru_cache(maxsize=65536)
def label_width(text: str, size: float) -> float:
    """Width of the label's box: the text and the annotation's padding."""
    return text_width(text, size) + 2 * BORDER_PAD + 2


def truncate(text: str, max_chars: int) -> str:
    """`text` cut to at most `max_chars` characters, at a word boundary if one is near, with an ellipsis."""
    if len(text) <= max_chars:
        return text
    cut = text[: max_chars - 1]
    space = cut.rfind(" ")
    if space >= max_chars * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-“‘(") + "…"


def wrap(text: str, width: int) -> str:
    """`text` broken at spaces into lines of at most about `width` characters, joined by <br>."""
    if len(text) <= width:
        return text
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(lines)


@dataclass(frozen=True)
class Box:
    """A rectangle in figure pixels, y growing downwards."""

    x0: float
    y0: float
    x1: float
    y1: float

    def intersects(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1


@dataclass(frozen=True)
class LabelRequest:
    """One label to place: an event's marker in one lane, and the texts it may show, best first."""

    event_id: str
    lane: str
    x: float                  # the marker's x in figure pixels
    lo: float                 # the panel's left and right edges: a label stays inside its panel
    hi: float
    texts: tuple[str, ...]    # e.g. (title truncated to fit, shorter title, number)
    number: str               # the fallback text; a label showing it is "numbered"
    panel: int = 0            # which x axis the marker is on
    rank: int = 0             # importance, 0 the most important (when not every entry can have a label)


@dataclass(frozen=True)
class LabelPlacement:
    """Where a label went. y values are filled in once the lane heights are known."""

    event_id: str
    lane: str
    text: str
    numbered: bool
    slot: int                 # +k: k-th row above the lane's markers; -k: k-th row below
    anchor: str               # "left": the text starts at the marker; "right": it ends there
    x0: float
    x1: float
    marker_x: float
    panel: int = 0
    y0: float = 0.0
    y1: float = 0.0
    marker_y: float = 0.0

    @property
    def box(self) -> Box:
        return Box(self.x0, self.y0, self.x1, self.y1)

    @property
    def leader(self) -> bool:
        """Whether a stem joins the label to its marker: it sits more than a few pixels away from it."""
        return abs((self.y1 if self.slot > 0 else self.y0) - self.marker_y) > LEADER_FROM

    @property
    def truncated(self) -> bool:
        return self.text.endswith("…")


def _spread(positions: np.ndarray) -> np.ndarray:
    """Bit-reversed positions: 0, 4, 2, 6, 1, 5, ... visits a sequence evenly at every scale."""
    rest = np.asarray(positions, dtype=np.int64).copy()
    out = np.zeros_like(rest)
    for _ in range(max(1, int(rest.max(initial=0)).bit_length())):
        out, rest = (out << 1) | (rest & 1), rest >> 1
    return out


def _turns(groups: np.ndarray) -> np.ndarray:
    """For each item, how many items of its group come before it (pandas' groupby cumcount)."""
    return pd.Series(groups).groupby(groups, sort=False).cumcount().to_numpy()


def label_requests(rows: pd.DataFrame, bounds: Sequence[tuple[float, float]], width: int,
                   max_labels: int = MAX_LABELS, numbers: bool = True, ranked: bool = False,
                   pinned: Sequence[str] = ()) -> list[LabelRequest]:
    """A request per lane entry (columns id, lane, title, number, panel, px): texts to try, bounds, column.

    Past `max_labels` entries (or whenever `ranked`), the requests are ranked and only the most important events
    of each lane in turn are labelled: the `pinned` events first, then those reported by the most sources, then
    events before claims, statistics and context, then the most cited.
    """
    rows = rows[[c for c in ("id", "lane", "title", "label", "number", "panel", "px", "kind", "n_sources", "n_citations")
                 if c in rows]]
    if len(rows) > max_labels or ranked:
        # the most important events of each lane in turn, so every lane gets its share; among equals, a
        # spread over time (van der Corput order of their dates) rather than the earliest
        # (worked out on positions, so that only the chosen rows are ever copied)
        by_px = np.argsort(rows["px"].to_numpy(), kind="stable")
        lane = pd.factorize(rows["lane"])[0]
        spread = np.empty(len(rows), dtype=np.int64)
        spread[by_px] = _spread(_turns(lane[by_px]))
        keys = [spread]  # least significant first, for np.lexsort
        if "n_citations" in rows:
            keys.append(-rows["n_citations"].to_numpy())
        if "kind" in rows:
            keys.append(rows["kind"].map(KIND_RANK).fillna(len(KIND_RANK)).to_numpy())
        if "n_sources" in rows:
            keys.append(-rows["n_sources"].to_numpy())
        if pinned:
            keys.append(~rows["id"].isin(list(pinned)).to_numpy())
        best = np.lexsort(keys)
        chosen = best[np.lexsort((np.arange(len(best)), _turns(lane[best])))[:max_labels]]
        rows = rows.iloc[chosen].assign(rank=np.arange(len(chosen)))
    long = int(np.clip(width // 32, 24, 60))
    out, column = [], {}
    for r in rows.sort_values("px").itertuples():
        # markers a few px apart share one column, so that one's label cannot cover the other's leader
        x = column[r.lane] if r.lane in column and r.px - column[r.lane] < SNAP else r.px
        column[r.lane] = x
        lo, hi = bounds[r.panel]
        texts = dict.fromkeys(label_texts(r.title, getattr(r, "label", ""), long)
                              + (["#" + r.number] if numbers else []))  # without numbers, a label that finds no room is left out
        out.append(LabelRequest(r.id, r.lane, x, lo, hi, tuple(texts), "#" + r.number, r.panel, getattr(r, "rank", 0)))
    return out


def label_texts(title: str, label: str, long: int) -> list[str]:
    """The texts an event's label may show, best first: its title, its short label where it has one, then the
    title cut short (72 characters, `long`, 22). The label comes before any cut: it says the event in words where
    a cut stops mid-sentence. A cut at least as wide as the label is left out, since where the label finds no room
    a wider box at the same place finds none either (widths scale with the font size, so size 1 compares them)."""
    cuts = [truncate(title, 72), truncate(title, long), truncate(title, 22)]
    if not label or label == title:
        return cuts
    whole = [title] if len(title) <= 72 else []
    narrow = text_width(label, 1)
    return whole + [label] + [cut for cut in cuts if cut != title and text_width(cut, 1) < narrow]


def slot_order(max_slots: int) -> list[int]:
    """+1, -1, +2, -2, ...: nearest rows first, above before below."""
    return [s for k in range(1, max_slots + 1) for s in (k, -k)]


def _free(row: Sequence[tuple[float, float, bool]] | None, x0: float, x1: float, gap: float, stem: bool = False) -> bool:
    """Whether [x0, x1] keeps `gap` px from every label in the row and 1 px from every stem.

    A stem may run along another stem (same column, both from markers at one date).
    """
    return not row or all(b + (gap if is_label else 1) <= x0 or a - (gap if is_label else 1) >= x1
                          for a, b, is_label in row if is_label or not stem)


def candidates(n_texts: int, slots: Sequence[int]) -> list[tuple[int, int]]:
    """(text index, slot) pairs, cheapest first: a nearer row beats a longer text a little."""
    pairs = [(t, s) for t in range(n_texts) for s in slots]
    return sorted(pairs, key=lambda ts: (abs(ts[1]) + TEXT_COST * ts[0], ts[0]))


def place_lane(requests: Iterable[LabelRequest], slots: Sequence[int], size: float,
               passes: int = PASSES, search: bool = True) -> list[LabelPlacement]:
    """Place one lane's labels so that every one finds a slot, with texts as long as room allows.

    A greedy pass can leave a later label no room at all (its column is covered by earlier
    labels in every row). Then the widest label in its way gives up its longest text and the
    lane is laid out again, until every label is placed or nothing more can give way. Then
    each label that gave text up tries to take it back, keeping it unless fewer labels get
    placed. `passes` bounds the number of layouts tried (0: one greedy pass).

    When some label still finds no slot, the lane is laid out once more from its latest marker back: markers a few
    px apart (a crowded day, the event-order scale) stack their labels as a staircase whose stems cross no label
    only when the later ones take the nearer rows. If some are still left out, a last pass lets them choose their
    rows before the others. The layout that places most labels is kept. Last (unless not `search`), a lane of at most
    SEARCH_UP_TO entries still short of room is searched for a layout that places more (`_search`).
    """
    requests = list(requests)
    best = _place_lane(sorted(requests, key=lambda r: r.x), slots, size, passes)
    if len(best) < len(requests):
        back = _place_lane(sorted(requests, key=lambda r: -r.x), slots, size, passes)
        if len(back) > len(best):
            best = back
    if len(best) < len(requests):  # those still without a label choose first, the others after them
        have = {p.event_id for p in best}
        first = sorted(requests, key=lambda r: (r.event_id in have, -r.x))
        again = _place_lane(first, slots, size, passes)
        if len(again) > len(best):
            best = again
    if search and len(requests) <= SEARCH_UP_TO and (len(best) < len(requests) or any(p.numbered for p in best)):
        texts = {r.event_id: r.texts for r in requests}
        found = _search(requests, slots, size, len(best), sum(_cost(p, texts[p.event_id]) for p in best))
        if found is not None:
            best = found
    return best


def _cost(p: LabelPlacement, texts: Sequence[str]) -> float:
    """What a placed label costs: its row's distance from the lane, its text's place in the list, a number's price."""
    return abs(p.slot) + TEXT_COST * texts.index(p.text) + (NUMBER_COST if p.numbered else 0)


def _search(requests: Sequence[LabelRequest], slots: Sequence[int], size: float, beat: int, beat_cost: float = -1.0,
            nodes: int = SEARCH_NODES) -> list[LabelPlacement] | None:
    """A layout placing more than `beat` of the lane's labels, or as many for less than `beat_cost` (see `_cost`: e.g.
    words where a number stood), the cheapest such one found within `nodes` steps, or None.

    Every label's choices (text, row, side) are listed with the choices of other labels each one rules out (boxes
    too near in a row, a stem through a box). Depth first, the label with the fewest choices left goes next: each of
    its choices cheapest first, then going without. A branch that can no longer place more labels, or as many more
    cheaply, is cut.
    """
    reqs = list(requests)
    owner, cost, slot, anchor, text, x0, x1, mx = [], [], [], [], [], [], [], []
    for i, r in enumerate(reqs):
        numbered = r.texts[-1] == r.number
        n_words = len(r.texts) - numbered
        for t, s in candidates(n_words, slots) + ([(n_words, s) for s in slots] if numbered else []):
            width = label_width(r.texts[t], size)
            for side, start in (("left", r.x + OFFSET), ("right", r.x - OFFSET - width)):
                if start >= r.lo and start + width <= r.hi:
                    owner.append(i)
                    cost.append(abs(s) + TEXT_COST * t + (NUMBER_COST if t == n_words else 0))
                    slot.append(s)
                    anchor.append(side)
                    text.append(t)
                    x0.append(start)
                    x1.append(start + width)
                    mx.append(r.x)
    n = len(owner)
    if not n or n > SEARCH_OPTIONS:
        return None
    own, sl, a0, a1, x = (np.array(v) for v in (owner, slot, x0, x1, mx))
    same_row = (sl[:, None] == sl[None, :]) & (a0[:, None] < a1[None, :] + GAP) & (a0[None, :] < a1[:, None] + GAP)
    # j's stem crosses i's row (between j's marker and j's row) and i's box
    crossed = (np.sign(sl[:, None]) == np.sign(sl[None, :])) & (np.abs(sl[:, None]) < np.abs(sl[None, :]))
    stem = crossed & (a0[:, None] < x[None, :] + STEM + 1) & (x[None, :] - STEM - 1 < a1[:, None])
    clash = same_row | stem | stem.T | (own[:, None] == own[None, :])
    rows = np.packbits(clash, axis=1, bitorder="little")
    ruled_out = [int.from_bytes(row.tobytes(), "little") for row in rows]
    of_label = [0] * len(reqs)
    for k, i in enumerate(owner):
        of_label[i] |= 1 << k  # within a label, choices are listed cheapest first: its lowest bit is its cheapest
    best: dict = {"count": beat, "cost": beat_cost - 1e-9, "choice": None}
    left = [nodes]

    def visit(free: int, todo: list[int], count: int, spent: float, chosen: list[int], roomy: bool) -> None:
        left[0] -= 1
        open_ = [(bin(free & of_label[i]).count("1"), i) for i in todo if free & of_label[i]]
        reach = count + len(open_)
        least = sum(cost[(free & of_label[i] & -(free & of_label[i])).bit_length() - 1] for _, i in open_)
        if reach < best["count"] or (reach == best["count"] and spent + least >= best["cost"]):
            return
        if not open_:
            best.update(count=count, cost=spent, choice=list(chosen))
            return
        _, i = min(open_)
        rest = [j for _, j in open_ if j != i]
        mine, ks = free & of_label[i], []
        while mine:
            ks.append((mine & -mine).bit_length() - 1)
            mine &= mine - 1
        if roomy:  # the choices that leave the others most room first
            ks.sort(key=lambda k: bin(free & ruled_out[k]).count("1"))
        for k in ks:
            if left[0] <= 0:
                return
            chosen.append(k)
            visit(free & ~ruled_out[k], rest, count + 1, spent + cost[k], chosen, roomy)
            chosen.pop()
        if left[0] > 0:
            visit(free, rest, count, spent, chosen, roomy)

    # first a layout that places as many as can be (each label taking the choice that leaves the others most room),
    # then, with what is left of the steps, a cheaper one placing as many (each label's cheapest choices first)
    left[0] = nodes // 2
    visit((1 << n) - 1, list(range(len(reqs))), 0, 0.0, [], True)
    left[0] += nodes - nodes // 2
    visit((1 << n) - 1, list(range(len(reqs))), 0, 0.0, [], False)
    if best["choice"] is None:
        return None
    return [LabelPlacement(reqs[owner[k]].event_id, reqs[owner[k]].lane, reqs[owner[k]].texts[text[k]],
                           reqs[owner[k]].texts[text[k]] == reqs[owner[k]].number, slot[k], anchor[k], x0[k], x1[k],
                           reqs[owner[k]].x, reqs[owner[k]].panel)
            for k in sorted(best["choice"], key=lambda k: x0[k])]


def _place_lane(reqs: list[LabelRequest], slots: Sequence[int], size: float, passes: int) -> list[LabelPlacement]:
    start = [0] * len(reqs)

    def run() -> dict[int, LabelPlacement]:
        return dict(_greedy([replace(r, texts=r.texts[s:]) for r, s in zip(reqs, start)], slots, size))

    placed = best = run()
    best_start, budget = list(start), passes
    while len(placed) < len(reqs) and budget:
        changed = False
        for i in (i for i in range(len(reqs)) if i not in placed):
            near = [j for j, p in placed.items()
                    if p.x0 - REACH <= reqs[i].x <= p.x1 + REACH and start[j] < len(reqs[j].texts) - 1]
            if near:
                start[max(near, key=lambda j: placed[j].x1 - placed[j].x0)] += 1
                changed = True
        if not changed:
            break
        placed, budget = run(), budget - 1
        if len(placed) > len(best):
            best, best_start = placed, list(start)
    if len(placed) < len(best):
        start = list(best_start)
    for i in range(len(reqs)):
        while start[i] and budget:
            start[i], budget = start[i] - 1, budget - 1
            trial = run()
            if len(trial) < len(best):
                start[i] += 1
                break
            best = trial
    return list(best.values())


def place_by_rank(requests: Iterable[LabelRequest], slots: Sequence[int], size: float) -> list[LabelPlacement]:
    """One greedy pass, the most important label first: for crowded lanes, where not every entry can have a
    label, whole titles for the events that matter most rather than shortened ones for more of them."""
    return [p for _, p in _greedy(sorted(requests, key=lambda r: (r.rank, r.x)), slots, size)]


def _greedy(requests: list[LabelRequest], slots: Sequence[int], size: float) -> list[tuple[int, LabelPlacement]]:
    """One greedy pass in the requests' order (date order, or its reverse); labels that find no slot are left out.

    A label starts just right of its marker (or ends just left of it), so the marker's own
    column stays free for the stems of other labels of markers at the same date.
    """
    rows: dict[int, list[tuple[float, float, bool]]] = {}
    out = []
    for index, req in enumerate(requests):
        numbered = req.texts[-1] == req.number
        texts = req.texts[:-1] if numbered else req.texts
        # the number is the last resort, in any slot, after every text in every slot
        order = candidates(len(texts), slots) + ([(len(texts), s) for s in slots] if numbered else [])
        for t, slot in order:
            text = req.texts[t]
            width = label_width(text, size)
            step = 1 if slot > 0 else -1
            crossed = range(step, slot, step)
            if not all(_free(rows.get(s), req.x - STEM, req.x + STEM, 1, stem=True) for s in crossed):
                continue
            spot = next(((x0, x0 + width, a) for a, x0 in (("left", req.x + OFFSET), ("right", req.x - OFFSET - width))
                         if x0 >= req.lo and x0 + width <= req.hi and _free(rows.get(slot), x0, x0 + width, GAP)), None)
            if spot is None:
                continue
            x0, x1, anchor = spot
            rows.setdefault(slot, []).append((x0, x1, True))
            for s in crossed:
                rows.setdefault(s, []).append((req.x - STEM, req.x + STEM, False))
            out.append((index, LabelPlacement(req.event_id, req.lane, text, text == req.number, slot, anchor, x0, x1, req.x,
                                              req.panel)))
            break
    return out


def overlapping(placements: Sequence[LabelPlacement]) -> list[tuple[LabelPlacement, LabelPlacement]]:
    """Every pair of labels whose boxes intersect (none, when the layout is right)."""
    boxes = sorted(placements, key=lambda p: p.x0)
    pairs = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b.x0 >= a.x1:
                break
            if a.box.intersects(b.box):
                pairs.append((a, b))
    return pairs
