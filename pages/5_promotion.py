"""Iteration 5 — promotion, "the story, not the product" (002, Table 1): the brand platform, a story
per cluster built from its identity elements, and the events calendar. Logic: policy_engine/wizard/promotion.py."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pages.shared import (
    apply_edit,
    catalogue,
    editor,
    editor_rows,
    lang,
    plain,
    require_project,
    sidebar,
    table,
    tr,
)
from policy_engine.documents import charts
from policy_engine.method.vocabulary import EVENT_KINDS
from policy_engine.wizard import promotion

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
st.title(tr("iter.5"))
st.caption(tr("promotion.intro"))
pr = project.promotion
kind_label = {k: tr(f"roadmap.event.{k}") for k in EVENT_KINDS}
cluster_label = {c.id: plain(c.name) for c in project.clusters} | {None: "—"}  # option labels, shown as typed
cluster_ids = [c.id for c in project.clusters]
parts = promotion.STORY_PARTS


# --- brand platform -----------------------------------------------------------------------------
st.header(tr("promotion.platform"))
with st.form("platform_form"):
    narrative = st.text_area(tr("promotion.narrative"), value=pr.narrative, key="platform_narrative", height=120)
    c1, c2, c3 = st.columns(3)
    values = c1.text_area(tr("promotion.values"), value="\n".join(pr.values), key="platform_values")
    inside = c2.text_area(tr("promotion.inside"), value="\n".join(pr.audiences_inside), key="platform_inside")
    outside = c3.text_area(tr("promotion.outside"), value="\n".join(pr.audiences_outside), key="platform_outside")
    if st.form_submit_button(tr("promotion.save_platform")):
        apply_edit(promotion.set_platform(project, cat, narrative, values, inside, outside), note="brand platform")

# --- stories ------------------------------------------------------------------------------------
st.header(tr("promotion.stories"))
st.caption(tr("promotion.stories_help"))
if not cluster_ids:
    st.info(tr("promotion.no_story_clusters"))
for c in project.clusters:
    elements = promotion.story_prompt(project, c.id)
    if elements:
        st.text(plain(tr("promotion.built_from", cluster=c.name, elements=elements)))  # names as typed, not markup
stories = editor(
    table(promotion.story_rows(project), promotion.STORY_COLUMNS),
    key="stories_editor",
    num_rows="dynamic",
    width="stretch",
    hide_index=True,
    column_config={
        "cluster": st.column_config.SelectboxColumn(
            tr("roadmap.col.cluster"), options=cluster_ids, format_func=lambda c: cluster_label.get(c, c)
        ),
        **{k: st.column_config.TextColumn(tr(f"roadmap.story.{k}")) for k in parts},
    },
)
if st.button(tr("promotion.save_stories"), key="save_stories"):
    apply_edit(promotion.set_stories(project, cat, editor_rows(stories)), note="cluster stories")
if cluster_ids:
    with st.expander(tr("promotion.add_story"), expanded=not pr.stories):
        with st.form("story_form"):
            story_cluster = st.selectbox(
                tr("roadmap.col.cluster"),
                cluster_ids,
                format_func=lambda c: cluster_label.get(c, c),
                key=f"story_cluster_{lg}",
            )
            texts = {k: st.text_area(tr(f"roadmap.story.{k}"), key=f"story_{k}", height=80) for k in parts}
            if st.form_submit_button(tr("promotion.add_story_submit")):
                apply_edit(promotion.set_story(project, cat, {"cluster": story_cluster, **texts}), note="cluster story")

# --- events -------------------------------------------------------------------------------------
st.header(tr("promotion.events"))
if pr.events:
    st.altair_chart(
        charts.events_timeline(
            promotion.timeline_rows(project, kind_label, cluster_label),
            {"time": tr("roadmap.col.dates"), "kind": tr("roadmap.col.kind"), "event": tr("roadmap.col.event")},
        ),
        width="stretch",
    )
event_table = table(promotion.event_rows(project), promotion.EVENT_COLUMNS)
for column in ("start", "end"):  # datetime columns, so a one-day event's empty end shows blank, not "None"
    event_table[column] = pd.to_datetime(event_table[column])
events = editor(
    event_table,
    key="events_editor",
    num_rows="dynamic",
    width="stretch",
    hide_index=True,
    column_config={
        "id": None,  # hidden, but kept: it matches an edited row to its saved event
        "name": st.column_config.TextColumn(tr("roadmap.col.event")),
        "kind": st.column_config.SelectboxColumn(
            tr("roadmap.col.kind"), options=list(EVENT_KINDS), format_func=kind_label.get, default="festival"
        ),
        "start": st.column_config.DateColumn(tr("pilots.col.start"), format="DD.MM.YYYY"),
        "end": st.column_config.DateColumn(tr("pilots.col.end"), format="DD.MM.YYYY"),
        "venue": st.column_config.TextColumn(tr("roadmap.col.venue")),
        "municipality": st.column_config.TextColumn(tr("col.municipality")),
        "audience": st.column_config.TextColumn(tr("roadmap.col.audience")),
        "cluster": st.column_config.SelectboxColumn(
            tr("roadmap.col.cluster"), options=cluster_ids, format_func=lambda c: cluster_label.get(c, c)
        ),
    },
)
if st.button(tr("promotion.save_events"), key="save_events"):
    apply_edit(promotion.set_events(project, cat, editor_rows(events)), note="events calendar")
with st.expander(tr("promotion.add_event"), expanded=not pr.events):
    with st.form("event_form"):
        c1, c2 = st.columns([3, 1])
        event_name = c1.text_input(tr("roadmap.col.event"), key="new_event_name")
        kind = c2.selectbox(
            tr("roadmap.col.kind"), list(EVENT_KINDS), format_func=kind_label.get, key=f"new_event_kind_{lg}"
        )
        c1, c2, c3 = st.columns(3)
        start = c1.date_input(tr("pilots.col.start"), key="new_event_start", format="DD.MM.YYYY")
        end = c2.date_input(tr("pilots.col.end"), value=None, key="new_event_end", format="DD.MM.YYYY")
        event_cluster = c3.selectbox(
            tr("roadmap.col.cluster"),
            [None, *cluster_ids],
            format_func=lambda c: cluster_label.get(c, c),
            key=f"new_event_cluster_{lg}",
        )
        c1, c2, c3 = st.columns(3)
        venue = c1.text_input(tr("roadmap.col.venue"), key="new_event_venue")
        places = [""] + [m.name for m in project.region.municipalities]  # the region's own list (page 1)
        no_place = tr("audit.no_municipality")
        municipality = c2.selectbox(
            tr("col.municipality"), places, key="new_event_municipality", format_func=lambda m: plain(m) or no_place
        )
        audience = c3.text_input(tr("roadmap.col.audience"), key="new_event_audience")
        if st.form_submit_button(tr("promotion.add_event_submit")):
            apply_edit(
                promotion.add_event(
                    project,
                    cat,
                    {
                        "name": event_name,
                        "kind": kind,
                        "start": start,
                        "end": end,
                        "venue": venue,
                        "municipality": municipality,
                        "audience": audience,
                        "cluster": event_cluster,
                    },
                ),
                note="event added",
            )
