"""The roadmap as officials get it: prepared in the app, downloaded from the browser, and its pages
turned into images with pdftoppm (poppler-utils, installed by scripts/browser.sh). The page images
are copied to /tmp/e2e_roadmap_<lang>-NN.png for people to look at."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.e2e.conftest import wait_for_app
from tests.e2e.test_wizard import go, shoot

pytestmark = pytest.mark.e2e


def download(page, tmp_path, lang: str, option: str, button: str, expected: str):
    from playwright.sync_api import expect

    page.get_by_test_id("stMainBlockContainer").get_by_test_id("stRadioOption").filter(has_text=option).click()
    wait_for_app(page)
    page.get_by_role("button", name=button).click()
    link = page.locator(".st-key-download_pdf").get_by_test_id("stDownloadButton")
    expect(link).to_be_visible(timeout=60_000)
    wait_for_app(page)
    shoot(page, tmp_path, f"roadmap_page_{lang}")
    with page.expect_download(timeout=60_000) as info:
        link.click()
    pdf = tmp_path / f"roadmap_{lang}.pdf"
    info.value.save_as(pdf)
    reader = PdfReader(pdf)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert expected in cover and "Шығыс Қазақстан облысы" in cover
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / f"roadmap_{lang}")], check=True, timeout=120
    )
    images = sorted(tmp_path.glob(f"roadmap_{lang}-*.png"))
    assert len(images) == len(reader.pages) > 15
    for image in images:
        assert image.stat().st_size > 5_000  # a page with something on it
        shutil.copyfile(image, f"/tmp/e2e_{image.name}")
    return reader


def test_download_the_roadmap_pdf_in_russian_and_english(app_server, page, tmp_path):
    from playwright.sync_api import expect

    page.goto(app_server)
    wait_for_app(page)
    page.get_by_role("button", name="Открыть пример «Восточно-Казахстанская область»").click()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Шығыс Қазақстан облысы")
    go(page, "Дорожная карта")
    expect(page.get_by_role("heading", name="Содержание документа")).to_be_visible()
    ru = download(
        page, tmp_path, "ru", "Русский", "Подготовить PDF и DOCX", "Дорожная карта поддержки креативных индустрий"
    )
    en = download(
        page, tmp_path, "en", "English", "Подготовить PDF и DOCX", "Roadmap for supporting the creative industries"
    )
    assert "1. Резюме" in ru.pages[1].extract_text() and "1. Summary" in en.pages[1].extract_text()
    assert page.get_by_test_id("stException").count() == 0
