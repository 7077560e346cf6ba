"""The server `scripts/app.sh` starts: the Streamlit app (app.py) and, beside it, the participants'
light HTTP routes of workshop mode (policy_engine/web.py: /ws and /api/ws/…), in one process.

`streamlit run server.py` finds the `st.App` below and serves it with uvicorn, with every `--server.*`
option as usual; app.py stays a plain Streamlit script (AppTest runs it directly).
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from policy_engine.web import routes

# Streamlit 1.67 treats a `pages/` folder beside the entry point as the old multipage mode until the first
# st.navigation call in the process: the first visit after a start drew a menu of file names ("app",
# "session", "shared", …) and ran a deep-linked page file on its own. The app's pages are declared by
# st.navigation in app.py, so that mode is switched off before any session starts (pages/shared.py keeps
# a fallback for `streamlit run app.py`). Checked by tests/e2e/test_errors.py on a freshly started server.
PagesManager.uses_pages_directory = False

app = st.App("app.py", routes=routes())
