"""Find a quote in its source text and the passage around it."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Typographic characters folded to their plain forms when an exact match fails.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
})
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+")
_CLOSERS = "\"'\u201d\u2019)"
_FOLDABLE = re.compile("[" + "".join(map(chr, _FOLD)) + "]")
_CHANGED = re.compile(r"\s{2,}|[^\S ]|\u2026")  # what normalise() rewrites: whitespace other than one space, ellipses
# Words whose period does not end a sentence: initials (U.S., D.C.) and titles.
_ABBREVIATION = re.compile(r"(?:\b(?:[A-Z]\.)+[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|No|vs|etc|Gen|Gov|Sen|Rep|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec))$")


def _sentence_ends(text: str, lo: int, hi: int):
    """Positions just after each sentence end between lo and hi."""
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if text[m.start()] == "." and _ABBREVIATION.search(text, max(lo, m.start() - 12), m.start()):
            continue
        yield m.end()


@dataclass(frozen=True)
class Anchor:
    """Where a quote stands in its source: character offsets into the original text."""

    start: int
    end: int
    exact: bool  # False when found only after folding whitespace and typography


def _fold(text: str) -> str:
    """Typographic marks as plain ones, character for character (offsets do not move)."""
    return _FOLDABLE.sub(lambda m: _FOLD[ord(m.group())], text)  # as text.translate(_FOLD), but visits only those


def _normalised(folded: str) -> str:
    """normalise()'s text alone, from text already folded by _fold: str.split() finds the whitespace
    runs that _CHANGED does (both go by str.isspace), without a regular expression visiting every character."""
    words = folded.split()
    if not words:
        return " " if folded else ""
    lead = " " if folded[0].isspace() else ""
    trail = " " if folded[-1].isspace() else ""
    return lead + " ".join(words).replace("\u2026", "...") + trail


def _offsets(folded: str, positions: list[int]) -> list[int]:
    """normalise(text)[1] at some positions of the normalised text, in increasing order, without the
    whole list: `folded` is text folded by _fold, and only the changes up to the last position are visited."""
    out: list[int] = []
    shift = 0  # how far offsets in the text run ahead of those in the normalised text, after the changes passed
    for m in _CHANGED.finditer(folded):
        at = m.start()
        width = 3 if folded[at] == "\u2026" else 1  # normalise() puts "..." or one space in its place
        while len(out) < len(positions) and positions[len(out)] < at - shift + width:
            pos = positions[len(out)]
            out.append(pos + shift if pos < at - shift else at)  # before this change, or in what replaced it
        if len(out) == len(positions):
            return out
        shift += m.end() - at - width
    return out + [pos + shift for pos in positions[len(out):]]


def normalise(text: str) -> tuple[str, list[int]]:
    """Fold whitespace runs to one space and typographic marks to plain ones.

    Returns the folded text and, for each of its characters, the offset of the
    original character it came from, so a match maps back exactly.
    """
    out: list[str] = []
    where: list[int] = []
    folded = _fold(text)
    pos = 0
    # Only what changes is visited (a single plain space stays as it is): whole articles fold fast.
    for m in _CHANGED.finditer(folded):
        at = m.start()
        out.append(folded[pos:at])
        where.extend(range(pos, at))
        if folded[at] == "\u2026":  # ellipsis
            out.append("...")
            where.extend((at, at, at))
        else:  # a run of whitespace
            out.append(" ")
            where.append(at)
        pos = m.end()
    out.append(folded[pos:])
    where.extend(range(pos, len(folded)))
    return "".join(out), where


def locate(quote: str, text: str) -> Anchor | None:
    """The quote's place in text: exact first, then tolerant of whitespace and typography."""
    if not quote.strip():
        return None
    at = text.find(quote)
    if at >= 0:
        return Anchor(at, at + len(quote), True)
    # As normalise() on both, but the article's offsets are worked out for the match alone, not listed for
    # each of its characters: a quote that is not verbatim costs a few passes of C code over its article.
    folded = _fold(text)
    norm_quote = _normalised(_fold(quote.strip()))
    at = _normalised(folded).find(norm_quote)
    if at < 0:
        return None
    start, last = _offsets(folded, [at, at + len(norm_quote) - 1])
    return Anchor(start, last + 1, False)


def closest_passage(quote: str, text: str) -> tuple[str, float]:
    """The stretch of one paragraph most like the quote, and how alike they are (0..1)."""
    norm_quote, _ = normalise(quote.strip())
    if not norm_quote or not text.strip():
        return "", 0.0
    best, best_text = -1.0, ""
    offset = 0
    for paragraph in text.split("\n"):
        start_of_paragraph, offset = offset, offset + len(paragraph) + 1
        if not paragraph.strip():
            continue
        norm_par, where = normalise(paragraph)
        width = min(len(norm_quote), len(norm_par))
        step = max(1, width // 8)
        starts = list(range(0, max(1, len(norm_par) - width + 1), step))
        for at in starts:
            ratio = difflib.SequenceMatcher(None, norm_quote, norm_par[at:at + width], autojunk=False).ratio()
            if ratio > best:
                best, best_at, best_par, best_where, best_width = ratio, at, paragraph, where, width
        if best_par is paragraph:  # refine around the best coarse window of this paragraph
            for at in range(max(0, best_at - step), min(len(norm_par) - width, best_at + step) + 1):
                ratio = difflib.SequenceMatcher(None, norm_quote, norm_par[at:at + width], autojunk=False).ratio()
                if ratio > best:
                    best, best_at = ratio, at
            end = best_where[min(len(best_where) - 1, best_at + best_width - 1)]
            best_text = paragraph[best_where[best_at]:end + 1].strip()
    return best_text, max(best, 0.0)


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The line (paragraph) or lines that contain text[start:end]."""
    p_start = text.rfind("\n", 0, start) + 1
    p_end = text.find("\n", end)
    return p_start, len(text) if p_end < 0 else p_end


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence or sentences that contain text[start:end], within its paragraph."""
    p_start, p_end = paragraph_bounds(text, start, end)
    s_start = p_start
    for pos in _sentence_ends(text, p_start, start):
        s_start = pos
    # A quote that ends its sentence ("…retribution.”") ends there, closing marks included.
    k = end
    while k > start and text[k - 1] in _CLOSERS:
        k -= 1
    s_end = next(_sentence_ends(text, max(k - 1, s_start), p_end), p_end)
    return s_start, len(text[:s_end].rstrip())
