"""Who may write: the rules every page that changes the data folder follows.

Local serving (loopback only, the default) may edit. Served beyond this machine (`make serve`), editing is off
for everyone unless an editor password is configured (TIMELINE_EDITOR_PASSWORD, or `editor_password` in
.streamlit/secrets.toml) and this session has entered it. `--read-only` removes the write pages whatever the
password. The password is compared with hmac.compare_digest and never shown, logged or put in the URL.
"""
from __future__ import annotations

import hmac
import ipaddress
import os
import time

import streamlit as st

from views.common import read_only

ENV_PASSWORD = "TIMELINE_EDITOR_PASSWORD"
SECRET_KEY = "editor_password"
MAX_TRIES = 5        # wrong passwords before the session must wait
WAIT_SECONDS = 60    # how long it waits
_UNLOCKED = "_editing_unlocked"
_TRIES = "_editing_tries"
_WAIT_UNTIL = "_editing_wait_until"
FORM_KEY = "editing_unlock"
FIELD_KEY = "editing_password"

READ_ONLY = "This copy of the timeline is served read-only, so its data cannot be changed here."
NO_PASSWORD = ("This timeline is served on the network without an editor password, so its data cannot be changed "
               "here: set TIMELINE_EDITOR_PASSWORD (or editor_password in .streamlit/secrets.toml) to allow editing.")
WRONG = "That is not the editor password, so editing stays locked."
LOCKED = "Editing is locked: enter the editor password to change the data."


def is_loopback(address: str | None) -> bool:
    """Whether a `server.address` value keeps the server on this machine. Empty means every interface."""
    address = (address or "").strip()
    if not address:
        return False
    if address.startswith("unix://") or address.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: assume it reaches the network


def served_locally() -> bool:
    """Whether this server listens on the loopback address only (streamlit's `server.address`)."""
    from streamlit import config

    return is_loopback(config.get_option("server.address"))


def editor_password() -> str | None:
    """The configured editor password, or None. A missing or broken secrets file means none there."""
    value = os.environ.get(ENV_PASSWORD, "")
    if value:
        return value
    try:
        if st.secrets.load_if_toml_exists():
            value = st.secrets.get(SECRET_KEY) or ""
    except Exception:  # noqa: BLE001 (an unreadable secrets file is the same as none)
        value = ""
    return str(value) if value else None


def password_matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def write_pages_visible() -> bool:
    """Whether the navigation lists the pages that write (Curate, Edit, Lessons editor...)."""
    if read_only():
        return False
    return served_locally() or editor_password() is not None


def writes_allowed() -> bool:
    """Whether this session may write into the data folder now."""
    if read_only():
        return False
    if served_locally():
        return True
    return editor_password() is not None and bool(st.session_state.get(_UNLOCKED))


def _wait_left() -> float:
    return max(0.0, st.session_state.get(_WAIT_UNTIL, 0.0) - time.monotonic())


def _try_unlock(given: str, expected: str) -> bool:
    """One attempt; counts wrong ones and starts the wait after MAX_TRIES of them."""
    if _wait_left() > 0:
        return False
    if given and password_matches(given, expected):
        st.session_state[_UNLOCKED] = True
        st.session_state[_TRIES] = 0
        return True
    tries = st.session_state.get(_TRIES, 0) + 1
    if tries >= MAX_TRIES:
        st.session_state[_WAIT_UNTIL] = time.monotonic() + WAIT_SECONDS
        tries = 0
    st.session_state[_TRIES] = tries
    return False


def editing_gate() -> bool:
    """Call first on a page that writes. Shows why editing is off (or the unlock form) and returns False, or
    returns True when the page may show its forms."""
    if read_only():
        st.info(READ_ONLY)
        return False
    if served_locally():
        return True
    expected = editor_password()
    if expected is None:
        st.info(NO_PASSWORD)
        return False
    if st.session_state.get(_UNLOCKED):
        return True
    wrong = False
    with st.form(FORM_KEY, clear_on_submit=True):  # cleared: the password does not stay in the widget
        st.markdown(LOCKED)
        given = st.text_input("Editor password", type="password", key=FIELD_KEY, autocomplete="current-password")
        submitted = st.form_submit_button("Unlock editing")
    if submitted:
        if _try_unlock(given or "", expected):
            st.rerun()
        wrong = _wait_left() == 0
    left = _wait_left()
    if left > 0:
        st.warning(f"Too many wrong passwords: wait {int(left) + 1} seconds before trying again.")
    elif wrong:
        st.error(WRONG)
    return False
