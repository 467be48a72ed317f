"""Curation: a new event is checked like a row of the tables, and saving it loses nothing."""
from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from timeline.curation import curate
from timeline.chart.figure import build_figure
from timeline.curation.curate import CurateError, DuplicateId, Snapshot, StaleTables, check_draft, save_event, sentences_with, with_event
from timeline.data.load import read_data

ROOT = Path(__file__).resolve().parent.parent
PAGE = str(ROOT / "views" / "page_curate.py")
QUOTE = "The delegation also had discussions on key cases with frontline investigators of the DEA's San Francisco office."
GOOD = {"id": "dea-san-francisco-talks", "title": "Chinese delegation meets DEA investigators in San Francisco",
        "start": "2024", "end": "", "date_certainty": "approximate",
        "date_note": "CGTN gives no date; placed in the year of its late-2024 article.", "kind": "event",
        "category": "cooperation", "actors": ["prc-mps", "us-agencies"],
        "summary": "CGTN reports that a Chinese delegation discussed key cases with DEA investigators.", "claimed_by": ""}


def draft(folder, quote=QUOTE, source="cgtn", **changes):
    chron = read_data(folder).chronology
    return check_draft({**GOOD, **changes}, quote, chron.sources.get(source), chron, folder), chron


def test_a_good_draft_passes_and_previews(data_dir):
    d, chron = draft(data_dir)
    assert d.ok, d.problems
    combined = with_event(chron, d)
    assert len(combined.events) == len(chron.events) + 1
    fig = build_figure(combined.frame, selected=d.event.id, width=900)
    selected = [t for t in fig.data if (t.meta or {}).get("role") == "selected"]
    assert [list(t.customdata[0])[0] for t in selected] == ["dea-san-francisco-talks"]


@pytest.mark.parametrize("changes, message", [
    ({"start": "2019-13"}, 'events.csv row {row}, column start: "2019-13" has no month 13. '
                           "Fix: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-04 or 2019-04-01."),
    ({"kind": "rumour"}, 'events.csv row {row}, column kind: "rumour" is not a kind. Fix: write one of claim, context, event, statistic.'),
    ({"category": "weather"}, 'events.csv row {row}, column category: "weather" is not a category in vocabulary.csv. Fix: write one of '),
    ({"actors": ["xi-jinping", "nobody"]}, 'events.csv row {row}, column actors: "nobody" is not an actor in vocabulary.csv.'),
    ({"kind": "claim"}, "events.csv row {row}, column claimed_by: a claim must say who makes it. "
                        "Fix: name the person or body in claimed_by, e.g. the outlet or ministry."),
    ({"date_note": ""}, "events.csv row {row}, column date_note: an approximate date needs a note. "
                        "Fix: say in date_note how the date was established."),
    ({"start": "2024-05", "end": "2024-01"}, "events.csv row {row}, column end: end 2024-01 is before start 2024-05. "),
    ({"id": "Bad Id"}, 'events.csv row {row}, column id: "Bad Id" is not a usable id. '),
    ({"id": "opium-wars"}, 'events.csv row {row}, column id: id "opium-wars" is already used on row 2. '
                           "Fix: give the new event its own id, e.g. opium-wars-2."),
    ({"title": ""}, "events.csv row {row}, column title: title is empty. Fix: fill in title."),
])
def test_the_form_rejects_bad_input_in_validates_words(data_dir, changes, message):
    d, _ = draft(data_dir, **changes)
    assert not d.ok
    texts = [str(p) for p in d.problems]
    expected = message.format(row=d.event_row)
    assert any(t.startswith(expected) for t in texts), texts


@pytest.mark.parametrize("quote, message", [
    ("The delegation met nobody at all.", "citations.csv row {row}, column quote: the quote is not in seeds/004_d286d3589c386401.txt. "
                                          "Fix: copy it verbatim from the article; the closest passage is "),
    ("", "citations.csv row {row}, column quote: quote is empty. Fix: fill in quote."),
    ("two\nlines", "citations.csv row {row}, column quote: a quote spans more than one paragraph."),
])
def test_the_quote_must_be_verbatim(data_dir, quote, message):
    d, _ = draft(data_dir, quote=quote)
    assert any(str(p).startswith(message.format(row=d.citation_row)) for p in d.problems), d.problems


def test_quote_tolerates_typographic_quotes_like_the_validator(data_dir):
    d, _ = draft(data_dir, quote=QUOTE.replace("DEA's", "DEA’s"))
    assert d.ok, d.problems


def test_sentences_with_a_term():
    text = "One. The  Tariff came.\nTwo tariffs later. Nothing."
    assert [text[a:b] for a, b in sentences_with(text, "tariff")] == ["The  Tariff came.", "Two tariffs later."]
    assert [text[a:b] for a, b in sentences_with(text, "the tariff")] == ["The  Tariff came."]
    assert sentences_with(text, "  ") == []


# --- saving ----------------------------------------------------------------------------------------

def save_good(folder, snapshot=None, **changes):
    d, _ = draft(folder, **changes)
    assert d.ok, d.problems
    return save_event(folder, d.event, [d.citation], snapshot or Snapshot.take(folder))


def test_save_appends_only_the_new_rows(data_dir):
    events, citations = (data_dir / "events.csv").read_bytes(), (data_dir / "citations.csv").read_bytes()
    saved = save_good(data_dir)
    new_events, new_citations = (data_dir / "events.csv").read_bytes(), (data_dir / "citations.csv").read_bytes()
    assert new_events.startswith(events) and new_citations.startswith(citations)
    assert new_events[len(events):] == (
        "dea-san-francisco-talks,Chinese delegation meets DEA investigators in San Francisco,,2024,,approximate,"
        "CGTN gives no date; placed in the year of its late-2024 article.,event,cooperation,prc-mps;us-agencies,"
        "CGTN reports that a Chinese delegation discussed key cases with DEA investigators.,\n").encode()
    assert new_citations[len(citations):] == f'dea-san-francisco-talks,cgtn,{QUOTE}\n'.encode()
    assert (saved.event_row, saved.citation_row) == (events.count(b"\n") + 1, citations.count(b"\n") + 1)
    result = read_data(data_dir)
    assert result.ok, result.problems
    assert "dea-san-francisco-talks" in result.chronology.by_id


def test_save_keeps_crlf_bom_and_adds_a_missing_final_newline(data_dir):
    for name in ("events.csv", "citations.csv"):
        path = data_dir / name
        text = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n").rstrip(b"\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text)  # as a spreadsheet might: BOM, CRLF, no final newline
    before = {n: (data_dir / n).read_bytes() for n in ("events.csv", "citations.csv")}
    save_good(data_dir)
    for name, old in before.items():
        new = (data_dir / name).read_bytes()
        assert new.startswith(old), name
        added = new[len(old):]
        assert added.startswith(b"\r\n") and added.endswith(b"\r\n") and added.count(b"\r\n") == 2, added
        assert b"\n" not in added.replace(b"\r\n", b"")
        assert new.startswith(b"\xef\xbb\xbf") and new.count(b"\xef\xbb\xbf") == 1
    assert read_data(data_dir).ok


def test_save_follows_the_files_column_order(data_dir):
    path = data_dir / "citations.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([[r[2], r[0], r[1]] for r in rows])  # quote, event_id, source_id
    save_good(data_dir)
    assert path.read_text(encoding="utf-8").splitlines()[-1] == f'{QUOTE},dea-san-francisco-talks,cgtn'
    assert read_data(data_dir).ok


def test_save_is_atomic_with_backups_and_no_leftovers(data_dir):
    before = {n: (data_dir / n).read_bytes() for n in ("events.csv", "citations.csv")}
    save_good(data_dir)
    for name, old in before.items():
        assert (data_dir / f"{name}.bak").read_bytes() == old
    assert not [p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_second_write_puts_the_first_back(data_dir, monkeypatch):
    before = {n: (data_dir / n).read_bytes() for n in ("events.csv", "citations.csv")}
    real = curate.atomic_write

    def failing(path, data):
        if path.name == "citations.csv":
            raise OSError(28, "No space left on device")
        real(path, data)

    monkeypatch.setattr(curate, "atomic_write", failing)
    with pytest.raises(CurateError, match="No space left on device"):
        save_good(data_dir)
    assert {n: (data_dir / n).read_bytes() for n in before} == before
    assert not [p.name for p in data_dir.iterdir() if p.name.endswith(".tmp")]


def test_a_save_under_a_concurrent_edit_is_refused(data_dir):
    snapshot = Snapshot.take(data_dir)  # the page loads the tables
    with open(data_dir / "events.csv", "ab") as f:  # someone else saves meanwhile
        f.write(b"elsewhere,Added elsewhere,2024,,exact,,event,diplomacy,us-state,Added in a spreadsheet.,\n")
    edited = (data_dir / "events.csv").read_bytes()
    citations = (data_dir / "citations.csv").read_bytes()
    with pytest.raises(StaleTables, match="events.csv changed on disk since the page loaded it"):
        save_good(data_dir, snapshot)
    assert (data_dir / "events.csv").read_bytes() == edited
    assert (data_dir / "citations.csv").read_bytes() == citations
    assert not (data_dir / "events.csv.bak").exists()


def test_two_saves_from_the_same_load_the_second_is_refused(data_dir):
    snapshot = Snapshot.take(data_dir)
    results = []

    def attempt(event_id):
        try:
            save_good(data_dir, snapshot, id=event_id)
            results.append("saved")
        except StaleTables:
            results.append("refused")

    threads = [threading.Thread(target=attempt, args=(f"talks-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["refused", "saved"]
    assert read_data(data_dir).ok


def test_an_id_added_since_is_rejected_at_save(data_dir):
    d, _ = draft(data_dir)
    save_good(data_dir)
    with pytest.raises(DuplicateId, match='id "dea-san-francisco-talks" is already used on row'):
        save_event(data_dir, d.event, [d.citation], Snapshot.take(data_dir))


# --- the page --------------------------------------------------------------------------------------

def page(monkeypatch, folder) -> AppTest:
    monkeypatch.setenv("TIMELINE_DATA", str(folder))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def html_of(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def fill(at, values: dict) -> None:
    for name, value in values.items():
        key = f"cur_{name}"
        if name in ("kind", "category", "date_certainty"):
            at.selectbox(key=key).set_value(value)
        elif name == "actors":
            at.multiselect(key=key).set_value(value)
        elif name == "summary":
            at.text_area(key=key).set_value(value)
        else:
            at.text_input(key=key).set_value(value)
    at.run()
    assert not at.exception, at.exception


def choose_sentence(at, source: str, term: str, starting: str) -> None:
    at.selectbox(key="cur_source").set_value(source).run()
    at.text_input(key="cur_search").set_value(term).run()
    radio = at.radio(key="cur_sentence")
    radio.set_value(next(o for o in radio.options if o.replace("\\", "").startswith(starting))).run()  # labels are Markdown-escaped
    assert not at.exception, at.exception


def test_page_says_where_it_writes(monkeypatch, data_dir):
    at = page(monkeypatch, data_dir)
    assert at.title[0].value == "Curate"
    assert f"<strong>Saving writes to</strong> <code>{data_dir}</code>" in html_of(at)
    assert at.button(key="cur_save").disabled


def test_page_pick_search_choose_fill_save(monkeypatch, data_dir):
    events, citations = (data_dir / "events.csv").read_bytes(), (data_dir / "citations.csv").read_bytes()
    at = page(monkeypatch, data_dir)
    choose_sentence(at, "cgtn", "delegation", "The delegation also had discussions")
    assert at.text_area(key="cur_quote").value == QUOTE
    fill(at, {**GOOD, "kind": "claim"})
    assert "<strong>1 problem to fix before saving</strong>" in html_of(at)
    assert ('events.csv new row 46, column claimed_by (Claimed by)</span>: a claim must say who makes it. '
            '<span class="fix">Fix: name the person or body in claimed_by, e.g. the outlet or ministry.</span>') in html_of(at)
    fill(at, {"start": "2024-13"})
    assert 'events.csv new row 46, column start (Start)</span>: &quot;2024-13&quot; has no month 13.' in html_of(at)
    assert at.button(key="cur_save").disabled
    fill(at, {"start": "2024", "kind": "event"})
    assert [s.value for s in at.success] == ["Ready to save as row 46 of events.csv and row 66 of citations.csv."]
    spec = at.get("plotly_chart")[0].proto.spec
    assert "dea-san-francisco-talks" in spec and '"role":"selected"' in spec.replace(" ", "")
    at.button(key="cur_save").click().run()
    assert not at.exception, at.exception
    assert at.success[0].value.startswith("Saved “Chinese delegation meets DEA investigators in San Francisco” "
                                          "(dea-san-francisco-talks) as row 46 of events.csv and row 66 of citations.csv.")
    assert (data_dir / "events.csv").read_bytes().startswith(events)
    assert (data_dir / "citations.csv").read_bytes()[len(citations):] == f'dea-san-francisco-talks,cgtn,{QUOTE}\n'.encode()
    assert at.text_input(key="cur_id").value == ""  # the form starts afresh
    assert read_data(data_dir).chronology.by_id["dea-san-francisco-talks"].actors == ("prc-mps", "us-agencies")


def test_page_uses_the_assistants_date(monkeypatch, data_dir):
    at = page(monkeypatch, data_dir)
    choose_sentence(at, "cgtn", "tariff", "However, U.S. President-elect Donald Trump")
    at.button(key="cur_use_0").click().run()
    assert at.text_input(key="cur_start").value == "2024-11"
    assert at.selectbox(key="cur_date_certainty").value == "approximate"
    assert at.text_input(key="cur_date_note").value.startswith("The article says “in late November”, i.e. November 2024")


def test_page_refuses_a_save_after_a_concurrent_edit_and_offers_a_reload(monkeypatch, data_dir):
    at = page(monkeypatch, data_dir)
    choose_sentence(at, "cgtn", "delegation", "The delegation also had discussions")
    fill(at, GOOD)
    with open(data_dir / "events.csv", "ab") as f:
        f.write(b"elsewhere,Added elsewhere,2024,,exact,,event,diplomacy,us-state,Added in a spreadsheet.,\n")
    edited = (data_dir / "events.csv").read_bytes()
    at.button(key="cur_save").click().run()
    assert at.error[0].value.startswith("Not saved: events.csv changed on disk since the page loaded it")
    assert (data_dir / "events.csv").read_bytes() == edited
    at.button(key="cur_reload").click().run()
    assert not at.error
    at.button(key="cur_save").click().run()
    assert at.success[0].value.startswith("Saved “Chinese delegation meets DEA investigators in San Francisco”")
    assert (data_dir / "events.csv").read_bytes().startswith(edited)


def test_page_escapes_what_the_user_types(monkeypatch, data_dir):
    at = page(monkeypatch, data_dir)
    choose_sentence(at, "cgtn", "delegation", "The delegation also had discussions")
    fill(at, {**GOOD, "title": "<script>alert(1)</script>", "start": "<b>2024</b>"})
    text = html_of(at)
    assert "<script>" not in text and "<b>2024" not in text
    assert "&lt;b&gt;2024&lt;/b&gt;" in text


def test_the_app_has_a_curate_page(monkeypatch, data_dir):
    monkeypatch.setenv("TIMELINE_DATA", str(data_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/page_curate.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Curate"
