"""Two app servers on one PostgreSQL serve one workshop: a phone on either server is counted on the
board of the other, and both ballots are stored once (issue "Workshop mode", "Several app processes")."""

from __future__ import annotations

import httpx
import pytest

from policy_engine.project.sample import load_sample
from policy_engine.store.database import Store
from policy_engine.store.workshops import WorkshopStore
from policy_engine.workshop.questions import items_for
from tests.conftest import postgres_url
from tests.e2e import conftest
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e


def test_a_phone_on_either_server_is_counted_on_the_others_board(tmp_path, browser):
    from playwright.sync_api import expect

    conftest._require_browser()
    url = postgres_url()
    store = Store(url)
    rooms = WorkshopStore(store)
    project = load_sample("east-kazakhstan")
    store.create(project, author="Фасилитатор")
    workshop = rooms.create(project.id, "Сессия на двух серверах")
    items, _ = items_for(project, store.catalogue, "rate")
    question = rooms.add_question(workshop.id, "rate", "Оцените элементы", items)
    rooms.open_question(question.id)
    link = rooms.link(workshop.id)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with (
        conftest.running_app(tmp_path / "a", url) as (first, _),
        conftest.running_app(tmp_path / "b", url) as (second, _),
    ):
        for server, role, score in ((first, "business", 5), (second, "academia", 2)):
            with httpx.Client(base_url=server, timeout=30) as phone:
                assert phone.post(f"/api/ws/{link}/join", json={"role": role}).status_code == 200
                scores = {"uniqueness": score, "recognition": score, "vitality": score}
                answer = phone.post(
                    f"/api/ws/{link}/ballot", json={"question": question.id, "values": {items[0].id: scores}}
                )
                assert answer.status_code == 200, answer.text
        # each server's facilitator board counts both phones
        for server in (first, second):
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"{server}/workshop?project={project.id}")
            wait_for_app(page)
            for label in ("Присоединились", "Ответили"):
                metric = page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")
                expect(metric).to_have_text("2")
            page.close()
    ballots = rooms.ballots(question.id)
    assert sorted((b.role, b.value["vitality"]) for b in ballots) == [("academia", 2), ("business", 5)]
    store.close()
