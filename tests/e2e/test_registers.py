"""The FNS SME register and its head-count file uploaded together through page 1 in a real browser, for an
empty project of a region the samples never saw (Perm krai, Russian). Files are built on FNS's published
structure (tests/diagnostics/registers/fixtures.py). Screenshots: /tmp/e2e_registers_*.png."""

from __future__ import annotations

import pytest

from policy_engine.method.catalogue import default_catalogue
from policy_engine.store.database import Store
from policy_engine.wizard import frame
from tests.diagnostics.registers.fixtures import perm_register
from tests.e2e import conftest
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def perm_app(tmp_path_factory):
    conftest._require_browser()
    tmp = tmp_path_factory.mktemp("e2e-registers")
    database = f"sqlite:///{tmp / 'registers.db'}"
    store = Store(database)
    project, _ = frame.new_project(default_catalogue(), "Пермский край", "RU")
    store.create(project, "Тест")
    store.close()
    with conftest.running_app(tmp, database) as (url, _):
        yield url, database, project.id


def test_the_fns_register_and_its_head_counts_upload_together(perm_app, page, tmp_path):
    from playwright.sync_api import expect

    url, database, pid = perm_app
    sme, empl = tmp_path / "data-20260610-structure-20220801.zip", tmp_path / "data-20260601-structure-20200301.zip"
    sme_zip, empl_zip = perm_register()
    sme.write_bytes(sme_zip)
    empl.write_bytes(empl_zip)

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{url}/identity-audit?project={pid}&by=Тест&lang=ru")
    wait_for_app(page)
    page.locator(".st-key-register_files").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [str(sme), str(empl)]
    )
    expect(page.get_by_text("Формат: реестр субъектов МСП ФНС.")).to_be_visible()
    region = page.locator("[data-testid='stSelectbox']", has_text="Регион (код в реестре ФНС)").locator("input")
    expect(region).to_have_value("59 — документов: 5")  # the region, chosen among the file's
    page.get_by_role("button", name="Импортировать реестр").click()
    expect(page.get_by_text("Использовано строк: 5 из 5; отклонено: 0")).to_be_visible()
    expect(page.get_by_text("Численность по данным ФНС найдена у организаций: 3", exact=False)).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_text("специализация (LQ ≥ 1) может измениться", exact=False)).to_be_visible()
    page.screenshot(path="/tmp/e2e_registers_fns.png", full_page=True)
    project = Store(database).load(pid).project
    assert {m.name for m in project.region.municipalities} == {"Краснокамский район", "Пермь"}
    perf = next(
        r
        for r in project.economy.employment
        if r.municipality == "Краснокамский район" and r.industry == "performing_arts"
    )
    assert (perf.firms, perf.employees_low, perf.employees_high) == (2, 7, 22)
