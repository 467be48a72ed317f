"""`suggest`: the date expressions of each seed article, resolved as /work/shared/seeds/README.md dates them."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from timeline.data.anchor import locate
from timeline.cli import main
from timeline.data.load import read_data
from timeline.curation.suggest import Publication, find_dates

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ARTICLES = {  # file prefix → (file, publication date given to suggest)
    "000": ("000_8ecf693b6142e438.txt", "2024-05-08"),
    "001": ("001_e2b3649c95e4aa48.txt", "2024-01-30"),
    "002": ("002_f3dbecf80aede4c4.txt", "2024-04-16"),
    "003": ("003_4b7101c57c46ceed.txt", "2023-07"),     # known only to the month
    "004": ("004_d286d3589c386401.txt", "2024-12"),     # late November or December 2024
}


def candidates(prefix: str, **kw):
    name, published = ARTICLES[prefix]
    return find_dates((SEEDS / name).read_text(encoding="utf-8"), published, **kw)


@pytest.mark.parametrize("article, expression, date, precision, certainty", [
    ("000", "a year and a half ago", "2022-11", "month", "approximate"),
    ("000", "In late April of this year", "2024-04", "month", "approximate"),
    ("000", "1839 – 1860", "1839–1860", "year", "exact"),
    ("001", "on Tuesday", "2024-01-30", "day", "inferred"),
    ("001", "Tuesday’s", "2024-01-30", "day", "inferred"),
    ("001", "A recent", "2024-01", "month", "approximate"),
    ("002", "Tuesday", "2024-04-16", "day", "inferred"),             # "released Tuesday"
    ("002", "in November", "2023-11", "month", "inferred"),
    ("002", "in November 2023", "2023-11", "month", "exact"),
    ("002", "in February", "2024-02", "month", "inferred"),
    ("002", "2020", "2020", "year", "exact"),                        # "a 2020 report"
    ("003", "earlier this month", "2023-07", "month", "inferred"),
    ("003", "last year", "2022", "year", "inferred"),
    ("003", "three years ago", "2020", "year", "inferred"),
    ("003", "Earlier this year", "2023", "year", "inferred"),
    ("003", "June", "2023-06", "month", "inferred"),                 # "Blinken's June trip"
    ("004", "in late November", "2024-11", "month", "approximate"),
    ("004", "On January 30, 2024", "2024-01-30", "day", "exact"),
    ("004", "As early as 2019", "2019", "year", "exact"),
    ("004", "since September 2019", "2019-09", "month", "exact"),
    ("004", "Since 2017", "2017", "year", "exact"),
    ("004", "as early as late June 2023", "2023-06", "month", "exact"),
    ("004", "in 2022", "2022", "year", "exact"),                     # dateparser misses it after "79,770"
])
def test_seed_article_dates(article, expression, date, precision, certainty):
    found = {c.expression: c for c in candidates(article)}
    assert expression in found, f"{expression!r} not found; found {list(found)}"
    c = found[expression]
    assert (c.date, c.precision, c.certainty) == (date, precision, certainty), c.reasoning


def test_reasoning_says_how_a_weekday_resolves():
    c = next(c for c in candidates("001") if c.expression == "on Tuesday")
    assert c.reasoning == ('"on Tuesday" → Tuesday 30 January 2024, the most recent Tuesday on or before the '
                           "publication date (30 January 2024).")
    assert c.quote.startswith("U.S. and Chinese officials sat down in Beijing on Tuesday for their first talks")


def test_a_whole_article_gives_exactly_its_dates():
    assert [(c.date, c.certainty, c.expression) for c in candidates("003")] == [
        ("2020", "inferred", "three years ago"),
        ("2022", "exact", "in 2022"),
        ("2023", "inferred", "Earlier this year"),
        ("2023-07", "inferred", "earlier this month"),
        ("2023-06", "inferred", "June"),
        ("2022", "inferred", "last year"),
    ]


@pytest.mark.parametrize("article", sorted(ARTICLES))
def test_every_quote_is_a_verbatim_sentence_of_the_article(article):
    source = next(s for s in read_data(ROOT).chronology.sources.values() if s.file == ARTICLES[article][0])
    found = candidates(article)
    assert found
    for c in found:
        assert "\n" not in c.quote and len(c.quote) <= 600
        anchor = locate(c.quote, source.text)
        assert anchor is not None and anchor.exact, c.quote
        assert c.expression in c.quote


@pytest.mark.parametrize("article, furniture", [
    ("003", "© 2024"),              # the copyright banner
    ("004", "February 26, 2024"),   # a photo caption (/CFP)
])
def test_page_furniture_is_ignored(article, furniture):
    assert not [c for c in candidates(article) if furniture in c.quote]


def test_words_dateparser_takes_for_dates_are_dropped():
    text = "We may say it sat well. People aged 18-45 were hit for 10 years, after the 20th congress."
    assert find_dates(text, "2024-05-08") == []


@pytest.mark.parametrize("text, published, date, certainty", [
    ("They met Sept. 3, 2021 in Paris.", "2024-05-08", "2021-09-03", "exact"),      # dateparser splits it; merged
    ("The wars ran between 1839 and 1860.", "2024-05-08", "1839–1860", "exact"),
    ("It was said two weeks ago.", "2024-05-08", "2024-04-24", "inferred"),
    ("It was said about two years ago.", "2024-05-08", "2022", "approximate"),
    ("Last Tuesday he spoke.", "2024-05-08", "2024-05-07", "inferred"),
    ("On Wednesday he spoke.", "2024-05-08", "2024-05-08", "inferred"),          # on or before: the same day
    ("He spoke on Tuesday.", "2023-07", "2023-07", "approximate"),               # a month-precision publication
    ("He spoke in mid-2023.", "2024-05-08", "2023", "exact"),
])
def test_layer_over_dateparser(text, published, date, certainty):
    (c,) = find_dates(text, published)
    assert (c.date, c.certainty) == (date, certainty), c.reasoning


def test_a_sentence_already_on_the_timeline_says_so():
    cited = {p.text: p.event_id for p in read_data(ROOT).chronology.passages}
    c = next(c for c in candidates("004", cited=cited) if c.expression == "On January 30, 2024")
    assert c.already_cited == ("working-group-launch",)


def test_publication_must_give_the_month():
    with pytest.raises(ValueError, match="need at least the month"):
        Publication("2024")


# --- the command -----------------------------------------------------------------------------------

NEW_ARTICLE = ("Cookie notice\r\n"
               "China and US hold new fentanyl talks in Washington\r\n"
               "\r\n"
               "Officials from both countries met on Thursday in Washington, the State Department said. "
               "The talks follow a meeting last month in Beijing.\r\n"
               "Three years ago, cooperation was suspended.")  # CRLF, and no final newline


def test_suggest_prints_candidates_and_writes_nothing(data_dir, capsys):
    before = {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    article = data_dir.parent / "new.txt"
    article.write_bytes(NEW_ARTICLE.encode())
    assert main(["suggest", str(article), "--published", "2024-09-13", "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 candidate dates in 3 sentences of new.txt (published 13 September 2024):")
    assert '2024-09-12  inferred    "on Thursday" → Thursday 12 September 2024, the most recent Thursday' in out
    assert "Nothing was written." in out
    assert {p: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()} == before


def test_suggest_write_adds_the_article_for_review_not_to_events(data_dir, capsys):
    article = data_dir.parent / "new.txt"
    article.write_bytes(NEW_ARTICLE.encode())
    sources_before = (data_dir / "seeds" / "sources.csv").read_bytes()
    events_before = (data_dir / "events.csv").read_bytes()
    assert main(["suggest", str(article), "--published", "2024-09-13", "--outlet", "The Example Times",
                 "--outlet-description", "A test outlet.", "--data", str(data_dir), "--write"]) == 0
    out = capsys.readouterr().out
    assert 'source "example-times" on row 7 of seeds/sources.csv, and 3 candidates to review/example-times.csv.' in out
    copies = [p for p in (data_dir / "seeds").glob("005_*.txt")]
    assert len(copies) == 1 and copies[0].read_bytes() == article.read_bytes()   # byte for byte
    sources_after = (data_dir / "seeds" / "sources.csv").read_bytes()
    assert sources_after.startswith(sources_before)
    row = next(csv.DictReader(sources_after.decode().splitlines()[-1:], fieldnames=next(csv.reader(sources_before.decode().splitlines()))))
    assert (row["id"], row["headline"], row["headline_descriptive"], row["published"], row["published_certainty"]) == (
        "example-times", "China and US hold new fentanyl talks in Washington", "no", "2024-09-13", "stated")
    assert (data_dir / "events.csv").read_bytes() == events_before
    with open(data_dir / "review" / "example-times.csv", encoding="utf-8", newline="") as f:
        review = list(csv.DictReader(f))
    assert [(r["start"], r["date_certainty"]) for r in review] == [("2024-09-12", "inferred"), ("2024-08", "inferred"),
                                                                  ("2021", "inferred")]
    assert review[0]["quote"] == "Officials from both countries met on Thursday in Washington, the State Department said."
    assert review[0]["date_note"].startswith("The article (13 September 2024) says “on Thursday”, i.e. Thursday 12")
    result = read_data(data_dir)
    assert result.ok, result.problems
    assert "example-times" in result.chronology.sources
    # The same article again: refused, nothing written.
    assert main(["suggest", str(article), "--published", "2024-09-13", "--outlet", "X", "--data", str(data_dir),
                 "--write"]) == 1
    assert "already in" in capsys.readouterr().err
    assert (data_dir / "seeds" / "sources.csv").read_bytes() == sources_after


def test_suggest_write_needs_the_outlet(data_dir, capsys):
    article = data_dir.parent / "new.txt"
    article.write_bytes(NEW_ARTICLE.encode())
    assert main(["suggest", str(article), "--published", "2024-09-13", "--data", str(data_dir), "--write"]) == 1
    assert capsys.readouterr().err.startswith("Error: --write needs --outlet")


def test_suggest_rejects_a_bad_publication_date(capsys):
    assert main(["suggest", str(SEEDS / ARTICLES["000"][0]), "--published", "May 2024"]) == 1
    assert capsys.readouterr().err.startswith('Error: --published: "May 2024" is not a date')


def test_suggest_help_has_an_example(capsys):
    assert main(["suggest", "--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: python -m timeline suggest" in out and "--data" in out
    assert "python -m timeline suggest" in out.split("example")[-1]
