"""Pages 4–6 in AppTest: content with the sample, edits that reach the store, closing the cycle.
(Guidance without a project is checked for every page in tests/pages/test_pages.py.)"""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.pages.test_pages import stored, with_sample  # noqa: F401 - `stored` is shadowed in one test


def plain(text: str) -> str:
    """An alert's text without the escapes that keep user text from being read as Markdown."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.mark.parametrize(
    "page, headers, charts",
    [
        (
            "pages/4_pilots.py",
            [
                "График и бюджет",
                "Пилотные проекты",
                "Один проект: меры, контрольные точки, история успеха",
                "«Единое окно» для креативных предпринимателей",
            ],
            2,
        ),
        ("pages/5_promotion.py", ["Платформа бренда", "Истории кластеров", "Календарь событий"], 1),
        ("pages/6_monitoring.py", ["Показатели", "Диалог с креативным сообществом", "Ежегодный пересмотр"], 1),
    ],
)
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
    new = {
        "name": "Ремесленная резиденция",
        "cluster": "living-crafts",
        "owner": "Акимат Риддера",
        "partners": "Союз мастеров; Музей",
        "regional": 12.5,
        "private": 3.0,
        "start": "2027-03-01",
        "end": "2027-10-31",
        "status": "planned",
    }
    at.session_state["pilots_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [dict(new, end="2027-01-01")],
    }
    at.run()
    at.button(key="save_pilots").click().run()
    assert (
        f"Строка {count + 1} «Ремесленная резиденция» — дата окончания 01.01.2027 раньше даты начала 01.03.2027"
        in plain(at.error[0].value)
    )
    assert len(stored().pilots) == count
    at.session_state["pilots_editor"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [new]}
    at.run()
    at.button(key="save_pilots").click().run()
    assert not at.exception
    pilot = stored().pilots[-1]
    assert (pilot.name, pilot.cluster, pilot.partners, pilot.budget, pilot.start) == (
        "Ремесленная резиденция",
        "living-crafts",
        ["Союз мастеров", "Музей"],
        {"regional": 12.5, "private": 3.0},
        date(2027, 3, 1),
    )


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
    at.session_state["events_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [
            {
                "name": "Ярмарка войлока",
                "kind": "market",
                "start": "2027-05-20",
                "venue": "Город мастеров",
                "cluster": "living-crafts",
            }
        ],
    }
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
    table = at.dataframe[0].value
    row = table[table.iloc[:, 0].str.startswith("Посещаемость")].iloc[0]
    assert row.iloc[3] == 2026 and "в графике" in row.iloc[6]


def test_review_then_close_the_cycle_carries_results_forward():
    from streamlit.testing.v1 import AppTest

    from policy_engine.project.sample import load_sample
    from policy_engine.store.database import Store
    from tests.pages.test_pages import APP

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
    assert adjusted and all(
        any(m.measure == d.measure and (d.change or d.reason) in m.note for m in now.measures) for d in adjusted
    )
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
    assert (pilots[-1].name, pilots[-1].budget, pilots[-1].end) == (
        "Школа домбры",
        {"municipal": 8.0},
        date(2027, 6, 30),
    )


def test_targets_and_actuals_by_year_persist():
    at = with_sample()
    at.switch_page("pages/6_monitoring.py").run()
    at.selectbox(key="years_kpi_ru").set_value("tourist_flow").run()
    at.session_state["years_editor_tourist_flow"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [{"year": 2028, "target": 1050}],
    }
    at.run()
    at.button(key="save_years").click().run()
    assert not at.exception
    track = next(k for k in stored().kpis if k.kpi == "tourist_flow")
    assert track.targets[2028] == 1050 and 2028 not in track.actuals


# --- from an empty project of a new region: every table and form of pages 4-6 --------------------


def fresh(**fields):
    """A new, empty project of a Russian region the samples do not have (a cluster when a test needs one),
    open in Russian."""
    from uuid import uuid4

    from streamlit.testing.v1 import AppTest

    from policy_engine.project.model import Project, Region
    from policy_engine.store.database import Store
    from tests.pages.test_pages import APP

    project = Project(id=f"perm-krai-{uuid4().hex[:8]}", region=Region(name="Пермский край", country="RU"), **fields)
    version = Store().create(project, "test")
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in dict(
        project=project, version=version, read_only=False, passphrase=None, conflict=None, lang="ru"
    ).items():
        at.session_state[key] = value

    def load():
        return Store().load(project.id).project

    return at, load


def crafts():
    from policy_engine.project.model import Cluster

    return [Cluster(id="crafts", name="Ремёсла Прикамья", industries=["folk_crafts"])]


def edit_table(at, key, added=(), edited=None):
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": list(added), "deleted_rows": []}
    at.run()


def refused_in_both_languages(at, button, ru, kk, editor=None, rows=()):
    """Click `button`; the refusal names the row in Russian, then (same input, typed again: the grid's
    columns change with the language) in Kazakh."""
    at.button(key=button).click().run()
    assert not at.exception
    assert ru in plain(at.error[0].value), at.error
    at.session_state["lang"] = "kk"
    at.run()
    if editor:
        edit_table(at, editor.replace("_ru", "_kk"), rows)
    at.button(key=button).click().run()
    assert kk in plain(at.error[0].value), at.error
    at.session_state["lang"] = "ru"
    at.run()


def test_pilots_page_from_an_empty_project():
    at, load = fresh(clusters=crafts())
    at.switch_page("pages/4_pilots.py").run()
    assert not at.exception and "Пилотные проекты" in [h.value for h in at.header]
    row = {
        "name": "Школа резьбы",
        "cluster": "Ремёсла Прикамья",
        "owner": "Дом ремёсел",
        "regional": 4.0,
        "start": "2027-03-01",
        "end": "2027-01-31",
        "status": "запланирован",
    }
    edit_table(at, "pilots_editor", [row])
    refused_in_both_languages(
        at,
        "save_pilots",
        "Строка 1 «Школа резьбы» — дата окончания 31.01.2027 раньше даты начала 01.03.2027",
        "1-жол «Школа резьбы» — аяқталу күні 31.01.2027 басталу күнінен 01.03.2027 бұрын",
        "pilots_editor",
        [row],
    )
    assert load().pilots == []
    edit_table(at, "pilots_editor", [dict(row, end="2027-11-30")])
    at.button(key="save_pilots").click().run()
    assert not at.exception
    [pilot] = load().pilots
    assert (pilot.id, pilot.cluster, pilot.budget, pilot.status) == (
        "shkola_rezby",
        "crafts",
        {"regional": 4.0},
        "planned",
    )
    at.button(key="save_pilots").click().run()  # nothing changed since: no new version
    assert "Изменений нет" in at.info[0].value and len(load().pilots) == 1

    # the first milestone through its table, then one through the form
    edit_table(at, "milestones_shkola_rezby", [{"name": "Набор учеников", "due": None}])
    at.button(key="save_milestones").click().run()
    assert "Строка 1 «Набор учеников»: срок — обязательное поле не заполнено" in plain(at.error[0].value)
    edit_table(at, "milestones_shkola_rezby", [{"name": "Набор учеников", "due": "2027-04-01", "done": True}])
    at.button(key="save_milestones").click().run()
    assert not at.exception and [(m.name, m.done) for m in load().pilots[0].milestones] == [("Набор учеников", True)]
    at.text_input(key="new_milestone_name_shkola_rezby").input("Выставка работ")
    at.date_input(key="new_milestone_due_shkola_rezby").set_value(date(2027, 10, 1))
    at.button(key="FormSubmitter:milestone_form_shkola_rezby-Добавить точку").click().run()
    assert [m.name for m in load().pilots[0].milestones] == ["Набор учеников", "Выставка работ"]

    # the success story, a second pilot through the form, the single window
    at.text_area(key=f"pilot_story_shkola_rezby_v{at.session_state['version']}").input(
        "20 выпускников открыли мастерские"
    )
    at.button(key="FormSubmitter:pilot_form_shkola_rezby-Сохранить проект").click().run()
    assert load().pilots[0].success_story == "20 выпускников открыли мастерские"
    at.text_input(key="new_pilot_name").input("")
    at.button(key="FormSubmitter:new_pilot_form-Добавить проект").click().run()
    assert "название — обязательное поле не заполнено" in plain(at.error[0].value)
    at.text_input(key="new_pilot_name").input("Фестиваль глины")
    at.date_input(key="new_pilot_start").set_value(date(2027, 6, 1))
    at.date_input(key="new_pilot_end").set_value(date(2027, 6, 3))
    at.button(key="FormSubmitter:new_pilot_form-Добавить проект").click().run()
    assert not at.exception and [p.name for p in load().pilots] == ["Школа резьбы", "Фестиваль глины"]
    at.text_input(key="sw_who").input("Центр креативных индустрий")
    at.button(key="FormSubmitter:single_window_form-Сохранить «единое окно»").click().run()
    assert load().single_window.who == "Центр креативных индустрий"


def test_promotion_page_from_an_empty_project():
    at, load = fresh(clusters=crafts())
    at.switch_page("pages/5_promotion.py").run()
    assert not at.exception
    event = {"name": "Ярмарка мастеров", "kind": "парад", "start": "2027-05-20", "cluster": "crafts"}
    edit_table(at, "events_editor", [event])
    refused_in_both_languages(
        at,
        "save_events",
        "Строка 1 «Ярмарка мастеров»: вид — «парад» — нет в списке допустимых значений",
        "1-жол «Ярмарка мастеров»: түрі — «парад» — рұқсат етілген мәндер тізімінде жоқ",
        "events_editor",
        [event],
    )
    edit_table(at, "events_editor", [dict(event, kind="ярмарка")])
    at.button(key="save_events").click().run()
    assert not at.exception
    assert [(e.name, e.kind, e.cluster) for e in load().promotion.events] == [("Ярмарка мастеров", "market", "crafts")]
    at.text_input(key="new_event_name").input("Фестиваль глины")
    at.date_input(key="new_event_start").set_value(date(2027, 7, 1))
    at.button(key="FormSubmitter:event_form-Добавить событие").click().run()
    assert not at.exception and [e.name for e in load().promotion.events] == ["Ярмарка мастеров", "Фестиваль глины"]

    # the story: the accepted cluster's row is there to fill in; and the form
    edit_table(at, "stories_editor", edited={0: {"place": "Берега Камы"}})
    at.button(key="save_stories").click().run()
    assert not at.exception and load().promotion.stories[0].place == "Берега Камы"
    edit_table(at, "stories_editor", [{"cluster": None, "people": "мастера"}])
    at.button(key="save_stories").click().run()
    assert "Строка 2: кластер — обязательное поле не заполнено" in plain(at.error[0].value)
    at.text_area(key="story_tradition").input("пермская деревянная скульптура")
    at.button(key="FormSubmitter:story_form-Сохранить историю").click().run()
    assert not at.exception
    [story] = load().promotion.stories
    assert story.tradition == "пермская деревянная скульптура"
    at.text_area(key="platform_narrative").input("Край мастеров")
    at.button(key="FormSubmitter:platform_form-Сохранить платформу").click().run()
    assert load().promotion.narrative == "Край мастеров"


def test_monitoring_page_from_an_empty_project_to_a_closed_cycle():
    from policy_engine.method.catalogue import default_catalogue
    from policy_engine.project.model import SelectedMeasure

    cat = default_catalogue()
    measure = cat.measures[0]
    at, load = fresh(clusters=crafts(), measures=[SelectedMeasure(measure=measure.id, cluster="crafts")])
    at.switch_page("pages/6_monitoring.py").run()
    assert not at.exception

    # closing is refused without a review, in the user's language
    at.checkbox(key="confirm_close_1").check().run()
    at.button(key="close_cycle").click().run()
    assert "цикл нельзя закрыть без ежегодного пересмотра мер" in plain(at.error[0].value)

    # the first KPI through the form, a custom one too, an actual through the form and the years table
    at.selectbox(key="new_kpi_ru").set_value("creative_firms")
    at.number_input(key="new_kpi_by").set_value(2025)
    at.number_input(key="new_kpi_baseline").set_value(120.0)
    at.number_input(key="new_kpi_ty").set_value(2028)
    at.number_input(key="new_kpi_target").set_value(150.0)
    at.button(key="FormSubmitter:kpi_form-Добавить").click().run()
    assert not at.exception and [k.kpi for k in load().kpis] == ["creative_firms"]
    at.text_input(key="new_kpi_custom").input("Мастерские в сёлах")
    at.button(key="FormSubmitter:kpi_form-Добавить").click().run()
    assert not at.exception and load().kpis[1].custom.name == "Мастерские в сёлах"
    at.selectbox(key="actual_kpi_ru").set_value("creative_firms")
    at.number_input(key="actual_year").set_value(2026)
    at.number_input(key="actual_value").set_value(131.0)
    at.button(key="FormSubmitter:actual_form-Записать").click().run()
    assert not at.exception and load().kpis[0].actuals == {2026: 131.0}
    at.selectbox(key="years_kpi_ru").set_value("creative_firms").run()
    edit_table(at, "years_editor_creative_firms", [{"year": 2026, "target": 130}])
    refused_in_both_languages(
        at,
        "save_years",
        "Строка 3: год — год 2026 указан дважды",
        "3-жол: жыл — 2026 жылы екі рет көрсетілген",
        "years_editor_creative_firms",
        [{"year": 2026, "target": 130}],
    )
    edit_table(at, "years_editor_creative_firms", [{"year": 2027, "actual": 140}])
    at.button(key="save_years").click().run()
    assert not at.exception and load().kpis[0].actuals == {2026: 131.0, 2027: 140.0}

    # the feedback log: through the table (a refused row first) and through the form
    entry = {"received": "2027-02-10", "source": "Круглый стол мастеров"}
    edit_table(at, "feedback_editor", [entry])
    refused_in_both_languages(
        at,
        "save_feedback",
        "Строка 1 «Круглый стол мастеров» — в записи обратной связи нужна проблема или возможность",
        "1-жол «Круглый стол мастеров» — кері байланыс жазбасында мәселе немесе мүмкіндік керек",
        "feedback_editor",
        [entry],
    )
    edit_table(at, "feedback_editor", [dict(entry, issue="Нет помещений")])
    at.button(key="save_feedback").click().run()
    assert not at.exception and [f.issue for f in load().feedback] == ["Нет помещений"]
    at.text_input(key="new_feedback_source").input("Единое окно")
    at.text_area(key="new_feedback_opportunity").input("Пустующий цех")
    at.button(key="FormSubmitter:feedback_form-Добавить запись").click().run()
    assert not at.exception and len(load().feedback) == 2

    # the review: the measure's decision is suggested; a decision through the table and through the form
    edit_table(at, "review_editor_1_ru", [{"measure": cat.measures[1].id, "action": "сохранить", "reason": "да"}])
    at.button(key="save_review").click().run()
    assert "Строка 2: причина — нужно письменное обоснование (не короче 5 символов)" in plain(at.error[0].value)
    edit_table(
        at,
        "review_editor_1_ru",
        [{"measure": cat.measures[1].id, "action": "сохранить", "reason": "поддержка работает"}],
    )
    at.button(key="save_review").click().run()
    assert not at.exception
    assert {(d.measure, d.cluster) for d in load().review.decisions} == {
        (measure.id, "crafts"),
        (cat.measures[1].id, None),
    }
    at.selectbox(key="new_decision_measure_ru").set_value(measure.id)
    at.selectbox(key="new_decision_cluster_ru").set_value("crafts")
    at.selectbox(key="new_decision_action_ru").set_value("adjust")
    at.text_input(key="new_decision_reason").input("мало мест в мастерских")
    at.button(key="FormSubmitter:decision_form-Сохранить решение").click().run()
    assert not at.exception
    assert [d.action for d in load().review.decisions if d.measure == measure.id] == ["adjust"]

    # now the cycle closes
    at.checkbox(key="confirm_close_1").check().run()
    at.button(key="close_cycle").click().run()
    assert not at.exception
    closed = load()
    assert closed.cycle == 2 and closed.previous_cycles[0].cycle == 1
    assert "Цикл 1 закрыт; открыт цикл 2." in at.success[0].value


def test_a_pilot_row_edited_after_a_deletion_keeps_its_id():
    from policy_engine.project.model import Pilot

    one, two = (Pilot(id=i, name=i.upper(), start=date(2027, 1, 1), end=date(2027, 2, 1)) for i in ("a", "b"))
    at, load = fresh(pilots=[one, two])
    at.switch_page("pages/4_pilots.py").run()
    at.session_state["pilots_editor"] = {"edited_rows": {1: {"name": "Б-2"}}, "added_rows": [], "deleted_rows": [0]}
    at.run()
    at.button(key="save_pilots").click().run()
    assert not at.exception and [(p.id, p.name) for p in load().pilots] == [("b", "Б-2")]
