"""Iteration 2 — clustering, "the project's DNA": growth points, proposed clusters, bottlenecks."""

from __future__ import annotations

import streamlit as st

from pages.shared import (
    apply_edit,
    catalogue,
    grid,
    industry_name,
    lang,
    md_literal,
    plain,
    require_project,
    save,
    show_issues,
    sidebar,
    tr,
    tr_md,
)
from policy_engine.diagnostics.bottlenecks import bottlenecks
from policy_engine.diagnostics.graphs import identity_graph, spring_positions
from policy_engine.diagnostics.growth_points import growth_points
from policy_engine.diagnostics.proposals import propose_clusters
from policy_engine.documents import charts
from policy_engine.wizard import clustering
from policy_engine.workshop import board

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
grid(
    [
        {
            tr("clustering.rank"): p.rank,
            tr("chart.industry"): industry_name(p.industry),
            tr("clustering.score"): round(p.score, 3),
            tr("clustering.reasons"): " · ".join(p.reasons),
        }
        for p in points
    ],
    hide_index=True,
    width="stretch",
    key="growth_table",
)

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
    st.altair_chart(
        charts.network(
            *charts.network_rows(graph, spring_positions(graph)),
            {"group": tr("clustering.group"), "kind": tr("clustering.kind")},
        ),
        width="stretch",
    )
for p in proposals:
    with st.container(border=True):
        st.markdown(f"**{md_literal(p.name)}** — " + ", ".join(industry_name(x) for x in p.industries))
        st.caption(md_literal(" · ".join(p.explanation)))
        taken = clustering.accepted_as(project, p)
        if taken is not None:  # said, and the button stays off: the same proposal twice is refused anyway
            st.caption(tr_md("clustering.already", name=taken.name))
        if st.button(tr("clustering.accept"), key=f"accept_{p.id}", disabled=taken is not None):
            apply_edit(clustering.accept_proposal(project, cat, p), note=f"cluster {p.name} accepted")

# --- undo of the last destructive action --------------------------------------------------------
undo = st.session_state.get("cluster_undo")
if undo and undo["project_id"] == project.id and undo["version"] == st.session_state.get("version"):
    if st.button(
        tr("clustering.undo", what=tr(f"clustering.undo.{undo['what']}")),
        key="cluster_undo_button",
        icon=":material/undo:",
    ):
        st.session_state.pop("cluster_undo", None)
        apply_edit(clustering.restore(project, cat, undo["before"]), note="undo")


def remember_undo(what: str) -> None:
    """Keep the project as it was before a delete or a merge, for one click of "undo"."""
    st.session_state["cluster_undo"] = {
        "project_id": project.id,
        "version": None,
        "what": what,
        "before": project.model_copy(deep=True),
    }


def saved_with_undo(edit, what: str, note: str) -> None:
    if not edit.ok:
        show_issues(edit.issues)
        return
    remember_undo(what)
    if save(edit.project, note):
        st.session_state["cluster_undo"]["version"] = st.session_state.get("version")
    st.rerun()


# --- the project's clusters ---------------------------------------------------------------------
st.header(tr("clustering.clusters"))
if not project.clusters:
    st.caption(tr("clustering.no_clusters"))
municipalities = [m.name for m in project.region.municipalities]
actor_ids = [a.id for a in project.actors]
actor_names = {a.id: plain(a.name) for a in project.actors}  # option labels: shown as typed, not Markdown
element_names = {e.id: plain(e.name) for e in project.identity_elements}
formation_ids = [t.id for t in cat.cluster_types]
formation_name = {t.id: t.name.get(lg) for t in cat.cluster_types}
industry_label = {i.id: i.name.get(lg) for i in cat.industries}


def cluster_form(c, key: str) -> dict | None:
    """The form of one cluster (or of a new one when `c` is None); the values when it is submitted."""
    name = st.text_input(tr("clustering.name"), value=c.name if c else "", key=f"cl_name_{key}")
    image = st.text_area(tr("clustering.target_image"), value=c.target_image if c else "", key=f"cl_image_{key}")
    anchor_options = [""] + sorted(set(municipalities) | ({c.anchor_municipality} - {None} if c else set()))
    anchor = st.selectbox(
        tr("clustering.anchor"),
        anchor_options,
        key=f"cl_anchor_{key}",
        index=anchor_options.index(c.anchor_municipality or "") if c else 0,
        format_func=lambda m: plain(m) or "—",
    )
    leads = st.multiselect(
        tr("clustering.lead_actors"),
        placeholder=tr("choose.many"),
        options=actor_ids,
        default=[a for a in (c.lead_actors if c else []) if a in actor_ids],
        format_func=lambda a: actor_names.get(a, a),
        key=f"cl_leads_{key}",
    )
    formation = st.selectbox(
        tr("clustering.formation"),
        [""] + formation_ids,
        key=f"cl_form_{key}_{lg}",
        index=([""] + formation_ids).index((c.formation_type or "") if c else ""),
        format_func=lambda t: formation_name.get(t, "—") if t else "—",
    )
    industries = st.multiselect(
        tr("clustering.industries"),
        placeholder=tr("choose.many"),
        options=[x.id for x in cat.industries],
        default=c.industries if c else [],
        format_func=industry_label.get,
        key=f"cl_ind_{key}_{lg}",
    )
    elements = st.multiselect(
        tr("audit.elements"),
        placeholder=tr("choose.many"),
        options=list(element_names),
        default=[e for e in (c.identity_elements if c else []) if e in element_names],
        format_func=lambda e: element_names.get(e, e),
        key=f"cl_el_{key}",
    )
    return {
        "name": name,
        "target_image": image,
        "anchor_municipality": anchor,
        "lead_actors": leads,
        "formation_type": formation,
        "industries": industries,
        "identity_elements": elements,
    }


for c in project.clusters:
    with st.expander(md_literal(f"{c.name} ({', '.join(industry_name(x) for x in c.industries)})")):
        with st.form(f"cluster_form_{c.id}"):
            # the version in the keys: after a merge or any save the form shows the cluster as stored,
            # never a widget's stale value that a save would write back
            values = cluster_form(c, f"{c.id}_v{st.session_state.get('version')}")
            col1, col2 = st.columns(2)
            if col1.form_submit_button(tr("clustering.save_cluster")):
                apply_edit(clustering.save_cluster(project, cat, c.id, values), note=f"cluster {c.id}")
            if col2.form_submit_button(tr("clustering.delete")):
                st.session_state["confirm_delete"] = c.id
    if st.session_state.get("confirm_delete") == c.id:
        with st.container(border=True):
            deps = clustering.cluster_dependents(project, c.id)  # asked outside the expander, so it is seen
            st.warning(tr_md("clustering.delete_confirm" if deps else "clustering.delete_confirm_plain", name=c.name))
            for kind, names in deps.items():
                shown = [cat.measure(n).title.get(lg) if kind in ("measures", "decisions") else n for n in names]
                st.text(plain("• " + tr(f"clustering.dep.{kind}", items=", ".join(shown))))
            yes, no = st.columns(2)
            if yes.button(tr("clustering.delete_yes"), key=f"delete_yes_{c.id}", type="primary"):
                st.session_state.pop("confirm_delete", None)
                saved_with_undo(clustering.delete_cluster(project, cat, c.id), "delete", f"cluster {c.id} deleted")
            if no.button(tr("clustering.delete_no"), key=f"delete_no_{c.id}"):
                st.session_state.pop("confirm_delete", None)
                st.rerun()

with st.container(border=True):  # always open: a cluster is as often defined by hand as accepted
    st.markdown(f"**{tr('clustering.add')}**")
    with st.form("add_cluster_form", border=False):
        values = cluster_form(None, "new")
        if st.form_submit_button(tr("clustering.add_button")):
            apply_edit(
                clustering.add_cluster(project, cat, values),
                note="cluster added",
                clear={
                    "cl_name_new": "",
                    "cl_image_new": "",
                    f"cl_ind_new_{lg}": [],
                    "cl_el_new": [],
                    "cl_leads_new": [],
                    "cl_anchor_new": "",
                },
            )

if len(project.clusters) > 1:
    with st.form("merge_form"):
        st.subheader(tr("clustering.merge"))
        st.caption(tr("clustering.merge_note"))
        names = {c.id: plain(c.name) for c in project.clusters}
        into = st.selectbox(tr("clustering.merge_into"), list(names), format_func=names.get, key="merge_into")
        other = st.selectbox(tr("clustering.merge_from"), list(names), index=1, format_func=names.get, key="merge_from")
        if st.form_submit_button(tr("clustering.merge_button")):
            saved_with_undo(
                clustering.merge_clusters(project, cat, into, other), "merge", f"clusters {other} merged into {into}"
            )

# --- bottlenecks --------------------------------------------------------------------------------
st.header(tr("clustering.bottlenecks"))
found = bottlenecks(project, cat, lang=lg)
if not found:
    st.caption(tr("clustering.no_bottlenecks"))
for b in found:
    st.text(plain(f"• {b.message}"))

# --- result -------------------------------------------------------------------------------------
workshop_lines = board.summary_lines(project, ("points", "ideas"), lang())
if workshop_lines:  # what the room said, accepted on the workshop page (pages/workshop.py)
    st.subheader(tr("ws.summaries"))
    for line in workshop_lines:
        st.text(line)
st.header(tr("result"))
for c in project.clusters:
    if c.status == "accepted":
        st.markdown(f"**{md_literal(c.name)}** — {md_literal(c.target_image or '…')}")
