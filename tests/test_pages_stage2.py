"""Pages 4–6 in AppTest: content with the sample, edits that reach the store, closing the cycle.
(Guidance without a project is checked for every page in tests/test_pages.py.)"""

from __future__ import annotations

from datetime import date

import pytest

from tests.test_pages import stored, with_sample  # noqa: F401 - `stored` is shadowed in one test


@pytest.mark.parametrize("page, headers, charts", [
    ("pages/4_pilots.py", ["График и бюджет", "Пилотные проекты", "Один проект: меры, контрольные точки, история успеха",
                           "«Единое окно» для креативных предпринимателей"], 2),
    ("pages/5_promotion.py", ["Платформа бренда", "Истории кластеров", "Календарь событий"], 1),
    ("pages/6_monitoring.py", ["Показатели", "Диалог с креативным сообществом", "Ежегодный пересмотр"], 1),
])
def test_stage2_page_with_the_sample_shows_its_content(page, headers, charts):
    at = with_sample()
    at.switch_page(page).run()
    assert not at.exception
    assert [h.value for h in at.header] == headers
    assert len(at.get("vega_lite_chart")) == charts


def test_a_new_pilot_persists_and_a_bad_one_is_refused():
    at = with_sample()
    at.switch_page("pages/4_pilots.py").run()
    count = len(stored().pilots)
    new = {"name": "Ремесленная резиденция", "cluster": "living-crafts", "owner": "Акимат Риддера",
           "partners": "Союз мастеров; Музей", "regional": 12.5, "private": 3.0, "start": "2027-03-01",
           "end": "2027-10-31", "status": "planned"}
    at.session_state["pilots_editor"] = {"edited_rows": {}, "deleted_rows": [],
                                         "added_rows": [dict(new, end="2027-01-01")]}
    at.run()
    at.button(key="save_pilots").click().run()
    assert f"row {count + 1} (Ремесленная резиденция): end 2027-01-01 is before start 2027-03-01" in at.error[0].value
    assert len(stored().pilots) == count
    at.session_state["pilots_editor"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [new]}
    at.run()
    at.button(key="save_pilots").click().run()
    assert not at.exception
    pilot = stored().pilots[-1]
    assert (pilot.name, pilot.cluster, pilot.partners, pilot.budget, pilot.start) == (
        "Ремесленная резиденция", "living-crafts", ["Союз мастеров", "Музей"], {"regional": 12.5, "private": 3.0},
        date(2027, 3, 1))


def test_single_window_and_brand_narrative_persist():
    at = with_sample()
    at.switch_page("pages/4_pilots.py").run()
    at.text_input(key="sw_who").input("Центр развития креативной индустрии")
    at.button(key="FormSubmitter:single_window_form-Сохранить «единое окно»").click().run()
    assert stored().single_window.who == "Центр развития креативной индустрии"
    at.switch_page("pages/5_promotion.py").run()
    at.text_area(key="platform_values").input("подлинность\nгостеприимство")
    at.button(key="FormSubmitter:platform_form-Сохранить платформу").click().run()
    assert not at.exception
    assert stored().promotion.values == ["подлинность", "гостеприимство"]


def test_an_event_added_in_the_calendar_persists():
    at = with_sample()
    at.switch_page("pages/5_promotion.py").run()
    count = len(stored().promotion.events)
    at.session_state["events_editor"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"name": "Ярмарка войлока", "kind": "market", "start": "2027-05-20", "venue": "Город мастеров",
         "cluster": "living-crafts"}]}
    at.run()
    at.button(key="save_events").click().run()
    assert not at.exception
    events = stored().promotion.events
    assert len(events) == count + 1 and any(e.name == "Ярмарка войлока" and e.kind == "market" for e in events)


def test_recording_an_actual_changes_the_status_and_persists():
    at = with_sample()
    at.switch_page("pages/6_monitoring.py").run()
    at.selectbox(key="actual_kpi_ru").set_value("event_attendance")
    at.number_input(key="actual_year").set_value(2026)
    at.number_input(key="actual_value").set_value(51000.0)
    at.button(key="FormSubmitter:actual_form-Записать").click().run()
    assert not at.exception
    track = next(k for k in stored().kpis if k.kpi == "event_attendance")
    assert track.actuals[2026] == 51000.0
    table = at.table[0].value
    row = table[table.iloc[:, 0].str.startswith("Посещаемость")].iloc[0]
    assert row.iloc[3] == 2026 and "в графике" in row.iloc[6]


def test_review_then_close_the_cycle_carries_results_forward():
    from streamlit.testing.v1 import AppTest

    from policy_engine.sample import load_sample
    from policy_engine.store import Store
    from tests.test_pages import APP

    store = Store()  # a project of its own: the other page tests expect the sample in cycle 1
    project = load_sample("east-kazakhstan").model_copy(update={"id": f"cycle-test-{date.today():%Y%m%d}-{id(store)}"})
    version = store.create(project, "test")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in dict(project=project, version=version, read_only=False, passphrase=None, conflict=None).items():
        at.session_state[key] = value
    at.switch_page("pages/6_monitoring.py").run()
    assert not at.exception

    def stored():
        return Store().load(project.id).project

    first = stored()
    assert first.cycle == 1 and first.review is not None
    at.checkbox(key="confirm_close_1").check().run()
    at.button(key="close_cycle").click().run()
    assert not at.exception
    now = stored()
    assert (now.cycle, now.iteration, now.review) == (2, 1, None)
    [past] = now.previous_cycles
    assert past.cycle == 1 and [r.kpi for r in past.results] == [k.kpi for k in first.kpis]
    adjusted = [d for d in first.review.decisions if d.action == "adjust"]
    assert adjusted and all(any(m.measure == d.measure and "cycle 1 review: adjust" in m.note for m in now.measures)
                            for d in adjusted)
    assert "Цикл 1 закрыт; открыт цикл 2." in at.success[0].value
    assert any(e.label.startswith("Итоги цикла 1") for e in at.expander)
    assert any(e.label.startswith("Что изменилось между циклами 1 и 2") for e in at.expander)


def test_the_add_pilot_form_adds_one_pilot():
    at = with_sample()
    at.switch_page("pages/4_pilots.py").run()
    count = len(stored().pilots)
    at.text_input(key="new_pilot_name").input("Школа домбры")
    at.text_input(key="new_pilot_owner").input("Эртис Концерт")
    at.date_input(key="new_pilot_start").set_value(date(2027, 2, 1))
    at.date_input(key="new_pilot_end").set_value(date(2027, 6, 30))
    at.number_input(key="new_pilot_municipal").set_value(8.0)
    at.button(key="FormSubmitter:new_pilot_form-Добавить проект").click().run()
    assert not at.exception
    pilots = stored().pilots
    assert len(pilots) == count + 1
    assert (pilots[-1].name, pilots[-1].budget, pilots[-1].end) == ("Школа домбры", {"municipal": 8.0}, date(2027, 6, 30))


def test_targets_and_actuals_by_year_persist():
    at = with_sample()
    at.switch_page("pages/6_monitoring.py").run()
    at.selectbox(key="years_kpi_ru").set_value("tourist_flow").run()
    at.session_state["years_editor_tourist_flow"] = {"edited_rows": {}, "deleted_rows": [],
                                                     "added_rows": [{"year": 2028, "target": 1050}]}
    at.run()
    at.button(key="save_years").click().run()
    assert not at.exception
    track = next(k for k in stored().kpis if k.kpi == "tourist_flow")
    assert track.targets[2028] == 1050 and 2028 not in track.actuals
