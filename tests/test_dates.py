"""Partial dates: parsing, the interval each covers, order and labels."""
from __future__ import annotations

import random
from datetime import date

import pytest

from timeline.data.dates import FORMAT_HINT, PartialDate, bounded_label, span_label

P = PartialDate.parse


@pytest.mark.parametrize("text, year, month, day, precision", [
    ("2019", 2019, None, None, "year"),
    ("2019-04", 2019, 4, None, "month"),
    ("2019-04-01", 2019, 4, 1, "day"),
    ("1839", 1839, None, None, "year"),
    ("0001-01-01", 1, 1, 1, "day"),
    ("9999-12-31", 9999, 12, 31, "day"),
    ("  2024-01-30 ", 2024, 1, 30, "day"),  # spreadsheet padding
    ("2024-02-29", 2024, 2, 29, "day"),
    ("2000-02-29", 2000, 2, 29, "day"),  # divisible by 400: a leap year
])
def test_parse_at_each_precision(text, year, month, day, precision):
    d = P(text)
    assert (d.year, d.month, d.day) == (year, month, day)
    assert d.precision == precision
    assert d == PartialDate(year, month, day)


@pytest.mark.parametrize("text, iso", [("2019", "2019"), ("2019-04", "2019-04"), ("2019-04-01", "2019-04-01"),
                                       ("0033", "0033"), (" 2019-04 ", "2019-04")])
def test_iso_and_str_give_the_text_back(text, iso):
    assert P(text).iso == iso
    assert str(P(text)) == iso


def test_parse_accepts_numbers_and_partial_dates():
    assert P(2019) == PartialDate(2019)  # a spreadsheet may hand over a number
    assert P(PartialDate(2019, 4)) == PartialDate(2019, 4)


@pytest.mark.parametrize("text, message", [
    ("2019-13", '"2019-13" has no month 13'),
    ("2019-00", '"2019-00" has no month 00'),
    ("2019-00-10", '"2019-00-10" has no month 00'),
    (" 2019-13 ", '"2019-13" has no month 13'),
    ("2019-04-31", '"2019-04-31" is not a day of the calendar'),
    ("2019-04-00", '"2019-04-00" is not a day of the calendar'),
    ("2019-02-29", '"2019-02-29" is not a day of the calendar'),
    ("1900-02-29", '"1900-02-29" is not a day of the calendar'),  # divisible by 100, not 400
    ("2024-02-30", '"2024-02-30" is not a day of the calendar'),
    ("0000", '"0000" has no year 0000'),
    ("0000-06", '"0000-06" has no year 0000'),
    ("", '"" is not a date'),
    ("19", '"19" is not a date'),
    ("02019", '"02019" is not a date'),
    ("2019-4", '"2019-4" is not a date'),
    ("2019-04-1", '"2019-04-1" is not a date'),
    ("2019/04/01", '"2019/04/01" is not a date'),
    ("01-04-2019", '"01-04-2019" is not a date'),
    ("April 2019", '"April 2019" is not a date'),
    ("2019-04-01T10:00", '"2019-04-01T10:00" is not a date'),
    ("2019-04-", '"2019-04-" is not a date'),
    ("c. 2022", '"c. 2022" is not a date'),
    ("-2019", '"-2019" is not a date'),
])
def test_invalid_dates_say_what_is_wrong(text, message):
    with pytest.raises(ValueError) as caught:
        P(text)
    assert str(caught.value) == message


def test_format_hint_names_all_three_forms():
    assert FORMAT_HINT == "use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-04 or 2019-04-01"


@pytest.mark.parametrize("text, first, last", [
    ("2019", date(2019, 1, 1), date(2019, 12, 31)),
    ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ("2019-04", date(2019, 4, 1), date(2019, 4, 30)),
    ("2019-12", date(2019, 12, 1), date(2019, 12, 31)),
    ("2019-01", date(2019, 1, 1), date(2019, 1, 31)),
    ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
    ("1900-02", date(1900, 2, 1), date(1900, 2, 28)),  # not a leap year
    ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),  # a leap year
    ("2022-11", date(2022, 11, 1), date(2022, 11, 30)),
    ("2024-01-30", date(2024, 1, 30), date(2024, 1, 30)),
    ("2024-02-29", date(2024, 2, 29), date(2024, 2, 29)),
])
def test_interval_covers_the_whole_period(text, first, last):
    d = P(text)
    assert (d.first_day, d.last_day) == (first, last)
    assert d.interval() == (first, last)


def test_every_month_of_a_leap_and_a_common_year_ends_on_its_last_day():
    lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    for year, feb in ((2023, 28), (2024, 29)):
        for month, length in enumerate(lengths, start=1):
            expected = feb if month == 2 else length
            assert P(f"{year}-{month:02d}").last_day == date(year, month, expected)


@pytest.mark.parametrize("earlier, later", [
    ("2019-04-01", "2019-04"),  # a day before the month that contains it...
    ("2019-04", "2019-05"),
    ("2019-01", "2019"),  # ...a month before the year that contains it...
    ("2019-01-01", "2019"),  # ...and a day before the year
    ("2019-01-01", "2019-01"),
    ("2019", "2019-01-02"),  # otherwise the first day decides
    ("2019-03-31", "2019-04"),
    ("2019-04", "2019-04-15"),  # the month starts on the 1st, before the 15th
    ("2019-12-31", "2020"),
    ("1839", "2019"),
])
def test_sort_order(earlier, later):
    assert P(earlier).sort_key < P(later).sort_key


def test_sorting_a_shuffled_list_puts_days_before_their_month_and_year():
    ordered = ["1839", "2019-01-01", "2019-01", "2019", "2019-04-01", "2019-04", "2019-04-02", "2019-09",
               "2020-05", "2022-08-02", "2022-08-05", "2022-11", "2024-01-30"]
    shuffled = ordered[:]
    random.Random(42).shuffle(shuffled)
    assert shuffled != ordered
    assert [d.iso for d in sorted(map(P, shuffled), key=lambda d: d.sort_key)] == ordered


@pytest.mark.parametrize("text, label", [
    ("2019", "2019"),
    ("2019-04", "April 2019"),
    ("2019-04-01", "1 April 2019"),
    ("2024-01-30", "30 January 2024"),
    ("2022-12", "December 2022"),
    ("1839", "1839"),
])
def test_label_at_its_precision(text, label):
    assert P(text).label() == label


@pytest.mark.parametrize("start, end, label", [
    ("1839", "1860", "1839 – 1860"),
    ("2022-08-02", "2022-08-03", "2–3 August 2022"),
    ("2023-06-18", "2023-06-19", "18–19 June 2023"),
    ("2022-10-16", "2022-10-22", "16–22 October 2022"),
    ("2019-04-01", "2019-05-01", "1 April 2019 – 1 May 2019"),
    ("2022-08-02", "2023-08-03", "2 August 2022 – 3 August 2023"),  # same month, another year
    ("2023-12-31", "2024-01-01", "31 December 2023 – 1 January 2024"),
    ("2024-11", "2024-12", "November 2024 – December 2024"),
    ("2019-04", "2019-04-30", "April 2019 – 30 April 2019"),
    ("2019", None, "2019"),
    ("2019-04", None, "April 2019"),
    ("2024-01-30", None, "30 January 2024"),
    ("2024-01-30", "2024-01-30", "30 January 2024"),  # a one-day span is a day
    ("2024", "2024", "2024"),
])
def test_span_label(start, end, label):
    assert span_label(P(start), P(end) if end else None) == label


def test_partial_dates_are_values():
    assert P("2019-04") == P("2019-04")
    assert P("2019-04") != P("2019-04-01")
    assert len({P("2019"), P("2019"), P("2019-01")}) == 2
    with pytest.raises(AttributeError):
        P("2019").year = 2020  # type: ignore[misc]


@pytest.mark.parametrize("bound, start, end, label", [
    ("after", "2022-10-23", None, "after 23 October 2022"),
    ("after", "2022-10-23", "2023-02", "between 23 October 2022 and February 2023"),
    ("after", "2019-09", None, "after September 2019"),
    ("after", "2024", "2024-12", "between 2024 and December 2024"),
    ("by", "2019", None, "by 2019"),
    ("by", "2024-04-26", None, "by 26 April 2024"),
])
def test_bounded_label(bound, start, end, label):
    assert bounded_label(bound, P(start), P(end) if end else None) == label
