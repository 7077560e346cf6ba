"""The roadmap as an editable Word document (python-docx): the same content as the PDF.

Officials edit in Word, so the DOCX keeps real structure rather than a picture of the PDF:
Word heading styles (the navigation pane and Word's own table of contents use them), tables
whose header row repeats on every page, and page numbers as fields.

The contents are written out: one paragraph per section and sub-heading, each a link to a bookmark
on its heading, so Word and LibreOffice Writer show them as opened (an empty TOC field shows
nothing until someone updates fields). Those paragraphs are the stored result of a TOC field, as
Word itself saves one, so "Update field" in Word replaces them with a contents list with page
numbers instead of adding a second one.

Column widths are fixed and written three times, because the two word processors read different
places: `w:tcW` of every cell (Word), `w:gridCol` of the table grid (LibreOffice, which otherwise
makes every column equally wide) and `w:tblW` with a fixed `w:tblLayout`, so neither re-fits the
columns to their text. They are the PDF's: the content's relative column widths over the text width.

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
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

from policy_engine.documents import figures
from policy_engine.documents import roadmap as rm

ACCENT = RGBColor(0x1F, 0x4E, 0x79)
MUTED = RGBColor(0x5F, 0x6B, 0x7A)
FONT = "Arial"
TEXT_WIDTH_CM = 17.0
TEXT_WIDTH_TWIPS = round(TEXT_WIDTH_CM / 2.54 * 1440)  # Word's table widths are in twips (dxa)
CELL_PAD = (60, 80)  # cell margins in twips, top/bottom and left/right: the PDF's 3 pt and 4 pt


def _clean(text: str) -> str:
    return rm.printable(text)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A Word field (PAGE, NUMPAGES) that Word computes when it lays the document out."""
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
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


def _twips(weights: list[float], total: int = TEXT_WIDTH_TWIPS) -> list[int]:
    """Column widths in twips in proportion to `weights`, summing exactly to `total`."""
    edges = [round(total * sum(weights[:j]) / sum(weights)) for j in range(len(weights) + 1)]
    return [b - a for a, b in zip(edges, edges[1:])]


def _fix_widths(table, widths: list[int]) -> None:
    """Fixed column widths that Word (cell `w:tcW`) and LibreOffice (`w:gridCol`) both honour."""
    table.autofit = False  # w:tblLayout w:type="fixed"
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    margins = OxmlElement("w:tblCellMar")
    for side, twips in (("top", CELL_PAD[0]), ("left", CELL_PAD[1]), ("bottom", CELL_PAD[0]), ("right", CELL_PAD[1])):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    tbl_pr.find(qn("w:tblLayout")).addnext(margins)  # schema order: tblLayout, tblCellMar, tblLook
    for column, twips in zip(table.columns, widths):
        column.width = Emu(twips * 635)  # w:gridCol
    for row in table.rows:
        for cell, twips in zip(row.cells, widths):
            cell.width = Emu(twips * 635)  # w:tcW


def _table(document, block: rm.Table | rm.Signatures, header: bool = True) -> None:
    """A table at the text width; `header=False` leaves out the column names (the cover's facts)."""
    widths = getattr(block, "widths", None) or [1.0] * len(block.columns)
    numeric = getattr(block, "numeric", None) or [False] * len(block.columns)
    total = getattr(block, "total", False)
    table = document.add_table(rows=1 if header else 0, cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    if header:
        row = table.rows[0]
        _repeat_header(row)
        for j, name in enumerate(block.columns):
            cell = row.cells[j]
            _shade(cell, "1F4E79")
            _lines(cell.paragraphs[0], name, bold=True, size=8, color=RGBColor(0xFF, 0xFF, 0xFF))
    for i, row in enumerate(block.rows):
        cells = table.add_row().cells
        last = total and i == len(block.rows) - 1
        for j, value in enumerate(row):
            p = cells[j].paragraphs[0]
            if numeric[j]:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _lines(p, value, bold=last or (not header and j == 0), size=8)
            if isinstance(block, rm.Signatures):
                p.paragraph_format.space_after = Pt(18)
    _fix_widths(table, _twips(widths))
    document.add_paragraph()


class _Bookmarks:
    """Bookmarks on the headings, for the contents' links (ids must be unique in the document)."""

    def __init__(self) -> None:
        self.next_id = 1

    def add(self, paragraph, name: str) -> None:
        start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
        start.set(qn("w:id"), str(self.next_id))
        start.set(qn("w:name"), name)
        end.set(qn("w:id"), str(self.next_id))
        self.next_id += 1
        p = paragraph._p
        if p.pPr is not None:
            p.pPr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)


def _not_in_outline(paragraph) -> None:
    """A heading-styled paragraph kept out of the navigation pane and of Word's TOC (the contents'
    own title, the cover's working group), as in the PDF."""
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), "9")
    paragraph._p.get_or_add_pPr().append(el)


def _anchor(section: int, sub: int = 0) -> str:
    """The bookmark on heading `sub` of section `section` (0: the section's own heading); names
    starting with "_" are hidden in Word's bookmark list, as Word's own "_Toc…" ones are."""
    return f"_Toc_s{section}" + (f"_{sub}" if sub else "")


def _contents_entries(doc: rm.Roadmap) -> list[tuple[int, str, str]]:
    """(level, text, bookmark) of every section and sub-heading, in order: the PDF's contents."""
    entries = []
    for n, sec in enumerate(doc.sections, 1):
        entries.append((1, f"{n}. {sec.title}", _anchor(n)))
        sub = 0
        for block in sec.blocks:
            if isinstance(block, rm.Heading):
                sub += 1
                entries.append((2, block.text, _anchor(n, sub)))
    return entries


def _toc_styles(document) -> None:
    """Word's built-in "toc 1"/"toc 2" styles, which Word also applies when it updates the TOC."""
    for level, size, bold, color, indent in ((1, 10.5, True, None, 0.0), (2, 9, False, MUTED, 0.5)):
        style = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        style.base_style = document.styles["Normal"]
        style.font.size, style.font.bold = Pt(size), bold
        if color is not None:
            style.font.color.rgb = color
        fmt = style.paragraph_format
        fmt.left_indent, fmt.space_after = Cm(indent), Pt(2)
        fmt.space_before = Pt(4 if level == 1 else 0)


def _fld_char(kind: str):
    run = OxmlElement("w:r")
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run.append(el)
    return run


def _contents(document, doc: rm.Roadmap) -> None:
    """The contents as paragraphs linked to the headings, held as the stored result of a TOC field."""
    _toc_styles(document)
    entries = _contents_entries(doc)
    paragraphs = []
    for level, text, bookmark in entries:
        p = document.add_paragraph(style=f"toc {level}")
        link = OxmlElement("w:hyperlink")
        link.set(qn("w:anchor"), bookmark)
        link.set(qn("w:history"), "1")
        run = p.add_run(_clean(text).replace("\n", " "))
        link.append(run._r)
        p._p.append(link)
        paragraphs.append(p)
    if not paragraphs:
        return
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    instr_run.append(instr)
    link = first.find(qn("w:hyperlink"))
    for el in (_fld_char("begin"), instr_run, _fld_char("separate")):
        link.addprevious(el)
    last.append(_fld_char("end"))


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
        fonts = style.element.rPr.rFonts
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):  # a theme font wins over w:ascii
            fonts.attrib.pop(qn(f"w:{attr}"), None)
    document.core_properties.title = _clean(f"{doc.title}: {doc.cover.region}")
    document.core_properties.language = doc.lang
    section.different_first_page_header_footer = True  # no page number on the cover, as in the PDF
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
    _table(document, rm.Table(columns=["", ""], rows=[list(f) for f in cover.facts], widths=[4.5, 8]), header=False)
    if cover.working_group is not None:
        title = document.add_paragraph(style="Heading 2")
        _lines(title, cover.working_group_title)
        _not_in_outline(title)
        _table(document, cover.working_group)
    _table(document, cover.signatures)
    document.add_page_break()

    title = document.add_paragraph(style="Heading 1")
    _lines(title, doc.words["contents"])
    _not_in_outline(title)
    _contents(document, doc)
    document.add_page_break()

    number = 0
    marks = _Bookmarks()
    for n, sec in enumerate(doc.sections, 1):
        heading = document.add_paragraph(style="Heading 1")
        _lines(heading, f"{n}. {sec.title}")
        marks.add(heading, _anchor(n))
        sub = 0
        for block in sec.blocks:
            if isinstance(block, rm.Heading):
                sub += 1
                heading = document.add_paragraph(style="Heading 2")
                _lines(heading, block.text)
                marks.add(heading, _anchor(n, sub))
            elif isinstance(block, rm.Paragraph):
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
