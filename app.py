"""Streamlit entry point: `streamlit run app.py [-- --data DIR]`. Layout only."""
import streamlit as st

from timeline.data.story import read_story
from views.common import data_folder, warm_up
from views.editing import write_pages_visible

# story.toml alone (one small file): the page loads the data itself, and reports problems in story.toml with the rest
st.set_page_config(page_title=f"{read_story(data_folder(), []).title}: a sourced timeline", layout="wide")

pages = [
    st.Page("views/page_timeline.py", title="Timeline", url_path="timeline", default=True),
    st.Page("views/page_sources.py", title="Sources", url_path="sources"),
    st.Page("views/page_lens.py", title="Source lens", url_path="lens"),
    st.Page("views/page_present.py", title="Present", url_path="present"),
]
# Write pages: listed only when someone may write (views/editing.py); hidden otherwise, so their URL shows why
write = "visible" if write_pages_visible() else "hidden"
pages.append(st.Page("views/page_curate.py", title="Curate", url_path="curate", visibility=write))
pages.append(st.Page("views/page_lessons.py", title="Lessons", url_path="lessons", visibility=write))
pages.append(st.Page("views/page_review.py", title="Review", url_path="review", visibility=write))
pages.append(st.Page("views/page_edit.py", title="Edit", url_path="edit", visibility=write))
try:
    st.navigation(pages).run()
finally:  # the page is sent: the rest of data read from the disk cache is unpickled while the browser draws it
    warm_up()
