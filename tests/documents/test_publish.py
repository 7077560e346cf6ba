"""One call from a project to its roadmap files (policy_engine/documents/publish.py): the steps reported
in order, a PDF whose page count is the one returned, and a DOCX with the same charts."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader

from policy_engine.documents import figures
from policy_engine.documents.publish import publish
from policy_engine.documents.roadmap import Roadmap
from policy_engine.project.model import Project, Region

STEPS = ["content", "figures", "pdf", "docx", "done"]


@pytest.fixture(scope="module", autouse=True)
def _stop_the_worker():
    yield
    figures.stop_worker()


@pytest.fixture(scope="module")
def sample_files(catalogue):
    from policy_engine.project.sample import load_sample

    calls = []
    files = publish(load_sample("east-kazakhstan"), catalogue, "ru", progress=lambda *call: calls.append(call))
    return files, calls


def test_progress_is_reported_step_by_step_in_order(sample_files):
    _, calls = sample_files
    assert [step for step, _ in calls] == STEPS
    fractions = [fraction for _, fraction in calls]
    assert fractions == sorted(fractions) and len(set(fractions)) == len(fractions)
    assert 0 < fractions[0] and fractions[-1] == 1.0


def test_the_pdf_has_the_pages_it_says_and_the_charts(sample_files):
    files, _ = sample_files
    assert files.pdf[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(files.pdf))
    assert files.pages == len(reader.pages) > 1
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == len(files.content.figures()) > 0


def test_the_docx_is_made_with_the_same_charts(sample_files):
    files, _ = sample_files
    with zipfile.ZipFile(io.BytesIO(files.docx)) as docx:
        assert "word/document.xml" in docx.namelist()
        media = [docx.read(n) for n in docx.namelist() if n.startswith("word/media/")]
        body = docx.read("word/document.xml").decode("utf-8")
    assert len(media) == len(files.content.figures())
    assert all(png[:8] == b"\x89PNG\r\n\x1a\n" for png in media)
    assert files.content.title in body  # the same content, in Russian


def test_the_content_is_returned_in_the_language_asked(sample_files):
    files, _ = sample_files
    assert isinstance(files.content, Roadmap) and files.content.lang == "ru"
    assert files.seconds > 0


def test_without_docx_there_is_no_docx_step(catalogue):
    bare = Project(id="bare", region=Region(name="Новый регион", country="KZ"))
    calls = []
    files = publish(bare, catalogue, "kk", docx=False, progress=lambda *call: calls.append(call))
    assert [step for step, _ in calls] == ["content", "figures", "pdf", "done"]
    assert files.docx is None and files.pdf[:5] == b"%PDF-"
    assert files.pages == len(PdfReader(io.BytesIO(files.pdf)).pages)
    assert files.content.figures() == []  # nothing to draw yet, and still a document


def test_date_and_version_reach_the_cover(catalogue):
    bare = Project(id="bare", region=Region(name="Новый регион", country="KZ"))
    files = publish(bare, catalogue, "ru", today=date(2027, 1, 15), version=3, docx=False)
    facts = dict(files.content.cover.facts)
    assert "15.01.2027" in facts.values() and "3" in facts.values()
    first = PdfReader(io.BytesIO(files.pdf)).pages[0].extract_text()
    assert "15.01.2027" in first


def test_no_progress_callback_is_needed(catalogue):
    bare = Project(id="bare", region=Region(name="R", country="RU"))
    assert publish(bare, catalogue, "en", docx=False).pages > 0
