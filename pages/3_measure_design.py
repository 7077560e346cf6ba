"""Iteration 3 — design and individualization of support measures (002, Table 1): the rules' classification
with its explanation, overrides with a justification, the level x type matrix, and per cluster (or for the
whole region) the chosen measures with owner, budget and timeline. Logic and the edit operations live in
policy_engine/wizard/measure_design.py; this page reads widgets, calls one edit operation and saves its result."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.shared import (
    apply_edit,
    catalogue,
    editor,
    editor_rows,
    grid,
    lang,
    md_literal,
    offer_download,
    plain,
    require_project,
    sidebar,
    table,
    tr,
    tr_md,
)
from policy_engine.diagnostics.rules import classify_all, explain
from policy_engine.i18n import number
from policy_engine.method.vocabulary import MEASURE_TYPES
from policy_engine.wizard import measure_design as md

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg, country = catalogue(), lang(), project.region.country
st.title(tr("iter.3"))
st.caption(tr("measures.intro"))

SELECTBOXES = (
    "explain_industry",
    "override_industry",
    "override_significance",
    "override_remove_industry",
    "matrix_choice",
    "measure_form_measure",
    "measure_form_cluster",
)
if st.session_state.get("measures_lang", lg) != lg:  # the browser keeps a selectbox's old label: send it anew
    for key in SELECTBOXES:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
st.session_state["measures_lang"] = lg
decisions = classify_all(cat, project)
levels = md.level_names(cat, country, lg)
types = {t: tr(f"measures.type.{t}") for t in MEASURE_TYPES}
unit = plain(md.money_unit(project, lg, cat))  # budgets are in the project's own money unit, e.g. million RUB
region_wide = tr("measures.region_wide")
clusters = {c: plain(name) for c, name in md.cluster_label(project, region_wide).items()}  # option labels
labels = {
    "level": tr("measures.chart.level"),
    "type": tr("measures.chart.type"),
    "count": tr("measures.chart.count"),
    "titles": tr("measures.chart.titles"),
    "budget": tr("measures.col.budget", unit=unit),
    "cluster": tr("measures.chart.cluster"),
    "measures": tr("measures.chart.count"),
    "industry": tr("measures.col.name"),
    "significance": tr("measures.col.significance"),
    "levels": tr("measures.col.levels"),
}
DATE_FORMAT = "YYYY-MM-DD" if lg == "en" else "DD.MM.YYYY"


def industry_name(industry_id: str) -> str:
    return cat.industry(industry_id).name.get(lg)


def significance_name(significance: str) -> str:
    return cat.rules.group(significance).name.get(lg)


def measure_label(measure_id: str) -> str:
    m = cat.measure(measure_id)
    return md.LABEL_SEPARATOR.join((m.title.get(lg), levels[m.level], types[m.type]))


def cluster_name(cluster_id: str) -> str:
    return clusters.get(cluster_id, cluster_id)


# --- the rules' classification ------------------------------------------------------------------
st.header(tr("measures.classification"))
rows = md.classification_rows(decisions, cat, lg, country)
columns = ["name", "significance", "default", "levels", "measures", "overridden"]
left, right = st.columns([3, 2])
left.dataframe(
    rows,
    column_order=columns,
    column_config={c: tr(f"measures.col.{c}") for c in columns},
    hide_index=True,
    width="stretch",
    key="classification_table",
)
with right:
    st.markdown(f"**{tr('measures.significance_chart')}**")
    st.altair_chart(md.classification_chart(rows, labels), width="stretch")
st.subheader(tr("measures.explain"))
explained = st.selectbox(
    tr("measures.explain_choose"), [d.industry for d in decisions], format_func=industry_name, key="explain_industry"
)
decision = next(d for d in decisions if d.industry == explained)
# an override's justification and author are the user's text: shown literally, never as markup
st.markdown("\n".join(f"- {md_literal(line)}" for line in explain(decision, cat, lg, country)))

# --- overrides ----------------------------------------------------------------------------------
st.header(tr("measures.overrides"))
st.caption(tr("measures.overrides_help"))
with st.form("override_form"):
    industry = st.selectbox(
        tr("measures.override.industry"),
        [i.id for i in cat.industries],
        format_func=industry_name,
        key="override_industry",
    )
    significance = st.selectbox(
        tr("measures.override.significance"),
        list(md.significance_options(cat)),
        format_func=significance_name,
        key="override_significance",
    )
    justification = st.text_area(tr("measures.override.justification"), key="override_justification")
    by = st.text_input(tr("measures.override.by"), value=st.session_state.get("author") or "", key="override_by")
    if st.form_submit_button(tr("measures.override.submit"), key="override_submit", type="primary"):
        apply_edit(
            md.set_override(project, cat, industry, significance, justification, by),
            note=f"override {industry}: {significance}",
        )
st.subheader(tr("measures.override.current"))
if not project.overrides:
    st.caption(tr("measures.override.none"))
else:
    grid(
        [
            {
                tr("measures.override.industry"): industry_name(o.industry),
                tr("measures.override.significance"): significance_name(o.significance),
                tr("measures.override.by"): o.by,
                tr("measures.override.decided_on"): o.decided_on,
                tr("measures.override.justification"): o.justification,
            }
            for o in project.overrides
        ],
        hide_index=True,
        width="stretch",
        key="overrides_table",
    )
    col_choice, col_button = st.columns([3, 1], vertical_alignment="bottom")
    removed = col_choice.selectbox(
        tr("measures.override.remove_choose"),
        [o.industry for o in project.overrides],
        format_func=industry_name,
        key="override_remove_industry",
    )
    if col_button.button(tr("measures.override.remove"), key="override_remove"):
        apply_edit(md.remove_override(project, cat, removed), note=f"override {removed} removed")

# --- the measures matrix ------------------------------------------------------------------------
st.header(tr("measures.matrix"))
matrix_options = {
    c: tr("measures.choice.significance", name=significance_name(c.partition(":")[2]))
    if c.startswith("significance:")
    else industry_name(c.partition(":")[2])
    for c in md.matrix_choices(cat)
}
shown = st.selectbox(
    tr("measures.matrix.choose"), list(matrix_options), format_func=matrix_options.get, key="matrix_choice"
)
cells = md.matrix_cells(md.measures_for_choice(shown, decisions, cat), lg, levels, types)
st.altair_chart(md.matrix_chart(cells, labels), width="stretch")
matrix = pd.DataFrame(md.matrix_table(cells)).rename(columns={"level": labels["level"], **types})
st.table(matrix.set_index(labels["level"]))  # a static table of catalogue titles only, so long titles wrap
offer_download(matrix, "matrix_table")

# --- chosen measures per cluster ----------------------------------------------------------------
st.header(tr("measures.chosen"))
st.subheader(tr("measures.granted"))
if project.clusters:
    grid(
        table(md.cluster_rows(project, decisions, cat, lg), ["cluster", "industries", "levels", "measures", "budget"]),
        column_config={
            "cluster": tr("measures.col.cluster"),
            "industries": tr("measures.col.industries"),
            "levels": tr("measures.col.levels"),
            "measures": tr("measures.col.measures"),
            "budget": st.column_config.NumberColumn(labels["budget"], format="%.1f"),
        },
        hide_index=True,
        width="stretch",
        key="clusters_table",
    )
else:
    st.caption(tr("measures.no_clusters"))

st.subheader(tr("measures.add"))
st.caption(tr("measures.add_help"))
with st.form("measure_form"):
    measure = st.selectbox(
        tr("measures.col.measure"),
        [m.id for m in cat.measures],
        index=None,
        format_func=measure_label,
        placeholder=tr("measures.add_choose"),
        key="measure_form_measure",
    )
    cluster = st.selectbox(
        tr("measures.col.cluster"), list(clusters), format_func=cluster_name, key="measure_form_cluster"
    )
    owner = st.text_input(tr("measures.col.owner"), key="measure_form_owner")
    budget = st.number_input(
        tr_md("measures.col.budget", unit=unit),
        min_value=0.0,
        value=0.0,
        step=1.0,
        format="%.1f",
        key="measure_form_budget",
    )
    col_start, col_end = st.columns(2)
    start = col_start.date_input(tr("measures.col.start"), value=None, format=DATE_FORMAT, key="measure_form_start")
    end = col_end.date_input(tr("measures.col.end"), value=None, format=DATE_FORMAT, key="measure_form_end")
    note = st.text_input(tr("measures.col.note"), key="measure_form_note")
    if st.form_submit_button(tr("measures.add_submit"), key="measure_form_submit", type="primary"):
        apply_edit(
            md.add_measure(project, cat, measure, cluster, owner, budget, start, end, note, lang=lg),
            note=f"measure {measure} added",
            clear={
                "measure_form_measure": None,
                "measure_form_owner": "",
                "measure_form_budget": 0.0,
                "measure_form_start": None,
                "measure_form_end": None,
                "measure_form_note": "",
            },
        )

st.subheader(tr("measures.table"))
edited = editor(
    table(md.measure_rows(project), md.MEASURE_COLUMNS),
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    key="measures_editor",
    column_config={
        "cluster": st.column_config.SelectboxColumn(
            tr("measures.col.cluster"), options=list(clusters), format_func=cluster_name, default=md.REGION_WIDE
        ),
        "measure": st.column_config.SelectboxColumn(
            tr("measures.col.measure"), options=[m.id for m in cat.measures], format_func=measure_label, width="large"
        ),
        "owner": st.column_config.TextColumn(tr("measures.col.owner")),
        "budget": st.column_config.NumberColumn(labels["budget"], min_value=0.0, format="%.1f"),
        "start": st.column_config.DateColumn(tr("measures.col.start"), format=DATE_FORMAT),
        "end": st.column_config.DateColumn(tr("measures.col.end"), format=DATE_FORMAT),
        "note": st.column_config.TextColumn(tr("measures.col.note")),
    },
)
st.caption(tr("measures.editor_help"))
rows = editor_rows(edited)
read, _ = md.read_measures(rows, project, cat, lg)
warnings = md.level_warnings(read, project, cat, decisions, lg)
if warnings:  # cluster names are the user's text: shown literally
    st.warning(tr("measures.check") + "\n" + "\n".join(f"- {md_literal(w.text(lg))}" for w in warnings))
if st.button(tr("measures.save"), key="measures_save", type="primary"):
    apply_edit(md.set_measures(project, cat, rows, lg), note="measures")

budget_by_level = md.budget_rows(project, cat, lg, region_wide)
st.subheader(tr("measures.budget_by_level"))
if budget_by_level:
    st.altair_chart(md.budget_chart(budget_by_level, labels), width="stretch")
else:
    st.caption(tr("measures.no_measures"))

# --- result of the iteration --------------------------------------------------------------------
st.header(tr("result"))
st.caption(tr("measures.result_intro"))
total = md.totals(project)
m1, m2, m3 = st.columns(3)
m1.metric(tr("measures.total_measures"), total["measures"])
m2.metric(tr("measures.total_clusters"), total["clusters"])
m3.metric(tr_md("measures.total_budget", unit=unit), number(total["budget"], lg))
grid(
    table(md.summary_table(budget_by_level), ["cluster", *levels, "measures", "budget"]),
    column_config={
        "cluster": tr("measures.col.cluster"),
        **levels,
        "measures": tr("measures.col.measures"),
        "budget": st.column_config.NumberColumn(labels["budget"], format="%.1f"),
    },
    hide_index=True,
    width="stretch",
    key="result_table",
)
