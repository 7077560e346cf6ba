"""Page 1's creative-economy part: a register imported as officials export it (title rows, a total
row, columns mapped by hand when their headers are not recognised) and the GVA/GRP figures by year.
Every change goes through an edit operation of policy_engine.wizard.frame."""

from __future__ import annotations

import streamlit as st

from pages.shared import (
    apply_edit,
    catalogue,
    editor,
    editor_rows,
    grid,
    lang,
    md_literal,
    money_unit,
    plain,
    table,
    tr,
    tr_md,
)
from policy_engine.diagnostics import registers
from policy_engine.diagnostics.register import RegisterError
from policy_engine.project.model import Project
from policy_engine.wizard import frame


def register_mapping(layout, key: str):
    """The column mapping step for a table: None when the reader recognised every needed column, the
    user's mapping once every needed role has a column, or False while one is still unmapped."""
    if layout.title_lines:
        st.caption(tr("audit.header_below", line=layout.header_line))
    if not layout.missing and not layout.ambiguous:  # an ambiguous role is chosen here too, none preselected
        return None
    with st.container(border=True):
        st.subheader(tr("audit.mapping"))
        st.caption(tr("audit.mapping_help", line=layout.header_line))
        for text in layout.ambiguity(lang()):
            st.warning(md_literal(text))  # it quotes the file's headers
        st.caption(tr("audit.mapping_preview"))
        labels = {None: tr("audit.mapping_none"), **{i: f"{i + 1}. {plain(h)}" for i, h in enumerate(layout.headers)}}
        grid(
            [dict(zip([labels[i] for i in range(len(layout.headers))], row)) for row in layout.preview],
            hide_index=True,
            width="stretch",
            key="mapping_preview",
            download=False,  # the user's own file, already on their disk
        )
        options = [None] + list(range(len(layout.headers)))
        mapping = {}
        for role in ("code", "municipality", "employees", "revenue"):
            mapping[role] = st.selectbox(
                tr(f"register_role.{role}"),
                options,
                key=f"map_{role}_{key}",
                index=options.index(layout.roles[role]) if role in layout.roles else 0,
                format_func=labels.get,
            )
    if any(mapping[r] is None for r in ("code", "municipality", "employees")):
        return False
    return mapping


def register_options(plan, key: str):
    """What the user chooses for the upload's format: registers.Options, or False while something is missing."""
    if plan.format == "table":
        mapping = register_mapping(plan.layout, key)
        return False if mapping is False else registers.Options(columns=mapping)
    if plan.format != "fns":
        return registers.Options()
    if not plan.has_headcount:
        st.warning(tr("audit.fns_no_headcount"))
    codes = [code for code, _ in plan.regions]
    counts = dict(plan.regions)
    region = st.selectbox(
        tr("audit.fns_region"),
        codes,
        key=f"fns_region_{key}",
        format_func={
            c: tr("audit.fns_region_option", code=c, count=f"{n:,}".replace(",", "\u00a0")) for c, n in counts.items()
        }.get,
    )
    policy = st.radio(
        tr("audit.fns_policy"),
        ["band", "exclude"],
        key=f"fns_policy_{key}",
        format_func={p: tr(f"audit.fns_policy.{p}") for p in ("band", "exclude")}.get,
    )
    return registers.Options(region=region, no_headcount=policy)


def show_register_totals(report) -> None:
    """Total rows ("Итого", "Барлығы") checked against the sum of the used rows: a mismatch is a warning."""
    for total in report.totals:
        (st.warning if total.matches is False else st.caption)(md_literal(total.describe(lang())))


def economy_section(project: Project) -> None:
    cat, lg = catalogue(), lang()
    uploads = st.file_uploader(
        tr("audit.upload"),
        type=["csv", "txt", "xlsx", "zip", "xml"],
        accept_multiple_files=True,
        key="register_files",
        help=tr("audit.upload_help"),
    )
    if uploads:
        files = [(u.name, u.getvalue()) for u in uploads]
        key = "_".join(sorted(u.name for u in uploads))[:200]
        try:
            plan = registers.plan(files)
        except RegisterError as exc:
            st.error(tr_md("audit.register_error", message=exc.describe(lg)))  # it may quote the file's text
            plan = None
        if plan is not None:
            st.caption(tr(f"audit.format.{plan.format}"))
            options = register_options(plan, key)
            held = len(project.economy.employment)
            # an import replaces the employment data: say so, and ask (the version before stays in the history)
            replace = not held or st.checkbox(tr("audit.replace_confirm", rows=held), key="register_replace_ok")
            if options is not False and st.button(
                tr("audit.import_register"), key="import_register", disabled=not replace
            ):
                with st.status(tr("audit.importing"), expanded=False) as status:
                    try:
                        result = registers.read_registers(files, cat, project.crosswalk, options)
                    except RegisterError as exc:
                        status.update(state="error")
                        st.session_state["register_error"] = exc.describe(lg)
                    else:
                        status.update(state="complete")
                        st.session_state.pop("register_error", None)
                        edit = frame.import_register(project, cat, result.cells)
                        # places not in the table; when there was no table yet, they simply make it
                        had_table = bool(project.region.municipalities)
                        added = frame.new_territories(project, edit.project) if edit.ok and had_table else []
                        # the session keeps a summary: the counts by reason and the first rejected rows
                        st.session_state["register_report"] = (project.id, result.summary(), result.rejections(), added)
                        apply_edit(edit, note=f"register {key}")
    if st.session_state.get("register_error"):
        st.error(tr_md("audit.register_error", message=st.session_state["register_error"]))
    held = st.session_state.get("register_report") or (None, None, None, [])
    report, rejections, added = (held[1], held[2], held[3]) if held[0] == project.id else (None, None, [])
    if report is not None:
        st.info(
            tr(
                "audit.imported",
                used=f"{report.rows_used:,}",
                total=f"{report.rows_total:,}",
                rejected=f"{rejections.count:,}",
            )
        )
        for warning in report.warnings:  # e.g. codes stored as numbers, read back with their digits
            st.warning(md_literal(warning.describe(lg)))
        if rejections.count > len(rejections.first):
            st.caption(
                md_literal(
                    tr(
                        "audit.rejected_counts",
                        shown=f"{len(rejections.first):,}",
                        counts=rejections.describe_counts(lg),
                    )
                )
            )
        show_register_totals(report)
        if added:  # places the table did not have: the facilitator says which municipality each is
            st.warning(tr_md("audit.territories_added", count=len(added), names="; ".join(added[:20])))
        if report.rejected:
            st.caption(tr("audit.rejected"))
            grid(
                [{tr("audit.line"): r.line, tr("audit.reason"): r.describe(lg)} for r in report.rejected[:5000]],
                hide_index=True,
                width="stretch",
                key="rejected_table",
            )

    with st.expander(tr("frame.gva"), expanded=False):
        st.caption(tr("frame.gva_help"))
        unit_text = money_unit(project)
        gva = editor(
            table(frame.gva_rows(project), frame.GVA_COLUMNS),
            key="gva_editor",
            num_rows="dynamic",
            width="stretch",
            hide_index=True,
            column_config={
                "year": st.column_config.NumberColumn(
                    tr("frame.col.year"), min_value=1990, max_value=2100, step=1, format="%d"
                ),
                "territory": st.column_config.TextColumn(tr("frame.col.territory")),
                "creative_gva": st.column_config.NumberColumn(
                    tr("frame.col.creative_gva", unit=unit_text), min_value=0
                ),
                "grp": st.column_config.NumberColumn(tr("frame.col.grp", unit=unit_text), min_value=0),
            },
        )
        with st.form("gva_form"):
            left, right = st.columns(2)
            region_t = left.text_input(
                tr("frame.region_territory"),
                value=project.economy.region_territory or project.region.name,
                key="gva_region",
            )
            nation_t = right.text_input(
                tr("frame.nation_territory"), value=project.economy.nation_territory or "", key="gva_nation"
            )
            if st.form_submit_button(tr("frame.save_gva")):
                apply_edit(
                    frame.set_economy(project, cat, editor_rows(gva), region_t, nation_t), note="economy figures"
                )
        with st.form("gva_year_form", clear_on_submit=True):
            st.markdown(f"**{tr('frame.add_gva')}**")
            c1, c2, c3, c4 = st.columns([1, 3, 2, 2])
            g_values = {
                "year": c1.number_input(tr("frame.col.year"), 1990, 2100, value=2024, step=1, key="new_gva_year"),
                "territory": c2.text_input(
                    tr("frame.col.territory"), value=project.region.name, key="new_gva_territory"
                ),
                "creative_gva": c3.number_input(
                    tr_md("frame.col.creative_gva", unit=unit_text), min_value=0.0, key="new_gva_value"
                ),
                "grp": c4.number_input(tr_md("frame.col.grp", unit=unit_text), min_value=0.0, key="new_gva_grp"),
            }
            if st.form_submit_button(tr("frame.add_gva")):
                apply_edit(frame.add_gva(project, cat, g_values), note="economy year added")
