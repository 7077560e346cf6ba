"""Page 1's territorial part: the region on a map (with the boundaries file behind it) and the region among the
country's regions. Every change goes through an edit operation of policy_engine.wizard.frame."""

from __future__ import annotations

import streamlit as st

from pages.shared import apply_edit, catalogue, editor, editor_rows, grid, lang, plain, table, tr, tr_md
from policy_engine.diagnostics import national
from policy_engine.diagnostics.register import RegisterError
from policy_engine.documents import charts
from policy_engine.i18n import number
from policy_engine.method.vocabulary import MUNICIPALITY_KINDS
from policy_engine.project.model import Project
from policy_engine.wizard import frame, maps


def municipalities_section(project: Project) -> None:
    """The region's table of municipalities (names in each language, official code, kind), one added at a time,
    and a register's name mapped to one of them."""
    cat, lg = catalogue(), lang()
    kind_label = {
        k: tr(f"frame.kind.{k}") for k in MUNICIPALITY_KINDS
    }  # made now: AppTest calls a format_func outside the run
    with st.expander(
        tr("frame.municipalities"),
        expanded=not project.region.municipalities or "open_municipalities" in st.session_state,
    ):
        st.caption(tr("frame.municipalities_help"))
        kinds = MUNICIPALITY_KINDS
        munis = editor(
            table(frame.municipality_rows(project), frame.MUNICIPALITY_COLUMNS),
            key="municipalities_editor",
            num_rows="dynamic",
            width="stretch",
            hide_index=True,
            column_config={
                "name": st.column_config.TextColumn(tr("frame.col.name")),
                **{f"name_{x}": st.column_config.TextColumn(tr(f"frame.col.name_{x}")) for x in ("ru", "kk", "en")},
                "code": st.column_config.TextColumn(tr("frame.col.code")),
                "kind": st.column_config.SelectboxColumn(
                    tr("frame.col.kind"), options=kinds, format_func=kind_label.get
                ),
                "population": st.column_config.NumberColumn(tr("frame.col.population"), min_value=0, step=1),
            },
        )
        if st.button(tr("frame.save_municipalities"), key="save_municipalities"):
            st.session_state["open_municipalities"] = True
            apply_edit(frame.set_municipalities(project, cat, editor_rows(munis)), note="municipalities")
        with st.form("municipality_form", clear_on_submit=True):
            st.markdown(f"**{tr('frame.add_municipality')}**")
            c1, c2, c3 = st.columns([3, 2, 2])
            m_values = {
                "name": c1.text_input(tr("frame.col.name"), key="new_muni_name"),
                "code": c2.text_input(tr("frame.col.code"), key="new_muni_code"),
                "kind": c3.selectbox(
                    tr("frame.col.kind"),
                    list(kind_label),
                    index=1,
                    format_func=kind_label.get,
                    key=f"new_muni_kind_{lg}",
                ),
            }
            c4, c5, c6 = st.columns(3)
            for col, x in zip((c4, c5, c6), ("ru", "kk", "en")):
                m_values[f"name_{x}"] = col.text_input(tr(f"frame.col.name_{x}"), key=f"new_muni_name_{x}")
            if st.form_submit_button(tr("frame.add_municipality")):
                st.session_state["open_municipalities"] = True
                apply_edit(frame.add_municipality(project, cat, m_values), note="municipality added")
        if len(project.region.municipalities) >= 2:  # a register's name for a municipality of the table
            with st.form("map_territory_form"):
                st.markdown(f"**{tr('frame.map_territory')}**")
                st.caption(tr("frame.map_territory_help"))
                names = [m.name for m in project.region.municipalities]
                c1, c2 = st.columns(2)
                source = c1.selectbox(
                    tr("frame.map_from"), names, index=len(names) - 1, format_func=plain, key="map_from"
                )
                target = c2.selectbox(tr("frame.map_to"), names, index=0, format_func=plain, key="map_to")
                if st.form_submit_button(tr("frame.map_territory_do")):
                    st.session_state["open_municipalities"] = True
                    apply_edit(frame.map_territory(project, cat, source, target), note="territory mapped")


def map_section(project: Project) -> None:
    """The region on a map (policy_engine/wizard/maps.py), and the boundaries file behind it."""
    cat, lg = catalogue(), lang()
    st.subheader(tr("map.title"))
    held = maps.industries_held(project, cat)
    if maps.has_map(project):
        c1, c2 = st.columns(2)
        # labels made now: a format_func that reads the session's language later (AppTest calls it outside a
        # run) would give another language's label than the options hold
        metric_names = {m: tr(f"map.metric.{m}") for m in maps.METRICS}
        metric = c1.selectbox(tr("map.metric"), maps.METRICS, format_func=metric_names.get, key=f"map_metric_{lg}")
        industry = None
        if held and metric != "growth":
            names = {i: cat.industry(i).name.get(lg) for i in held}
            industry = c2.selectbox(tr("map.industry"), held, format_func=names.get, key=f"map_industry_{lg}")
        args = maps.chart_args(project, cat, lg, metric, industry)
        st.altair_chart(charts.municipality_map(**args), width="stretch")
        unplaced = maps.unplaced_elements(project)
        if unplaced:
            st.caption(tr_md("map.unplaced", names="; ".join(unplaced[:30])))
    else:
        st.caption(tr("map.none"))
    # open while a file is chosen or its report is shown: a rerun must not fold the button away
    busy = bool(st.session_state.get("boundaries_file")) or bool(st.session_state.get("boundaries_report"))
    with st.expander(tr("map.upload"), expanded=busy):
        st.caption(tr("map.upload_help"))
        if project.region.boundaries_source:
            st.caption(tr_md("map.source", source=project.region.boundaries_source))
        shapes = st.file_uploader(tr("map.upload"), type=["json", "geojson", "topojson"], key="boundaries_file")
        if shapes is not None and st.button(tr("map.apply"), key="apply_boundaries"):
            edit, joined = frame.set_boundaries(project, cat, shapes.getvalue(), shapes.name)
            if joined is not None:
                st.session_state["boundaries_report"] = (project.id, joined.unmatched, joined.missing)
            apply_edit(edit, note=f"boundaries {shapes.name}")
        report = st.session_state.get("boundaries_report")
        if report and report[0] == project.id:
            if report[1]:
                st.warning(tr_md("map.unmatched", names="; ".join(report[1][:30])))
            if report[2]:
                st.caption(tr_md("map.missing", names="; ".join(report[2][:30])))
        if project.region.boundaries and st.button(tr("map.clear"), key="clear_boundaries"):
            apply_edit(frame.clear_boundaries(project, cat), note="boundaries removed")


def national_section(project: Project) -> None:
    """Where the region stands among the country's regions (policy_engine/diagnostics/national.py)."""
    cat, lg = catalogue(), lang()
    busy = bool(st.session_state.get("national_files")) or bool(st.session_state.get("national"))
    with st.expander(tr("national.title"), expanded=busy):
        st.caption(tr("national.help"))
        uploads = st.file_uploader(
            tr("national.upload"),
            type=["csv", "txt", "xlsx", "zip", "xml"],
            accept_multiple_files=True,
            key="national_files",
        )
        if uploads and st.button(tr("national.compute"), key="national_compute"):
            with st.status(tr("audit.importing"), expanded=False) as status:
                try:
                    result = national.national([(u.name, u.getvalue()) for u in uploads], cat, project.crosswalk)
                except RegisterError as exc:
                    status.update(state="error")
                    st.error(tr_md("audit.register_error", message=exc.describe(lg)))
                    result = None
                else:
                    status.update(state="complete")
            if result is not None:
                # the session keeps the comparison, not the file: a few rows per region
                st.session_state["national"] = (
                    project.id,
                    result.model_copy(update={"result": result.result.summary(0)}),
                )
        held = st.session_state.get("national")
        if not held or held[0] != project.id:
            return
        result = held[1]
        st.caption(tr("national.summary", count=len(result.rows), share=number(result.share, lg, 2)))
        mine = result.find(project.region.name)
        if mine is None:
            st.warning(tr_md("national.not_found", region=project.region.name))
        else:
            st.info(
                tr_md(
                    "national.mine",
                    region=mine.region,
                    rank=mine.rank,
                    count=len(result.rows),
                    share=number(mine.share, lg, 2),
                    lq="—" if mine.lq is None else number(mine.lq, lg, 2),
                )
            )
        names = national.labels(lg)
        st.altair_chart(charts.region_ranking(national.chart_rows(result, project.region.name), names), width="stretch")
        grid(
            [{names[k]: v for k, v in row.items()} for row in national.table_rows(result, lg)],
            hide_index=True,
            width="stretch",
            key="national_table",
        )
