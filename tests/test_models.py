"""The row models: what makes a source, an event, a citation or a vocabulary entry valid."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from timeline.data.dates import FORMAT_HINT, PartialDate
from timeline.data.models import MAX_LABEL, MAX_QUOTE, Certainty, Citation, Event, Kind, Source, VocabularyEntry

VOCABULARY = {"category": {"diplomacy", "cooperation"}, "actor": {"us-state", "prc-mps", "xi-jinping"}}


def event(**changes: Any) -> dict[str, Any]:
    row = {
        "id": "blinken-wang-meeting",
        "title": "Blinken meets Wang Xiaohong",
        "start": "2024-04-26",
        "date_certainty": "exact",
        "kind": "event",
        "category": "diplomacy",
        "actors": "us-state;prc-mps",
        "summary": "They meet in Beijing.",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def source(**changes: Any) -> dict[str, Any]:
    row = {
        "id": "cgtn",
        "file": "004_d286d3589c386401.txt",
        "outlet": "CGTN",
        "headline": "China's drug-control record",
        "published": "2024-11",
        "published_certainty": "stated",
        "outlet_description": "China's state broadcaster.",
    }
    row.update(changes)
    return {k: v for k, v in row.items() if v is not None}


def errors(model, row: dict[str, Any], context: dict | None = None) -> list[tuple[str, str, str, str]]:
    """(column, type, message, fix) for each error, the column as the loader would blame it."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(row, context=context)
    out = []
    for e in caught.value.errors():
        ctx = e.get("ctx") or {}
        column = str(e["loc"][0]) if e["loc"] else ctx.get("column", "")
        out.append((column, e["type"], e["msg"], ctx.get("fix", "")))
    return out


# --- Event ------------------------------------------------------------------------------


def test_a_valid_event():
    e = Event.model_validate(event(end="2024-04-27", date_certainty="inferred", date_note="From the public record."))
    assert e.start == PartialDate(2024, 4, 26) and e.end == PartialDate(2024, 4, 27)
    assert e.kind is Kind.event and e.date_certainty is Certainty.inferred
    assert e.actors == ("us-state", "prc-mps")
    assert e.claimed_by == "" and e.is_span
    assert e.date_label == "26–27 April 2024"
    assert e.first_day.isoformat() == "2024-04-26" and e.last_day.isoformat() == "2024-04-27"


def test_strings_are_stripped_and_actors_split_on_semicolons():
    e = Event.model_validate(event(title="  Blinken meets Wang  ", actors=" us-state ; prc-mps ;"))
    assert e.title == "Blinken meets Wang"
    assert e.actors == ("us-state", "prc-mps")


def test_events_are_frozen():
    e = Event.model_validate(event())
    with pytest.raises(ValidationError):
        e.title = "Another"  # type: ignore[misc]


def test_a_claim_needs_claimed_by():
    assert errors(Event, event(kind="claim")) == [
        ("claimed_by", "claimed_by", "a claim must say who makes it", "name the person or body in claimed_by, e.g. the outlet or ministry"),
    ]
    assert Event.model_validate(event(kind="claim", claimed_by="CGTN")).claimed_by == "CGTN"


@pytest.mark.parametrize("kind", ["event", "statistic", "context"])
def test_only_claims_need_claimed_by(kind):
    assert Event.model_validate(event(kind=kind)).kind.value == kind


@pytest.mark.parametrize("certainty, message", [
    ("inferred", "an inferred date needs a note"),
    ("approximate", "an approximate date needs a note"),
    ("after", "an after date needs a note"),
    ("by", "a by date needs a note"),
])
def test_a_date_that_is_not_exact_needs_a_note(certainty, message):
    assert errors(Event, event(date_certainty=certainty)) == [
        ("date_note", "date_note", message, "say in date_note how the date was established"),
    ]
    assert Event.model_validate(event(date_certainty=certainty, date_note="Why.")).date_note == "Why."


def test_an_approximate_date_is_labelled_as_such():
    e = Event.model_validate(event(start="2022-11", date_certainty="approximate", date_note="A year and a half ago."))
    assert e.date_label == "c. November 2022"


NOTE = "The article says only “after the congress”."


def test_an_after_date_with_no_end_is_its_lower_bound_and_open_above():
    e = Event.model_validate(event(start="2022-10-23", date_certainty="after", date_note=NOTE))
    assert e.date_label == "after 23 October 2022"
    assert e.first_day == e.last_day == date(2022, 10, 23)
    assert e.possible_days == (date(2022, 10, 23), None)
    assert e.is_bounded and not e.is_span


def test_an_after_date_with_an_end_lies_between_the_two_and_is_no_period():
    e = Event.model_validate(event(start="2022-10-23", end="2023-02", date_certainty="after", date_note=NOTE))
    assert e.date_label == "between 23 October 2022 and February 2023"
    assert (e.first_day, e.last_day) == (date(2022, 10, 23), date(2023, 2, 28)) == e.possible_days
    assert not e.is_span  # its end is a limit, not when something stopped


def test_an_after_month_starts_on_the_first_of_it():
    e = Event.model_validate(event(start="2019-09", date_certainty="after", date_note=NOTE))
    assert e.date_label == "after September 2019" and e.possible_days == (date(2019, 9, 1), None)


def test_a_by_date_is_its_upper_bound_and_open_below():
    e = Event.model_validate(event(start="2019", date_certainty="by", date_note="“As early as 2019”."))
    assert e.date_label == "by 2019"
    assert e.first_day == e.last_day == date(2019, 12, 31)  # on the chart, at the latest day it can be
    assert e.possible_days == (None, date(2019, 12, 31))
    assert e.is_bounded and not e.is_span


def test_bounded_dates_sort_where_they_are_drawn():
    by = Event.model_validate(event(id="b", start="2019", date_certainty="by", date_note="Why."))
    after = Event.model_validate(event(id="a", start="2019-09", date_certainty="after", date_note="Why."))
    exact = Event.model_validate(event(id="c", start="2019-06-01"))
    # "by 2019" at 31 December 2019, "after September 2019" at 1 September 2019
    assert [e.id for e in sorted([after, exact, by], key=lambda e: e.sort_key)] == ["c", "a", "b"]


def test_a_by_date_has_no_end():
    assert errors(Event, event(start="2019", end="2020", date_certainty="by", date_note="Why.")) == [
        ("end", "by_end", "a by date has no end, but end is 2020",
         "leave end empty (start is the latest the event can be), or write after with start and end "
         "for a date known to lie between two days"),
    ]


def test_an_after_date_cannot_end_before_it_starts():
    assert errors(Event, event(start="2023", end="2022", date_certainty="after", date_note="Why.")) == [
        ("end", "order", "end 2022 is before start 2023", "swap start and end or correct one of them"),
    ]


@pytest.mark.parametrize("certainty", ["after", "by"])
def test_the_bulk_reader_rejects_what_the_model_rejects(certainty):
    rows = [event(id="ok", start="2019", date_certainty=certainty, date_note="Why."),
            event(id="no-note", start="2019", date_certainty=certainty),
            event(id="by-end", start="2019", end="2020", date_certainty=certainty, date_note="Why.")]
    columns = {name: [str(r.get(name, "")) for r in rows] for name in {k for r in rows for k in r}}
    got = Event.from_columns(columns)
    assert got[0] is not None and got[0].date_label == ("after 2019" if certainty == "after" else "by 2019")
    assert got[1] is None
    assert (got[2] is None) == (certainty == "by")
    if certainty == "after":
        assert got[2].date_label == "between 2019 and 2020"


def test_a_label_is_optional_trimmed_and_at_most_40_characters():
    assert MAX_LABEL == 40
    assert Event.model_validate(event()).label == ""
    assert Event.model_validate(event(label="  Blinken meets Wang  ")).label == "Blinken meets Wang"
    assert Event.model_validate(event(label="x" * 40)).label == "x" * 40
    assert errors(Event, event(label="x" * 41)) == [
        ("label", "label", "the label has 41 characters, more than 40",
         "shorten it to 40 characters or fewer; it is shown where the title does not fit"),
    ]


def test_the_bulk_reader_rejects_a_label_the_model_rejects():
    rows = [event(id="short", label="Blinken meets Wang"), event(id="long", label="x" * 41), event(id="none")]
    columns = {name: [str(r.get(name, "")) for r in rows] for name in {k for r in rows for k in r}}
    got = Event.from_columns(columns)
    assert got[0] is not None and got[0].label == "Blinken meets Wang"
    assert got[1] is None
    assert got[2] is not None and got[2].label == ""


@pytest.mark.parametrize("start, end, ok", [
    ("2024-04-26", "2024-04-25", False),
    ("2024-04", "2024-03-31", False),
    ("2024", "2023", False),
    ("2024-04-26", "2024-04-26", True),  # a one-day "span"
    ("2024-04", "2024-04-01", True),  # the end lies inside the start's month
    ("2024-04-26", "2024-04", True),  # the end's month contains the start
    ("1839", "1860", True),
])
def test_end_before_start(start, end, ok):
    row = event(start=start, end=end)
    if ok:
        assert Event.model_validate(row).end == PartialDate.parse(end)
    else:
        assert errors(Event, row) == [
            ("end", "order", f"end {end} is before start {start}", "swap start and end or correct one of them"),
        ]


@pytest.mark.parametrize("column, value, message", [
    ("start", "2019-13", '"2019-13" has no month 13'),
    ("start", "April 2019", '"April 2019" is not a date'),
    ("end", "2024-02-30", '"2024-02-30" is not a day of the calendar'),
])
def test_bad_dates_are_reported_on_their_column_with_the_format_hint(column, value, message):
    assert errors(Event, event(**{column: value})) == [(column, "date", message, FORMAT_HINT)]


def test_an_empty_end_means_no_end():
    e = Event.model_validate(event(end=""))
    assert e.end is None and not e.is_span


@pytest.mark.parametrize("column, value, message, fix", [
    ("kind", "rumour", '"rumour" is not a kind', "write one of claim, context, event, statistic"),
    ("kind", "Event", '"Event" is not a kind', "write one of claim, context, event, statistic"),
    ("date_certainty", "certain", '"certain" is not a date certainty', "write one of after, approximate, by, exact, inferred"),
])
def test_kind_and_certainty_must_be_one_of_the_choices(column, value, message, fix):
    assert errors(Event, event(**{column: value})) == [(column, "choice", message, fix)]


@pytest.mark.parametrize("value", ["blinken-wang-meeting", "apec-biden-xi", "opium-wars", "us-blames-china-2017", "2024"])
def test_slug_ids_are_accepted(value):
    assert Event.model_validate(event(id=value)).id == value


@pytest.mark.parametrize("value", ["Blinken-Wang", "blinken wang", "blinken_wang", "-blinken", "blinken.wang", "blinken/wang",
                                   "blinkén"])
def test_ids_that_are_not_slugs_are_refused(value):
    assert errors(Event, event(id=value)) == [
        ("id", "id", f'"{value}" is not a usable id', "use lower-case letters, digits and hyphens, e.g. summit-meeting-2024"),
    ]


@pytest.mark.parametrize("missing", ["id", "title", "start", "date_certainty", "kind", "category", "summary"])
def test_required_columns(missing):
    assert [(c, t) for c, t, _, _ in errors(Event, event(**{missing: None}))] == [(missing, "missing")]


def test_unknown_fields_are_refused():
    assert [(c, t) for c, t, _, _ in errors(Event, event(colour="red"))] == [("colour", "extra_forbidden")]


# --- vocabulary, given through the validation context ----------------------------------


def test_without_vocabulary_any_category_and_actor_is_accepted():
    e = Event.model_validate(event(category="anything", actors="anyone"))
    assert (e.category, e.actors) == ("anything", ("anyone",))


def test_with_vocabulary_known_values_pass():
    e = Event.model_validate(event(category="cooperation", actors="xi-jinping"), context=VOCABULARY)
    assert (e.category, e.actors) == ("cooperation", ("xi-jinping",))


def test_a_category_outside_the_vocabulary_is_refused():
    assert errors(Event, event(category="politics"), VOCABULARY) == [
        ("category", "vocabulary", '"politics" is not a category in vocabulary.csv',
         "write one of cooperation, diplomacy, or add it to vocabulary.csv"),
    ]


def test_the_first_actor_outside_the_vocabulary_is_named():
    assert errors(Event, event(actors="us-state;biden;trump"), VOCABULARY) == [
        ("actors", "vocabulary", '"biden" is not an actor in vocabulary.csv',
         "write one or more of prc-mps, us-state, xi-jinping separated by ; or add it to vocabulary.csv"),
    ]


def test_an_event_with_no_actors_is_allowed():
    assert Event.model_validate(event(actors=None), context=VOCABULARY).actors == ()


def test_sort_key_orders_by_date_then_precision_then_id():
    a = Event.model_validate(event(id="b", start="2024-04"))
    b = Event.model_validate(event(id="a", start="2024-04"))
    c = Event.model_validate(event(id="z", start="2024-04-01"))
    assert sorted([a, b, c], key=lambda e: e.sort_key) == [c, b, a]


def test_braces_in_a_value_are_shown_as_written():
    assert errors(Event, event(id="{column}"))[0][2] == '"{column}" is not a usable id'


# --- Source ----------------------------------------------------------------------------


def test_a_valid_source():
    s = Source.model_validate(source(headline_descriptive="yes", url="https://news.cgtn.com/a.html"))
    assert s.published == PartialDate(2024, 11)
    assert s.headline_descriptive is True
    assert s.text == ""
    assert "text" not in s.model_dump()  # the article text is not part of the row


@pytest.mark.parametrize("value, expected", [
    ("yes", True), ("Yes", True), ("true", True), ("1", True),
    ("no", False), ("NO", False), ("false", False), ("0", False), ("", False),
])
def test_yes_no(value, expected):
    assert Source.model_validate(source(headline_descriptive=value)).headline_descriptive is expected


@pytest.mark.parametrize("value", ["maybe", "y", "2"])
def test_neither_yes_nor_no(value):
    assert errors(Source, source(headline_descriptive=value)) == [
        ("headline_descriptive", "yes_no", f'"{value}" is neither yes nor no', "write yes or no"),
    ]


@pytest.mark.parametrize("url", ["https://www.ntdtv.com/gb/2024/05/08/a103878495.html", "http://example.org", ""])
def test_urls_that_are_accepted(url):
    assert Source.model_validate(source(url=url)).url == url


@pytest.mark.parametrize("url", ["www.ntdtv.com/gb/2024", "ftp://example.org/a", "https://", "https://example.org/a b",
                                 "javascript:alert(1)", "mailto:a@example.org"])
def test_url_must_be_http_or_https(url):
    assert errors(Source, source(url=url)) == [
        ("url", "url", f'"{url}" is not an http(s) address',
         "give a full address starting with https:// or leave it empty"),
    ]


def test_published_certainty_is_stated_or_inferred():
    assert errors(Source, source(published_certainty="guessed")) == [
        ("published_certainty", "choice", '"guessed" is not one of stated, inferred', "write stated or inferred"),
    ]


def test_an_inferred_publication_date_needs_a_note():
    assert errors(Source, source(published_certainty="inferred")) == [
        ("published_note", "note", "an inferred date needs a note", "say in published_note how the date was worked out"),
    ]


def test_published_end_before_published():
    assert errors(Source, source(published="2023-07", published_end="2023-06")) == [
        ("published_end", "order", "published_end 2023-06 is before published 2023-07",
         "swap the two dates or correct one of them"),
    ]


@pytest.mark.parametrize("changes, label", [
    ({"published": "2024-05-08"}, "8 May 2024"),
    ({"published": "2024-01-30", "published_certainty": "inferred", "published_note": "From “Tuesday”."},
     "30 January 2024 (inferred)"),
    ({"published": "2024-11", "published_end": "2024-12", "published_certainty": "inferred", "published_note": "Why."},
     "November 2024 or December 2024 (inferred)"),
])
def test_published_label(changes, label):
    assert Source.model_validate(source(**changes)).published_label == label


def test_source_ids_are_slugs():
    assert errors(Source, source(id="CGTN")) == [
        ("id", "id", '"CGTN" is not a usable id', "use lower-case letters, digits and hyphens, e.g. city-herald"),
    ]


# --- Citation --------------------------------------------------------------------------


def test_a_valid_citation_is_stripped():
    c = Citation.model_validate({"event_id": "opium-wars", "source_id": "ntdtv", "quote": "  China lost both wars "})
    assert c.quote == "China lost both wars"


def test_a_quote_may_be_exactly_the_maximum_length():
    assert len(Citation(event_id="a", source_id="b", quote="x" * MAX_QUOTE).quote) == MAX_QUOTE == 600


def test_a_quote_longer_than_the_maximum_is_refused():
    assert errors(Citation, {"event_id": "a", "source_id": "b", "quote": "x" * 601}) == [
        ("quote", "quote", "the quote has 601 characters, more than 600",
         "quote the sentence or clause that reports the event, not the whole paragraph"),
    ]


@pytest.mark.parametrize("quote", ["one paragraph\nanother", "one paragraph\r\nanother", "a\n\nb"])
def test_a_quote_with_a_line_break_is_refused(quote):
    assert errors(Citation, {"event_id": "a", "source_id": "b", "quote": quote}) == [
        ("quote", "quote", "a quote spans more than one paragraph",
         "quote one sentence or clause, without line breaks"),
    ]


def test_a_trailing_line_break_is_stripped_not_refused():
    assert Citation(event_id="a", source_id="b", quote="one line\n").quote == "one line"


# --- VocabularyEntry -------------------------------------------------------------------


def test_a_valid_vocabulary_entry():
    v = VocabularyEntry.model_validate({"field": "actor", "value": "us-state", "label": "US State Department"})
    assert (v.field, v.value, v.label, v.description) == ("actor", "us-state", "US State Department", "")


def test_vocabulary_field_is_category_or_actor():
    assert errors(VocabularyEntry, {"field": "colour", "value": "red", "label": "Red"}) == [
        ("field", "choice", '"colour" is not a vocabulary field', "write category or actor"),
    ]


def test_vocabulary_values_are_slugs():
    assert errors(VocabularyEntry, {"field": "actor", "value": "US State", "label": "US State"}) == [
        ("value", "id", '"US State" is not a usable value', "use lower-case letters, digits and hyphens"),
    ]
