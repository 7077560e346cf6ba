"""The roadmap as an editable Word document (python-docx): the same content as the PDF.

Officials edit in Word, so the DOCX keeps real structure rather than a picture of the PDF:
Word heading styles (the navigation pane and Word's own table of contents use them), tables
whose header row repeats on every page, and page numbers as fields. The contents are a TOC
field that Word fills when the document is opened (it asks to update fields).

Text is written as runs, never parsed, so `<`, `&` and quotes need no escaping; only characters
XML cannot hold at all are removed (`roadmap.printable`). Fonts are left to Word ("Arial", which
has Cyrillic and the Kazakh letters on every Windows and macOS machine), since a DOCX does not
embed fonts.
"""

from __future__ import annotations

import io
from concurrent.futures import Future

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from . import figures
from . import roadmap as rm

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
FONT = "Arial"
TEXT_WIDTH_CM = 17.0


def _clean(text: str) -> str:
    return rm.printable(text)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES, TOC) that Word computes when it lays the document out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", placeholder),
                       ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text or ""
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    props.append(el)


def _shade(cell, hex_fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    props.append(shd)


def _lines(paragraph, text: str, bold: bool = False, size: float | None = None, color: RGBColor | None = None) -> None:
    """Text with its line breaks kept as Word line breaks."""
    for i, line in enumerate(_clean(text).split("\n")):
        if i:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        run = paragraph.add_run(line)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color


def _table(document, block: rm.Table | rm.Signatures) -> None:
    widths = getattr(block, "widths", None) or [1.0] * len(block.columns)
    numeric = getattr(block, "numeric", None) or [False] * len(block.columns)
    total = getattr(block, "total", False)
    table = document.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    col_cm = [TEXT_WIDTH_CM * w / sum(widths) for w in widths]
    header = table.rows[0]
    _repeat_header(header)
    for j, name in enumerate(block.columns):
        cell = header.cells[j]
        _shade(cell, "1F4E79")
        _lines(cell.paragraphs[0], name, bold=True, size=8, color=RGBColor(0xFF, 0xFF, 0xFF))
    for i, row in enumerate(block.rows):
        cells = table.add_row().cells
        last = total and i == len(block.rows) - 1
        for j, value in enumerate(row):
            p = cells[j].paragraphs[0]
            if numeric[j]:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _lines(p, value, bold=last, size=8)
            if isinstance(block, rm.Signatures):
                p.paragraph_format.space_after = Pt(18)
    for row in table.rows:
        for j, cell in enumerate(row.cells):
            cell.width = Cm(col_cm[j])
    document.add_paragraph()


def render_docx(doc: rm.Roadmap, charts: dict[str, bytes | None | Future]) -> bytes:
    """The DOCX bytes of a roadmap; `charts` as for roadmap_pdf.render_pdf."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    for name in ("Heading 1", "Heading 2", "Title", "Subtitle"):
        style = document.styles[name]
        style.font.name = FONT
        style.font.color.rgb = ACCENT
    document.core_properties.title = _clean(f"{doc.title}: {doc.cover.region}")
    document.core_properties.language = doc.lang
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{doc.words['page']} ")
    _field(footer, "PAGE", "1")
    footer.add_run(f" {doc.words['of']} ")
    _field(footer, "NUMPAGES", "1")

    cover = doc.cover
    _lines(document.add_paragraph(style="Title"), cover.title)
    _lines(document.add_paragraph(style="Subtitle"), cover.subtitle)
    _lines(document.add_paragraph(), cover.region, bold=True, size=16)
    _table(document, rm.Table(columns=["", ""], rows=[list(f) for f in cover.facts], widths=[1, 2]))
    if cover.working_group is not None:
        _lines(document.add_paragraph(style="Heading 2"), cover.working_group_title)
        _table(document, cover.working_group)
    _table(document, cover.signatures)
    document.add_page_break()

    _lines(document.add_paragraph(style="Heading 1"), doc.words["contents"])
    _field(document.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', doc.words["contents"] + " …")
    document.add_page_break()

    number = 0
    for n, sec in enumerate(doc.sections, 1):
        _lines(document.add_paragraph(style="Heading 1"), f"{n}. {sec.title}")
        for block in sec.blocks:
            if isinstance(block, rm.Heading):
                _lines(document.add_paragraph(style="Heading 2"), block.text)
            elif isinstance(block, rm.Text):
                p = document.add_paragraph(style="Quote" if block.style == "quote" else None)
                _lines(p, block.text, size=11 if block.style == "lead" else None)
                if block.style == "note":
                    for run in p.runs:
                        run.italic = True
            elif isinstance(block, rm.Bullets):
                for item in block.items:
                    _lines(document.add_paragraph(style="List Bullet"), item)
            elif isinstance(block, (rm.Table, rm.Signatures)):
                _table(document, block)
            elif isinstance(block, rm.Figure):
                number += 1
                png = figures.resolve(charts.get(block.id))
                if png is None:
                    _lines(document.add_paragraph(), doc.words["no_figure"])
                else:
                    document.add_picture(io.BytesIO(png), width=Cm(TEXT_WIDTH_CM))
                caption = document.add_paragraph(style="Caption")
                _lines(caption, f"{doc.words['figure']} {number}. {block.caption}")
            elif isinstance(block, rm.Pending):
                p = document.add_paragraph()
                _lines(p, block.text, bold=True, color=RGBColor(0xB3, 0x5C, 0x00))
                for item in block.missing:
                    _lines(document.add_paragraph(style="List Bullet"), item)
        if n < len(doc.sections):
            document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
