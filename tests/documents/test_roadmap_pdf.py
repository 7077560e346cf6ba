"""The roadmap PDF (policy_engine/documents/roadmap_pdf.py), read back with pypdf as a reader would see it."""

from __future__ import annotations

import io
import random
import re

import pytest
from pypdf import PdfReader

from policy_engine.documents import figures
from policy_engine.documents.publish import publish
from policy_engine.documents.roadmap import build_roadmap, day
from policy_engine.documents.roadmap_pdf import render_pdf
from policy_engine.i18n import t
from policy_engine.project.model import Project, Region
from tests.documents.test_roadmap import (  # the sections in the method's order; the workshops with the room
    LATIN,
    MARKUP_TITLE,
    ROOM_LABELS,
    SECTIONS,
    mark,
    new_region,
    notes,
    room_summary,
)
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
    assert len(images) == 9  # every figure of the sample's roadmap (test_roadmap lists them)
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


# --- the workshops with the room -----------------------------------------------------------------


@pytest.fixture(scope="module")
def room(catalogue):
    """A new region's roadmap with one accepted result of a workshop titled in markup, and without it:
    (summary, {"ru"/"kk"/"bare": (content, pdf text by page)})."""
    s = room_summary(random.Random(1207), ROOM_LABELS, title=MARKUP_TITLE)
    out = {}
    for key, project, lang in (
        ("ru", new_region(catalogue, s), "ru"),
        ("kk", new_region(catalogue, s), "kk"),
        ("bare", new_region(catalogue), "ru"),
    ):
        doc = build_roadmap(project, catalogue, lang)
        out[key] = (doc, pages_text(render_pdf(doc, {})))
    return s, out


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_new_regions_pdf_cites_its_workshop_with_the_title_literally(room, lang):
    s, out = room
    doc, pages = out[lang]
    text = flat(" ".join(pages))
    (cite,) = [n for n in notes(doc, "audit") if all(x in n for x in mark(s, lang))]
    assert flat(cite) in text  # the whole sentence, wrapped over lines
    assert MARKUP_TITLE in text and "&amp;" not in text  # neither bold nor an entity
    audit = next(i for i, p in enumerate(pages) if "2. " + t("roadmap.sec.audit", lang) in flat(p) and i > 1)
    assert flat(cite) in flat(pages[audit])  # in the audit's section
    assert t("roadmap.ws.title", lang) in flat(pages[1])  # the table's heading is in the contents
    summary = flat(" ".join(p for p in pages[2:audit]))
    for column in ("date", "question", "participants", "changed"):
        assert t(f"roadmap.ws.col.{column}", lang) in summary
    assert day(s.held_on, lang) in summary and f" {s.participants} " in summary


def test_the_russian_pdfs_new_parts_have_no_english_word(room):
    """Every line the workshop adds to the Russian PDF (contents, table, citation) is in Russian, but for
    the markup the user typed into the title."""
    _, out = room
    before = {line for page in out["bare"][1] for line in page.splitlines()}
    added = [line for page in out["ru"][1] for line in page.splitlines() if line not in before]
    assert len(added) > 5
    english = [line for line in added if LATIN.search(line.replace("<b>", "").replace("</b>", ""))]
    assert english == []


def test_no_workshop_leaves_no_trace_in_the_pdf(room):
    _, out = room
    text = flat(" ".join(out["bare"][1]))
    assert t("roadmap.ws.title", "ru") not in text and "семинар" not in text.lower()


def test_the_samples_pdf_cites_a_generated_workshop(sample, catalogue):
    s = room_summary(random.Random(4), [c.name for c in sample.clusters], "points", "priority_order")
    doc = build_roadmap(sample.model_copy(update={"workshops": [s]}), catalogue, "ru")
    (cite,) = [n for n in notes(doc, "clusters") if all(x in n for x in mark(s, "ru"))]
    text = flat(" ".join(pages_text(render_pdf(doc, {}))))
    assert flat(cite) in text and s.workshop in text
