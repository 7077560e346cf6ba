"""Iteration 6 — monitoring, "continuous development" (002, Table 1): KPIs with baselines, targets and
actuals and each one's status by a stated rule; the feedback log; the annual review; closing the cycle.
Logic lives in policy_engine/wizard/monitoring.py (status rules, suggestions, carry-forward)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from pages.shared import (
    apply_edit,
    author,
    catalogue,
    editor,
    editor_rows,
    get_store,
    grid,
    lang,
    md_literal,
    open_project,
    plain,
    require_project,
    show_issues,
    sidebar,
    store_error_text,
    table,
    tr,
)
from policy_engine.documents import charts
from policy_engine.i18n import number
from policy_engine.method.vocabulary import KPI_DIRECTIONS, KPI_FAMILIES, REVIEW_ACTIONS
from policy_engine.store.database import Conflict, Invalid, StoreError
from policy_engine.wizard import monitoring

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
st.title(tr("iter.6"))
st.caption(tr("monitoring.intro"))
if st.session_state.get("cycle_flash"):
    st.success(st.session_state.pop("cycle_flash"))
family_label = {f: tr(f"roadmap.family.{f}") for f in KPI_FAMILIES}
action_label = {a: tr(f"monitoring.action.{a}") for a in REVIEW_ACTIONS}
direction_label = {d: tr(f"monitoring.direction.{d}") for d in KPI_DIRECTIONS}
cluster_label = {c.id: plain(c.name) for c in project.clusters}  # option labels, shown as typed
cluster_ids = list(cluster_label)
region_wide = tr("measures.region_wide")
measure_ids = [m.id for m in cat.measures]
rules = monitoring.load_rules()


def kpi_label(kpi: str) -> str:
    track = next(k for k in project.kpis if k.kpi == kpi)
    return plain(monitoring.kpi_name(track, cat, lg))


def measure_label(measure: str | None) -> str:
    return cat.measure(measure).title.get(lg) if measure in measure_ids else (plain(measure) or "—")


# --- KPIs and their status ----------------------------------------------------------------------
st.header(tr("monitoring.kpis"))
if not project.kpis:
    st.info(tr("monitoring.no_kpis"))
rows, paths = monitoring.status_table(project, cat, rules, lg)
if rows:
    # a grid, not st.table: a custom KPI's name is user text, and st.table cells are Markdown (PITFALLS §8)
    grid(
        rows,
        hide_index=True,
        width="stretch",
        key="kpi_status_table",
        column_config={tr("monitoring.col.rule"): st.column_config.TextColumn(width="large")},
    )
    st.subheader(tr("monitoring.paths"))
    st.altair_chart(
        charts.kpi_paths(
            paths,
            {
                "series": tr("roadmap.col.series"),
                "kpi": tr("roadmap.col.kpi"),
                "target": tr("roadmap.series.target"),
                "actual": tr("roadmap.series.actual"),
            },
        ),
        width="content",
    )

if project.kpis:
    with st.form("actual_form"):
        st.subheader(tr("monitoring.record"))
        c1, c2, c3 = st.columns([3, 1, 1])
        kpi = c1.selectbox(
            tr("monitoring.col.kpi"), [k.kpi for k in project.kpis], format_func=kpi_label, key=f"actual_kpi_{lg}"
        )
        year = c2.number_input(
            tr("monitoring.col.year"),
            min_value=1990,
            max_value=2100,
            step=1,
            value=date.today().year - 1,
            key="actual_year",
        )
        value = c3.number_input(tr("monitoring.value"), value=0.0, format="%.3f", key="actual_value")
        if st.form_submit_button(tr("monitoring.save_actual")):
            apply_edit(
                monitoring.record_actual(project, cat, kpi, int(year), float(value)),
                note=f"KPI {kpi} actual {int(year)}",
            )

    with st.expander(tr("monitoring.years"), expanded=True):
        chosen_kpi = st.selectbox(
            tr("monitoring.col.kpi"), [k.kpi for k in project.kpis], format_func=kpi_label, key=f"years_kpi_{lg}"
        )
        track = next(k for k in project.kpis if k.kpi == chosen_kpi)
        st.caption(tr("monitoring.years_help", baseline=number(track.baseline, lg, 3), year=track.baseline_year))
        year_table = editor(
            table(monitoring.year_rows(track), monitoring.YEAR_COLUMNS),
            key=f"years_editor_{chosen_kpi}",
            num_rows="dynamic",
            hide_index=True,
            column_config={
                "year": st.column_config.NumberColumn(
                    tr("monitoring.col.year"), min_value=1990, max_value=2100, step=1, format="%d"
                ),
                "target": st.column_config.NumberColumn(tr("monitoring.target")),
                "actual": st.column_config.NumberColumn(tr("monitoring.col.actual")),
            },
        )
        if st.button(tr("monitoring.save_years"), key="save_years"):
            apply_edit(
                monitoring.set_years(project, cat, chosen_kpi, editor_rows(year_table)),
                note=f"KPI {chosen_kpi} targets and actuals",
            )

with st.expander(tr("monitoring.add"), expanded=not project.kpis):
    with st.form("kpi_form"):
        tracked = {k.kpi for k in project.kpis}
        choice = st.selectbox(
            tr("monitoring.from_catalogue"),
            [""] + [k.id for k in cat.kpis if k.id not in tracked],
            format_func=lambda i: cat.kpi(i).name.get(lg) if i else "—",
            key=f"new_kpi_{lg}",
        )
        custom = st.text_input(tr("monitoring.custom"), key="new_kpi_custom")
        c1, c2, c3 = st.columns(3)
        unit_text = c1.text_input(tr("monitoring.unit"), key="new_kpi_unit")
        family = c2.selectbox(
            tr("monitoring.family"), list(KPI_FAMILIES), format_func=family_label.get, key=f"new_kpi_family_{lg}"
        )
        direction = c3.selectbox(
            tr("monitoring.direction"),
            list(direction_label),
            format_func=direction_label.get,
            key=f"new_kpi_direction_{lg}",
        )
        c1, c2, c3, c4 = st.columns(4)
        base_year = c1.number_input(tr("monitoring.col.year"), 1990, 2100, date.today().year - 1, key="new_kpi_by")
        baseline = c2.number_input(tr("monitoring.col.baseline"), value=0.0, key="new_kpi_baseline")
        target_year = c3.number_input(tr("monitoring.target_year"), 1990, 2100, date.today().year + 1, key="new_kpi_ty")
        target = c4.number_input(tr("monitoring.target"), value=0.0, key="new_kpi_target")
        if st.form_submit_button(tr("monitoring.save_kpi")):
            apply_edit(
                monitoring.add_kpi(
                    project,
                    cat,
                    {
                        "kpi": choice,
                        "name": "" if choice else custom,
                        "unit": unit_text,
                        "family": family,
                        "direction": direction,
                        "baseline_year": int(base_year),
                        "baseline": float(baseline),
                        "target_year": int(target_year),
                        "target": float(target),
                    },
                ),
                note="KPI added",
            )

# --- feedback -----------------------------------------------------------------------------------
st.header(tr("monitoring.feedback"))
feedback_table = table(monitoring.feedback_rows(project), monitoring.FEEDBACK_COLUMNS)
feedback_table["received"] = pd.to_datetime(feedback_table["received"])
feedback = editor(
    feedback_table,
    key="feedback_editor",
    num_rows="dynamic",
    width="stretch",
    hide_index=True,
    column_config={
        "received": st.column_config.DateColumn(tr("monitoring.col.received"), format="DD.MM.YYYY"),
        **{
            k: st.column_config.TextColumn(tr(f"monitoring.col.{k}"))
            for k in ("source", "issue", "opportunity", "response")
        },
    },
)
if st.button(tr("monitoring.save_feedback"), key="save_feedback"):
    apply_edit(monitoring.set_feedback(project, cat, editor_rows(feedback)), note="feedback log")
with st.expander(tr("monitoring.add_feedback"), expanded=not project.feedback):
    with st.form("feedback_form"):
        c1, c2 = st.columns([1, 3])
        received = c1.date_input(tr("monitoring.col.received"), key="new_feedback_received", format="DD.MM.YYYY")
        source = c2.text_input(tr("monitoring.col.source"), key="new_feedback_source")
        entry = {
            k: st.text_area(tr(f"monitoring.col.{k}"), key=f"new_feedback_{k}", height=68)
            for k in ("issue", "opportunity", "response")
        }
        if st.form_submit_button(tr("monitoring.add_feedback_submit")):
            apply_edit(
                monitoring.add_feedback(project, cat, {"received": received, "source": source, **entry}),
                note="feedback entry",
            )

# --- the annual review and closing the cycle ----------------------------------------------------
st.header(tr("monitoring.review"))
st.caption(tr("monitoring.review_help"))
review = project.review
decision_table = table(monitoring.decision_rows(project, lg), monitoring.DECISION_COLUMNS)
decision_table["suggested"] = decision_table["suggested"].astype(object)  # an added row's None fits
decisions = editor(
    decision_table,
    key=f"review_editor_{project.cycle}_{lg}",
    num_rows="dynamic",
    width="stretch",
    hide_index=True,
    disabled=["suggested"],
    column_config={
        "measure": st.column_config.SelectboxColumn(
            tr("monitoring.col.measure"), options=measure_ids, format_func=measure_label
        ),
        "cluster": st.column_config.SelectboxColumn(
            tr("monitoring.region_wide_hint"), options=cluster_ids, format_func=lambda c: cluster_label.get(c, c)
        ),
        "action": st.column_config.SelectboxColumn(
            tr("monitoring.col.action"), options=list(REVIEW_ACTIONS), format_func=action_label.get
        ),
        "reason": st.column_config.TextColumn(tr("monitoring.col.reason")),
        "change": st.column_config.TextColumn(tr("monitoring.col.change")),
        "suggested": st.column_config.CheckboxColumn(tr("monitoring.col.suggested")),
    },
)
c1, c2 = st.columns([1, 3])
review_year = c1.number_input(
    tr("monitoring.review_year"),
    1990,
    2100,
    review.year if review else (project.next_review or date.today()).year,
    key=f"review_year_{project.cycle}",
)
summary = c2.text_area(
    tr("monitoring.summary"), value=review.summary if review else "", key=f"review_summary_{project.cycle}"
)
if st.button(tr("monitoring.save_review"), key="save_review"):
    apply_edit(
        monitoring.set_review(project, cat, editor_rows(decisions), int(review_year), summary), note="annual review"
    )
with st.expander(tr("monitoring.add_decision")):
    with st.form("decision_form"):
        chosen_first = list(dict.fromkeys([m.measure for m in project.measures] + measure_ids))
        c1, c2, c3 = st.columns([3, 2, 1])
        d_measure = c1.selectbox(
            tr("monitoring.col.measure"), chosen_first, format_func=measure_label, key=f"new_decision_measure_{lg}"
        )
        d_cluster = c2.selectbox(
            tr("monitoring.col.cluster"),
            [None, *cluster_ids],
            format_func=lambda c: (cluster_label | {None: region_wide}).get(c, c),
            key=f"new_decision_cluster_{lg}",
        )
        d_action = c3.selectbox(
            tr("monitoring.col.action"),
            list(REVIEW_ACTIONS),
            format_func=action_label.get,
            key=f"new_decision_action_{lg}",
        )
        d_reason = st.text_input(tr("monitoring.col.reason"), key="new_decision_reason")
        d_change = st.text_input(tr("monitoring.col.change"), key="new_decision_change")
        if st.form_submit_button(tr("monitoring.add_decision_submit")):
            apply_edit(
                monitoring.set_decision(
                    project,
                    cat,
                    {
                        "measure": d_measure,
                        "cluster": d_cluster,
                        "action": d_action,
                        "reason": d_reason,
                        "change": d_change,
                        "year": int(review_year),
                    },
                ),
                note="review decision",
            )

st.subheader(tr("monitoring.close"))
st.caption(tr("monitoring.close_help", cycle=project.cycle, next=project.cycle + 1))
sure = st.checkbox(tr("monitoring.confirm_close"), key=f"confirm_close_{project.cycle}")
if st.button(tr("monitoring.close"), key="close_cycle", disabled=not sure or st.session_state.get("read_only", False)):
    try:
        get_store().close_cycle(
            project.id, st.session_state["version"], author(), passphrase=st.session_state.get("passphrase")
        )
    except Conflict as exc:
        st.session_state["conflict"] = exc
        st.rerun()
    except Invalid as exc:  # no review yet, or a chosen measure without a decision
        show_issues(exc.issues, "monitoring.close_refused")
    except StoreError as exc:
        st.error(store_error_text(exc))
    else:
        open_project(project.id, st.session_state.get("passphrase"))
        st.session_state["cycle_flash"] = tr("monitoring.closed", cycle=project.cycle, next=project.cycle + 1)
        st.rerun()

# --- what earlier cycles left ---------------------------------------------------------------------
for past in reversed(project.previous_cycles):
    with st.expander(tr("monitoring.previous", cycle=past.cycle, date=past.closed_on.isoformat())):
        if past.summary:
            st.text(plain(past.summary))
        past_results, past_decisions = monitoring.previous_cycle_tables(past, cat, lg)
        grid(past_results, key=f"previous_results_{past.cycle}", hide_index=True, width="stretch")
        grid(past_decisions, key=f"previous_decisions_{past.cycle}", hide_index=True, width="stretch")
if project.cycle > 1:
    try:
        changes = get_store().cycle_diff(
            project.id, project.cycle - 1, project.cycle, passphrase=st.session_state.get("passphrase")
        )
    except StoreError:
        changes = []
    with st.expander(tr("monitoring.changes", older=project.cycle - 1, newer=project.cycle)):
        st.markdown("\n".join(f"- {md_literal(c.describe(lg, cat))}" for c in changes) or "—")
