"""The participants' HTTP side (policy_engine/web.py), through Starlette's test client: the page, joining by
code and by link, the HttpOnly cookie, ballots, and every refusal a phone can get, in its language."""

from __future__ import annotations

import json

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from policy_engine import web
from policy_engine.store.database import Store
from policy_engine.store.workshops import WorkshopStore
from policy_engine.workshop import codes
from policy_engine.workshop.questions import items_for

SCORES = {"uniqueness": 4, "recognition": 3, "vitality": 5}


@pytest.fixture
def room(tmp_path, sample):
    store = Store(f"sqlite:///{tmp_path / 'web.db'}")
    rooms = WorkshopStore(store)
    web.use_store(rooms)
    store.create(sample, author="t")
    workshop = rooms.create(sample.id, "Сессия <b>жирно</b>")
    items, _ = items_for(sample, store.catalogue, "rate")
    question = rooms.add_question(workshop.id, "rate", "Оцените <i>элементы</i>", items)
    rooms.open_question(question.id)
    yield rooms, workshop, rooms.question(question.id), rooms.link(workshop.id)
    store.close()


def client() -> TestClient:
    return TestClient(Starlette(routes=web.routes()))


def joined(link: str, role: str = "business") -> TestClient:
    phone = client()
    answer = phone.post(f"/api/ws/{link}/join", json={"name": "Айгүл", "role": role})
    assert answer.status_code == 200, answer.text
    return phone


def test_the_page_is_light_and_carries_no_project_data(room, sample):
    rooms, workshop, question, link = room
    page = client().get(f"/ws/{link}?lang=kk")
    assert page.status_code == 200 and len(page.content) < 40_000
    assert '<html lang="kk"' in page.text
    assert sample.region.name not in page.text and question.items[0].label not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_joining_sets_an_httponly_cookie_and_the_state_shows_only_the_open_question(room, sample):
    rooms, workshop, question, link = room
    phone = client()
    answer = phone.post(f"/api/ws/{link}/join", json={"name": "Айгүл", "role": "academia"})
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    state = phone.get(f"/api/ws/{link}/state?lang=ru").json()
    assert state["workshop"] == "Сессия <b>жирно</b>" and state["question"]["title"] == "Оцените <i>элементы</i>"
    assert [i["id"] for i in state["question"]["items"]] == [i.id for i in question.items]
    text = json.dumps(state, ensure_ascii=False)
    for private in (sample.region.name, sample.actors[0].name, workshop.code):
        assert private not in text


def test_a_ballot_survives_a_reload_and_a_second_tab_changes_it(room):
    rooms, workshop, question, link = room
    phone = joined(link)
    element = question.items[0].id
    assert phone.post(f"/api/ws/{link}/ballot", json={"question": question.id, "values": {element: SCORES}}).json()[
        "ok"
    ]
    second_tab = client()
    second_tab.cookies = phone.cookies  # the same phone: same cookie
    changed = {**SCORES, "uniqueness": 1}
    second_tab.post(f"/api/ws/{link}/ballot", json={"question": question.id, "values": {element: changed}})
    assert phone.get(f"/api/ws/{link}/state").json()["ballots"] == {element: changed}
    assert len(rooms.ballots(question.id)) == 1


def test_joining_by_code_and_wrong_codes_rate_limited_with_a_russian_message(room):
    rooms, workshop, question, link = room
    assert client().post("/api/ws/code", json={"code": workshop.code.lower()}).json()["link"] == link
    guesser = client()
    wrong = "".join(c for c in codes.CODE_ALPHABET if c not in workshop.code)[: codes.CODE_LENGTH]
    statuses = [
        guesser.post("/api/ws/code", json={"code": wrong}, headers={"accept-language": "ru"}).status_code
        for _ in range(codes.FREE_WRONG_CODES + 1)
    ]
    assert statuses == [400] * codes.FREE_WRONG_CODES + [429]
    slowed = guesser.post("/api/ws/code", json={"code": workshop.code}, headers={"accept-language": "ru"})
    assert slowed.status_code == 429 and "Retry-After" in slowed.headers and "попробуйте" in slowed.json()["message"]


def test_a_forged_or_replayed_token_is_refused(room):
    rooms, workshop, question, link = room
    forged = client()
    forged.cookies.set(web._cookie_name(link), codes.new_token(codes.PARTICIPANT_BYTES))
    answer = forged.post(
        f"/api/ws/{link}/ballot", json={"question": question.id, "values": {question.items[0].id: SCORES}}
    )
    assert answer.status_code == 403 and answer.json()["error"] == "ws_not_participant"
    other = rooms.create(workshop.project_id, "Другая")
    other_link = rooms.link(other.id)
    phone = joined(other_link)
    replayed = client()  # the other workshop's token, sent under this workshop's cookie name
    replayed.cookies.set(web._cookie_name(link), phone.cookies.get(web._cookie_name(other_link)))
    assert replayed.get(f"/api/ws/{link}/state").status_code == 403
    assert rooms.ballots(question.id) == []


@pytest.mark.parametrize(
    "body, headers, status",
    [
        (b"{not json", {"content-type": "application/json"}, 400),
        (b"[1, 2]", {"content-type": "application/json"}, 400),
        (b'{"question": NaN}', {"content-type": "application/json"}, 400),
        (b"question=1", {"content-type": "application/x-www-form-urlencoded"}, 415),
        (b"{" + b'"a": "' + b"x" * (web.BODY_MAX + 10) + b'"}', {"content-type": "application/json"}, 413),
        (b"\xff\xfe", {"content-type": "application/json"}, 400),
    ],
)
def test_malformed_or_oversized_requests_are_refused_in_the_participants_language(room, body, headers, status):
    rooms, workshop, question, link = room
    phone = joined(link)
    answer = phone.post(f"/api/ws/{link}/ballot", content=body, headers={**headers, "accept-language": "kk"})
    assert answer.status_code == status and answer.json()["ok"] is False
    assert any(c in answer.json()["message"] for c in "әғқңөұүһі") or answer.json()["message"].isascii() is False
    assert rooms.ballots(question.id) == []


def test_a_closed_question_says_so(room):
    rooms, workshop, question, link = room
    phone = joined(link)
    rooms.close_question(question.id)
    answer = phone.post(
        f"/api/ws/{link}/ballot",
        json={"question": question.id, "values": {question.items[0].id: SCORES}},
        headers={"accept-language": "ru"},
    )
    assert answer.status_code == 409 and "закрыт" in answer.json()["message"]
    assert phone.get(f"/api/ws/{link}/state").json()["question"] is None


@pytest.mark.parametrize(
    "path",
    ["/ws/not-a-token", "/api/ws/not-a-token/state", "/api/ws/../project", "/ws/east-kazakhstan", "/api/ws/x/export"],
)
def test_a_participant_trying_other_addresses_gets_nothing_of_the_project(room, sample, path):
    rooms, workshop, question, link = room
    phone = joined(link)
    answer = phone.get(path)
    assert sample.region.name not in answer.text and question.items[0].label not in answer.text
    if path.startswith("/api/"):
        assert answer.status_code in (404, 405)
