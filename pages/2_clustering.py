"""Iteration 2 — clustering, "the project's DNA": growth points, proposed clusters, bottlenecks."""

from __future__ import annotations

import streamlit as st

from pages.shared import catalogue, industry_name, lang, require_project, save_and_rerun, sidebar, tr
from policy_engine import charts
from policy_engine.clusters import (
    bottlenecks, growth_points, identity_graph, proposal_to_cluster, propose_clusters, spring_positions,
)

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
st.title(tr("iter.2"))
st.caption(tr("clustering.intro"))


# --- growth points ------------------------------------------------------------------------------
st.header(tr("clustering.growth_points"))
points = growth_points(project, cat, lang=lg)
st.dataframe([{tr("clustering.rank"): p.rank, tr("chart.industry"): industry_name(p.industry),
               tr("clustering.score"): round(p.score, 3), tr("clustering.reasons"): " · ".join(p.reasons)}
              for p in points], hide_index=True, width="stretch", key="growth_table")

# --- proposals and the network ------------------------------------------------------------------
st.header(tr("clustering.proposals"))
with st.spinner(tr("clustering.computing")):
    proposals = propose_clusters(project, catalogue=cat, lang=lg)
    graph = identity_graph(project)
group_of = {f"ind:{i}": p.name for p in proposals for i in p.industries}
group_of.update({f"el:{e}": p.name for p in proposals for e in p.identity_elements})
for node, data in graph.nodes(data=True):
    data["group"] = group_of.get(node, "—")
    data["kind_label"] = tr(f"clustering.kind.{data['kind']}")
    if data["kind"] == "industry":
        data["label"] = industry_name(node.removeprefix("ind:"))
if graph.number_of_nodes():
    st.subheader(tr("clustering.network"))
    st.altair_chart(charts.network(*charts.network_rows(graph, spring_positions(graph)),
                                   {"group": tr("clustering.group"), "kind": tr("clustering.kind")}),
                    width="stretch")
existing = {c.id for c in project.clusters}
for i, p in enumerate(proposals):
    with st.container(border=True):
        st.markdown(f"**{p.name}** — " + ", ".join(industry_name(x) for x in p.industries))
        st.caption(" · ".join(p.explanation))
        if st.button(tr("clustering.accept"), key=f"accept_{i}"):
            cluster = proposal_to_cluster(p).model_copy(update={"status": "accepted"})
            n = 1
            while cluster.id in existing:
                n += 1
                cluster = cluster.model_copy(update={"id": f"{p.id}-{n}"})
            project.clusters.append(cluster)
            save_and_rerun(project, note=f"cluster {cluster.name} accepted")

# --- the project's clusters ---------------------------------------------------------------------
st.header(tr("clustering.clusters"))
if not project.clusters:
    st.caption(tr("clustering.no_clusters"))
municipalities = [m.name for m in project.region.municipalities]
actor_ids = [a.id for a in project.actors]
actor_names = {a.id: a.name for a in project.actors}
formation_ids = [t.id for t in cat.cluster_types]
for i, c in enumerate(project.clusters):
    with st.expander(f"{c.name} ({', '.join(industry_name(x) for x in c.industries)})"):
        with st.form(f"cluster_form_{i}"):
            name = st.text_input(tr("clustering.name"), value=c.name, key=f"cl_name_{i}")
            image = st.text_area(tr("clustering.target_image"), value=c.target_image, key=f"cl_image_{i}")
            anchor_options = [""] + sorted(set(municipalities) | ({c.anchor_municipality} - {None}))
            anchor = st.selectbox(tr("clustering.anchor"), anchor_options, key=f"cl_anchor_{i}",
                                  index=anchor_options.index(c.anchor_municipality or ""))
            leads = st.multiselect(tr("clustering.lead_actors"), actor_ids, default=[a for a in c.lead_actors if a in actor_ids],
                                   format_func=lambda a: actor_names.get(a, a), key=f"cl_leads_{i}")
            formation = st.selectbox(tr("clustering.formation"), [""] + formation_ids, key=f"cl_form_{i}_{lg}",  # the language in the key: a switch redraws the labels

                                     index=([""] + formation_ids).index(c.formation_type or ""),
                                     format_func=lambda t: cat.cluster_types[formation_ids.index(t)].name.get(lg) if t else "—")
            industries = st.multiselect(tr("clustering.industries"), [x.id for x in cat.industries], default=c.industries,
                                        format_func=industry_name, key=f"cl_ind_{i}_{lg}")
            col1, col2 = st.columns(2)
            if col1.form_submit_button(tr("clustering.save_cluster")):
                project.clusters[i] = c.model_copy(update={
                    "name": name.strip() or c.name, "target_image": image.strip(), "anchor_municipality": anchor or None,
                    "lead_actors": leads, "formation_type": formation or None, "industries": industries or c.industries,
                    "status": "accepted"})
                save_and_rerun(project, note=f"cluster {c.id}")
            if col2.form_submit_button(tr("clustering.delete")):
                project.clusters.pop(i)
                save_and_rerun(project, note=f"cluster {c.id} deleted")

if len(project.clusters) > 1:
    with st.form("merge_form"):
        st.subheader(tr("clustering.merge"))
        names = {c.id: c.name for c in project.clusters}
        into = st.selectbox(tr("clustering.merge_into"), list(names), format_func=names.get, key="merge_into")
        other = st.selectbox(tr("clustering.merge_from"), list(names), index=1, format_func=names.get, key="merge_from")
        if st.form_submit_button(tr("clustering.merge_button")) and into != other:
            target = next(c for c in project.clusters if c.id == into)
            source = next(c for c in project.clusters if c.id == other)
            merged = target.model_copy(update={
                "industries": list(dict.fromkeys(target.industries + source.industries)),
                "identity_elements": list(dict.fromkeys(target.identity_elements + source.identity_elements)),
                "lead_actors": list(dict.fromkeys(target.lead_actors + source.lead_actors))})
            project.clusters = [merged if c.id == into else c for c in project.clusters if c.id != other]
            save_and_rerun(project, note=f"clusters {other} merged into {into}")

# --- bottlenecks --------------------------------------------------------------------------------
st.header(tr("clustering.bottlenecks"))
found = bottlenecks(project, cat, lang=lg)
if not found:
    st.caption(tr("clustering.no_bottlenecks"))
for b in found:
    st.markdown(f"- {b.message}")

# --- result -------------------------------------------------------------------------------------
st.header(tr("result"))
for c in project.clusters:
    if c.status == "accepted":
        st.markdown(f"**{c.name}** — {c.target_image or '…'}")
