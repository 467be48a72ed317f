"""What every page shares: the data folder, cached loading, the problems panel, URL state."""
from __future__ import annotations

import argparse
import copy
import gc
import hashlib
import os
import sys
import threading
from pathlib import Path

import streamlit as st

from timeline.curation.curate import TABLES, Snapshot, examples
from timeline.data import cache
from timeline.data.lint import lint
from timeline.data.load import ROOT, LoadResult, content_digest, data_files, fingerprint, read_data
from timeline.data.perf import gc_paused
from timeline.render import md_safe


def data_folder() -> Path:
    """`streamlit run app.py -- --data DIR`, else $TIMELINE_DATA, else the repository."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data", type=Path)
    args, _ = parser.parse_known_args(sys.argv[1:])
    return (args.data or Path(os.environ.get("TIMELINE_DATA") or ROOT)).expanduser().resolve()


def read_only() -> bool:
    """`-- --read-only` or TIMELINE_READ_ONLY=1: no page may write to the data folder."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--read-only", action="store_true")
    args, _ = parser.parse_known_args(sys.argv[1:])
    return args.read_only or os.environ.get("TIMELINE_READ_ONLY", "") not in ("", "0")


def prepare(result: LoadResult, folder: Path) -> LoadResult:
    """What every page's first run needs of freshly read data, worked out once per change of the files rather than
    by the first page to need it; and so stored in the disk cache with the rest, where a restarted server's first
    run finds it without waiting for the events."""
    result.chronology.frame
    examples(result.chronology)
    data_warnings(result, folder)
    return result


@st.cache_resource(show_spinner="Reading the chronology…", max_entries=4)
def _load(folder: str, stamp: str) -> LoadResult:
    with gc_paused():
        result = cache.read(stamp, Path(folder))  # the same content read by an earlier server: no need to check it again
        if result is None:
            result = prepare(read_data(folder), Path(folder))
            # Written in the background from a shallow copy: pages add cached tables to the chronology meanwhile.
            snapshot = copy.copy(result)
            snapshot.chronology = copy.copy(result.chronology)
            threading.Thread(target=cache.write, args=(stamp, snapshot), daemon=True, name="timeline-cache").start()
        gc.freeze()  # the data lives as long as the cache: later collections need not scan it again
    return result


def data_stamp() -> tuple:
    """Which data folder, in which state: a cache key for anything derived from it."""
    folder = data_folder()
    return str(folder), content_key(folder)


_LOADED: list[LoadResult] = []  # the result of the latest load(), for warm_up


def load() -> LoadResult:
    """The data folder, read once per change of its files' content."""
    return load_stamped()[0]


def load_stamped() -> tuple[LoadResult, tuple]:
    """`load()`, and the data's `data_stamp()` worked out on the way (each one stats every file of the folder)."""
    folder = data_folder()
    key = content_key(folder)
    result = _load(str(folder), key)
    _LOADED[:] = [result]
    return result, (str(folder), key)


# seconds after a run before that unpickling starts: meanwhile the browser fetches Plotly's script from this server and
# draws the chart (2-3 s at 100,000 events), which the unpickling would slow down by about 0.8 s on a 2-core machine
# (it takes 2 s and the server's interpreter lock); an event opened sooner has its data unpickled at once
WARM_UP_AFTER = 3.0


def hold_warm_up() -> None:
    """This run's page is only a frame (the next run, at once, sends the chart): no unpickling in the background
    after it, which would slow that run down."""
    st.session_state["_hold_warm_up"] = True


def warm_up() -> None:
    """After a page's run: the events and passages of data read from the disk cache, still to be unpickled, are
    unpickled in the background while the browser draws the page (a click on an event needs them); not after a
    run that held it (`hold_warm_up`)."""
    if st.session_state.pop("_hold_warm_up", False):
        return
    pending = _LOADED[0].chronology.__dict__.get("_deferred") if _LOADED else None
    if pending is not None:
        pending.start(delay=WARM_UP_AFTER)


_CONTENT_KEYS: dict[str, str] = {}  # digest of the files' names, sizes and times -> digest of their content


def content_key(folder: Path) -> str:
    """The data's cache key: a digest of the files' content, read again only when a file's name, size or
    modification time changes (a stat per file each rerun; reading 82 MB each rerun would take 0.2 s). A file
    saved unchanged, or the folder restored from a copy, finds the data already loaded."""
    paths = data_files(folder)
    stamp = hashlib.sha256(repr((str(folder), fingerprint(folder, paths))).encode()).hexdigest()
    key = _CONTENT_KEYS.get(stamp)
    if key is None:
        if len(_CONTENT_KEYS) > 64:
            _CONTENT_KEYS.clear()
        key = _CONTENT_KEYS[stamp] = content_digest(folder, paths)
    return key


def problems_panel(result: LoadResult, warnings: bool = True) -> None:
    """Every problem in one place, with counts, so no row disappears silently; then, collapsed, the warnings
    `validate` gives about how the events are written (not on pages shown to an audience: `warnings=False`)."""
    for notice in result.notices:
        st.caption(notice)
    if not result.ok:
        counts = "; ".join(f"{name}: {c.read} read, {c.kept} used, {c.rejected} rejected" for name, c in result.counts.items())
        with st.expander(f"⚠️ {len(result.problems)} problem(s) in the data — showing what is valid", expanded=True):
            st.caption(counts)
            st.text("\n".join(str(p) for p in result.problems))
    found = data_warnings(result) if warnings else []
    if found:
        with st.expander(f"{len(found)} warning(s) about how events are written — the data is valid", expanded=False):
            st.markdown("\n".join(f"- {md_safe(w)}" for w in found))


def data_warnings(result: LoadResult, folder: Path | None = None) -> list:
    """lint() of the loaded data, worked out once per load: kept on the cached result itself, which every
    rerun and session of the same data shares (and the disk cache stores)."""
    found = getattr(result, "_lint_warnings", None)
    if found is None:
        found = lint(result, folder or data_folder())
        result._lint_warnings = found
    return found


def query_dict() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params}


def flat(params: dict[str, list[str]]) -> dict[str, str]:
    """Each URL parameter's last value (a repeated one counts once, as the address bar's last word)."""
    return {k: v[-1] if v else "" for k, v in params.items()}


def set_query(params: dict[str, str]) -> None:
    """Write the view into the URL, only when it changed (so history stays clean)."""
    current = flat(query_dict())
    if current != params:
        st.query_params.from_dict(params)
    st.session_state["_url_written"] = params


def story_heading(chron) -> None:
    """Which story the page is of, from its story.toml, at the head of the sidebar."""
    st.sidebar.markdown(f"**{md_safe(chron.story.title)}**")


def dark_theme() -> bool:
    """Whether the browser shows Streamlit's dark theme (it says so with each run)."""
    return (st.context.theme or {}).get("type") == "dark"


def empty_story_message(result: LoadResult, folder: Path) -> str:
    """What to do next in a story that has no event yet (a new one, or one just imported)."""
    review = sorted(p.name for p in (folder / "review").glob("*.csv")) if (folder / "review").is_dir() else []
    waiting = (f" Rows waiting for a passage are in review/{', review/'.join(review)}." if review else "")
    n = len(result.chronology.sources)
    if n:
        return (f"This story has no events yet; it has {n} article{'s' if n != 1 else ''}. Next: on the Curate page, "
                f"find a passage in an article and add the event it reports.{waiting}")
    return ("This story has no events yet. Next: add an article on the Curate page (Add article: a saved web page, "
            f"a .txt or a .md file), or with `python -m timeline add-article {folder} FILE`; then add the events "
            f"it reports on the same page.{waiting}")


def page_chronology(css: str = "", need: str = "events", stamped: bool = False):
    """Every page's start: its styles, the data, the problems panel; stops with a message when
    there is nothing to show (`need`: "events" or "sources"). `stamped`: (chronology, its `data_stamp()`)."""
    if css:
        st.markdown(css, unsafe_allow_html=True)
    if dark_theme():  # dialogs sit outside .stApp, which carries the theme's colour scheme
        st.markdown("<style>:root{color-scheme:dark}</style>", unsafe_allow_html=True)
    result, stamp = load_stamped()
    chron = result.chronology
    story_heading(chron)
    problems_panel(result)
    if need == "events" and not chron.n_events:
        st.info(empty_story_message(result, data_folder()) if result.ok
                else "There are no valid events to show. Correct the problems above, then reload the page.")
        st.stop()
    if need == "sources" and not chron.sources:
        st.info(empty_story_message(result, data_folder()) if result.ok and not chron.events
                else "There are no readable sources to show.")
        st.stop()
    return (chron, stamp) if stamped else chron


def kept_snapshot(key: str, folder: Path, names: tuple[str, ...] = TABLES) -> Snapshot:
    """The state of `names` in `folder` when this session's page first read them (kept under `key` until a save or
    a reload takes another): every save is checked against it."""
    snap = st.session_state.get(key)
    if snap is None or snap.folder != folder:
        snap = st.session_state[key] = Snapshot.take(folder, names)
    return snap
