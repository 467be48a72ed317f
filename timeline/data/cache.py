"""The validated data on disk, so that a server started again on unchanged files does not read and check them again.

One file per data folder state, named by the digest of the folder's content (timeline.data.load.content_digest) and of
this package's code: one changed byte of either gives another name. The file holds a header (magic, format, the
two digests, each part's own SHA-1 digest and length) and the pickled LoadResult in two parts: first everything
but the chronology's events and passages (its frame, sources, story, vocabulary, problems: what a page's first run
needs, a quarter of a second to unpickle at 100,000 events), then those (a second or more), unpickled on first use or
in the background once the page has been sent (views.common.warm_up). A file that is short, damaged, of another
version or of other data is ignored, removed and written again, never used: a part is checked before it is unpickled,
and should the second one turn out damaged, the events are read from the data folder instead.

The files live in the user's cache folder ($TIMELINE_CACHE, else $XDG_CACHE_HOME/timeline, else ~/.cache/timeline),
never in the data folder, and are written atomically (a temporary file renamed into place). Set TIMELINE_CACHE=off
to read the data every time. The cache is trusted as the user's own files are: anyone who can write it can also
change the code.
"""
from __future__ import annotations

import copy
import gc
import hashlib
import io
import os
import pickle
import struct
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from timeline.data.chronology import DEFERRED, FROM_EVENTS

MAGIC = b"TLCACHE3"
# magic, data digest, code digest, then each part's own SHA-1 digest and length: the first part, then the deferred one
HEADER = struct.Struct("<8s20s20s20sQ20sQ")
KEEP = 4  # newest files kept per cache folder
CHUNK = 1 << 22  # bytes read at a time to check a part


def cache_dir() -> Path | None:
    setting = os.environ.get("TIMELINE_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    if setting:
        return Path(setting).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "timeline"


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """A digest of this package's source: a new version of the code never reads an old version's cache."""
    h = hashlib.blake2b(digest_size=20)
    here = Path(__file__).resolve().parents[1]  # the whole timeline package
    for path in sorted(here.rglob("*.py")):
        h.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    return h.digest()


def _check(payload: bytes) -> bytes:
    """A part's own digest, against damage: SHA-1, twice as fast as BLAKE2 here for 200 MB (0.25 s against 0.5)."""
    return hashlib.sha1(payload).digest()


def _path(folder_digest: str) -> Path | None:
    d = cache_dir()
    return None if d is None else d / f"{folder_digest[:40]}-{code_digest().hex()[:16]}.pickle"


class _Pickler(pickle.Pickler):
    """Pickles the deferred part with its passages' sources as references to the first part's (by id)."""

    def __init__(self, file, sources: dict) -> None:
        super().__init__(file, protocol=5)
        self._ids = {id(s): key for key, s in sources.items()}

    def persistent_id(self, obj):
        return self._ids.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file, sources: dict) -> None:
        super().__init__(file)
        self._sources = sources

    def persistent_load(self, pid):
        return self._sources[pid]


def _parts(result) -> tuple[bytes, bytes]:
    """The pickled result without its chronology's events and passages (and what is made again from them), and those."""
    chron = result.chronology
    shell = copy.copy(chron)
    for name in (*DEFERRED, "by_id", "_by_event", "_deferred"):
        shell.__dict__.pop(name, None)
    first = copy.copy(result)
    first.chronology = shell
    rest = io.BytesIO()
    _Pickler(rest, chron.sources).dump(tuple(getattr(chron, name) for name in DEFERRED))
    return pickle.dumps(first, protocol=5), rest.getvalue()


def _verified(f, length: int, digest: bytes) -> None:
    """Reads `length` bytes on from f's position and checks their digest; then returns f to where it was."""
    at, h, left = f.tell(), hashlib.sha1(), length
    while left and (chunk := f.read(min(CHUNK, left))):
        h.update(chunk)
        left -= len(chunk)
    if left or h.digest() != digest:
        raise ValueError("damaged part")
    f.seek(at)


class Deferred:
    """The events and passages of a chronology read from the cache: unpickled on first use, or ahead of it in the
    background (`start`). The file stays open until then, so that it is the same file whatever happens to its
    name. A deferred part that is damaged is not unpickled: the file is removed and the data folder read again."""

    def __init__(self, f, length: int, digest: bytes, path: Path, folder: Path | None, chronology) -> None:
        self._f, self._length, self._digest, self._path, self._folder = f, length, digest, path, folder
        self.chronology = chronology
        self._lock = threading.Lock()
        self._values: tuple | None = None
        self._started = False

    def start(self, delay: float = 0.0) -> None:
        """Unpickle in the background, `delay` seconds from now, unless it is done or already started."""
        if self._values is None and not self._started:
            self._started = True
            timer = threading.Timer(delay, self.fill)
            timer.daemon, timer.name = True, "timeline-cache-read"
            timer.start()

    def fill(self, target=None) -> None:
        """Set the events and passages on the chronology (and on `target`, a copy of it)."""
        with self._lock:
            if self._values is None:
                self._values = self._load()
        for chron in {id(c): c for c in (self.chronology, target) if c is not None}.values():
            chron.__dict__.update(zip(DEFERRED, self._values))
            chron.__dict__.pop("_deferred", None)

    def _load(self) -> tuple:
        from timeline.data.perf import gc_paused

        try:
            with gc_paused(), self._f as f:
                _verified(f, self._length, self._digest)
                values = _Unpickler(f, self.chronology.sources).load()
            gc.freeze()  # as long-lived as the rest of the cached data
            return values
        except Exception:  # noqa: BLE001 - a part that cannot be read: read from the data folder, as with no cache
            _remove(self._path)
            if self._folder is None:
                raise
            from timeline.data.load import read_data

            again = read_data(self._folder).chronology
            return tuple(getattr(again, name) for name in DEFERRED)


def read(folder_digest: str, folder: Path | None = None):
    """The LoadResult stored for this content, or None (nothing stored, or the file is not sound: then it is removed).

    The chronology's events and passages come on first use, or once `chronology._deferred.start()` is called; should
    that part be damaged, they are read from `folder`."""
    path = _path(folder_digest)
    if path is None:
        return None
    f = None
    try:
        f = open(path, "rb")
        head = f.read(HEADER.size)
        if len(head) != HEADER.size:
            raise ValueError("short header")
        magic, data_d, code_d, first_d, first_n, rest_d, rest_n = HEADER.unpack(head)
        if magic != MAGIC or data_d != bytes.fromhex(folder_digest)[:20] or code_d != code_digest():
            raise ValueError("another version or other data")
        if os.fstat(f.fileno()).st_size != HEADER.size + first_n + rest_n:
            raise ValueError("short or long file")
        _verified(f, first_n, first_d)
        result = pickle.loads(f.read(first_n))  # checked, then unpickled: never the bytes of a damaged part
        chron = result.chronology
        chron._deferred = Deferred(f, rest_n, rest_d, path, folder, chron)
        return result
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a cache that cannot be read is rebuilt, whatever is wrong with it
        if f is not None:
            f.close()
        _remove(path)
        return None


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def write(folder_digest: str, result) -> Path | None:
    """Store a LoadResult for this content; a cache that cannot be written is skipped silently (it is only a cache).
    What the pages' first run needs (Chronology.FROM_EVENTS) is worked out first, so that it is stored too."""
    path = _path(folder_digest)
    if path is None:
        return None
    try:
        for name in FROM_EVENTS:
            getattr(result.chronology, name)
        first, rest = _parts(result)
        path.parent.mkdir(parents=True, exist_ok=True)
        head = HEADER.pack(MAGIC, bytes.fromhex(folder_digest)[:20], code_digest(),
                           _check(first), len(first), _check(rest), len(rest))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(head)
                f.write(first)
                f.write(rest)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        _prune(path.parent)
        return path
    except Exception:  # noqa: BLE001 - it is only a cache: the data was read and is served all the same
        return None


def _prune(folder: Path) -> None:
    files = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP:]:
        try:
            old.unlink()
        except OSError:
            pass
