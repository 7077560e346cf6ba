"""Iteration 1 — identity audit: region profile, identity elements, creative economy, actors."""

from __future__ import annotations

import streamlit as st

from pages.shared import catalogue, industry_name, lang, require_project, save_and_rerun, show_row_errors, sidebar, tr
from policy_engine import audit, charts
from policy_engine.clusters import growth_points
from policy_engine.location_quotients import gva_shares, location_quotients
from policy_engine.project import EmploymentRecord
from policy_engine.register import RegisterError, read_register

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
st.title(tr("iter.1"))
st.caption(tr("audit.intro"))


def show_audit_errors(errors: list[str]) -> None:
    show_row_errors(errors, "audit.row_errors")


# --- region profile -----------------------------------------------------------------------------
with st.expander(tr("audit.profile"), expanded=not project.region.positioning):
    with st.form("profile_form"):
        name = st.text_input(tr("audit.region_name"), value=project.region.name, key="profile_name")
        capital = st.text_input(tr("audit.capital"), value=project.region.capital or "", key="profile_capital")
        population = st.number_input(tr("audit.population"), min_value=0, step=1000,
                                     value=project.region.population or 0, key="profile_population")
        positioning = st.text_area(tr("audit.positioning"), value=project.region.positioning or "",
                                   key="profile_positioning")
        if st.form_submit_button(tr("audit.save_profile")):
            project.region.name = name.strip() or project.region.name
            project.region.capital = capital.strip() or None
            project.region.population = int(population) or None
            project.region.positioning = positioning.strip() or None
            save_and_rerun(project, note="region profile")
    if project.region.profile:
        st.dataframe([{"": f.label, " ": f.value} for f in project.region.profile], hide_index=True, width="stretch")

# --- identity elements --------------------------------------------------------------------------
st.header(tr("audit.elements"))
st.caption(tr("audit.elements_help"))
score = {"min_value": 1, "max_value": 5, "step": 1, "required": True}
named_columns = {  # the columns the elements and actors tables share
    "id": st.column_config.TextColumn(tr("col.id")), "name": st.column_config.TextColumn(tr("col.name"), required=True),
    "municipality": st.column_config.TextColumn(tr("col.municipality")),
    "industries": st.column_config.TextColumn(tr("col.industries")),
}
edited = st.data_editor(
    audit.element_rows(project), key="elements_editor", num_rows="dynamic", width="stretch", hide_index=True,
    column_config={
        **named_columns, "description": st.column_config.TextColumn(tr("col.description")),
        "component": st.column_config.SelectboxColumn(tr("chart.component"), options=["material", "symbolic"], required=True),
        "layer": st.column_config.SelectboxColumn(tr("chart.layer"), options=[lyr.id for lyr in cat.identity.layers], required=True),
        "uniqueness": st.column_config.NumberColumn(cat.identity.scores.criteria[0].name.get(lg), **score),
        "recognition": st.column_config.NumberColumn(cat.identity.scores.criteria[1].name.get(lg), **score),
        "vitality": st.column_config.NumberColumn(cat.identity.scores.criteria[2].name.get(lg), **score),
    },
)
if st.button(tr("audit.save_elements"), key="save_elements"):
    elements, errors = audit.elements_from_rows(list(edited), cat, project.identity_elements)
    if errors:
        show_audit_errors(errors)
    else:
        project.identity_elements = elements
        save_and_rerun(project, note="identity elements")

if project.identity_elements:  # one element at a time, with large controls for a projector
    with st.expander(tr("audit.edit_one")):
        names = {e.id: e.name for e in project.identity_elements}
        chosen = st.selectbox(tr("audit.element"), list(names), format_func=names.get, key="edit_element")
        element = next(e for e in project.identity_elements if e.id == chosen)
        with st.form("element_form"):
            new_name = st.text_input(tr("col.name"), value=element.name, key=f"el_name_{chosen}")
            scores = {c.id: st.slider(c.name.get(lg), 1, 5, getattr(element.scores, c.id), key=f"el_{c.id}_{chosen}")
                      for c in cat.identity.scores.criteria}
            linked = st.multiselect(tr("clustering.industries"), [i.id for i in cat.industries], default=element.industries,
                                    format_func=lambda i: cat.industry(i).name.get(lg), key=f"el_ind_{chosen}_{lg}")  # the language in the key: a switch redraws the labels
            if st.form_submit_button(tr("audit.save_element")):
                i = project.identity_elements.index(element)
                project.identity_elements[i] = element.model_copy(update={
                    "name": new_name.strip() or element.name, "industries": linked,
                    "scores": element.scores.model_copy(update=scores)})
                save_and_rerun(project, note=f"identity element {chosen}")

rows = audit.layer_chart_rows(project, cat, lg)
labels = audit.chart_labels(lg)
st.subheader(tr("audit.strength_by_layer"))
st.altair_chart(charts.identity_by_layer(rows, labels), width="stretch")

# --- creative economy ---------------------------------------------------------------------------
st.header(tr("audit.economy"))
upload = st.file_uploader(tr("audit.upload"), type=["csv", "txt", "xlsx"], key="register_file")
if upload is not None and st.button(tr("audit.import_register"), key="import_register"):
    with st.status(tr("audit.importing"), expanded=False) as status:
        try:
            result = read_register(upload.getvalue(), cat, project.crosswalk, name=upload.name)
        except RegisterError as exc:
            status.update(state="error")
            st.session_state["register_error"] = str(exc)
        else:
            status.update(state="complete")
            st.session_state.pop("register_error", None)
            st.session_state["register_report"] = (result.rows_used, result.rows_total, result.rejected)
            project.economy.employment = [
                EmploymentRecord(municipality=c.municipality, industry=c.industry, firms=c.firms, employees=c.employees)
                for c in result.cells]
            save_and_rerun(project, note=f"register {upload.name}")
if st.session_state.get("register_error"):
    st.error(tr("audit.register_error", message=st.session_state["register_error"]))
if st.session_state.get("register_report"):
    used, total, rejected = st.session_state["register_report"]
    st.info(tr("audit.imported", used=f"{used:,}", total=f"{total:,}", rejected=f"{len(rejected):,}"))
    if rejected:
        st.caption(tr("audit.rejected"))
        st.dataframe([{tr("audit.line"): r.line, tr("audit.reason"): r.describe(lg)} for r in rejected[:5000]],
                     hide_index=True, width="stretch", key="rejected_table")

cells = location_quotients(audit.project_cells(project))
st.subheader(tr("audit.lq_heatmap"))
if cells:
    heat = [{"municipality": c.municipality, "industry_label": industry_name(c.industry), "lq": round(c.lq or 0, 3),
             "employees": c.employees} for c in cells]
    st.altair_chart(charts.lq_heatmap(heat, labels), width="stretch")
else:
    st.caption(tr("audit.no_employment"))

shares = gva_shares(project.economy)
if shares:
    st.subheader(tr("audit.gva"))
    region, nation = project.economy.region_territory, project.economy.nation_territory
    series = [{"territory": name, "year": s.year, "share": round(value, 3)} for s in shares
              for name, value in ((region, s.region_share), (nation, s.nation_share)) if value is not None]
    st.altair_chart(charts.gva_share_over_time(series, labels), width="stretch")

st.subheader(tr("audit.priority_matrix"))
st.altair_chart(charts.priority_matrix(audit.priority_chart_rows(project, cat, lg), labels), width="stretch")

# --- actors -------------------------------------------------------------------------------------
st.header(tr("audit.actors"))
actors_edited = st.data_editor(
    audit.actor_rows(project), key="actors_editor", num_rows="dynamic", width="stretch", hide_index=True,
    column_config={
        **named_columns,
        "sector": st.column_config.SelectboxColumn(tr("col.sector"), options=["government", "university", "business", "community"], required=True),
        "level": st.column_config.SelectboxColumn(tr("col.level"), options=["federal", "regional", "municipal"], required=True),
    },
)
if st.button(tr("audit.save_actors"), key="save_actors"):
    actors, errors = audit.actors_from_rows(list(actors_edited), cat, project.actors)
    if errors:
        show_audit_errors(errors)
    else:
        save_and_rerun(audit.with_actors(project, actors), note="actors")

# --- result -------------------------------------------------------------------------------------
st.header(tr("result"))
st.subheader(tr("audit.priorities"))
for gp in growth_points(project, cat, lang=lg)[:5]:
    st.markdown(f"**{gp.rank}. {industry_name(gp.industry)}** — {gp.score:.2f}  \n" +
                "  \n".join(f"· {r}" for r in gp.reasons))
