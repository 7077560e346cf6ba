"""One call from a project to its roadmap files: content, charts, PDF and DOCX, with progress.

The CLI, the benchmark and the app's roadmap page all go through `publish`, so what is measured
is what users get. Charts are drawn in the chart worker (figures.render_async) while the PDF's
text is laid out, and the DOCX reuses the same chart images.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

from pydantic import BaseModel, ConfigDict

from policy_engine.documents import figures
from policy_engine.documents.roadmap import Roadmap, build_roadmap
from policy_engine.documents.roadmap_docx import render_docx
from policy_engine.documents.roadmap_pdf import render_pdf_pages
from policy_engine.method.catalogue import Catalogue
from policy_engine.project.model import Project

Progress = Callable[[str, float], None]  # (step: content | figures | pdf | docx | done, fraction 0..1)


class RoadmapFiles(BaseModel):
    model_config = ConfigDict(frozen=True)
    pdf: bytes
    docx: bytes | None
    pages: int
    seconds: float
    content: Roadmap


def publish(
    project: Project,
    catalogue: Catalogue,
    lang: str = "ru",
    today: date | None = None,
    version: int | None = None,
    docx: bool = True,
    progress: Progress | None = None,
) -> RoadmapFiles:
    """The roadmap of `project` as PDF (and DOCX unless docx=False)."""
    tell = progress or (lambda step, fraction: None)
    start = time.perf_counter()
    tell("content", 0.05)
    content = build_roadmap(project, catalogue, lang, today=today, version=version)
    tell("figures", 0.2)
    charts = figures.render_async(content.figures())
    tell("pdf", 0.35)
    pdf, pages = render_pdf_pages(content, charts)
    word = None
    if docx:
        tell("docx", 0.85)
        word = render_docx(content, charts)
    seconds = time.perf_counter() - start
    tell("done", 1.0)
    return RoadmapFiles(pdf=pdf, docx=word, pages=pages, seconds=round(seconds, 3), content=content)
