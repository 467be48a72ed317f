"""Editing: rows are changed or removed in place, every other byte stays, and the last save can be undone."""
from __future__ import annotations

import csv
import io
import shutil

import pytest

from timeline.curation import curate, edit, review
from timeline.curation.curate import CurateError, Snapshot, StaleTables, undo_last_save
from timeline.curation.edit import EDIT_TABLES, Table
from timeline.data.load import ROOT, read_data



@pytest.fixture
def data_dir(data_dir):
    """The shipped data with its relations and figures, which an edit must keep in step."""
    for name in ("relations.csv", "figures.csv", "story.toml"):
        shutil.copy2(ROOT / name, data_dir / name)
    return data_dir


QUOTE = "The delegation also had discussions on key cases with frontline investigators of the DEA's San Francisco office."


def snap(folder):
    return Snapshot.take(folder, EDIT_TABLES)


def lines(path):
    return path.read_bytes().splitlines(keepends=True)


@pytest.mark.parametrize("bom, newline, final", [(False, b"\n", True), (True, b"\r\n", False), (True, b"\r\n", True), (False, b"\n", False)])
def test_rewriting_one_record_keeps_every_other_byte(bom, newline, final):
    body = newline.join([b"id,title", b'a,"multi' + newline + b'line"', b"b,plain", b'c,"say ""hi"""']) + (newline if final else b"")
    data = (b"\xef\xbb\xbf" if bom else b"") + body
    table = Table.of(data, "t.csv")
    assert [r["id"] for _, r in table.rows()] == ["a", "b", "c"]
    assert table.rewritten({}, "t.csv") == data
    new = table.rewritten({2: {"title": "changed, with a comma"}}, "t.csv")
    assert new == data.replace(b"b,plain", b'b,"changed, with a comma"')
    last = table.rewritten({3: {"title": "end"}}, "t.csv")
    assert last.endswith(b"c,end" + (newline if final else b""))
    gone = table.rewritten({3: None}, "t.csv")
    assert gone == data[:data.index(b'c,"say')].rstrip(b"\r\n") + (newline if final else b"")
    assert gone.startswith(b"\xef\xbb\xbf") is bom


def test_an_unknown_column_keeps_its_value():
    table = Table.of(b"id,title,extra\na,old,keep me\n", "t.csv")
    assert table.rewritten({1: {"title": "new"}}, "t.csv") == b"id,title,extra\na,new,keep me\n"


def test_a_file_that_is_not_utf8_is_refused_with_the_fix():
    with pytest.raises(CurateError, match='t.csv is not UTF-8 text.*save it as "CSV UTF-8"'):
        Table.of("id,title\na,caf\u00e9\n".encode("latin-1"), "t.csv")


def event_of(folder, event_id, **changes):
    chron = read_data(folder).chronology
    cells = {**curate.event_cells(chron.by_id[event_id]), **changes}
    checked = edit.check_event(cells, event_id, chron, folder)
    return checked


def test_changing_a_field_rewrites_only_that_row(data_dir):
    before = lines(data_dir / "events.csv")
    others = {n: (data_dir / n).read_bytes() for n in ("citations.csv", "relations.csv", "figures.csv")}
    checked = event_of(data_dir, "no-seizures-claim", summary="A neutral summary, edited.")
    assert checked.ok, checked.problems
    row = edit.update_event(data_dir, "no-seizures-claim", checked.event, snap(data_dir))
    after = lines(data_dir / "events.csv")
    assert row == 5
    assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == [4] and len(after) == len(before)
    assert "A neutral summary, edited." in after[4].decode()
    assert {n: (data_dir / n).read_bytes() for n in others} == others
    assert (data_dir / "events.csv.bak").read_bytes() == b"".join(before)
    assert read_data(data_dir).chronology.by_id["no-seizures-claim"].summary == "A neutral summary, edited."


def test_an_edit_is_checked_in_validates_words_on_its_own_row(data_dir):
    checked = event_of(data_dir, "no-seizures-claim", start="2023-13", id="opium-wars")
    texts = [str(p) for p in checked.problems]
    assert 'events.csv row 5, column start: "2023-13" has no month 13. Fix: use YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2019, 2019-04 or 2019-04-01.' in texts
    assert any(t.startswith('events.csv row 5, column id: id "opium-wars" is already used on row 2.') for t in texts), texts
    assert not checked.ok


def test_a_new_id_follows_into_citations_and_relations(data_dir):
    checked = event_of(data_dir, "dea-primary-source", id="dea-china-primary-source")
    edit.update_event(data_dir, "dea-primary-source", checked.event, snap(data_dir))
    result = read_data(data_dir)
    assert result.ok, result.problems
    assert "dea-primary-source" not in (data_dir / "citations.csv").read_text() + (data_dir / "relations.csv").read_text()
    assert len(result.chronology.passages_for("dea-china-primary-source")) >= 1


def test_add_and_remove_a_citation(data_dir):
    chron = read_data(data_dir).chronology
    citation, problems = edit.check_citation("no-seizures-claim", chron.sources["cgtn"], QUOTE, data_dir)
    assert citation is not None, problems
    before = (data_dir / "citations.csv").read_bytes()
    row = edit.add_citation(data_dir, citation, snap(data_dir))
    assert (data_dir / "citations.csv").read_bytes() == before + f"no-seizures-claim,cgtn,{QUOTE}\n".encode()
    with pytest.raises(CurateError, match="already cites this passage"):
        edit.add_citation(data_dir, citation, snap(data_dir))
    edit.remove_citation(data_dir, "no-seizures-claim", row, snap(data_dir))
    assert (data_dir / "citations.csv").read_bytes() == before
    with pytest.raises(CurateError, match='the only citation of "no-seizures-claim"'):
        edit.remove_citation(data_dir, "no-seizures-claim", 5, snap(data_dir))


def test_a_quote_not_in_the_article_is_refused(data_dir):
    chron = read_data(data_dir).chronology
    citation, problems = edit.check_citation("no-seizures-claim", chron.sources["cgtn"], "Words nobody wrote.", data_dir)
    assert citation is None
    assert str(problems[0]).startswith("citations.csv row 66, column quote: the quote is not in seeds/")


def test_delete_takes_citations_and_relations_with_it(data_dir):
    going = edit.attached(data_dir, "dea-primary-source")
    assert [r["from_event"] for _, r in going.relations] == ["no-seizures-claim", "root-cause-claim", "dea-2020-report"]
    assert len(going.citations) >= 1
    before = {n: lines(data_dir / n) for n in ("events.csv", "citations.csv", "relations.csv")}
    edit.delete_event(data_dir, "dea-primary-source", snap(data_dir))
    for name, old in before.items():
        new = lines(data_dir / name)
        kept = [line for line in old if b"dea-primary-source" not in line]
        assert new == kept, name  # every other row as it was, byte for byte
    result = read_data(data_dir)
    assert result.ok, result.problems
    assert "dea-primary-source" not in result.chronology.by_id


def test_a_stale_edit_is_refused_and_writes_nothing(data_dir):
    snapshot = snap(data_dir)
    with open(data_dir / "relations.csv", "ab") as f:
        f.write(b"opium-wars,no-seizures-claim,supports,Added in a spreadsheet.,,\n")
    before = {n: (data_dir / n).read_bytes() for n in ("events.csv", "citations.csv", "relations.csv")}
    with pytest.raises(StaleTables, match="relations.csv changed on disk since the page loaded it"):
        edit.delete_event(data_dir, "dea-primary-source", snapshot)
    assert {n: (data_dir / n).read_bytes() for n in before} == before


def test_undo_puts_back_the_last_save_and_only_once(data_dir):
    before = {n: (data_dir / n).read_bytes() for n in ("events.csv", "citations.csv", "relations.csv")}
    edit.delete_event(data_dir, "dea-primary-source", snap(data_dir))
    assert curate.last_save(data_dir) == "deleted event dea-primary-source"
    assert undo_last_save(data_dir) == "deleted event dea-primary-source"
    assert {n: (data_dir / n).read_bytes() for n in before} == before
    assert curate.last_save(data_dir) is None
    with pytest.raises(CurateError, match="there is no save to undo"):
        undo_last_save(data_dir)


def test_undo_is_refused_when_a_table_changed_since(data_dir):
    edit.delete_event(data_dir, "dea-primary-source", snap(data_dir))
    with open(data_dir / "events.csv", "ab") as f:
        f.write(b"elsewhere,Added elsewhere,,2024,,exact,,event,diplomacy,us-state,Added in a spreadsheet.,\n")
    edited = (data_dir / "events.csv").read_bytes()
    with pytest.raises(StaleTables, match="events.csv changed on disk since the last save"):
        undo_last_save(data_dir)
    assert (data_dir / "events.csv").read_bytes() == edited


def test_an_appended_event_can_be_undone(data_dir):
    before = {n: (data_dir / n).read_bytes() for n in ("events.csv", "citations.csv")}
    chron = read_data(data_dir).chronology
    event = chron.by_id["opium-wars"].model_copy(update={"id": "opium-wars-again"})
    citation, _ = edit.check_citation("opium-wars-again", chron.sources["cgtn"], QUOTE, data_dir)
    curate.save_event(data_dir, event, [citation], Snapshot.take(data_dir))
    assert curate.last_save(data_dir) == "added rows to events.csv and citations.csv"
    undo_last_save(data_dir)
    assert {n: (data_dir / n).read_bytes() for n in before} == before


# --- the review queue ------------------------------------------------------------------------------

def sheet(folder, name, rows, header=review.FIELDS + ("source_id", "quote", "reasoning")):
    path = folder / "review" / name
    path.parent.mkdir(exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_the_queue_lists_what_is_left_and_remembers_decisions(data_dir):
    blank = [""] * 12
    sheet(data_dir, "cgtn.csv", [["cgtn-2024", *blank[1:3], "2024", *blank[4:], "cgtn", QUOTE, "a year"],
                                  ["cgtn-2024-2", *blank[1:3], "2024", *blank[4:], "cgtn", "Another.", "why"]])
    sheet(data_dir, "imported.csv", [["", "Imported headline", "", "2019", *blank[4:], "", "", ""], [""] * 15])
    queue = review.review_queue(data_dir)
    assert [(c.sheet, c.key, c.has_passage) for c in queue.left] == [
        ("cgtn.csv", "cgtn-2024", True), ("cgtn.csv", "cgtn-2024-2", True), ("imported.csv", "row 2", False)]
    assert queue.total == 3
    review.decide(data_dir, queue.left[0], "dismissed")
    review.decide(data_dir, queue.left[2], "accepted", "imported-headline")
    again = review.review_queue(data_dir)
    assert [c.key for c in again.left] == ["cgtn-2024-2"]
    assert again.decided[("imported.csv", "row 2")] == ("accepted", "imported-headline")
    assert (data_dir / "review" / "decisions.csv").read_text() == (
        "sheet,candidate,decision,event_id\ncgtn.csv,cgtn-2024,dismissed,\nimported.csv,row 2,accepted,imported-headline\n")


def test_a_broken_sheet_is_named_with_the_fix(data_dir):
    path = data_dir / "review" / "bad.csv"
    path.parent.mkdir()
    path.write_bytes("id,title\nx,caf\u00e9\n".encode("latin-1"))
    queue = review.review_queue(data_dir)
    assert queue.problems == ['review/bad.csv: the file is not UTF-8 text. Fix: save it as "CSV UTF-8".']


def test_an_edit_in_a_spreadsheets_file_keeps_its_bom_crlf_and_missing_final_newline(data_dir):
    path = data_dir / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n").rstrip(b"\r\n"))
    before = path.read_bytes().split(b"\r\n")
    checked = event_of(data_dir, "no-seizures-claim", label="Embassy: no seizures")
    assert checked.ok, checked.problems
    edit.update_event(data_dir, "no-seizures-claim", checked.event, snap(data_dir))
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf") and not after.endswith(b"\n") and b"\n" not in after.replace(b"\r\n", b"")
    rows = after.split(b"\r\n")
    assert [i for i, (a, b) in enumerate(zip(before, rows)) if a != b] == [4] and len(rows) == len(before)
    edit.delete_event(data_dir, "opium-wars", snap(data_dir))
    assert path.read_bytes() == b"\r\n".join([rows[0], *rows[2:]])
    assert read_data(data_dir).ok


def test_saving_an_unchanged_event_writes_nothing(data_dir):
    checked = event_of(data_dir, "no-seizures-claim")
    before = (data_dir / "events.csv").read_bytes()
    with pytest.raises(edit.NothingChanged, match="nothing was written"):
        edit.update_event(data_dir, "no-seizures-claim", checked.event, snap(data_dir))
    assert (data_dir / "events.csv").read_bytes() == before and curate.last_save(data_dir) is None


def test_the_command_line_lists_the_queue_and_undoes(data_dir, capsys):
    from timeline.cli import main

    blank = [""] * 12
    sheet(data_dir, "cgtn.csv", [["cgtn-2024", *blank[1:3], "2024", *blank[4:], "cgtn", QUOTE, "a year"],
                                  ["", "Imported", "", "2019", *blank[4:], "", "", ""]])
    review.decide(data_dir, review.review_queue(data_dir).left[0], "dismissed")
    assert main(["review", "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"1 candidate(s) left of 2 in {data_dir / 'review'}; 1 decided (review/decisions.csv).")
    assert "review/cgtn.csv: 1 left\n  row 3, 2019: no passage yet: attach one in the app (Review page)" in out
    assert main(["undo", "--data", str(data_dir)]) == 1
    assert capsys.readouterr().err == "Error: not undone: there is no save to undo.\n"
    before = (data_dir / "events.csv").read_bytes()
    edit.delete_event(data_dir, "opium-wars", snap(data_dir))
    assert main(["undo", "--data", str(data_dir)]) == 0
    assert capsys.readouterr().out == "Undone: deleted event opium-wars.\n"
    assert (data_dir / "events.csv").read_bytes() == before
