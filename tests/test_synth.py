"""The generator of big data folders: valid, varied and the same for the same seed."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from timeline.data.anchor import locate
from timeline.chart.layout import axis_break
from timeline.cli import main
from timeline.data.load import read_data
from timeline.data.synth import write_folder


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "n1000"
    write_folder(out, 1000, seed=42)
    return out


@pytest.fixture(scope="module")
def result(folder):
    return read_data(folder)


def test_the_folder_is_complete_and_valid(folder, result):
    assert {p.name for p in folder.iterdir()} == {"story.toml", "events.csv", "citations.csv", "vocabulary.csv", "seeds"}
    assert result.chronology.story.title == "Generated story of 1,000 events"
    assert result.problems == []
    chron = result.chronology
    assert len(chron.events) == 1000
    assert len(chron.sources) == 20  # one article per 50 events
    assert len(chron.passages) > 1000  # some events have two or three sources


def test_events_vary_as_real_ones_do(result):
    frame = result.chronology.frame
    assert set(frame["kind"]) == {"event", "claim", "statistic", "context"}
    assert set(frame["precision"]) == {"day", "month", "year"}
    assert set(frame["date_certainty"]) == {"exact", "inferred", "approximate", "after", "by"}
    assert 0.03 < frame["is_span"].mean() < 0.15
    assert frame["actors"].map(len).max() >= 3 and frame["n_sources"].max() >= 2
    claims = frame[frame["kind"] == "claim"]
    assert (claims["claimed_by"] != "").all()
    assert frame["category"].nunique() == 10 and len(result.chronology.in_use["actor"]) == 30
    assert axis_break(frame) is not None  # a few nineteenth-century events: the axis breaks as it does for the curated data


def test_every_quote_is_in_its_article_and_a_few_only_after_folding_typography(result):
    passages = result.chronology.passages
    assert all(p.text for p in passages)
    folded = [p for p in passages if not p.anchor.exact]
    assert 0 < len(folded) < len(passages) // 20
    assert all(locate(p.citation.quote, p.source.text) == p.anchor for p in passages[:200])


def test_the_same_seed_gives_the_same_files_and_another_seed_others(tmp_path, folder):
    write_folder(tmp_path / "again", 1000, seed=42)
    write_folder(tmp_path / "other", 1000, seed=7)
    assert digest(tmp_path / "again") == digest(folder)
    assert digest(tmp_path / "other") != digest(folder)


@pytest.mark.parametrize("n", [1, 7, 51])
def test_small_folders_are_valid_too(tmp_path, n):
    write_folder(tmp_path, n)
    result = read_data(tmp_path)
    assert result.problems == [] and len(result.chronology.events) == n


def test_at_least_one_event(tmp_path):
    with pytest.raises(ValueError):
        write_folder(tmp_path, 0)


def test_cli_writes_a_folder_and_will_not_overwrite_one(tmp_path, capsys):
    out = tmp_path / "big"
    assert main(["synth", "--events", "120", "--out", str(out), "--seed", "3"]) == 0
    assert capsys.readouterr().out.startswith(f"Wrote {out}: 120 events, ")
    assert main(["validate", "--data", str(out)]) == 0
    assert "OK: 120 events" in capsys.readouterr().out
    assert main(["synth", "--events", "120", "--out", str(out)]) == 1
    assert "already holds a data folder" in capsys.readouterr().err
    assert main(["synth", "--events", "60", "--out", str(out), "--force"]) == 0
    assert main(["synth", "--events", "0", "--out", str(tmp_path / "none")]) == 2


def test_cli_help_has_an_example(capsys):
    assert main(["synth", "--help"]) == 0
    out = capsys.readouterr().out
    assert "usage: python -m timeline synth" in out
    assert "python -m timeline synth --events 100000 --out" in out.split("example")[-1]
