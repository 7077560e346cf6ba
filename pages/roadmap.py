"""The roadmap: a preview of the document, and its PDF (to sign off) and DOCX (to edit) to download."""

from __future__ import annotations

import streamlit as st

from pages.shared import catalogue, chart_worker, lang, md_literal, require_project, sidebar, tr
from policy_engine.i18n import LANG_NAMES
from policy_engine.publish import RoadmapFiles, publish
from policy_engine.roadmap import Bullets, Heading, Pending, Table, Text, build_roadmap

sidebar()
project = require_project()
if project is None:
    st.stop()
cat, lg = catalogue(), lang()
chart_worker()
st.title(tr("nav.roadmap"))
st.caption(tr("roadmap.intro"))

doc_lang = st.radio(tr("roadmap.doc_lang"), ["ru", "en", "kk"], index=["ru", "en", "kk"].index(lg) if lg in
                    ("ru", "en", "kk") else 0, format_func=LANG_NAMES.get, horizontal=True, key="doc_lang")
stamp = (project.id, st.session_state.get("version"), doc_lang)

# --- the files ---------------------------------------------------------------------------------
STEPS = {"content": "roadmap.step.content", "figures": "roadmap.step.figures", "pdf": "roadmap.step.pdf",
         "docx": "roadmap.step.docx"}
if st.button(tr("roadmap.render"), type="primary", key="render_roadmap"):
    bar = st.progress(0.0, text=tr("roadmap.rendering"))

    def tell(step: str, fraction: float) -> None:
        if step in STEPS:
            bar.progress(fraction, text=tr(STEPS[step]))

    try:
        files = publish(project, cat, doc_lang, version=st.session_state.get("version"), progress=tell)
    except Exception as exc:  # noqa: BLE001 - say what failed; the project itself is untouched
        bar.empty()
        st.session_state.pop("roadmap_files", None)
        st.error(tr("roadmap.failed", message=f"{type(exc).__name__}: {exc}"))
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
        left.download_button(tr("roadmap.download_pdf"), files.pdf, file_name=f"{name}.pdf", mime="application/pdf",
                             key="download_pdf", type="primary", width="stretch")
        if files.docx is not None:
            right.download_button(tr("roadmap.download_docx"), files.docx, file_name=f"{name}.docx",
                                  mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                  key="download_docx", width="stretch")

# --- the preview: the same content as the document, without the charts --------------------------
st.header(tr("roadmap.preview"))
content = build_roadmap(project, cat, doc_lang, version=st.session_state.get("version"))
for n, section in enumerate(content.sections, 1):
    with st.expander(md_literal(f"{n}. {section.title}"), expanded=n == 1):
        for block in section.blocks:
            if isinstance(block, Heading):
                st.markdown(f"**{md_literal(block.text)}**")
            elif isinstance(block, Text):
                (st.caption if block.style == "note" else st.text)(block.text)
            elif isinstance(block, Bullets):
                st.text("\n".join(f"• {item}" for item in block.items))
            elif isinstance(block, Table):
                st.dataframe([dict(zip(block.columns, (c.replace("\n", " · ") for c in row))) for row in block.rows],
                             hide_index=True, width="stretch")  # a grid cell holds one line
            elif isinstance(block, Pending):
                st.warning(block.text + ("\n\n" + "\n".join(f"- {m}" for m in block.missing) if block.missing else ""))
