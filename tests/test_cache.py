"""The validated data on disk: used for the same content and code, never when a byte changed or the file is damaged."""
from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from timeline.data import cache
from timeline.data.load import content_digest, read_data


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_same_content_is_read_back_whole(data_dir: Path, store: Path):
    digest = content_digest(data_dir)
    assert cache.read(digest) is None
    result = read_data(data_dir)
    result.chronology.frame
    path = cache.write(digest, result)
    assert path is not None and path.parent == store
    back = cache.read(digest)
    assert [e.id for e in back.chronology.events] == [e.id for e in result.chronology.events]
    assert back.chronology.frame.equals(result.chronology.frame)
    assert [p.text for p in back.chronology.passages] == [p.text for p in result.chronology.passages]
    assert back.chronology.story == result.chronology.story


def test_one_changed_byte_gives_another_key(data_dir: Path, store: Path):
    digest = content_digest(data_dir)
    cache.write(digest, read_data(data_dir))
    events = data_dir / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"Opium", b"Opiun", 1))
    changed = content_digest(data_dir)
    assert changed != digest and cache.read(changed) is None


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "other-data"])
def test_a_damaged_or_foreign_file_is_ignored_and_removed(data_dir: Path, store: Path, damage: str):
    digest = content_digest(data_dir)
    path = cache.write(digest, read_data(data_dir))
    raw = bytearray(path.read_bytes())
    if damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "flip":
        raw[-100] ^= 0xFF
    elif damage == "garbage":
        raw = bytearray(b"not a cache at all")
    else:  # a sound file of another folder's content, under this folder's name
        other = cache.HEADER.unpack(bytes(raw[:cache.HEADER.size]))
        raw[8:28] = bytes(20)
        assert other[1] != bytes(20)
    path.write_bytes(bytes(raw))
    assert cache.read(digest) is None
    assert not path.exists()  # rebuilt on the next load, never served


def test_the_payload_is_not_unpickled_when_its_digest_is_wrong(data_dir: Path, store: Path, monkeypatch):
    digest = content_digest(data_dir)
    path = cache.write(digest, read_data(data_dir))
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    monkeypatch.setattr(pickle, "loads", lambda *_: pytest.fail("a damaged payload was unpickled"))
    assert cache.read(digest) is None


def test_off_means_off(data_dir: Path, monkeypatch):
    monkeypatch.setenv("TIMELINE_CACHE", "off")
    digest = content_digest(data_dir)
    assert cache.write(digest, read_data(data_dir)) is None and cache.read(digest) is None


def test_only_the_newest_files_are_kept(data_dir: Path, store: Path):
    result = read_data(data_dir)
    for i in range(cache.KEEP + 3):
        cache.write(f"{i:040x}", result)
    assert len(list(store.glob("*.pickle"))) == cache.KEEP


def test_kept_values_are_made_once_per_key_and_the_least_recently_used_goes_first():
    from timeline.data.perf import Kept

    made = []
    kept = Kept(2)

    def make(key):
        return lambda: made.append(key) or f"value of {key}"

    assert kept.get("a", make("a")) == "value of a" and kept.get("a", make("a")) == "value of a"
    kept.get("b", make("b"))
    kept.get("a", make("a"))  # "a" used again: "b" is now the oldest
    kept.get("c", make("c"))
    assert made == ["a", "b", "c"]
    kept.get("a", make("a"))
    kept.get("b", make("b"))
    assert made == ["a", "b", "c", "b"]  # "b" was let go, "a" kept
