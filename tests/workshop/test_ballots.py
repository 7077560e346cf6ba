"""What a participant may send (policy_engine/workshop/ballots.py).

The questions hold the items `items_for` takes from the sample and from the Tver oblast project
(tests/workshop/test_questions.py); valid submissions are drawn at random from each question's own
items, and each refusal spoils one of them in one way.
"""

from __future__ import annotations

import random
import re

import pytest

from policy_engine.project.issues import Issue
from policy_engine.store.workshops import idea_item
from policy_engine.workshop.ballots import CRITERIA, check_idea, check_submission, clean_text
from policy_engine.workshop.model import (
    COMMENT_MAX,
    IDEA_MAX,
    POINTS_BUDGET,
    QUESTION_ITEMS_MAX,
    SCORE_MAX,
    SCORE_MIN,
    Item,
    Question,
)
from policy_engine.workshop.questions import items_for
from tests.workshop.test_questions import tver_project

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
IDEAS = frozenset(idea_item(n) for n in (11, 12, 13))
KINDS = [("rate", None), ("points", "growth_points"), ("points", "clusters"), ("points", "measures"), ("rank", None)]
KINDS += [("kpi", None), ("ideas", "pilot")]


@pytest.fixture
def tver(catalogue):
    return tver_project(catalogue)


def question(project, catalogue, kind, target=None, state="open", per_level=False) -> Question:
    items, issues = items_for(project, catalogue, kind, target)
    assert issues == []
    if kind == "ideas":
        items = [Item(id=i, label=f"Идея {i}") for i in sorted(IDEAS)]
    return Question(
        id=3,
        workshop=1,
        position=1,
        kind=kind,
        title="Вопрос залу",
        items=tuple(items),
        target=target,
        per_level=per_level,
        state=state,
    )


def valid(q: Question, rng: random.Random) -> dict:
    """A submission the question must take: some of its items (all, for `rank`) with valid values."""
    ids = [i.id for i in q.items]
    some = rng.sample(ids, rng.randint(1, len(ids)))
    if q.kind == "rate":
        return {i: {c: rng.randint(SCORE_MIN, SCORE_MAX) for c in CRITERIA} for i in some}
    if q.kind == "points":
        left, out = POINTS_BUDGET, {}
        for i in some:
            out[i] = rng.randint(0, left)
            left -= out[i]
        return out
    if q.kind == "rank":
        order = rng.sample(ids, len(ids))
        return {i: n for n, i in enumerate(order, start=1)}
    if q.kind == "ideas":
        return {i: rng.choice((0, 1)) for i in some}
    return {
        i: {"agree": rng.choice((-1, 0, 1)), "comment": rng.choice(("", "Реалистично", "Слишком низко"))} for i in some
    }


def codes(issues) -> list[str]:
    return [i.code for i in issues]


def refused(q, values, code, ideas=IDEAS) -> Issue:
    kept, issues = check_submission(q, values, ideas)
    assert kept == {} and codes(issues) == [code], issues
    text = issues[0].text("ru")
    assert CYRILLIC.search(text) and "ws_" not in text and "{" not in text
    return issues[0]


# --- what each kind takes ----------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "target"), KINDS)
@pytest.mark.parametrize("project_name", ["sample", "tver"])
@pytest.mark.parametrize("seed", range(3))
def test_a_valid_submission_is_kept_as_sent(project_name, kind, target, seed, request, catalogue):
    q = question(request.getfixturevalue(project_name), catalogue, kind, target)
    values = valid(q, random.Random(seed))
    kept, issues = check_submission(q, values, IDEAS)
    assert issues == [] and kept == values


def test_whole_numbers_may_come_as_json_floats(sample, catalogue):
    rate = question(sample, catalogue, "rate")
    element = rate.items[0].id
    kept, issues = check_submission(rate, {element: dict.fromkeys(CRITERIA, 4.0)})
    assert issues == [] and kept == {element: dict.fromkeys(CRITERIA, 4)}
    assert all(type(v) is int for v in kept[element].values())
    points = question(sample, catalogue, "points", "clusters")
    assert check_submission(points, {points.items[0].id: 60.0}) == ({points.items[0].id: 60}, [])


def test_a_whole_budget_on_one_item_and_a_zero_are_kept(tver, catalogue):
    q = question(tver, catalogue, "points", "clusters")
    first, second = (i.id for i in q.items[:2])
    assert check_submission(q, {first: POINTS_BUDGET, second: 0}) == ({first: POINTS_BUDGET, second: 0}, [])


def test_an_upvote_can_be_taken_back(tver, catalogue):
    q = question(tver, catalogue, "ideas", "pilot")
    idea = sorted(IDEAS)[0]
    assert check_submission(q, {idea: 0}, IDEAS) == ({idea: 0}, [])


# --- the question must be open -----------------------------------------------------------------------


@pytest.mark.parametrize(("state", "code"), [("closed", "ws_question_closed"), ("draft", "ws_question_not_open")])
@pytest.mark.parametrize(("kind", "target"), KINDS)
def test_only_an_open_question_takes_answers(tver, catalogue, kind, target, state, code):
    q = question(tver, catalogue, kind, target, state=state)
    refused(q, valid(q, random.Random(1)), code)


# --- the items must be the question's --------------------------------------------------------------------


def test_an_item_of_another_project_is_unknown(sample, tver, catalogue):
    q = question(tver, catalogue, "rate")
    theirs = sample.identity_elements[0].id
    assert q.item(theirs) is None
    refused(q, {theirs: dict.fromkeys(CRITERIA, 3)}, "ws_unknown_item")


def test_an_item_of_another_question_is_unknown(tver, catalogue):
    rate, rank = question(tver, catalogue, "rate"), question(tver, catalogue, "rank")
    pilot = rank.items[0].id
    refused(rate, {rate.items[0].id: dict.fromkeys(CRITERIA, 3), pilot: dict.fromkeys(CRITERIA, 3)}, "ws_unknown_item")
    clusters = question(tver, catalogue, "points", "clusters")
    refused(clusters, {tver.identity_elements[0].id: 10}, "ws_unknown_item")


def test_an_idea_that_is_not_approved_cannot_be_upvoted(tver, catalogue):
    q = question(tver, catalogue, "ideas", "pilot")
    refused(q, {idea_item(99): 1}, "ws_unknown_item")
    refused(q, {sorted(IDEAS)[0]: 1}, "ws_unknown_item", ideas=frozenset())


@pytest.mark.parametrize("key", [1, None, ("a",)])
def test_an_item_id_must_be_text(tver, catalogue, key):
    q = question(tver, catalogue, "points", "clusters")
    refused(q, {key: 10}, "ws_unknown_item")


@pytest.mark.parametrize(
    "values",
    [{}, [], "x", None, 5],
    ids=["empty", "list", "text", "none", "number"],
)
def test_a_submission_must_be_a_mapping_of_items(tver, catalogue, values):
    refused(question(tver, catalogue, "rate"), values, "ws_bad_value")


def test_an_oversized_submission_is_refused_before_it_is_read(tver, catalogue):
    q = question(tver, catalogue, "points", "clusters")
    values = {f"item-{n}": 0 for n in range(QUESTION_ITEMS_MAX + 1)}
    refused(q, values, "ws_bad_value")


# --- rate ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "score",
    [True, False, SCORE_MIN - 1, SCORE_MAX + 1, 3.5, float("nan"), float("inf"), "3", None, [3]],
    ids=["true", "false", "below", "above", "half", "nan", "inf", "text", "none", "list"],
)
@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_a_score_is_a_whole_number_on_the_scale(project_name, request, catalogue, score):
    q = question(request.getfixturevalue(project_name), catalogue, "rate")
    for criterion in CRITERIA:
        values = {q.items[0].id: {**dict.fromkeys(CRITERIA, 3), criterion: score}}
        issue = refused(q, values, "ws_score_range")
        assert str(SCORE_MIN) in issue.text("ru") and str(SCORE_MAX) in issue.text("ru")


@pytest.mark.parametrize(
    "value",
    [
        {"uniqueness": 3, "recognition": 3},
        {**dict.fromkeys(CRITERIA, 3), "beauty": 3},
        [3, 3, 3],
        3,
    ],
    ids=["missing criterion", "extra criterion", "list", "bare number"],
)
def test_a_rating_has_exactly_the_three_criteria(tver, catalogue, value):
    q = question(tver, catalogue, "rate")
    refused(q, {q.items[0].id: value}, "ws_bad_value")


def test_one_bad_rating_refuses_the_whole_submission(tver, catalogue):
    q = question(tver, catalogue, "rate")
    values = valid(q, random.Random(3)) | {q.items[-1].id: dict.fromkeys(CRITERIA, 6)}
    refused(q, values, "ws_score_range")


# --- points -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_points_over_the_budget_are_refused(project_name, request, catalogue):
    q = question(request.getfixturevalue(project_name), catalogue, "points", "clusters")
    first, second = (i.id for i in q.items[:2])
    assert check_submission(q, {first: 50, second: 50})[1] == []
    issue = refused(q, {first: 50, second: 51}, "ws_points_over")
    assert "101" in issue.text("ru") and str(POINTS_BUDGET) in issue.text("ru")
    refused(q, {first: POINTS_BUDGET + 1}, "ws_points_over")


@pytest.mark.parametrize(
    "points",
    [-1, 3.5, True, float("nan"), "10", None],
    ids=["negative", "half", "bool", "nan", "text", "none"],
)
def test_points_are_whole_and_not_negative(tver, catalogue, points):
    q = question(tver, catalogue, "points", "measures")
    refused(q, {q.items[0].id: points}, "ws_points_whole")


def by_level(q: Question) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in q.items:
        out.setdefault(item.level, []).append(item.id)
    return out


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_one_budget_per_level_when_the_question_splits_them(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    split = question(project, catalogue, "points", "measures", per_level=True)
    levels = by_level(split)
    assert len(levels) >= 2
    full = {ids[0]: POINTS_BUDGET for ids in levels.values()}  # a whole budget on each level
    assert check_submission(split, full) == (full, [])
    one = next(ids for ids in levels.values() if len(ids) >= 2)
    refused(split, {one[0]: POINTS_BUDGET, one[1]: 1}, "ws_points_over")
    # the same allocation in a question with one budget is over it
    whole = question(project, catalogue, "points", "measures", per_level=False)
    refused(whole, full, "ws_points_over")


# --- rank ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_a_ranking_puts_every_item_in_one_place(project_name, request, catalogue):
    q = question(request.getfixturevalue(project_name), catalogue, "rank")
    ids = [i.id for i in q.items]
    n = len(ids)
    assert n >= 3
    order = {i: p for p, i in enumerate(ids, start=1)}
    issue = refused(q, {i: p for i, p in order.items() if p < n}, "ws_rank_order")  # the last item left out
    assert str(n) in issue.text("ru")
    refused(q, {**order, ids[-1]: 1}, "ws_rank_order")  # position 1 twice, n never
    refused(q, {**order, ids[0]: 0}, "ws_rank_order")
    refused(q, {**order, ids[0]: n + 1}, "ws_rank_order")
    refused(q, {**order, ids[0]: True}, "ws_rank_order")
    refused(q, {**order, ids[0]: 1.5}, "ws_rank_order")
    refused(q, {**order, ids[0]: None}, "ws_rank_order")
    refused(q, {**order, ids[0]: "1"}, "ws_rank_order")


# --- ideas --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("vote", [2, -1, True, 0.5, "1", None])
def test_an_upvote_is_one(tver, catalogue, vote):
    q = question(tver, catalogue, "ideas", "pilot")
    refused(q, {sorted(IDEAS)[0]: vote}, "ws_bad_value")


# --- kpi ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        {"agree": 2},
        {"agree": -2},
        {"agree": True},
        {"agree": 0.5},
        {"agree": "1"},
        {"comment": "без оценки"},
        {"agree": 1, "comment": "x", "score": 5},
        1,
    ],
    ids=["two", "minus two", "bool", "half", "text", "no agree", "extra key", "bare number"],
)
def test_a_view_on_a_kpi_is_minus_one_zero_or_one(tver, catalogue, value):
    q = question(tver, catalogue, "kpi")
    refused(q, {q.items[0].id: value}, "ws_bad_value")


def test_a_comment_is_optional_and_trimmed(tver, catalogue):
    q = question(tver, catalogue, "kpi")
    item = q.items[0].id
    assert check_submission(q, {item: {"agree": -1}}) == ({item: {"agree": -1, "comment": ""}}, [])
    kept, _ = check_submission(q, {item: {"agree": 0, "comment": "  Цель занижена \n"}})
    assert kept == {item: {"agree": 0, "comment": "Цель занижена"}}


def test_a_comment_up_to_its_limit(tver, catalogue):
    q = question(tver, catalogue, "kpi")
    item = q.items[0].id
    comment = ("Цель на 2030 год занижена. " * COMMENT_MAX)[:COMMENT_MAX]
    kept, issues = check_submission(q, {item: {"agree": 1, "comment": comment}})
    assert issues == [] and kept[item]["comment"] == comment.strip()
    issue = refused(q, {item: {"agree": 1, "comment": comment + "ы"}}, "ws_text_too_long")
    assert str(COMMENT_MAX) in issue.text("ru")


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b", "\r", "\x7f"])
def test_a_comment_with_control_characters_is_refused(tver, catalogue, control):
    q = question(tver, catalogue, "kpi")
    refused(q, {q.items[0].id: {"agree": 1, "comment": f"Цель{control}занижена"}}, "ws_control_characters")


@pytest.mark.parametrize("comment", [None, 5, ["x"]])
def test_a_comment_that_is_not_text_is_refused(tver, catalogue, comment):
    q = question(tver, catalogue, "kpi")
    refused(q, {q.items[0].id: {"agree": 1, "comment": comment}}, "ws_bad_value")


def test_markup_in_a_comment_is_kept_as_typed(tver, catalogue):
    q = question(tver, catalogue, "kpi")
    item = q.items[0].id
    for typed in ("<b>x</b>", "<script>alert(1)</script>", "**жирный** [ссылка](http://127.0.0.1:9/)", "a & b"):
        kept, issues = check_submission(q, {item: {"agree": 1, "comment": typed}})
        assert issues == [] and kept[item]["comment"] == typed


# --- proposals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["<b>x</b>", "Фестиваль <script>alert(1)</script> льна", "S&P & Co", "«ёлки» 'single'", "Строка 1\nСтрока 2\tтаб"],
)
def test_a_proposal_is_kept_literally(typed):
    assert check_idea(typed) == (typed, [])


def test_a_proposal_is_trimmed_and_loses_bidi_overrides():
    assert check_idea("  Школа ремёсел  ") == ("Школа ремёсел", [])
    assert check_idea("Школа \u202eремёсел\u2066") == ("Школа ремёсел", [])


def test_a_proposal_up_to_its_limit():
    text = ("Школа войлока в каждом районе. " * IDEA_MAX)[:IDEA_MAX].strip()
    assert check_idea(text) == (text, [])
    kept, issues = check_idea("ы" * (IDEA_MAX + 1))
    assert kept is None and codes(issues) == ["ws_text_too_long"]
    assert str(IDEA_MAX) in issues[0].text("ru")


@pytest.mark.parametrize(
    ("typed", "code"), [("", "ws_idea_empty"), ("  \n\t ", "ws_idea_empty"), (None, "ws_bad_value")]
)
def test_an_empty_proposal_is_refused(typed, code):
    kept, issues = check_idea(typed)
    assert kept is None and codes(issues) == [code]
    assert CYRILLIC.search(issues[0].text("ru"))


@pytest.mark.parametrize("control", ["\x00", "\x08", "\x1f", "\x7f"])
def test_a_proposal_with_control_characters_is_refused(control):
    kept, issues = check_idea(f"Идея{control}льна")
    assert kept is None and codes(issues) == ["ws_control_characters"]


def test_clean_text_measures_the_limit_after_trimming():
    assert clean_text("  " + "ы" * 10 + "  ", 10) == ("ы" * 10, None)
    assert clean_text("ы" * 11, 10)[1].code == "ws_text_too_long"
