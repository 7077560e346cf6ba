"""What every page shares: the store, the language, the open project, saving, and the sidebar.

Streamlit code only; everything worth testing is in policy_engine. The open project lives in
`st.session_state` (`project`, `version`, `passphrase`) and every edit is saved through the
store, which refuses a save over someone else's newer version: the page then shows what they
changed and offers to reload, so nothing is overwritten silently.
"""

from __future__ import annotations

import threading

import streamlit as st

from policy_engine.catalogue import Catalogue, default_catalogue
from policy_engine.i18n import LANG_NAMES, LANGS, t
from policy_engine.progress import iteration_status
from policy_engine.project import Project
from policy_engine.store import Conflict, Invalid, Store, StoreError


@st.cache_resource
def get_store() -> Store:
    """One store (engine and connection pool) per server process; see PITFALLS §2."""
    return Store()


@st.cache_resource
def catalogue() -> Catalogue:
    return default_catalogue()


def lang() -> str:
    return st.session_state.get("lang", "ru")


def tr(key: str, **values: object) -> str:
    return t(key, lang(), **values)


@st.cache_resource(show_spinner=False)
def chart_worker() -> bool:
    """Start the roadmap's chart worker once per server, in the background, so the first PDF a user
    asks for does not also wait for the worker's start (about 1 s; policy_engine/figures.py)."""
    from policy_engine import figures

    threading.Thread(target=figures.start_worker, daemon=True, name="chart-worker-start").start()
    return True


def show_row_errors(errors: list[str], key: str = "pilots.row_errors") -> None:
    """A table's bad rows, one per line, when a save was refused (nothing of it is saved)."""
    st.error(tr(key) + "\n" + "\n".join(f"- {md_literal(e)}" for e in errors))


def show_issues(issues, key: str = "edit.refused") -> None:
    """An edit's coded issues in the user's language (user text in them is shown literally)."""
    show_row_errors([i.text(lang()) for i in issues], key)


def apply_edit(edit, note: str = "", key: str = "edit.refused", clear: dict | None = None) -> None:
    """Save an edit operation's result, or show why it was refused (nothing is saved then, and the
    form keeps what was typed). An edit that changes nothing saves nothing and says so. After a
    saved "add", the widgets named in `clear` (key -> empty value) start empty for the next item."""
    if not edit.ok:
        show_issues(edit.issues, key)
        return
    if not edit.changed:
        st.info(tr("edit.no_change"))
        return
    if save(edit.project, note):
        if clear:
            st.session_state["_reset_widgets"] = dict(clear)
        st.rerun()
    elif st.session_state.get("conflict") is not None:
        st.rerun()


def _reset_widgets() -> None:
    """Set the widgets a saved "add" emptied, before they are drawn (the way Streamlit lets a value be set)."""
    for k, v in (st.session_state.pop("_reset_widgets", None) or {}).items():
        st.session_state[k] = v


def table(rows: list[dict], columns: list[str]):
    """Rows for st.data_editor as a DataFrame that keeps every column even when there is no row, so a
    new project's empty table still shows its columns and "add row" (PITFALLS §8).

    No column is marked `required`: the grid would hold back a half-filled new row (with an English
    tooltip) instead of handing it to the engine, which says in the user's language what is missing."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "object" for c in columns if frame[c].dtype == "float64" and frame.empty})


def editor_rows(edited) -> list[dict]:
    """What st.data_editor handed back, as a list of row dicts (it returns the type it was given)."""
    if hasattr(edited, "to_dict"):
        return edited.to_dict("records")
    return list(edited)


def money_unit(project: Project) -> str:
    """The project's money unit in the user's language, e.g. "млн KZT"."""
    from policy_engine.measure_design import money_unit as unit_in

    return unit_in(project, lang())


def md_literal(text: str) -> str:
    """User text for st.markdown that shows as typed: markdown's special characters escaped."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~$" else ch for ch in text)


def industry_name(industry_id: str) -> str:
    """An industry's name in the user's language (from the catalogue)."""
    return catalogue().industry(industry_id).name.get(lang())


@st.cache_resource
def unlocks() -> dict:
    """Server-side unlocks of protected projects: token -> (project id, passphrase, expiry). The URL
    carries only the random token, so a reload (F5) keeps the project open without asking again and
    without the passphrase ever being in the address bar or the browser's history."""
    return {}


UNLOCK_HOURS = 12


def open_project(project_id: str, passphrase: str | None = None, token: str | None = None) -> None:
    """Load the newest version into the session (raises StoreError, e.g. AccessDenied); the URL keeps
    which project is open, so a reload reopens it."""
    loaded = get_store().load(project_id, passphrase=passphrase)
    st.session_state.update(project=loaded.project, version=loaded.version, read_only=loaded.read_only,
                            passphrase=passphrase, conflict=None)
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
    wanted = {"project": project.id if project is not None else None,
              "unlock": st.session_state.get("unlock_token") if project is not None else None,
              "lang": st.session_state.get("lang"), "by": st.session_state.get("author_name") or None}
    for k, v in wanted.items():
        if v is None:
            if k in st.query_params:
                del st.query_params[k]
        elif st.query_params.get(k) != v:
            st.query_params[k] = v


def current() -> Project | None:
    return st.session_state.get("project")


def author() -> str:
    """The name written into every version this session saves (typed once on the home page)."""
    return st.session_state.get("author_name") or tr("author.unnamed")


def remember_author(key: str) -> None:
    name = (st.session_state.get(key) or "").strip()[:80]
    st.session_state["author_name"] = name
    if name:
        st.query_params["by"] = name
    else:
        st.query_params.pop("by", None)


def save(project: Project, note: str = "") -> bool:
    """Save the edited project as a new version; on a conflict keep the edit and show the choice."""
    try:
        version = get_store().save(project, st.session_state["version"], author(),
                                   passphrase=st.session_state.get("passphrase"), note=note)
    except Conflict as exc:
        st.session_state["conflict"] = exc
        return False
    except Invalid as exc:
        show_issues(exc.issues)
        return False
    except StoreError as exc:
        st.error(tr("error.generic", message=str(exc)))
        return False
    same = version == st.session_state["version"]
    st.session_state.update(project=project, version=version, conflict=None,
                            flash=tr("edit.no_change") if same else tr("saved", version=version))
    return True


def save_and_rerun(project: Project, note: str = "") -> None:
    """Save, then draw the page again: from the saved project, or with the conflict banner on top
    (the widgets keep the user's unsaved input across the rerun, so nothing typed is lost)."""
    if save(project, note) or st.session_state.get("conflict") is not None:
        st.rerun()


def show_conflict() -> None:
    """If the last save was refused, say who changed what and offer to load the newest version."""
    conflict: Conflict | None = st.session_state.get("conflict")
    if conflict is None:
        return
    with st.container(border=True):
        st.error(tr("conflict.title"))
        st.markdown("\n".join(f"- {md_literal(c.describe(lang(), catalogue()))}" for c in conflict.changes[:12])
                    or str(conflict))
        if st.button(tr("conflict.reload"), key="conflict_reload"):
            open_project(conflict.project_id, st.session_state.get("passphrase"))
            st.rerun()


def _remember_language(key: str) -> None:
    st.session_state["lang"] = st.session_state[key]
    st.query_params["lang"] = st.session_state[key]


def sidebar() -> None:
    """Language switch, the open project, and what each iteration still needs."""
    with st.sidebar:
        # The widget's state belongs to the page it is drawn on, so the choice is kept under "lang",
        # which every page reads; otherwise opening another page would fall back to Russian.
        key = f"lang_choice_{lang()}"
        st.radio(tr("sidebar.language"), LANGS, index=LANGS.index(lang()), format_func=LANG_NAMES.get,
                 key=key, horizontal=True, on_change=_remember_language, args=(key,))
        project = current()
        if project is None:
            st.caption(tr("sidebar.no_project"))
            return
        st.markdown(f"**{md_literal(tr('sidebar.project', region=project.region.name))}**")
        st.caption(tr("sidebar.cycle_version", cycle=project.cycle, version=st.session_state.get("version")))
        if st.session_state.get("read_only"):
            st.warning(tr("sidebar.read_only"))
        st.markdown(f"**{tr('sidebar.progress')}**")
        for status in iteration_status(project):
            mark = ":material/check_circle:" if status.done else ":material/radio_button_unchecked:"
            todo = tr("done") if status.done else tr("todo", items=", ".join(tr(k) for k in status.missing))
            st.markdown(f"{mark} {tr(status.title_key)}  \n<small>{todo}</small>", unsafe_allow_html=True)
        if st.button(tr("sidebar.close_project"), key="close_project"):
            close_project()
            st.rerun()


def require_project() -> Project | None:
    """The open project, or guidance (not an error) when none is open."""
    project = current()
    if project is None:
        st.info(tr("guide.no_project"))
        st.page_link("pages/home.py", label=tr("guide.go_home"), icon=":material/home:")
        return None
    _reset_widgets()
    flash = st.session_state.pop("flash", None)
    if flash:
        st.success(flash)
    show_conflict()
    return project.model_copy(deep=True)  # pages edit a copy; the session keeps the saved one
