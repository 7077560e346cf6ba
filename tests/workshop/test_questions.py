"""The items a question asks about, taken from the project (policy_engine/workshop/questions.py).

Two projects: the East Kazakhstan sample, and a project for Tver oblast (a region the samples do not
hold) that starts empty from `frame.new_project` and is filled through the wizard's own edit
operations with names taken from the seed catalogue's Russian texts. `tver_project` and
`empty_tver` are shared with the other workshop tests.
"""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from policy_engine.diagnostics.growth_points import growth_points
from policy_engine.diagnostics.register import Cell
from policy_engine.i18n import LANGS
from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import QUESTION_KINDS
from policy_engine.project.model import Cluster, Project
from policy_engine.wizard import audit, clustering, frame, measure_design, monitoring, pilots
from policy_engine.workshop.model import QUESTION_ITEMS_MAX
from policy_engine.workshop.questions import GROWTH_POINTS_ASKED, items_for, kpi_item

REGION, COUNTRY = "Тверская область", "RU"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def ok(edit):
    assert edit.ok, [i.text("en") for i in edit.issues]
    return edit.project


def empty_tver(catalogue: Catalogue) -> Project:
    """A new project for Tver oblast, as the wizard creates it: nothing in it yet."""
    project, issues = frame.new_project(catalogue, REGION, COUNTRY)
    assert issues == [] and project is not None
    return project


def tver_project(catalogue: Catalogue, seed: int = 2027) -> Project:
    """Tver oblast filled through the wizard: identity elements, two accepted clusters and a proposed
    one, region-wide and cluster measures of every level, pilots, catalogue and custom KPIs with
    targets over several years, and a register of firms for the growth points. Names are the seed
    catalogue's Russian ones; scores and figures are drawn from `seed`."""
    rng = random.Random(seed)
    industries = catalogue.industries
    project = empty_tver(catalogue)
    for industry in industries[:6]:
        values = {
            "name": industry.name.ru,
            "component": rng.choice(catalogue.identity.components).id,
            "layer": rng.choice(catalogue.identity.layers).id,
            "industries": [industry.id],
            **{c: rng.randint(1, 5) for c in audit.SCORE_COLUMNS},
        }
        project = ok(audit.save_element(project, catalogue, values))
    for industry in industries[6:8]:
        project = ok(
            clustering.add_cluster(project, catalogue, {"name": industry.name.ru, "industries": [industry.id]})
        )
    proposed = Cluster(id="predlozhennyi", name=industries[8].name.ru, industries=[industries[8].id], status="proposed")
    project = project.model_copy(update={"clusters": [*project.clusters, proposed]})
    by_level = {}
    for measure in catalogue.measures:
        by_level.setdefault(measure.level, []).append(measure)
    for n, (_level, measures) in enumerate(sorted(by_level.items())):
        project = ok(measure_design.add_measure(project, catalogue, measures[0].id))  # region-wide
        cluster = project.clusters[n % 2]
        project = ok(measure_design.add_measure(project, catalogue, measures[1].id, cluster.id))
    for cluster_type in catalogue.cluster_types[:4]:
        start = date(2027, rng.randint(1, 6), 1)
        values = {"name": cluster_type.name.ru, "start": start, "end": date(2028, rng.randint(1, 12), 1)}
        project = ok(pilots.add_pilot(project, catalogue, values))
    for kpi in catalogue.kpis[:3]:
        project = ok(monitoring.add_kpi(project, catalogue, {"kpi": kpi.id, "baseline_year": 2025, "baseline": 10}))
    layer = catalogue.identity.layers[0].name.ru
    custom = {"name": layer, "unit": "чел.", "family": "socio_cultural", "baseline_year": 2025, "baseline": 5}
    project = ok(monitoring.add_kpi(project, catalogue, custom))
    for track in project.kpis[1:]:  # the first KPI keeps no targets: a KPI without one is not asked about
        years = rng.sample(range(2026, 2034), 3)  # not in calendar order
        rows = [{"year": y, "target": round(rng.uniform(1, 50_000), 2)} for y in years]
        project = ok(monitoring.set_years(project, catalogue, track.kpi, rows))
    cells = [
        Cell(municipality=town, industry=industry.id, firms=rng.randint(1, 20), employees=float(rng.randint(5, 400)))
        for town in ("Тверь", "Ржев")
        for industry in industries[:7]
    ]
    return ok(frame.import_register(project, catalogue, cells))


@pytest.fixture
def tver(catalogue) -> Project:
    return tver_project(catalogue)


@pytest.fixture
def empty(catalogue) -> Project:
    return empty_tver(catalogue)


def ids(items) -> list[str]:
    return [i.id for i in items]


def asked(project, catalogue, kind, target=None):
    items, issues = items_for(project, catalogue, kind, target)
    assert issues == [], [i.text("en") for i in issues]
    return items


def measure_key(m) -> str:
    return f"{m.measure}@{m.cluster or ''}"


# --- each kind on the sample and on the new region --------------------------------------------------


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_rate_asks_about_every_identity_element(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    items = asked(project, catalogue, "rate")
    assert ids(items) == [e.id for e in project.identity_elements]
    assert [i.label for i in items] == [e.name for e in project.identity_elements]
    assert all(i.labels == {} and i.level is None for i in items)


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_points_over_clusters_asks_about_the_accepted_ones(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    items = asked(project, catalogue, "points", "clusters")
    assert ids(items) == [c.id for c in project.clusters if c.status == "accepted"]
    assert [i.label for i in items] == [c.name for c in project.clusters if c.status == "accepted"]


def test_a_proposed_cluster_is_not_asked_about(tver, catalogue):
    proposed = [c.id for c in tver.clusters if c.status == "proposed"]
    assert proposed and not set(proposed) & set(ids(asked(tver, catalogue, "points", "clusters")))


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_points_over_measures_asks_about_each_chosen_measure_once(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    twice = project.model_copy(update={"measures": [*project.measures, project.measures[0]]})
    items = asked(twice, catalogue, "points", "measures")
    keys = list(dict.fromkeys(measure_key(m) for m in project.measures))
    assert ids(items) == keys
    for item, m in zip(items, project.measures):
        measure = catalogue.measure(m.measure)
        assert item.level == measure.level
        for lang in LANGS:
            assert item.name(lang).startswith(measure.title.get(lang))
        if m.cluster:
            cluster = next(c.name for c in project.clusters if c.id == m.cluster)
            assert all(item.name(lang).endswith(cluster) for lang in LANGS)
        else:
            assert item.name("ru") == measure.title.ru


def test_a_measure_the_catalogue_does_not_know_is_left_out(sample, catalogue):
    unknown = sample.measures[0].model_copy(update={"measure": "no_such_measure"})
    project = sample.model_construct(**{**dict(sample), "measures": [unknown, *sample.measures[1:]]})
    assert ids(asked(project, catalogue, "points", "measures")) == [measure_key(m) for m in sample.measures[1:]]


@pytest.mark.parametrize("project_name", ["sample", "tver"])
@pytest.mark.parametrize("target", ["growth_points", None])
def test_points_over_growth_points_asks_about_the_best_ranked(project_name, target, request, catalogue):
    project = request.getfixturevalue(project_name)
    items = asked(project, catalogue, "points", target)
    ranked = growth_points(project, catalogue)
    expected = [p.industry for p in ranked[:GROWTH_POINTS_ASKED] if p.score > 0]
    assert ids(items) == expected and 0 < len(items) <= GROWTH_POINTS_ASKED
    for item in items:
        name = catalogue.industry(item.id).name
        assert item.labels == {lang: name.get(lang) for lang in LANGS}
        assert item.label == name.en
        assert CYRILLIC.search(item.name("ru")) and CYRILLIC.search(item.name("kk"))


def test_growth_points_with_no_score_are_not_asked_about(tver, catalogue):
    ranked = growth_points(tver, catalogue)
    zero = {p.industry for p in ranked if p.score <= 0}
    assert zero  # the register holds seven of the catalogue's industries, not all
    assert not zero & set(ids(asked(tver, catalogue, "points", "growth_points")))


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_rank_asks_about_every_pilot(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    items = asked(project, catalogue, "rank")
    assert ids(items) == [p.id for p in project.pilots]
    assert [i.label for i in items] == [p.name for p in project.pilots]


def number_in(text: str, lang: str) -> float:
    """The last number written in `text` as `lang` writes it (1 234,5 or 1,234.5)."""
    found = re.findall(r"\d[\d\u00a0 ,.]*", text)[-1].strip(" \u00a0,.")
    if lang in ("ru", "kk"):
        return float(found.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    return float(found.replace(",", ""))


@pytest.mark.parametrize("project_name", ["sample", "tver"])
def test_kpi_asks_about_each_kpi_with_a_target_and_names_its_last_target(project_name, request, catalogue):
    project = request.getfixturevalue(project_name)
    items = asked(project, catalogue, "kpi")
    with_targets = [k for k in project.kpis if k.targets]
    assert ids(items) == [k.kpi for k in with_targets]
    assert len(with_targets) < len(project.kpis) or project_name == "sample"
    for item, track in zip(items, with_targets):
        last = max(track.targets)
        earlier = [y for y in track.targets if y != last]
        for lang in LANGS:
            name = item.name(lang)
            assert str(last) in name and not any(str(y) in name for y in earlier)
            assert number_in(name, lang) == pytest.approx(track.targets[last], abs=0.005)
            if track.custom:
                assert name.startswith(track.custom.name) and track.custom.unit in name
            else:
                assert name.startswith(catalogue.kpi(track.kpi).name.get(lang))
                assert catalogue.kpi(track.kpi).unit.get(lang) in name
        assert CYRILLIC.search(item.name("ru"))


def test_a_custom_kpi_keeps_its_own_russian_name_in_every_language(tver, catalogue):
    index = next(i for i, k in enumerate(tver.kpis) if k.custom)
    item = kpi_item(tver, catalogue, index)
    assert item.id == tver.kpis[index].kpi
    assert {item.name(lang).split(" — ")[0] for lang in LANGS} == {tver.kpis[index].custom.name}


def test_ideas_need_no_project_items(tver, empty, sample, catalogue):
    for project in (tver, empty, sample):
        assert items_for(project, catalogue, "ideas", "pilot") == ([], [])


# --- names too long for a question ----------------------------------------------------------------------


def test_a_long_measure_name_is_cut_to_a_name(tver, catalogue):
    from policy_engine.project.model import NAME_MAX

    cluster = tver.clusters[0]
    long_name = (cluster.name + " ") * (NAME_MAX // len(cluster.name))
    renamed = ok(clustering.save_cluster(tver, catalogue, cluster.id, {"name": long_name.strip()[:NAME_MAX]}))
    items = asked(renamed, catalogue, "points", "measures")
    cut = [i for i in items if i.id.endswith("@" + cluster.id)]
    assert cut and all(len(i.name(lang)) <= NAME_MAX and i.name(lang).endswith("…") for i in cut for lang in LANGS)


# --- nothing to ask about -----------------------------------------------------------------------------


EMPTY_CASES = [("rate", None), ("points", "growth_points"), ("points", "clusters"), ("points", "measures")]
EMPTY_CASES += [("rank", None), ("kpi", None)]


@pytest.mark.parametrize(("kind", "target"), EMPTY_CASES)
def test_a_new_region_has_nothing_to_ask_about_yet_and_says_so_in_russian(empty, catalogue, kind, target):
    items, issues = items_for(empty, catalogue, kind, target)
    assert items == []
    (issue,) = issues
    assert issue.code == f"workshop_no_items.{kind}"
    text = issue.text("ru")
    assert CYRILLIC.search(text) and "workshop" not in text and "issue." not in text and "{" not in text
    assert text != issue.text("en") and not re.search(r"[A-Za-z]{4,}", text.replace("KPI", ""))


def test_every_kind_has_a_russian_refusal():
    """The coded issue exists for each kind in the vocabulary, not only those asked above."""
    from policy_engine.i18n import strings

    for kind in QUESTION_KINDS:
        assert CYRILLIC.search(strings()[f"issue.workshop_no_items.{kind}"]["ru"])


def test_kpis_without_targets_are_nothing_to_ask_about(tver, catalogue):
    untargeted = tver.model_copy(update={"kpis": [k.model_copy(update={"targets": {}}) for k in tver.kpis]})
    items, issues = items_for(untargeted, catalogue, "kpi")
    assert items == [] and [i.code for i in issues] == ["workshop_no_items.kpi"]


def test_only_proposed_clusters_are_nothing_to_ask_about(tver, catalogue):
    proposed = [c.model_copy(update={"status": "proposed"}) for c in tver.clusters]
    items, issues = items_for(tver.model_copy(update={"clusters": proposed}), catalogue, "points", "clusters")
    assert items == [] and [i.code for i in issues] == ["workshop_no_items.points"]


def test_more_items_than_a_room_can_answer_are_refused(empty, catalogue):
    component, layer = catalogue.identity.components[0].id, catalogue.identity.layers[0].id
    names = [f"{i.name.ru} {n}" for n in range(1, 20) for i in catalogue.industries][: QUESTION_ITEMS_MAX + 1]
    rows = [
        {"name": name, "component": component, "layer": layer, **dict.fromkeys(audit.SCORE_COLUMNS, 3)}
        for name in names
    ]
    many = ok(audit.set_elements(empty, catalogue, rows))
    assert len(many.identity_elements) == QUESTION_ITEMS_MAX + 1
    items, issues = items_for(many, catalogue, "rate")
    assert items == [] and [i.code for i in issues] == ["workshop_too_many_items"]
    assert str(QUESTION_ITEMS_MAX) in issues[0].text("ru") and CYRILLIC.search(issues[0].text("ru"))
    fits = ok(audit.set_elements(empty, catalogue, rows[:QUESTION_ITEMS_MAX]))
    assert len(asked(fits, catalogue, "rate")) == QUESTION_ITEMS_MAX


def test_ideas_for_a_target_image_need_one_of_the_projects_clusters(sample, catalogue):
    cluster = sample.clusters[0].id
    assert items_for(sample, catalogue, "ideas", "target_image", cluster) == ([], [])
    for missing in (None, "a-cluster-of-another-project"):
        items, issues = items_for(sample, catalogue, "ideas", "target_image", missing)
        assert items == [] and [i.code for i in issues] == ["ws_no_cluster"]
        assert "кластер" in issues[0].text("ru")
