"""Iteration 1 — identity audit: region profile, identity elements, creative economy, actors."""

from __future__ import annotations

import streamlit as st

from pages.economy import economy_section
from pages.shared import (
    apply_edit,
    catalogue,
    editor,
    editor_rows,
    grid,
    industry_name,
    lang,
    md_literal,
    plain,
    require_project,
    sidebar,
    table,
    tr,
)
from pages.territories import map_section, municipalities_section, national_section
from policy_engine.diagnostics.growth_points import growth_points
from policy_engine.diagnostics.location_quotients import gva_shares
from policy_engine.documents import charts
from policy_engine.wizard import audit, frame
from policy_engine.workshop import board

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
# Labels are made once per run: a format_func that looked the language up when called would not see it
# in every context (AppTest calls it outside the script run).
industry_label = {i.id: i.name.get(lg) for i in cat.industries}
unit_label = {u: tr(f"measures.unit.{u}") for u in frame.MONEY_UNITS}
no_municipality, no_column = tr("audit.no_municipality"), tr("audit.mapping_none")


st.title(tr("iter.1"))
st.caption(tr("audit.intro"))

# --- region profile and money -------------------------------------------------------------------
with st.expander(tr("audit.profile"), expanded=not project.region.positioning):
    with st.form("profile_form"):
        name = st.text_input(tr("audit.region_name"), value=project.region.name, key="profile_name")
        capital = st.text_input(tr("audit.capital"), value=project.region.capital or "", key="profile_capital")
        population = st.number_input(
            tr("audit.population"),
            min_value=0,
            step=1000,
            value=project.region.population or 0,
            key="profile_population",
        )
        area = st.number_input(
            tr("audit.area"), min_value=0.0, step=100.0, value=float(project.region.area_km2 or 0), key="profile_area"
        )
        positioning = st.text_area(
            tr("audit.positioning"), value=project.region.positioning or "", key="profile_positioning"
        )
        if st.form_submit_button(tr("audit.save_profile")):
            apply_edit(
                frame.set_profile(project, cat, name, capital, population, area, positioning), note="region profile"
            )
    if project.region.profile:
        grid(
            [{"": f.label, " ": f.value} for f in project.region.profile],
            key="profile_table",
            hide_index=True,
            width="stretch",
        )
    with st.form("money_form"):
        st.markdown(f"**{tr('frame.money')}**")
        left, right = st.columns(2)
        currency = left.text_input(
            tr("frame.currency"),
            value=project.economy.currency or cat.country(project.region.country).currency,
            max_chars=3,
            key="money_currency",
        )
        unit = right.selectbox(
            tr("frame.unit"),
            frame.MONEY_UNITS,
            index=frame.MONEY_UNITS.index(project.economy.unit) if project.economy.unit in frame.MONEY_UNITS else 0,
            format_func=unit_label.get,
            key=f"money_unit_{lg}",
        )
        if st.form_submit_button(tr("frame.save_money")):
            apply_edit(frame.set_money(project, cat, currency, unit), note="money unit")

# --- municipalities (pages/territories.py) --------------------------------------------------------
municipalities_section(project)

# --- identity elements --------------------------------------------------------------------------
st.header(tr("audit.elements"))
st.caption(tr("audit.elements_help"))
vocab = audit.vocabularies(cat, project.region.country)
score = {"min_value": 1, "max_value": 5, "step": 1}
industry_ids = [i.id for i in cat.industries]
named_columns = {  # the columns the elements and actors tables share; the id stays hidden
    "id": None,
    "name": st.column_config.TextColumn(tr("col.name")),
    "municipality": st.column_config.TextColumn(tr("col.municipality")),
    "industries": st.column_config.MultiselectColumn(
        tr("clustering.industries"), options=industry_ids, format_func=industry_label.get
    ),
}
criteria = {c.id: c.name.get(lg) for c in cat.identity.scores.criteria}
edited = editor(
    table(audit.element_rows(project), audit.ELEMENT_COLUMNS),
    key="elements_editor",
    num_rows="dynamic",
    width="stretch",
    hide_index=True,
    column_config={
        **named_columns,
        "description": st.column_config.TextColumn(tr("col.description")),
        "component": st.column_config.SelectboxColumn(
            tr("chart.component"), options=list(vocab["component"]), format_func=lambda c: vocab["component"][c].get(lg)
        ),
        "layer": st.column_config.SelectboxColumn(
            tr("chart.layer"), options=list(vocab["layer"]), format_func=lambda c: vocab["layer"][c].get(lg)
        ),
        **{c: st.column_config.NumberColumn(criteria[c], **score) for c in audit.SCORE_COLUMNS},
    },
)
if st.button(tr("audit.save_elements"), key="save_elements"):
    apply_edit(audit.set_elements(project, cat, editor_rows(edited)), note="identity elements")


def element_form(element, key: str) -> dict:
    """One element's fields, with large controls for a projector (a new one when `element` is None)."""
    values = {"name": st.text_input(tr("col.name"), value=element.name if element else "", key=f"el_name_{key}")}
    left, right = st.columns(2)
    components, layers = list(vocab["component"]), list(vocab["layer"])
    values["component"] = left.selectbox(
        tr("chart.component"),
        components,
        key=f"el_component_{key}_{lg}",
        index=components.index(element.component) if element else 0,
        format_func=lambda c: vocab["component"][c].get(lg),
    )
    values["layer"] = right.selectbox(
        tr("chart.layer"),
        layers,
        key=f"el_layer_{key}_{lg}",
        index=layers.index(element.layer) if element else 0,
        format_func=lambda c: vocab["layer"][c].get(lg),
    )
    for c in cat.identity.scores.criteria:
        values[c.id] = st.slider(
            c.name.get(lg), 1, 5, getattr(element.scores, c.id) if element else 3, key=f"el_{c.id}_{key}"
        )
    values["industries"] = st.multiselect(
        tr("clustering.industries"),
        placeholder=tr("choose.many"),
        options=industry_ids,
        default=element.industries if element else [],
        format_func=industry_label.get,
        key=f"el_ind_{key}_{lg}",
    )
    options = [""] + sorted(
        {m.name for m in project.region.municipalities}
        | ({element.municipality} if element and element.municipality else set())
    )
    values["municipality"] = st.selectbox(
        tr("col.municipality"),
        options,
        key=f"el_muni_{key}",
        index=options.index(element.municipality or "") if element else 0,
        format_func=lambda m: plain(m) or no_municipality,
    )
    values["description"] = st.text_area(
        tr("audit.description"), value=element.description if element else "", key=f"el_desc_{key}"
    )
    return values


# An add form stays open once used, so the next item follows without a click (and a rerun never folds it).
with st.expander(
    tr("audit.add_element"), expanded=not project.identity_elements or "open_add_element" in st.session_state
):
    with st.form("add_element_form", clear_on_submit=False):
        new_values = element_form(None, "new")
        if st.form_submit_button(tr("audit.add_element_button")):
            st.session_state["open_add_element"] = True
            apply_edit(
                audit.save_element(project, cat, new_values),
                note="identity element added",
                clear={
                    "el_name_new": "",
                    f"el_ind_new_{lg}": [],
                    "el_desc_new": "",
                    "el_muni_new": "",
                    "el_uniqueness_new": 3,
                    "el_recognition_new": 3,
                    "el_vitality_new": 3,
                },
            )

if project.identity_elements:  # one element at a time
    with st.expander(tr("audit.edit_one")):
        names = {e.id: plain(e.name) for e in project.identity_elements}
        chosen = st.selectbox(tr("audit.element"), list(names), format_func=names.get, key="edit_element")
        element = next(e for e in project.identity_elements if e.id == chosen)
        with st.form("element_form"):
            changed = element_form(element, f"{chosen}_v{st.session_state.get('version')}")  # never stale
            if st.form_submit_button(tr("audit.save_element")):
                apply_edit(
                    audit.save_element(project, cat, changed, element_id=chosen), note=f"identity element {chosen}"
                )

rows = audit.layer_chart_rows(project, cat, lg)
labels = audit.chart_labels(lg)
st.subheader(tr("audit.strength_by_layer"))
st.altair_chart(charts.identity_by_layer(rows, labels), width="stretch")

# --- creative economy: the register and the economy figures (pages/economy.py) -------------------
st.header(tr("audit.economy"))
economy_section(project)

heat = audit.lq_heat_rows(project, cat, lg)
st.subheader(tr("audit.lq_heatmap"))
if heat:
    st.altair_chart(charts.lq_heatmap(heat, labels), width="stretch")  # sized by its municipalities
    flips = audit.uncertain_rows(project, cat, lg)
    if flips:
        st.caption(tr("audit.uncertain", count=len(flips)))
        columns = [tr("chart.municipality"), tr("chart.industry"), tr("audit.col.lq"), tr("audit.col.lq_range")]
        grid([dict(zip(columns, r)) for r in flips], hide_index=True, width="stretch", key="uncertain_table")
else:
    st.caption(tr("audit.no_employment"))

map_section(project)
national_section(project)

shares = gva_shares(project.economy)
if shares:
    st.subheader(tr("audit.gva"))
    region, nation = project.economy.region_territory, project.economy.nation_territory
    series = [
        {"territory": name, "year": s.year, "share": round(value, 3)}
        for s in shares
        for name, value in ((region, s.region_share), (nation, s.nation_share))
        if value is not None
    ]
    st.altair_chart(charts.gva_share_over_time(series, labels), width="stretch")

st.subheader(tr("audit.priority_matrix"))
st.altair_chart(charts.priority_matrix(audit.priority_chart_rows(project, cat, lg), labels), width="stretch")

# --- actors -------------------------------------------------------------------------------------
st.header(tr("audit.actors"))
level_name = {lvl: vocab["level"][lvl].get(lg) for lvl in vocab["level"]}
sector_name = {x: vocab["sector"][x][lg] for x in vocab["sector"]}
actors_edited = editor(
    table(audit.actor_rows(project), audit.ACTOR_COLUMNS),
    key="actors_editor",
    num_rows="dynamic",
    width="stretch",
    hide_index=True,
    column_config={
        **named_columns,
        "sector": st.column_config.SelectboxColumn(
            tr("col.sector"), options=list(sector_name), format_func=sector_name.get
        ),
        "level": st.column_config.SelectboxColumn(
            tr("col.level"), options=list(level_name), format_func=level_name.get
        ),
    },
)
if st.button(tr("audit.save_actors"), key="save_actors"):
    apply_edit(audit.set_actors(project, cat, editor_rows(actors_edited)), note="actors")
with st.expander(tr("audit.add_actor"), expanded=not project.actors or "open_add_actor" in st.session_state):
    with st.form("add_actor_form"):
        actor_name = st.text_input(tr("col.name"), key="actor_name")
        c1, c2 = st.columns(2)
        actor_sector = c1.selectbox(
            tr("col.sector"), list(sector_name), format_func=sector_name.get, key=f"actor_sector_{lg}"
        )
        actor_level = c2.selectbox(
            tr("col.level"), list(level_name), format_func=level_name.get, key=f"actor_level_{lg}"
        )
        muni_options = [""] + [m.name for m in project.region.municipalities]
        actor_muni = st.selectbox(
            tr("col.municipality"), muni_options, key="actor_muni", format_func=lambda m: plain(m) or no_municipality
        )
        actor_ind = st.multiselect(
            tr("clustering.industries"),
            placeholder=tr("choose.many"),
            options=industry_ids,
            format_func=industry_label.get,
            key=f"actor_ind_{lg}",
        )
        if st.form_submit_button(tr("audit.add_actor_button")):
            st.session_state["open_add_actor"] = True
            apply_edit(
                audit.add_actor(
                    project,
                    cat,
                    {
                        "name": actor_name,
                        "sector": actor_sector,
                        "level": actor_level,
                        "municipality": actor_muni,
                        "industries": actor_ind,
                    },
                ),
                note="actor added",
                clear={"actor_name": "", f"actor_ind_{lg}": [], "actor_muni": ""},
            )

# --- result -------------------------------------------------------------------------------------
workshop_lines = board.summary_lines(project, ("rate",), lang())
if workshop_lines:  # what the room said, accepted on the workshop page (pages/workshop.py)
    st.subheader(tr("ws.summaries"))
    for line in workshop_lines:
        st.text(line)
st.header(tr("result"))
st.subheader(tr("audit.priorities"))
for gp in growth_points(project, cat, lang=lg)[:5]:
    st.markdown(
        f"**{gp.rank}. {industry_name(gp.industry)}** — {gp.score:.2f}  \n"
        + "  \n".join(f"· {md_literal(r)}" for r in gp.reasons)
    )
