"""Home: list, create, open, import and export projects; the East Kazakhstan sample in one click."""

from __future__ import annotations

import streamlit as st

from pages.shared import catalogue, current, get_store, lang, open_project, sidebar, tr
from policy_engine.project import Project, Region
from policy_engine.sample import load_sample
from policy_engine.store import AccessDenied, AlreadyExists, StoreError

sidebar()
store = get_store()
st.title(tr("app.title"))
st.caption(tr("app.tagline"))
if st.session_state.get("flash"):
    st.success(st.session_state.pop("flash"))
st.text_input(tr("home.author"), key="author")

if st.button(tr("home.sample"), key="open_sample", type="primary"):
    sample = load_sample("east-kazakhstan")
    try:
        store.create(sample, st.session_state.get("author") or "facilitator", note="sample")
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
    st.info(tr("home.open_project_info", region=project.region.name))
    st.download_button(tr("home.export"), data=store.export_json(project.id, passphrase=st.session_state.get("passphrase")),
                       file_name=f"{project.id}.json", mime="application/json", key="export")

st.header(tr("home.projects"))
projects = store.list_projects()
if not projects:
    st.caption(tr("home.no_projects"))
else:
    st.dataframe([{tr("home.col.id"): p.id, tr("home.col.region"): p.region_name or f"🔒 {tr('home.protected')}",
                   tr("home.col.cycle"): p.cycle, tr("home.col.version"): p.head_version,
                   tr("home.col.updated"): p.updated_at.strftime("%Y-%m-%d %H:%M")} for p in projects],
                 hide_index=True, width="stretch")
    with st.form("open_form"):
        chosen = st.selectbox(tr("home.choose"), [p.id for p in projects], key="open_id")
        secret = st.text_input(tr("home.passphrase"), type="password", key="open_passphrase")
        if st.form_submit_button(tr("home.open")):
            try:
                open_project(chosen, secret or None)
                st.rerun()
            except AccessDenied as exc:
                st.error(tr("error.locked") if not secret else tr("error.generic", message=str(exc)))

with st.expander(tr("home.create")):
    with st.form("create_form"):
        new_id = st.text_input(tr("home.create.id"), key="create_id")
        region = st.text_input(tr("home.create.region"), key="create_region")
        country = st.selectbox(tr("home.create.country"), [c.id for c in catalogue().countries],
                               format_func=lambda c, lg=lang(): catalogue().country(c).name.get(lg),
                               key=f"create_country_{lang()}")  # the language in the key: a switch redraws the labels
        secret = st.text_input(tr("home.create.protect"), type="password", key="create_passphrase")
        if st.form_submit_button(tr("home.create.submit")):
            try:
                fresh = Project(id=new_id.strip(), region=Region(name=region.strip(), country=country))
                store.create(fresh, st.session_state.get("author") or "facilitator", passphrase=secret or None)
                open_project(fresh.id, secret or None)
                st.session_state["flash"] = tr("home.created", id=fresh.id)
                st.rerun()
            except (ValueError, StoreError) as exc:
                st.error(tr("error.generic", message=str(exc)))

with st.expander(tr("home.import")):
    upload = st.file_uploader(tr("home.import"), type=["json"], key="import_file", label_visibility="collapsed")
    if upload is not None and st.button(tr("home.import"), key="import_button"):
        try:
            pid, _ = store.import_json(upload.getvalue(), st.session_state.get("author") or "facilitator")
            open_project(pid)
            st.session_state["flash"] = tr("home.imported", id=pid)
            st.rerun()
        except StoreError as exc:
            st.error(tr("error.generic", message=str(exc)))
