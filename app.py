"""Streamlit entry point: `streamlit run app.py [-- --data DIR]`. Layout only."""
import streamlit as st

st.set_page_config(page_title="Fentanyl diplomacy: a sourced timeline", layout="wide")

pages = [
    st.Page("views/page_timeline.py", title="Timeline", url_path="timeline", default=True),
    st.Page("views/page_sources.py", title="Sources", url_path="sources"),
    st.Page("views/page_lens.py", title="Source lens", url_path="lens"),
    st.Page("views/page_present.py", title="Present", url_path="present"),
    st.Page("views/page_curate.py", title="Curate", url_path="curate"),
]
st.navigation(pages).run()
