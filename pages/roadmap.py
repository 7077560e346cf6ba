"""The roadmap: a preview of the document, and its PDF (to sign off) and DOCX (to edit) to download."""

from __future__ import annotations

import streamlit as st

from pages.shared import (
    apply_edit,
    catalogue,
    chart_worker,
    editor,
    editor_rows,
    grid,
    lang,
    md_literal,
    plain,
    require_project,
    sidebar,
    table,
    tr,
)
from policy_engine import incidents
from policy_engine.documents.publish import RoadmapFiles, publish
from policy_engine.documents.roadmap import Bullets, Heading, Paragraph, Pending, Table, build_roadmap
from policy_engine.i18n import LANG_NAMES
from policy_engine.method.vocabulary import SIGNATORY_STAGES
from policy_engine.wizard import frame

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
chart_worker()
st.title(tr("nav.roadmap"))
st.caption(tr("roadmap.intro"))

doc_lang = st.radio(
    tr("roadmap.doc_lang"),
    ["ru", "en", "kk"],
    index=["ru", "en", "kk"].index(lg) if lg in ("ru", "en", "kk") else 0,
    format_func=LANG_NAMES.get,
    horizontal=True,
    key="doc_lang",
)
stamp = (project.id, st.session_state.get("version"), doc_lang)

# --- who signs it off ---------------------------------------------------------------------------
with st.expander(
    tr("frame.sign_off"),
    expanded=not (project.signatories and project.next_review) or "open_sign_off" in st.session_state,
):
    st.caption(tr("frame.sign_off_help"))
    st.markdown(f"**{tr('frame.working_group')}**")
    members = editor(
        table(frame.member_rows(project), frame.MEMBER_COLUMNS),
        key="members_editor",
        num_rows="dynamic",
        width="stretch",
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(tr("frame.col.member")),
            "role": st.column_config.TextColumn(tr("frame.col.role")),
            "organisation": st.column_config.TextColumn(tr("frame.col.organisation")),
        },
    )
    st.markdown(f"**{tr('frame.signatories')}**")
    stage_label = {k: tr(f"roadmap.sign.{k}") for k in SIGNATORY_STAGES}
    signers = editor(
        table(frame.signatory_rows(project), frame.SIGNATORY_COLUMNS),
        key=f"signatories_editor_{lg}",
        num_rows="dynamic",
        width="stretch",
        hide_index=True,
        column_config={
            "stage": st.column_config.SelectboxColumn(
                tr("frame.col.stage"), options=list(stage_label), format_func=stage_label.get
            ),
            "name": st.column_config.TextColumn(tr("frame.col.member")),
            "position": st.column_config.TextColumn(tr("frame.col.position")),
        },
    )
    if st.button(tr("frame.save_tables"), key="save_sign_off"):
        st.session_state["open_sign_off"] = True
        apply_edit(
            frame.set_sign_off(project, cat, editor_rows(members), editor_rows(signers), project.next_review),
            note="sign-off",
        )
    left, right = st.columns(2)
    with left.form("member_form", clear_on_submit=True):
        st.markdown(f"**{tr('frame.add_member')}**")
        member = {
            "name": st.text_input(tr("frame.col.member"), key="new_member_name"),
            "role": st.text_input(tr("frame.col.role"), key="new_member_role"),
            "organisation": st.text_input(tr("frame.col.organisation"), key="new_member_org"),
        }
        if st.form_submit_button(tr("frame.add_member")):
            st.session_state["open_sign_off"] = True
            apply_edit(frame.add_member(project, cat, member), note="working group member added")
    with right.form("signatory_form", clear_on_submit=True):
        st.markdown(f"**{tr('frame.add_signatory')}**")
        signer = {
            "stage": st.selectbox(
                tr("frame.col.stage"), list(stage_label), format_func=stage_label.get, key=f"new_signatory_stage_{lg}"
            ),
            "name": st.text_input(tr("frame.col.member"), key="new_signatory_name"),
            "position": st.text_input(tr("frame.col.position"), key="new_signatory_position"),
        }
        if st.form_submit_button(tr("frame.add_signatory")):
            st.session_state["open_sign_off"] = True
            apply_edit(frame.add_signatory(project, cat, signer), note="signatory added")
    with st.form("review_date_form"):
        review_day = st.date_input(
            tr("frame.next_review"),
            value=project.next_review,
            key="next_review",
            format="DD.MM.YYYY" if lg in ("ru", "kk") else "YYYY-MM-DD",
        )
        if st.form_submit_button(tr("frame.save_review_date")):
            st.session_state["open_sign_off"] = True
            apply_edit(frame.set_next_review(project, cat, review_day), note="next review date")

# --- the files ---------------------------------------------------------------------------------
STEPS = {
    "content": "roadmap.step.content",
    "figures": "roadmap.step.figures",
    "pdf": "roadmap.step.pdf",
    "docx": "roadmap.step.docx",
}
if st.button(tr("roadmap.render"), type="primary", key="render_roadmap"):
    bar = st.progress(0.0, text=tr("roadmap.rendering"))

    def tell(step: str, fraction: float) -> None:
        if step in STEPS:
            bar.progress(fraction, text=tr(STEPS[step]))

    try:
        files = publish(project, cat, doc_lang, version=st.session_state.get("version"), progress=tell)
    except Exception as exc:  # noqa: BLE001 - say it failed; the project itself is untouched
        bar.empty()
        st.session_state.pop("roadmap_files", None)  # the details go to the server log, not the page
        st.error(tr("roadmap.failed", message=tr("error.incident_ref", incident=incidents.record(exc, "roadmap"))))
    else:
        bar.empty()
        st.session_state["roadmap_files"] = (stamp, files)

held = st.session_state.get("roadmap_files")
if held:
    held_stamp, files = held
    files: RoadmapFiles
    if held_stamp != stamp:
        st.warning(tr("roadmap.stale"))
    else:
        st.success(tr("roadmap.ready", pages=files.pages, seconds=f"{files.seconds:.1f}"))
        name = f"roadmap-{project.id}-cycle{project.cycle}-{doc_lang}"
        left, right = st.columns(2)
        left.download_button(
            tr("roadmap.download_pdf"),
            files.pdf,
            file_name=f"{name}.pdf",
            mime="application/pdf",
            key="download_pdf",
            type="primary",
            width="stretch",
        )
        if files.docx is not None:
            right.download_button(
                tr("roadmap.download_docx"),
                files.docx,
                file_name=f"{name}.docx",
                mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                key="download_docx",
                width="stretch",
            )

# --- the preview: the same content as the document, without the charts --------------------------
st.header(tr("roadmap.preview"))
content = build_roadmap(project, cat, doc_lang, version=st.session_state.get("version"))
for n, section in enumerate(content.sections, 1):
    with st.expander(md_literal(f"{n}. {section.title}"), expanded=n == 1):
        for i, block in enumerate(section.blocks):
            if isinstance(block, Heading):
                st.markdown(f"**{md_literal(block.text)}**")
            elif isinstance(block, Paragraph):
                if block.style == "note":
                    st.caption(md_literal(block.text))
                else:
                    st.text(plain(block.text))
            elif isinstance(block, Bullets):
                st.text(plain("\n".join(f"• {item}" for item in block.items)))
            elif isinstance(block, Table):
                grid(
                    [dict(zip(block.columns, (c.replace("\n", " · ") for c in row))) for row in block.rows],
                    key=f"preview_table_{n}_{i}",
                    hide_index=True,
                    width="stretch",
                )  # a grid cell holds one line
            elif isinstance(block, Pending):
                st.warning(
                    md_literal(block.text)
                    + ("\n\n" + "\n".join(f"- {md_literal(m)}" for m in block.missing) if block.missing else "")
                )
