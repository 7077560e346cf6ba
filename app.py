"""Genius Loci — the Streamlit entry point: navigation over the home page and the iterations.

Pages live in pages/ and only read widgets, call policy_engine and draw; pages/shared.py holds the
session's project, saving and the sidebar.
"""

from __future__ import annotations

import streamlit as st

from pages.session import keep_in_address, restore_session
from pages.shared import guarded, tr

st.set_page_config(page_title="Genius Loci", page_icon=":material/explore:", layout="wide")
guarded(restore_session)  # a reload (F5) keeps the language, the author's name and the open project

PAGES = [
    st.Page("pages/home.py", title=tr("nav.home"), icon=":material/home:", url_path="home", default=True),
    st.Page("pages/1_identity_audit.py", title=tr("iter.1"), icon=":material/fingerprint:", url_path="identity-audit"),
    st.Page("pages/2_clustering.py", title=tr("iter.2"), icon=":material/hub:", url_path="clustering"),
    st.Page("pages/3_measure_design.py", title=tr("iter.3"), icon=":material/tune:", url_path="measure-design"),
    st.Page("pages/4_pilots.py", title=tr("iter.4"), icon=":material/science:", url_path="pilots"),
    st.Page("pages/5_promotion.py", title=tr("iter.5"), icon=":material/campaign:", url_path="promotion"),
    st.Page("pages/6_monitoring.py", title=tr("iter.6"), icon=":material/monitoring:", url_path="monitoring"),
    st.Page("pages/workshop.py", title=tr("nav.workshop"), icon=":material/groups:", url_path="workshop"),
    st.Page("pages/roadmap.py", title=tr("nav.roadmap"), icon=":material/description:", url_path="roadmap"),
]
page = st.navigation(PAGES)
keep_in_address()
# Each page draws the shared sidebar itself (pages.shared.sidebar). An error a page does not handle shows
# a short message with an incident reference; the traceback goes to the server log (pages.shared.guarded).
guarded(page.run)
