"""Files that pages accept: capped in size and written only inside the data folder, under a sanitised name."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

MAX_UPLOAD_MB = 20  # .streamlit/config.toml server.maxUploadSize
MAX_NAME = 100


class UnsafeUpload(ValueError):
    """An upload that cannot be written; the message is one sentence for the user."""


def safe_name(name: str, allowed: tuple[str, ...] = (".txt", ".md", ".html", ".htm", ".csv", ".json")) -> str:
    """A plain file name made from an uploaded one: no folders, no control characters, short, with a known suffix."""
    base = unicodedata.normalize("NFKC", str(name)).replace("\\", "/").split("/")[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "", base)
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    suffix = "." + suffix.lower() if suffix else ""
    if suffix not in allowed:
        raise UnsafeUpload(f'"{name[:80]}" is not one of the accepted kinds of file ({", ".join(allowed)}).')
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-_")[: MAX_NAME - len(suffix)] or "file"
    return stem + suffix


def safe_target(folder: str | Path, sub: str, name: str, **kw) -> Path:
    """Where an upload named `name` may be written: inside folder/sub, never elsewhere."""
    root = (Path(folder) / sub).resolve()
    target = (root / safe_name(name, **kw)).resolve()
    if target.parent != root:
        raise UnsafeUpload(f'"{name[:80]}" cannot be written inside {sub}/.')
    return target


def check_size(data: bytes, limit_mb: float = MAX_UPLOAD_MB) -> None:
    if len(data) > limit_mb * 1024 * 1024:
        raise UnsafeUpload(f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is {limit_mb:g} MB.")
