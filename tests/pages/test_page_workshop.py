"""The facilitator's workshop page in AppTest: from an empty project for a region the samples never saw,
in Russian, and on the sample. The participants' side is driven through the store, as the phones'
requests are (tests/test_web.py drives the HTTP routes themselves)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from policy_engine.store.database import Store
from policy_engine.store.workshops import WORKSHOP_TABLES, WorkshopStore, idea_item
from tests.pages.test_pages_new_region import APP, create

PAGE = "pages/workshop.py"


@pytest.fixture(autouse=True)
def empty_database():
    store = Store()
    with store.engine.begin() as conn:
        for table in (*WORKSHOP_TABLES, "project_version", "project_cycle", "project"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    store.close()


def text(at: AppTest) -> str:
    parts = [*at.error, *at.info, *at.warning, *at.markdown, *at.caption, *at.text, *at.subheader, *at.title]
    return re.sub(r"\\(.)", r"\1", " ".join(str(p.value) for p in parts))


def hidden(at: AppTest) -> bool:
    """The board says the results are hidden until revealed."""
    return any(i.value.startswith("Результаты скрыты, чтобы") for i in at.info)


def workshop_page(at: AppTest) -> AppTest:
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def new_workshop(at: AppTest, title: str) -> AppTest:
    at.text_input(key="ws_title").input(title)
    at.button(key="FormSubmitter:ws_new-Создать семинар").click().run()
    assert not at.exception, at.exception
    return at


def test_a_new_region_runs_an_ideas_workshop_into_pilots_in_russian():
    at = workshop_page(create(region="Тверская область"))
    at = new_workshop(at, "Стратегическая сессия <b>2027</b>")
    store = WorkshopStore(Store())
    (workshop,) = store.workshops("tverskaya-oblast")
    assert workshop.title == "Стратегическая сессия <b>2027</b>"  # kept as typed
    shown = text(at)
    assert workshop.code[:3] in shown and "Присоединяйтесь с телефона" in shown
    assert "tverskaya" not in " ".join(str(m.value) for m in at.markdown)

    # a question on identity elements the new project does not have yet: refused, in Russian
    at.selectbox(key="ws_kind_ru").select("rate").run()
    at.button(key="ws_add_q").click().run()
    assert "сначала добавьте элементы идентичности" in text(at)
    assert store.questions(workshop.id) == []

    # ideas need no project items
    at.selectbox(key="ws_kind_ru").select("ideas").run()
    at.button(key="ws_add_q").click().run()
    (question,) = store.questions(workshop.id)
    at.button(key="ws_open").click().run()
    assert store.question(question.id).state == "open"

    link = store.link(workshop.id)
    phones = [store.join(link, name=f"Участник {i}", role=role)[0] for i, role in enumerate(["business", "academia"])]
    store.propose(phones[0], link, question.id, "Фестиваль <script>alert(1)</script> льна")
    store.propose(phones[1], link, question.id, "Школа ремёсел")
    at.run()
    ideas = store.ideas(question.id)
    assert "Фестиваль <script>alert(1)</script> льна" in [t.value for t in at.text]  # shown literally
    for idea in ideas:
        at.button(key=f"ws_ap_{idea.id}").click().run()
    assert {i.status for i in store.ideas(question.id)} == {"approved"}
    for phone in phones:
        store.submit(phone, link, question.id, {idea_item(ideas[0].id): 1})
    store.submit(phones[1], link, question.id, {idea_item(ideas[1].id): 1})

    at.run()
    assert hidden(at)
    at.button(key="ws_reveal").click().run()
    assert not at.exception, at.exception
    assert len(at.get("vega_lite_chart")) == 1 and not hidden(at)  # the results (ideas have no role means)

    at.radio(key=f"ws_use_{question.id}_ru").set_value("pilots_added").run()
    at.number_input(key="ws_top").set_value(1).run()
    at.button(key="ws_accept").click().run()
    assert not at.exception
    loaded = Store().load("tverskaya-oblast")
    assert [p.name for p in loaded.project.pilots] == ["Фестиваль <script>alert(1)</script> льна"]
    (summary,) = loaded.project.workshops
    assert summary.participants == 2 and summary.by_role == {"business": 1, "academia": 1}
    assert summary.results[0].ballots == 2
    note = Store().history("tverskaya-oblast")[-1].note
    assert "Стратегическая сессия <b>2027</b>" in note and "Предложите идеи" in note


def test_the_sample_room_rates_elements_and_the_scores_are_taken_in():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.button(key="open_sample").click().run()
    at = workshop_page(at)
    at = new_workshop(at, "Сессия в Усть-Каменогорске")
    store = WorkshopStore(Store())
    (workshop,) = store.workshops("east-kazakhstan")
    at.button(key="ws_add_q").click().run()  # the first kind: rate identity elements
    (question,) = store.questions(workshop.id)
    at.button(key="ws_open").click().run()
    link = store.link(workshop.id)
    element = question.items[0].id
    before = Store().load("east-kazakhstan").project
    for role, score in (("authority", 5), ("authority", 5), ("community", 1), ("community", 2)):
        phone, _ = store.join(link, role=role)
        store.submit(
            phone, link, question.id, {element: {"uniqueness": score, "recognition": score, "vitality": score}}
        )
    at.button(key="ws_reveal").click().run()
    shown = text(at)
    assert "Группы расходятся" in shown
    at.radio(key=f"ws_use_{question.id}_ru").set_value("scores_replaced").run()
    at.button(key="ws_accept").click().run()
    after = Store().load("east-kazakhstan")
    # (5 + 5 + 1 + 2) / 4 = 3.25 → 3 on every criterion; the other elements keep theirs
    assert after.project.identity_elements[0].scores.uniqueness == 3
    assert after.project.identity_elements[1:] == before.identity_elements[1:]
    assert after.project.workshops[0].use == "scores_replaced"
    assert "Сессия в Усть-Каменогорске" in Store().history("east-kazakhstan")[-1].note
    # the identity audit shows what the room said, with the workshop named and the count of participants
    at.switch_page("pages/1_identity_audit.py").run()
    lines = [t.value for t in at.text if t.value.startswith("«Сессия в Усть-Каменогорске»")]
    assert (
        len(lines) == 1
        and "участников 4" in lines[0]
        and "оценки зала (средние, округлённые до целого) заменили оценки аудита" in lines[0]
    )
    at.switch_page(PAGE).run()
    # the page's own exports of the ballots: participants numbered, roles in Russian, no names or tokens
    assert at.dataframe and "Органы власти" in at.dataframe[0].value.to_string()
    # ending the workshop stops its code
    at.button(key="ws_end").click().run()
    assert store.workshop(workshop.id).ended_at is not None
    assert not store.workshop(workshop.id).is_open(datetime.now(UTC))
    assert "Семинар завершён" in text(at)
