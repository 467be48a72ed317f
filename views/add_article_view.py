"""The Curate page's "Add article" form: upload a .txt, .md or saved web page and describe it, as
`python -m timeline add-article` does (timeline.curation.addarticle). Shown only where editing is allowed
(views/editing.py); the Curate page below it says why when it is not.
"""
from __future__ import annotations

import streamlit as st

from timeline.curation.addarticle import Facts, add_article_file
from timeline.curation.article import ArticleError
from timeline.curation.curate import CurateError, Snapshot, StaleTables
from timeline.data.load import SOURCES
from timeline.render import md_safe
from timeline.uploads import MAX_UPLOAD_MB
from views.common import _load, data_folder, kept_snapshot

ASK = {"outlet": "fill in Outlet", "published": "fill in Published (YYYY-MM-DD)",
       "published_note": "fill in How the date is known", "published_field": "Published"}
K = {name: f"add_{name}" for name in ("file", "outlet", "published", "certainty", "note", "headline", "url",
                                       "description", "suggest", "submit", "form", "reload")}


def _snapshot(folder) -> Snapshot:
    return kept_snapshot("_add_snapshot", folder, (SOURCES,))


def _submit(folder) -> None:
    """On click (before the page runs again, so the fields can be emptied after a success)."""
    ss = st.session_state
    upload = ss.get(_file_key())
    if upload is None:
        ss["_add_flash"] = ("error", "Choose the article's file first (.txt, .md or a saved web page, .html).")
        return
    facts = Facts(outlet=ss.get(K["outlet"]) or "", published=ss.get(K["published"]) or "",
                  published_certainty=ss.get(K["certainty"]) or "stated", published_note=ss.get(K["note"]) or "",
                  headline=ss.get(K["headline"]) or "", url=ss.get(K["url"]) or "",
                  outlet_description=ss.get(K["description"]) or "")
    try:
        added = add_article_file(folder, upload.getvalue(), upload.name, facts, suggest=bool(ss.get(K["suggest"])),
                                 snapshot=_snapshot(folder), ask=ASK)
    except StaleTables:
        ss["_add_flash"] = ("error", f"Not added: {SOURCES} changed on disk since this page read it (someone else added "
                                     "an article, or a spreadsheet saved it). Reload it, then add the article again.")
        ss["_add_stale"] = True
        return
    except (ArticleError, CurateError) as err:
        ss["_add_flash"] = ("error", md_safe(f"Not added: {err}."))
        return
    _load.clear()
    ss["_add_snapshot"] = Snapshot.take(folder, (SOURCES,))
    found = "".join(f"\n- {md_safe(f'Found {line}.')}" for line in added.found)
    review = (f" {added.candidates} candidate event{'s' if added.candidates != 1 else ''} are in review/{added.review.name}."
              if added.review is not None else "")
    ss["_add_flash"] = ("success", md_safe(f"Added “{added.plan.headline or upload.name}” as source {added.source_id} (row "
                                           f"{added.sources_row} of {SOURCES}; its text is seeds/{added.article.name}).{review} "
                                           "Next: choose it under “Find the passage” below and add its events.") + found)
    for name in ("outlet", "published", "note", "headline", "url", "description"):
        ss[K[name]] = ""
    ss["_add_n"] = ss.get("_add_n", 0) + 1  # a new uploader: the added file is no longer in it


def _file_key() -> str:
    return f"{K['file']}_{st.session_state.get('_add_n', 0)}"


def render(no_article: bool) -> None:
    """The form, in an expander on the Curate page (which has checked that this session may write): open while the
    story has no readable article (`no_article`) or after an upload."""
    ss = st.session_state
    folder = data_folder()
    if not (folder / SOURCES).is_file():
        return  # not a story folder: the Curate page reports the problem
    _snapshot(folder)
    flash = ss.pop("_add_flash", None)
    with st.expander("Add article", expanded=no_article or flash is not None, icon=":material/upload_file:"):
        st.markdown("Upload an article as a text file, a Markdown file or a saved web page (File › Save page as… › "
                    "HTML). Its text is saved in `seeds/` (quotes are checked against it) and it is described on a new "
                    f"row of `{SOURCES}`. Leave a field empty to take it from the page; what the page does not say, "
                    "you will be asked for.")
        with st.form(K["form"], clear_on_submit=False, border=False):
            st.file_uploader(f"Article file (up to {MAX_UPLOAD_MB} MB)", type=["txt", "md", "html", "htm"],
                                      key=_file_key())
            left, right = st.columns(2)
            with left:
                st.text_input("Outlet", key=K["outlet"], placeholder="from the page, e.g. City Herald")
                st.text_input("Headline", key=K["headline"], placeholder="from the page")
                st.text_input("Outlet description", key=K["description"],
                              placeholder="for attribution, e.g. regional daily newspaper")
            with right:
                st.text_input("Published", key=K["published"], placeholder="from the page, or YYYY-MM-DD")
                st.selectbox("Date certainty", ("stated", "inferred"), key=K["certainty"],
                             help="stated: the article gives its date; inferred: worked out from elsewhere")
                st.text_input("How the date is known", key=K["note"], placeholder="needed when inferred")
            st.text_input("Address (URL)", key=K["url"], placeholder="from the page's canonical link")
            st.checkbox("Also propose its dates as candidate events for review", key=K["suggest"])
            st.form_submit_button("Add article", type="primary", key=K["submit"], on_click=_submit, args=(folder,))
        if flash:
            getattr(st, flash[0])(flash[1])
        if ss.get("_add_stale") and st.button("Reload sources.csv", key=K["reload"]):
            ss.pop("_add_snapshot", None)
            ss.pop("_add_stale", None)
            _load.clear()
            st.rerun()
