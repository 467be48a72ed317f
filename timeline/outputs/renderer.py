"""The one Chromium that draws every image of the process: started on demand, every render bounded in time.

A render that takes longer than the timeout (TIMELINE_RENDER_TIMEOUT seconds, 60 by default), or whose
browser has died, costs that browser: it is killed with its child processes, a fresh one is started and
the render is tried once more. When the second try fails too, RenderFailed says so in one sentence.
The browser runs on its own event loop in a daemon thread, so a hung render never holds the caller;
nothing here touches the network.
"""
from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import signal
import threading
import time
from pathlib import Path

import plotly.graph_objects as go

DEFAULT_TIMEOUT = 60.0
FAILED = "The image could not be drawn: the renderer stopped twice. Try again, or export HTML or CSV instead."
_NO_NETWORK = "http://127.0.0.1:9"  # the discard port: refused at once
_POLL = 0.1  # how often a waiting render looks whether its browser still lives
for _name in ("choreographer", "kaleido", "browser_proc"):  # a killed browser is reported here, in one sentence
    logging.getLogger(_name).setLevel(logging.CRITICAL)


class ChromiumMissing(RuntimeError):
    """Raised when an image export needs Chromium and none is installed."""

    def __init__(self) -> None:
        super().__init__("Image export needs Chromium: run `make run` (or `sudo apt-get install chromium`).")


class RenderFailed(RuntimeError):
    """Raised when an image could not be drawn twice in a row (the browser hung or died each time)."""

    def __init__(self) -> None:
        super().__init__(FAILED)


class _Lost(Exception):
    """This browser is of no more use: it timed out, died, or failed a render."""


def render_timeout() -> float:
    """Seconds one render may take, browser start included: TIMELINE_RENDER_TIMEOUT, else 60."""
    try:
        value = float(os.environ.get("TIMELINE_RENDER_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def chromium_path() -> str:
    """The browser kaleido will drive (BROWSER_PATH wins); ChromiumMissing if there is none."""
    from choreographer.browsers.chromium import Chromium

    path = Chromium.find_browser(skip_local=False)
    if not path or not Path(path).is_file():
        raise ChromiumMissing()
    return path


def _processes() -> list[tuple[int, int, int]]:
    """(pid, parent pid, process group) of every live process, read from /proc (empty where there is none)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = entry.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if fields[0] != "Z":
            found.append((int(entry.parent.name), int(fields[1]), int(fields[2])))
    return found


def _tree(pid: int) -> set[int]:
    """The processes below `pid` and those left in its process group (Chromium's, whose launcher may be gone)."""
    table = _processes()
    found = {p for p, _, group in table if group == pid}
    todo = [pid]
    while todo:
        parent = todo.pop()
        kids = [p for p, pp, _ in table if pp == parent and p not in found]
        found.update(kids)
        todo += kids
    return found


class _Browser:
    """One kaleido browser on its own event loop, in a daemon thread that nothing waits on."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="timeline-renderer", daemon=True)
        self.thread.start()
        self.kaleido = None
        self.failed: BaseException | None = None
        self.opened = asyncio.run_coroutine_threadsafe(self._open(), self.loop)

    async def _open(self) -> None:
        import kaleido

        try:  # errors are kept, not raised: a start cut short must not be reported by asyncio at exit
            # mathjax=False drops kaleido's one CDN script; the dead proxy stops any other request the browser may try
            self.kaleido = kaleido.Kaleido(mathjax=False, timeout=None, proxy_server=_NO_NETWORK)
            await self.kaleido.open()
        except BaseException as err:  # noqa: BLE001
            self.failed = err

    async def _draw(self, spec: dict, opts: dict) -> tuple[bool, object]:
        try:
            return True, await self.kaleido.calc_fig(spec, opts=opts)
        except BaseException as err:  # noqa: BLE001 (kept, as in _open)
            return False, err

    def _process(self):
        return getattr(self.kaleido, "subprocess", None)

    def alive(self) -> bool:
        process = self._process()
        return self.failed is None and self.thread.is_alive() and (process is None or process.poll() is None)

    def _wait(self, future: concurrent.futures.Future, deadline: float):
        """The future's result, unless the deadline passes or the browser dies first."""
        while True:
            try:
                return future.result(timeout=_POLL)
            except concurrent.futures.TimeoutError:
                if time.monotonic() > deadline or not self.alive():
                    raise _Lost() from None

    def render(self, spec: dict, opts: dict, deadline: float) -> bytes:
        from kaleido.errors import ChromeNotFoundError

        self._wait(self.opened, deadline)
        if self.failed is None:
            done, result = self._wait(asyncio.run_coroutine_threadsafe(self._draw(spec, opts), self.loop), deadline)
            if done:
                return result
            self.failed = result
        if isinstance(self.failed, ChromeNotFoundError):
            raise ChromiumMissing() from self.failed
        raise _Lost() from self.failed  # a closed channel, a failed tab: this browser is suspect

    def close(self, grace: float = 5.0) -> None:
        """Close the browser politely when it answers; kill it and its children when it does not."""
        limit = time.monotonic() + grace
        while not self.opened.done() and self._process() is None and time.monotonic() < limit:
            time.sleep(0.02)  # a start under way: wait for its process, so that it is not left behind
        if self.opened.done() and self.alive():
            try:
                asyncio.run_coroutine_threadsafe(self.kaleido.close(), self.loop).result(timeout=grace)
            except Exception:  # noqa: BLE001 (whatever failed, the kill below ends it)
                pass
        process = self._process()
        if process is not None:
            for pid in _tree(process.pid):  # whatever the close left, and the children of a killed launcher
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            try:
                process.kill()
                process.wait(timeout=grace)
            except Exception:  # noqa: BLE001
                pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=1)


_state = threading.Lock()  # guards _browser
_turn = threading.Lock()   # one render at a time: the browser has one tab
_browser: _Browser | None = None


def renderer_running() -> bool:
    return _browser is not None and _browser.alive()


def renderer_pid() -> int | None:
    """The process id of the running browser's launcher (its Chromium is a child), or None."""
    process = _browser._process() if _browser is not None else None
    return process.pid if process is not None and process.poll() is None else None


def _running() -> _Browser:
    global _browser
    with _state:
        if _browser is not None and _browser.alive():
            return _browser
        chromium_path()  # without a browser, kaleido's open would only fail later and less clearly
        dead, _browser = _browser, _Browser()
        browser = _browser
    if dead is not None:
        dead.close(grace=1)
    return browser


def start_renderer() -> None:
    """Start the browser in the background; a no-op while one lives. ChromiumMissing if none is installed."""
    _running()


def stop_renderer() -> None:
    """Close the browser (and any child process it left); the next render starts another."""
    global _browser
    with _state:
        browser, _browser = _browser, None
    if browser is not None:
        browser.close()


def _drop(browser: _Browser) -> None:
    global _browser
    with _state:
        if _browser is browser:
            _browser = None
    browser.close(grace=1)


def render(fig: go.Figure, fmt: str, width: int, height: int, scale: float) -> bytes:
    """The figure drawn as png, svg or pdf; one restart of the browser is allowed, then RenderFailed."""
    spec = fig.to_dict()
    opts = {"format": fmt, "width": width, "height": height, "scale": scale}
    with _turn:
        for _ in range(2):
            browser = _running()
            try:
                return browser.render(spec, opts, time.monotonic() + render_timeout())
            except _Lost:
                _drop(browser)
    raise RenderFailed()


atexit.register(stop_renderer)
