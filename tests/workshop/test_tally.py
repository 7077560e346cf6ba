"""A question's result from its ballots (policy_engine/workshop/tally.py).

Every expected number below was worked out by hand; the arithmetic is in the comment beside it.
Consensus factors are (agrees + 1) / (votes + 2) per role; "agree ∏" and "disagree ∏" are their
products over the roles that voted, and the consensus of every kind but `ideas` is the larger.
"""

from __future__ import annotations

from math import sqrt
from statistics import fmean, pstdev

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_engine.method.vocabulary import PARTICIPANT_ROLES
from policy_engine.workshop.model import Ballot, Item, Question
from policy_engine.workshop.tally import (
    MIN_ROLE_BALLOTS,
    ItemResult,
    RoleStat,
    agreed_and_divided,
    group_consensus,
    tally,
)


def question(kind: str, *ids: str) -> Question:
    return Question(
        id=1, workshop=1, position=1, kind=kind, title="Q", items=tuple(Item(id=i, label=i.upper()) for i in ids)
    )


def vote(participant: int, role: str, item: str, value) -> Ballot:
    return Ballot(participant=participant, role=role, item=item, value=value)


def rate(uniqueness: int, recognition: int, vitality: int) -> dict[str, int]:
    return {"uniqueness": uniqueness, "recognition": recognition, "vitality": vitality}


def kpi(agree: int, comment: str = "") -> dict:
    return {"agree": agree, "comment": comment}


def by_id(result) -> dict[str, ItemResult]:
    return {r.item: r for r in result.items}


def order(result) -> list[str]:
    return [r.item for r in result.items]


# --- group_consensus --------------------------------------------------------------------------------


def test_group_consensus_multiplies_the_smoothed_share_of_each_group():
    # authority 2 of 3 agree: 3/5; academia 0 of 2: 1/4; product 3/20 = 0.15
    assert group_consensus({"authority": (2, 3), "academia": (0, 2)}) == pytest.approx(0.15)
    # one group, 4 of 4: 5/6
    assert group_consensus({"community": (4, 4)}) == pytest.approx(5 / 6)


def test_group_consensus_leaves_out_groups_that_did_not_vote():
    assert group_consensus({}) is None
    assert group_consensus({"authority": (0, 0), "business": (0, 0)}) is None
    # business (1 of 1): 2/3; authority has no votes, so no factor (not the prior 1/2)
    assert group_consensus({"authority": (0, 0), "business": (1, 1)}) == pytest.approx(2 / 3)


def test_a_group_that_starts_voting_lowers_the_consensus_even_when_it_agrees():
    # authority 2 of 2: 3/4; academia joins with 1 of 1: 3/4 × 2/3 = 1/2 < 3/4
    assert group_consensus({"authority": (2, 2)}) == pytest.approx(0.75)
    assert group_consensus({"authority": (2, 2), "academia": (1, 1)}) == pytest.approx(0.5)


@pytest.mark.parametrize("counts", [(3, 2), (-1, 2), (0, -1)])
def test_group_consensus_refuses_impossible_counts(counts):
    with pytest.raises(ValueError):
        group_consensus({"authority": counts})


# --- rate ---------------------------------------------------------------------------------------------


RATE_BALLOTS = [
    vote(1, "authority", "e1", rate(5, 4, 3)),  # score 4: agrees
    vote(2, "authority", "e1", rate(5, 5, 5)),  # score 5: agrees
    vote(3, "academia", "e1", rate(2, 2, 2)),  # score 2: disagrees
    vote(4, "academia", "e1", rate(3, 3, 3)),  # score 3: neither
    vote(5, "community", "e1", rate(1, 3, 2)),  # score 2: disagrees
    vote(1, "authority", "e2", rate(4, 4, 4)),  # score 4: agrees
    vote(3, "academia", "e2", rate(4, 5, 3)),  # score 4: agrees
    vote(6, "business", "zz", rate(5, 5, 5)),  # not an item of the question
]


def test_rate():
    result = tally(question("rate", "e1", "e2", "e3"), RATE_BALLOTS)
    assert result.kind == "rate"
    assert result.participants == 5  # participant 6 only answered a stray item
    assert result.by_role == {"authority": 2, "academia": 2, "community": 1}
    assert list(result.by_role) == ["authority", "academia", "community"]  # PARTICIPANT_ROLES order
    assert order(result) == ["e2", "e1", "e3"]  # 4.0, 3.2, no ballots

    e1 = by_id(result)["e1"]
    assert e1.label == "E1"
    assert e1.ballots == 5
    assert e1.mean == pytest.approx(3.2)  # (4 + 5 + 2 + 3 + 2) / 5 = 16/5
    assert e1.value == pytest.approx(3.2)
    # deviations .8, 1.8, -1.2, -.2, -1.2; squares .64 + 3.24 + 1.44 + .04 + 1.44 = 6.8; / 5 = 1.36
    assert e1.spread == pytest.approx(sqrt(1.36))
    assert (e1.agree, e1.disagree) == (2, 2)
    assert e1.criteria == pytest.approx(
        {
            "uniqueness": 3.2,  # (5 + 5 + 2 + 3 + 1) / 5 = 16/5
            "recognition": 3.4,  # (4 + 5 + 2 + 3 + 3) / 5 = 17/5
            "vitality": 3.0,  # (3 + 5 + 2 + 3 + 2) / 5 = 15/5
        }
    )
    assert e1.by_role == (
        RoleStat(role="authority", ballots=2, mean=4.5, agree=2, disagree=0),  # (4 + 5) / 2
        RoleStat(role="academia", ballots=2, mean=2.5, agree=0, disagree=1),  # (2 + 3) / 2
        RoleStat(role="community", ballots=1, mean=2.0, agree=0, disagree=1),
    )
    # roles with >= 2 ballots: authority 4.5, academia 2.5 → 2.0 (community's 2.0 from one ballot would make it 2.5)
    assert e1.divide == pytest.approx(2.0)
    # agree ∏: authority 2 of 2: 3/4; academia 0 of 2: 1/4; community 0 of 1: 1/3 → 3/48 = 1/16
    # disagree ∏: authority 0 of 2: 1/4; academia 1 of 2: 2/4; community 1 of 1: 2/3 → 2/24 = 1/12
    assert e1.consensus == pytest.approx(1 / 12)
    assert e1.comments == ()

    e2 = by_id(result)["e2"]
    assert (e2.ballots, e2.mean, e2.spread, e2.value) == (2, pytest.approx(4.0), pytest.approx(0.0), pytest.approx(4.0))
    assert (e2.agree, e2.disagree) == (2, 0)
    assert e2.criteria == pytest.approx({"uniqueness": 4.0, "recognition": 4.5, "vitality": 3.5})
    assert [(s.role, s.ballots) for s in e2.by_role] == [("authority", 1), ("academia", 1)]
    assert e2.divide is None  # no role has MIN_ROLE_BALLOTS ballots
    # agree ∏: 1 of 1 (2/3) × 1 of 1 (2/3) = 4/9; disagree ∏: 1/3 × 1/3 = 1/9
    assert e2.consensus == pytest.approx(4 / 9)


def test_an_item_nobody_answered():
    e3 = by_id(tally(question("rate", "e1", "e2", "e3"), RATE_BALLOTS))["e3"]
    assert e3 == ItemResult(
        item="e3",
        label="E3",
        ballots=0,
        value=0.0,
        mean=None,
        spread=None,
        agree=0,
        disagree=0,
        consensus=None,
        by_role=(),
        divide=None,
    )


def test_no_ballots_at_all():
    result = tally(question("rate", "a", "b"), [])
    assert (result.participants, result.by_role, order(result)) == (0, {}, ["a", "b"])
    assert agreed_and_divided(result) == ([], [])


def test_rate_agrees_and_disagrees_at_the_edges():
    # scores 4 (agree), 2 (disagree), 11/3 (neither), 7/3 (neither)
    ballots = [
        vote(1, "other", "a", rate(4, 4, 4)),
        vote(2, "other", "a", rate(1, 2, 3)),
        vote(3, "other", "a", rate(3, 4, 4)),
        vote(4, "other", "a", rate(2, 2, 3)),
    ]
    a = tally(question("rate", "a"), ballots).items[0]
    assert (a.agree, a.disagree) == (1, 1)
    assert a.mean == pytest.approx((4 + 2 + 11 / 3 + 7 / 3) / 4)  # 12 / 4 = 3


def test_a_second_ballot_replaces_the_first():
    ballots = [vote(1, "authority", "a", rate(1, 1, 1)), vote(1, "authority", "a", rate(5, 5, 5))]
    a = tally(question("rate", "a"), ballots).items[0]
    assert (a.ballots, a.mean, a.agree, a.disagree) == (1, 5.0, 1, 0)


def test_changing_one_ballot_changes_that_item_only():
    before = by_id(tally(question("rate", "e1", "e2", "e3"), RATE_BALLOTS))
    changed = [
        vote(1, "authority", "e1", rate(1, 1, 1)) if b.participant == 1 and b.item == "e1" else b for b in RATE_BALLOTS
    ]
    after = by_id(tally(question("rate", "e1", "e2", "e3"), changed))
    assert after["e2"] == before["e2"]
    assert after["e3"] == before["e3"]
    assert after["e1"].mean == pytest.approx(2.6)  # (1 + 5 + 2 + 3 + 2) / 5 = 13/5
    assert after["e1"].by_role[0] == RoleStat(role="authority", ballots=2, mean=3.0, agree=1, disagree=1)


def test_ties_keep_the_question_order():
    ballots = [
        vote(1, "other", "a", rate(3, 3, 3)),  # 3
        vote(1, "other", "b", rate(4, 4, 4)),  # 4
        vote(1, "other", "c", rate(5, 4, 3)),  # 4
    ]
    assert order(tally(question("rate", "a", "b", "c", "d"), ballots)) == ["b", "c", "a", "d"]
    assert order(tally(question("rate", "d", "c", "b", "a"), ballots)) == ["c", "b", "a", "d"]


def test_a_participant_has_the_role_of_their_last_ballot():
    ballots = [vote(1, "authority", "a", rate(5, 5, 5)), vote(1, "business", "b", rate(1, 1, 1))]
    result = tally(question("rate", "a", "b"), ballots)
    assert result.by_role == {"business": 1}
    assert [s.role for r in result.items for s in r.by_role] == ["business", "business"]


# --- points -----------------------------------------------------------------------------------------


POINTS_BALLOTS = [
    vote(1, "authority", "g1", 60),
    vote(1, "authority", "g2", 40),
    vote(2, "authority", "g1", 100),
    vote(3, "business", "g2", 50),
    vote(3, "business", "g3", 50),
    vote(4, "business", "g3", 100),
    vote(5, "community", "zz", 100),  # a stray item: participant 5 is not active, gives no zeros
]


def test_points_count_an_item_left_out_as_zero():
    result = tally(question("points", "g1", "g2", "g3", "g4"), POINTS_BALLOTS)
    assert (result.participants, result.by_role) == (4, {"authority": 2, "business": 2})
    assert order(result) == ["g1", "g3", "g2", "g4"]  # 160, 150, 90, 0
    g1, g2, g3, g4 = (by_id(result)[g] for g in ("g1", "g2", "g3", "g4"))

    # g1: 60, 100 and the zeros of 3 and 4
    assert (g1.ballots, g1.value, g1.agree, g1.disagree) == (4, 160, 2, 2)
    assert g1.mean == pytest.approx(40)  # 160 / 4
    assert g1.spread == pytest.approx(sqrt(1800))  # 20² + 60² + 40² + 40² = 7200; / 4
    assert g1.by_role == (
        RoleStat(role="authority", ballots=2, mean=80.0, agree=2, disagree=0),
        RoleStat(role="business", ballots=2, mean=0.0, agree=0, disagree=2),
    )
    assert g1.divide == pytest.approx(80)
    # agree ∏: 3/4 × 1/4 = 3/16; disagree ∏: 1/4 × 3/4 = 3/16
    assert g1.consensus == pytest.approx(3 / 16)
    assert g1.criteria == {} and g1.comments == ()

    # g2: 40, 50, zeros of 2 and 4
    assert (g2.ballots, g2.value, g2.agree, g2.disagree) == (4, 90, 2, 2)
    assert g2.mean == pytest.approx(22.5)
    assert g2.spread == pytest.approx(sqrt(518.75))  # 17.5² + 27.5² + 22.5² + 22.5² = 2075; / 4
    assert [s.mean for s in g2.by_role] == pytest.approx([20, 25])  # (40 + 0) / 2, (50 + 0) / 2
    assert g2.divide == pytest.approx(5)
    assert g2.consensus == pytest.approx(1 / 4)  # agree ∏ = disagree ∏ = 2/4 × 2/4

    # g3: 50, 100, zeros of 1 and 2
    assert (g3.value, g3.mean) == (150, pytest.approx(37.5))
    assert g3.spread == pytest.approx(sqrt(1718.75))  # 12.5² + 62.5² + 37.5² + 37.5² = 6875; / 4
    assert g3.divide == pytest.approx(75)  # business 75, authority 0
    assert g3.consensus == pytest.approx(3 / 16)  # agree ∏ 1/4 × 3/4; disagree ∏ 3/4 × 1/4

    # g4: nobody gave it a point: four zeros
    assert (g4.ballots, g4.value, g4.mean, g4.spread, g4.agree, g4.disagree) == (4, 0, 0, 0, 0, 4)
    assert g4.divide == pytest.approx(0)
    # agree ∏ 1/4 × 1/4 = 1/16; disagree ∏ 3/4 × 3/4 = 9/16: the room agrees it is weak
    assert g4.consensus == pytest.approx(9 / 16)

    agreed, divided = agreed_and_divided(result)
    assert [r.item for r in agreed] == ["g4", "g2", "g1"]  # 9/16, 1/4, 3/16 (g1 ties g3, comes first)
    assert [r.item for r in divided] == ["g1", "g3", "g2"]  # 80, 75, 5
    agreed, divided = agreed_and_divided(result, top=1)
    assert ([r.item for r in agreed], [r.item for r in divided]) == (["g4"], ["g1"])


def test_points_an_explicit_zero_is_the_same_as_none():
    q = question("points", "g1", "g2", "g3", "g4")
    explicit = [*POINTS_BALLOTS, vote(4, "business", "g1", 0), vote(1, "authority", "g4", 0)]
    assert tally(q, explicit) == tally(q, POINTS_BALLOTS)


def test_points_moving_points_changes_those_items_only():
    q = question("points", "g1", "g2", "g3", "g4")
    moved = [vote(1, "authority", b.item, 50) if b.participant == 1 else b for b in POINTS_BALLOTS]
    before, after = by_id(tally(q, POINTS_BALLOTS)), by_id(tally(q, moved))
    assert (after["g3"], after["g4"]) == (before["g3"], before["g4"])
    assert (after["g1"].value, after["g2"].value) == (150, 100)  # 50 + 100; 50 + 50


# --- rank -------------------------------------------------------------------------------------------


def test_rank():
    # n = 4: Borda 4, 3, 2, 1 for positions 1–4; positions 1 and 2 agree (position × 2 ≤ 4)
    ballots = [
        *(vote(1, "authority", r, p) for r, p in (("r1", 1), ("r2", 2), ("r3", 3), ("r4", 4))),
        *(vote(2, "authority", r, p) for r, p in (("r2", 1), ("r1", 2), ("r4", 3), ("r3", 4))),
        *(vote(3, "community", r, p) for r, p in (("r3", 1), ("r4", 2), ("r2", 3), ("r1", 4))),
        *(vote(4, "community", r, p) for r, p in (("r3", 1), ("r1", 2))),  # ranked two only
    ]
    result = tally(question("rank", "r1", "r2", "r3", "r4"), ballots)
    assert (result.participants, result.by_role) == (4, {"authority": 2, "community": 2})
    # r2 3.0; r1 and r3 tie at 2.75, question order; r4 2.0
    assert order(result) == ["r2", "r1", "r3", "r4"]
    r1, r2, r3, r4 = (by_id(result)[r] for r in ("r1", "r2", "r3", "r4"))

    # r1: Borda 4, 3, 1, 3
    assert (r1.ballots, r1.agree, r1.disagree) == (4, 3, 1)
    assert r1.value == r1.mean == pytest.approx(2.75)  # 11 / 4
    assert r1.spread == pytest.approx(sqrt(1.1875))  # 1.25² + .25² + 1.75² + .25² = 4.75; / 4
    assert r1.by_role == (
        RoleStat(role="authority", ballots=2, mean=3.5, agree=2, disagree=0),
        RoleStat(role="community", ballots=2, mean=2.0, agree=1, disagree=1),
    )
    assert r1.divide == pytest.approx(1.5)  # 3.5 − 2
    # agree ∏: 3/4 × 2/4 = 3/8; disagree ∏: 1/4 × 2/4 = 1/8
    assert r1.consensus == pytest.approx(3 / 8)

    # r2: Borda 3, 4, 2
    assert (r2.ballots, r2.agree, r2.disagree) == (3, 2, 1)
    assert r2.mean == pytest.approx(3.0)
    assert r2.spread == pytest.approx(sqrt(2 / 3))  # 0 + 1 + 1 = 2; / 3
    assert r2.divide is None  # community has one ballot, below MIN_ROLE_BALLOTS
    # agree ∏: 3/4 × 1/3 = 1/4; disagree ∏: 1/4 × 2/3 = 1/6
    assert r2.consensus == pytest.approx(1 / 4)

    # r3: Borda 2, 1, 4, 4
    assert (r3.agree, r3.disagree) == (2, 2)
    assert r3.mean == pytest.approx(2.75)
    assert r3.spread == pytest.approx(sqrt(1.6875))  # .75² + 1.75² + 1.25² + 1.25² = 6.75; / 4
    assert r3.divide == pytest.approx(2.5)  # community 4, authority 1.5
    assert r3.consensus == pytest.approx(3 / 16)  # agree ∏ 1/4 × 3/4; disagree ∏ 3/4 × 1/4

    # r4: Borda 1, 2, 3
    assert (r4.agree, r4.disagree) == (1, 2)
    assert r4.mean == pytest.approx(2.0)
    assert r4.spread == pytest.approx(sqrt(2 / 3))
    # agree ∏: 1/4 × 2/3 = 1/6; disagree ∏: 3/4 × 1/3 = 1/4
    assert r4.consensus == pytest.approx(1 / 4)

    agreed, divided = agreed_and_divided(result)
    assert [r.item for r in agreed] == ["r1", "r2", "r4"]  # 3/8, then r2 and r4 at 1/4 in result order
    assert [r.item for r in divided] == ["r3", "r1"]  # 2.5, 1.5; r2 and r4 have no divide


@pytest.mark.parametrize(
    ("n", "position", "agrees"),
    [(3, 1, True), (3, 2, False), (3, 3, False), (4, 2, True), (4, 3, False), (5, 2, True), (5, 3, False)],
)
def test_rank_agrees_in_the_top_half(n, position, agrees):
    ids = [f"r{i}" for i in range(1, n + 1)]
    r1 = by_id(tally(question("rank", *ids), [vote(1, "other", "r1", position)]))["r1"]
    assert (r1.agree, r1.disagree) == (int(agrees), int(not agrees))
    assert r1.mean == n - position + 1


# --- ideas ------------------------------------------------------------------------------------------


def test_ideas():
    ballots = [
        vote(1, "authority", "i1", 1),
        vote(2, "authority", "i1", 1),
        vote(3, "authority", "i2", 1),
        vote(4, "academia", "i2", 1),
        vote(5, "academia", "i2", 1),
        vote(6, "community", "i1", 0),  # not an upvote: participant 6 is not active
    ]
    result = tally(question("ideas", "i1", "i2", "i3"), ballots)
    assert (result.participants, result.by_role) == (5, {"authority": 3, "academia": 2})
    assert order(result) == ["i2", "i1", "i3"]  # 3, 2, 0 upvotes
    i1, i2, i3 = (by_id(result)[i] for i in ("i1", "i2", "i3"))

    assert (i1.ballots, i1.value, i1.agree, i1.disagree) == (2, 2, 2, 3)  # 5 active, 2 upvoted
    assert (i1.mean, i1.spread, i1.divide) == (None, None, None)
    # authority 2 of 3: 3/5; academia 0 of 2: 1/4 → 3/20
    assert i1.consensus == pytest.approx(0.15)
    assert i1.by_role == (
        RoleStat(role="authority", ballots=2, mean=None, agree=2, disagree=1),
        RoleStat(role="academia", ballots=0, mean=None, agree=0, disagree=2),
    )

    assert (i2.ballots, i2.value, i2.agree, i2.disagree) == (3, 3, 3, 2)
    # authority 1 of 3: 2/5; academia 2 of 2: 3/4 → 6/20
    assert i2.consensus == pytest.approx(0.3)

    assert (i3.ballots, i3.value, i3.agree, i3.disagree, i3.consensus) == (0, 0, 0, 5, None)

    agreed, divided = agreed_and_divided(result)
    assert [r.item for r in agreed] == ["i2", "i1"]
    assert divided == []


# --- kpi --------------------------------------------------------------------------------------------


def test_kpi():
    ballots = [
        vote(1, "authority", "k1", kpi(1, "Realistic")),
        vote(1, "authority", "k2", kpi(-1, "x")),
        vote(2, "authority", "k1", kpi(1)),
        vote(3, "business", "k1", kpi(-1, "Too low")),
        vote(3, "business", "k2", kpi(-1, "")),
        vote(4, "business", "k1", kpi(0, "   ")),  # a pass, with a blank comment
        vote(5, "business", "k1", kpi(-1, "No")),
    ]
    result = tally(question("kpi", "k1", "k2", "k3"), ballots)
    assert (result.participants, result.by_role) == (5, {"authority": 2, "business": 3})
    # k1 0.0, k2 −1.0, k3 has no ballots: last although its value 0.0 is above k2's
    assert order(result) == ["k1", "k2", "k3"]
    k1, k2, k3 = (by_id(result)[k] for k in ("k1", "k2", "k3"))

    # k1: 1, 1, −1, 0, −1
    assert (k1.ballots, k1.agree, k1.disagree) == (5, 2, 2)  # the pass counts as a vote, neither way
    assert k1.value == k1.mean == pytest.approx(0.0)
    assert k1.spread == pytest.approx(sqrt(0.8))  # 1 + 1 + 1 + 0 + 1 = 4; / 5
    assert [(s.role, s.ballots, s.agree, s.disagree) for s in k1.by_role] == [
        ("authority", 2, 2, 0),
        ("business", 3, 0, 2),
    ]
    assert [s.mean for s in k1.by_role] == pytest.approx([1.0, -2 / 3])  # (1 + 1) / 2; (−1 + 0 − 1) / 3
    assert k1.divide == pytest.approx(5 / 3)  # 1 − (−2/3)
    # agree ∏: 2 of 2 (3/4) × 0 of 3 (1/5) = 3/20; disagree ∏: 0 of 2 (1/4) × 2 of 3 (3/5) = 3/20
    assert k1.consensus == pytest.approx(0.15)
    assert k1.comments == ("Realistic", "Too low", "No")

    # k2: −1, −1
    assert (k2.mean, k2.spread, k2.agree, k2.disagree) == (-1.0, 0.0, 0, 2)
    assert k2.divide is None
    # agree ∏: 1/3 × 1/3 = 1/9; disagree ∏: 2/3 × 2/3 = 4/9
    assert k2.consensus == pytest.approx(4 / 9)
    assert k2.comments == ("x",)

    assert (k3.ballots, k3.value, k3.comments, k3.consensus) == (0, 0.0, (), None)


def test_kpi_comments_follow_the_ballots():
    ballots = [
        vote(3, "other", "k", kpi(0, "c")),
        vote(1, "other", "k", kpi(0, "a")),
        vote(2, "other", "k", kpi(0, "b")),
    ]
    assert tally(question("kpi", "k"), ballots).items[0].comments == ("c", "a", "b")


# --- properties -------------------------------------------------------------------------------------


counts = st.integers(min_value=0, max_value=50).flatmap(lambda v: st.tuples(st.integers(0, v), st.just(v)))
groups = st.dictionaries(st.sampled_from(PARTICIPANT_ROLES), counts, max_size=len(PARTICIPANT_ROLES))


@given(groups)
def test_consensus_is_a_probability(groups):
    consensus = group_consensus(groups)
    if all(v == 0 for _, v in groups.values()):
        assert consensus is None
    else:
        # each factor (a + 1) / (v + 2) is in (0, 1) because 0 ≤ a ≤ v
        assert 0 < consensus < 1


@given(groups, st.sampled_from(PARTICIPANT_ROLES))
def test_one_more_vote_moves_a_voting_group_the_right_way(groups, role):
    # (a + 2) / (v + 3) − (a + 1) / (v + 2) has the sign of (a + 2)(v + 2) − (a + 1)(v + 3) = v − a + 1 > 0;
    # (a + 1) / (v + 3) < (a + 1) / (v + 2). Not for a group with no votes yet: see the test above.
    agrees, votes = groups.get(role, (0, 0))
    if votes == 0:
        return
    before = group_consensus(groups)
    assert group_consensus({**groups, role: (agrees + 1, votes + 1)}) >= before
    assert group_consensus({**groups, role: (agrees, votes + 1)}) <= before


rate_ballots = st.lists(
    st.builds(
        lambda p, item, scores: vote(p, PARTICIPANT_ROLES[p % len(PARTICIPANT_ROLES)], item, rate(*scores)),
        st.integers(0, 12),
        st.sampled_from(["a", "b", "c"]),
        st.tuples(*[st.integers(1, 5)] * 3),
    ),
    max_size=40,
    unique_by=lambda b: (b.participant, b.item),
)


@given(rate_ballots)
def test_rate_results_stay_in_range_and_ignore_the_ballots_order(ballots):
    q = question("rate", "a", "b", "c")
    result = tally(q, ballots)
    assert tally(q, reversed(ballots)) == result
    assert result.participants == len({b.participant for b in ballots}) == sum(result.by_role.values())
    for r in result.items:
        assert r.ballots == sum(s.ballots for s in r.by_role)
        assert r.agree + r.disagree <= r.ballots
        if r.ballots:
            assert 0 < r.consensus < 1
            scores = [fmean(b.value.values()) for b in ballots if b.item == r.item]  # each ballot's own mean
            assert r.mean == pytest.approx(fmean(scores)) and r.spread == pytest.approx(pstdev(scores))
            # the item's mean is its roles' means weighted by their ballots
            assert r.mean == pytest.approx(sum(s.mean * s.ballots for s in r.by_role) / r.ballots)
        if r.divide is not None:
            assert 0 <= r.divide <= 4
            assert sum(s.ballots >= MIN_ROLE_BALLOTS for s in r.by_role) >= 2


points_ballots = st.lists(
    st.builds(
        lambda p, item, points: vote(p, PARTICIPANT_ROLES[p % len(PARTICIPANT_ROLES)], item, points),
        st.integers(0, 12),
        st.sampled_from(["a", "b", "c"]),
        st.integers(0, 100),
    ),
    max_size=40,
    unique_by=lambda b: (b.participant, b.item),
)


@given(points_ballots)
def test_points_every_item_has_a_ballot_from_every_active_participant(ballots):
    result = tally(question("points", "a", "b", "c"), ballots)
    assert all(r.ballots == result.participants for r in result.items)
    assert sum(r.value for r in result.items) == sum(b.value for b in ballots)
