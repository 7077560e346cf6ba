"""Workshops in the database, on SQLite and PostgreSQL: joining, one ballot per participant and item,
refusals (closed question, expired or ended workshop, wrong codes, forged tokens, items of another
project, oversized and markup input), moderation, and two stores (two app servers) on one database."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from policy_engine.project.model import Project
from policy_engine.store.database import Invalid, Store, _now
from policy_engine.store.workshops import (
    CodeThrottled,
    NotParticipant,
    WorkshopRecord,
    WorkshopRefused,
    WorkshopStore,
    WrongCode,
    idea_item,
)
from policy_engine.wizard.frame import new_project
from policy_engine.workshop import codes
from policy_engine.workshop.model import PARTICIPANTS_MAX
from policy_engine.workshop.questions import items_for

SCORES = {"uniqueness": 4, "recognition": 3, "vitality": 5}


@pytest.fixture
def rooms(store) -> WorkshopStore:
    return WorkshopStore(store)


def rated(rooms: WorkshopStore, project: Project, author: str = "t"):
    """The project stored, a workshop and an open `rate` question on its identity elements."""
    rooms.store.create(project, author=author)
    workshop = rooms.create(project.id, "Сессия")
    items, issues = items_for(project, rooms.store.catalogue, "rate")
    assert not issues
    question = rooms.add_question(workshop.id, "rate", "Оцените", items)
    rooms.open_question(question.id)
    return workshop, rooms.question(question.id), rooms.link(workshop.id)


def test_a_ballot_is_kept_once_per_participant_and_item_and_changing_it_replaces_it(rooms, sample):
    workshop, question, link = rated(rooms, sample)
    phone, _ = rooms.join(link, name="Анна", role="academia")
    element = question.items[0].id
    rooms.submit(phone, link, question.id, {element: SCORES})
    rooms.submit(phone, link, question.id, {element: {**SCORES, "vitality": 1}})
    ballots = rooms.ballots(question.id)
    assert len(ballots) == 1 and ballots[0].value["vitality"] == 1 and ballots[0].role == "academia"
    assert rooms.phone(phone, link).ballots == {element: {**SCORES, "vitality": 1}}  # what a reopened page shows


def test_the_database_itself_refuses_a_second_ballot_for_the_same_item(rooms, sample):
    workshop, question, link = rated(rooms, sample)
    phone, _ = rooms.join(link)
    rooms.submit(phone, link, question.id, {question.items[0].id: SCORES})
    with rooms.store.engine.begin() as conn:
        row = conn.execute(
            sa.text("SELECT question_id, participant_id, item, value, updated_at FROM workshop_ballot")
        ).one()
    with pytest.raises(sa.exc.IntegrityError), rooms.store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO workshop_ballot (question_id, participant_id, item, value, updated_at) "
                "VALUES (:q, :p, :i, :v, :u)"
            ),
            {"q": row[0], "p": row[1], "i": row[2], "v": row[3], "u": row[4]},
        )


def test_two_tabs_of_one_phone_racing_keep_one_ballot(rooms, sample):
    workshop, question, link = rated(rooms, sample)
    phone, _ = rooms.join(link)
    element = question.items[0].id
    errors = []

    def tab(score: int) -> None:
        try:
            for _ in range(10):
                rooms.submit(phone, link, question.id, {element: {**SCORES, "vitality": score}})
        except Exception as exc:  # noqa: BLE001  (collected, asserted below)
            errors.append(exc)

    tabs = [threading.Thread(target=tab, args=(s,)) for s in (1, 2)]
    for t in tabs:
        t.start()
    for t in tabs:
        t.join()
    assert errors == []
    assert len(rooms.ballots(question.id)) == 1


def test_a_closed_question_refuses_ballots_and_keeps_the_ones_given(rooms, sample):
    workshop, question, link = rated(rooms, sample)
    phone, _ = rooms.join(link)
    rooms.submit(phone, link, question.id, {question.items[0].id: SCORES})
    rooms.close_question(question.id)
    with pytest.raises(Invalid) as refused:
        rooms.submit(phone, link, question.id, {question.items[0].id: {**SCORES, "vitality": 1}})
    assert refused.value.issues[0].code == "ws_question_closed"
    assert "закрыт" in refused.value.texts("ru")[0]
    assert rooms.ballots(question.id)[0].value == SCORES
    assert rooms.phone(phone, link).question is None  # the phone now waits for the next question


def test_opening_a_question_closes_the_open_one(rooms, sample):
    workshop, question, link = rated(rooms, sample)
    items, _ = items_for(sample, rooms.store.catalogue, "kpi")
    second = rooms.add_question(workshop.id, "kpi", "KPI", items)
    rooms.open_question(second.id)
    assert rooms.question(question.id).state == "closed" and rooms.question(second.id).state == "open"


def test_an_expired_or_ended_workshop_refuses_its_code_its_link_and_ballots(rooms, sample):
    workshop, question, link = rated(rooms, sample)
    phone, _ = rooms.join(link)
    with rooms.store.engine.begin() as conn:
        conn.execute(
            sa.update(WorkshopRecord)
            .where(WorkshopRecord.id == workshop.id)
            .values(expires_at=_now() - timedelta(minutes=1))
        )
    for attempt in (
        lambda: rooms.link_for_code(workshop.code, client="a"),
        lambda: rooms.join(link),
        lambda: rooms.submit(phone, link, question.id, {question.items[0].id: SCORES}),
    ):
        with pytest.raises(WorkshopRefused) as refused:
            attempt()
        assert refused.value.code == "ws_workshop_over"
    assert rooms.phone(phone, link).ended


def test_ending_a_workshop_closes_its_question(rooms, sample):
    workshop, question, link = rated(rooms, sample)
    rooms.end(workshop.id)
    assert rooms.question(question.id).state == "closed"
    with pytest.raises(WorkshopRefused):
        rooms.link_for_code(workshop.code)


def test_the_code_is_read_as_people_type_it_and_wrong_codes_are_slowed_per_client(rooms, sample):
    workshop, question, link = rated(rooms, sample)
    typed = f" {workshop.code[:3].lower()}-{workshop.code[3:]} "
    assert rooms.link_for_code(typed, client="phone-a") == link
    wrong = "".join(c for c in codes.CODE_ALPHABET if c not in workshop.code)[: codes.CODE_LENGTH]
    for _ in range(codes.FREE_WRONG_CODES):
        with pytest.raises(WrongCode):
            rooms.link_for_code(wrong, client="guesser")
    with pytest.raises(CodeThrottled) as slowed:  # now even the right code waits, for this client only
        rooms.link_for_code(workshop.code, client="guesser")
    assert slowed.value.seconds > 0 and "попробуйте через" in slowed.value.texts("ru")[0]
    assert rooms.link_for_code(workshop.code, client="phone-b") == link


@pytest.mark.parametrize("token", [None, "", "x" * 32, "A" * 32 + "\x00", codes.new_token(codes.PARTICIPANT_BYTES)])
def test_a_forged_or_unknown_participant_token_is_refused(rooms, sample, token):
    workshop, question, link = rated(rooms, sample)
    with pytest.raises(NotParticipant):
        rooms.submit(token, link, question.id, {question.items[0].id: SCORES})
    with pytest.raises(NotParticipant):
        rooms.phone(token, link)
    assert rooms.ballots(question.id) == []


def test_a_participant_of_one_workshop_cannot_answer_in_another_nor_for_another_project(rooms, sample):
    workshop, question, link = rated(rooms, sample)
    other = rooms.create(sample.id, "Другая сессия")
    other_link = rooms.link(other.id)
    phone, _ = rooms.join(other_link)
    with pytest.raises(NotParticipant):  # a token of the other workshop, replayed on this link
        rooms.submit(phone, link, question.id, {question.items[0].id: SCORES})
    with pytest.raises(WorkshopRefused) as refused:  # this question does not belong to the other workshop
        rooms.submit(phone, other_link, question.id, {question.items[0].id: SCORES})
    assert refused.value.code == "ws_unknown_question"
    mine, _ = rooms.join(link)
    with pytest.raises(Invalid) as unknown:  # an item the question does not hold (another project's element)
        rooms.submit(mine, link, question.id, {"an-element-of-another-project": SCORES})
    assert unknown.value.issues[0].code == "ws_unknown_item"


@pytest.mark.parametrize(
    "values",
    [
        "not a mapping",
        [],
        {},
        {"x" * 10_000: SCORES},
        {"ITEM": {"uniqueness": True, "recognition": 3, "vitality": 3}},
        {"ITEM": {"uniqueness": 6, "recognition": 3, "vitality": 3}},
        {"ITEM": {"uniqueness": 3, "recognition": 3}},
        {"ITEM": "<script>"},
    ],
)
def test_malformed_ballots_are_refused_and_store_nothing(rooms, sample, values):
    workshop, question, link = rated(rooms, sample)
    phone, _ = rooms.join(link)
    if isinstance(values, dict):
        values = {question.items[0].id if k == "ITEM" else k: v for k, v in values.items()}
    with pytest.raises(Invalid):
        rooms.submit(phone, link, question.id, values)
    assert rooms.ballots(question.id) == []


def test_names_and_ideas_are_kept_literally_and_bounded(rooms, sample):
    rooms.store.create(sample, author="t")
    workshop = rooms.create(sample.id, "Идеи")
    question = rooms.add_question(workshop.id, "ideas", "Идеи пилотов", [], target="pilot")
    rooms.open_question(question.id)
    link = rooms.link(workshop.id)
    phone, _ = rooms.join(link, name="<img src=x onerror=alert(1)>", role="hacker")
    view = rooms.phone(phone, link)
    assert view.name == "<img src=x onerror=alert(1)>" and view.role == "other"  # an unknown role is "other"
    idea = rooms.propose(phone, link, question.id, "  **Мастерская** [ссылка](javascript:x)  ")
    assert idea.text == "**Мастерская** [ссылка](javascript:x)" and idea.status == "pending"
    with pytest.raises(Invalid):
        rooms.propose(phone, link, question.id, "x" * 10_000)
    with pytest.raises(Invalid):
        rooms.propose(phone, link, question.id, "строка\x00")
    with pytest.raises(Invalid):
        rooms.join(link, name="x" * 1_000)
    # the room sees it only once approved; upvotes on a hidden idea are refused
    with pytest.raises(Invalid):
        rooms.submit(phone, link, question.id, {idea_item(idea.id): 1})
    assert rooms.phone(phone, link).ideas == [] and [i.text for i in rooms.phone(phone, link).mine] == [idea.text]
    rooms.moderate(idea.id, "approved")
    rooms.submit(phone, link, question.id, {idea_item(idea.id): 1})
    assert [i.text for i in rooms.phone(phone, link).ideas] == [idea.text]
    assert rooms.phone(phone, link).ideas[0].participant is None  # never who proposed it


def test_merging_ideas_moves_upvotes_and_counts_a_voter_of_both_once(rooms, sample):
    rooms.store.create(sample, author="t")
    workshop = rooms.create(sample.id, "Идеи")
    question = rooms.add_question(workshop.id, "ideas", "Идеи", [], target="pilot")
    rooms.open_question(question.id)
    link = rooms.link(workshop.id)
    a, b = (rooms.join(link)[0] for _ in range(2))
    first = rooms.propose(a, link, question.id, "Фестиваль войлока")
    second = rooms.propose(b, link, question.id, "Фестиваль войлока!")
    for idea in (first, second):
        rooms.moderate(idea.id, "approved")
    rooms.submit(a, link, question.id, {idea_item(first.id): 1, idea_item(second.id): 1})
    rooms.submit(b, link, question.id, {idea_item(second.id): 1})
    rooms.moderate(second.id, "merged", first.id)
    shown, result = rooms.result(question.id)
    assert [i.id for i in shown.items] == [idea_item(first.id)]
    assert result.items[0].value == 2  # a and b, a once
    with pytest.raises(Invalid):
        rooms.moderate(first.id, "merged", first.id)


def test_points_replace_the_whole_allocation(rooms, sample):
    rooms.store.create(sample, author="t")
    workshop = rooms.create(sample.id, "Баллы")
    items, _ = items_for(sample, rooms.store.catalogue, "points", "clusters")
    question = rooms.add_question(workshop.id, "points", "Баллы", items, target="clusters")
    rooms.open_question(question.id)
    link = rooms.link(workshop.id)
    phone, _ = rooms.join(link)
    first, second = items[0].id, items[1].id
    rooms.submit(phone, link, question.id, {first: 70, second: 30})
    rooms.submit(phone, link, question.id, {second: 100})
    assert {b.item: b.value for b in rooms.ballots(question.id)} == {second: 100}
    with pytest.raises(Invalid):
        rooms.submit(phone, link, question.id, {first: 60, second: 41})


def test_a_workshop_admits_at_most_its_limit(rooms, sample, monkeypatch):
    from policy_engine.store import workshops as module

    workshop, question, link = rated(rooms, sample)
    monkeypatch.setattr(module, "PARTICIPANTS_MAX", 3)
    for _ in range(3):
        rooms.join(link)
    with pytest.raises(WorkshopRefused) as full:
        rooms.join(link)
    assert full.value.code == "ws_workshop_full" and PARTICIPANTS_MAX > 3


def test_two_app_servers_on_one_database_count_each_others_phones(store_url, sample):
    first, second = WorkshopStore(Store(store_url)), WorkshopStore(Store(store_url))
    workshop, question, link = rated(first, sample)
    on_first, _ = first.join(link, role="business")
    on_second, _ = second.join(link, role="academia")
    first.submit(on_first, link, question.id, {question.items[0].id: SCORES})
    second.submit(on_second, link, question.id, {question.items[0].id: SCORES})
    for server in (first, second):
        board = server.board(workshop.id)
        assert board.participants["business"] == 1 and board.participants["academia"] == 1
        assert board.answered[question.id] == 2
    for server in (first, second):
        server.store.close()


def test_a_new_region_with_nothing_to_rate_gets_no_question(rooms, catalogue):
    project, _ = new_project(catalogue, "Тверская область", "RU")
    items, issues = items_for(project, catalogue, "rate")
    assert items == [] and "элементы идентичности" in issues[0].text("ru")
