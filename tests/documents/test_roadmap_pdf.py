"""The roadmap PDF (policy_engine/documents/roadmap_pdf.py), read back with pypdf as a reader would see it."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from policy_engine.documents import figures
from policy_engine.documents.publish import publish
from policy_engine.documents.roadmap import build_roadmap
from policy_engine.documents.roadmap_pdf import render_pdf
from policy_engine.i18n import t
from policy_engine.project.model import Project, Region
from tests.documents.test_roadmap import SECTIONS  # the sections in the method's order
from tests.hostile import EMOJI, KAZAKH, LONG_TEXT, LONG_WORD, MARKUP, hostile_project


def pages_text(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def sample_pdfs(catalogue):
    from policy_engine.project.sample import load_sample

    project = load_sample("east-kazakhstan")
    return {lang: publish(project, catalogue, lang, docx=False) for lang in ("ru", "en")}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_section_is_in_the_pdf_and_in_its_contents(sample_pdfs, lang):
    files = sample_pdfs[lang]
    pages = pages_text(files.pdf)
    assert files.pages == len(pages) > 15
    toc = flat(pages[1])
    assert t("roadmap.word.contents", lang) in toc
    for n, key in enumerate(SECTIONS, 1):
        title = f"{n}. {t(f'roadmap.sec.{key}', lang)}"
        found = [i + 1 for i, text in enumerate(pages) if i > 1 and title in flat(text)]
        assert found, f"section {title!r} is missing"
        listed = re.search(re.escape(title) + r" (\d+)", toc)
        assert listed and int(listed.group(1)) == found[0], f"contents give the wrong page for {title!r}"


def test_pages_are_numbered_page_n_of_total(sample_pdfs):
    pages = pages_text(sample_pdfs["ru"].pdf)
    total = len(pages)
    assert "Страница" not in pages[0]  # the cover has no number
    for i, text in enumerate(pages[1:], 2):
        assert f"Страница {i} из {total}" in text


def test_russian_text_and_kazakh_letters_print(sample_pdfs, sample):
    text = flat(" ".join(pages_text(sample_pdfs["ru"].pdf)))
    assert "Дорожная карта поддержки креативных индустрий" in text
    assert "Шығыс Қазақстан облысы" in text  # the sample's region name carries Kazakh letters
    assert sample.region.name in text


def test_fonts_are_embedded_subsets_never_host_fonts(sample_pdfs):
    reader = PdfReader(io.BytesIO(sample_pdfs["ru"].pdf))
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts, "no fonts found"
    for name, font in fonts.items():
        descendants = font.get("/DescendantFonts")
        descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
        assert re.match(r"/[A-Z]{6}\+", name), f"{name} is not a subset"
    assert any("DejaVuSans" in n for n in fonts) and any("DejaVuSans-Bold" in n for n in fonts)


def test_charts_are_images_at_print_resolution(sample_pdfs):
    reader = PdfReader(io.BytesIO(sample_pdfs["en"].pdf))
    images = [img for page in reader.pages for img in page.images]
    assert len(images) == 7
    assert min(img.image.width for img in images) >= 1000  # about 190 dpi at the text width


@pytest.fixture(scope="module")
def hostile_pdf(catalogue):
    from policy_engine.project.sample import load_sample

    return publish(hostile_project(load_sample("east-kazakhstan")), catalogue, "ru", docx=False).pdf


@pytest.mark.parametrize("text", MARKUP + [EMOJI, KAZAKH])
def test_hostile_strings_print_literally(hostile_pdf, text):
    assert text in "\n".join(pages_text(hostile_pdf))


def test_long_words_and_long_texts_wrap_and_break_across_pages(hostile_pdf):
    pages = pages_text(hostile_pdf)
    squeezed = re.sub(r"\s+", "", "".join(pages))
    assert LONG_WORD in squeezed  # wrapped, nothing lost
    words = "\n".join(pages).split()  # rows split between lines, never inside a word
    assert words.count("Очень") == LONG_TEXT.count("Очень") and words.count("конца.") == LONG_TEXT.count("конца.")
    assert sum(1 for p in pages if "Очень длинный текст" in p) >= 3  # one table cell over several pages
    assert "line one" in "".join(pages) and "\x07" not in "".join(pages)


def test_unfinished_iterations_print_as_such(catalogue):
    bare = Project(id="bare", region=Region(name="Новый регион", country="KZ"))
    text = flat(" ".join(pages_text(publish(bare, catalogue, "ru", docx=False).pdf)))
    for i in range(1, 7):
        assert t("roadmap.pending", "ru", iteration=t(f"iter.{i}", "ru")) in text


def test_a_chart_that_cannot_be_drawn_leaves_a_notice(sample, catalogue, monkeypatch):
    def broken(spec, scale=2):
        raise RuntimeError("vega failed")

    monkeypatch.setattr(figures, "render_png", broken)
    doc = build_roadmap(sample, catalogue, "en")
    pdf = render_pdf(doc, figures.render_all(doc.figures()))
    text = " ".join(pages_text(pdf))
    assert text.count(t("roadmap.word.no_figure", "en")) == len(doc.figures())


def test_rendering_twice_in_one_process_gives_the_same_layout(sample, catalogue):
    doc = build_roadmap(sample, catalogue, "en")
    charts = figures.render_all(doc.figures())
    assert pages_text(render_pdf(doc, charts)) == pages_text(render_pdf(doc, charts))
