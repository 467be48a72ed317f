"""Who may write: the rules every page that changes the data folder follows.

Local serving (loopback only) may edit; served beyond this machine, editing is off for everyone unless an editor
password is configured and this session has entered it; `--read-only` removes the write pages whatever the password.
"""
from __future__ import annotations

import streamlit as st

from views.common import read_only


def write_pages_visible() -> bool:
    """Whether the navigation lists the pages that write (Curate, Edit, Lessons editor...)."""
    return not read_only()


def writes_allowed() -> bool:
    """Whether this session may write into the data folder now."""
    return not read_only()


def editing_gate() -> bool:
    """Call first on a page that writes. Shows why editing is off (or the unlock form) and returns False, or
    returns True when the page may show its forms."""
    if read_only():
        st.info("This copy of the timeline is served read-only, so its data cannot be changed here.")
        return False
    return True
