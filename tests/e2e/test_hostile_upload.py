"""The file that took the server down for every user, uploaded to the running app.

Last round one 1.5 KB workbook (a cell at XFD1048576) made the XLSX reader ask for 512 GiB and abort
the server 0.6 s after the upload, with a second user connected. This app runs with the workbook
inspection's row, column and cell limits raised out of the way, so the file reaches the reader
itself, in its own process under a memory ceiling (policy_engine/diagnostics/uploads.py): the reader aborts,
the upload is refused in Russian, the server still answers its health check, and a second browser
session stays connected and works. A second bomb (a 1 GiB shared string in 1 MB) is then refused by
the inspection with the limits as shipped. Screenshot: /tmp/e2e_hostile_upload.png.
"""

from __future__ import annotations

import io
import urllib.request

import pytest
from openpyxl import Workbook

from policy_engine.bench import hostile_uploads
from policy_engine.method.catalogue import default_catalogue
from policy_engine.store.database import Store
from policy_engine.wizard.frame import new_project
from tests.e2e import conftest
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e
REGION = "Вологодская область"


@pytest.fixture(scope="module")
def lax_app(tmp_path_factory):
    """The app on an empty database of its own, with a project for a new region, and the inspection's
    extent limits raised so that a far cell is left to the reader."""
    conftest._require_browser()
    tmp = tmp_path_factory.mktemp("e2e-hostile")
    url_db = f"sqlite:///{tmp / 'hostile.db'}"
    project, issues = new_project(default_catalogue(), REGION, "RU")
    assert project and not issues
    Store(url_db).create(project, "тест")
    lax = {
        "GENIUS_LOCI_MAX_COLUMNS": "20000",
        "GENIUS_LOCI_MAX_ROWS": "2000000",
        "GENIUS_LOCI_MAX_CELLS": "100000000000",
    }
    with conftest.running_app(tmp, url_db, **lax) as (url, proc):
        yield url, project.id, proc


def far_cell_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Код ОКВЭД", "Район", "Численность"])
    ws["XFD1048576"] = 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as resp:
        return resp.read().decode().strip() == "ok"


def test_a_crash_file_leaves_the_server_and_a_second_session_alive(lax_app, browser, tmp_path):
    from playwright.sync_api import expect

    url, pid, proc = lax_app
    contexts = [browser.new_context(viewport={"width": 1400, "height": 900}, locale="ru-RU") for _ in range(2)]
    uploader, bystander = (c.new_page() for c in contexts)
    try:
        bystander.goto(f"{url}/?lang=ru")
        wait_for_app(bystander)
        uploader.goto(f"{url}/?project={pid}&by=Тест&lang=ru")
        wait_for_app(uploader)
        uploader.get_by_test_id("stSidebarNav").get_by_text("1 Аудит идентичности", exact=True).click()
        wait_for_app(uploader)

        crash = tmp_path / "crash.xlsx"
        crash.write_bytes(far_cell_workbook())
        assert crash.stat().st_size < 10_000
        uploader.locator(".st-key-register_files").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            str(crash)
        )
        expect(uploader.get_by_text("не удалось прочитать в пределах", exact=False).first).to_be_visible()
        wait_for_app(uploader)
        uploader.screenshot(path="/tmp/e2e_hostile_upload.png", full_page=True)
        assert proc.poll() is None and healthy(url)

        # the other user is still connected, and the app still answers them
        expect(bystander.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']")).to_have_count(1)
        bystander.get_by_test_id("stSidebarNav").get_by_text("Дорожная карта", exact=False).first.click()
        wait_for_app(bystander)

        # a bomb for the inspection, as shipped: refused, naming the limit
        name, _, raw = next(b for b in hostile_uploads() if b[0] == "1 GiB shared string")
        bomb = tmp_path / "strings.xlsx"
        bomb.write_bytes(raw)
        uploader.get_by_test_id("stFileChipDeleteBtn").first.click()  # the uploader takes several files
        wait_for_app(uploader)
        uploader.locator(".st-key-register_files").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
            str(bomb)
        )
        expect(uploader.get_by_text("64 МБ", exact=False).first).to_be_visible()
        assert proc.poll() is None and healthy(url)
        expect(bystander.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']")).to_have_count(1)
    finally:
        for c in contexts:
            c.close()
