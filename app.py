"""Streamlit entry point: `streamlit run app.py [-- --data DIR]`. Layout only."""
import streamlit as st

from views import sources_view, timeline_view

st.set_page_config(page_title="Fentanyl diplomacy: a sourced timeline", page_icon="🗓️", layout="wide")

pages = [
    st.Page(timeline_view.render, title="Timeline", icon="📈", url_path="timeline", default=True),
    st.Page(sources_view.render, title="Sources", icon="📰", url_path="sources"),
]
st.navigation(pages).run()
