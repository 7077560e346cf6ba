"""Why the roadmap uses ReportLab: the same 400-row table of Cyrillic and Kazakh paragraphs, with a
table of contents, laid out by ReportLab and by fpdf2 (medians of 3 builds each).

fpdf2 is not a dependency of the project; install it to rerun this: `.venv/bin/pip install fpdf2`,
then `.venv/bin/python scripts/pdf_library_choice.py`.
"""

from __future__ import annotations

import io
import statistics
import time
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "policy_engine" / "fonts"
ROWS = [
    [
        f"Строка {i} әғқңөұүһі",
        "Ответственный исполнитель департамент культуры " * 2,
        f"{i * 1.5:.1f}",
        "2026-01-01 — 2027-12-31",
    ]
    for i in range(400)
]


def reportlab_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table
    from reportlab.platypus.tableofcontents import TableOfContents

    pdfmetrics.registerFont(TTFont("DV", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DVB", str(FONTS / "DejaVuSans-Bold.ttf")))
    body, head = ParagraphStyle("b", fontName="DV", fontSize=9), ParagraphStyle("h", fontName="DVB", fontSize=14)

    class Doc(SimpleDocTemplate):
        def afterFlowable(self, flowable):
            if isinstance(flowable, Paragraph) and flowable.style.name == "h":
                self.notify("TOCEntry", (0, flowable.getPlainText(), self.page))

    buf = io.BytesIO()
    toc = TableOfContents()
    toc.levelStyles = [body]
    story = [toc, PageBreak()]
    for s in range(8):
        story.append(Paragraph(f"Раздел {s}", head))
        story.append(
            Table(
                [[Paragraph(c, body) for c in r] for r in ROWS[s * 50 : (s + 1) * 50]],
                repeatRows=1,
                colWidths=[120, 200, 60, 100],
            )
        )
    Doc(buf, pagesize=A4).multiBuild(story)
    return buf.getvalue()


def fpdf2_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("DV", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DV", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_font("DV", size=9)
    pdf.add_page()

    def toc(pdf, outline):
        for s in outline:
            pdf.cell(text=f"{s.name} .... {s.page_number}", new_x="LMARGIN", new_y="NEXT")

    pdf.insert_toc_placeholder(toc, 1)
    for s in range(8):
        pdf.start_section(f"Раздел {s}")
        pdf.set_font("DV", "B", 14)
        pdf.cell(text=f"Раздел {s}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DV", "", 9)
        with pdf.table(col_widths=(120, 200, 60, 100)) as table:
            for r in ROWS[s * 50 : (s + 1) * 50]:
                row = table.row()
                for c in r:
                    row.cell(c)
    return bytes(pdf.output())


if __name__ == "__main__":
    for name, build in (("reportlab (multiBuild + TOC)", reportlab_pdf), ("fpdf2 (table + TOC)", fpdf2_pdf)):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            build()
            times.append(time.perf_counter() - t0)
        print(f"{name}: median {statistics.median(times):.2f} s")
