"""Streamlit entry point: `streamlit run app.py [-- --data DIR]`. Layout only."""
import streamlit as st

from views.common import load, read_only

st.set_page_config(page_title=f"{load().chronology.story.title}: a sourced timeline", layout="wide")

pages = [
    st.Page("views/page_timeline.py", title="Timeline", url_path="timeline", default=True),
    st.Page("views/page_sources.py", title="Sources", url_path="sources"),
    st.Page("views/page_lens.py", title="Source lens", url_path="lens"),
    st.Page("views/page_present.py", title="Present", url_path="present"),
]
if not read_only():  # a class served read-only cannot write into the teacher's tables
    pages.append(st.Page("views/page_curate.py", title="Curate", url_path="curate"))
st.navigation(pages).run()
