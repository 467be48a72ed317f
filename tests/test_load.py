"""Reading data folders: every broken input gives the exact problem lines a user reads.

Each folder under tests/data/bad/ is one broken case. It holds only the files that
differ from the shipped data (usually a short events.csv and the citations.csv that
goes with it), an optional remove.txt naming files to delete, and expected.txt: the
problem lines read_data must produce, in order.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from timeline import Chronology, DataError, load_chronology, read_data

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).resolve().parent / "data" / "bad"
CASES = sorted(p for p in BAD.iterdir() if p.is_dir())
META = {"expected.txt", "remove.txt"}


H = "id,title,start,end,date_certainty,date_note,kind,category,actors,summary,claimed_by\n"
C = "event_id,source_id,quote\n"
TRUMP = ("trump-tariff-threat,Trump threatens a tariff over fentanyl,2024-11-25,,inferred,Day from the public record.,"
         "event,sanctions-trade,us-president,Trump threatens an extra tariff on Chinese imports.,\n")
TRUMP_CITE = "trump-tariff-threat,cgtn,threatened to impose an additional tariff on Chinese imports\n"
PELOSI = ("pelosi-taiwan,Pelosi visits Taiwan,2022-08-02,2022-08-03,inferred,Days from the public record.,"
          "event,diplomacy,us-congress,Speaker Pelosi visits Taiwan.,\n")
PELOSI_CITE = "pelosi-taiwan,blaze,then-House Speaker Nancy Pelosi’s (D) visit to Taiwan last year\n"


def build(case: Path, dest: Path) -> Path:
    """Lay the case's files over dest, a copy of the shipped data, and apply its remove.txt."""
    for f in sorted(case.rglob("*")):
        if f.is_file() and f.name not in META:
            target = dest / f.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(f, target)
    remove = case / "remove.txt"
    if remove.exists():
        for name in remove.read_text(encoding="utf-8").split():
            (dest / name).unlink()
    return dest


def expected(case: Path) -> list[str]:
    return (case / "expected.txt").read_text(encoding="utf-8").splitlines()


def lines(folder: Path) -> list[str]:
    return [str(p) for p in read_data(folder).problems]


def case_param(case: Path):
    return pytest.param(case, id=case.name)


@pytest.mark.parametrize("case", [case_param(c) for c in CASES])
def test_bad_case_gives_exactly_the_expected_problems(case, data_dir):
    assert lines(build(case, data_dir)) == expected(case)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_folder_is_well_formed(case):
    assert expected(case), "a bad case must expect at least one problem"
    assert all(line.strip() for line in expected(case)), "expected.txt has a blank line"
    known = {"events.csv", "citations.csv", "vocabulary.csv", "seeds"}
    assert {p.relative_to(case).parts[0] for p in case.iterdir()} - META <= known


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_messages_read_like_instructions_not_tracebacks(case, data_dir):
    for line in lines(build(case, data_dir)):
        for leak in ("Traceback", "errors.pydantic.dev", "pydantic", "Value error", "validation error",
                     "For further information", "input_value", "type="):
            assert leak not in line
        assert "\n" not in line
        assert ". Fix: " in line, "every problem says what to do about it"


def test_unknown_ids_are_answered_with_the_nearest_real_id(data_dir):
    # What works today in the unknown-id-typos case, kept apart from its "?." bug.
    got = lines(build(BAD / "unknown-id-typos", data_dir))
    assert len(got) == 2
    assert got[0].startswith('citations.csv row 4, column event_id: no event in events.csv has the id "pelosi-taiwn". '
                             'Fix: did you mean "pelosi-taiwan"?')
    assert got[1].startswith('citations.csv row 5, column source_id: no readable source in seeds/sources.csv has the id '
                             '"cgnt". Fix: did you mean "cgtn"?')


def test_not_utf8_fixture_really_is_windows_1252():
    data = (BAD / "events-not-utf8" / "events.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "“in late November”" in data.decode("cp1252")


# --- the shipped data, and encodings it must survive ------------------------------------


def test_a_copy_of_the_shipped_data_loads_without_problems(data_dir):
    result = read_data(data_dir)
    assert result.problems == []
    assert result.ok
    for name in ("vocabulary.csv", "seeds/sources.csv", "events.csv", "citations.csv"):
        with open(data_dir / name, encoding="utf-8", newline="") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
        count = result.counts[name]
        assert (count.read, count.kept, count.rejected) == (rows, rows, 0), name


def test_read_data_defaults_to_the_project_folder():
    result = read_data()
    assert result.problems == []
    assert [e.id for e in result.chronology.events] == [e.id for e in read_data(ROOT).chronology.events]
    assert len(result.chronology.events) >= 30


def test_bom_and_crlf_files_load_like_the_originals(data_dir, write):
    # What Excel's "CSV UTF-8" and Windows editors produce.
    for name in ("events.csv", "citations.csv", "vocabulary.csv", "seeds/sources.csv",
                 "seeds/001_e2b3649c95e4aa48.txt"):
        text = (data_dir / name).read_text(encoding="utf-8")
        write(data_dir, name, b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert (data_dir / "events.csv").read_bytes().startswith(b"\xef\xbb\xbfid,title,")
    assert b"\r\n" in (data_dir / "seeds/001_e2b3649c95e4aa48.txt").read_bytes()

    result, original = read_data(data_dir), read_data(ROOT)
    assert result.problems == []
    assert [e.id for e in result.chronology.events] == [e.id for e in original.chronology.events]
    assert [p.text for p in result.chronology.passages] == [p.text for p in original.chronology.passages]
    assert all(p.anchor.exact for p in result.chronology.passages)
    assert result.chronology.sources["epoch"].text == original.chronology.sources["epoch"].text  # no BOM, no CR


def test_a_workbook_saved_under_a_csv_name_is_refused(data_dir, write):
    write(data_dir, "events.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    write(data_dir, "citations.csv", C)
    assert lines(data_dir) == [
        "events.csv: the file is not text (it contains NUL bytes). "
        "Fix: save it as CSV UTF-8 text, not as a spreadsheet workbook."
    ]


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers(data_dir, write):
    write(data_dir, "events.csv", H + TRUMP + "\n,,,,,,,,,,\n" + PELOSI.replace("2022-08-02", "2022-13"))
    write(data_dir, "citations.csv", C + TRUMP_CITE + PELOSI_CITE)
    assert lines(data_dir)[0].startswith('events.csv row 5, column start: "2022-13" has no month 13.')


# --- counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("case, table, read, kept, rejected", [
    ("malformed-dates", "events.csv", 5, 1, 4),
    ("malformed-dates", "citations.csv", 1, 1, 0),
    ("quote-not-found", "citations.csv", 2, 1, 1),
    ("quote-not-found", "events.csv", 2, 1, 1),  # an event with no verified quote is not shown
    ("event-without-citation", "events.csv", 2, 1, 1),
    ("duplicate-event-id", "events.csv", 3, 2, 1),
    ("missing-seeds-file", "seeds/sources.csv", 5, 4, 1),
    ("vocabulary-problems", "vocabulary.csv", 5, 2, 3),
    ("bad-sources", "seeds/sources.csv", 6, 1, 5),
    ("missing-column", "events.csv", 0, 0, 0),
])
def test_counts_say_how_many_rows_were_read_kept_and_rejected(case, table, read, kept, rejected, data_dir):
    count = read_data(build(BAD / case, data_dir)).counts[table]
    assert (count.read, count.kept, count.rejected) == (read, kept, rejected)


def test_a_row_with_too_many_cells_counts_as_read_and_rejected(data_dir):
    count = read_data(build(BAD / "too-many-cells", data_dir)).counts["events.csv"]
    assert (count.read, count.kept, count.rejected) == (2, 1, 1)


# --- load_chronology -------------------------------------------------------------------


def test_load_chronology_returns_the_chronology_when_there_are_no_problems(data_dir):
    chronology = load_chronology(data_dir)
    assert isinstance(chronology, Chronology)
    assert [e.id for e in chronology.events] == [e.id for e in read_data(data_dir).chronology.events]
    assert len(chronology.events) >= 30


def test_load_chronology_raises_data_error_listing_every_problem(data_dir):
    folder = build(BAD / "malformed-dates", data_dir)
    with pytest.raises(DataError) as caught:
        load_chronology(folder)
    assert [str(p) for p in caught.value.problems] == expected(BAD / "malformed-dates")
    assert len(caught.value.problems) == 4
    assert str(caught.value) == "\n".join(expected(BAD / "malformed-dates"))
    assert caught.value.problems == read_data(folder).problems


# --- how one problem affects the rows that depend on it ---------------------------------


def test_citations_of_a_rejected_event_are_not_reported_again(data_dir, write):
    # The event row is in events.csv; only its date is wrong. One problem, not two.
    write(data_dir, "events.csv", H + TRUMP + PELOSI.replace("2022-08-02", "2022-13"))
    write(data_dir, "citations.csv", C + TRUMP_CITE + PELOSI_CITE)
    assert lines(data_dir) == [
        'events.csv row 3, column start: "2022-13" has no month 13. '
        "Fix: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-04 or 2019-04-01."
    ]


def test_citations_of_a_row_with_too_many_cells_are_not_reported_again(data_dir, write):
    write(data_dir, "events.csv", H + TRUMP + PELOSI.replace("Pelosi visits Taiwan,", "Pelosi, then Speaker, visits Taiwan,"))
    write(data_dir, "citations.csv", C + TRUMP_CITE + PELOSI_CITE)
    assert lines(data_dir) == [
        "events.csv row 3: the row has 13 cells but the header has 11. Fix: put cells that contain commas in double quotes."
    ]


def test_an_uncited_event_is_told_to_add_a_citation_even_when_other_quotes_fail(data_dir, write):
    write(data_dir, "events.csv", H + TRUMP + PELOSI)
    write(data_dir, "citations.csv", C + TRUMP_CITE.replace("additional", "supplement"))
    assert lines(data_dir) == [
        "citations.csv row 2, column quote: the quote is not in seeds/004_d286d3589c386401.txt. Fix: copy it verbatim "
        'from the article; the closest passage is "threatened to impose an additional tariff on Chinese imports".',
        'events.csv row 2, column id: event "trump-tariff-threat" has no citation that could be verified. '
        "Fix: correct its rows in citations.csv (see the problems listed there).",
        'events.csv row 3, column id: event "pelosi-taiwan" has no citation. Fix: add a row to citations.csv with '
        "event_id pelosi-taiwan, a source_id and a verbatim quote.",
    ]


def test_an_event_whose_only_citation_names_an_unknown_source_is_pointed_at_that_row(data_dir, write):
    write(data_dir, "events.csv", H + TRUMP + PELOSI)
    write(data_dir, "citations.csv", C + TRUMP_CITE + PELOSI_CITE.replace(",blaze,", ",nytimes,"))
    assert lines(data_dir) == [
        'citations.csv row 3, column source_id: no readable source in seeds/sources.csv has the id "nytimes". '
        "Fix: use an id from seeds/sources.csv.",
        'events.csv row 3, column id: event "pelosi-taiwan" has no citation that could be verified. '
        "Fix: correct its rows in citations.csv (see the problems listed there).",
    ]


# --- tolerance of what spreadsheets do ---------------------------------------------------


def test_spaces_around_kind_and_certainty_are_tolerated_like_in_other_columns(data_dir, write):
    write(data_dir, "events.csv", H + TRUMP.replace(",inferred,", ", inferred,").replace(",event,", ",event ,"))
    write(data_dir, "citations.csv", C + TRUMP_CITE)
    assert lines(data_dir) == []


def test_spaces_around_other_cells_are_tolerated(data_dir, write):
    padded = TRUMP.replace(",2024-11-25,", ", 2024-11-25 ,").replace(",sanctions-trade,", ", sanctions-trade ,")
    write(data_dir, "events.csv", H + padded)
    write(data_dir, "citations.csv", C + TRUMP_CITE.replace(",cgtn,", ", cgtn ,"))
    result = read_data(data_dir)
    assert result.problems == []
    assert result.chronology.events[0].start.iso == "2024-11-25"


def test_the_label_column_is_optional(data_dir, write):
    write(data_dir, "events.csv", H + TRUMP)
    write(data_dir, "citations.csv", C + TRUMP_CITE)
    assert read_data(data_dir).chronology.events[0].label == ""
    labelled = H.replace(",title,", ",title,label,") + TRUMP.replace(",Trump threatens a tariff over fentanyl,",
                                                                        ",Trump threatens a tariff over fentanyl, Tariff threat ,")
    write(data_dir, "events.csv", labelled)
    result = read_data(data_dir)
    assert result.problems == []
    assert result.chronology.events[0].label == "Tariff threat"


def test_closest_passage_hint_stays_on_one_line(data_dir, write):
    quote = ("China has made little effort to curb the flow of fentanyl from its shores despite promising the Biden "
             "administration that it would, a new congressional report released Tuesday concluded.")
    report = ("house-select-report,House report,2024-04-16,,inferred,From “released Tuesday”.,"
              "event,congress,us-congress,A report.,\n")
    write(data_dir, "events.csv", H + TRUMP + report)
    write(data_dir, "citations.csv", C + TRUMP_CITE + f'house-select-report,dailycaller,"{quote}"\n')
    got = lines(data_dir)
    assert len(got) == 2
    assert "\n" not in got[0]
    assert 'the closest passage is "China has made little effort' in got[0]
