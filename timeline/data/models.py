"""The data model: sources, events, citations, and the validated chronology."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from timeline.data.dates import FORMAT_HINT, PartialDate, bounded_label, span_label
from timeline.data.edtf_dates import EdtfError, is_edtf, read_edtf, to_edtf

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_QUOTE = 600
MAX_LABEL = 40  # characters: a label is what the chart shows where the title does not fit


class Kind(str, Enum):
    event = "event"
    claim = "claim"
    statistic = "statistic"
    context = "context"


class Certainty(str, Enum):
    exact = "exact"
    inferred = "inferred"
    approximate = "approximate"
    after = "after"  # on or after start; end, if given, is the latest it can be
    by = "by"        # on or before start; nothing earlier is known, so no end


BOUNDED = (Certainty.after, Certainty.by)  # the text gives a bound, not the date
KIND_LABELS = {
    Kind.event: "Event", Kind.claim: "Claim", Kind.statistic: "Statistic", Kind.context: "Context",
}
CERTAINTY_TEXT = {
    Certainty.exact: "as stated",
    Certainty.inferred: "inferred",
    Certainty.approximate: "approximate",
    Certainty.after: "known only as a lower bound",
    Certainty.by: "known only as an upper bound",
}


def problem(kind: str, message: str, fix: str, column: str = "") -> PydanticCustomError:
    """A validation error whose message and fix reach the user as written.

    `column` names the column to blame when the error concerns the row as a whole.
    """
    # The message travels as a value, not as the template, and is substituted last, so
    # braces in user data stay literal.
    return PydanticCustomError(kind, "{message}", {"fix": fix, "column": column, "message": message})


def _parse_date(value: Any) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except ValueError as err:
        raise problem("date", str(err), FORMAT_HINT) from None


def _choices(values: Any) -> str:
    return ", ".join(sorted(values))


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True, extra="forbid")

    @classmethod
    def from_columns(cls, columns: dict[str, list[str]], context: dict[str, Any] | None = None) -> list[Any]:
        """A table's rows as models where they are plainly valid, and None for the others.

        `columns` holds the table column by column, each cell stripped of whitespace. A model
        given here is the one model_validate would make of the row's non-empty cells, checked and
        built in bulk: each distinct value once, no validator called per row. A row given as None
        is for model_validate to check by itself, which words its problems. Here every row is
        None; the models of the big tables (Event, Citation) check their rows as their validators do.
        """
        return [None] * _height(columns)

    @classmethod
    def _assemble(cls, columns: dict[str, list[str]], typed: dict[str, list[Any]], rejected: set[int]) -> list[Any]:
        """The rows not in `rejected` as models, None for the others.

        `typed` holds the columns whose values the validators convert (dates, choices), converted;
        the other fields take their cells as they are, or their default when empty.
        """
        n = _height(columns)
        fields = cls.model_fields
        names = tuple(fields)
        values = [typed[name] if name in typed else _cells_or_default(columns.get(name, [""] * n), fields[name])
                  for name in names]
        # Which fields each row sets, as model_validate records them: its non-empty cells. Rows with the
        # same optional cells filled in share one set (the required ones are filled in every row kept).
        optional = [name for name in names if name in columns and not fields[name].is_required()]
        required = {name for name in names if fields[name].is_required()}
        filled = list(zip(*(map(bool, columns[name]) for name in optional))) if optional else [()] * n
        fields_sets = {key: required | {name for name, there in zip(optional, key) if there} for key in set(filled)}
        # Each row through pydantic's public model_construct: the values are checked already, so no validator
        # runs again; rows share their fields_set (a frozen model never changes it).
        construct = cls.model_construct
        out = [construct(fields_sets[key], **dict(zip(names, row))) for key, row in zip(filled, zip(*values))]
        for i in rejected:
            out[i] = None
        return out


def _height(columns: dict[str, list[str]]) -> int:
    return len(next(iter(columns.values()), ()))


def _cells_or_default(cells: list[str], field: FieldInfo) -> list[Any]:
    """A column's cells, the empty ones standing for the field's default (model_validate leaves them out).
    A required field's cells are left as they are: they are filled in every row kept."""
    return cells if field.is_required() or field.default == "" else [cell or field.default for cell in cells]


def _rows_where(values: Sequence[Any], test: Callable[[Any], Any]) -> set[int]:
    """The positions of the values that pass `test`, each distinct value tested once."""
    passing = {v for v in set(values) if test(v)}
    return {i for i, v in enumerate(values) if v in passing} if passing else set()


def _empty_required(cls: type[BaseModel], columns: dict[str, list[str]]) -> set[int] | None:
    """The rows with a required cell empty; None when the columns do not fit the model at all
    (one it does not have, or a required one missing): model_validate then checks every row."""
    required = [name for name, f in cls.model_fields.items() if f.is_required()]
    if not columns.keys() <= cls.model_fields.keys() or not all(name in columns for name in required):
        return None
    return {i for name in required if not all(columns[name]) for i, cell in enumerate(columns[name]) if not cell}


_INVALID = object()  # a value a validator rejects


def _plain_date(text: str) -> PartialDate | None | object:
    if not text:
        return None
    try:
        return PartialDate.parse(text)
    except ValueError:
        return _INVALID


class Source(_Row):
    """One article in seeds/, described by a row of seeds/sources.csv."""

    id: str
    file: str
    outlet: str
    headline: str
    headline_descriptive: bool = False
    published: PartialDate
    published_end: PartialDate | None = None
    published_certainty: str
    published_note: str = ""
    url: str = ""
    accessed: PartialDate | None = None  # the day the copy in seeds/ was taken from its page
    outlet_description: str
    notes: str = ""
    text: str = Field(default="", exclude=True)

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise problem("id", f'"{v}" is not a usable id', "use lower-case letters, digits and hyphens, e.g. city-herald")
        return v

    @field_validator("published", "published_end", "accessed", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        return None if v in ("", None) else _parse_date(v)

    @field_validator("headline_descriptive", mode="before")
    @classmethod
    def _yes_no(cls, v: Any) -> Any:
        text = str(v).strip().lower()
        if text in ("", "no", "false", "0"):
            return False
        if text in ("yes", "true", "1"):
            return True
        raise problem("yes_no", f'"{v}" is neither yes nor no', "write yes or no")

    @field_validator("published_certainty")
    @classmethod
    def _certainty(cls, v: str) -> str:
        if v not in ("stated", "inferred"):
            raise problem("choice", f'"{v}" is not one of stated, inferred', "write stated or inferred")
        return v

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if v and not re.match(r"^https?://[^\s\"'<>]+$", v):
            raise problem("url", f'"{v}" is not an http(s) address', "give a full address starting with https:// or leave it empty")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Source:
        if self.published_certainty == "inferred" and not self.published_note:
            raise problem("note", "an inferred date needs a note", "say in published_note how the date was worked out",
                          "published_note")
        if self.published_end and self.published_end.last_day < self.published.first_day:
            raise problem("order", f"published_end {self.published_end} is before published {self.published}",
                          "swap the two dates or correct one of them", "published_end")
        if self.accessed and self.accessed.last_day < self.published.first_day:
            raise problem("order", f"accessed {self.accessed} is before published {self.published}",
                          "give the day the copy in seeds/ was taken from its page, on or after publication", "accessed")
        return self

    @property
    def published_label(self) -> str:
        label = span_label(self.published, self.published_end).replace(" – ", " or ")
        return label if self.published_certainty == "stated" else f"{label} (inferred)"


class Event(_Row):
    """One row of events.csv: something that happened, was claimed, counted or recalled."""

    id: str
    title: str
    label: str = ""  # a short form of the title, for the chart where the title does not fit
    start: PartialDate
    end: PartialDate | None = None
    date_certainty: Certainty
    date_note: str = ""
    kind: Kind
    category: str
    actors: tuple[str, ...] = ()
    summary: str
    claimed_by: str = ""

    @model_validator(mode="before")
    @classmethod
    def _edtf(cls, data: Any) -> Any:
        """A start written in EDTF, as the start, end and date certainty it stands for."""
        if not isinstance(data, dict) or not isinstance(data.get("start"), str) or not is_edtf(data["start"]):
            return data
        return {**data, **edtf_fields(data["start"], str(data.get("end") or ""), str(data.get("date_certainty") or ""))}

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise problem("id", f'"{v}" is not a usable id', "use lower-case letters, digits and hyphens, e.g. summit-meeting-2024")
        return v

    @field_validator("label")
    @classmethod
    def _label(cls, v: str) -> str:
        if len(v) > MAX_LABEL:
            raise problem("label", f"the label has {len(v)} characters, more than {MAX_LABEL}",
                          f"shorten it to {MAX_LABEL} characters or fewer; it is shown where the title does not fit")
        return v

    @field_validator("start", "end", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        return None if v in ("", None) else _parse_date(v)

    @field_validator("date_certainty", mode="before")
    @classmethod
    def _certainty(cls, v: Any) -> Any:
        if v not in Certainty._value2member_map_:
            raise problem("choice", f'"{v}" is not a date certainty', f"write one of {_choices(Certainty._value2member_map_)}")
        return v

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, v: Any) -> Any:
        if v not in Kind._value2member_map_:
            raise problem("choice", f'"{v}" is not a kind', f"write one of {_choices(Kind._value2member_map_)}")
        return v

    @field_validator("category")
    @classmethod
    def _category(cls, v: str, info: ValidationInfo) -> str:
        allowed = (info.context or {}).get("category")
        if allowed is not None and v not in allowed:
            raise problem("vocabulary", f'"{v}" is not a category in vocabulary.csv', f"write one of {_choices(allowed)}, or add it to vocabulary.csv")
        return v

    @field_validator("actors", mode="before")
    @classmethod
    def _actors(cls, v: Any, info: ValidationInfo) -> Any:
        if isinstance(v, str):
            v = [a.strip() for a in v.split(";") if a.strip()]
        allowed = (info.context or {}).get("actor")
        if allowed is not None:
            unknown = [a for a in v if a not in allowed]
            if unknown:
                raise problem("vocabulary", f'"{unknown[0]}" is not an actor in vocabulary.csv',
                              f"write one or more of {_choices(allowed)} separated by ; or add it to vocabulary.csv")
        return tuple(v)

    @classmethod
    def from_columns(cls, columns: dict[str, list[str]], context: dict[str, Any] | None = None) -> list[Any]:
        """The validators above, column by column (see _Row.from_columns)."""
        edtf_rows: set[int] = set()
        if any(map(is_edtf, set(columns.get("start", ())))):  # EDTF starts as the plain cells they stand for
            columns, edtf_rows = _expand_edtf(columns)
        rejected = _empty_required(cls, columns)
        if rejected is None:
            return super().from_columns(columns, context)
        rejected |= edtf_rows
        n = _height(columns)
        ids, labels, starts, ends, certainties, notes, kinds, categories, actor_cells, claimed = (
            columns.get(name) or [""] * n  # an absent column: every cell empty
            for name in ("id", "label", "start", "end", "date_certainty", "date_note", "kind", "category", "actors",
                         "claimed_by"))
        allowed = context or {}
        dates = {text: _plain_date(text) for text in {*starts, *ends}}
        actors = {text: _plain_actors(text, allowed.get("actor")) for text in set(actor_cells)}
        category_ok = allowed.get("category")
        for values, wrong in [  # each field's validator
            (ids, lambda v: not SLUG.match(v)),
            (labels, lambda v: len(v) > MAX_LABEL),
            (starts, lambda v: dates[v] is _INVALID),
            (ends, lambda v: dates[v] is _INVALID),
            (certainties, lambda v: v not in Certainty._value2member_map_),
            (kinds, lambda v: v not in Kind._value2member_map_),
            (categories, lambda v: category_ok is not None and v not in category_ok),
            (actor_cells, lambda v: actors[v] is _INVALID),
        ]:
            rejected |= _rows_where(values, wrong)
        # and _consistent, on the rows each of its checks concerns
        rejected.update(i for i in _rows_where(ends, bool) if _misordered(dates[starts[i]], dates[ends[i]]))
        rejected.update(i for i in _rows_where(kinds, lambda v: v == Kind.claim.value) if not claimed[i])
        rejected.update(i for i in _rows_where(certainties, lambda v: v != Certainty.exact.value) if not notes[i])
        rejected.update(i for i in _rows_where(certainties, lambda v: v == Certainty.by.value) if ends[i])
        return cls._assemble(columns, {
            "start": list(map(dates.__getitem__, starts)), "end": list(map(dates.__getitem__, ends)),
            "date_certainty": list(map(Certainty._value2member_map_.get, certainties)),
            "kind": list(map(Kind._value2member_map_.get, kinds)),
            "actors": list(map(actors.__getitem__, actor_cells)),
        }, rejected)

    @model_validator(mode="after")
    def _consistent(self) -> Event:
        if self.end is not None and self.end.last_day < self.start.first_day:
            raise problem("order", f"end {self.end} is before start {self.start}", "swap start and end or correct one of them", "end")
        if self.kind is Kind.claim and not self.claimed_by:
            raise problem("claimed_by", "a claim must say who makes it", "name the person or body in claimed_by, e.g. the outlet or ministry", "claimed_by")
        if self.date_certainty is not Certainty.exact and not self.date_note:
            article = "a" if self.date_certainty is Certainty.by else "an"
            raise problem("date_note", f"{article} {self.date_certainty.value} date needs a note",
                          "say in date_note how the date was established", "date_note")
        if self.date_certainty is Certainty.by and self.end is not None:
            raise problem("by_end", f"a by date has no end, but end is {self.end}",
                          "leave end empty (start is the latest the event can be), or write after with start and end "
                          "for a date known to lie between two days", "end")
        return self

    # The days an event covers on the timeline: its dates, or for a bounded date (after, by) the bound itself
    # (and an after date's end). How far an open bound reaches is in `possible_days`.
    @property
    def first_day(self) -> date:
        return self.start.last_day if self.date_certainty is Certainty.by else self.start.first_day

    @property
    def last_day(self) -> date:
        if self.date_certainty is Certainty.after and self.end is None:
            return self.start.first_day
        return (self.end or self.start).last_day

    @property
    def possible_days(self) -> tuple[date | None, date | None]:
        """The earliest and latest day the event can have happened on; None where the text sets no limit."""
        if self.date_certainty is Certainty.after:
            return self.start.first_day, self.end.last_day if self.end else None
        if self.date_certainty is Certainty.by:
            return None, self.start.last_day
        return self.first_day, self.last_day

    @property
    def is_bounded(self) -> bool:
        """Only a bound of the date is known (after or by), not the date."""
        return self.date_certainty in BOUNDED

    @property
    def is_span(self) -> bool:
        """A period: it lasted from start to end. A bounded date is never one, its end being a limit."""
        return self.end is not None and self.end != self.start and not self.is_bounded

    @property
    def date_label(self) -> str:
        """The date as precise as the evidence, marked when only approximate or only bounded."""
        if self.is_bounded:
            return bounded_label(self.date_certainty.value, self.start, self.end)
        label = span_label(self.start, self.end)
        return f"c. {label}" if self.date_certainty is Certainty.approximate else label

    @property
    def date_edtf(self) -> str:
        """The date in EDTF (ISO 8601-2); date_certainty says whether it was inferred, which EDTF cannot."""
        return to_edtf(self.start, self.end, self.date_certainty.value)

    @property
    def date_key(self) -> tuple:
        """Where the event sorts: by start, as PartialDate.sort_key orders dates, except that a by date sorts at
        the last day of its bound, where the chart draws it ("by July 2023" after the days of July 2023)."""
        if self.date_certainty is Certainty.by:
            return self.start.last_day, self.start.sort_key[1]
        return self.start.sort_key

    @property
    def sort_key(self) -> tuple:
        return (*self.date_key, self.id)


def _expand_edtf(columns: dict[str, list[str]]) -> tuple[dict[str, list[str]], set[int]]:
    """The columns with each EDTF start written as the plain start, end and date_certainty it stands for, as
    Event._edtf reads it; and the rows it refuses, for model_validate to word their problems."""
    n = _height(columns)
    starts = list(columns["start"])
    ends = list(columns.get("end") or [""] * n)
    certainties = list(columns.get("date_certainty") or [""] * n)
    refused = set()
    for i, text in enumerate(starts):
        if not is_edtf(text):
            continue
        try:
            fields = edtf_fields(text, ends[i], certainties[i])
        except PydanticCustomError:
            refused.add(i)
            continue
        starts[i] = fields["start"].iso
        if "end" in fields:
            ends[i] = fields["end"].iso
        certainties[i] = fields.get("date_certainty", certainties[i])
    return {**columns, "start": starts, "end": ends, "date_certainty": certainties}, refused


_MEANING = {"approximate": "approximate (~, ? or %)", "after": "on or after a day ([day..])",
            "by": "on or before a day ([..day])"}


def edtf_fields(start: str, end: str, certainty: str) -> dict[str, Any]:
    """The start, end and date_certainty of a row whose start is written in EDTF, checked against the row's
    own end and date_certainty; a problem naming the column to correct when they disagree."""
    try:
        d = read_edtf(start)
    except EdtfError as err:
        raise problem("edtf", str(err), err.fix, "start") from None
    out: dict[str, Any] = {"start": d.start}
    if d.end is not None:
        if end:
            raise problem("edtf", f'start "{start}" gives the end already, and end says {end}',
                          "leave end empty, or write start as a single date", "end")
        out["end"] = d.end
    if d.certainty is not None:
        if certainty and certainty != d.certainty:
            raise problem("edtf", f'start "{start}" says the date is {_MEANING[d.certainty]}, but date_certainty says '
                          f'{certainty}', f"leave date_certainty empty or write {d.certainty}, or write start without "
                          "the mark (an inferred date has no EDTF mark: write it plainly and date_certainty inferred)",
                          "date_certainty")
        out["date_certainty"] = d.certainty
    return out


def _misordered(start: Any, end: Any) -> bool:
    """Event._consistent's first check, for dates that _plain_date gave."""
    return isinstance(start, PartialDate) and isinstance(end, PartialDate) and end.last_day < start.first_day


def _plain_actors(text: str, allowed: set[str] | None) -> tuple[str, ...] | object:
    """Event._actors for a cell, without raising: _INVALID for an actor outside `allowed`."""
    actors = tuple(a.strip() for a in text.split(";") if a.strip())
    return _INVALID if allowed is not None and any(a not in allowed for a in actors) else actors


class Citation(_Row):
    """One row of citations.csv: a verbatim passage of a source that reports an event."""

    event_id: str
    source_id: str
    quote: str

    @field_validator("quote")
    @classmethod
    def _quote(cls, v: str) -> str:
        if "\n" in v:
            raise problem("quote", "a quote spans more than one paragraph", "quote one sentence or clause, without line breaks")
        if len(v) > MAX_QUOTE:
            raise problem("quote", f"the quote has {len(v)} characters, more than {MAX_QUOTE}",
                          "quote the sentence or clause that reports the event, not the whole paragraph")
        return v

    @classmethod
    def from_columns(cls, columns: dict[str, list[str]], context: dict[str, Any] | None = None) -> list[Any]:
        """The validator above, column by column (see _Row.from_columns)."""
        rejected = _empty_required(cls, columns)
        if rejected is None:
            return super().from_columns(columns, context)
        rejected.update(i for i, quote in enumerate(columns["quote"]) if "\n" in quote or len(quote) > MAX_QUOTE)
        return cls._assemble(columns, {}, rejected)


class VocabularyEntry(_Row):
    """One row of vocabulary.csv: an allowed category or actor."""

    field: str
    value: str
    label: str
    description: str = ""

    @field_validator("field")
    @classmethod
    def _field(cls, v: str) -> str:
        if v not in ("category", "actor"):
            raise problem("choice", f'"{v}" is not a vocabulary field', "write category or actor")
        return v

    @field_validator("value")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise problem("id", f'"{v}" is not a usable value', "use lower-case letters, digits and hyphens")
        return v
