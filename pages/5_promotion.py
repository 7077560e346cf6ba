"""Iteration 5 — promotion, "the story, not the product" (002, Table 1): the brand platform, a story
per cluster built from its identity elements, and the events calendar. Logic: policy_engine/promotion.py."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.shared import lang, require_project, save_and_rerun, show_row_errors, sidebar, tr
from policy_engine import charts, promotion

sidebar()
project = require_project()
if project is None:
    st.stop()
lg = lang()
st.title(tr("iter.5"))
st.caption(tr("promotion.intro"))
pr = project.promotion
kind_label = {k: tr(f"roadmap.event.{k}") for k in promotion.KINDS}
cluster_label = {c.id: c.name for c in project.clusters} | {None: "—"}


# --- brand platform -----------------------------------------------------------------------------
st.header(tr("promotion.platform"))
with st.form("platform_form"):
    narrative = st.text_area(tr("promotion.narrative"), value=pr.narrative, key="platform_narrative", height=120)
    c1, c2, c3 = st.columns(3)
    values = c1.text_area(tr("promotion.values"), value="\n".join(pr.values), key="platform_values")
    inside = c2.text_area(tr("promotion.inside"), value="\n".join(pr.audiences_inside), key="platform_inside")
    outside = c3.text_area(tr("promotion.outside"), value="\n".join(pr.audiences_outside), key="platform_outside")
    if st.form_submit_button(tr("promotion.save_platform")):
        project.promotion = pr.model_copy(update={
            "narrative": narrative.strip(), "values": promotion.lines(values),
            "audiences_inside": promotion.lines(inside), "audiences_outside": promotion.lines(outside)})
        save_and_rerun(project, note="brand platform")

# --- stories ------------------------------------------------------------------------------------
st.header(tr("promotion.stories"))
rows = promotion.story_rows(project)
if not rows:
    st.info(tr("promotion.no_clusters"))
else:
    st.caption(tr("promotion.stories_help"))
    for r in rows:
        elements = promotion.story_prompt(project, r["cluster"])
        if elements:
            st.caption(tr("promotion.built_from", cluster=cluster_label[r["cluster"]], elements=elements))
    stories = st.data_editor(rows, key="stories_editor", width="stretch", hide_index=True, disabled=["cluster"],
                             column_config={
                                 "cluster": st.column_config.SelectboxColumn(tr("roadmap.col.cluster"),
                                                                             options=list(cluster_label),
                                                                             format_func=lambda c: cluster_label.get(c, c)),
                                 **{k: st.column_config.TextColumn(tr(f"roadmap.story.{k}"))
                                    for k in ("place", "tradition", "people", "today")}})
    if st.button(tr("promotion.save_stories"), key="save_stories"):
        project.promotion = project.promotion.model_copy(update={"stories": promotion.stories_from_rows(list(stories))})
        save_and_rerun(project, note="cluster stories")

# --- events -------------------------------------------------------------------------------------
st.header(tr("promotion.events"))
if pr.events:
    st.altair_chart(charts.events_timeline(promotion.timeline_rows(project, kind_label, cluster_label),
                                           {"time": tr("roadmap.col.dates"), "kind": tr("roadmap.col.kind"),
                                            "event": tr("roadmap.col.event")}), width="stretch")
event_table = pd.DataFrame(promotion.event_rows(project), columns=list(promotion.EVENT_COLUMNS))
for column in ("start", "end"):  # datetime columns, so a one-day event's empty end shows blank, not "None"
    event_table[column] = pd.to_datetime(event_table[column])
events = st.data_editor(
    event_table, key="events_editor", num_rows="dynamic", width="stretch", hide_index=True,
    column_config={
        "name": st.column_config.TextColumn(tr("roadmap.col.event"), required=True),
        "kind": st.column_config.SelectboxColumn(tr("roadmap.col.kind"), options=list(promotion.KINDS),
                                                 format_func=kind_label.get, required=True),
        "start": st.column_config.DateColumn(tr("pilots.col.start"), required=True, format="DD.MM.YYYY"),
        "end": st.column_config.DateColumn(tr("pilots.col.end"), format="DD.MM.YYYY"),
        "venue": st.column_config.TextColumn(tr("roadmap.col.venue")),
        "municipality": st.column_config.TextColumn(tr("col.municipality")),
        "audience": st.column_config.TextColumn(tr("roadmap.col.audience")),
        "cluster": st.column_config.SelectboxColumn(tr("roadmap.col.cluster"), options=[c.id for c in project.clusters],
                                                    format_func=lambda c: cluster_label.get(c, c)),
    })
if st.button(tr("promotion.save_events"), key="save_events"):
    new, errors = promotion.events_from_rows(events.to_dict("records"), project)
    if errors:
        show_row_errors(errors)
    else:
        project.promotion = project.promotion.model_copy(update={"events": new})
        save_and_rerun(project, note="events calendar")
