"""The download panel: every export format of the current view, built only when asked for."""
from __future__ import annotations

import streamlit as st

from timeline.outputs import alttext
from timeline.outputs.export import IMAGE_FORMATS, MIME, PRESETS, ChromiumMissing, RenderFailed, chromium_path, export
from timeline.data.perf import Kept
from timeline.filters import ViewState, filter_events
from timeline.outputs.publish import embed_snippet
from timeline.render import md_safe

FORMAT_NAMES = {
    "png": "PNG image", "svg": "SVG image (scalable)", "pdf": "PDF (print)",
    "html": "Published page (HTML: light, offline, embeddable)", "csv": "Data: CSV with the quotes", "json": "Data: JSON with the quotes",
    "timelinejs": "TimelineJS (Knight Lab) JSON",
    "annotations": "Passages: W3C Web Annotations (JSON-LD)", "csl": "Sources: CSL-JSON (reference managers)",
}


@st.cache_data(show_spinner=False, max_entries=32)
def _build(_chron, key: tuple, fmt: str, preset: str, title: str, subtitle: str | None,
           width: int | None, height: int | None, scale: float | None, state_json: str) -> tuple[bytes, str | None]:
    """The file, and the alt text of an image (which names exactly the events the image labels)."""
    state = ViewState.model_validate_json(state_json)
    out = export(_chron, state, fmt, preset, title=title or None, subtitle=subtitle, width=width, height=height,
                 scale=scale)
    return out.data, out.alt_text


WORDS = Kept(8)  # a view's alt text and credit line, by data state and view: 40-70 ms each run at 100,000 events


def panel(chron, state: ViewState, data_key: tuple, frame=None) -> None:
    """Choose a format and size, see the alt text, download. `frame`: the view's rows, if the page has them already."""
    with st.expander("Download this view — image, offline page, data, TimelineJS, annotations, sources", expanded=False):
        fmt = st.selectbox("Format", list(FORMAT_NAMES), format_func=FORMAT_NAMES.get, key="x_format")
        preset, width, height, scale = "slide-16x9", None, None, None
        if fmt in IMAGE_FORMATS:
            try:
                chromium_path()
            except ChromiumMissing as err:
                st.error(str(err))
                return
            names = [p for p in PRESETS if fmt == "pdf" or PRESETS[p].format != "pdf"]  # print sizes as PDF only
            preset = st.selectbox("Size", names, index=names.index("a4") if fmt == "pdf" else 0,
                                  format_func=lambda p: PRESETS[p].label, key=f"x_preset_{fmt == 'pdf'}")
            if preset == "custom":
                c1, c2, c3 = st.columns(3)
                width = c1.number_input("Width (px)", 320, 4000, 1280, step=10, key="x_w")
                height = c2.number_input("Height (px)", 240, 4000, 720, step=10, key="x_h")
                scale = c3.number_input("Scale", 0.5, 4.0, 1.0, step=0.25, key="x_s")
        title = st.text_input("Title", key="x_title", placeholder=chron.story.title)
        subtitle = st.text_input("Subtitle", key="x_subtitle", placeholder="The view in words (default)")
        frame = filter_events(chron.frame, state) if frame is None else frame
        view_alt, credit = WORDS.get((data_key, state.model_dump_json()),
                                     lambda: (alttext.alt_text(chron, frame, state), alttext.credit_line(frame)))
        slug = chron.story.slug
        name = f"{slug}-{preset}.{fmt}" if fmt in IMAGE_FORMATS else {
            "html": f"{slug}.html", "csv": f"{slug}-citations.csv", "json": f"{slug}.json",
            "timelinejs": f"{slug}-timelinejs.json", "annotations": f"{slug}-annotations.jsonld",
            "csl": f"{slug}-sources.csl.json"}[fmt]
        args = (chron, data_key, fmt, preset, title.strip(), subtitle.strip() or None, width, height, scale,
                state.model_dump_json())
        drawn = None
        if fmt in IMAGE_FORMATS:
            drawn = _image_download(args, name, fmt)
        else:  # text is built in a blink and cannot fail: built when the button is clicked
            st.download_button(f"Download {name}", data=lambda: _build(*args)[0], file_name=name, mime=MIME[fmt],
                               type="primary", key="x_download", on_click="ignore")
        if fmt == "html":
            st.caption("To put the page into an article, upload it beside the article and paste this where it goes "
                       "(the frame takes the page's height):")
            st.code(embed_snippet(name, title.strip() or chron.story.title), language="html")
        if fmt in IMAGE_FORMATS or fmt == "html":  # a drawn image's own: it names the events the image labels
            st.text_area("Alt text (paste it beside the image)", drawn or view_alt,
                         height=140, key=f"x_alt_{hash((state.model_dump_json(), drawn))}", disabled=False)
        st.caption(md_safe(f"{len(frame)} events; credit line: {credit}"))


def _image_download(args: tuple, name: str, fmt: str) -> str | None:
    """An image is drawn in this run, so that a browser that fails twice is said in a sentence on the page.

    (A download built on click runs outside the page, where a failure could only be a browser's error.)
    """
    wanted = hash(args[1:])
    if not st.button(f"Draw {name}", key="x_draw") and st.session_state.get("x_drawn") != wanted:
        return None
    try:
        with st.spinner("Drawing the image…"):
            data, alt = _build(*args)
    except (RenderFailed, ChromiumMissing) as err:
        st.session_state.pop("x_drawn", None)
        st.error(str(err))
        return None
    st.session_state["x_drawn"] = wanted
    st.download_button(f"Download {name}", data=data, file_name=name, mime=MIME[fmt], type="primary",
                       key="x_download", on_click="ignore")
    return alt
