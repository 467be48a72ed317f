"""Whatever the files hold, the loader gives a chronology or a list of problems: never an
unhandled exception, never a hang, never a silently lost row."""
from __future__ import annotations

import csv
import io
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shipped import N_EVENTS
from timeline.data.load import CITATIONS, EVENTS, SOURCES, VOCABULARY, read_data

ROOT = Path(__file__).resolve().parents[1]
TABLES = (EVENTS, CITATIONS, VOCABULARY, SOURCES)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("shipped")
    for name in (EVENTS, CITATIONS, VOCABULARY):
        shutil.copy(ROOT / name, folder / name)
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    return folder


def fresh(base: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("case")
    shutil.copytree(base, folder, dirs_exist_ok=True)
    return folder


def check(result) -> None:
    """The outcome is well formed: counts add up and every problem names a place and a fix."""
    assert all(p.file in TABLES or p.file.startswith("seeds/") for p in result.problems)
    for p in result.problems:
        text = str(p)
        assert p.message and "Traceback" not in text and "pydantic" not in text
        assert ". Fix: " in text, text
    for name, count in result.counts.items():
        assert 0 <= count.kept <= count.read, (name, count)
    # nothing disappears silently: every rejected event row is explained by a problem in events.csv
    if EVENTS in result.counts and result.counts[EVENTS].rejected:
        assert any(p.file == EVENTS for p in result.problems)


@FUZZ
@given(table=st.sampled_from(TABLES), data=st.binary(max_size=3000))
def test_arbitrary_bytes(base, tmp_path_factory, table, data):
    folder = fresh(base, tmp_path_factory)
    (folder / table).write_bytes(data)
    result = read_data(folder)
    check(result)
    if data.strip() == b"":
        assert any(p.file == table for p in result.problems)


@FUZZ
@given(table=st.sampled_from(TABLES), text=st.text(max_size=2000),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "gb18030"]))
def test_arbitrary_text_in_any_encoding(base, tmp_path_factory, table, text, encoding):
    folder = fresh(base, tmp_path_factory)
    (folder / table).write_bytes(text.encode(encoding, errors="replace"))
    check(read_data(folder))


def mutate_rows(original: str, rng_ops: list[tuple[str, int, str]]) -> str:
    rows = list(csv.reader(io.StringIO(original)))
    for op, i, value in rng_ops:
        if not rows:
            break
        r = rows[i % len(rows)]
        if op == "set" and r:
            r[i % len(r)] = value
        elif op == "drop-cell" and r:
            r.pop(i % len(r))
        elif op == "add-cell":
            r.append(value)
        elif op == "drop-row":
            rows.pop(i % len(rows))
        elif op == "dup-row":
            rows.insert(i % len(rows), list(r))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


OPS = st.lists(st.tuples(st.sampled_from(["set", "drop-cell", "add-cell", "drop-row", "dup-row"]),
                         st.integers(0, 10_000), st.text(max_size=40)), max_size=8)


@FUZZ
@given(table=st.sampled_from(TABLES), ops=OPS)
def test_edited_tables(base, tmp_path_factory, table, ops):
    """Plausible hand edits: changed cells, missing and extra cells, removed and repeated rows."""
    folder = fresh(base, tmp_path_factory)
    path = folder / table
    path.write_text(mutate_rows(path.read_text(encoding="utf-8"), ops), encoding="utf-8")
    result = read_data(folder)
    check(result)
    assert len(result.chronology.events) <= N_EVENTS


@pytest.mark.parametrize("newline, bom", [("\r\n", True), ("\r\n", False), ("\n", True), ("\r", False)])
def test_excel_style_files_load(base, tmp_path_factory, newline, bom):
    """Saved by a spreadsheet: CRLF (or old Mac CR) line ends, with or without a BOM."""
    folder = fresh(base, tmp_path_factory)
    for table in TABLES:
        path = folder / table
        text = path.read_text(encoding="utf-8").replace("\n", newline)
        path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    result = read_data(folder)
    assert result.problems == [] and len(result.chronology.events) == N_EVENTS


def test_semicolon_separated_file_gets_one_clear_problem(base, tmp_path_factory):
    folder = fresh(base, tmp_path_factory)
    path = folder / EVENTS
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    problems = [str(p) for p in read_data(folder).problems if p.file == EVENTS]
    assert problems == ['events.csv row 1: the columns are separated by semicolons, not commas. '
                        'Fix: save it as "CSV UTF-8 (comma delimited)".']


def test_huge_cells_are_problems_not_hangs(base, tmp_path_factory):
    folder = fresh(base, tmp_path_factory)
    (folder / CITATIONS).write_text("event_id,source_id,quote\nopium-wars,ntdtv," + "x" * 2_000_000 + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = read_data(folder)
    assert time.perf_counter() - start < 30
    assert any("more than 600" in str(p) for p in result.problems)


def test_a_table_of_100000_rows(base, tmp_path_factory):
    """100,000 citations that are not in their article: every one is reported, quickly enough."""
    folder = fresh(base, tmp_path_factory)
    lines = ["event_id,source_id,quote"] + [f"opium-wars,ntdtv,words that are not there {i}" for i in range(100_000)]
    (folder / CITATIONS).write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.perf_counter()
    result = read_data(folder)
    elapsed = time.perf_counter() - start
    assert result.counts[CITATIONS].read == 100_000 and result.counts[CITATIONS].kept == 0
    assert sum(p.file == CITATIONS for p in result.problems) == 100_000
    assert elapsed < 120, f"took {elapsed:.0f} s"
