"""The validated data on disk: used for the same content and code, never when a byte changed or the file is damaged."""
from __future__ import annotations

import pickle
import threading
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


def _first_part(path: Path) -> tuple[int, int]:
    """Where the first part of a cache file starts and ends."""
    head = cache.HEADER.unpack(path.read_bytes()[:cache.HEADER.size])
    return cache.HEADER.size, cache.HEADER.size + head[4]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "other-data", "longer"])
def test_a_damaged_or_foreign_file_is_ignored_and_removed(data_dir: Path, store: Path, damage: str):
    digest = content_digest(data_dir)
    path = cache.write(digest, read_data(data_dir))
    raw = bytearray(path.read_bytes())
    if damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "flip":  # in the first part
        lo, hi = _first_part(path)
        raw[(lo + hi) // 2] ^= 0xFF
    elif damage == "garbage":
        raw = bytearray(b"not a cache at all")
    elif damage == "longer":
        raw += b"\0"
    else:  # a sound file of another folder's content, under this folder's name
        other = cache.HEADER.unpack(bytes(raw[:cache.HEADER.size]))
        raw[8:28] = bytes(20)
        assert other[1] != bytes(20)
    path.write_bytes(bytes(raw))
    assert cache.read(digest) is None
    assert not path.exists()  # rebuilt on the next load, never served


def test_a_part_is_not_unpickled_when_its_digest_is_wrong(data_dir: Path, store: Path, monkeypatch):
    digest = content_digest(data_dir)
    path = cache.write(digest, read_data(data_dir))
    raw = bytearray(path.read_bytes())
    raw[_first_part(path)[1] - 1] ^= 1  # the first part's last byte
    path.write_bytes(bytes(raw))
    monkeypatch.setattr(pickle, "loads", lambda *_: pytest.fail("a damaged part was unpickled"))
    assert cache.read(digest) is None


def test_the_events_come_after_the_rest_and_the_same(data_dir: Path, store: Path, monkeypatch):
    result = read_data(data_dir)
    digest = content_digest(data_dir)
    cache.write(digest, result)
    loads = []
    real = cache._Unpickler.load
    monkeypatch.setattr(cache._Unpickler, "load", lambda self: loads.append(1) or real(self))
    back = cache.read(digest, data_dir)
    chron = back.chronology
    # what a page's first run needs is there without the events
    assert chron.n_events == result.chronology.n_events and chron.date_range == result.chronology.date_range
    assert chron.in_use == result.chronology.in_use and chron.frame.equals(result.chronology.frame)
    assert "events" not in chron.__dict__ and not loads
    assert [e.id for e in chron.events] == [e.id for e in result.chronology.events] and loads == [1]
    assert chron.by_id.keys() == result.chronology.by_id.keys()
    ps = chron.passages
    assert [p.text for p in ps] == [p.text for p in result.chronology.passages]
    assert all(p.source is chron.sources[p.source.id] for p in ps)  # the sources are not stored twice
    assert "_deferred" not in chron.__dict__ and loads == [1]


def test_the_events_can_be_read_ahead_in_the_background(data_dir: Path, store: Path):
    digest = content_digest(data_dir)
    cache.write(digest, read_data(data_dir))
    chron = cache.read(digest, data_dir).chronology
    pending = chron._deferred
    pending.start()
    for _ in range(200):
        if "events" in chron.__dict__:
            break
        threading.Event().wait(0.05)
    assert "events" in chron.__dict__ and "passages" in chron.__dict__


def test_reading_ahead_waits_its_delay_and_starts_once(data_dir: Path, store: Path):
    digest = content_digest(data_dir)
    cache.write(digest, read_data(data_dir))
    chron = cache.read(digest, data_dir).chronology
    pending = chron._deferred
    pending.start(delay=0.6)
    pending.start(delay=0.6)  # a second page's run: the same read, not another
    readers = [t for t in threading.enumerate() if t.name == "timeline-cache-read"]
    assert len(readers) == 1
    threading.Event().wait(0.2)
    assert "events" not in chron.__dict__  # not before its time: the browser is drawing the page
    readers[0].join(timeout=30)
    assert "events" in chron.__dict__ and "passages" in chron.__dict__


def test_damaged_events_are_read_from_the_folder_instead(data_dir: Path, store: Path, monkeypatch):
    result = read_data(data_dir)
    digest = content_digest(data_dir)
    path = cache.write(digest, result)
    raw = bytearray(path.read_bytes())
    raw[-100] ^= 0xFF  # in the second part: the first is sound, and served
    path.write_bytes(bytes(raw))
    back = cache.read(digest, data_dir)
    assert back is not None and path.exists()
    monkeypatch.setattr(cache._Unpickler, "load", lambda self: pytest.fail("a damaged part was unpickled"))
    assert [e.id for e in back.chronology.events] == [e.id for e in result.chronology.events]
    assert [p.text for p in back.chronology.passages] == [p.text for p in result.chronology.passages]
    assert not path.exists()  # rebuilt by the next server


def test_the_timeline_page_s_first_run_needs_no_events(data_dir: Path, store: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    import views.common
    from timeline.data.load import ROOT

    write = views.common.prepare(read_data(data_dir), data_dir)  # as the app does before it writes the cache
    cache.write(content_digest(data_dir), write)
    monkeypatch.setenv("TIMELINE_DATA", str(data_dir))
    monkeypatch.setattr(cache.Deferred, "start", lambda self, delay=0.0: None)  # not read ahead: would the page need them?
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and at.get("plotly_chart")
    chron = views.common._LOADED[0].chronology
    assert "_deferred" in chron.__dict__ and "events" not in chron.__dict__
    at.selectbox(key="w_event").select(write.chronology.events[3].id).run()  # an event opened: now they are read
    assert not at.exception and "events" in chron.__dict__


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
