"""The Review and Edit pages: accept, merge, dismiss, edit, cite, delete, undo, and a refused stale save."""
from __future__ import annotations

import csv
import io
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from timeline.curation.review import FIELDS
from timeline.data.load import ROOT, read_data

REVIEW_PAGE = str(ROOT / "views" / "page_review.py")
EDIT_PAGE = str(ROOT / "views" / "page_edit.py")
QUOTE = "The delegation also had discussions on key cases with frontline investigators of the DEA's San Francisco office."
TARIFF = ("However, U.S. President-elect Donald Trump threatened to impose an additional tariff on Chinese imports due to "
          "the fentanyl crisis in the world's largest economy in late November.")


@pytest.fixture
def folder(data_dir):
    for name in ("relations.csv", "figures.csv", "story.toml"):
        shutil.copy2(ROOT / name, data_dir / name)
    blank = {name: "" for name in FIELDS}
    rows = [{**blank, "id": "cgtn-2024", "start": "2024", "date_certainty": "approximate",
             "date_note": "CGTN gives no date; placed in the year of its late-2024 article.", "source_id": "cgtn", "quote": QUOTE,
             "reasoning": "no date in the sentence"},
            {**blank, "id": "cgtn-2024-11", "start": "2024-11", "date_certainty": "approximate", "date_note": "in late November",
             "source_id": "cgtn", "quote": TARIFF, "reasoning": "“in late November”"},
            {**blank, "id": "", "title": "Imported without a passage", "start": "2019", "source_id": "", "quote": ""}]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, [*FIELDS, "source_id", "quote", "reasoning"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (data_dir / "review").mkdir()
    (data_dir / "review" / "cgtn.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return data_dir


def open_page(monkeypatch, folder, path) -> AppTest:
    monkeypatch.setenv("TIMELINE_DATA", str(folder))
    at = AppTest.from_file(path, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def ok(at) -> AppTest:
    assert not at.exception, at.exception
    return at


def text_of(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def decisions(folder) -> list[list[str]]:
    return list(csv.reader((folder / "review" / "decisions.csv").read_text(encoding="utf-8").splitlines()))[1:]


# --- review ----------------------------------------------------------------------------------------

def test_the_queue_lists_the_candidates(monkeypatch, folder):
    at = open_page(monkeypatch, folder, REVIEW_PAGE)
    assert at.title[0].value == "Review"
    assert "**3 left** of 3" in text_of(at)
    assert f'<div class="quote-box">{QUOTE.replace(chr(39), "&#x27;")}</div>' in text_of(at)
    assert "No passage yet: accept it and pick the sentence from an article." in [c.value for c in at.caption]
    assert {b.key for b in at.button} >= {"rv_accept_2", "rv_dismiss_2"} and "rv_merge_2" not in {b.key for b in at.button}


def test_accept_fills_the_form_and_saving_takes_it_off_the_queue(monkeypatch, folder):
    events = (folder / "events.csv").read_bytes()
    at = open_page(monkeypatch, folder, REVIEW_PAGE)
    ok(at.button(key="rv_accept_0").click().run())
    assert at.text_input(key="cur_start").value == "2024"
    assert at.text_area(key="cur_quote").value == QUOTE
    at.text_input(key="cur_title").set_value("Chinese delegation meets DEA investigators in San Francisco")
    at.text_input(key="cur_id").set_value("dea-san-francisco-talks")
    at.text_area(key="cur_summary").set_value("CGTN reports that a Chinese delegation discussed key cases with DEA investigators.")
    at.selectbox(key="cur_kind").set_value("event")
    at.selectbox(key="cur_category").set_value("cooperation")
    ok(at.multiselect(key="cur_actors").set_value(["prc-mps", "us-agencies"]).run())
    assert at.text_input(key="cur_title").value.startswith("Chinese delegation")  # editable before saving
    ok(at.button(key="cur_save").click().run())
    assert at.success[0].value.startswith("Saved “Chinese delegation meets DEA investigators in San Francisco”")
    assert (folder / "events.csv").read_bytes().startswith(events)
    assert "dea-san-francisco-talks" in read_data(folder).chronology.by_id
    assert decisions(folder) == [["cgtn.csv", "cgtn-2024", "accepted", "dea-san-francisco-talks"]]
    assert "**2 left** of 3" in text_of(at)


def test_a_candidate_without_a_passage_gets_one_picked(monkeypatch, folder):
    at = open_page(monkeypatch, folder, REVIEW_PAGE)
    ok(at.button(key="rv_accept_2").click().run())
    assert at.text_input(key="cur_title").value == "Imported without a passage"
    at.selectbox(key="cur_source").set_value("cgtn").run()
    ok(at.text_input(key="cur_search").set_value("delegation").run())
    radio = at.radio(key="cur_sentence")
    ok(radio.set_value(next(o for o in radio.options if o.replace("\\", "").startswith("The delegation also"))).run())
    assert at.text_area(key="cur_quote").value == QUOTE


def test_merge_adds_a_citation_to_an_existing_event(monkeypatch, folder):
    citations = (folder / "citations.csv").read_bytes()
    at = open_page(monkeypatch, folder, REVIEW_PAGE)
    assert "rv_target_0" not in {s.key for s in at.selectbox}  # drawn only for the candidate being merged
    ok(at.button(key="rv_merge_open_1").click().run())
    at.selectbox(key="rv_target_1").set_value("trump-tariff-threat")
    ok(at.button(key="rv_merge_1").click().run())
    assert (folder / "citations.csv").read_bytes() == citations + f'trump-tariff-threat,cgtn,"{TARIFF}"\n'.encode()
    assert decisions(folder) == [["cgtn.csv", "cgtn-2024-11", "merged", "trump-tariff-threat"]]
    assert at.success[0].value.startswith("Merged into")
    assert read_data(folder).ok
    ok(at.button(key="ed_undo").click().run())  # the merge undone: the citation goes, the candidate comes back
    assert (folder / "citations.csv").read_bytes() == citations
    assert decisions(folder) == [] and "**3 left** of 3" in text_of(at)


def test_dismiss_is_remembered(monkeypatch, folder):
    at = open_page(monkeypatch, folder, REVIEW_PAGE)
    ok(at.button(key="rv_dismiss_0").click().run())
    assert decisions(folder) == [["cgtn.csv", "cgtn-2024", "dismissed", ""]]
    assert "**2 left** of 3" in text_of(at)
    again = open_page(monkeypatch, folder, REVIEW_PAGE)  # a new session: still dismissed
    assert "**2 left** of 3" in text_of(again)


# --- edit ------------------------------------------------------------------------------------------

def edit_page(monkeypatch, folder, event_id="no-seizures-claim") -> AppTest:
    at = open_page(monkeypatch, folder, EDIT_PAGE)
    return ok(at.selectbox(key="ed_event").set_value(event_id).run())


def test_edit_a_field_then_undo(monkeypatch, folder):
    before = (folder / "events.csv").read_bytes()
    at = edit_page(monkeypatch, folder)
    assert at.text_input(key="ed_id").value == "no-seizures-claim"
    ok(at.text_area(key="ed_summary").set_value("Edited summary, neutral.").run())
    ok(at.button(key="ed_save").click().run())
    assert at.success[0].value == "Saved the changes to “Chinese Embassy: no fentanyl from China seized in the US since September 2019” as row 5 of events.csv."
    after = (folder / "events.csv").read_bytes()
    changed = [i for i, (a, b) in enumerate(zip(before.splitlines(), after.splitlines())) if a != b]
    assert changed == [4]
    assert at.button(key="ed_undo").disabled is False
    ok(at.button(key="ed_undo").click().run())
    assert (folder / "events.csv").read_bytes() == before
    assert at.success[0].value.startswith("Undone: changed event no-seizures-claim.")
    assert at.text_area(key="ed_summary").value != "Edited summary, neutral."


def test_a_bad_edit_lists_problems_and_cannot_save(monkeypatch, folder):
    at = edit_page(monkeypatch, folder)
    ok(at.text_input(key="ed_start").set_value("2023-13").run())
    assert 'events.csv row 5, column start (Start)</span>: &quot;2023-13&quot; has no month 13.' in text_of(at)
    assert at.button(key="ed_save").disabled


def test_add_and_remove_a_citation(monkeypatch, folder):
    citations = (folder / "citations.csv").read_bytes()
    at = edit_page(monkeypatch, folder)
    assert at.button(key="ed_remove_0").disabled  # its only citation
    at.selectbox(key="ed_cite_source").set_value("cgtn").run()
    ok(at.text_input(key="ed_cite_search").set_value("delegation").run())
    radio = at.radio(key="ed_cite_sentence")
    ok(radio.set_value(next(o for o in radio.options if o.replace("\\", "").startswith("The delegation also"))).run())
    ok(at.button(key="ed_cite_add").click().run())
    assert (folder / "citations.csv").read_bytes() == citations + f"no-seizures-claim,cgtn,{QUOTE}\n".encode()
    ok(at.button(key="ed_remove_1").click().run())
    assert (folder / "citations.csv").read_bytes() == citations


def test_a_pasted_quote_not_in_the_article_is_refused(monkeypatch, folder):
    at = edit_page(monkeypatch, folder)
    ok(at.text_area(key="ed_cite_quote").set_value("Words nobody wrote.").run())
    assert "the quote is not in seeds/" in text_of(at)
    assert at.button(key="ed_cite_add").disabled


def test_delete_after_a_confirmation_listing_what_goes(monkeypatch, folder):
    at = edit_page(monkeypatch, folder, "dea-primary-source")
    ok(at.button(key="ed_delete").click().run())
    box = next(m.value for m in at.markdown if "These rows go with it" in m.value)
    assert "relations.csv row 2: no-seizures-claim disputes dea-primary-source" in box
    assert "citations.csv row 26: blaze" in box
    assert "dea-primary-source" in read_data(folder).chronology.by_id  # nothing yet
    ok(at.button(key="ed_delete_yes").click().run())
    assert at.success[0].value.startswith("Deleted “DEA: China is “the primary source of fentanyl”")
    result = read_data(folder)
    assert result.ok, result.problems
    assert "dea-primary-source" not in result.chronology.by_id
    assert "dea-primary-source" not in (folder / "relations.csv").read_text(encoding="utf-8")


def test_a_stale_save_is_refused_and_offers_a_reload(monkeypatch, folder):
    at = edit_page(monkeypatch, folder)
    ok(at.text_area(key="ed_summary").set_value("Edited summary, neutral.").run())
    with open(folder / "citations.csv", "ab") as f:
        f.write(b"no-seizures-claim,cgtn,Added in a spreadsheet.\n")
    edited = {n: (folder / n).read_bytes() for n in ("events.csv", "citations.csv")}
    ok(at.button(key="ed_save").click().run())
    assert at.error[0].value.startswith("Not saved: citations.csv changed on disk since the page loaded it")
    assert {n: (folder / n).read_bytes() for n in edited} == edited
    ok(at.button(key="ed_reload").click().run())
    assert not at.error


def test_a_new_event_from_the_review_queue_can_be_undone_from_the_curate_page(monkeypatch, folder):
    events, citations = (folder / "events.csv").read_bytes(), (folder / "citations.csv").read_bytes()
    at = open_page(monkeypatch, folder, str(ROOT / "views" / "page_curate.py"))
    assert at.button(key="ed_undo").disabled  # nothing saved yet
    at = open_page(monkeypatch, folder, REVIEW_PAGE)
    ok(at.button(key="rv_accept_1").click().run())
    at.text_input(key="cur_title").set_value("Trump threatens a tariff over fentanyl")
    at.text_area(key="cur_summary").set_value("CGTN reports the threat.")
    at.selectbox(key="cur_kind").set_value("event")
    at.selectbox(key="cur_category").set_value("sanctions-trade")
    ok(at.multiselect(key="cur_actors").set_value(["us-president"]).run())
    ok(at.button(key="cur_save").click().run())
    assert (folder / "events.csv").read_bytes() != events
    at = open_page(monkeypatch, folder, str(ROOT / "views" / "page_curate.py"))
    assert "Last save: added rows to events.csv and citations.csv." in [c.value for c in at.caption]
    ok(at.button(key="ed_undo").click().run())
    assert (folder / "events.csv").read_bytes() == events and (folder / "citations.csv").read_bytes() == citations
    assert at.success[0].value.startswith("Undone: added rows to events.csv and citations.csv (and cgtn-2024-11 of "
                                          "review/cgtn.csv is back in the review queue).")
    assert decisions(folder) == []
    assert "**3 left** of 3" in text_of(open_page(monkeypatch, folder, REVIEW_PAGE))


def test_a_table_that_is_not_utf8_is_named_not_a_traceback(monkeypatch, folder):
    path = folder / "relations.csv"
    path.write_bytes(path.read_bytes() + "opium-wars,no-seizures-claim,supports,caf\u00e9,,\n".encode("latin-1"))
    at = edit_page(monkeypatch, folder)
    assert any(e.value.startswith("Citations and deletion are unavailable: relations.csv is not UTF-8 text") and "CSV UTF-8" in e.value
               for e in at.error), [e.value for e in at.error]


def test_saving_without_a_change_says_so(monkeypatch, folder):
    at = edit_page(monkeypatch, folder)
    ok(at.button(key="ed_save").click().run())
    assert [i.value for i in at.info] == ["Nothing to save: the tables already say this."]
    assert at.button(key="ed_undo").disabled
