"""EDTF dates: events.csv's start column reads them, and every data export writes them back."""
from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from timeline import load_chronology, read_data
from timeline.data.dates import PartialDate
from timeline.data.edtf_dates import EdtfError, read_edtf, to_edtf
from timeline.data.synth import write_folder
from timeline.filters import ViewState
from timeline.outputs.export import records, to_csv, to_json

H = "id,title,start,end,date_certainty,date_note,kind,category,actors,summary,claimed_by\n"


@pytest.mark.parametrize("text, first, last, certainty", [
    ("2022-11~", date(2022, 11, 1), date(2022, 11, 30), "approximate"),
    ("2019?", date(2019, 1, 1), date(2019, 12, 31), "approximate"),
    ("2019%", date(2019, 1, 1), date(2019, 12, 31), "approximate"),
    ("2019-04-01/2019-05-01", date(2019, 4, 1), date(2019, 5, 1), None),
    ("2024-XX", date(2024, 1, 1), date(2024, 12, 31), None),
    ("2024-02-XX", date(2024, 2, 1), date(2024, 2, 29), None),
    ("2022-11~/2023-01~", date(2022, 11, 1), date(2023, 1, 31), "approximate"),
    ("[2022-10-23..]", date(2022, 10, 23), date(2022, 10, 23), "after"),
    ("[2022-10-23..2024-05-08]", date(2022, 10, 23), date(2024, 5, 8), "after"),
    ("[..2019]", date(2019, 1, 1), date(2019, 12, 31), "by"),
])
def test_the_edtf_bounds_become_the_dates_interval(text, first, last, certainty):
    d = read_edtf(text)
    assert (d.start.first_day, (d.end or d.start).last_day, d.certainty) == (first, last, certainty)


@pytest.mark.parametrize("text, words", [
    ("2022-13", "is not an EDTF date"),
    ("2019-02-30~", "is not an EDTF date"),
    ("20XX", "neither a year, a month nor a day"),
    ("2022-21", "does not draw (Season)"),
    ("2022-10-23/..", "[2022-10-23..]"),
    ("../2019", "[..2019]"),
    ("{2019,2020}", "a set of dates"),
    ("[2019~..]", "is not an EDTF date"),
])
def test_edtf_the_timeline_cannot_use_says_why_and_what_to_write(text, words):
    with pytest.raises(EdtfError) as err:
        read_edtf(text)
    assert words in f"{err.value} {err.value.fix}"


def _round_trip(event) -> None:
    d = read_edtf(event.date_edtf)
    assert (d.start, d.end) == (event.start, event.end if event.end != event.start else None), event.id
    # inferred has no EDTF mark: the plain date comes back, and date_certainty keeps the rest
    expected = None if event.date_certainty.value in ("exact", "inferred") else event.date_certainty.value
    assert d.certainty == expected, event.id


def test_every_curated_event_round_trips_through_edtf():
    chron = load_chronology()
    for event in chron.events:
        _round_trip(event)
    by_id = chron.by_id
    assert by_id["xi-secret-speech"].date_edtf == "2022-11~"
    assert by_id["wang-tasked-expand"].date_edtf == "[2022-10-23..2024-05-08]"
    assert by_id["dea-primary-source"].date_edtf == "[..2023-07]"
    assert by_id["pelosi-taiwan"].date_edtf == "2022-08-02/2022-08-03"  # inferred: a plain date


def test_a_synthetic_story_of_1000_events_round_trips(tmp_path):
    write_folder(tmp_path / "n1000", 1000, seed=7)
    chron = load_chronology(tmp_path / "n1000")
    assert len(chron.events) == 1000
    for event in chron.events:
        _round_trip(event)


def test_writing_an_events_dates_in_edtf_loads_the_same_chronology(tmp_path):
    """Each curated event's start rewritten as its EDTF (end and the implied certainty left empty) loads the same."""
    folder = tmp_path / "edtf"
    write_folder(folder, 200, seed=3)
    before = load_chronology(folder)
    path = folder / "events.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    by_id = before.by_id
    for row in rows:
        event = by_id[row["id"]]
        row["start"], row["end"] = event.date_edtf, ""
        if event.date_certainty.value in ("approximate", "after", "by"):
            row["date_certainty"] = ""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    after = load_chronology(folder)
    key = lambda e: (e.id, e.start, e.end if e.end != e.start else None, e.date_certainty)  # noqa: E731
    assert sorted(map(key, after.events)) == sorted(map(key, before.events))


def _with_events(data_dir: Path, write, rows: str) -> list:
    write(data_dir, "events.csv", H + rows)
    ids = [line.split(",", 1)[0] for line in rows.splitlines()]
    write(data_dir, "citations.csv", "event_id,source_id,quote\n" + "".join(
        f"{i},cgtn,threatened to impose an additional tariff on Chinese imports\n" for i in ids))
    return read_data(data_dir)


def test_events_csv_takes_edtf_beside_plain_dates(data_dir, write):
    result = _with_events(data_dir, write,
                          "a,Approximate,2022-11~,,,About then.,event,diplomacy,,Summary.,\n"
                          "b,Uncertain,2019?,,,Doubtful.,event,diplomacy,,Summary.,\n"
                          "c,Interval,2019-04-01/2019-05-01,,exact,,event,diplomacy,,Summary.,\n"
                          "d,Unspecified month,2024-XX,,exact,,event,diplomacy,,Summary.,\n"
                          "e,Plain,2024-03-02,,inferred,Worked out.,event,diplomacy,,Summary.,\n")
    assert result.problems == []
    events = result.chronology.by_id
    assert (events["a"].start, events["a"].date_certainty.value, events["a"].date_label) == (
        PartialDate(2022, 11), "approximate", "c. November 2022")
    assert (events["b"].start, events["b"].date_certainty.value) == (PartialDate(2019), "approximate")
    assert (events["c"].start, events["c"].end, events["c"].is_span) == (PartialDate(2019, 4, 1), PartialDate(2019, 5, 1), True)
    assert (events["d"].start.precision, events["d"].date_edtf) == ("year", "2024")
    assert (events["e"].date_edtf, events["e"].date_certainty.value) == ("2024-03-02", "inferred")
    frame = result.chronology.frame.set_index("id")
    assert frame.at["a", "date_edtf"] == "2022-11~" and frame.at["c", "date_edtf"] == "2019-04-01/2019-05-01"


def test_bad_edtf_gets_the_file_row_column_and_fix(data_dir, write):
    result = _with_events(data_dir, write,
                          "a,Bad,2022-13~,,,Note.,event,diplomacy,,Summary.,\n"
                          "b,Conflict,2022-11~,,inferred,Note.,event,diplomacy,,Summary.,\n"
                          "c,Two ends,2019-04-01/2019-05-01,2019-06,exact,,event,diplomacy,,Summary.,\n"
                          "d,Open,2022-10-23/..,,,Note.,event,diplomacy,,Summary.,\n")
    lines = [str(p) for p in result.problems]
    assert lines[0].startswith('events.csv row 2, column start: "2022-13~" is not an EDTF date. Fix: write EDTF such as')
    assert lines[1].startswith('events.csv row 3, column date_certainty: start "2022-11~" says the date is approximate')
    assert "Fix: leave date_certainty empty or write approximate" in lines[1]
    assert lines[2] == ('events.csv row 4, column end: start "2019-04-01/2019-05-01" gives the end already, and end says '
                        "2019-06. Fix: leave end empty, or write start as a single date.")
    assert lines[3].startswith('events.csv row 5, column start: "2022-10-23/.." is an interval with an open or unknown end. '
                               "Fix: for a date known only to be on or after 2022-10-23 write [2022-10-23..]")
    assert len(lines) == 4 and result.chronology.events == []  # no row dropped silently: each has its problem


def test_to_edtf_writes_each_certainty():
    y, m = PartialDate(2019), PartialDate(2022, 11)
    assert [to_edtf(y, None, c) for c in ("exact", "inferred", "approximate", "after", "by")] == [
        "2019", "2019", "2019~", "[2019..]", "[..2019]"]
    assert to_edtf(y, m, "approximate") == "2019~/2022-11~"
    assert to_edtf(y, y, "exact") == "2019"


def test_every_data_export_carries_date_edtf():
    chron = load_chronology()
    frame = chron.frame
    recs = records(chron, frame)
    assert {r["id"]: r["date_edtf"] for r in recs}["xi-secret-speech"] == "2022-11~"
    table = list(csv.DictReader(io.StringIO(to_csv(chron, frame).decode("utf-8-sig"))))
    assert {r["event_id"]: r["date_edtf"] for r in table}["wang-tasked-expand"] == "[2022-10-23..2024-05-08]"
    doc = json.loads(to_json(chron, frame, ViewState(), "t", "s"))
    assert all(read_edtf(e["date_edtf"]) for e in doc["events"])
    assert {e["id"]: e["date_edtf"] for e in doc["events"]}["dea-primary-source"] == "[..2023-07]"


EDTF_ROWS = [  # start, end, date_certainty, date_note
    ("2022-11~", "", "", "About then."), ("2019?", "", "approximate", "Doubtful."),
    ("2019-04-01/2019-05-01", "", "exact", ""), ("2024-XX", "", "exact", ""), ("[2022-10-23..]", "", "", "After."),
    ("[..2019]", "", "by", "By then."), ("2022-13~", "", "", "Bad."), ("2022-11~", "", "inferred", "Conflict."),
    ("2019-04-01/2019-05-01", "2019-06", "exact", ""), ("2019~", "", "", ""),  # an approximate date needs its note
    ("2019-04", "", "exact", ""), ("2022-11~/2023-01~", "", "", "Around then."),
]


def test_the_bulk_reader_reads_edtf_as_the_model_does():
    from pydantic import ValidationError

    from timeline.data.models import Event

    rows = [{"id": f"e{i}", "title": "T", "start": s, "end": e, "date_certainty": c, "date_note": n, "kind": "event",
             "category": "diplomacy", "summary": "S."} for i, (s, e, c, n) in enumerate(EDTF_ROWS)]
    got = Event.from_columns({name: [r[name] for r in rows] for name in rows[0]})
    for row, bulk in zip(rows, got):
        try:
            one = Event.model_validate({k: v for k, v in row.items() if v})
        except ValidationError:
            one = None
        if bulk is None:  # a row left to model_validate: it words its problem, or makes the same model
            continue
        assert one is not None, row
        assert bulk == one and bulk.model_fields_set == one.model_fields_set, row
    assert [g is None for g in got] == [False, False, False, False, False, False, True, True, True, True, False, False]


def test_the_plain_forms_read_without_the_edtf_package_have_its_bounds():
    """The fast path (YYYY, YYYY-MM, YYYY-MM-DD, with ~ ? or %) agrees with the edtf package's own bounds."""
    from edtf import parse_edtf

    from timeline.data.edtf_dates import _day, _side

    texts = [f"{y}{m}{d}{q}" for y in ("1839", "2000", "2024") for m, d in (("", ""), ("-02", ""), ("-02", "-29"),
             ("-12", "-31"), ("-07", "-01")) for q in ("", "~", "?", "%") if not (y != "2000" and y != "2024" and d == "-29")]
    for text in texts:
        parsed = parse_edtf(text)
        mine = _side(text)
        assert (mine.first_day, mine.last_day) == (_day(parsed.lower_strict()), _day(parsed.upper_strict())), text
    for text in ("2023-02-29", "2019-13", "2019-00~"):
        with pytest.raises(EdtfError):
            _side(text)
