"""What every page shares: the store, the language, the open project, saving, and the sidebar.

Streamlit code only; everything worth testing is in policy_engine. The open project lives in
`st.session_state` (`project`, `version`, `passphrase`) and every edit is saved through the
store, which refuses a save over someone else's newer version: the page then shows what they
changed and offers to reload, so nothing is overwritten silently.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

import streamlit as st

# the open project and the address (pages/session.py), re-exported so pages keep one place to import from
from pages.session import close_project, open_project, remember_author  # noqa: F401
from policy_engine.i18n import LANG_NAMES, LANGS, t, t_md
from policy_engine.literal import md_literal, plain  # user text: md_literal in Markdown, plain elsewhere
from policy_engine.method.catalogue import Catalogue, default_catalogue
from policy_engine.project.model import Project
from policy_engine.store.database import Conflict, DatabaseError, Invalid, Store, StoreError
from policy_engine.wizard.progress import iteration_status


def _through_app_py() -> None:
    """Send a run that Streamlit started on a page file itself back through app.py.

    Streamlit 1.67 runs the entry point's `pages/` folder the old multipage way (each file a page of its
    own, named after the file) until the first st.navigation call in the server process. So after a
    restart, a first visit to a bookmarked /clustering ran pages/2_clustering.py on its own: no
    set_page_config, no restored session, no error guard (`guarded`), and a sidebar listing "session"
    and "shared" as pages — until someone opened "/". Checked with a real server and Chromium. Every
    page imports this module, so its first import in a process ends that mode and reruns, through
    app.py, on the same address."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_through_app_py()


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


def tr_md(key: str, **values: object) -> str:
    """`tr` for a place that renders Markdown (st.markdown, captions, alerts, labels, metrics, radio options):
    the text values put into it are the user's and are escaped first."""
    return t_md(key, lang(), **values)


@st.cache_resource(show_spinner=False)
def chart_worker() -> bool:
    """Start the roadmap's chart worker once per server, in the background, so the first PDF a user
    asks for does not also wait for the worker's start (about 1 s; policy_engine/documents/figures.py)."""
    from policy_engine.documents import figures

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


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def offer_download(data, key: str, column_config: dict | None = None, column_order: list[str] | None = None) -> None:
    """The app's own download of a table it shows, as CSV and XLSX: the columns and headers the grid
    shows, choices as their labels, and every cell a spreadsheet would run as a formula neutralised
    (policy_engine/documents/exports.py). The grids' built-in CSV download is switched off
    (`client.disableDataExport` in .streamlit/config.toml): it wrote `=HYPERLINK(…)` as typed
    (PITFALLS §8). The files are made only when a button is clicked (a callable `data`)."""
    from policy_engine.documents import exports

    rows = editor_rows(data)
    if not rows:  # an empty table has nothing to take away
        return
    columns = (
        [str(c) for c in data.columns]
        if hasattr(data, "columns")
        else list(dict.fromkeys(str(k) for row in rows for k in row))
    )
    shown, headers, labels = exports.grid_layout(columns, column_config, column_order)
    project = current()
    name = f"{project.id + '-' if project else ''}{key.removesuffix('_editor').removesuffix('_table')}".replace(
        "_", "-"
    )
    with st.container(horizontal=True, key=f"{key}_downloads"):
        st.download_button(
            tr("export.csv"),
            lambda: exports.table_csv(rows, shown, headers, labels, lang=lang()),
            file_name=f"{name}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
            type="tertiary",
            icon=":material/download:",
            help=tr("export.help"),
        )
        st.download_button(
            tr("export.xlsx"),
            lambda: exports.table_xlsx(rows, shown, headers, labels),
            file_name=f"{name}.xlsx",
            mime=XLSX_MIME,
            key=f"{key}_xlsx",
            on_click="ignore",
            type="tertiary",
            icon=":material/download:",
            help=tr("export.help"),
        )


def grid(data, key: str, download: bool = True, **kwargs):
    """st.dataframe with the app's own download under it (offer_download); every table a page shows
    goes through here or `editor`. `download=False` for a preview of the user's own file."""
    shown = st.dataframe(data, key=key, **kwargs)
    if download:
        offer_download(data, key, kwargs.get("column_config"), kwargs.get("column_order"))
    return shown


def editor(data, key: str, **kwargs):
    """st.data_editor with the app's own download of what the grid now holds (offer_download)."""
    edited = st.data_editor(data, key=key, **kwargs)
    offer_download(edited, key, kwargs.get("column_config"), kwargs.get("column_order"))
    return edited


def money_unit(project: Project) -> str:
    """The project's money unit in the user's language, e.g. "млн KZT" (the unit may be the user's text:
    `plain` here, and escaped by `tr_md` where it goes into Markdown)."""
    from policy_engine.wizard.measure_design import money_unit as unit_in

    return plain(unit_in(project, lang()))


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
        version = get_store().save(
            project, st.session_state["version"], author(), passphrase=st.session_state.get("passphrase"), note=note
        )
    except Conflict as exc:
        st.session_state["conflict"] = exc
        return False
    except Invalid as exc:
        show_issues(exc.issues)
        return False
    except StoreError as exc:
        st.error(store_error_text(exc))
        return False
    same = version == st.session_state["version"]
    st.session_state.update(
        project=project,
        version=version,
        conflict=None,
        flash=tr("edit.no_change") if same else tr("saved", version=version),
    )
    return True


def store_error_text(exc: StoreError) -> str:
    """A refusal of the store for st.error: a database failure as its coded text and incident
    reference (the SQL is in the server log only), anything else with the store's own words."""
    if isinstance(exc, DatabaseError):
        return tr(f"error.database.{exc.code}", incident=exc.incident)
    return tr_md("error.generic", message=str(exc))


def guarded(run: Callable[[], object]) -> None:
    """Run a page (or the session's restore) so that an error nobody planned for shows the user a
    short message in their language with an incident reference, never a traceback, an SQL statement
    or an exception's text: those go to the server log (policy_engine/incidents.py). st.rerun,
    st.stop and st.switch_page raise Streamlit's ScriptControlException, a BaseException, so
    `except Exception` lets them through (tests/pages/test_pages_errors.py checks that stays so).
    GENIUS_LOCI_DEBUG=1 lets the error through to Streamlit instead (the test suite sets it, so a
    page that breaks still fails its smoke test)."""
    from policy_engine import incidents

    try:
        run()
    except Exception as exc:
        if os.environ.get("GENIUS_LOCI_DEBUG"):
            raise
        incident = exc.incident if isinstance(exc, DatabaseError) else incidents.record(exc, "page run")
        try:
            text = (
                store_error_text(exc) if isinstance(exc, DatabaseError) else tr("error.unexpected", incident=incident)
            )
        except Exception:  # the texts themselves failed: still no details
            text = f"Internal error — incident {incident}"
        st.error(text, icon=":material/error:")


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
        st.markdown(
            "\n".join(f"- {md_literal(c.describe(lang(), catalogue()))}" for c in conflict.changes[:12])
            or md_literal(str(conflict))
        )
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
        st.radio(
            tr("sidebar.language"),
            LANGS,
            index=LANGS.index(lang()),
            format_func=LANG_NAMES.get,
            key=key,
            horizontal=True,
            on_change=_remember_language,
            args=(key,),
        )
        project = current()
        if project is None:
            st.caption(tr("sidebar.no_project"))
            return
        st.markdown(f"**{tr_md('sidebar.project', region=project.region.name)}**")
        st.caption(tr("sidebar.cycle_version", cycle=project.cycle, version=st.session_state.get("version")))
        if st.session_state.get("read_only"):
            st.warning(tr("sidebar.read_only"))
        st.markdown(f"**{tr('sidebar.progress')}**")
        for status in iteration_status(project, catalogue()):  # i18n texts only; no HTML anywhere in the pages
            mark = ":material/check_circle:" if status.done else ":material/radio_button_unchecked:"
            missing = ", ".join(tr(k, **status.values) for k in status.missing)
            todo = tr("done") if status.done else tr("todo", items=missing)
            st.markdown(f"{mark} {tr(status.title_key)}")
            st.caption(todo)
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
