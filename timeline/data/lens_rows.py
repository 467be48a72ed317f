"""The source lens's rows: relations between events and the figures the articles cite, as validated models.

What each column means is in timeline/lens_data.py, which reads and checks the two tables.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from pydantic import field_validator, model_validator

from timeline.data.anchor import Anchor
from timeline.data.models import SLUG, Source, _Row, problem

class RelationKind(str, Enum):
    disputes = "disputes"
    supports = "supports"
    responds_to = "responds-to"


RELATION_LABELS = {  # in the order the lens shows them
    RelationKind.disputes: "Accounts at odds",
    RelationKind.responds_to: "Responses",
    RelationKind.supports: "Accounts that agree",
}
SYMMETRIC = {RelationKind.disputes, RelationKind.supports}


class Relation(_Row):
    """One row of relations.csv: two events whose sources disagree, agree, or answer each other."""

    from_event: str
    to_event: str
    relation: RelationKind
    note: str
    source_id: str = ""
    quote: str = ""

    @field_validator("relation", mode="before")
    @classmethod
    def _relation(cls, v: object) -> object:
        if v not in RelationKind._value2member_map_:
            raise problem("choice", f'"{v}" is not a relation', "write one of disputes, responds-to, supports")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Relation:
        if self.from_event == self.to_event:
            raise problem("self", f'the event "{self.from_event}" is related to itself',
                          "name two different events in from_event and to_event", "to_event")
        if bool(self.source_id) != bool(self.quote):
            missing = "quote" if self.source_id else "source_id"
            raise problem("pair", f"{missing} is empty while {'source_id' if missing == 'quote' else 'quote'} is filled in",
                          "give both source_id and a verbatim quote that states the link, or leave both empty", missing)
        return self

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes two rows the same relation: the pair, unordered for disputes and supports."""
        a, b = self.from_event, self.to_event
        if self.relation in SYMMETRIC:
            a, b = sorted((a, b))
        return a, b, self.relation.value


class Figure(_Row):
    """One row of figures.csv: a number an article cites, with what it counts and whom it credits."""

    id: str
    measure: str
    value: str
    unit: str
    period: str = ""
    source_id: str
    attributed_to: str
    quote: str
    event_id: str = ""
    note: str = ""

    @field_validator("id")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise problem("id", f'"{v}" is not a usable id', "use lower-case letters, digits and hyphens, e.g. overdose-deaths-2022")
        return v

    @field_validator("quote")
    @classmethod
    def _one_line(cls, v: str) -> str:
        if "\n" in v:
            raise problem("quote", "a quote spans more than one paragraph", "quote one sentence or clause, without line breaks")
        return v


@dataclass(frozen=True)
class Link:
    """Where a relation's stated link or a figure's quote stands in its article."""

    source: Source
    anchor: Anchor

    @property
    def text(self) -> str:
        return self.source.text[self.anchor.start:self.anchor.end]


@dataclass(frozen=True)
class RelationRow:
    """A validated relation; `link` is set when an article states it."""

    relation: Relation
    link: Link | None = None

    @property
    def stated(self) -> bool:
        return self.link is not None


@dataclass(frozen=True)
class FigureRow:
    """A validated figure, located in its article."""

    figure: Figure
    link: Link
