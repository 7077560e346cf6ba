"""The editable DOCX (policy_engine/documents/roadmap_docx.py), read back with python-docx."""

from __future__ import annotations

import io
import os
import random
import subprocess
import time
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from policy_engine.documents import figures
from policy_engine.documents import roadmap as rm
from policy_engine.documents.roadmap import build_roadmap, day
from policy_engine.documents.roadmap_docx import render_docx
from policy_engine.i18n import t
from tests.documents.test_roadmap import MARKUP_TITLE, ROOM_LABELS, mark, new_region, notes, room_summary
from tests.hostile import EMOJI, KAZAKH, LONG_WORD, MARKUP, hostile_project


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for table in document.tables for row in table.rows for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def charts(catalogue):
    from policy_engine.project.sample import load_sample

    return figures.render_all(build_roadmap(load_sample("east-kazakhstan"), catalogue, "en").figures())


def test_docx_has_headings_tables_with_repeating_headers_and_the_charts(sample, catalogue, charts):
    doc = build_roadmap(sample, catalogue, "en")
    document = Document(io.BytesIO(render_docx(doc, charts)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:] == [f"{n}. {s.title}" for n, s in enumerate(doc.sections, 1)]
    assert headings[0] == t("roadmap.word.contents", "en")
    facts, *others = document.tables  # the cover's facts are label/value pairs without a header row
    assert facts.rows[0]._tr.trPr is None or facts.rows[0]._tr.trPr.find(qn("w:tblHeader")) is None
    for table in others:
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


def _content_tables(doc: rm.Roadmap) -> list[rm.Table | rm.Signatures]:
    """The content's tables in the order the DOCX prints them (the cover's facts first)."""
    cover = doc.cover
    tables: list = [rm.Table(columns=["", ""], rows=[list(f) for f in cover.facts], widths=[4.5, 8])]
    tables += [cover.working_group] if cover.working_group is not None else []
    tables.append(cover.signatures)
    tables += [b for s in doc.sections for b in s.blocks if isinstance(b, (rm.Table, rm.Signatures))]
    return tables


def test_every_table_has_fixed_column_widths_that_word_and_writer_read(sample, catalogue):
    """Word reads each cell's w:tcW, LibreOffice the w:gridCol of w:tblGrid: both must be there,
    with a fixed layout, in the PDF's proportions (LibreOffice made every column equally wide)."""
    doc = build_roadmap(sample, catalogue, "ru")
    document = Document(io.BytesIO(render_docx(doc, {})))
    sec = document.sections[0]
    text_width = (sec.page_width - sec.left_margin - sec.right_margin) / 635  # EMU -> twips
    blocks = _content_tables(doc)
    assert len(document.tables) == len(blocks)
    for table, block in zip(document.tables, blocks):
        tbl_pr = table._tbl.tblPr
        assert tbl_pr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed" and table.autofit is False
        tbl_w = tbl_pr.find(qn("w:tblW"))
        assert tbl_w.get(qn("w:type")) == "dxa" and abs(int(tbl_w.get(qn("w:w"))) - text_width) <= 0.02 * text_width
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(grid) == len(block.columns)
        assert abs(sum(grid) - text_width) <= 0.02 * text_width, block.columns
        weights = getattr(block, "widths", None) or [1.0] * len(block.columns)
        for got, weight in zip(grid, weights):  # the explanation column keeps the PDF's share
            assert abs(got / sum(grid) - weight / sum(weights)) < 0.005, (block.columns, grid)
        for tr in table._tbl.tr_lst:
            cells = tr.tc_lst
            assert len(cells) == len(grid)
            for tc, width in zip(cells, grid):
                tc_w = tc.tcPr.find(qn("w:tcW"))
                assert tc_w.get(qn("w:type")) == "dxa" and int(tc_w.get(qn("w:w"))) == width


def test_contents_are_written_out_and_link_to_the_headings(sample, catalogue):
    """The contents show as opened, without a field update: every section and sub-heading is a
    paragraph of the TOC field's stored result, linked to a bookmark on its heading."""
    doc = build_roadmap(sample, catalogue, "ru")
    document = Document(io.BytesIO(render_docx(doc, {})))
    expected = []
    for n, section in enumerate(doc.sections, 1):
        expected.append(f"{n}. {section.title}")
        expected += [b.text for b in section.blocks if isinstance(b, rm.Heading)]
    entries = [p for p in document.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert [p.text for p in entries] == expected
    assert any("Классификация" in e for e in expected)  # the document's language, not English
    paragraphs = document.paragraphs
    title = next(i for i, p in enumerate(paragraphs) if p.text == t("roadmap.word.contents", "ru"))
    assert paragraphs[title + 1]._p is entries[0]._p  # right under the contents' title

    body = document.element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    kinds = [el.get(qn("w:fldCharType")) for el in entries[0]._p.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate"]  # the entries are the field's result, shown as stored
    assert [el.get(qn("w:fldCharType")) for el in entries[-1]._p.iter(qn("w:fldChar"))] == ["end"]
    assert "TOC \\o" in "".join(el.text for el in entries[0]._p.iter(qn("w:instrText")))
    marks = {}
    for start in body.iter(qn("w:bookmarkStart")):
        paragraph = start.getparent()
        style = paragraph.find(f"{w}pPr/{w}pStyle")
        marks[start.get(qn("w:name"))] = (
            style.get(qn("w:val")),
            "".join(el.text or "" for el in paragraph.iter(qn("w:t"))),
        )
    assert len({el.get(qn("w:id")) for el in body.iter(qn("w:bookmarkStart"))}) == len(marks) == len(entries)
    for entry in entries:
        links = entry._p.findall(qn("w:hyperlink"))
        assert len(links) == 1
        level = 1 if entry.style.name == "toc 1" else 2
        assert marks[links[0].get(qn("w:anchor"))] == (f"Heading{level}", entry.text)
    for p in paragraphs[: title + 1]:  # cover and contents' title: not in the outline (nor in Word's TOC)
        if p.style.name.startswith("Heading"):
            assert p._p.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == "9"


SOFFICE = Path("/usr/bin/soffice")


def test_libreoffice_writer_lays_the_docx_out_like_the_pdf(sample, catalogue, charts, tmp_path):
    """The DOCX as a real word processor shows it: LibreOffice Writer converts it to PDF, which
    must have about the PDF's page count (equal-width columns made it 28 pages against 23) and
    contents that list the sections without any field update. Skipped without LibreOffice, except
    under CI, where scripts/test.sh installs it (scripts/office.sh) and a skip would hide the check."""
    if not SOFFICE.exists():
        message = "LibreOffice is not installed (/usr/bin/soffice); run scripts/office.sh as root"
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the DOCX layout test, but " + message)
        pytest.skip(message)
    from pypdf import PdfReader

    from policy_engine.documents.roadmap_pdf import render_pdf_pages

    doc = build_roadmap(sample, catalogue, "ru")
    _, pdf_pages = render_pdf_pages(doc, charts)
    source = tmp_path / "roadmap.docx"
    source.write_bytes(render_docx(doc, charts))
    started = time.monotonic()
    env = {**os.environ, "HOME": str(tmp_path)}  # a fresh profile: no lock shared with a running office
    result = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    converted = tmp_path / "out" / "roadmap.pdf"
    assert result.returncode == 0 and converted.exists(), result.stdout + result.stderr
    assert time.monotonic() - started < 60
    reader = PdfReader(converted)
    pages = len(reader.pages)
    assert abs(pages - pdf_pages) <= 0.25 * pdf_pages, (pages, pdf_pages)
    contents = reader.pages[1].extract_text()
    assert t("roadmap.word.contents", "ru") in contents
    for _n, section in enumerate(doc.sections, 1):
        assert section.title.split()[0] in contents, (section.title, contents)
    headings = [b.text for s in doc.sections for b in s.blocks if isinstance(b, rm.Heading)]
    assert sum(h in contents.replace("\n", " ") for h in headings) >= len(headings) // 2, contents


# --- the workshops with the room -----------------------------------------------------------------


def test_a_new_regions_docx_cites_its_workshop_and_lists_it_in_a_table(catalogue):
    s = room_summary(random.Random(31), ROOM_LABELS, title=MARKUP_TITLE)
    doc = build_roadmap(new_region(catalogue, s), catalogue, "ru")
    document = Document(io.BytesIO(render_docx(doc, {})))
    (cite,) = [n for n in notes(doc, "audit") if all(x in n for x in mark(s, "ru"))]
    assert cite in [p.text for p in document.paragraphs]  # one paragraph, as typed: no escaping in Word
    (table,) = [tb for tb in document.tables if tb.rows[0].cells[0].text == t("roadmap.ws.col.date", "ru")]
    header, row = ([c.text for c in r.cells] for r in table.rows)
    assert header[1:3] == [t("roadmap.ws.col.workshop", "ru"), t("roadmap.ws.col.question", "ru")]
    assert row[:4] == [day(s.held_on, "ru"), MARKUP_TITLE, s.question, str(s.participants)]
    assert t("roadmap.ws.title", "ru") in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    bare = all_text(Document(io.BytesIO(render_docx(build_roadmap(new_region(catalogue), catalogue, "ru"), {}))))
    assert t("roadmap.ws.title", "ru") not in bare and "семинар" not in bare.lower()


def test_the_samples_docx_cites_a_generated_workshop(sample, catalogue):
    s = room_summary(random.Random(8), [e.name for e in sample.identity_elements], "rate", "noted")
    doc = build_roadmap(sample.model_copy(update={"workshops": [s]}), catalogue, "ru")
    (cite,) = [n for n in notes(doc, "audit") if all(x in n for x in mark(s, "ru"))]
    text = all_text(Document(io.BytesIO(render_docx(doc, {}))))
    assert cite in text
