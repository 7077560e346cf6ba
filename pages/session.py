"""The session: which project is open, and keeping it, the language and the author's name across a
reload (F5) in the address; a protected project's unlock as a random server-side token, never the
passphrase. app.py calls restore_session and keep_in_address on every run."""

from __future__ import annotations

import os

import streamlit as st

from policy_engine.i18n import LANGS
from policy_engine.store.database import StoreError, client_key


@st.cache_resource
def unlocks() -> dict:
    """Server-side unlocks of protected projects: token -> (project id, passphrase, expiry). The URL
    carries only the random token, so a reload (F5) keeps the project open without asking again and
    without the passphrase ever being in the address bar or the browser's history."""
    return {}


UNLOCK_HOURS = 12


def client() -> str | None:
    """Who is guessing passphrases, for the store's per-client limit: the browser connection's address
    (st.context.ip_address, the TCP peer, which a browser cannot forge). Behind a reverse proxy every
    browser comes from the proxy's address (localhost gives None: no per-client limit), so name the
    header the proxy sets in GENIUS_LOCI_CLIENT_HEADER (e.g. X-Real-IP; for X-Forwarded-For the last
    address, the one the proxy appended, is used). Set it only behind a proxy that sets that header,
    or a browser could send any address it likes."""
    header = os.environ.get("GENIUS_LOCI_CLIENT_HEADER")
    if header:
        value = st.context.headers.get(header) or ""
        return client_key(value.split(",")[-1])
    return client_key(st.context.ip_address)


def open_project(project_id: str, passphrase: str | None = None, token: str | None = None) -> None:
    """Load the newest version into the session (raises StoreError, e.g. AccessDenied); the URL keeps
    which project is open, so a reload reopens it."""
    from pages.shared import get_store  # here, not at the top: pages.shared re-exports this module's functions

    loaded = get_store().load(project_id, passphrase=passphrase, client=client())
    st.session_state.update(
        project=loaded.project, version=loaded.version, read_only=loaded.read_only, passphrase=passphrase, conflict=None
    )
    st.query_params["project"] = project_id
    if passphrase:
        import secrets
        import time

        token = token or secrets.token_urlsafe(24)
        unlocks()[token] = (project_id, passphrase, time.time() + UNLOCK_HOURS * 3600)
        st.query_params["unlock"] = st.session_state["unlock_token"] = token
    else:
        st.query_params.pop("unlock", None)
        st.session_state.pop("unlock_token", None)


def close_project() -> None:
    # the home form's passphrase goes too: "Open" after "Close" must ask for it again
    for key in ("project", "version", "read_only", "passphrase", "conflict", "open_passphrase"):
        st.session_state.pop(key, None)
    token = st.session_state.pop("unlock_token", None) or st.query_params.get("unlock")
    if token:
        unlocks().pop(token, None)
    for key in ("project", "unlock"):
        st.query_params.pop(key, None)


def restore_session() -> None:
    """After a reload: the language, the author's name and the open project from the URL."""
    import time

    params = st.query_params
    if "lang" not in st.session_state and params.get("lang") in LANGS:
        st.session_state["lang"] = params["lang"]
    if "author_name" not in st.session_state and params.get("by"):
        st.session_state["author_name"] = params["by"][:80]
    wanted = params.get("project")
    if not wanted or st.session_state.get("project") is not None:
        return
    secret = None
    token = params.get("unlock")
    if token:
        entry = unlocks().get(token)
        if entry and entry[0] == wanted and entry[2] > time.time():
            secret = entry[1]
        else:
            unlocks().pop(token, None)
    try:
        open_project(wanted, secret, token if secret else None)
    except StoreError:  # gone, or locked again: the home page asks
        for key in ("project", "unlock"):
            params.pop(key, None)


def keep_in_address() -> None:
    """Write the open project, the language and the author's name into the address on every run: a page
    switch clears the query string, and a reload (F5) must find them there."""
    project = st.session_state.get("project")
    wanted = {
        "project": project.id if project is not None else None,
        "unlock": st.session_state.get("unlock_token") if project is not None else None,
        "lang": st.session_state.get("lang"),
        "by": st.session_state.get("author_name") or None,
    }
    for k, v in wanted.items():
        if v is None:
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get(k) != v:
            st.query_params[k] = v


def remember_author(key: str) -> None:
    name = (st.session_state.get(key) or "").strip()[:80]
    st.session_state["author_name"] = name
    if name:
        st.query_params["by"] = name
    else:
        st.query_params.pop("by", None)
