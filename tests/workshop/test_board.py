"""The facilitator's board: the tally as chart rows in the facilitator's language
(policy_engine/workshop/board.py).

Results come from `tally` over generated ballots on questions drafted by `items_for` from the sample
and from the Tver oblast project (tests/workshop/test_questions.py); the words the board uses are the
strings file's own (policy_engine/strings/workshop.yaml).
"""

from __future__ import annotations

import random
import re

import pytest

from policy_engine.i18n import LANGS, strings
from policy_engine.method.vocabulary import PARTICIPANT_ROLES, QUESTION_KINDS
from policy_engine.project.model import NAME_MAX
from policy_engine.wizard import clustering
from policy_engine.workshop.board import (
    LABEL_MAX,
    chart_labels,
    consensus_text,
    item_name,
    joined_rows,
    result_rows,
    role_rows,
    value_label,
)
from policy_engine.workshop.model import Ballot, Item, Question
from policy_engine.workshop.questions import items_for
from policy_engine.workshop.tally import tally
from tests.workshop.test_questions import tver_project

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@pytest.fixture
def tver(catalogue):
    return tver_project(catalogue)


def question(project, catalogue, kind, target=None) -> Question:
    if kind == "ideas":
        items = [Item(id=f"idea-{n}", label=m.title.ru) for n, m in enumerate(catalogue.measures[:6])]
    else:
        items, issues = items_for(project, catalogue, kind, target)
        assert issues == []
    return Question(id=2, workshop=1, position=1, kind=kind, title="Вопрос", items=tuple(items), target=target)


def value_for(q: Question, rng: random.Random, item: str, position: int):
    if q.kind == "rate":
        return {c: rng.randint(1, 5) for c in ("uniqueness", "recognition", "vitality")}
    if q.kind == "points":
        return rng.randint(0, 100 // len(q.items))
    if q.kind == "rank":
        return position
    if q.kind == "ideas":
        return 1
    return {"agree": rng.choice((-1, 0, 1)), "comment": ""}


def room(q: Question, seed: int = 0, people: int = 15) -> list[Ballot]:
    """Each participant answers every item (ranks all, upvotes some ideas), with a role by turns."""
    rng = random.Random(seed)
    ballots = []
    for p in range(people):
        role = PARTICIPANT_ROLES[p % len(PARTICIPANT_ROLES)]
        order = rng.sample([i.id for i in q.items], len(q.items))
        for position, item in enumerate(order, start=1):
            if q.kind == "ideas" and rng.random() < 0.5:
                continue
            ballots.append(Ballot(participant=p, role=role, item=item, value=value_for(q, rng, item, position)))
    return ballots


KINDS = [("rate", None), ("points", "growth_points"), ("points", "measures"), ("rank", None), ("ideas", "pilot")]
KINDS += [("kpi", None)]


# --- the results chart ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "target"), KINDS)
@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_result_rows_follow_the_results_order(project_name, kind, target, request, catalogue):
    q = question(request.getfixturevalue(project_name), catalogue, kind, target)
    result = tally(q, room(q, seed=len(kind)))
    rows = result_rows(q, result, "ru")
    assert [r["order"] for r in rows] == list(range(len(result.items)))
    assert [r["full"] for r in rows] == [q.item(r.item).name("ru") for r in result.items]
    assert [r["value"] for r in rows] == [r.value for r in result.items]
    assert [r["ballots"] for r in rows] == [r.ballots for r in result.items]
    assert [r["consensus"] for r in rows] == [r.consensus for r in result.items]
    assert [r["divide"] for r in rows] == [r.divide for r in result.items]
    values = [r["value"] for r in rows if r["ballots"]]
    assert values == sorted(values, reverse=True)


@pytest.mark.parametrize(("kind", "target"), KINDS)
def test_the_spread_is_drawn_around_the_mean(tver, catalogue, kind, target):
    q = question(tver, catalogue, kind, target)
    result = tally(q, room(q))
    for row, r in zip(result_rows(q, result, "ru"), result.items):
        if r.mean is None or r.spread is None:  # ideas: upvotes have no mean
            assert (row["low"], row["high"]) == (None, None)
        else:
            assert row["mean"] == r.mean
            assert row["low"] == pytest.approx(r.mean - r.spread)
            assert row["high"] == pytest.approx(r.mean + r.spread)
            assert row["low"] <= row["mean"] <= row["high"]


@pytest.mark.parametrize("lang", LANGS)
def test_items_are_named_in_the_language_asked(sample, catalogue, lang):
    q = question(sample, catalogue, "points", "growth_points")
    rows = result_rows(q, tally(q, room(q)), lang)
    names = {i.id: catalogue.industry(i.id).name.get(lang) for i in q.items}
    assert {r["full"] for r in rows} == set(names.values())
    if lang != "en":
        assert all(CYRILLIC.search(r["item"]) for r in rows)


def test_long_names_are_cut_on_the_axis_and_kept_whole_in_the_tooltip(tver, catalogue):
    cluster = tver.clusters[0]
    long_name = " ".join(i.name.ru for i in catalogue.industries)[:NAME_MAX].strip()
    assert len(long_name) > LABEL_MAX
    renamed = clustering.save_cluster(tver, catalogue, cluster.id, {"name": long_name}).project
    q = question(renamed, catalogue, "points", "clusters")
    rows = result_rows(q, tally(q, room(q)), "ru")
    by_full = {r["full"]: r for r in rows}
    long_row = by_full[long_name]
    assert len(long_row["item"]) == LABEL_MAX and long_row["item"].endswith("…")
    assert long_name.startswith(long_row["item"][:-1])
    short = [r for r in rows if len(r["full"]) <= LABEL_MAX]
    assert short and all(r["item"] == r["full"] for r in short)


def test_a_name_of_exactly_label_max_is_not_cut(tver, catalogue):
    name = (" ".join(i.name.ru for i in catalogue.industries))[:LABEL_MAX].strip()
    name = name + "ы" * (LABEL_MAX - len(name))
    renamed = clustering.save_cluster(tver, catalogue, tver.clusters[0].id, {"name": name}).project
    q = question(renamed, catalogue, "points", "clusters")
    (row,) = [r for r in result_rows(q, tally(q, room(q)), "ru") if r["full"] == name]
    assert row["item"] == name


def test_an_item_the_question_does_not_hold_is_named_by_the_results_label(tver, catalogue):
    q = question(tver, catalogue, "rank")
    assert item_name(q, q.items[0].id, "запасное имя", "ru") == q.items[0].name("ru")
    assert item_name(q, "no-such-item", "запасное имя", "ru") == "запасное имя"


def test_no_ballots_gives_a_row_per_item_and_no_role_rows(tver, catalogue):
    q = question(tver, catalogue, "rate")
    result = tally(q, [])
    rows = result_rows(q, result, "ru")
    assert [r["full"] for r in rows] == [i.label for i in q.items]
    assert all(r["ballots"] == 0 and r["mean"] is None and r["low"] is None for r in rows)
    assert role_rows(q, result, "ru") == []


# --- the split by role -----------------------------------------------------------------------------------


def russian_role(role: str) -> str:
    return strings()[f"ws.role.{role}"]["ru"]


@pytest.mark.parametrize(("kind", "target"), [k for k in KINDS if k[0] != "ideas"])
@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_role_rows_give_each_roles_mean_in_the_results_order(project_name, kind, target, request, catalogue):
    q = question(request.getfixturevalue(project_name), catalogue, kind, target)
    result = tally(q, room(q, seed=5))
    rows = role_rows(q, result, "ru")
    expected = [
        (n, r.item, s.role, s.mean, s.ballots)
        for n, r in enumerate(result.items)
        for s in r.by_role
        if s.mean is not None
    ]
    assert len(rows) == len(expected) > 0
    for row, (n, item, role, mean, ballots) in zip(rows, expected):
        assert result.items[n].item == item
        assert row["order"] == n
        assert row["item"] == result_rows(q, result, "ru")[n]["item"]
        assert row["role"] == russian_role(role) and CYRILLIC.search(row["role"])
        assert row["role_order"] == PARTICIPANT_ROLES.index(role)
        assert (row["mean"], row["ballots"]) == (mean, ballots)
    assert [r["order"] for r in rows] == sorted(r["order"] for r in rows)


def test_upvotes_have_no_role_means(tver, catalogue):
    q = question(tver, catalogue, "ideas", "pilot")
    result = tally(q, room(q))
    assert any(r.ballots for r in result.items)
    assert role_rows(q, result, "ru") == []


def test_role_rows_name_roles_in_the_language_asked(tver, catalogue):
    q = question(tver, catalogue, "rate")
    result = tally(q, room(q))
    for lang in LANGS:
        roles = {r["role"] for r in role_rows(q, result, lang)}
        assert roles == {strings()[f"ws.role.{role}"][lang] for role in PARTICIPANT_ROLES}
    assert {r["role"] for r in role_rows(q, result, "ru")} != {r["role"] for r in role_rows(q, result, "en")}


# --- who joined -------------------------------------------------------------------------------------------


def test_joined_rows_list_every_role_in_russian():
    joined = {"authority": 4, "community": 11}
    rows = joined_rows(joined, "ru")
    assert [r["role"] for r in rows] == [russian_role(role) for role in PARTICIPANT_ROLES]
    assert [r["joined"] for r in rows] == [joined.get(role, 0) for role in PARTICIPANT_ROLES]
    assert [r["role_order"] for r in rows] == list(range(len(PARTICIPANT_ROLES)))
    assert all(CYRILLIC.search(r["role"]) and "ws." not in r["role"] for r in rows)
    assert len({r["role"] for r in rows}) == len(PARTICIPANT_ROLES)


def test_joined_rows_of_an_empty_room():
    assert [r["joined"] for r in joined_rows({}, "ru")] == [0] * len(PARTICIPANT_ROLES)


# --- the chart's words ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", QUESTION_KINDS)
def test_the_charts_words_are_russian(kind):
    q = Question(id=1, workshop=1, position=1, kind=kind, title="Вопрос")
    labels = chart_labels(q, "ru")
    assert labels["value"] == value_label(q, "ru")
    for text in labels.values():
        assert CYRILLIC.search(text) and "ws." not in text
    assert labels != chart_labels(q, "en")
    assert (
        len({value_label(Question(id=1, workshop=1, position=1, kind=k, title="В"), "ru") for k in QUESTION_KINDS}) == 5
    )


@pytest.mark.parametrize(("lang", "expected"), [("ru", "0,25"), ("kk", "0,25"), ("en", "0.25")])
def test_consensus_is_written_as_the_language_writes_numbers(lang, expected):
    assert consensus_text(0.25, lang) == expected
    assert consensus_text(None, lang) == "—"


def test_the_question_list_and_the_tables_speak_russian_and_show_no_keys(sample, catalogue):
    from policy_engine.workshop.board import ballot_headers, question_label, result_table
    from policy_engine.workshop.model import Question
    from policy_engine.workshop.questions import items_for
    from policy_engine.workshop.tally import tally

    items, _ = items_for(sample, catalogue, "rate")
    q = Question(
        id=3, workshop=1, position=2, kind="rate", title="Оцените <b>элементы</b>", items=tuple(items), state="open"
    )
    assert question_label(q, "ru") == "2. Оцените <b>элементы</b> — Оценка элементов идентичности"
    headers = ballot_headers(q, "ru")
    assert headers["uniqueness"] == "уникальность" and headers["role"] == "Группа участников"
    from policy_engine.workshop.model import Ballot

    ballots = [
        Ballot(
            participant=p, role="business", item=items[0].id, value={"uniqueness": p, "recognition": p, "vitality": p}
        )
        for p in (2, 4)
    ]
    rows, headers = result_table(q, tally(q, ballots), "ru")
    assert list(rows[0]) == list(headers) and rows[0]["full"] == items[0].label
    assert rows[0]["value"] == "3" and "mean" not in headers  # rate: the value is the mean, once
    assert rows[1]["value"] == rows[1]["consensus"] == "—"  # nobody answered the second element
    assert all(not any(c.isascii() and c.isalpha() for c in h) for h in headers.values())  # no English, no keys
