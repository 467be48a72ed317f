"""Any story: start one (`new`), bring in articles (`add-article`, the Curate page's form), import TimelineJS.

Broken inputs each get a clear message and lose nothing: a page without a date, a page with two dates that
disagree, a file that is not UTF-8, a file over the upload limit, a TimelineJS sheet with bad dates, blank rows
and extra columns (fixtures in tests/data/articles and tests/data/timelinejs).
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from timeline.cli import main
from timeline.curation.addarticle import Facts, MissingFacts, add_article_file
from timeline.curation.article import ArticleError, read_article, read_markdown
from timeline.curation.newstory import StoryExists, new_story
from timeline.curation.suggest import REVIEW_COLUMNS
from timeline.curation.timelinejs_in import import_timelinejs
from timeline.data.load import read_data

DATA = Path(__file__).resolve().parent / "data"
PAGES = DATA / "articles"
SHEETS = DATA / "timelinejs"


def sources(folder: Path) -> list[dict[str, str]]:
    with open(folder / "seeds" / "sources.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def review(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == REVIEW_COLUMNS
        return list(reader)


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return new_story(tmp_path / "story", "The harbour dispute").folder


def untouched(folder: Path):
    """A snapshot of every file under folder, to assert that a refused command wrote nothing."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- new ------------------------------------------------------------------------------------------

def test_new_writes_a_valid_empty_story(tmp_path, capsys):
    folder = tmp_path / "mine"
    assert main(["new", str(folder), "--title", "The harbour dispute"]) == 0
    assert "Next: python -m timeline add-article" in capsys.readouterr().out
    for name in ("story.toml", "events.csv", "citations.csv", "vocabulary.csv", "relations.csv", "figures.csv",
                 "seeds/sources.csv"):
        assert (folder / name).is_file(), name
    assert (folder / "events.csv").read_text().splitlines() == [
        "id,title,label,start,end,date_certainty,date_note,kind,category,actors,summary,claimed_by"]
    result = read_data(folder)
    assert result.ok, result.problems
    assert result.chronology.story.title == "The harbour dispute"
    assert len(result.chronology.vocabulary["category"]) >= 3 and result.chronology.events == []
    assert main(["validate", "--data", str(folder)]) == 0
    assert capsys.readouterr().out.startswith("OK: 0 events, 0 citations, 0 sources.")


def test_new_refuses_a_folder_that_holds_a_story(story, capsys):
    before = untouched(story)
    with pytest.raises(StoryExists):
        new_story(story, "Another")
    assert main(["new", str(story), "--title", "Another"]) == 1
    assert "already holds a story" in capsys.readouterr().err
    assert untouched(story) == before


def test_new_rejects_an_empty_title(tmp_path, capsys):
    assert main(["new", str(tmp_path / "x"), "--title", ""]) == 2
    assert "--title" in capsys.readouterr().err
    assert not (tmp_path / "x" / "events.csv").exists()


# --- reading articles -----------------------------------------------------------------------------

def test_a_saved_page_gives_its_text_and_metadata():
    info = read_article((PAGES / "dated.html").read_bytes(), "dated.html")
    assert (info.headline, info.outlet, info.author, info.url) == (
        "Port talks stall over dredging fees", "Harbour Herald", "Ana Ruiz", "https://herald.example/2024/03/port-talks")
    assert info.published.value == "2024-03-12" and not info.conflict
    assert {d.where for d in info.dates} == {"the page's JSON-LD (datePublished)",
                                             'the page\'s <meta property="article:published_time"> tag'}
    assert "Home | World" not in info.text and "newsletter" not in info.text  # page furniture left out
    assert "Tom Berg, said the offer \"came too late and covers too little\"." in info.text


def test_two_dates_that_disagree_are_both_reported_and_none_chosen():
    info = read_article((PAGES / "two-dates.html").read_bytes(), "two-dates.html")
    assert info.conflict and info.published is None
    assert sorted(d.value for d in info.dates) == ["2024-02-01", "2024-02-05"]


def test_one_moment_in_two_time_zones_is_not_a_conflict():
    page = ('<html><head><meta property="article:published_time" content="2024-03-13T04:30:00Z">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2024-03-12T23:30:00-05:00"}'
            '</script></head><body><article><p>The harbour authority met late on Tuesday evening to discuss the fees.</p>'
            '<p>It published its decision an hour later, after the vote of its board.</p></article></body></html>')
    info = read_article(page.encode(), "late.html")
    assert not info.conflict and info.published.value == "2024-03-12"  # the day as the page's JSON-LD writes it
    later = page.replace("2024-03-13T04:30:00Z", "2024-03-13T09:30:00Z")
    assert read_article(later.encode(), "late.html").conflict  # five hours apart: not the same moment


def test_a_page_without_a_date_has_none():
    info = read_article((PAGES / "no-date.html").read_bytes(), "no-date.html")
    assert info.dates == [] and info.published is None and info.outlet == ""


def test_a_file_that_is_not_utf8_is_refused_with_the_byte_and_line():
    with pytest.raises(ArticleError, match=r"latin1.txt is not UTF-8 text \(byte 0xfc on line 3\).*iconv"):
        read_article((PAGES / "latin1.txt").read_bytes(), "latin1.txt")


def test_a_saved_page_in_the_character_set_it_declares_is_read():
    data = (PAGES / "windows-1252.html").read_bytes()
    info = read_article(data, "windows-1252.html")
    assert "neuen Gebühren, die die Hafenbehörde im Januar eingeführt hat." in info.text and info.outlet == "Hafenblatt"
    undeclared = data.replace(b"; charset=windows-1252", b"")
    with pytest.raises(ArticleError, match=r"x.html is not UTF-8 text \(byte 0xfc on line 1\)"):
        read_article(undeclared, "x.html")
    with pytest.raises(ArticleError, match="declares the character set klingon"):
        read_article(data.replace(b"windows-1252", b"klingon"), "x.html")


def test_markdown_reads_as_plain_text():
    info = read_markdown((PAGES / "council.md").read_text())
    assert info.headline == "Council backs harbour plan"
    assert ("The city council voted 31 to 12 on Wednesday to back the harbour authority's plan for a new container "
            "terminal, according to the council's minutes.") in info.text
    assert "**" not in info.text and "](" not in info.text and "\n> " not in info.text


def test_other_kinds_of_file_are_refused():
    with pytest.raises(ArticleError, match=r"an article must be \.txt, \.md, \.html"):
        read_article(b"%PDF-1.4", "article.pdf")


# --- add-article ------------------------------------------------------------------------------------

def test_add_article_saves_the_text_and_a_source_row_that_validates(story, capsys):
    assert main(["add-article", str(story), str(PAGES / "dated.html"), "--outlet-description", "regional daily"]) == 0
    out = capsys.readouterr().out
    assert "Found published 2024-03-12 (the page's JSON-LD (datePublished) and" in out
    [row] = sources(story)
    assert row["id"] == "harbour-herald" and row["outlet"] == "Harbour Herald"
    assert row["published"] == "2024-03-12" and row["published_certainty"] == "stated"
    assert row["published_note"].startswith("Date from the page's JSON-LD (datePublished)")
    assert row["url"] == "https://herald.example/2024/03/port-talks" and "Byline: Ana Ruiz." in row["notes"]
    saved = (story / "seeds" / row["file"]).read_text(encoding="utf-8")
    assert saved.startswith("Port talks stall over dredging fees\n") and "<p>" not in saved
    result = read_data(story)
    assert result.ok, result.problems
    assert result.chronology.sources["harbour-herald"].headline == "Port talks stall over dredging fees"
    assert (story / "seeds" / "sources.csv.bak").is_file()  # the previous version is kept


def test_a_page_without_a_date_asks_for_published_and_outlet(story, capsys):
    before = untouched(story)
    assert main(["add-article", str(story), str(PAGES / "no-date.html")]) == 1
    err = capsys.readouterr().err
    assert "no publication date was found in the saved web page: pass --published YYYY-MM-DD" in err
    assert "does not name its outlet: pass --outlet NAME" in err and "Nothing was added" in err
    assert untouched(story) == before
    assert main(["add-article", str(story), str(PAGES / "no-date.html"), "--outlet", "Coast Courier",
                 "--published", "2024-03-20"]) == 0
    assert sources(story)[0]["published"] == "2024-03-20"


def test_two_conflicting_dates_are_not_guessed(story, capsys):
    before = untouched(story)
    assert main(["add-article", str(story), str(PAGES / "two-dates.html")]) == 1
    err = capsys.readouterr().err
    assert ("the page gives 2 different publication dates (2024-02-05 in the page's JSON-LD (datePublished); "
            "2024-02-01 in the page's <meta property=\"article:published_time\"> tag), so which one is right must be "
            "said: pass --published YYYY-MM-DD") in err
    assert untouched(story) == before
    assert main(["add-article", str(story), str(PAGES / "two-dates.html"), "--published", "2024-02-05"]) == 0
    [row] = sources(story)
    assert row["published"] == "2024-02-05"
    assert "The page gives 2024-02-05 in" in row["published_note"] and "2024-02-01 in" in row["published_note"]


def test_a_non_utf8_file_is_refused_and_nothing_written(story, capsys):
    before = untouched(story)
    assert main(["add-article", str(story), str(PAGES / "latin1.txt"), "--outlet", "Hafenblatt",
                 "--published", "2024-01-15"]) == 1
    assert "is not UTF-8 text (byte 0xfc on line 3)" in capsys.readouterr().err
    assert untouched(story) == before


def test_a_file_over_the_upload_limit_is_refused(story):
    before = untouched(story)
    big = b"<html><body><p>" + b"word " * (21 * 1024 * 1024 // 5) + b"</p></body></html>"
    with pytest.raises(ArticleError, match=r"big.html: The file is 21\.0 MB; the limit is 20 MB\. Nothing was added"):
        add_article_file(story, big, "big.html", Facts(outlet="X", published="2024-01-01"))
    assert untouched(story) == before


def test_a_text_file_is_kept_byte_for_byte_and_needs_outlet_and_date(story, tmp_path, capsys):
    article = tmp_path / "notes.txt"
    article.write_bytes(b"Dock workers walk out\r\n\r\nDock workers walked out on Friday over the new shift rota.\r\n")
    assert main(["add-article", str(story), str(article)]) == 1
    assert "the text file does not name its outlet: pass --outlet NAME" in capsys.readouterr().err
    assert main(["add-article", str(story), str(article), "--outlet", "City Herald", "--published", "2024-05",
                 "--suggest"]) == 0
    [row] = sources(story)
    assert (story / "seeds" / row["file"]).read_bytes() == article.read_bytes()
    assert row["headline"] == "Dock workers walk out" and row["published"] == "2024-05"
    [candidate] = review(story / "review" / "city-herald.csv")
    assert candidate["quote"] == "Dock workers walked out on Friday over the new shift rota." and candidate["source_id"] == "city-herald"
    assert main(["add-article", str(story), str(article), "--outlet", "City Herald", "--published", "2024-05"]) == 1
    assert "already in the data folder" in capsys.readouterr().err


def test_an_inferred_date_needs_its_note(story):
    with pytest.raises(MissingFacts, match="an inferred publication date needs a note.*pass --published-note TEXT"):
        add_article_file(story, (PAGES / "no-date.html").read_bytes(), "no-date.html",
                         Facts(outlet="Coast Courier", published="2024-03", published_certainty="inferred"))


def test_add_article_refuses_when_sources_changed_since_read(story):
    from timeline.curation.curate import Snapshot, StaleTables

    snapshot = Snapshot.take(story, ("seeds/sources.csv",))
    add_article_file(story, (PAGES / "dated.html").read_bytes(), "dated.html", Facts())
    changed = untouched(story)
    with pytest.raises(StaleTables):
        add_article_file(story, (PAGES / "no-date.html").read_bytes(), "no-date.html",
                         Facts(outlet="Coast Courier", published="2024-03-20"), snapshot=snapshot)
    assert untouched(story) == changed


def test_add_article_outside_a_story_says_how_to_start_one(tmp_path, capsys):
    assert main(["add-article", str(tmp_path), str(PAGES / "dated.html")]) == 1
    assert "start a story there with python -m timeline new" in capsys.readouterr().err


# --- import-timelinejs -------------------------------------------------------------------------------

def test_a_timelinejs_sheet_goes_to_the_review_queue_with_nothing_dropped(tmp_path, capsys):
    out = tmp_path / "imported"
    assert main(["import-timelinejs", str(SHEETS / "harbour.csv"), "--out", str(out)]) == 0
    printed = capsys.readouterr()
    assert ("Read 7 rows of harbour.csv: 5 events, 1 era, 1 title row; 1 blank row skipped.") in printed.out
    assert "Columns outside the TimelineJS template, kept in each row's reasoning: Reporter." in printed.out
    assert 'harbour.csv row 8: start (Year 20x4, Month 13): Year "20x4" is not a number' in printed.err
    assert 'harbour.csv row 9: start (Year 2024, Month 2, Day 30): "2024-02-30" is not a day of the calendar' in printed.err
    rows = {r["id"]: r for r in review(out / "review" / "harbour.csv")}
    assert len(rows) == 6  # 5 events and the era; the title row names the story, the blank row holds nothing
    assert rows["fees-first-raised"]["start"] == "2015"  # a Year alone keeps year precision
    assert rows["shipping-association-objects"]["start"] == "2023-06"
    assert rows["shipping-association-objects"]["date_note"] == "Display Date in the TimelineJS timeline: “Summer 2023”."
    assert rows["talks-stall"]["start"] == "2024-03-12" and rows["talks-stall"]["date_note"] == "Time: 09:30."
    assert rows["fees-first-raised"]["category"] == "fees"
    assert rows["fees-first-raised"]["summary"] == "The authority raises dredging fees by 10%."
    assert "Media: https://example.org/photo.jpg" in rows["fees-first-raised"]["reasoning"]
    assert "Reporter: A. Ruiz" in rows["fees-first-raised"]["reasoning"]
    era = rows["dredging-plan-drawn-up"]
    assert (era["kind"], era["start"], era["end"]) == ("context", "2014", "2016")
    bad = rows["a-row-with-a-bad-date"]
    assert bad["start"] == "" and "To fix: start (Year 20x4, Month 13)" in bad["reasoning"]
    assert all(r["source_id"] == "" and r["quote"] == "" for r in rows.values())
    result = read_data(out)
    assert result.ok, result.problems
    assert result.chronology.story.title == "The harbour dispute"
    assert result.chronology.story.subtitle == "Ten years of talks over the port"
    assert {"fees", "statements"} <= set(result.chronology.vocabulary["category"])


def test_timelinejs_json_is_read_the_same_way(tmp_path):
    result = import_timelinejs(SHEETS / "harbour.json", tmp_path / "j")
    rows = {r["id"]: r for r in result.imported.rows}
    assert result.imported.counts == {"read": 5, "events": 3, "eras": 1, "title": 1, "blank": 0, "bad dates": 1}
    assert (rows["talks-stall"]["start"], rows["talks-stall"]["end"]) == ("2024-03-12", "2024-03-14")
    assert rows["fees-first-raised"]["start"] == "2015" and "unique_id: fees-2015" in rows["fees-first-raised"]["reasoning"]
    assert rows["bad-year"]["start"] == "" and 'Year "abc" is not a number' in rows["bad-year"]["reasoning"]
    assert rows["dredging-plan-drawn-up"]["kind"] == "context"


def test_an_import_is_not_written_twice(tmp_path, capsys):
    out = tmp_path / "imported"
    assert main(["import-timelinejs", str(SHEETS / "harbour.csv"), "--out", str(out)]) == 0
    before = untouched(out)
    assert main(["import-timelinejs", str(SHEETS / "harbour.csv"), "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert untouched(out) == before


def test_a_sheet_without_the_template_header_is_refused(tmp_path, capsys):
    sheet = tmp_path / "other.csv"
    sheet.write_text("Date,Event\n2024,Something\n")
    assert main(["import-timelinejs", str(sheet), "--out", str(tmp_path / "o")]) == 1
    assert "row 1 has no column Year, so it is not a TimelineJS sheet" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("command", ["new", "add-article", "import-timelinejs"])
def test_the_story_commands_have_help_with_an_example(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert f"usage: python -m timeline {command}" in out
    assert f"python -m timeline {command} " in out.split("examples:")[-1]
