"""The roadmap: the results of the iterations in one place (the signed PDF comes in a later issue)."""

from __future__ import annotations

import streamlit as st

from pages.shared import catalogue, industry_name, lang, require_project, sidebar, tr
from policy_engine.clusters import growth_points

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
st.title(tr("nav.roadmap"))
st.caption(tr("roadmap.intro"))
st.subheader(project.region.name)
if project.working_group:
    st.markdown(f"**{tr('roadmap.working_group')}:** " + "; ".join(
        f"{m.name} ({m.role}, {m.organisation})".replace(" (, )", "") for m in project.working_group))

st.header(tr("roadmap.positioning"))
st.write(project.region.positioning or tr("roadmap.not_done"))

st.header(tr("roadmap.priorities"))
for gp in growth_points(project, cat, lang=lg)[:5]:
    st.markdown(f"{gp.rank}. **{industry_name(gp.industry)}** — {gp.score:.2f}")

st.header(tr("roadmap.clusters"))
accepted = [c for c in project.clusters if c.status == "accepted"]
if not accepted:
    st.write(tr("roadmap.not_done"))
for c in accepted:
    st.markdown(f"**{c.name}** ({', '.join(industry_name(i) for i in c.industries)})  \n{c.target_image}")

st.header(tr("roadmap.measures"))
if not project.measures:
    st.write(tr("roadmap.not_done"))
levels = cat.country(project.region.country).levels
for level in ("federal", "regional", "municipal"):
    chosen = [m for m in project.measures if cat.measure(m.measure).level == level]
    if chosen:
        st.subheader(levels[level].get(lg).capitalize())
        unit = f"{project.economy.unit} {project.economy.currency}"
        st.dataframe([{tr("col.name"): cat.measure(m.measure).title.get(lg), tr("measures.col.owner"): m.owner,
                       tr("measures.col.budget", unit=unit): m.budget, tr("measures.col.start"): m.start,
                       tr("measures.col.end"): m.end} for m in chosen], hide_index=True, width="stretch")
if project.next_review:
    st.info(tr("roadmap.next_review", date=project.next_review.isoformat()))
