"""What every page shares: the store, the language, the open project, saving, and the sidebar.

Streamlit code only; everything worth testing is in policy_engine. The open project lives in
`st.session_state` (`project`, `version`, `passphrase`) and every edit is saved through the
store, which refuses a save over someone else's newer version: the page then shows what they
changed and offers to reload, so nothing is overwritten silently.
"""

from __future__ import annotations

import threading

import streamlit as st

# the open project and the address (pages/session.py), re-exported so pages keep one place to import from
from pages.session import close_project, open_project, remember_author  # noqa: F401
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


def current() -> Project | None:
    return st.session_state.get("project")


def author() -> str:
    """The name written into every version this session saves (typed once on the home page)."""
    return st.session_state.get("author_name") or tr("author.unnamed")


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

