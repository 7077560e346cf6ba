"""Iteration 4 — pilot projects (002, Table 1): pilots tied to a cluster and its measures, with owner,
partners, budget by source, dates, milestones and status; the single window; success stories.
Logic lives in policy_engine/wizard/pilots.py."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.shared import (
    apply_edit,
    catalogue,
    editor,
    editor_rows,
    lang,
    money_unit,
    plain,
    require_project,
    sidebar,
    table,
    tr,
    tr_md,
)
from policy_engine.documents import charts
from policy_engine.method.vocabulary import FUNDING_SOURCES, PILOT_STATUSES
from policy_engine.wizard import pilots
from policy_engine.wizard.measure_design import level_names

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
st.title(tr("iter.4"))
st.caption(tr("pilots.intro"))
levels = level_names(cat, project.region.country, lg)
source_label = {s: tr(f"roadmap.source.{s}") for s in FUNDING_SOURCES}
status_label = {s: tr(f"roadmap.status.{s}") for s in PILOT_STATUSES}
cluster_label = {c.id: plain(c.name) for c in project.clusters} | {None: tr("measures.region_wide")}  # option labels
cluster_ids = [c.id for c in project.clusters]
unit = money_unit(project)


def dated(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Date columns as datetimes, so an empty table's date cells are still date pickers."""
    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame


# --- charts -------------------------------------------------------------------------------------
if project.pilots:
    st.header(tr("pilots.charts"))
    done = {True: tr("roadmap.milestone_done"), False: tr("roadmap.milestone_open")}
    bars, steps = pilots.gantt_rows(project, status_label, done)
    st.altair_chart(
        charts.gantt(
            bars,
            steps,
            {
                "time": tr("roadmap.col.dates"),
                "status": tr("roadmap.col.status"),
                "pilot": tr("roadmap.col.pilot"),
                "milestone": tr("pilots.milestones"),
                "done": done[True],
                "open": done[False],
            },
        ),
        width="stretch",
    )
    money_rows = pilots.money_rows(project, source_label, cluster_label)
    if money_rows:
        st.altair_chart(
            charts.budget_by_source(
                money_rows,
                {
                    "budget": tr("roadmap.col.budget", unit=unit),
                    "source": tr("roadmap.col.source"),
                    "cluster": tr("roadmap.col.cluster"),
                },
            ),
            width="stretch",
        )
    st.caption(tr_md("pilots.total", total=f"{pilots.totals(project)['total']:,.1f}".replace(",", " "), unit=unit))
else:
    st.info(tr("pilots.none"))

# --- the table ----------------------------------------------------------------------------------
st.header(tr("pilots.table"))
st.caption(tr("pilots.table_help"))
if not cluster_ids:
    st.caption(tr("pilots.no_clusters"))
edited = editor(
    dated(table(pilots.pilot_rows(project), pilots.PILOT_COLUMNS), "start", "end"),
    key="pilots_editor",
    num_rows="dynamic",
    width="stretch",
    hide_index=True,
    column_config={
        "id": None,  # hidden, but kept: it matches an edited row to its pilot (milestones, measures, story)
        "name": st.column_config.TextColumn(tr("pilots.col.name")),
        "cluster": st.column_config.SelectboxColumn(
            tr("roadmap.col.cluster"), options=cluster_ids, format_func=lambda c: cluster_label.get(c, c)
        ),
        "owner": st.column_config.TextColumn(tr("pilots.col.owner")),
        "partners": st.column_config.TextColumn(tr("pilots.col.partners")),
        **{s: st.column_config.NumberColumn(source_label[s], min_value=0.0, format="%.1f") for s in FUNDING_SOURCES},
        "start": st.column_config.DateColumn(tr("pilots.col.start"), format="DD.MM.YYYY"),
        "end": st.column_config.DateColumn(tr("pilots.col.end"), format="DD.MM.YYYY"),
        "status": st.column_config.SelectboxColumn(
            tr("roadmap.col.status"), options=list(PILOT_STATUSES), format_func=status_label.get, default="planned"
        ),
    },
)
if st.button(tr("pilots.save"), key="save_pilots"):
    apply_edit(pilots.set_pilots(project, cat, editor_rows(edited)), note="pilots")

with st.expander(tr("pilots.add"), expanded=not project.pilots):
    with st.form("new_pilot_form", clear_on_submit=False):
        name = st.text_input(tr("pilots.col.name"), key="new_pilot_name")
        c1, c2 = st.columns(2)
        cluster = c1.selectbox(
            tr("roadmap.col.cluster"),
            [None, *cluster_ids],
            format_func=lambda c: cluster_label.get(c, c),
            key=f"new_pilot_cluster_{lg}",
        )
        owner = c2.text_input(tr("pilots.col.owner"), key="new_pilot_owner")
        partners = st.text_input(tr("pilots.col.partners"), key="new_pilot_partners")
        c1, c2, c3 = st.columns(3)
        start = c1.date_input(tr("pilots.col.start"), key="new_pilot_start", format="DD.MM.YYYY")
        end = c2.date_input(tr("pilots.col.end"), key="new_pilot_end", format="DD.MM.YYYY")
        status = c3.selectbox(
            tr("pilots.status"), list(PILOT_STATUSES), format_func=status_label.get, key=f"new_pilot_status_{lg}"
        )
        cols = st.columns(len(FUNDING_SOURCES))
        money_in = {
            s: cols[i].number_input(source_label[s], min_value=0.0, step=1.0, key=f"new_pilot_{s}")
            for i, s in enumerate(FUNDING_SOURCES)
        }
        if st.form_submit_button(tr("pilots.add_submit")):
            apply_edit(
                pilots.add_pilot(
                    project,
                    cat,
                    {
                        "name": name,
                        "cluster": cluster,
                        "owner": owner,
                        "partners": partners,
                        "start": start,
                        "end": end,
                        "status": status,
                        **money_in,
                    },
                ),
                note="pilot added",
            )

# --- one pilot ----------------------------------------------------------------------------------
if project.pilots:
    st.header(tr("pilots.detail"))
    names = {p.id: plain(p.name) for p in project.pilots}
    chosen = st.selectbox(tr("pilots.choose"), list(names), format_func=names.get, key="pilot_choice")
    pilot = next(p for p in project.pilots if p.id == chosen)

    st.subheader(tr("pilots.milestones"))
    frame = dated(table(pilots.milestone_rows(pilot), pilots.MILESTONE_COLUMNS), "due")
    frame["done"] = frame["done"].astype(object)  # a bool column cannot take the None of an added row
    steps = editor(
        frame,
        key=f"milestones_{chosen}",
        num_rows="dynamic",
        width="stretch",
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(tr("pilots.col.milestone")),
            "due": st.column_config.DateColumn(tr("pilots.col.due"), format="DD.MM.YYYY"),
            "done": st.column_config.CheckboxColumn(tr("pilots.col.done"), default=False),
        },
    )
    if st.button(tr("pilots.save_milestones"), key="save_milestones"):
        apply_edit(pilots.set_milestones(project, cat, chosen, editor_rows(steps)), note=f"pilot {chosen} milestones")
    with st.expander(tr("pilots.add_milestone"), expanded=not pilot.milestones):
        with st.form(f"milestone_form_{chosen}"):
            c1, c2, c3 = st.columns([3, 2, 1])
            step_name = c1.text_input(tr("pilots.col.milestone"), key=f"new_milestone_name_{chosen}")
            due = c2.date_input(tr("pilots.col.due"), key=f"new_milestone_due_{chosen}", format="DD.MM.YYYY")
            done = c3.checkbox(tr("pilots.col.done"), key=f"new_milestone_done_{chosen}")
            if st.form_submit_button(tr("pilots.add_milestone_submit")):
                apply_edit(
                    pilots.add_milestone(project, cat, chosen, {"name": step_name, "due": due, "done": done}),
                    note=f"pilot {chosen} milestone",
                )

    with st.form(f"pilot_form_{chosen}"):
        options = sorted({m.measure for m in project.measures} | set(pilot.measures))
        measures = st.multiselect(
            tr("pilots.measures"),
            placeholder=tr("choose.many"),
            options=options,
            default=pilot.measures,
            format_func=lambda m: cat.measure(m).title.get(lg) + f" · {levels[cat.measure(m).level]}",
            key=f"pilot_measures_{chosen}_{lg}_v{st.session_state.get('version')}",
        )
        story = st.text_area(
            tr("pilots.story"),
            value=pilot.success_story or "",
            key=f"pilot_story_{chosen}_v{st.session_state.get('version')}",
        )
        if st.form_submit_button(tr("pilots.save_detail")):
            apply_edit(pilots.set_pilot_detail(project, cat, chosen, measures, story), note=f"pilot {chosen}")

# --- the single window --------------------------------------------------------------------------
st.header(tr("pilots.single_window"))
with st.form("single_window_form"):
    who = st.text_input(tr("pilots.sw.who"), value=project.single_window.who, key="sw_who")
    where = st.text_input(tr("pilots.sw.where"), value=project.single_window.where, key="sw_where")
    how = st.text_area(tr("pilots.sw.how"), value=project.single_window.how, key="sw_how")
    if st.form_submit_button(tr("pilots.save_sw")):
        apply_edit(pilots.set_single_window(project, cat, who, where, how), note="single window")
