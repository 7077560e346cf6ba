"""Iteration 6 — monitoring, "continuous development" (002, Table 1): KPIs with baselines, targets and
actuals and each one's status by a stated rule; the feedback log; the annual review; closing the cycle.
Logic lives in policy_engine/monitoring.py (status rules, suggestions, carry-forward)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages.shared import (
    author, catalogue, get_store, lang, md_literal, open_project, require_project, save_and_rerun, show_row_errors,
    sidebar, tr,
)
from policy_engine import charts, monitoring
from policy_engine.i18n import number
from policy_engine.project import AnnualReview, CustomKpi, KpiTrack
from policy_engine.store import Conflict, StoreError

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
st.title(tr("iter.6"))
st.caption(tr("monitoring.intro"))
if st.session_state.get("cycle_flash"):
    st.success(st.session_state.pop("cycle_flash"))
status_label = {s: tr(f"monitoring.status.{s}") for s in ("on_track", "at_risk", "off_track", "no_data")}
rules = monitoring.load_rules()


def kpi_label(kpi: str) -> str:
    track = next(k for k in project.kpis if k.kpi == kpi)
    return monitoring.kpi_name(track, cat, lg)


# --- KPIs and their status ----------------------------------------------------------------------
st.header(tr("monitoring.kpis"))
if not project.kpis:
    st.info(tr("monitoring.no_kpis"))
rows, paths = [], []
for k in project.kpis:
    s = monitoring.status(k, cat, rules=rules)
    name, family, unit = monitoring.kpi_info(k, cat, lg)
    rows.append({tr("monitoring.col.kpi"): f"{name}, {unit}" if unit else name,
                 tr("monitoring.col.family"): tr(f"roadmap.family.{family}") if family else "",
                 tr("monitoring.col.baseline"): f"{number(k.baseline, lg, 3)} ({k.baseline_year})",
                 tr("monitoring.col.year"): s.year or "—",
                 tr("monitoring.col.actual"): "—" if s.actual is None else number(s.actual, lg, 3),
                 tr("monitoring.col.planned"): "—" if s.planned is None else number(s.planned, lg, 3),
                 tr("monitoring.col.status"): status_label[s.status],
                 tr("monitoring.col.rule"): s.explain(lg, rules)})
    paths += monitoring.path_rows(k, tr("roadmap.series.target"), tr("roadmap.series.actual"),
                                  f"{name[:38]} ({status_label[s.status]})")
if rows:
    st.table(rows)  # a static table, so the rule in the last column wraps instead of being cut off
    st.subheader(tr("monitoring.paths"))
    st.altair_chart(charts.kpi_paths(paths, {"series": tr("roadmap.col.series"), "kpi": tr("roadmap.col.kpi"),
                                             "target": tr("roadmap.series.target"),
                                             "actual": tr("roadmap.series.actual")}), width="content")

if project.kpis:
    with st.form("actual_form"):
        st.subheader(tr("monitoring.record"))
        c1, c2, c3 = st.columns([3, 1, 1])
        kpi = c1.selectbox(tr("monitoring.col.kpi"), [k.kpi for k in project.kpis], format_func=kpi_label,
                           key=f"actual_kpi_{lg}")
        year = c2.number_input(tr("monitoring.col.year"), min_value=1990, max_value=2100, step=1,
                               value=date.today().year - 1, key="actual_year")
        value = c3.number_input(tr("monitoring.value"), value=0.0, format="%.3f", key="actual_value")
        if st.form_submit_button(tr("monitoring.save_actual")):
            save_and_rerun(monitoring.with_actual(project, kpi, int(year), float(value)),
                           note=f"KPI {kpi} actual {int(year)}")

if project.kpis:
    with st.expander(tr("monitoring.years")):
        chosen_kpi = st.selectbox(tr("monitoring.col.kpi"), [k.kpi for k in project.kpis], format_func=kpi_label,
                                  key=f"years_kpi_{lg}")
        track = next(k for k in project.kpis if k.kpi == chosen_kpi)
        st.caption(tr("monitoring.years_help", baseline=f"{track.baseline:g}", year=track.baseline_year))
        year_table = st.data_editor(
            monitoring.year_rows(track), key=f"years_editor_{chosen_kpi}", num_rows="dynamic", hide_index=True,
            column_config={"year": st.column_config.NumberColumn(tr("monitoring.col.year"), min_value=1990,
                                                                 max_value=2100, step=1, format="%d", required=True),
                           "target": st.column_config.NumberColumn(tr("monitoring.target")),
                           "actual": st.column_config.NumberColumn(tr("monitoring.col.actual"))})
        if st.button(tr("monitoring.save_years"), key="save_years"):
            updated, errors = monitoring.with_years(project, chosen_kpi, list(year_table))
            if errors:
                show_row_errors(errors)
            else:
                save_and_rerun(updated, note=f"KPI {chosen_kpi} targets and actuals")

with st.expander(tr("monitoring.add")):
    with st.form("kpi_form"):
        tracked = {k.kpi for k in project.kpis}
        choice = st.selectbox(tr("monitoring.from_catalogue"), [""] + [k.id for k in cat.kpis if k.id not in tracked],
                              format_func=lambda i: cat.kpi(i).name.get(lg) if i else "—", key=f"new_kpi_{lg}")
        custom = st.text_input(tr("monitoring.custom"), key="new_kpi_custom")
        c1, c2 = st.columns(2)
        unit_text = c1.text_input(tr("monitoring.unit"), key="new_kpi_unit")
        family = c2.selectbox(tr("monitoring.family"), ["economic", "socio_cultural", "reputational"],
                              format_func=lambda f: tr(f"roadmap.family.{f}"), key=f"new_kpi_family_{lg}")
        c1, c2, c3, c4 = st.columns(4)
        base_year = c1.number_input(tr("monitoring.col.year"), 1990, 2100, date.today().year - 1, key="new_kpi_by")
        baseline = c2.number_input(tr("monitoring.col.baseline"), value=0.0, key="new_kpi_baseline")
        target_year = c3.number_input(tr("monitoring.target_year"), 1990, 2100, date.today().year + 1,
                                      key="new_kpi_ty")
        target = c4.number_input(tr("monitoring.target"), value=0.0, key="new_kpi_target")
        if st.form_submit_button(tr("monitoring.save_kpi")):
            from policy_engine.cells import slug

            ident = choice or slug(custom)
            if not ident:
                st.error(tr("monitoring.custom"))
            elif ident in tracked:
                st.error(tr("monitoring.kpi_exists"))
            else:
                try:
                    track = KpiTrack(kpi=ident, baseline_year=int(base_year), baseline=float(baseline),
                                     targets={int(target_year): float(target)},
                                     custom=None if choice else CustomKpi(name=custom.strip(), family=family,
                                                                          unit=unit_text.strip() or "—"))
                except ValueError as exc:
                    st.error(str(exc))
                else:
                    project.kpis = [*project.kpis, track]
                    save_and_rerun(project, note=f"KPI {ident}")

# --- feedback -----------------------------------------------------------------------------------
st.header(tr("monitoring.feedback"))
feedback = st.data_editor(
    monitoring.feedback_rows(project), key="feedback_editor", num_rows="dynamic", width="stretch", hide_index=True,
    column_config={"received": st.column_config.DateColumn(tr("monitoring.col.received"), required=True,
                                                           format="DD.MM.YYYY"),
                   **{k: st.column_config.TextColumn(tr(f"monitoring.col.{k}"))
                      for k in ("source", "issue", "opportunity", "response")}})
if st.button(tr("monitoring.save_feedback"), key="save_feedback"):
    items, errors = monitoring.feedback_from_rows(list(feedback))
    if errors:
        show_row_errors(errors)
    else:
        project.feedback = items
        save_and_rerun(project, note="feedback log")

# --- the annual review and closing the cycle ----------------------------------------------------
st.header(tr("monitoring.review"))
st.caption(tr("monitoring.review_help"))
review = project.review
clusters = {c.id: c.name for c in project.clusters}
review_rows = [dict(r, cluster_name=clusters.get(r["cluster"], r["cluster"]) if r["cluster"] else
                    tr("measures.region_wide")) for r in monitoring.decision_rows(project, lg)]
decisions = st.data_editor(
    review_rows, key=f"review_editor_{project.cycle}_{lg}", width="stretch", hide_index=True,
    disabled=["measure", "cluster_name", "suggested"],
    column_order=["measure", "cluster_name", "action", "reason", "change", "suggested"],
    column_config={
        "measure": st.column_config.SelectboxColumn(tr("monitoring.col.measure"), options=[m.id for m in cat.measures],
                                                    format_func=lambda m: cat.measure(m).title.get(lg)),
        "cluster_name": st.column_config.TextColumn(tr("monitoring.col.cluster")),
        "suggested": st.column_config.CheckboxColumn(tr("monitoring.col.suggested")),
        "action": st.column_config.SelectboxColumn(tr("monitoring.col.action"), options=["keep", "adjust", "drop"],
                                                   format_func=lambda a: tr(f"monitoring.action.{a}"), required=True),
        "reason": st.column_config.TextColumn(tr("monitoring.col.reason"), required=True),
        "change": st.column_config.TextColumn(tr("monitoring.col.change"))})
c1, c2 = st.columns([1, 3])
review_year = c1.number_input(tr("monitoring.review_year"), 1990, 2100, review.year if review else
                              (project.next_review or date.today()).year, key=f"review_year_{project.cycle}")
summary = c2.text_area(tr("monitoring.summary"), value=review.summary if review else "",
                       key=f"review_summary_{project.cycle}")
if st.button(tr("monitoring.save_review"), key="save_review"):
    chosen, errors = monitoring.decisions_from_rows(list(decisions))
    if errors:
        show_row_errors(errors)
    else:
        project.review = AnnualReview(year=int(review_year), reviewed_on=date.today(), summary=summary.strip(),
                                      decisions=chosen)
        save_and_rerun(project, note="annual review")

st.subheader(tr("monitoring.close"))
st.caption(tr("monitoring.close_help", cycle=project.cycle, next=project.cycle + 1))
sure = st.checkbox(tr("monitoring.confirm_close"), key=f"confirm_close_{project.cycle}")
if st.button(tr("monitoring.close"), key="close_cycle", disabled=not sure or st.session_state.get("read_only", False)):
    if project.review is None:
        st.error(tr("monitoring.need_review"))
    else:
        try:
            get_store().close_cycle(project.id, st.session_state["version"], author(),
                                    passphrase=st.session_state.get("passphrase"))
        except Conflict as exc:
            st.session_state["conflict"] = exc
            st.rerun()
        except StoreError as exc:
            st.error(tr("error.generic", message=str(exc)))
        else:
            open_project(project.id, st.session_state.get("passphrase"))
            st.session_state["cycle_flash"] = tr("monitoring.closed", cycle=project.cycle, next=project.cycle + 1)
            st.rerun()

# --- what earlier cycles left ---------------------------------------------------------------------
for past in reversed(project.previous_cycles):
    with st.expander(tr("monitoring.previous", cycle=past.cycle, date=past.closed_on.isoformat())):
        if past.summary:
            st.text(past.summary)
        st.dataframe([{tr("monitoring.col.kpi"): r.name, tr("monitoring.col.year"): r.year,
                       tr("monitoring.col.actual"): r.actual, tr("monitoring.col.planned"): r.planned,
                       tr("monitoring.col.status"): status_label[r.status]} for r in past.results],
                     hide_index=True, width="stretch")
        st.dataframe([{tr("monitoring.col.measure"): cat.measure(d.measure).title.get(lg) if d.measure in
                       {m.id for m in cat.measures} else d.measure,
                       tr("monitoring.col.action"): tr(f"monitoring.action.{d.action}"),
                       tr("monitoring.col.reason"): d.reason, tr("monitoring.col.change"): d.change}
                      for d in past.decisions], hide_index=True, width="stretch")
if project.cycle > 1:
    try:
        changes = get_store().cycle_diff(project.id, project.cycle - 1, project.cycle,
                                         passphrase=st.session_state.get("passphrase"))
    except StoreError:
        changes = []
    with st.expander(tr("monitoring.changes", older=project.cycle - 1, newer=project.cycle)):
        st.markdown("\n".join(f"- {md_literal(c.describe())}" for c in changes) or "—")
