"""The server `scripts/app.sh` starts: the Streamlit app (app.py) and, beside it, the participants'
light HTTP routes of workshop mode (policy_engine/web.py: /ws and /api/ws/…), in one process.

`streamlit run server.py` finds the `st.App` below and serves it with uvicorn, with every `--server.*`
option as usual; app.py stays a plain Streamlit script (AppTest runs it directly).
"""

import streamlit as st

from policy_engine.web import routes

app = st.App("app.py", routes=routes())
