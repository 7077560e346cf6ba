"""Stage 2 in the real app: pages 4–6 with a project of its own (imported from the sample, so the other
browser tests keep the sample in cycle 1). Adds a pilot, records a KPI actual, closes the cycle and
checks that cycle 2 opened with the carried-forward results. Screenshots: /tmp/e2e_page4.png etc."""

from __future__ import annotations

import json

import pytest

from policy_engine.project.sample import load_sample
from policy_engine.store.database import Store
from tests.e2e.conftest import SERVER, wait_for_app
from tests.e2e.test_wizard import go, shoot

pytestmark = pytest.mark.e2e


def test_pilot_actual_and_closing_the_cycle(app_server, page, tmp_path):
    from playwright.sync_api import expect

    project = load_sample("east-kazakhstan").model_copy(update={"id": f"e2e-stage2-{tmp_path.name[-12:].lower()}"})
    upload = tmp_path / "project.json"
    upload.write_text(json.dumps(json.loads(project.to_json())), encoding="utf-8")
    store = Store(SERVER["database_url"])

    page.goto(app_server)
    wait_for_app(page)
    page.get_by_text("Импорт проекта (JSON)").first.click()
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_test_id("stButton").filter(has_text="Импорт проекта (JSON)").click()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Шығыс Қазақстан облысы")
    wait_for_app(page)

    go(page, "4 Пилотные проекты")
    expect(page.get_by_role("heading", name="График и бюджет")).to_be_visible()
    page.get_by_text("Добавить пилотный проект").click()
    form = page.get_by_test_id("stForm").filter(has_text="Добавить проект")
    form.get_by_label("Название").fill("Школа домбры")
    form.get_by_label("Ответственный").fill("Эртис Концерт")
    form.get_by_label("муниципальный").fill("8")
    form.get_by_role("button", name="Добавить проект").click()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("версия 2")
    wait_for_app(page)
    shoot(page, tmp_path, "page4")
    pilots = store.load(project.id).project.pilots
    assert pilots[-1].name == "Школа домбры" and pilots[-1].budget == {"municipal": 8.0}

    go(page, "5 Продвижение")
    expect(page.get_by_role("heading", name="Календарь событий")).to_be_visible()
    shoot(page, tmp_path, "page5")

    go(page, "6 Мониторинг")
    expect(page.get_by_role("heading", name="Ежегодный пересмотр")).to_be_visible()
    form = page.get_by_test_id("stForm").filter(has_text="Записать фактическое значение")
    form.get_by_role("spinbutton", name="Год").fill("2025")
    form.get_by_role("spinbutton", name="Значение").fill("0.61")
    form.get_by_role("button", name="Записать").click()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("версия 3")
    wait_for_app(page)
    track = next(k for k in store.load(project.id).project.kpis if k.kpi == "creative_gva_share")
    assert track.actuals[2025] == pytest.approx(0.61)
    shoot(page, tmp_path, "page6")

    page.get_by_text("Да, пересмотр завершён — закрыть цикл").click()
    wait_for_app(page)
    page.get_by_role("button", name="Закрыть цикл").click()
    expect(page.get_by_text("Цикл 1 закрыт; открыт цикл 2.")).to_be_visible()
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Цикл 2")
    wait_for_app(page)
    expect(page.get_by_text("Итоги цикла 1").first).to_be_visible()
    shoot(page, tmp_path, "page6_cycle2")
    now = store.load(project.id).project
    assert (now.cycle, now.iteration) == (2, 1)
    result = next(r for r in now.previous_cycles[0].results if r.kpi == "creative_gva_share")
    assert (result.year, result.actual) == (2025, pytest.approx(0.61))
    assert now.kpis == store.load(project.id, version=3).project.kpis  # every actual carried into cycle 2
    assert page.get_by_test_id("stException").count() == 0
