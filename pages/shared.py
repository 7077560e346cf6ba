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
from policy_engine.store import Conflict, Store, StoreError


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
    st.error(tr(key) + "\n" + "\n".join(f"- {e}" for e in errors))


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


def open_project(project_id: str, passphrase: str | None = None) -> None:
    """Load the newest version into the session (raises StoreError, e.g. AccessDenied)."""
    loaded = get_store().load(project_id, passphrase=passphrase)
    st.session_state.update(project=loaded.project, version=loaded.version, read_only=loaded.read_only,
                            passphrase=passphrase, conflict=None)


def close_project() -> None:
    for key in ("project", "version", "read_only", "passphrase", "conflict"):
        st.session_state.pop(key, None)


def current() -> Project | None:
    return st.session_state.get("project")


def author() -> str:
    return st.session_state.get("author") or "facilitator"


def save(project: Project, note: str = "") -> bool:
    """Save the edited project as a new version; on a conflict keep the edit and show the choice."""
    try:
        version = get_store().save(project, st.session_state["version"], author(),
                                   passphrase=st.session_state.get("passphrase"), note=note)
    except Conflict as exc:
        st.session_state["conflict"] = exc
        return False
    except StoreError as exc:
        st.error(tr("error.generic", message=str(exc)))
        return False
    st.session_state.update(project=project, version=version, conflict=None, flash=tr("saved", version=version))
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
        st.markdown("\n".join(f"- {c.describe()}" for c in conflict.changes[:12]) or str(conflict))
        if st.button(tr("conflict.reload"), key="conflict_reload"):
            open_project(conflict.project_id, st.session_state.get("passphrase"))
            st.rerun()


def _remember_language(key: str) -> None:
    st.session_state["lang"] = st.session_state[key]


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
        st.markdown(f"**{tr('sidebar.project', region=project.region.name)}**")
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
    flash = st.session_state.pop("flash", None)
    if flash:
        st.success(flash)
    show_conflict()
    return project.model_copy(deep=True)  # pages edit a copy; the session keeps the saved one
