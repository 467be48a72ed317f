"""Any story in the app: an empty story says what to do next; the Curate page's Add article form; and a new user
builds a validated 10-event story from an empty folder and three saved web pages without touching a CSV file."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from timeline.cli import main
from timeline.curation.newstory import new_story
from timeline.data.load import read_data

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "data" / "articles"
CURATE = str(ROOT / "views" / "page_curate.py")


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return new_story(tmp_path / "story", "The harbour dispute").folder


def curate(monkeypatch, folder: Path) -> AppTest:
    monkeypatch.setenv("TIMELINE_DATA", str(folder))
    at = AppTest.from_file(CURATE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, path: Path, data: bytes | None = None, **fields: str) -> AppTest:
    uploader = next(u for u in at.get("file_uploader") if u.key.startswith("add_file_"))
    uploader.set_value((path.name, path.read_bytes() if data is None else data, "text/html"))
    for name, value in fields.items():
        at.text_input(key=f"add_{name}").set_value(value)
    at.button(key="add_submit").click().run()
    assert not at.exception, at.exception
    return at


def shown(message) -> str:
    """A message as the page shows it (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", message.value)


def source_rows(folder: Path) -> list[dict[str, str]]:
    with open(folder / "seeds" / "sources.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_an_empty_story_says_what_to_do_next(monkeypatch, story):
    monkeypatch.setenv("TIMELINE_DATA", str(story))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    [info] = at.info
    assert info.value.startswith("This story has no events yet. Next: add an article on the Curate page (Add article")
    assert f"python -m timeline add-article {story} FILE" in info.value
    assert not at.error and not at.expander  # no problems panel: an empty story is valid


@pytest.mark.parametrize("page", ["views/page_sources.py", "views/page_lens.py", "views/page_present.py",
                                  "views/page_curate.py"])
def test_every_page_opens_an_empty_story(monkeypatch, story, page):
    monkeypatch.setenv("TIMELINE_DATA", str(story))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    if page in ("views/page_sources.py", "views/page_lens.py"):
        assert at.info[0].value.startswith("This story has no events yet.")


def test_an_imported_story_points_at_its_review_sheet(monkeypatch, tmp_path):
    out = tmp_path / "imported"
    assert main(["import-timelinejs", str(ROOT / "tests" / "data" / "timelinejs" / "harbour.csv"), "--out", str(out)]) == 0
    monkeypatch.setenv("TIMELINE_DATA", str(out))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert "Rows waiting for a passage are in review/harbour.csv." in at.info[0].value


def test_add_article_form_reads_a_saved_page(monkeypatch, story):
    at = curate(monkeypatch, story)
    [expander] = [e for e in at.expander if e.label == "Add article"]
    upload(at, PAGES / "dated.html", description="regional daily")
    [success] = at.success
    assert shown(success).startswith("Added “Port talks stall over dredging fees” as source harbour-herald (row 2 of "
                                    "seeds/sources.csv; its text is seeds/000_")
    assert "Found published 2024-03-12 (the page's JSON-LD (datePublished)" in shown(success)
    [row] = source_rows(story)
    assert (row["outlet"], row["published"], row["outlet_description"]) == ("Harbour Herald", "2024-03-12", "regional daily")
    assert at.selectbox(key="cur_source").value == "harbour-herald"  # the Curate form below offers it at once
    assert at.text_input(key="add_description").value == ""  # the form starts afresh


def test_add_article_form_asks_for_what_the_page_does_not_say(monkeypatch, story):
    at = curate(monkeypatch, story)
    upload(at, PAGES / "no-date.html")
    [error] = at.error
    assert shown(error).startswith("Not added: no-date.html: the saved web page does not name its outlet: fill in Outlet; "
                                  "no publication date was found in the saved web page: fill in Published (YYYY-MM-DD)")
    assert source_rows(story) == []
    upload(at, PAGES / "no-date.html", outlet="Coast Courier", published="2024-03-20")
    assert at.success and source_rows(story)[0]["published"] == "2024-03-20"


def test_add_article_form_refuses_conflicting_dates_and_files_over_the_limit(monkeypatch, story):
    at = curate(monkeypatch, story)
    upload(at, PAGES / "two-dates.html")
    assert "gives 2 different publication dates" in shown(at.error[0]) and "fill in Published" in shown(at.error[0])
    big = b"<html><body><p>" + b"word " * (21 * 1024 * 1024 // 5) + b"</p></body></html>"
    upload(at, PAGES / "dated.html", data=big)
    assert shown(at.error[0]).startswith("Not added: dated.html: The file is 21.0 MB; the limit is 20 MB.")
    upload(at, PAGES / "latin1.txt", outlet="Hafenblatt", published="2024-01-15")
    assert "is not UTF-8 text (byte 0xfc on line 3)" in shown(at.error[0])
    assert source_rows(story) == [] and list((story / "seeds").glob("*.txt")) == []


def test_no_add_article_form_where_editing_is_not_allowed(monkeypatch, story):
    monkeypatch.setenv("TIMELINE_READ_ONLY", "1")
    at = curate(monkeypatch, story)
    assert not [e for e in at.expander if e.label == "Add article"]
    assert not at.get("file_uploader")


# --- from an empty folder to a validated 10-event story, in the app ---------------------------------

PAGES_IN = [("dated.html", {}), ("two-dates.html", {"published": "2024-02-05"}),
            ("no-date.html", {"outlet": "Coast Courier", "published": "2024-03-20"})]
EVENTS = [  # (article, search, sentence start, id, title, start, category)
    ("harbour-herald", "stalled", "Talks between the port authority", "talks-stall", "Port talks stall", "2024-03-11", "action"),
    ("harbour-herald", "half of the cost", "The port authority said", "authority-offers-half", "Authority offers to pay half", "2024-03", "statement"),
    ("harbour-herald", "too late", "The association's chair", "association-rejects-offer", "Association rejects the offer", "2024-03", "statement"),
    ("harbour-herald", "first met", "The two sides first met", "first-meeting", "The two sides first meet", "2024-01", "action"),
    ("harbour-herald", "40 percent", "The two sides first met", "fees-raised", "Dredging fees raised by 40 percent", "2023", "decision"),
    ("coast-courier", "new director", "The harbour authority named", "lind-named-director", "Maria Lind named director", "2024-02-01", "decision"),
    ("coast-courier", "six years", "Lind, who ran the port", "lind-first-task", "Lind makes the fees her first task", "2024-02", "statement"),
    ("coast-courier", "four candidates", "The authority's board said", "board-chose-from-four", "Board chose from four candidates", "2024-02", "decision"),
    ("coast-courier-2", "voted to strike", "Ferry workers at the harbour", "ferry-strike-vote", "Ferry workers vote to strike", "2024-03", "action"),
    ("coast-courier-2", "disappointed", "The operator said", "operator-disappointed", "Operator disappointed by the vote", "2024-03", "consequence"),
]


def test_a_new_user_builds_a_validated_ten_event_story_in_the_app(monkeypatch, tmp_path, capsys):
    folder = tmp_path / "harbour"
    assert main(["new", str(folder), "--title", "The harbour dispute"]) == 0
    at = curate(monkeypatch, folder)
    for name, fields in PAGES_IN:
        upload(at, PAGES / name, **fields)
        assert at.success, [e.value for e in at.error]
    assert [r["id"] for r in source_rows(folder)] == ["harbour-herald", "coast-courier", "coast-courier-2"]
    for source, term, starting, ident, title, start, category in EVENTS:
        at.selectbox(key="cur_source").set_value(source).run()
        at.text_input(key="cur_search").set_value(term).run()
        radio = at.radio(key="cur_sentence")
        option = next((o for o in radio.options if o.replace("\\", "").startswith(starting)), None)
        assert option is not None, (term, radio.options)
        radio.set_value(option).run()
        at.text_input(key="cur_id").set_value(ident)
        at.text_input(key="cur_title").set_value(title)
        at.text_input(key="cur_start").set_value(start)
        at.selectbox(key="cur_date_certainty").set_value("exact" if len(start) > 4 else "approximate")
        at.text_input(key="cur_date_note").set_value("Placed from the article's own dates.")
        at.selectbox(key="cur_kind").set_value("event")
        at.selectbox(key="cur_category").set_value(category)
        at.multiselect(key="cur_actors").set_value(["others"])
        at.text_area(key="cur_summary").set_value(f"{title}, as the article reports it.")
        at.run()
        assert not at.exception, at.exception
        assert not at.button(key="cur_save").disabled, (ident, "\n".join(m.value for m in at.markdown if "problem" in m.value))
        at.button(key="cur_save").click().run()
        assert not at.exception, at.exception
        assert any(s.value.startswith(f"Saved “{title}” ({ident})") for s in at.success), [e.value for e in at.error]
    result = read_data(folder)
    assert result.ok, result.problems
    assert len(result.chronology.events) == 10 and len(result.chronology.sources) == 3
    capsys.readouterr()
    assert main(["validate", "--data", str(folder)]) == 0
    assert capsys.readouterr().out.startswith("OK: 10 events, 10 citations, 3 sources")
