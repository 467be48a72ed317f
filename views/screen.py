"""What the browser tells the page: the width of its main column, the window's height, and the ← / → keys; and the
phone's vertical timeline, whose cards are buttons. Both are Streamlit components mounted in the page itself."""
from __future__ import annotations

import json
from urllib.parse import unquote

import streamlit as st

from timeline.chart.screen import PHONE_UNDER, WIDE_FROM

COOKIE = "timeline_screen"  # the size last reported, so that a returning reader's first run is laid out for it
STEP = 48  # px: a change of the window smaller than this (and crossing no breakpoint) is not worth a new layout

PROBE_JS = """
export default function (component) {
  const { setStateValue, setTriggerValue, data } = component;
  const STEP = data.step, breaks = data.breaks;
  const main = () => document.querySelector('[data-testid="stMainBlockContainer"]');
  function size() {
    const el = main();
    if (!el) return null;
    const cs = getComputedStyle(el);
    const chart = document.querySelector('.st-key-chart, .st-key-chart_wait');  // where the chart starts: under a heading of 1 or 2 lines
    return {width: Math.round(el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)),
            height: Math.round(window.innerHeight),
            top: chart ? Math.round(chart.getBoundingClientRect().top + window.scrollY) : null};
  }
  function changed(a, b) {
    if (!b) return true;
    if (Math.abs(a.width - b.width) >= STEP || Math.abs(a.height - b.height) >= STEP) return true;
    if (a.top !== null && Math.abs(a.top - (b.top ?? a.top)) >= 16) return true;
    return breaks.some((x) => (a.width >= x) !== (b.width >= x));
  }
  let known = data.known, timer = null;
  // Never while a run is going on: a report then would start a new run over it, with the widgets the browser has
  // so far; it waits for the run to end.
  const running = () => document.querySelector('.stApp')?.dataset.testScriptState === 'running';
  function report() {
    if (running()) { clearTimeout(timer); timer = setTimeout(report, 50); return; }
    const now = size();
    if (now && changed(now, known)) {
      known = now;
      // remembered for the next visit, whose first run can then be laid out for this window (no second run)
      document.cookie = data.cookie + '=' + encodeURIComponent(JSON.stringify(now)) + ';path=/;max-age=2592000;SameSite=Strict';
      setStateValue('screen', now);
    }
  }
  report();
  const observer = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(report, 150); });
  if (main()) observer.observe(main());
  const typing = (el) => el && (el.closest('input, textarea, select, [contenteditable="true"], [role="slider"], '
      + '[role="radiogroup"], [role="tablist"], [role="listbox"], [role="combobox"], [role="grid"], .stDataFrame'));
  function onKey(e) {
    if (!data.walk || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    if (typing(e.target)) return;
    e.preventDefault();
    setTriggerValue('walk', e.key === 'ArrowRight' ? 'next' : 'previous');
  }
  document.addEventListener('keydown', onKey);
  return () => { observer.disconnect(); clearTimeout(timer); document.removeEventListener('keydown', onKey); };
}
"""

LIST_JS = """
export default function (component) {
  const { setTriggerValue, data, parentElement } = component;
  let root = parentElement.querySelector('.vt');
  if (!root) { root = document.createElement('div'); root.className = 'vt'; parentElement.appendChild(root); }
  root.innerHTML = data.html;
  root.querySelectorAll('button[data-event]').forEach((b) => {
    b.onclick = () => setTriggerValue('picked', b.getAttribute('data-event'));
  });
  const on = root.querySelector('button[aria-pressed="true"]');
  if (on && data.focus) on.focus({preventScroll: false});
}
"""

LIST_CSS = """
.vt { font-family: var(--st-font, sans-serif); color: var(--st-text-color, #1f2933); }
.vt-section { margin: 0 0 .6rem 0; }
.vt-year { font-size: 1.1rem; font-weight: 700; margin: .8rem 0 .3rem 0; padding-bottom: .15rem;
  border-bottom: 1px solid rgba(127, 127, 127, .45); position: sticky; top: 0;
  background: var(--st-background-color, #fff); z-index: 1; }
.vt-list { list-style: none; margin: 0; padding: 0 0 0 .55rem; border-left: 2px solid rgba(127, 127, 127, .45); }
.vt-list > li { margin: 0; padding: 0; }
.vt-card { display: flex; gap: .6rem; align-items: flex-start; width: 100%; text-align: left; cursor: pointer;
  background: transparent; color: inherit; font: inherit; border: 1px solid transparent; border-radius: 6px;
  padding: .45rem .5rem; margin: .1rem 0; }
.vt-card:hover { background: rgba(127, 127, 127, .1); }
.vt-card:focus-visible { outline: 3px solid var(--st-primary-color, #a3342c); outline-offset: 1px; }
.vt-card[aria-pressed="true"] { border-color: var(--st-primary-color, #a3342c); background: rgba(127, 127, 127, .12); }
.vt-marker { flex: 0 0 14px; margin-top: .2rem; }
.vt-text { display: flex; flex-direction: column; min-width: 0; overflow-wrap: anywhere; }
.vt-date { font-size: .85rem; font-weight: 600; }
.vt-title { font-size: 1rem; line-height: 1.35; }
.vt-kind { font-size: .8rem; opacity: .9; }
.vt-gap { font-size: .85rem; font-style: italic; padding: .35rem 0 .35rem .4rem; }
.vt-more { font-size: .9rem; }
"""

_probe = st.components.v2.component("timeline_screen", js=PROBE_JS, isolate_styles=False)
_list = st.components.v2.component("timeline_vertical", js=LIST_JS, css=LIST_CSS)


def remembered(text: str | None) -> dict | None:
    """The size a browser reported on an earlier visit (the cookie's JSON, percent-encoded as the probe writes it), or
    None when it is not a sound one."""
    try:
        value = json.loads(unquote(text or ""))
        width, height, top = value["width"], value["height"], value.get("top")
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    sound = all(isinstance(v, int) and not isinstance(v, bool) and 0 < v < 20000 for v in (width, height))
    if not sound or not (top is None or isinstance(top, int) and not isinstance(top, bool) and 0 <= top < 20000):
        return None
    return {"width": width, "height": height, "top": top}


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no request behind this run (a test): nothing remembered
        return None


def from_browser() -> bool:
    """Whether a browser is behind this run (a headless test has no request headers): only a browser reports its size."""
    try:
        return bool(st.context.headers)
    except Exception:  # noqa: BLE001 - no request behind this run
        return False


def probe(walk: bool) -> tuple[dict | None, str | None]:
    """The main column's width, the window's height and the chart's top ({"width", "height", "top"}; None until
    the browser has said; "top" None while there is no chart),
    and "next" or "previous" when the ← / → key was pressed (only while `walk`: an event is open)."""
    ss = st.session_state
    if "_screen" not in ss:  # a new session: the size this browser reported last time, until it says otherwise
        ss["_screen"] = remembered(_cookie())
    # kept in the session too: a component mounted again (back from another page) starts with no state of its own,
    # while the browser, told the size is known, does not report it again
    result = _probe(key="screen_probe", data={"step": STEP, "cookie": COOKIE, "breaks": [PHONE_UNDER, WIDE_FROM], "known": ss.get("_screen"),
                                              "walk": walk},
                    default={"screen": None}, height=0, on_screen_change=lambda: None, on_walk_change=lambda: None)
    if getattr(result, "screen", None):
        ss["_screen"] = result.screen
    return ss.get("_screen"), getattr(result, "walk", None)


def vertical_list(html: str, focus: bool = False) -> str | None:
    """The phone's timeline; the id of the event whose card was tapped in this run, if any."""
    result = _list(key="vertical", data={"html": html, "focus": focus}, on_picked_change=lambda: None)
    return getattr(result, "picked", None)
