"""The editable DOCX (policy_engine/roadmap_docx.py), read back with python-docx."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from policy_engine import figures
from policy_engine.i18n import t
from policy_engine.roadmap import build_roadmap
from policy_engine.roadmap_docx import render_docx
from tests.hostile import EMOJI, KAZAKH, LONG_WORD, MARKUP, hostile_project


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def charts(catalogue):
    from policy_engine.sample import load_sample

    return figures.render_all(build_roadmap(load_sample("east-kazakhstan"), catalogue, "en").figures())


def test_docx_has_headings_tables_with_repeating_headers_and_the_charts(sample, catalogue, charts):
    doc = build_roadmap(sample, catalogue, "en")
    document = Document(io.BytesIO(render_docx(doc, charts)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:] == [f"{n}. {s.title}" for n, s in enumerate(doc.sections, 1)]
    assert headings[0] == t("roadmap.word.contents", "en")
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(document.inline_shapes) == len(doc.figures())
    xml = document.element.xml
    assert "TOC \\o" in xml and "NUMPAGES" in document.sections[0].footer._element.xml


def test_docx_keeps_hostile_text_literally(sample, catalogue, charts):
    doc = build_roadmap(hostile_project(sample), catalogue, "ru")
    text = all_text(Document(io.BytesIO(render_docx(doc, charts))))
    for s in MARKUP + [EMOJI, KAZAKH, LONG_WORD]:
        assert s in text
    assert "line one\nline two" in text and "\x00" not in text


def test_a_missing_chart_leaves_a_notice_in_the_docx(sample, catalogue):
    doc = build_roadmap(sample, catalogue, "ru")
    document = Document(io.BytesIO(render_docx(doc, {})))
    assert all_text(document).count(t("roadmap.word.no_figure", "ru")) == len(doc.figures())
    assert len(document.inline_shapes) == 0
