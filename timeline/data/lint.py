"""Warnings about how a valid chronology is written: what the house rules ask of it that the tables alone cannot.

A warning does not make the data invalid: `validate` lists it after the problems (or after the OK line)
and exits 0 unless it is given --strict. Each warning names its place and its fix as a Problem does.

The rules:

1. A claim names its claimant. Its title or its summary contains, ignoring case and typography, either
   claimed_by in full, or claimed_by's head: the text before its first comma, semicolon, " (" or " as ",
   without a leading "The" (so "Ministry of Health, as reported by the City Herald" is named by
   "Ministry of Health"), or the label of an actor in vocabulary.csv that contains that head or that the
   head contains, as whole words (so "Foreign Ministry spokesperson Jane Doe" is named by an actor
   labelled "Foreign Ministry").
2. A title, label or summary uses no loaded word outside quotation marks (“…”, "…", ‘…’): a source's own words,
   quoted, are the source's; unquoted, they are the timeline's. See LOADED for the list.
3. A relation's note quotes its pair: in quotation marks, at least three words found, after
   timeline.data.anchor.normalise and ignoring case, in a passage cited by one of its two events or in the
   relation's own quote. A quotation with an ellipsis or a bracketed insertion counts by its pieces.
4. An article's "did not respond" sentence is cited: where an article says that someone did not respond,
   declined to comment, did not return a request or could not be reached, some citation's quote overlaps
   that sentence (see SILENCE).
"""
from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from timeline.data.anchor import _fold as _fold_marks, _normalised, sentence_bounds
from timeline.data.chronology import Chronology
from timeline.data.lens_data import RELATIONS
from timeline.data.load import EVENTS, LoadResult
from timeline.data.models import Event, Kind
from timeline.data.perf import gc_paused
from timeline.data.lens_rows import Relation
from timeline.data.problems import Problem
from timeline.data.tables import read_table


@dataclass(frozen=True)
class LintWarning(Problem):
    """A Problem that leaves the data valid: a point of writing to look at, worded and placed as a problem is."""


# Words that take a side or pass judgment when the timeline says them in its own voice. They belong to
# general news writing, not to any one story; a source may use them, in quotation marks.
#   labels for one side:               regime, propaganda, mouthpiece, so-called, thugs
#   verdicts on people or acts:        notorious, infamous, brazen, egregious, outrageous, shocking, disgraceful
#   verdicts on truth:                 admitted, admits, conceded, lied, liar, cover-up, coverup
#   verbs of attack or defeat:         slammed, blasted, caved
#   pictures of harm:                  flooded, flooding, poisoning, scourge
#   the writer's certainty or impatience: finally, clearly, obviously, undeniably
# "lies" is left out: it also means "is located" ("the cause lies within").
LOADED = ("regime", "propaganda", "mouthpiece", "so-called", "thugs",
          "notorious", "infamous", "brazen", "egregious", "outrageous", "shocking", "disgraceful",
          "admitted", "admits", "conceded", "lied", "liar", "cover-up", "coverup",
          "slammed", "blasted", "caved",
          "flooded", "flooding", "poisoning", "scourge",
          "finally", "clearly", "obviously", "undeniably")
_LOADED = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, LOADED)) + r")(?![\w-])", re.IGNORECASE)
_LOADED_RE2 = r"\b(?:" + "|".join(map(re.escape, LOADED)) + r")\b"  # a wider net, in the syntax Arrow's engine reads

# A quotation: curly double, straight double, or curly single quotes; a ’ followed by a letter is an apostrophe.
_QUOTED = re.compile("\u201c[^\u201d]*\u201d|\"[^\"]*\"|\u2018(?:[^\u2019]|\u2019(?=\\w))*\u2019")
_PIECE_BREAK = re.compile(r"\.\.\.|\[[^\]]*\]")  # an ellipsis (normalise writes … as ...) or an [insertion]
_EDGE = string.punctuation + " "

# An article saying that someone did not answer its reporter. "Have not responded to our efforts" is left out:
# that is a statement about the story, not the outlet's request going unanswered.
SILENCE = re.compile(
    r"\b(?:did not|didn['’]t|had not)(?: immediately)? (?:respond|reply|responded|replied)\b"
    r"|\bdeclined to (?:comment|respond)\b"
    r"|\bdid not return (?:a |an )?(?:request|requests|call|calls|message|messages|email|emails)\b"
    r"|\bcould not be reached\b"
    r"|\bno immediate (?:response|reply|comment)\b"
    r"|\bnot immediately available for comment\b",
    re.IGNORECASE)

_HEAD_END = re.compile(r",|;| \(| as ", re.IGNORECASE)


def _fold(text: str) -> str:
    """normalise(text)[0], casefolded."""
    return _normalised(_fold_marks(text)).casefold()


def _has_words(text: str, words: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text) is not None


def claimant_names(claimed_by: str, actor_labels: Iterable[str] = ()) -> list[str]:
    """The names, folded, any one of which in a claim's title or summary names its claimant (rule 1)."""
    full = _fold(claimed_by).strip()
    head = _HEAD_END.split(full, 1)[0].strip()
    head = re.sub(r"^the\s+", "", head)
    names = [n for n in (full, head) if n]
    for label in actor_labels:
        folded = _fold(label).strip()
        if folded and head and (_has_words(head, folded) or _has_words(folded, head)):
            names.append(folded)
    return list(dict.fromkeys(names))


def _names_rx(names: list[str]) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")


def unquoted(text: str) -> str:
    """The text with every quotation blanked out (rule 2)."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def loaded_words(text: str) -> list[str]:
    """The loaded words used outside quotation marks, each once, as written."""
    found: dict[str, str] = {}
    for m in _LOADED.finditer(unquoted(text)):
        found.setdefault(m.group().casefold(), m.group())
    return list(found.values())


def quoted_pieces(note: str) -> list[str]:
    """The note's quotations of three words or more, folded, cut at ellipses and bracketed insertions (rule 3)."""
    pieces = []
    for m in _QUOTED.finditer(note):
        for piece in _PIECE_BREAK.split(_fold(m.group()[1:-1])):
            piece = piece.strip(_EDGE)
            if len(piece.split()) >= 3:
                pieces.append(piece)
    return pieces


def lint(data: Chronology | LoadResult, folder: str | Path) -> list[LintWarning]:
    """Every warning about the chronology read from `folder`, in file order: events.csv, relations.csv, the articles."""
    chronology = data.chronology if isinstance(data, LoadResult) else data
    folder = Path(folder)
    with gc_paused():  # what is made here is short-lived: collections would only scan the chronology again and again
        return _event_warnings(chronology, folder) + _relation_warnings(chronology, folder) + _silence_warnings(chronology)


def _rows(folder: Path, name: str, model: type, key) -> dict:
    """Spreadsheet row numbers by key, first row first; problems reading the table were reported by the load."""
    rows: dict = {}
    for number, cells in read_table(folder / name, name, model, []):
        rows.setdefault(key({k: (v or "").strip() for k, v in cells.items()}), number)
    return rows


def _event_warnings(chronology: Chronology, folder: Path) -> list[LintWarning]:
    actor_labels = [e.label for e in chronology.vocabulary.get("actor", {}).values()]
    found: list[tuple[Event, str, str, str]] = []  # event, column, message, fix
    claimants: dict[str, re.Pattern] = {}  # claimed_by -> its names; many claims share a claimant
    for event in chronology.events:
        if event.kind is Kind.claim and event.claimed_by:
            names = claimants.get(event.claimed_by)
            if names is None:
                names = claimants[event.claimed_by] = _names_rx(claimant_names(event.claimed_by, actor_labels))
            if not names.search(_fold(f"{event.title}\n{event.summary}")):
                head = _HEAD_END.split(event.claimed_by, 1)[0].strip() or event.claimed_by
                found.append((event, "title", f'the claim does not name its claimant ("{event.claimed_by}") in its title '
                                               "or summary", f'name the claimant in the title, e.g. "{head}: …"'))
    for event, column, words in _loaded_uses(chronology.events):
        listed = ", ".join(f'"{w}"' for w in words)
        found.append((event, column, f"the {column} uses the loaded word{'s' if len(words) > 1 else ''} {listed} "
                                     "outside quotation marks", "quote the source's own words or use a neutral word"))
    if not found:
        return []
    rows = _rows(folder, EVENTS, Event, lambda cells: cells.get("id", ""))
    out = [LintWarning(EVENTS, message, fix, row=rows.get(event.id), column=column) for event, column, message, fix in found]
    return sorted(out, key=lambda w: (w.row or 0, w.column != "title"))


def _loaded_uses(events: list[Event]):
    """(event, column, loaded words) for each title, label and summary that uses some outside quotation marks.

    The texts are first picked out all at once (see _candidates): a text that none of the words occurs in is not
    looked at again. Only those picked are searched again, quotations left out."""
    columns = ("title", "label", "summary")
    texts = [text for e in events for text in (e.title, e.label, e.summary)]  # event i's title at 3i, label 3i + 1, ...
    for at in _candidates(texts, _LOADED, _LOADED_RE2):
        words = loaded_words(texts[at])
        if words:
            yield events[at // 3], columns[at % 3], words


def _candidates(texts: list[str], rx: re.Pattern, re2: str) -> list[int]:
    """Where in `texts` the case-blind pattern `re2` (in the syntax of Arrow's engine) matches, or where `rx` does
    without pyarrow; `re2` casts the wider net (a word in quotation marks, say): what it picks is looked at again."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return [i for i, text in enumerate(texts) if rx.search(text)]
    hit = pc.match_substring_regex(pa.array(texts, type=pa.large_string()), re2, ignore_case=True)
    return pc.indices_nonzero(hit).to_pylist()


def _relation_warnings(chronology: Chronology, folder: Path) -> list[LintWarning]:
    found = []
    for row in chronology.relations:
        rel = row.relation
        texts = [_fold(p.text) for e in (rel.from_event, rel.to_event) for p in chronology.passages_for(e)]
        if row.link is not None:
            texts.append(_fold(row.link.text))
        if not any(piece in text for piece in quoted_pieces(rel.note) for text in texts):
            found.append(rel)
    if not found:
        return []
    rows = _rows(folder, RELATIONS, Relation,
                 lambda cells: (cells.get("from_event", ""), cells.get("to_event", ""), cells.get("relation", "")))
    fix = "quote in the note the words of the pair's passages that the relation rests on"
    return [LintWarning(RELATIONS, f'the note quotes no passage of "{rel.from_event}" or "{rel.to_event}" '
                                   "(three words or more, in quotation marks)", fix,
                        row=rows.get((rel.from_event, rel.to_event, rel.relation.value)), column="note")
            for rel in found]


def _silence_warnings(chronology: Chronology) -> list[LintWarning]:
    cited: dict[str, list[tuple[int, int]]] = {}
    for p in chronology.passages:
        cited.setdefault(p.source.id, []).append((p.anchor.start, p.anchor.end))
    out = []
    sources = list(chronology.sources.values())
    for at in _candidates([s.text for s in sources], SILENCE, SILENCE.pattern):
        source = sources[at]
        text, spans, seen = source.text, cited.get(source.id, []), set()
        for m in SILENCE.finditer(text):
            lo, hi = sentence_bounds(text, m.start(), m.end())
            if (lo, hi) in seen:
                continue
            seen.add((lo, hi))
            if any(start < hi and end > lo for start, end in spans):
                continue
            sentence = " ".join(text[lo:hi].split())
            out.append(LintWarning(f"seeds/{source.file}", f'the article of "{source.id}" says "{sentence}", and no '
                                                            "citation quotes that sentence",
                                   "cite it on the event it concerns: the silence is part of the record"))
    return out
