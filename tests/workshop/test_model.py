"""A workshop, its questions and ballots as the engine sees them (policy_engine/workshop/model.py).

The names below come from the seed catalogue (an industry's name in the three languages) and the
sample project; the dates are UTC, as the store keeps them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from policy_engine.i18n import LANGS
from policy_engine.project.model import NAME_MAX
from policy_engine.workshop.model import QUESTION_ITEMS_MAX, Ballot, Item, Question, Workshop

OPENED = datetime(2027, 3, 15, 9, 0, tzinfo=UTC)


def workshop(hours: float = 8, ended_after: float | None = None) -> Workshop:
    return Workshop(
        id=7,
        project_id="tverskaya-oblast",
        title="Стратегическая сессия",
        code="ACDEFG",
        created_at=OPENED,
        expires_at=OPENED + timedelta(hours=hours),
        ended_at=None if ended_after is None else OPENED + timedelta(hours=ended_after),
    )


# --- Item ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_an_item_is_named_in_the_language_asked(catalogue, lang):
    industry = catalogue.industries[0]
    names = {lg: industry.name.get(lg) for lg in LANGS}
    item = Item(id=industry.id, label=names["en"], labels=names)
    assert item.name(lang) == names[lang]


@pytest.mark.parametrize("labels", [{}, {"en": "x"}, {"ru": ""}], ids=["no labels", "other language", "empty"])
def test_an_item_without_a_name_in_the_language_falls_back_to_its_label(sample, labels):
    element = sample.identity_elements[0]
    item = Item(id=element.id, label=element.name, labels=labels)
    assert item.name("ru") == element.name
    assert item.name("kk") == element.name


@pytest.mark.parametrize(
    "fields",
    [
        {"id": "", "label": "x"},
        {"id": "x" * 121, "label": "x"},
        {"id": "x", "label": ""},
        {"id": "x", "label": "x" * (NAME_MAX + 1)},
        {"id": "x", "label": "x", "colour": "red"},
    ],
    ids=["empty id", "long id", "empty label", "long label", "unknown field"],
)
def test_an_item_refuses_what_a_question_cannot_hold(fields):
    with pytest.raises(ValidationError):
        Item(**fields)


def test_an_item_is_frozen(sample):
    item = Item(id=sample.pilots[0].id, label=sample.pilots[0].name)
    with pytest.raises(ValidationError):
        item.label = "другое"


# --- Question -----------------------------------------------------------------------------------------


def test_a_question_finds_its_own_items_and_no_others(sample):
    pilots = sample.pilots
    question = Question(
        id=1,
        workshop=7,
        position=1,
        kind="rank",
        title="Порядок пилотов",
        items=tuple(Item(id=p.id, label=p.name) for p in pilots[:2]),
    )
    for pilot in pilots[:2]:
        assert question.item(pilot.id) == Item(id=pilot.id, label=pilot.name)
    for pilot in pilots[2:]:
        assert question.item(pilot.id) is None
    assert question.item("") is None
    assert question.item(pilots[0].id.upper()) is None  # ids are matched exactly


def test_a_question_holds_at_most_question_items_max_items():
    items = tuple(Item(id=f"e{i}", label=f"Элемент {i}") for i in range(QUESTION_ITEMS_MAX + 1))
    Question(id=1, workshop=1, position=1, kind="rate", title="Оценка", items=items[:-1])
    with pytest.raises(ValidationError):
        Question(id=1, workshop=1, position=1, kind="rate", title="Оценка", items=items)


def test_a_new_question_is_a_hidden_draft():
    question = Question(id=1, workshop=1, position=1, kind="ideas", title="Идеи")
    assert (question.state, question.revealed, question.items, question.per_level) == ("draft", False, (), False)


@pytest.mark.parametrize(
    "fields",
    [{"kind": "vote"}, {"state": "paused"}, {"target": "regions"}, {"title": ""}],
    ids=["kind", "state", "target", "title"],
)
def test_a_question_refuses_values_outside_the_vocabulary(fields):
    with pytest.raises(ValidationError):
        Question(**{"id": 1, "workshop": 1, "position": 1, "kind": "rate", "title": "Оценка", **fields})


# --- Workshop -----------------------------------------------------------------------------------------


def test_a_workshop_is_open_until_it_expires():
    w = workshop(hours=8)
    assert w.is_open(OPENED)
    assert w.is_open(OPENED + timedelta(hours=8) - timedelta(microseconds=1))
    assert not w.is_open(OPENED + timedelta(hours=8))  # the code stops working at the expiry itself
    assert not w.is_open(OPENED + timedelta(days=30))


def test_an_ended_workshop_is_closed_before_its_expiry():
    w = workshop(hours=8, ended_after=1)
    assert not w.is_open(OPENED)
    assert not w.is_open(OPENED + timedelta(hours=2))
    assert workshop(hours=8).is_open(OPENED + timedelta(hours=2))  # the same hour, not ended: open


def test_a_workshop_compares_instants_not_clock_faces():
    w = workshop(hours=8)  # 09:00–17:00 UTC
    moscow = timezone(timedelta(hours=3))
    assert w.is_open(datetime(2027, 3, 15, 19, 59, tzinfo=moscow))  # 16:59 UTC
    assert not w.is_open(datetime(2027, 3, 15, 20, 0, tzinfo=moscow))  # 17:00 UTC


# --- Ballot -------------------------------------------------------------------------------------------


def test_a_ballot_is_other_by_default_and_refuses_an_unknown_role(sample):
    element = sample.identity_elements[0].id
    assert Ballot(participant=1, item=element, value=1).role == "other"
    with pytest.raises(ValidationError):
        Ballot(participant=1, role="minister", item=element, value=1)
