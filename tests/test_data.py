"""The shipped chronology: it validates, quotes its articles verbatim and dates what it must."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from timeline import Certainty, Kind, read_data
from timeline.data.dates import PartialDate

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEEDS = Path("/work/shared/seeds")


@pytest.fixture(scope="module")
def result():
    return read_data(ROOT)


@pytest.fixture(scope="module")
def chronology(result):
    return result.chronology


def csv_rows(name: str) -> list[dict[str, str]]:
    with open(ROOT / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_validates_with_zero_problems(result):
    assert [str(p) for p in result.problems] == []
    assert all(c.rejected == 0 for c in result.counts.values())


def test_every_row_becomes_part_of_the_chronology(chronology):
    assert len(chronology.events) == len(csv_rows("events.csv"))
    assert len(chronology.passages) == len(csv_rows("citations.csv"))
    assert len(chronology.sources) == len(csv_rows("seeds/sources.csv")) == 5


def test_at_least_thirty_events(chronology):
    assert len(chronology.events) >= 30


def test_every_quote_is_found_verbatim_in_its_article():
    sources = {row["id"]: row["file"] for row in csv_rows("seeds/sources.csv")}
    missing = []
    for number, row in enumerate(csv_rows("citations.csv"), start=2):
        text = (ROOT / "seeds" / sources[row["source_id"]]).read_text(encoding="utf-8")
        if row["quote"] not in text:
            missing.append(f"citations.csv row {number}: {row['quote'][:60]}")
    assert missing == []


def test_every_passage_is_an_exact_anchor(chronology):
    for p in chronology.passages:
        assert p.anchor.exact, p.citation.quote
        assert p.text == p.citation.quote


def test_seed_files_are_byte_identical_to_the_shared_originals():
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} is not on this machine")
    shared = sorted(p.name for p in SHARED_SEEDS.glob("*.txt"))
    ours = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    assert ours == shared and len(ours) == 5
    for name in ours:
        assert (ROOT / "seeds" / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


def test_every_event_has_a_citation(chronology):
    assert [e.id for e in chronology.events if not chronology.passages_for(e.id)] == []
    cited = {row["event_id"] for row in csv_rows("citations.csv")}
    assert {row["id"] for row in csv_rows("events.csv")} == cited


def test_claims_say_who_makes_them(chronology):
    claims = [e for e in chronology.events if e.kind is Kind.claim]
    assert claims
    assert [e.id for e in claims if not e.claimed_by.strip()] == []


def test_dates_that_are_not_exact_say_how_they_were_established(chronology):
    vague = [e for e in chronology.events if e.date_certainty is not Certainty.exact]
    assert any(e.date_certainty is Certainty.approximate for e in vague)
    assert [e.id for e in vague if not e.date_note.strip()] == []


def test_events_are_in_date_order(chronology):
    keys = [e.sort_key for e in chronology.events]
    assert keys == sorted(keys)
    assert chronology.events[0].id == "opium-wars"
    assert list(chronology.frame["id"]) == [e.id for e in chronology.events]


# id, start, end, precision of start, kind, certainty (None: not pinned)
REQUIRED = [
    ("opium-wars", "1839", "1860", "year", Kind.context, None),
    ("china-class-scheduling", "2019-04-01", "2019-05-01", "day", Kind.event, None),
    ("no-seizures-claim", "2019-09", None, "month", Kind.claim, None),
    ("ifs-sanctions", "2020-05", None, "month", Kind.event, None),
    ("pelosi-taiwan", "2022-08-02", "2022-08-03", "day", Kind.event, None),
    ("china-halts-cooperation", "2022-08-05", None, "day", Kind.event, None),
    ("xi-secret-speech", "2022-11", None, "month", Kind.claim, Certainty.approximate),
    ("blinken-beijing-2023", "2023-06-18", "2023-06-19", "day", Kind.event, None),
    ("global-coalition-meeting", "2023-07-07", None, "day", Kind.event, None),
    ("apec-biden-xi", "2023-11-15", None, "day", Kind.event, None),
    ("working-group-launch", "2024-01-30", None, "day", Kind.event, Certainty.exact),
    ("house-select-report", "2024-04-16", None, "day", Kind.event, None),
    ("blinken-wang-meeting", "2024-04-26", None, "day", Kind.event, None),
    ("trump-tariff-threat", "2024-11-25", None, "day", Kind.event, None),
]


@pytest.mark.parametrize("event_id, start, end, precision, kind, certainty", REQUIRED, ids=[r[0] for r in REQUIRED])
def test_required_events_and_their_dates(chronology, event_id, start, end, precision, kind, certainty):
    e = chronology.by_id[event_id]
    assert e.start == PartialDate.parse(start)
    assert e.start.precision == precision
    assert e.end == (PartialDate.parse(end) if end else None)
    assert e.kind is kind
    if certainty is not None:
        assert e.date_certainty is certainty


def test_required_spans_and_labels(chronology):
    assert chronology.by_id["opium-wars"].is_span
    assert chronology.by_id["opium-wars"].date_label == "1839 – 1860"
    assert chronology.by_id["china-class-scheduling"].start.year == 2019
    assert chronology.by_id["pelosi-taiwan"].date_label == "2–3 August 2022"
    assert chronology.by_id["xi-secret-speech"].date_label == "c. November 2022"
    assert chronology.by_id["xi-secret-speech"].claimed_by
    assert chronology.by_id["working-group-launch"].date_label == "30 January 2024"


def test_halt_follows_the_visit_it_answers(chronology):
    assert chronology.by_id["china-halts-cooperation"].first_day > chronology.by_id["pelosi-taiwan"].last_day


# id, file, published, published_end, certainty: from /work/shared/seeds/README.md
SOURCES = [
    ("ntdtv", "000_8ecf693b6142e438.txt", "2024-05-08", None, "stated"),
    ("epoch", "001_e2b3649c95e4aa48.txt", "2024-01-30", None, "inferred"),
    ("dailycaller", "002_f3dbecf80aede4c4.txt", "2024-04-16", None, "inferred"),
    ("blaze", "003_4b7101c57c46ceed.txt", "2023-07", None, "inferred"),
    ("cgtn", "004_d286d3589c386401.txt", "2024-11", "2024-12", "inferred"),
]


def test_sources_table_has_the_five_articles():
    assert [(r["id"], r["file"]) for r in csv_rows("seeds/sources.csv")] == [(s[0], s[1]) for s in SOURCES]


@pytest.mark.parametrize("source_id, file, published, published_end, certainty", SOURCES, ids=[s[0] for s in SOURCES])
def test_sources_and_their_publication_dates(chronology, source_id, file, published, published_end, certainty):
    s = chronology.sources[source_id]
    assert s.file == file
    assert (ROOT / "seeds" / file).is_file()
    assert s.text == (ROOT / "seeds" / file).read_text(encoding="utf-8")
    assert s.published == PartialDate.parse(published)
    assert s.published_end == (PartialDate.parse(published_end) if published_end else None)
    assert s.published_certainty == certainty
    if certainty == "inferred":
        assert s.published_note.strip()


def test_every_source_is_cited(chronology):
    assert {p.source.id for p in chronology.passages} == {s[0] for s in SOURCES}


def test_the_ntdtv_url_carries_its_date(chronology):
    assert chronology.sources["ntdtv"].url == "https://www.ntdtv.com/gb/2024/05/08/a103878495.html"
