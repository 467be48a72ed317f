"""The view state and the pure filter over the chronology frame."""
from datetime import date

import pytest

from timeline import load_chronology
from timeline.data.dates import PartialDate
from timeline.filters import ViewState, box_dates, compact_from, compact_to, filter_events
from timeline.data.load import ROOT


@pytest.fixture(scope="module")
def chron():
    return load_chronology(ROOT)


def ids(chron, **state):
    return list(filter_events(chron.frame, ViewState(**state))["id"])


def test_no_filter_keeps_everything_in_date_order(chron):
    out = filter_events(chron.frame, ViewState())
    assert len(out) == len(chron.events)
    assert list(out["first_day"]) == sorted(out["first_day"])


@pytest.mark.parametrize("state, expected", [
    ({"kinds": ("context",)}, ["opium-wars", "ccp-20th-congress"]),
    ({"categories": ("history",)}, ["opium-wars"]),
    ({"sources": ("ntdtv",), "kinds": ("claim",)}, ["wang-tasked-expand", "xi-secret-speech"]),
    ({"actors": ("us-congress",), "date_from": PartialDate(2024, 4)},
     ["cgtn-us-drug-policy", "fentanyl-leading-killer", "us-not-class-scheduled", "house-select-report",
      "report-casts-doubt", "report-no-enforcement", "report-subsidies"]),
    ({"search": "TARIFF threat"}, ["china-mfa-tariff-response", "trump-tariff-threat"]),
    ({"search": "diaoyutai"}, []),  # in the article, but not in any quote
    ({"search": "pragmatic interpreter"}, ["working-group-launch"]),  # words from a quote only
    ({"date_from": PartialDate(2022, 8), "date_to": PartialDate(2022, 8)},      # the 2022 statistics cover the whole year, so August 2022 is inside them
     ["opioid-deaths-2022", "overdose-deaths-2022", "pelosi-taiwan", "china-halts-cooperation"]),
])
def test_filters(chron, state, expected):
    assert ids(chron, **state) == expected


def test_a_year_precision_event_overlaps_a_month_inside_it(chron):
    # "c. 2024" events cover the whole year, so they match March 2024
    got = ids(chron, date_from=PartialDate(2024, 3), date_to=PartialDate(2024, 3))
    assert "chinese-delegation-us" in got and "working-group-launch" not in got


def test_span_overlapping_the_range_is_kept(chron):
    assert ids(chron, date_from=PartialDate(1850), date_to=PartialDate(1850)) == ["opium-wars"]


def test_query_params_round_trip(chron):
    state = ViewState(date_from=PartialDate(2023, 6), date_to=PartialDate(2024, 4, 16), kinds=("claim", "event"),
                      categories=("diplomacy",), actors=("xi-jinping",), sources=("cgtn", "blaze"), search="Wang Xiaohong",
                      lanes="actor", selected="apec-biden-xi")
    params = state.to_query_params()
    assert params == {"from": "2023-06", "to": "2024-04-16", "kind": "claim,event", "category": "diplomacy",
                      "actor": "xi-jinping", "source": "cgtn,blaze", "q": "Wang Xiaohong", "lanes": "actor",
                      "event": "apec-biden-xi"}
    back, notices = ViewState.from_query_params(params, chron)
    assert back == state and notices == []


def test_default_view_has_no_params(chron):
    assert ViewState().to_query_params() == {}


def test_bad_params_fall_back_with_notices(chron):
    state, notices = ViewState.from_query_params(
        {"kind": "claim,rumour", "from": "2019-13", "lanes": "sideways", "event": "nope", "utm": "x"}, chron)
    assert state == ViewState(kinds=("claim",))
    assert notices == [
        'Ignored kind "rumour": there is no such kind.',
        'Ignored from=2019-13: "2019-13" has no month 13 (use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-04 or 2019-04-01).',
        'Ignored lanes "sideways": use one of category, actor, source.',
        'Ignored event "nope": there is no event with that id.',
        'Ignored the unknown parameter "utm".',
    ]


def test_reversed_range_is_ignored(chron):
    state, notices = ViewState.from_query_params({"from": "2024", "to": "2019"}, chron)
    assert state.date_from is None and state.date_to is None
    assert notices == ["Ignored the date range 2024 to 2019: it ends before it starts."]


def test_describe_in_words(chron):
    assert ViewState().describe(chron) == "All events, no filters"
    state = ViewState(kinds=("claim",), categories=("diplomacy", "congress"), sources=("cgtn",),
                      date_from=PartialDate(2023), search="tariff")
    assert state.describe(chron) == ("Events of kind claim, in Diplomacy or US Congress, reported by CGTN, "
                                     "from 2023 on, mentioning “tariff”")


@pytest.mark.parametrize("day, start, end", [
    (date(2019, 1, 1), "2019", "2019-01-01"),
    (date(2019, 4, 1), "2019-04", "2019-04-01"),
    (date(2019, 4, 30), "2019-04-30", "2019-04"),
    (date(2019, 12, 31), "2019-12-31", "2019"),
    (date(2024, 2, 29), "2024-02-29", "2024-02"),
])
def test_compact_dates(day, start, end):
    assert compact_from(day).iso == start
    assert compact_to(day).iso == end


@pytest.mark.parametrize("xs, expected", [
    (["2023-12-31 18:00:00.5", "2023-01-01 06:00"], (date(2023, 1, 1), date(2023, 12, 31))),  # plotly's strings, any order
    ([1.6725312e12, 1.7040672e12], (date(2023, 1, 1), date(2024, 1, 1))),  # epoch milliseconds
    (["1700-01-01", "2020-06-30"], (date(1839, 4, 7), date(2020, 6, 30))),  # clipped to the data
    (["2020-01-01", "2099-01-01"], (date(2020, 1, 1), date(2024, 12, 31))),  # clipped to the data
    (["2030-01-01", "2031-01-01"], None),  # after the data
    (["not a date", None], None), (["2020-01-01"], None), ([], None),
])
def test_a_box_dragged_across_the_chart_becomes_a_date_range(xs, expected):
    assert box_dates(xs, (date(1839, 4, 7), date(2024, 12, 31))) == expected


def test_scale_round_trips_in_the_url(chron):
    assert ViewState(scale="order").to_query_params() == {"scale": "order"}
    assert ViewState(density="roomy").to_query_params() == {"density": "roomy"}
    assert ViewState.from_query_params({"density": "roomy"}, chron)[0].density == "roomy"
    assert ViewState.from_query_params({"density": "huge"}, chron)[1] == ['Ignored density "huge": use one of compact, roomy.']
    assert ViewState().to_query_params() == {}
    back, notices = ViewState.from_query_params({"scale": "order"}, chron)
    assert back.scale == "order" and notices == []
    back, notices = ViewState.from_query_params({"scale": "log"}, chron)
    assert back.scale == "calendar"
    assert notices == ['Ignored scale "log": use one of calendar, order.']


@pytest.fixture(scope="module")
def bounded(tmp_path_factory):
    from shipped import bounded_folder
    return load_chronology(bounded_folder(tmp_path_factory.mktemp("bounded") / "data"))


@pytest.mark.parametrize("state, expected", [
    # sorted where they are drawn: "by 2019" at 31 December 2019, "after September 2019" at 1 September 2019
    ({}, ["no-seizures", "class-scheduling", "delegation-visit", "working-group-launch", "trump-tariff-threat"]),
    # a window keeps a bounded date where the chart draws it, never where an open bound might reach
    ({"date_from": PartialDate(2018), "date_to": PartialDate(2018)}, []),
    ({"date_to": PartialDate(2019, 8)}, []),
    ({"date_from": PartialDate(2019, 12, 31), "date_to": PartialDate(2019, 12, 31)}, ["class-scheduling"]),
    ({"date_from": PartialDate(2020)}, ["delegation-visit", "working-group-launch", "trump-tariff-threat"]),
    ({"date_from": PartialDate(2023), "date_to": PartialDate(2023)}, []),
    ({"date_from": PartialDate(2019, 9), "date_to": PartialDate(2019, 9)}, ["no-seizures"]),
    # "between 30 January 2024 and December 2024" overlaps windows as a period does
    ({"date_from": PartialDate(2024, 6), "date_to": PartialDate(2024, 6)}, ["delegation-visit"]),
    ({"date_from": PartialDate(2025)}, []),
])
def test_bounded_dates_are_kept_where_the_chart_draws_them(bounded, state, expected):
    assert list(filter_events(bounded.frame, ViewState(**state))["id"]) == expected
