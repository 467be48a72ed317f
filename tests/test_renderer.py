"""Image exports never hang: a killed or hung browser is restarted once, then the user reads one sentence."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from timeline.data.load import ROOT, load_chronology
from timeline.filters import ViewState
from timeline.outputs import export as ex
from timeline.outputs import renderer

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="image export needs Chromium")
TIMEOUT = 20  # seconds a render may take in these tests (60 in use)


@pytest.fixture(scope="module")
def chron():
    return load_chronology(ROOT)


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setenv("TIMELINE_RENDER_TIMEOUT", str(TIMEOUT))
    renderer.stop_renderer()
    yield
    renderer.stop_renderer()
    assert not chromium_below_us(), "a browser was left running"


def chromium_below_us() -> list[int]:
    """The Chromium processes under this test process (and their launcher), read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z":  # a killed process not yet reaped is not running
            parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [os.getpid()]
    while todo:
        for pid in parents.get(todo.pop(), []):
            todo.append(pid)
            try:
                if b"chrom" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    found.append(pid)
            except OSError:
                pass
    return found


def kill_chromium() -> int:
    pids = chromium_below_us()
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return len(pids)


def export_in_background(chron, fmt="png"):
    out: dict = {}

    def run():
        try:
            out["export"] = ex.export(chron, ViewState(), fmt, "slide-4x3")
        except Exception as err:  # noqa: BLE001 (the test reads it)
            out["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def assert_drawn_or_said(thread, out, started):
    thread.join(TIMEOUT * 2 + 10)
    assert not thread.is_alive(), "the export hung"
    assert time.monotonic() - started < TIMEOUT * 2 + 10
    if "error" in out:
        assert str(out["error"]) == renderer.FAILED
    else:
        assert out["export"].data[:8] == b"\x89PNG\r\n\x1a\n"


def test_chromium_killed_while_it_starts(chron):
    started = time.monotonic()
    thread, out = export_in_background(chron)
    while not chromium_below_us() and thread.is_alive():
        time.sleep(0.01)
    assert kill_chromium() >= 1
    assert_drawn_or_said(thread, out, started)
    assert "export" in out  # one restart is enough for a browser killed once


def test_chromium_killed_in_the_middle_of_a_render(chron, monkeypatch):
    ex.export(chron, ViewState(), "svg")  # the browser is up
    first = renderer.renderer_pid()
    drawing = threading.Event()
    real = renderer._Browser.render

    def render(self, *args):
        drawing.set()
        return real(self, *args)

    monkeypatch.setattr(renderer._Browser, "render", render)
    started = time.monotonic()
    thread, out = export_in_background(chron)
    assert drawing.wait(TIMEOUT)
    time.sleep(0.1)  # the figure is in the browser's hands
    assert kill_chromium() >= 1
    assert_drawn_or_said(thread, out, started)
    assert "export" in out
    assert renderer.renderer_pid() not in (None, first)  # drawn by a new browser


def test_a_render_that_hangs_twice_is_one_sentence_within_the_timeout(chron, monkeypatch):
    monkeypatch.setenv("TIMELINE_RENDER_TIMEOUT", "1.5")

    async def hang(self, spec, opts):
        await __import__("asyncio").sleep(3600)

    monkeypatch.setattr(renderer._Browser, "_draw", hang)
    started = time.monotonic()
    with pytest.raises(renderer.RenderFailed) as err:
        ex.export(chron, ViewState(), "png")
    assert str(err.value) == renderer.FAILED
    assert time.monotonic() - started < 2 * 1.5 + 6  # two timeouts and two browser stops, no more


def test_the_command_line_says_the_sentence_and_exits_1(tmp_path):
    out = tmp_path / "x.png"
    env = {**os.environ, "TIMELINE_RENDER_TIMEOUT": "0.01"}  # no browser starts that fast: both tries fail
    started = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "timeline", "export", "--format", "png", "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 1
    assert r.stderr == f"Error: {renderer.FAILED}\n"  # the sentence, and nothing else: no traceback, no browser log
    assert not out.exists()
    assert time.monotonic() - started < 30


def test_the_timeout_is_60_seconds_unless_set(monkeypatch):
    monkeypatch.delenv("TIMELINE_RENDER_TIMEOUT")
    assert renderer.render_timeout() == 60
    for value, seconds in (("2.5", 2.5), ("0", 60), ("-1", 60), ("soon", 60)):
        monkeypatch.setenv("TIMELINE_RENDER_TIMEOUT", value)
        assert renderer.render_timeout() == seconds
