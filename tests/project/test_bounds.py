"""Bounds of a project (policy_engine/project/model.py declares them, validation.py and the store enforce
them): lengths of text, counts of lists, numbers that are finite and plausible, dates and ties in
order, strict JSON, clean text, and the author and note of every write — each refused with a coded
issue that names the field, and by `validate` and `projects import` alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from policy_engine.i18n import LANGS, t
from policy_engine.project import edits, validation
from policy_engine.project.issues import field_label
from policy_engine.project.model import (
    ITEMS_MAX,
    NAME_MAX,
    POPULATION_MAX,
    PROJECT_MAX_BYTES,
    ROWS_MAX,
    TEXT_MAX,
    Actor,
    Milestone,
    Project,
    ProjectError,
    Tie,
)
from policy_engine.store.database import ImportRefused, Invalid

ROOT = Path(__file__).resolve().parents[2]
AUTHOR = "Aigerim (facilitator)"


@pytest.fixture
def data(sample) -> dict:
    """The sample as decoded JSON, for a test to spoil."""
    return json.loads(sample.to_json())


def refused(document: dict | str | bytes) -> list[tuple[str, tuple]]:
    """(code, path) of every issue Project.from_json raises for `document`; [] when it is read."""
    text = json.dumps(document, ensure_ascii=False) if isinstance(document, dict) else document
    try:
        Project.from_json(text)
    except ProjectError as exc:
        return [(i.code, i.path) for i in exc.issues]
    return []


def counts(store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (
            conn.execute(sa.text("SELECT count(*) FROM project")).scalar(),
            conn.execute(sa.text("SELECT count(*) FROM project_version")).scalar(),
        )


# --- 1. text lengths ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where, limit",
    [
        (("region", "name"), NAME_MAX),
        (("actors", 0, "name"), NAME_MAX),
        (("pilots", 1, "owner"), NAME_MAX),
        (("promotion", "events", 0, "venue"), NAME_MAX),
        (("identity_elements", 2, "description"), TEXT_MAX),
        (("region", "positioning"), TEXT_MAX),
        (("review", "summary"), TEXT_MAX),
        (("identity_elements", 0, "provenance", "note"), TEXT_MAX),
    ],
)
def test_every_text_field_has_a_length_limit(data, where, limit):
    *parent, field = where
    holder = data
    for key in parent:
        holder = holder[key]
    holder[field] = "я" * limit
    assert refused(data) == []
    holder[field] = "я" * (limit + 1)
    assert refused(data) == [("too_long", where)]


def test_a_text_too_long_says_the_field_and_the_limit_in_each_language(data):
    data["identity_elements"][0]["description"] = "x" * (TEXT_MAX + 1)
    with pytest.raises(ProjectError) as err:
        Project.from_data(data)
    (issue,) = err.value.issues
    assert issue.text("en").endswith("description — too long (at most 10,000 characters)")
    assert issue.text("ru").endswith("не больше 10\u00a0000 симв.)")
    for lang in LANGS:
        assert field_label("description", lang) in issue.text(lang)


def test_a_long_row_in_a_table_is_refused_at_its_row():
    actor, issues = edits.build(
        Actor,
        {"id": "a", "name": "x" * (NAME_MAX + 1), "sector": "business", "level": "regional"},
        row=3,
        path=("actors", 2),
    )
    assert actor is None
    assert [(i.code, i.path, i.row, i.values["limit"]) for i in issues] == [
        ("too_long", ("actors", 2, "name"), 3, NAME_MAX)
    ]


def test_text_outside_the_models_own_fields_is_bounded_too(sample, catalogue):
    """A source's place in its document is the catalogue's type; the store still bounds it."""
    element = sample.identity_elements[0]
    element.provenance = {"basis": "sourced", "source": {"doc": "002", "locator": "p" * (TEXT_MAX + 1)}}
    assert [(i.code, i.path) for i in validation.check(sample, catalogue)] == [
        ("too_long", ("identity_elements", 0, "provenance", "source", "locator"))
    ]


def test_a_document_past_the_size_limit_is_refused_before_it_is_parsed(sample_bytes_200mb):
    started = time.perf_counter()
    assert refused(sample_bytes_200mb) == [("project_too_large", ())]
    assert time.perf_counter() - started < 1


@pytest.fixture(scope="module")
def sample_bytes_200mb() -> bytes:
    """The sample with a region name of 200 MB."""
    from policy_engine.project.sample import load_sample

    text = load_sample("east-kazakhstan").to_json().encode("utf-8")
    data = json.loads(text)
    head, tail = text.split(json.dumps(data["region"]["name"], ensure_ascii=False).encode("utf-8"), 1)
    return head + b'"' + b"x" * (200 * 2**20) + b'"' + tail


def test_a_200_mb_region_name_is_refused_by_import_quickly_and_changes_nothing(store, sample_bytes_200mb):
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as err:
        store.import_json(sample_bytes_200mb, AUTHOR)
    assert time.perf_counter() - started < 1
    assert [i.code for i in err.value.issues] == ["project_too_large"]
    assert str(PROJECT_MAX_BYTES // 2**20) in err.value.issues[0].text("ru")
    assert counts(store) == (0, 0)


def test_a_project_that_would_be_stored_larger_than_a_file_may_be_is_refused(sample, catalogue):
    """Compact JSON under the limit can be written out larger (the store indents it): the store
    refuses to keep a document it would refuse to read back."""
    extra = sample.identity_elements[0].model_dump()
    n = PROJECT_MAX_BYTES // TEXT_MAX + 1
    sample.identity_elements = sample.identity_elements + [
        {**extra, "id": f"filler-{i}", "description": "d" * TEXT_MAX} for i in range(n)
    ]
    assert [i.code for i in validation.check(sample, catalogue)] == ["project_too_large"]
    assert refused(sample.to_json()) == [("project_too_large", ())]


# --- 2. counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "where, limit",
    [
        (("identity_elements",), ITEMS_MAX),
        (("actors",), ITEMS_MAX),
        (("region", "municipalities"), ITEMS_MAX),
        (("clusters",), ITEMS_MAX),
        (("measures",), ITEMS_MAX),
        (("pilots",), ITEMS_MAX),
        (("promotion", "events"), ITEMS_MAX),
        (("kpis",), ITEMS_MAX),
        (("pilots", 0, "milestones"), ITEMS_MAX),
        (("economy", "employment"), ROWS_MAX),
        (("economy", "gva"), ROWS_MAX),
        (("ties",), ROWS_MAX),
    ],
)
def test_every_list_has_a_count_limit(data, where, limit):
    *parent, field = where
    holder = data
    for key in parent:
        holder = holder[key]
    holder[field] = holder[field][:1] * (limit + 1)
    assert refused(data) == [("too_many", where)]


def test_a_table_at_its_limit_is_read_and_fits_the_document_limit(data, catalogue):
    data["economy"]["employment"] = data["economy"]["employment"][:1] * ROWS_MAX
    assert refused(data) == []
    assert validation.size(Project.from_data(data)) == []


# --- 3. numbers ---------------------------------------------------------------------------------


def with_population(data: dict, literal: str) -> str:
    data["region"]["population"] = 123456789
    return json.dumps(data, ensure_ascii=False).replace("123456789", literal, 1)


@pytest.mark.parametrize(
    "literal, code",
    [
        ("1" + "0" * 400, "finite"),  # 10^400: Python would read it as a whole number of 401 digits
        ("1" + "0" * 5000, "finite"),  # past the 4,300 digits Python reads at all (it raised ValueError)
        ("1e400", "finite"),  # read as infinity
        (str(POPULATION_MAX), "below"),
        ("10000000000000000000000", "number_too_large"),  # 10^22, read as a float past a whole number's range
        ("-1", "min"),
    ],
)
def test_a_population_past_belief_is_refused(data, literal, code):
    assert refused(with_population(data, literal)) == [(code, ("region", "population"))]


def test_a_plausible_population_is_read(data):
    assert refused(with_population(data, str(POPULATION_MAX - 1))) == []


@pytest.mark.parametrize(
    "change, code, path",
    [
        (lambda d: d["economy"]["gva"][0].update(creative_gva=1e15), "below", ("economy", "gva", 0, "creative_gva")),
        (lambda d: d["economy"]["gva"][0].update(grp=1e300), "below", ("economy", "gva", 0, "grp")),
        (
            lambda d: d["economy"]["employment"][0].update(employees=1e12),
            "below",
            ("economy", "employment", 0, "employees"),
        ),
        (lambda d: d["economy"]["employment"][0].update(firms=-3), "min", ("economy", "employment", 0, "firms")),
        (lambda d: d["measures"][0].update(budget=1e16), "below", ("measures", 0, "budget")),
        (lambda d: d["pilots"][0]["budget"].update(regional=1e16), "below", ("pilots", 0, "budget", "regional")),
        (lambda d: d["kpis"][0].update(baseline=-1e16), "above", ("kpis", 0, "baseline")),
        (lambda d: d["kpis"][0]["targets"].update({"3000": 1}), "max", ("kpis", 0, "targets", "3000")),
        (lambda d: d["region"].update(area_km2=1e9), "below", ("region", "area_km2")),
        (lambda d: d.update(cycle=10**6), "max", ("cycle",)),
    ],
)
def test_money_counts_and_kpi_values_are_finite_and_plausible(data, change, code, path):
    change(data)
    assert refused(data) == [(code, path)]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused_as_not_json(data, literal):
    data["kpis"][0]["baseline"] = 987654.25
    text = json.dumps(data, ensure_ascii=False).replace("987654.25", literal, 1)
    assert refused(text) == [("json_constant", ())]
    with pytest.raises(ProjectError) as err:
        Project.from_json(text)
    assert literal.lstrip("-") in err.value.issues[0].text("kk")


def test_a_number_too_large_says_so_with_the_limit_grouped(data):
    with pytest.raises(ProjectError) as err:
        Project.from_json(with_population(data, "1" + "0" * 12))
    assert err.value.issues[0].text("en").endswith("population — must be less than 10,000,000,000")
    assert err.value.issues[0].text("ru").endswith("меньше 10\u00a0000\u00a0000\u00a0000")


# --- 4. dates and ties in order -----------------------------------------------------------------


def test_an_event_that_ends_before_it_starts_is_named_by_its_row(sample, catalogue):
    event = sample.promotion.events[0]
    event.end = date(event.start.year - 1, 1, 1)
    (issue,) = validation.check(sample, catalogue)
    assert (issue.code, issue.path, issue.item) == ("end_before_start", ("promotion", "events", 0, "end"), event.name)
    assert event.end.strftime("%d.%m.%Y") in issue.text("ru")


def test_a_kpi_target_before_its_baseline_year_is_refused(sample, catalogue):
    kpi = sample.kpis[0]
    early = kpi.baseline_year - 2
    kpi.targets = {**kpi.targets, early: 1.0}
    assert [(i.code, i.path, i.values) for i in validation.check(sample, catalogue)] == [
        (
            "target_before_baseline",
            ("kpis", 0, "targets", str(early)),
            {"year": early, "baseline_year": kpi.baseline_year},
        )
    ]
    assert str(early) in validation.check(sample, catalogue)[0].text("kk")


def test_a_target_in_the_baseline_year_or_later_is_fine(sample, catalogue):
    sample.kpis[0].targets = {sample.kpis[0].baseline_year: 1.0}
    assert validation.check(sample, catalogue) == []


def test_a_milestone_due_before_its_pilot_starts_is_refused(sample, catalogue):
    pilot = sample.pilots[0]
    assert all(m.due >= pilot.start for m in pilot.milestones)
    early = pilot.start.replace(year=pilot.start.year - 1)
    pilot.milestones = pilot.milestones + [Milestone(name="Подготовка", due=early)]
    (issue,) = validation.check(sample, catalogue)
    assert (issue.code, issue.path, issue.item) == (
        "milestone_before_start",
        ("pilots", 0, "milestones", len(pilot.milestones) - 1, "due"),
        pilot.name,
    )
    assert "Подготовка" in issue.text("ru") and early.strftime("%d.%m.%Y") in issue.text("ru")
    pilot.milestones[-1] = Milestone(name="Подготовка", due=pilot.start)
    assert validation.check(sample, catalogue) == []


def test_an_actor_tied_to_itself_is_refused(sample, catalogue):
    actor = sample.actors[0].id
    sample.ties = sample.ties + [Tie(source=actor, target=actor, strength=3)]
    assert [(i.code, i.path) for i in validation.check(sample, catalogue)] == [
        ("tie_to_itself", ("ties", len(sample.ties) - 1, "target"))
    ]


# --- 5. duplicate keys --------------------------------------------------------------------------


def test_a_key_given_twice_is_refused(sample):
    text = sample.to_json()
    twice = text.replace('"region": {', '"region": {\n    "name": "Decoy",', 1)
    assert json.loads(twice)["region"]["name"] == sample.region.name  # what Python alone would keep, silently
    with pytest.raises(ProjectError) as err:
        Project.from_json(twice)
    assert [(i.code, i.values) for i in err.value.issues] == [("duplicate_key", {"value": "name"})]
    assert "«name»" in err.value.issues[0].text("ru")


def test_import_refuses_a_key_given_twice_and_changes_nothing(store, sample):
    twice = sample.to_json().replace('"id": "east-kazakhstan"', '"id": "east-kazakhstan", "id": "other"', 1)
    with pytest.raises(ImportRefused, match="appears twice"):
        store.import_json(twice.encode("utf-8"), AUTHOR)
    assert counts(store) == (0, 0)


# --- 6. control characters, in the project and beside it ----------------------------------------


@pytest.mark.parametrize(
    "char, accepted",
    [
        ("\t", True),
        ("\n", True),
        ("\x00", False),
        ("\r", False),
        ("\x1b", False),
        ("\x7f", False),
        ("\x85", False),
        ("\x0b", False),
    ],
)
def test_only_newline_and_tab_of_the_control_characters_are_text(sample, catalogue, char, accepted):
    sample.region.positioning = f"Altai{char}East"
    assert [(i.code, i.path) for i in validation.check(sample, catalogue)] == (
        [] if accepted else [("control_characters", ("region", "positioning"))]
    )


def test_a_broken_surrogate_is_refused_in_words(data):
    data["region"]["name"] = "Altai"
    text = json.dumps(data).replace('"Altai"', '"Al\\ud800tai"', 1)
    assert refused(text) == [("broken_characters", ("region", "name"))]


@pytest.mark.parametrize(
    "author, note, field, code",
    [
        ("Da\x00na", "", "author", "control_characters"),
        ("Dana", "fixed\x00", "note", "control_characters"),
        ("D" * (NAME_MAX + 1), "", "author", "too_long"),
        ("Dana", "n" * (TEXT_MAX + 1), "note", "too_long"),
    ],
)
def test_author_and_note_of_a_write_are_checked_before_the_database(store, sample, author, note, field, code):
    with pytest.raises(Invalid) as err:
        store.create(sample, author, note=note or "created")
    assert [(i.code, i.path) for i in err.value.issues] == [(code, (field,))]
    assert counts(store) == (0, 0)
    store.create(sample, AUTHOR)
    loaded = store.load(sample.id)
    loaded.project.region.positioning = "changed"
    with pytest.raises(Invalid):
        store.save(loaded.project, 1, author, note=note)
    assert counts(store) == (1, 1)
    assert t(f"field.{field}", "kk") in err.value.issues[0].text("kk")


def test_restore_and_close_refuse_an_author_with_nul(store, sample):
    store.create(sample, AUTHOR)
    loaded = store.load(sample.id)
    loaded.project.region.positioning = "changed"
    store.save(loaded.project, 1, AUTHOR)
    for write in (
        lambda: store.restore(sample.id, 1, "Ma\x00rat"),
        lambda: store.close_cycle(sample.id, 2, "Ma\x00rat"),
    ):
        with pytest.raises(Invalid) as err:
            write()
        assert [(i.code, i.path) for i in err.value.issues] == [("control_characters", ("author",))]
    assert counts(store) == (1, 2)


def test_restore_refuses_a_version_todays_checks_refuse(store, sample):
    """A version saved before a rule existed opens (to be fixed and saved), but is not restored as is."""
    store.create(sample, AUTHOR)
    loaded = store.load(sample.id)
    loaded.project.region.positioning = "changed"
    store.save(loaded.project, 1, AUTHOR)
    old = json.loads(sample.to_json())
    old["ties"].append({**old["ties"][0], "target": old["ties"][0]["source"]})
    with store.engine.begin() as conn:  # as an older version of the tool would have stored it
        conn.execute(
            sa.text("UPDATE project_version SET document = :d WHERE version = 1"),
            {"d": json.dumps(old, ensure_ascii=False, indent=2) + "\n"},
        )
    assert store.load(sample.id, version=1).project.ties[-1].source == old["ties"][0]["source"]
    with pytest.raises(Invalid) as err:
        store.restore(sample.id, 1, AUTHOR)
    assert [i.code for i in err.value.issues] == ["tie_to_itself"]
    assert counts(store) == (1, 2)


# --- 7. `validate` and `projects import` refuse the same files ------------------------------------


def bad_files(sample) -> dict[str, bytes]:
    """Files each refused for one reason, made from the sample."""
    data = json.loads(sample.to_json())
    files = {}
    d = json.loads(json.dumps(data))
    d["actors"][1]["id"] = d["actors"][0]["id"]
    files["duplicate_id"] = json.dumps(d, ensure_ascii=False).encode("utf-8")
    d = json.loads(json.dumps(data))
    d["clusters"][0]["industries"] = ["basket_weaving"]
    files["unknown_industry"] = json.dumps(d, ensure_ascii=False).encode("utf-8")
    files["population_10_400"] = with_population(json.loads(json.dumps(data)), "1" + "0" * 400).encode("utf-8")
    files["duplicate_key"] = sample.to_json().replace('"cycle": 1', '"cycle": 1, "cycle": 2', 1).encode("utf-8")
    files["nan"] = sample.to_json().replace('"cycle": 1', '"cycle": NaN', 1).encode("utf-8")
    return files


def expected_issue(content: bytes, catalogue) -> str:
    """The first reason the engine itself gives, in English, as both commands print it."""
    try:
        project = Project.from_json(content)
    except ProjectError as exc:
        return exc.issues[0].text("en")
    return validation.check(project, catalogue)[0].text("en")


def cli(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "GENIUS_LOCI_AUTHOR": "Dana"}
    env.pop("GENIUS_LOCI_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "policy_engine", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env
    )


def test_validate_and_import_refuse_the_same_bad_files(tmp_path, sample, catalogue):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    for name, content in bad_files(sample).items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        reason = expected_issue(content, catalogue)
        for args in (["validate", str(path)], ["projects", "import", str(path)]):
            r = cli(*args, url=url)
            assert r.returncode != 0, (name, args)
            assert "Traceback" not in r.stderr and "internal error" not in r.stderr, (name, r.stderr)
            assert reason in r.stderr, (name, args, r.stderr)
    assert "no projects yet" in cli("projects", "list", url=url).stdout


def test_validate_and_import_refuse_a_200_mb_file_without_reading_it_all(tmp_path, sample_bytes_200mb):
    path = tmp_path / "huge.json"
    path.write_bytes(sample_bytes_200mb)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    for args in (["validate", str(path)], ["projects", "import", str(path)]):
        started = time.perf_counter()
        r = cli(*args, url=url)
        assert r.returncode == 1 and "Traceback" not in r.stderr
        assert f"larger than {PROJECT_MAX_BYTES // 2**20} MB" in r.stderr
        assert time.perf_counter() - started < 30
