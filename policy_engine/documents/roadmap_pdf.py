"""The roadmap as a PDF to sign off, laid out with ReportLab.

Why ReportLab: on this project's machine a 400-row table of Cyrillic paragraphs with a table of
contents took 0.43–0.70 s with ReportLab and 1.34–1.75 s with fpdf2 over four runs
(scripts/pdf_library_choice.py); both embed TrueType subsets, and ReportLab's tables split rows
across pages with repeated headers and wrap long words.

Fonts are the DejaVu Sans family shipped in `policy_engine/documents/fonts/` with its licence (taken from
the matplotlib wheel, which ships them): it covers Russian, the Kazakh letters ә ғ қ ң ө ұ ү һ і,
«», № and ✓, and is embedded (subset) in every PDF, so no host font is ever used.

Every user text goes through `_markup`: ReportLab reads paragraph text as XML-like markup, so an
unescaped `<` or `&` would raise or be mangled (PITFALLS §4); escaping makes it print literally.
"""

from __future__ import annotations

import io
import re
from concurrent.futures import Future
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from policy_engine.documents import figures
from policy_engine.documents import roadmap as rm

rl_config.useA85 = 0  # binary streams: smaller files, and no slow base-85 pass over every image

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FALLBACK = "Symbola"  # emoji and symbols DejaVu Sans lacks (fonts/README.md)
INK, ACCENT, MUTED, RULE = (
    colors.HexColor("#1d2733"),
    colors.HexColor("#1f4e79"),
    colors.HexColor("#5f6b7a"),
    colors.HexColor("#b8c2cc"),
)
ZEBRA, PENDING_BG, PENDING_EDGE = colors.HexColor("#f3f6f9"), colors.HexColor("#fff4e0"), colors.HexColor("#d9822b")
MARGIN = 2 * cm
PAGE_W, PAGE_H = A4
FRAME_W, FRAME_H = PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN - 0.6 * cm


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode map, with characters beyond U+FFFF written as UTF-16 (surrogate pairs).

    ReportLab 5.1 writes them as `<1F600>`, an odd-length hex string that PDF readers reject, so an
    emoji could not be copied or searched. The PDF reference (9.10.3) wants UTF-16BE.
    """
    text = _rl_to_unicode_cmap(fontname, subset)
    return re.sub(
        r"<([0-9A-F]{5,6})>", lambda m: "<" + chr(int(m.group(1), 16)).encode("utf-16-be").hex().upper() + ">", text
    )


_rl_to_unicode_cmap = ttfonts.makeToUnicodeCMap


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the four DejaVu Sans faces as one family (so <b> and <i> find their face) and Symbola."""
    faces = {
        "": "DejaVuSans.ttf",
        "-Bold": "DejaVuSans-Bold.ttf",
        "-Oblique": "DejaVuSans-Oblique.ttf",
        "-BoldOblique": "DejaVuSans-BoldOblique.ttf",
    }
    for suffix, file in faces.items():
        pdfmetrics.registerFont(TTFont(FONT + suffix, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT + "-Bold", italic=FONT + "-Oblique", boldItalic=FONT + "-BoldOblique"
    )
    pdfmetrics.registerFont(TTFont(FALLBACK, str(FONT_DIR / "Symbola.ttf")))
    pdfmetrics.registerFontFamily(FALLBACK, normal=FALLBACK, bold=FALLBACK, italic=FALLBACK, boldItalic=FALLBACK)
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    return FONT


@lru_cache(maxsize=1)
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    register_fonts()
    return (
        frozenset(pdfmetrics.getFont(FONT).face.charToGlyph),
        frozenset(pdfmetrics.getFont(FALLBACK).face.charToGlyph),
    )


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle(
        "body", fontName=FONT, bulletFontName=FONT, fontSize=9.5, leading=13, textColor=INK, spaceAfter=5
    )
    return {
        "body": base,
        "lead": ParagraphStyle("lead", parent=base, fontSize=11, leading=15.5, spaceAfter=8),
        "note": ParagraphStyle(
            "note", parent=base, fontName=FONT + "-Oblique", textColor=MUTED, fontSize=8.5, leading=11.5
        ),
        "quote": ParagraphStyle(
            "quote",
            parent=base,
            fontName=FONT + "-Oblique",
            leftIndent=10,
            borderPadding=(2, 0, 2, 6),
            borderColor=ACCENT,
            borderWidth=0,
            spaceBefore=2,
            spaceAfter=7,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT + "-Bold",
            fontSize=16,
            leading=20,
            textColor=ACCENT,
            spaceBefore=0,
            spaceAfter=10,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=FONT + "-Bold",
            fontSize=11.5,
            leading=15,
            textColor=ACCENT,
            spaceBefore=9,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10.2, spaceAfter=0),
        "cell_right": ParagraphStyle(
            "cell_right", parent=base, fontSize=8, leading=10.2, spaceAfter=0, alignment=TA_RIGHT
        ),
        "cell_bold": ParagraphStyle(
            "cell_bold", parent=base, fontName=FONT + "-Bold", fontSize=8, leading=10.2, spaceAfter=0
        ),
        "cell_bold_right": ParagraphStyle(
            "cell_bold_right",
            parent=base,
            fontName=FONT + "-Bold",
            fontSize=8,
            leading=10.2,
            spaceAfter=0,
            alignment=TA_RIGHT,
        ),
        "head": ParagraphStyle(
            "head", parent=base, fontName=FONT + "-Bold", fontSize=8, leading=10, spaceAfter=0, textColor=colors.white
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, fontSize=8.5, textColor=MUTED, alignment=TA_CENTER, spaceBefore=3, spaceAfter=10
        ),
        "bullet": ParagraphStyle("bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=2),
        "cover_title": ParagraphStyle(
            "cover_title",
            parent=base,
            fontName=FONT + "-Bold",
            fontSize=24,
            leading=30,
            textColor=ACCENT,
            spaceAfter=10,
        ),
        "cover_sub": ParagraphStyle(
            "cover_sub", parent=base, fontSize=12.5, leading=17, textColor=MUTED, spaceAfter=26
        ),
        "cover_region": ParagraphStyle(
            "cover_region", parent=base, fontName=FONT + "-Bold", fontSize=17, leading=22, spaceAfter=14
        ),
        "toc0": ParagraphStyle("toc0", parent=base, fontName=FONT + "-Bold", fontSize=10.5, leading=16),
        "toc1": ParagraphStyle("toc1", parent=base, fontSize=9, leading=12.5, leftIndent=14, textColor=MUTED),
    }


_PLAIN = re.compile(r"[\x00-\u036f\u0400-\u04ff«»–—…№•○✓’“”‘]*")  # drawn by DejaVu Sans for sure


def _markup(text: str) -> str:
    """User text as ReportLab paragraph markup that prints it literally, line breaks kept; characters
    DejaVu Sans has no glyph for (most emoji) are set in the fallback font."""
    text = escape(rm.printable(text))
    if not _PLAIN.fullmatch(text):
        text = _with_fallback(text)
    return text.replace("\n", "<br/>")


def _with_fallback(text: str) -> str:
    main, extra = _coverage()
    out: list[str] = []
    run: list[str] = []
    for ch in text:
        code = ord(ch)
        if code not in main and code in extra:
            run.append(ch)
            continue
        if run:
            out.append(f'<font face="{FALLBACK}">{"".join(run)}</font>')
            run = []
        out.append(ch)
    if run:
        out.append(f'<font face="{FALLBACK}">{"".join(run)}</font>')
    return "".join(out)


class Para(Paragraph):
    """A paragraph that remembers its last line breaking: a table asks each cell's height several
    times at the same width (measuring, splitting, drawing), and breaking lines was most of the
    layout time."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - ReportLab's names
        if getattr(self, "_wrapped_at", None) == availWidth and hasattr(self, "blPara"):  # split() drops blPara
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size


def para(text: str, style: str = "body") -> Paragraph:
    return Para(_markup(text), styles()[style])


class Bookmark(Para):
    """A heading that enters the table of contents and the PDF outline at `level`."""

    def __init__(self, text: str, style: str, level: int, key: str):
        super().__init__(_markup(text), styles()[style])
        self.toc_level, self.toc_text, self.toc_key = level, rm.printable(text), key


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, doc: rm.Roadmap):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + 0.4 * cm,
            bottomMargin=MARGIN,
            title=rm.printable(f"{doc.title}: {doc.cover.region}"),
            author="Genius Loci",
            subject=rm.printable(doc.cover.subtitle),
            lang=doc.lang,
        )
        self.roadmap = doc
        frame = Frame(
            MARGIN, MARGIN, FRAME_W, FRAME_H, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
        )
        self.addPageTemplates(
            [PageTemplate("cover", frames=[frame]), PageTemplate("body", frames=[frame], onPage=self._header)]
        )

    def _header(self, canvas: Canvas, _doc: Any) -> None:
        r = self.roadmap
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        y = PAGE_H - MARGIN + 0.25 * cm
        left = rm.printable(f"{r.cover.region} · {r.title}")
        while len(left) > 20 and canvas.stringWidth(left, FONT, 7.5) > FRAME_W - 3 * cm:
            left = left[:-2].rstrip() + "…"
        canvas.drawString(MARGIN, y, left)
        canvas.drawRightString(PAGE_W - MARGIN, y, f"{r.words['cycle']} {r.cover.facts[0][1]}")
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y - 4, PAGE_W - MARGIN, y - 4)
        canvas.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "toc_level", None)
        if level is None:
            return
        self.canv.bookmarkPage(flowable.toc_key)
        self.canv.addOutlineEntry(flowable.toc_text, flowable.toc_key, level=level, closed=level > 0)
        self.pages_of[flowable.toc_key] = self.page


class PageRef(Flowable):
    """A page number not known yet: drawn as a PDF form that is filled in when the document is saved.

    This lets the table of contents be laid out in one pass (ReportLab's own needs multiBuild,
    laying the whole document out twice). Its entries are known before layout; only their page
    numbers are not, and those fit a box of fixed size.
    """

    def __init__(self, key: str, width: float = 1.2 * cm, height: float = 12):
        super().__init__()
        self.key, self.width, self.height = key, width, height

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.doForm(f"pageref_{self.key}")


def _numbered_canvas(words: dict[str, str], pages_of: dict[str, int]) -> type[Canvas]:
    """A canvas that writes "Page n of N" on every page but the cover once N is known, and the page
    numbers of the table of contents (PageRef) once the headings are placed."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any):
            kwargs["initialFontName"] = (
                kwargs.get("initialFontName") or FONT
            )  # else pages name Helvetica (not embedded)
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for key, page in pages_of.items():
                self.beginForm(f"pageref_{key}")
                self.setFont(FONT, 9)
                self.setFillColor(INK)
                self.drawRightString(1.2 * cm, 3, str(page))
                self.endForm()
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if self._pageNumber > 1:
                    self.setFont(FONT, 7.5)
                    self.setFillColor(MUTED)
                    self.drawCentredString(
                        PAGE_W / 2, MARGIN - 0.8 * cm, f"{words['page']} {self._pageNumber} {words['of']} {total}"
                    )
                super().showPage()
            super().save()

    return NumberedCanvas


def _style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style on our font: a Table sets its cells' font (Helvetica by default, not embedded)
    even when every cell is a paragraph, which would put a host font in the PDF."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def _table(block: rm.Table | rm.Signatures, width: float = FRAME_W) -> Table:
    st = styles()
    widths = getattr(block, "widths", None) or [1.0] * len(block.columns)
    numeric = getattr(block, "numeric", None) or [False] * len(block.columns)
    total = getattr(block, "total", False)
    col_w = [width * w / sum(widths) for w in widths]
    data: list[list[Any]] = [[Para(_markup(c), st["head"]) for c in block.columns]]
    for i, row in enumerate(block.rows):
        last = total and i == len(block.rows) - 1
        kind = "cell_bold" if last else "cell"
        data.append([Para(_markup(c), st[kind + ("_right" if numeric[j] else "")]) for j, c in enumerate(row)])
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
    ]
    if isinstance(block, rm.Signatures):
        commands.append(("BOTTOMPADDING", (0, 1), (-1, -1), 22))
    table = Table(data, colWidths=col_w, repeatRows=1, splitInRow=1, hAlign="LEFT", spaceBefore=2, spaceAfter=8)
    table.setStyle(_style(commands))
    return table


class Chart(Flowable):  # noqa: D101 - see __init__
    """A chart image whose PDF object is built once and reused by every layout pass.

    multiBuild lays the document out two or three times (until the table of contents settles);
    ReportLab's own Image re-decodes and re-compresses the picture on every pass, which was half
    the render time. The PNG is flattened on white first, so it needs no transparency mask.
    """

    def __init__(self, png: bytes | None | Future, notice: str):
        """`png` may be a Future: charts render in a background thread while the text is laid out,
        and layout waits only when it reaches a chart that is not drawn yet."""
        super().__init__()
        self.source, self.notice, self.png = png, notice, None
        self.width = self.height = 0.0
        self._xobject: Any = None
        self._sized = False

    def _size(self) -> None:
        if self._sized:
            return
        png = figures.resolve(self.source)
        self._sized, self.png = True, png
        if png is None:
            self.width, self.height = FRAME_W, 14
            return
        px_w, px_h = ImageReader(io.BytesIO(png)).getSize()
        self.width = min(FRAME_W, px_w * 0.75 / 2)  # PNG rendered at scale 2; 1 CSS px = 0.75 pt
        self.height = self.width * px_h / px_w
        limit = FRAME_H - 3 * cm
        if self.height > limit:
            self.width, self.height = self.width * limit / self.height, limit

    def wrap(self, *_: Any) -> tuple[float, float]:
        self._size()
        return self.width, self.height

    def _object(self) -> Any:
        if self._xobject is None:
            from PIL import Image as PILImage

            with PILImage.open(io.BytesIO(self.png)) as im:
                flat = PILImage.new("RGB", im.size, "white")
                flat.paste(im, mask=im.getchannel("A") if "A" in im.getbands() else None)
            name = f"chart{id(self)}"
            self._xobject = pdfdoc.PDFImageXObject(name, ImageReader(flat))
            self._xobject.name = name
        return self._xobject

    def draw(self) -> None:
        if self.png is None:
            self.canv.setFont(FONT + "-Oblique", 8.5)
            self.canv.setFillColor(MUTED)
            self.canv.drawCentredString(self.width / 2, 3, self.notice)
            return
        canv, obj = self.canv, self._object()
        reg = canv._doc.getXObjectName(obj.name)
        if not canv._doc.idToObject.get(reg):
            vars(obj).pop(pdfdoc.__InternalName__, None)  # registered by an earlier pass's document
            canv._setXObjects(obj)
            canv._doc.Reference(obj, reg)
            canv._doc.addForm(obj.name, obj)
        canv._currentPageHasImages = 1
        canv.saveState()
        canv.scale(self.width, self.height)
        canv._code.append(f"/{reg} Do")
        canv.restoreState()
        canv._formsinuse.append(obj.name)


def _figure(block: rm.Figure, png: bytes | None | Future, number: int, words: dict[str, str]) -> Flowable:
    caption = Para(f"{escape(words['figure'])} {number}. {_markup(block.caption)}", styles()["caption"])
    return KeepTogether([Chart(png, words["no_figure"]), caption])


def _pending(block: rm.Pending) -> Table:
    st = styles()
    body = [para(block.text, "body")] + [Para("• " + _markup(m), st["cell"]) for m in block.missing]
    t = Table([[body]], colWidths=[FRAME_W], hAlign="LEFT", spaceAfter=8)
    t.setStyle(
        _style(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PENDING_BG),
                ("LINEBEFORE", (0, 0), (0, -1), 3, PENDING_EDGE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return t


def _cover(doc: rm.Roadmap) -> list[Flowable]:
    c = doc.cover
    story: list[Flowable] = [
        Spacer(1, 2.2 * cm),
        para(c.title, "cover_title"),
        para(c.subtitle, "cover_sub"),
        para(c.region, "cover_region"),
    ]
    facts = Table(
        [[para(a, "cell_bold"), para(b, "cell")] for a, b in c.facts],
        colWidths=[4.5 * cm, 8 * cm],
        hAlign="LEFT",
        spaceAfter=16,
    )
    facts.setStyle(_style([("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(facts)
    if c.working_group is not None:
        story += [para(c.working_group_title, "h2"), _table(c.working_group)]
    story += [Spacer(1, 0.4 * cm), _table(c.signatures)]
    return story


def _toc(doc: rm.Roadmap) -> Table:
    """Contents: every section and sub-heading, linked, with its page number filled in at save."""
    st, rows = styles(), []
    for n, section in enumerate(doc.sections, 1):
        rows.append([Para(f'<a href="#s{n}">{n}. {_markup(section.title)}</a>', st["toc0"]), PageRef(f"s{n}")])
        sub = 0
        for block in section.blocks:
            if isinstance(block, rm.Heading):
                sub += 1
                rows.append(
                    [Para(f'<a href="#s{n}.{sub}">{_markup(block.text)}</a>', st["toc1"]), PageRef(f"s{n}.{sub}")]
                )
    table = Table(rows, colWidths=[FRAME_W - 1.4 * cm, 1.4 * cm], hAlign="LEFT")
    table.setStyle(
        _style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.2, ZEBRA),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def render_pdf(doc: rm.Roadmap, charts: dict[str, bytes | None | Future]) -> bytes:
    """The PDF bytes of a roadmap; `charts` maps figure ids to PNG bytes, None (not drawn) or a
    Future of either (figures.render_async), so charts can still be rendering while text is laid out."""
    return render_pdf_pages(doc, charts)[0]


def render_pdf_pages(doc: rm.Roadmap, charts: dict[str, bytes | None | Future]) -> tuple[bytes, int]:
    """The PDF bytes and how many pages they have (the layout knows; no need to read the PDF back)."""
    st = styles()
    words = doc.words
    story: list[Flowable] = _cover(doc)
    story += [NextPageTemplate("body"), PageBreak(), para(words["contents"], "h1"), _toc(doc), PageBreak()]
    figure_no = 0
    for n, section in enumerate(doc.sections, 1):
        story.append(Bookmark(f"{n}. {section.title}", "h1", 0, f"s{n}"))
        sub = 0
        for block in section.blocks:
            if isinstance(block, rm.Heading):
                sub += 1
                story.append(Bookmark(block.text, "h2", 1, f"s{n}.{sub}"))
            elif isinstance(block, rm.Paragraph):
                story.append(para(block.text, block.style))
            elif isinstance(block, rm.Bullets):
                story += [Para(_markup(item), st["bullet"], bulletText="•") for item in block.items]
            elif isinstance(block, (rm.Table, rm.Signatures)):
                story.append(_table(block))
            elif isinstance(block, rm.Figure):
                figure_no += 1
                story.append(_figure(block, charts.get(block.id), figure_no, words))
            elif isinstance(block, rm.Pending):
                story.append(_pending(block))
        if n < len(doc.sections):
            story.append(PageBreak())
    buffer = io.BytesIO()
    template = _Doc(buffer, doc)
    template.pages_of = {}
    template.build(story, canvasmaker=_numbered_canvas(words, template.pages_of))
    return buffer.getvalue(), template.page
