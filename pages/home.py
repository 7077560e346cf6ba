"""Home: list, create, open, import and export projects; the East Kazakhstan sample in one click."""

from __future__ import annotations

import streamlit as st

from pages.shared import (
    author,
    catalogue,
    current,
    get_store,
    grid,
    lang,
    open_project,
    plain,
    remember_author,
    show_issues,
    sidebar,
    store_error_text,
    tr,
    tr_md,
)
from policy_engine.project.sample import load_sample
from policy_engine.store.database import AccessDenied, AlreadyExists, Invalid, StoreError, Throttled
from policy_engine.wizard import frame

sidebar()
store = get_store()
st.title(tr("app.title"))
st.caption(tr("app.tagline"))
if st.session_state.get("flash"):
    st.success(st.session_state.pop("flash"))
st.text_input(
    tr("home.author"),
    value=st.session_state.get("author_name", ""),
    key="author_input",
    on_change=remember_author,
    args=("author_input",),
)

if st.button(tr("home.sample"), key="open_sample", type="primary"):
    sample = load_sample("east-kazakhstan")
    try:
        store.create(sample, author(), note="sample")
    except AlreadyExists:
        pass  # opened as it is now, with everyone's edits
    try:
        open_project(sample.id)
    except AccessDenied:
        st.error(tr("error.locked"))
    else:
        st.session_state["flash"] = tr("home.sample_done")
        st.rerun()  # so the sidebar, drawn before this page, shows the project

project = current()
if project is not None:
    st.info(tr_md("home.open_project_info", region=project.region.name))
    st.download_button(
        tr("home.export"),
        data=store.export_json(project.id, passphrase=st.session_state.get("passphrase")),
        file_name=f"{project.id}.json",
        mime="application/json",
        key="export",
    )

st.header(tr("home.projects"))
projects = store.list_projects()
if not projects:
    st.caption(tr("home.no_projects"))
else:
    grid(
        [
            {
                tr("home.col.id"): p.id,
                tr("home.col.region"): p.region_name or f"🔒 {tr('home.protected')}",
                tr("home.col.cycle"): p.cycle or "—",
                tr("home.col.version"): p.head_version or "—",
                tr("home.col.updated"): p.updated_at.strftime("%Y-%m-%d %H:%M") if p.updated_at else "—",
            }
            for p in projects
        ],
        key="projects_table",
        hide_index=True,
        width="stretch",
    )
    with st.form("open_form"):
        # the region's name, as people know the project; a protected project shows only its id
        label = {p.id: plain(p.region_name) if p.region_name else f"🔒 {p.id}" for p in projects}
        same_name = {n for n in label.values() if list(label.values()).count(n) > 1}
        label = {i: f"{n} ({i})" if n in same_name else n for i, n in label.items()}
        chosen = st.selectbox(tr("home.choose"), [p.id for p in projects], key="open_id", format_func=label.get)
        secret = st.text_input(tr("home.passphrase"), type="password", key="open_passphrase")
        if st.form_submit_button(tr("home.open")):
            try:
                open_project(chosen, secret or None)
                st.rerun()
            except Throttled as exc:
                st.error(tr("error.throttled_client" if exc.by_client else "error.throttled", seconds=exc.seconds))
            except AccessDenied:
                st.error(tr("error.locked") if not secret else tr("error.wrong_passphrase"))

with st.expander(tr("home.create")):
    with st.form("create_form"):
        region = st.text_input(tr("home.create.region"), key="create_region")
        country_name = {c.id: c.name.get(lang()) for c in catalogue().countries}
        usual = {"kk": "KZ", "ru": "RU"}.get(lang())  # the country of the interface's language first
        ids = list(country_name)
        country = st.selectbox(
            tr("home.create.country"),
            ids,
            format_func=country_name.get,
            index=ids.index(usual) if usual in ids else 0,
            key=f"create_country_{lang()}",
        )  # the language in the key: a switch redraws the labels
        new_id = st.text_input(tr("home.create.id"), key="create_id", help=tr("home.create.id_help"))
        secret = st.text_input(tr("home.create.protect"), type="password", key="create_passphrase")
        if st.form_submit_button(tr("home.create.submit")):
            fresh, issues = frame.new_project(
                catalogue(), region, country, new_id, secret or None, taken={p.id for p in projects}
            )
            if issues:
                show_issues(issues)
            else:
                try:
                    store.create(fresh, author(), passphrase=secret or None)
                    open_project(fresh.id, secret or None)
                except Invalid as exc:
                    show_issues(exc.issues)
                except StoreError as exc:
                    st.error(store_error_text(exc))
                else:
                    st.session_state["flash"] = tr_md("home.created", region=fresh.region.name)
                    st.rerun()

with st.expander(tr("home.import")):
    upload = st.file_uploader(tr("home.import"), type=["json"], key="import_file", label_visibility="collapsed")
    if upload is not None and st.button(tr("home.import"), key="import_button"):
        try:
            pid, _ = store.import_json(upload.getvalue(), author())
            open_project(pid)
            st.session_state["flash"] = tr_md("home.imported", id=pid)
            st.rerun()
        except Invalid as exc:
            show_issues(exc.issues, "home.import_refused")
        except StoreError as exc:
            st.error(store_error_text(exc))
