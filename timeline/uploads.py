"""Files that pages accept: capped in size and written only inside the data folder, under a sanitised name."""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

MAX_UPLOAD_MB = 20  # .streamlit/config.toml server.maxUploadSize (megabytes of 1024 × 1024 bytes, as Streamlit counts)
MAX_NAME = 100
ACCEPTED = (".txt", ".md", ".html", ".htm", ".csv", ".json")
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_MAX_COPIES = 1000  # name-2 … name-1000, then the upload is refused


class UnsafeUpload(ValueError):
    """An upload that cannot be written; the message is one sentence for the user."""


def _shown(name: object) -> str:
    """The name as a message may quote it: printable, short."""
    text = re.sub(r"[\x00-\x1f\x7f]", "?", str(name))
    return text[:80] + ("…" if len(text) > 80 else "")


def safe_name(name: str, allowed: tuple[str, ...] = ACCEPTED) -> str:
    """A plain file name made from an uploaded one: no folders, no control characters, short, with a known suffix.

    Letters with accents keep their base letter (Süddeutsche → Suddeutsche); other characters become "-".
    """
    base = unicodedata.normalize("NFKC", str(name)).replace("\\", "/").split("/")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base).strip()
    if not base.strip("."):
        raise UnsafeUpload(f'"{_shown(name)}" has no file name: rename the file and upload it again.')
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.lower() if suffix else ""
    if suffix not in allowed:
        raise UnsafeUpload(f'"{_shown(name)}" is not one of the accepted kinds of file ({", ".join(allowed)}).')
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip(".-_")[: MAX_NAME - len(suffix)].strip(".-_") or "file"
    if stem.split(".")[0].upper() in _RESERVED:  # names Windows cannot open, should the folder be copied there
        stem = "file-" + stem
    return stem + suffix


def _root(folder: str | Path, sub: str) -> Path:
    """folder/sub resolved, refused when it leads out of `folder` (a `..` or a symlinked folder)."""
    top = Path(folder).resolve()
    root = (top / sub).resolve()
    if root != top and top not in root.parents:
        raise UnsafeUpload(f"{_shown(sub)}/ is not inside the data folder, so nothing can be written there.")
    return root


def safe_target(folder: str | Path, sub: str, name: str, **kw) -> Path:
    """Where an upload named `name` may be written: inside folder/sub, never elsewhere, never through a symlink."""
    root = _root(folder, sub)
    target = root / safe_name(name, **kw)
    if target.is_symlink() or target.resolve().parent != root:
        raise UnsafeUpload(f'"{_shown(name)}" cannot be written inside {_shown(sub)}/: a link of that name is there.')
    return target


def check_size(data: bytes, limit_mb: float = MAX_UPLOAD_MB) -> None:
    if len(data) > limit_mb * 1024 * 1024:
        raise UnsafeUpload(f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {limit_mb:g} MB.")


def write_upload(folder: str | Path, sub: str, name: str, data: bytes, **kw) -> Path:
    """Write an upload into folder/sub and return its path: size checked, name sanitised, written whole or not at all.

    An existing file is never replaced: the upload becomes name-2, name-3, … instead.
    """
    check_size(data)
    target = safe_target(folder, sub, name, **kw)
    root = target.parent
    root.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".upload-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        stem, suffix = target.stem, target.suffix
        for n in range(1, _MAX_COPIES + 1):
            path = target if n == 1 else root / f"{stem}-{n}{suffix}"
            if os.path.lexists(path):
                continue
            try:
                os.link(tmp, path)  # appears whole, and fails rather than replace a file that appeared meanwhile
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links: replace, having just seen the name free
                os.replace(tmp, path)
            return path
        raise UnsafeUpload(f'There are already {_MAX_COPIES} files named like "{target.name}": rename the file.')
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
