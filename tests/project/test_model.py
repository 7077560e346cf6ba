"""The project model: JSON round trip, required keys, and errors that name every bad field."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_engine.method.catalogue import default_catalogue
from policy_engine.method.vocabulary import (
    FUNDING_SOURCES,
    KPI_DIRECTIONS,
    KPI_FAMILIES,
    LEVELS,
    PILOT_STATUSES,
    SECTORS,
)
from policy_engine.project.model import (
    SCHEMA_VERSION,
    Actor,
    Cluster,
    CreativeEconomy,
    CustomKpi,
    EmploymentRecord,
    Event,
    GvaRecord,
    IdentityElement,
    KpiTrack,
    Member,
    Milestone,
    Municipality,
    Override,
    Pilot,
    ProfileFact,
    Project,
    ProjectError,
    Promotion,
    Region,
    Scores,
    SelectedMeasure,
    SingleWindow,
    Story,
    Tie,
    check_references,
)
from policy_engine.project.validation import check

CATALOGUE = default_catalogue()  # the words the seeds define: components, layers, significance groups

slugs = st.from_regex(r"[a-z0-9][a-z0-9_\-]{0,15}", fullmatch=True)
# Text as people type it: Latin, Cyrillic, Kazakh letters, markup characters, emoji.
alphabet = st.sampled_from(list("abcXYZ абвЖЯ әғқңөұүһі ӘҒҚҢӨҰҮҺІ <>&\"'/\\{}%\n\t😀🎻") + ["ё"])
texts = st.text(alphabet=alphabet, max_size=40)
names = st.text(alphabet=alphabet, min_size=1, max_size=40).filter(lambda s: s.strip())
numbers = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
years = st.integers(min_value=2000, max_value=2040)

elements = st.builds(
    IdentityElement,
    id=slugs,
    name=names,
    description=texts,
    component=st.sampled_from(CATALOGUE.vocabulary("component")),
    layer=st.sampled_from(CATALOGUE.vocabulary("layer")),
    municipality=st.none() | names,
    scores=st.builds(Scores, uniqueness=st.integers(1, 5), recognition=st.integers(1, 5), vitality=st.integers(1, 5)),
    industries=st.lists(st.sampled_from(["folk_crafts", "music", "design"]), unique=True),
)
signed = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
kpis = st.builds(
    KpiTrack,
    kpi=slugs,
    baseline_year=years,
    baseline=signed,
    targets=st.dictionaries(years, signed, max_size=5),
    actuals=st.dictionaries(years, signed, max_size=5),
    custom=st.none()
    | st.builds(
        CustomKpi,
        name=names,
        family=st.sampled_from(KPI_FAMILIES),
        unit=names,
        direction=st.sampled_from(KPI_DIRECTIONS),
        definition=texts,
    ),
)
levels = st.sampled_from(LEVELS)
economy = st.builds(
    CreativeEconomy,
    currency=st.sampled_from(["KZT", "RUB"]),
    unit=texts,
    gva=st.lists(
        st.builds(
            GvaRecord, year=years, territory=names, creative_gva=numbers, grp=st.floats(min_value=0.001, max_value=1e12)
        ),
        max_size=4,
    ),
    employment=st.lists(
        st.builds(
            EmploymentRecord,
            municipality=names,
            industry=slugs,
            firms=st.integers(0, 10**6),
            employees=st.integers(0, 10**7),
        ),
        max_size=4,
    ),
)
actors = st.builds(
    Actor,
    id=slugs,
    name=names,
    sector=st.sampled_from(SECTORS),
    level=levels,
    municipality=st.none() | names,
    industries=st.lists(slugs, max_size=2),
)
ties = st.builds(Tie, source=slugs, target=slugs, kind=names, strength=st.integers(1, 5))
clusters = st.builds(
    Cluster,
    id=slugs,
    name=names,
    industries=st.lists(slugs, min_size=1, max_size=3),
    target_image=texts,
    formation_type=st.none() | slugs,
    lead_actors=st.lists(slugs, max_size=2),
    status=st.sampled_from(["proposed", "accepted"]),
)
measures = st.builds(SelectedMeasure, measure=slugs, cluster=st.none() | slugs, owner=texts, budget=numbers, note=texts)
promotion = st.builds(
    Promotion,
    narrative=texts,
    values=st.lists(names, max_size=3),
    audiences_inside=st.lists(names, max_size=2),
    stories=st.lists(
        st.builds(Story, cluster=slugs, place=texts, tradition=texts, people=texts, today=texts), max_size=2
    ),
    events=st.lists(st.builds(Event, name=names, start=dates, venue=texts, cluster=st.none() | slugs), max_size=3),
)


@st.composite
def pilots(draw):
    start = draw(dates)
    return Pilot(
        id=draw(slugs),
        name=draw(names),
        start=start,
        end=start + timedelta(days=draw(st.integers(0, 2000))),
        budget=draw(st.dictionaries(st.sampled_from(FUNDING_SOURCES), numbers)),
        milestones=draw(st.lists(st.builds(Milestone, name=names, due=dates, done=st.booleans()), max_size=3)),
        status=draw(st.sampled_from(PILOT_STATUSES)),
        success_story=draw(st.none() | texts),
        partners=draw(st.lists(names, max_size=3)),
    )


projects = st.builds(
    Project,
    id=slugs,
    region=st.builds(
        Region,
        name=names,
        country=st.sampled_from(["RU", "KZ"]),
        population=st.none() | st.integers(0, 10**8),
        area_km2=st.none() | st.floats(0, 1e7),
        municipalities=st.lists(st.builds(Municipality, name=names), max_size=3),
        profile=st.lists(st.builds(ProfileFact, label=names, value=names), max_size=2),
        positioning=st.none() | texts,
    ),
    working_group=st.lists(st.builds(Member, name=names, role=texts, organisation=texts), max_size=2),
    economy=economy,
    actors=st.lists(actors, max_size=3),
    ties=st.lists(ties, max_size=3),
    clusters=st.lists(clusters, max_size=2),
    measures=st.lists(measures, max_size=3),
    single_window=st.builds(SingleWindow, who=texts, where=texts, how=texts),
    promotion=promotion,
    cycle=st.integers(1, 20),
    iteration=st.integers(1, 6),
    identity_elements=st.lists(elements, max_size=4),
    overrides=st.lists(
        st.builds(
            Override,
            industry=st.sampled_from(["music", "design"]),
            significance=st.sampled_from(CATALOGUE.vocabulary("significance")),
            justification=names.map(lambda s: "Because: " + s + " (reason)"),
            by=names,
            decided_on=st.none() | dates,
        ),
        max_size=2,
    ),
    pilots=st.lists(pilots(), max_size=3),
    kpis=st.lists(kpis, max_size=3),
    next_review=st.none() | dates,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(projects)
def test_json_round_trip(project):
    text = project.to_json()
    again = Project.from_json(text)
    assert again == project
    assert again.to_json() == text


def test_round_trip_of_the_sample_is_exact(sample):
    text = sample.to_json()
    assert Project.from_json(text.encode("utf-8")).to_json() == text


def test_required_keys_have_their_names(sample):
    data = json.loads(sample.to_json())
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["region"]["name"] and data["region"]["country"] == "KZ"
    assert all(e["name"] for e in data["identity_elements"])


def test_non_ascii_is_written_as_text(sample):
    assert "Восточно-Казахстанская" in sample.to_json() or "Шығыс" in sample.to_json()


def test_bad_json_names_every_bad_field(sample):
    data = json.loads(sample.to_json())
    data["region"]["country"] = "Kazakhstan"
    data["identity_elements"][0]["scores"]["uniqueness"] = 9
    data["pilots"][0]["budget"]["federal"] = -5
    data["pilots"][0]["status"] = "dreaming"
    data["surprise"] = 1
    with pytest.raises(ProjectError) as err:
        Project.from_data(data)
    assert [(i.code, i.path) for i in err.value.issues] == [
        ("pattern", ("region", "country")),
        ("max", ("identity_elements", 0, "scores", "uniqueness")),
        ("negative_budget", ("pilots", 0, "budget")),
        ("choice", ("pilots", 0, "status")),
        ("unknown_field", ("surprise",)),
    ]
    ru = [i.text("ru") for i in err.value.issues]
    assert ru[1] == "Элементы идентичности › 1 › Оценки › Уникальность — должно быть не больше 5" or ru[1].endswith(
        "должно быть не больше 5"
    )


def test_words_the_seeds_define_are_checked_against_the_catalogue(sample):
    """A layer, a component and a significance group are the seeds' ids: the model keeps them as text and
    validation refuses one the catalogue does not define, naming the field, as it does an unknown industry."""
    data = json.loads(sample.to_json())
    data["identity_elements"][1]["layer"] = "mythical"
    data["identity_elements"][2]["component"] = "liquid"
    data["overrides"] = [
        {"industry": "music", "significance": "huge", "by": "X", "justification": "ten letters at least"}
    ]
    project = Project.from_data(data)
    assert [(i.code, i.path, i.values) for i in check(project, CATALOGUE)] == [
        ("unknown_ref", ("identity_elements", 1, "layer"), {"kind": "layer", "value": "mythical"}),
        ("unknown_ref", ("identity_elements", 2, "component"), {"kind": "component", "value": "liquid"}),
        ("unknown_ref", ("overrides", 0, "significance"), {"kind": "significance", "value": "huge"}),
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "truncated"),
        ('{"id": ', "truncated"),
        ('{"id": 1,, }', "(?i)not valid JSON"),
        ("[1, 2]", "not a project"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (
            '{"schema_version": 99, "id": "x", "region": {"name": "R", "country": "RU"}}',
            "schema version 99 is not supported",
        ),
    ],
)
def test_unusable_documents(text, message):
    with pytest.raises(ProjectError, match=message):
        Project.from_json(text)


def test_override_without_justification_is_refused_at_load(sample):
    data = json.loads(sample.to_json())
    data["overrides"] = [{"industry": "music", "significance": "high", "by": "X", "justification": "  "}]
    with pytest.raises(ProjectError, match=r"overrides › 1 › justification — .*written justification"):
        Project.from_data(data)


def test_dates_in_order():
    with pytest.raises(ValueError, match="end is before the start"):
        Pilot(id="p", name="P", start=date(2025, 5, 1), end=date(2025, 4, 1))


def test_sourced_value_needs_its_source():
    with pytest.raises(ValueError, match="must name its source"):
        GvaRecord(year=2020, territory="X", creative_gva=1, grp=2, provenance={"basis": "sourced"})


def test_references_are_checked(sample, catalogue):
    assert check_references(sample, catalogue) == []
    sample.identity_elements[0].industries = ["knitting"]
    sample.clusters[0].lead_actors = ["nobody"]
    sample.promotion.events.append(Event(name="E", start=date(2025, 1, 1), cluster="ghost"))
    errors = check_references(sample, catalogue)
    assert any(e.endswith("there is no industry “knitting”") and "industries" in e for e in errors)
    assert any(e.endswith("there is no actor “nobody”") and "lead" in e for e in errors)
    assert any(e.endswith("there is no cluster “ghost”") for e in errors)


def test_strength_is_mean_of_scores():
    assert Scores(uniqueness=5, recognition=4, vitality=4).strength == 4.33


@pytest.mark.parametrize(
    "change, field",
    [
        (lambda d: d["kpis"][0]["actuals"].update({"2025": float("nan")}), ("kpis", 0, "actuals", "2025")),
        (lambda d: d["kpis"][0].update(baseline=float("inf")), ("kpis", 0, "baseline")),
        (
            lambda d: d["identity_elements"][0]["scores"].update(vitality=True),
            ("identity_elements", 0, "scores", "vitality"),
        ),
        (
            lambda d: d.update(
                overrides=[
                    {
                        "industry": "music",
                        "significance": "high",
                        "by": "   ",
                        "justification": "Because the festival carries the brand.",
                    }
                ]
            ),
            ("overrides", 0, "by"),
        ),
        (lambda d: d.pop("schema_version"), ("schema_version",)),
    ],
)
def test_values_that_could_not_be_saved_and_reloaded_are_refused(sample, change, field):
    data = json.loads(sample.to_json())
    change(data)
    with pytest.raises(ProjectError) as err:
        Project.from_data(data)
    assert err.value.issues[0].path == field


def test_deeply_nested_json_is_refused_cleanly():
    with pytest.raises(ProjectError, match="nested too deeply"):
        Project.from_json("[" * 100000 + "]" * 100000)
