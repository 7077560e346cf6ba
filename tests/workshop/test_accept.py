"""A question's result taken into the project (policy_engine/workshop/accept.py).

Results are made the way the board makes them: `tally(question, ballots)` over ballots generated
from the question's own items (each submission passes `check_submission` first, as a phone's does).
The questions' items come from `items_for` on the sample and on the Tver oblast project of
tests/workshop/test_questions.py; the ideas a room proposes are the catalogue's Russian measure titles.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from policy_engine.i18n import strings
from policy_engine.method.vocabulary import PARTICIPANT_ROLES, WORKSHOP_USES
from policy_engine.project.cells import slug
from policy_engine.workshop.accept import SUMMARY_ITEMS, accept, history_note, summary, uses
from policy_engine.workshop.ballots import CRITERIA, check_submission
from policy_engine.workshop.model import POINTS_BUDGET, Ballot, Item, Question, Workshop
from policy_engine.workshop.questions import items_for
from policy_engine.workshop.tally import tally
from tests.workshop.test_questions import empty_tver, tver_project

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
HELD_ON = date(2027, 3, 15)
START, END = date(2027, 5, 1), date(2027, 10, 31)
KINDS = [
    ("rate", None),
    ("points", "growth_points"),
    ("points", "clusters"),
    ("points", "measures"),
    ("rank", None),
    ("ideas", "pilot"),
    ("ideas", "event"),
    ("ideas", "target_image"),
    ("kpi", None),
]


@pytest.fixture
def tver(catalogue):
    return tver_project(catalogue)


WORKSHOP = Workshop(
    id=4,
    project_id="any",
    title="Стратегическая сессия «Тверь-2030»",
    code="ACDEFG",
    created_at=datetime(2027, 3, 15, 9, tzinfo=UTC),
    expires_at=datetime(2027, 3, 15, 9, tzinfo=UTC) + timedelta(hours=8),
)


def ideas_of(catalogue, n: int = 5) -> list[Item]:
    """What a room proposed: the catalogue's Russian measure titles, as approved ideas."""
    return [Item(id=f"idea-{k}", label=m.title.ru) for k, m in enumerate(catalogue.measures[:n], start=1)]


def question(project, catalogue, kind, target=None, cluster=None, title="Вопрос залу") -> Question:
    if kind == "ideas":
        items = ideas_of(catalogue)
    else:
        items, issues = items_for(project, catalogue, kind, target)
        assert issues == []
    return Question(
        id=9,
        workshop=WORKSHOP.id,
        position=2,
        kind=kind,
        title=title,
        items=tuple(items),
        target=target,
        cluster=cluster,
        state="closed",
    )


def submission(q: Question, rng: random.Random) -> dict:
    ids = [i.id for i in q.items]
    some = rng.sample(ids, rng.randint(1, len(ids)))
    if q.kind == "rate":
        return {i: {c: rng.randint(1, 5) for c in CRITERIA} for i in some}
    if q.kind == "points":
        left, out = POINTS_BUDGET, {}
        for i in some:
            out[i] = rng.randint(0, left)
            left -= out[i]
        return out
    if q.kind == "rank":
        return {i: n for n, i in enumerate(rng.sample(ids, len(ids)), start=1)}
    if q.kind == "ideas":
        return dict.fromkeys(some, 1)
    return {i: {"agree": rng.choice((-1, 0, 1)), "comment": rng.choice(("", "Цель занижена"))} for i in some}


def ballots_from(q: Question, submissions: list[tuple[str, dict]]) -> list[Ballot]:
    """Ballots of participants 1, 2, … with these roles and submissions, checked as a phone's are."""
    out = []
    open_q = q.model_copy(update={"state": "open"})
    for participant, (role, values) in enumerate(submissions, start=1):
        kept, issues = check_submission(open_q, values, frozenset(i.id for i in q.items))
        assert issues == [], issues
        out += [Ballot(participant=participant, role=role, item=i, value=v) for i, v in kept.items()]
    return out


def room(q: Question, seed: int = 0, people: int = 12) -> list[Ballot]:
    rng = random.Random(seed)
    return ballots_from(q, [(rng.choice(PARTICIPANT_ROLES), submission(q, rng)) for _ in range(people)])


def take(project, catalogue, q, ballots, use, **kw):
    return accept(project, catalogue, WORKSHOP, q, tally(q, ballots), use, HELD_ON, **kw)


def dates_for(use):
    return {"start": START, "end": END} if use in ("pilots_added", "events_added") else {}


def without_workshops(project) -> dict:
    return project.model_dump(exclude={"workshops"})


# --- what a result may do -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "target", "expected"),
    [
        ("rate", None, ("noted", "scores_replaced")),
        ("points", "growth_points", ("noted",)),
        ("points", "clusters", ("priority_order", "noted")),
        ("points", "measures", ("priority_order", "noted")),
        ("rank", None, ("priority_order", "noted")),
        ("ideas", "pilot", ("pilots_added", "noted")),
        ("ideas", None, ("pilots_added", "noted")),
        ("ideas", "event", ("events_added", "noted")),
        ("ideas", "target_image", ("target_image", "noted")),
        ("kpi", None, ("kpi_feedback", "noted")),
    ],
)
def test_uses_of_each_kind_of_question(kind, target, expected):
    q = Question(id=1, workshop=1, position=1, kind=kind, title="Вопрос", target=target)
    assert uses(q) == expected
    assert set(uses(q)) <= set(WORKSHOP_USES)


def test_a_points_question_without_a_target_is_used_as_the_growth_points_it_asks_about(sample, catalogue):
    untargeted = question(sample, catalogue, "points", None)
    growth = question(sample, catalogue, "points", "growth_points")
    assert untargeted.items == growth.items  # the same items…
    assert uses(untargeted) == uses(growth)  # …so the same uses


@pytest.mark.parametrize(("kind", "target"), KINDS)
@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_every_use_offered_is_taken_in(project_name, kind, target, request, catalogue):
    project = request.getfixturevalue(project_name)
    cluster = project.clusters[-1].id if target == "target_image" else None
    q = question(project, catalogue, kind, target, cluster=cluster)
    ballots = room(q, seed=len(project_name) + len(kind))
    for use in uses(q):
        edit = take(project, catalogue, q, ballots, use, **dates_for(use))
        assert edit.ok, [i.text("en") for i in edit.issues]
        assert edit.changed
        assert edit.project.workshops == [*project.workshops, edit.project.workshops[-1]]
        record = edit.project.workshops[-1]
        assert (record.use, record.kind, record.held_on) == (use, kind, HELD_ON)


@pytest.mark.parametrize(("kind", "target"), KINDS)
def test_a_use_not_offered_is_refused(tver, catalogue, kind, target):
    cluster = tver.clusters[0].id if target == "target_image" else None
    q = question(tver, catalogue, kind, target, cluster=cluster)
    ballots = room(q)
    others = [u for u in WORKSHOP_USES if u not in uses(q)]
    assert others
    for use in others:
        edit = take(tver, catalogue, q, ballots, use, start=START, end=END)
        assert [i.code for i in edit.issues] == ["ws_use_not_for_question"]
        assert edit.project == tver and not edit.changed
        assert CYRILLIC.search(edit.issues[0].text("ru"))


@pytest.mark.parametrize(("kind", "target"), KINDS)
def test_a_result_without_ballots_is_refused(tver, catalogue, kind, target):
    cluster = tver.clusters[0].id if target == "target_image" else None
    q = question(tver, catalogue, kind, target, cluster=cluster)
    stray = [Ballot(participant=1, role="business", item="not-an-item", value=1)]
    for ballots in ([], stray):
        for use in uses(q):
            edit = take(tver, catalogue, q, ballots, use, start=START, end=END)
            assert [i.code for i in edit.issues] == ["ws_no_ballots"]
            assert edit.project == tver
            assert CYRILLIC.search(edit.issues[0].text("ru"))


# --- noted ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "target"), KINDS)
@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_noted_changes_nothing_but_the_workshops(project_name, kind, target, request, catalogue):
    project = request.getfixturevalue(project_name)
    cluster = project.clusters[0].id if target == "target_image" else None
    q = question(project, catalogue, kind, target, cluster=cluster)
    edit = take(project, catalogue, q, room(q, seed=3), "noted")
    assert edit.ok
    assert without_workshops(edit.project) == without_workshops(project)
    assert len(edit.project.workshops) == len(project.workshops) + 1


# --- scores_replaced ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((3, 4), 4),  # 3.5: a half rounds up
        ((2, 3), 3),  # 2.5
        ((1, 2), 2),  # 1.5
        ((4, 5), 5),  # 4.5
        ((3, 3, 3, 4), 3),  # 3.25
        ((3, 4, 4, 4), 4),  # 3.75
        ((1, 1), 1),
        ((5, 5, 5), 5),
    ],
)
@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_the_rooms_scores_replace_the_audits_rounded_halves_up(project_name, request, catalogue, scores, expected):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "rate")
    rated = project.identity_elements[1]
    for criterion in CRITERIA:  # the rounded criterion, the others a whole 2
        values = [{**dict.fromkeys(CRITERIA, 2), criterion: s} for s in scores]
        ballots = ballots_from(q, [("community", {rated.id: v}) for v in values])
        edit = take(project, catalogue, q, ballots, "scores_replaced")
        assert edit.ok
        after = next(e for e in edit.project.identity_elements if e.id == rated.id)
        assert getattr(after.scores, criterion) == expected
        assert all(getattr(after.scores, c) == 2 for c in CRITERIA if c != criterion)
        assert after.model_dump(exclude={"scores"}) == rated.model_dump(exclude={"scores"})
        others = [e for e in edit.project.identity_elements if e.id != rated.id]
        assert others == [e for e in project.identity_elements if e.id != rated.id]  # unrated: as they were


def test_several_elements_are_rescored_at_once(tver, catalogue):
    q = question(tver, catalogue, "rate")
    first, last = tver.identity_elements[0], tver.identity_elements[-1]
    ballots = ballots_from(
        q,
        [
            ("authority", {first.id: dict.fromkeys(CRITERIA, 5), last.id: dict.fromkeys(CRITERIA, 1)}),
            ("academia", {first.id: dict.fromkeys(CRITERIA, 4)}),
        ],
    )
    edit = take(tver, catalogue, q, ballots, "scores_replaced")
    by_id = {e.id: e for e in edit.project.identity_elements}
    assert by_id[first.id].scores.model_dump() == dict.fromkeys(CRITERIA, 5)  # 4.5 → 5
    assert by_id[last.id].scores.model_dump() == dict.fromkeys(CRITERIA, 1)
    assert [e for e in edit.project.identity_elements[1:-1]] == tver.identity_elements[1:-1]
    assert [e.id for e in edit.project.identity_elements] == [e.id for e in tver.identity_elements]


# --- priority_order --------------------------------------------------------------------------------------


def descending_points(order: list[str]) -> dict[str, int]:
    """Points that put `order` first to last: n, n − 1, … 1 (within the budget for up to 13 items)."""
    n = len(order)
    assert n * (n + 1) // 2 <= POINTS_BUDGET
    return {item: n - k for k, item in enumerate(order)}


@pytest.mark.parametrize("project_name", ["sample", "tver"])
@pytest.mark.parametrize("seed", range(3))
def test_ranked_pilots_are_put_in_the_rooms_order(project_name, seed, request, catalogue):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "rank")
    order = random.Random(seed).sample([p.id for p in project.pilots], len(project.pilots))
    positions = {pid: n for n, pid in enumerate(order, start=1)}
    ballots = ballots_from(q, [("authority", positions), ("business", positions), ("academia", positions)])
    edit = take(project, catalogue, q, ballots, "priority_order")
    assert edit.ok
    assert [p.id for p in edit.project.pilots] == order
    assert sorted(edit.project.pilots, key=lambda p: p.id) == sorted(project.pilots, key=lambda p: p.id)


@pytest.mark.parametrize("project_name", ["sample", "tver"])
@pytest.mark.parametrize("seed", range(3))
def test_clusters_given_points_are_put_in_the_rooms_order(project_name, seed, request, catalogue):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "points", "clusters")
    asked = [i.id for i in q.items]
    order = random.Random(seed).sample(asked, len(asked))
    ballots = ballots_from(q, [("community", descending_points(order))] * 2)
    edit = take(project, catalogue, q, ballots, "priority_order")
    assert edit.ok
    not_asked = [c.id for c in project.clusters if c.id not in asked]  # Tver's proposed cluster
    assert [c.id for c in edit.project.clusters] == order + not_asked
    assert project_name == "sample" or not_asked


@pytest.mark.parametrize("project_name", ["sample", "tver"])
@pytest.mark.parametrize("seed", range(3))
def test_measures_given_points_are_put_in_the_rooms_order(project_name, seed, request, catalogue):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "points", "measures")
    asked = [i.id for i in q.items]
    order = random.Random(seed).sample(asked, len(asked))
    ballots = ballots_from(q, [("business", descending_points(order))])
    edit = take(project, catalogue, q, ballots, "priority_order")
    assert edit.ok
    assert [f"{m.measure}@{m.cluster or ''}" for m in edit.project.measures] == order
    assert sorted(edit.project.measures, key=str) == sorted(project.measures, key=str)


# --- pilots_added ------------------------------------------------------------------------------------------


def upvoted(q: Question, votes: dict[str, int]) -> list[Ballot]:
    """`votes[idea]` participants upvote each idea (participant k upvotes the ideas with more than k votes)."""
    most = max(votes.values())
    roles = PARTICIPANT_ROLES
    return ballots_from(q, [(roles[k % len(roles)], {i: 1 for i, v in votes.items() if v > k}) for k in range(most)])


@pytest.mark.parametrize("project_name", ["sample", "tver"])
@pytest.mark.parametrize("top", [1, 2, 3])
def test_the_top_ideas_become_pilots(project_name, top, request, catalogue):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "ideas", "pilot")
    ideas = list(q.items)
    votes = {ideas[2].id: 5, ideas[0].id: 4, ideas[4].id: 2, ideas[1].id: 1}  # ideas[3]: nobody
    edit = take(project, catalogue, q, upvoted(q, votes), "pilots_added", top=top, start=START, end=END)
    assert edit.ok
    added = edit.project.pilots[len(project.pilots) :]
    assert edit.project.pilots[: len(project.pilots)] == project.pilots
    expected = [ideas[2].label, ideas[0].label, ideas[4].label][:top]
    assert [p.name for p in added] == expected
    assert all(CYRILLIC.search(p.name) for p in added)
    assert all((p.start, p.end, p.status) == (START, END, "planned") for p in added)
    ids = [p.id for p in edit.project.pilots]
    assert len(set(ids)) == len(ids)  # the ids themselves are checked by the project model


def test_an_idea_nobody_upvoted_never_becomes_a_pilot(tver, catalogue):
    q = question(tver, catalogue, "ideas", "pilot")
    ideas = list(q.items)
    edit = take(tver, catalogue, q, upvoted(q, {ideas[0].id: 2}), "pilots_added", top=5, start=START, end=END)
    assert [p.name for p in edit.project.pilots[len(tver.pilots) :]] == [ideas[0].label]


def test_pilots_from_ideas_of_the_same_name_get_ids_of_their_own(tver, catalogue):
    existing = tver.pilots[0]
    texts = [existing.name, existing.name + "!", f"«{existing.name}»", existing.name.upper()]
    q = Question(
        id=9,
        workshop=WORKSHOP.id,
        position=1,
        kind="ideas",
        title="Идеи пилотов",
        items=tuple(Item(id=f"idea-{n}", label=t) for n, t in enumerate(texts)),
        target="pilot",
        state="closed",
    )
    assert len({slug(t) for t in texts} | {existing.id}) == 1  # all would take the existing pilot's id
    votes = {f"idea-{n}": 4 - n for n in range(len(texts))}
    edit = take(tver, catalogue, q, upvoted(q, votes), "pilots_added", top=len(texts), start=START, end=END)
    assert edit.ok
    added = edit.project.pilots[len(tver.pilots) :]
    assert [p.name for p in added] == texts
    ids = [p.id for p in edit.project.pilots]
    assert len(set(ids)) == len(ids)
    assert existing.id not in [p.id for p in added]


@pytest.mark.parametrize(
    ("start", "end"),
    [(None, END), (START, None), (None, None), (START, START), (END, START)],
    ids=["no start", "no end", "no dates", "same day", "end first"],
)
@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_pilots_need_a_start_before_their_end(project_name, request, catalogue, start, end):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "ideas", "pilot")
    edit = take(project, catalogue, q, room(q), "pilots_added", start=start, end=end)
    assert [i.code for i in edit.issues] == ["ws_dates_needed"]
    assert edit.project == project
    assert CYRILLIC.search(edit.issues[0].text("ru"))


def test_a_new_regions_first_pilots_come_from_the_room(catalogue):
    empty = empty_tver(catalogue)
    q = question(empty, catalogue, "ideas", "pilot", title="Предложите пилотные проекты")
    ideas = list(q.items)
    edit = take(empty, catalogue, q, upvoted(q, {ideas[0].id: 2, ideas[1].id: 1}), "pilots_added", start=START, end=END)
    assert edit.ok and [p.name for p in edit.project.pilots] == [ideas[0].label, ideas[1].label]
    assert edit.project.model_dump(exclude={"pilots", "workshops"}) == empty.model_dump(exclude={"pilots", "workshops"})
    (record,) = edit.project.workshops
    assert [r.label for r in record.results] == [ideas[0].label, ideas[1].label]
    assert record.by_role == {"authority": 1, "business": 1}
    note = history_note(WORKSHOP, q, "pilots_added", "ru")
    assert WORKSHOP.title in note and q.title in note


def test_a_new_region_without_clusters_has_no_target_image_to_set(catalogue):
    empty = empty_tver(catalogue)
    q = question(empty, catalogue, "ideas", "target_image", cluster="ремёсла")
    edit = take(empty, catalogue, q, room(q), "target_image")
    assert [i.code for i in edit.issues] == ["ws_no_cluster"] and edit.project == empty


# --- events_added ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("project_name", ["sample", "tver", "empty"])
@pytest.mark.parametrize("end", [None, END])
def test_the_top_ideas_become_events_in_the_calendar(project_name, end, request, catalogue):
    project = empty_tver(catalogue) if project_name == "empty" else request.getfixturevalue(project_name)
    q = question(project, catalogue, "ideas", "event")
    ideas = list(q.items)
    votes = {ideas[1].id: 3, ideas[3].id: 2, ideas[0].id: 1}
    edit = take(project, catalogue, q, upvoted(q, votes), "events_added", top=2, start=START, end=end)
    assert edit.ok
    events = edit.project.promotion.events
    new = [e for e in events if e not in project.promotion.events]
    assert [e.name for e in new] == [ideas[1].label, ideas[3].label]
    assert all((e.start, e.end) == (START, end) for e in new)
    assert [e.start for e in events] == sorted(e.start for e in events)
    assert len(events) == len(project.promotion.events) + 2
    assert edit.project.promotion.model_dump(exclude={"events"}) == project.promotion.model_dump(exclude={"events"})


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_events_need_a_start(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "ideas", "event")
    edit = take(project, catalogue, q, room(q), "events_added", start=None, end=END)
    assert [i.code for i in edit.issues] == ["ws_dates_needed"] and edit.project == project


def test_an_event_ending_before_it_starts_is_refused_by_the_projects_checks(tver, catalogue):
    q = question(tver, catalogue, "ideas", "event")
    edit = take(tver, catalogue, q, room(q), "events_added", start=END, end=START)
    assert not edit.ok and edit.project == tver
    assert all(CYRILLIC.search(i.text("ru")) for i in edit.issues)


# --- target_image ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_the_top_idea_becomes_the_clusters_target_image(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    cluster = project.clusters[1]
    q = question(project, catalogue, "ideas", "target_image", cluster=cluster.id)
    ideas = list(q.items)
    edit = take(project, catalogue, q, upvoted(q, {ideas[3].id: 4, ideas[1].id: 3}), "target_image")
    assert edit.ok
    after = {c.id: c for c in edit.project.clusters}
    assert after[cluster.id].target_image == ideas[3].label
    assert after[cluster.id].model_dump(exclude={"target_image"}) == cluster.model_dump(exclude={"target_image"})
    assert [c for c in edit.project.clusters if c.id != cluster.id] == [
        c for c in project.clusters if c.id != cluster.id
    ]


@pytest.mark.parametrize("cluster", [None, "no-such-cluster"])
@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_a_target_image_needs_a_cluster_of_the_project(project_name, request, catalogue, cluster):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "ideas", "target_image", cluster=cluster)
    edit = take(project, catalogue, q, room(q), "target_image")
    assert [i.code for i in edit.issues] == ["ws_no_cluster"] and edit.project == project
    assert CYRILLIC.search(edit.issues[0].text("ru"))


def test_a_cluster_of_another_project_is_no_cluster(sample, tver, catalogue):
    q = question(tver, catalogue, "ideas", "target_image", cluster=sample.clusters[0].id)
    assert [i.code for i in take(tver, catalogue, q, room(q), "target_image").issues] == ["ws_no_cluster"]


# --- kpi_feedback ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_views_on_kpi_targets_become_feedback_in_russian(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "kpi")
    first, second = q.items[0], q.items[-1]
    ballots = ballots_from(
        q,
        [
            ("authority", {first.id: {"agree": 1, "comment": "Реалистично"}}),
            ("business", {first.id: {"agree": -1, "comment": "Слишком <b>высоко</b>"}, second.id: {"agree": 0}}),
            ("community", {first.id: {"agree": 1}}),
        ],
    )
    edit = take(project, catalogue, q, ballots, "kpi_feedback", lang="ru")
    assert edit.ok
    assert edit.project.feedback[:-1] == project.feedback
    item = edit.project.feedback[-1]
    assert item.received == HELD_ON
    assert WORKSHOP.title in item.source and CYRILLIC.search(item.source.replace(WORKSHOP.title, ""))
    text = item.issue
    assert first.name("ru") in text and second.name("ru") in text
    assert "Реалистично" in text and "Слишком <b>высоко</b>" in text  # comments as typed
    assert text.index(first.name("ru")) < text.index("Реалистично") < text.index(second.name("ru"))
    unanswered = [i for i in q.items if i not in (first, second)]
    assert all(i.name("ru") not in text for i in unanswered)
    assert CYRILLIC.search(
        re.sub("|".join(map(re.escape, (first.name("ru"), second.name("ru"), "Реалистично"))), "", text)
    )
    assert not re.search(r"\b(agree|disagree|mean)\b", text)
    english = take(project, catalogue, q, ballots, "kpi_feedback", lang="en").project.feedback[-1]
    assert english.issue != text and re.search(r"\bagree\b", english.issue)


# --- the summary -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_the_summary_keeps_the_room_by_role_and_the_date(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    q = question(project, catalogue, "points", "growth_points")
    rng = random.Random(7)
    roles = ["authority"] * 3 + ["business"] * 2 + ["community"] * 4
    ballots = ballots_from(q, [(role, submission(q, rng)) for role in roles])
    result = tally(q, ballots)
    record = summary(WORKSHOP, q, result, "noted", HELD_ON, "ru")
    assert record.by_role == {"authority": 3, "business": 2, "community": 4}
    assert record.participants == len(roles)
    assert record.held_on == HELD_ON
    assert (record.workshop, record.question, record.kind, record.use) == (WORKSHOP.title, q.title, "points", "noted")
    assert [r.label for r in record.results] == [q.item(r.item).name("ru") for r in result.items if r.ballots]
    assert all(CYRILLIC.search(r.label) for r in record.results)  # growth points named from the catalogue in Russian
    assert [r.ballots for r in record.results] == [r.ballots for r in result.items if r.ballots]
    edit = accept(project, catalogue, WORKSHOP, q, result, "noted", HELD_ON, lang="ru")
    assert edit.project.workshops[-1] == record


def test_the_summary_leaves_out_items_nobody_answered_and_keeps_the_top(catalogue):
    many = Question(
        id=9,
        workshop=WORKSHOP.id,
        position=1,
        kind="ideas",
        title="Идеи",
        items=tuple(Item(id=f"idea-{n}", label=f"{m.title.ru} ({n})") for n, m in enumerate(catalogue.measures[:30])),
        target="pilot",
        state="closed",
    )
    votes = {f"idea-{n}": 1 + n % 4 for n in range(SUMMARY_ITEMS + 5)}  # 25 upvoted, 5 not
    result = tally(many, upvoted(many, votes))
    record = summary(WORKSHOP, many, result, "noted", HELD_ON, "ru")
    assert len(record.results) == SUMMARY_ITEMS
    assert [r.label for r in record.results] == [r.label for r in result.items[:SUMMARY_ITEMS]]
    assert [r.value for r in record.results] == sorted((r.value for r in record.results), reverse=True)


def test_the_summary_names_items_in_the_facilitators_language(sample, catalogue):
    q = question(sample, catalogue, "points", "growth_points")
    result = tally(q, room(q))
    for lang in ("ru", "kk", "en"):
        record = summary(WORKSHOP, q, result, "noted", HELD_ON, lang)
        names = {catalogue.industry(i.id).name.get(lang) for i in q.items}
        assert {r.label for r in record.results} <= names


# --- the history note ----------------------------------------------------------------------------------


@pytest.mark.parametrize("use", WORKSHOP_USES)
def test_the_history_note_names_the_workshop_and_the_question_in_russian(use):
    q = Question(id=9, workshop=4, position=1, kind="rate", title="Оцените элементы {use} идентичности", state="closed")
    note = history_note(WORKSHOP, q, use, "ru")
    assert WORKSHOP.title in note and q.title in note  # braces in a title stay as typed
    rest = note.replace(WORKSHOP.title, "").replace(q.title, "")
    assert CYRILLIC.search(rest) and use not in rest.replace(q.title, "")
    assert strings()[f"ws.use.{use}"]["ru"] in note
    assert note != history_note(WORKSHOP, q, use, "en")


def test_history_notes_differ_by_use():
    q = Question(id=9, workshop=4, position=1, kind="ideas", title="Идеи", state="closed")
    notes = {history_note(WORKSHOP, q, use, "ru") for use in WORKSHOP_USES}
    assert len(notes) == len(WORKSHOP_USES)


def test_accepting_the_same_result_the_same_way_twice_is_refused(sample, catalogue):
    q = question(sample, catalogue, "rank")
    ballots = room(q)
    first = take(sample, catalogue, q, ballots, "priority_order")
    assert first.ok
    again = take(first.project, catalogue, q, ballots, "priority_order")
    assert [i.code for i in again.issues] == ["ws_already_accepted"] and "уже принят" in again.issues[0].text("ru")
    assert take(first.project, catalogue, q, ballots, "noted").ok  # another use of it is still possible
