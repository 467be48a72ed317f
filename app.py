"""Streamlit entry point: `streamlit run app.py [-- --data DIR]`. Layout only."""
import streamlit as st

st.set_page_config(page_title="Fentanyl diplomacy: a sourced timeline", layout="wide")

pages = [
    st.Page("views/page_timeline.py", title="Timeline", url_path="timeline", default=True),
    st.Page("views/page_sources.py", title="Sources", url_path="sources"),
]
st.navigation(pages).run()
