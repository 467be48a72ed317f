"""The validated data on disk, so that a server started again on unchanged files does not read and check them again.

One file per data folder state, named by the digest of the folder's content (timeline.data.load.content_digest) and of
this package's code: one changed byte of either gives another name. The file holds a header (magic, format, the
two digests, the payload's own SHA-1 digest and length) and the pickled LoadResult. A file that is short, damaged, of
another version or of other data is ignored, removed and written again, never used.

The files live in the user's cache folder ($TIMELINE_CACHE, else $XDG_CACHE_HOME/timeline, else ~/.cache/timeline),
never in the data folder, and are written atomically (a temporary file renamed into place). Set TIMELINE_CACHE=off
to read the data every time. The cache is trusted as the user's own files are: anyone who can write it can also
change the code.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import struct
import tempfile
from functools import lru_cache
from pathlib import Path

MAGIC = b"TLCACHE2"
HEADER = struct.Struct("<8s20s20s20sQ")  # magic, data digest, code digest, payload digest, payload length
KEEP = 4  # newest files kept per cache folder
CHUNK = 1 << 22  # bytes read at a time to check a payload


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
    """The payload's own digest, against damage: SHA-1, twice as fast as BLAKE2 here for 200 MB (0.25 s against 0.5)."""
    return hashlib.sha1(payload).digest()


def _path(folder_digest: str) -> Path | None:
    d = cache_dir()
    return None if d is None else d / f"{folder_digest[:40]}-{code_digest().hex()[:16]}.pickle"


def read(folder_digest: str):
    """The LoadResult stored for this content, or None (nothing stored, or the file is not sound: then it is removed)."""
    path = _path(folder_digest)
    if path is None:
        return None
    try:
        with open(path, "rb") as f:
            head = f.read(HEADER.size)
            if len(head) != HEADER.size:
                raise ValueError("short header")
            magic, data_d, code_d, payload_d, length = HEADER.unpack(head)
            if magic != MAGIC or data_d != bytes.fromhex(folder_digest)[:20] or code_d != code_digest():
                raise ValueError("another version or other data")
            # checked in chunks, then unpickled from the file: the payload's bytes are never held whole beside the
            # objects made of them (200 MB at 100,000 events)
            h, seen = hashlib.sha1(), 0
            while chunk := f.read(CHUNK):
                h.update(chunk)
                seen += len(chunk)
            if seen != length or h.digest() != payload_d:
                raise ValueError("damaged payload")
            f.seek(HEADER.size)
            return pickle.load(f)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a cache that cannot be read is rebuilt, whatever is wrong with it
        try:
            path.unlink()
        except OSError:
            pass
        return None


def write(folder_digest: str, result) -> Path | None:
    """Store a LoadResult for this content; a cache that cannot be written is skipped silently (it is only a cache)."""
    path = _path(folder_digest)
    if path is None:
        return None
    try:
        payload = pickle.dumps(result, protocol=5)
        path.parent.mkdir(parents=True, exist_ok=True)
        head = HEADER.pack(MAGIC, bytes.fromhex(folder_digest)[:20], code_digest(),
                           _check(payload), len(payload))
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(head)
                f.write(payload)
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
