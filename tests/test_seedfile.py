"""Reading seed files strictly (policy_engine/seedfile.py): duplicate keys refused, as OpenFisca does,
and every problem named by file, line or entry and field, so a policy expert editing a seed by hand
finds the mistake where it is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from policy_engine.method.catalogue import load_catalogue
from policy_engine.seedfile import SeedError, describe_validation, entry_label, format_loc, read_yaml


def seed(tmp_path: Path, text: str, name: str = "measures.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_seed_is_read_as_plain_data(tmp_path):
    path = seed(tmp_path, "- id: grants\n  title: {en: Grants, ru: Гранты}\n  levels: [federal, regional]\n")
    assert read_yaml(path) == [
        {"id": "grants", "title": {"en": "Grants", "ru": "Гранты"}, "levels": ["federal", "regional"]}
    ]
    assert read_yaml(seed(tmp_path, "", "empty.yaml")) is None


@pytest.mark.parametrize(
    "text, line, key",
    [
        ("id: a\nid: b\n", 2, "id"),  # at the top
        ("- id: grants\n  title: x\n  title: y\n", 3, "title"),  # inside a list entry
        ("a:\n  b:\n    c: 1\n\n    c: 2\n", 5, "c"),  # deep down, after a blank line
        ("title: {en: A, en: B}\n", 1, "en"),  # in a flow mapping
        ("1: a\n0x1: b\n", 2, 1),  # the same number written twice
    ],
)
def test_a_duplicate_key_is_refused_naming_file_line_and_key(tmp_path, text, line, key):
    path = seed(tmp_path, text)
    with pytest.raises(SeedError) as err:
        read_yaml(path)
    assert str(err.value) == f"{path}: line {line}: duplicate key {key!r}"


def test_keys_that_only_look_alike_are_not_duplicates(tmp_path):
    assert read_yaml(seed(tmp_path, '1: a\n"1": b\nA: c\na: d\n')) == {1: "a", "1": "b", "A": "c", "a": "d"}


def test_a_list_used_as_a_key_is_refused_naming_the_file(tmp_path):
    path = seed(tmp_path, "? [a, b]\n: 1\n")
    with pytest.raises(SeedError, match=re.escape(f"{path}: line 1")):
        read_yaml(path)


@pytest.mark.parametrize(
    "text, line",
    [
        ("- id: RU\n  name: {en: [unclosed\n", 3),
        ("a: 1\n b: 2\n", 2),
        ("- id: x\n\t- bad tab\n", 2),
    ],
)
def test_a_syntax_error_names_file_and_line(tmp_path, text, line):
    path = seed(tmp_path, text)
    with pytest.raises(SeedError) as err:
        read_yaml(path)
    assert str(err.value).startswith(f"{path}: line {line}: ")


def test_python_tags_are_refused_not_run(tmp_path):
    marker = tmp_path / "ran"
    path = seed(tmp_path, f"!!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(SeedError, match=re.escape(f"{path}: line 1: could not determine a constructor")):
        read_yaml(path)
    assert not marker.exists()


def test_a_missing_file_and_a_file_not_in_utf8(tmp_path):
    with pytest.raises(SeedError) as err:
        read_yaml(tmp_path / "none.yaml")
    assert str(err.value) == f"{tmp_path / 'none.yaml'}: file not found"
    path = tmp_path / "cp1251.yaml"
    path.write_bytes("name: Риддер\n".encode("cp1251"))
    with pytest.raises(SeedError) as err:
        read_yaml(path)
    assert str(err.value) == f"{path}: not UTF-8 text (invalid continuation byte at byte 6)"


@pytest.mark.parametrize(
    "loc, text",
    [
        (("codes", 0, "code"), "codes[0].code"),
        (("title", "ru"), "title.ru"),
        ((3,), "[3]"),
        (("rules", 2, "levels", 0), "rules[2].levels[0]"),
        ((), "(whole entry)"),
    ],
)
def test_format_loc(loc, text):
    assert format_loc(loc) == text


@pytest.mark.parametrize(
    "index, raw, label",
    [
        (2, {"id": "cinema"}, "entry 3 ('cinema')"),  # counted from 1, as people count
        (0, {"title": "no id"}, "entry 1"),
        (0, {"id": ""}, "entry 1"),
        (4, ["not", "a", "mapping"], "entry 5"),
    ],
)
def test_entry_label(index, raw, label):
    assert entry_label(index, raw) == label


def test_describe_validation_gives_a_line_per_problem_with_file_entry_and_field():
    class Measure(BaseModel):
        model_config = ConfigDict(extra="forbid")
        id: str
        levels: list[str] = Field(min_length=1)

    raw = {"id": "grants", "levels": [], "colour": "red"}
    with pytest.raises(ValidationError) as err:
        Measure.model_validate(raw)
    lines = describe_validation(err.value, f"measures.yaml: {entry_label(1, raw)}")
    assert lines == [
        "measures.yaml: entry 2 ('grants'), field levels: List should have at least 1 item after validation, not 0",
        "measures.yaml: entry 2 ('grants'), field colour: Extra inputs are not permitted",
    ]


# --- through the catalogue: every seed is read this way ------------------------------------------


def test_duplicate_yaml_key_in_a_seed_is_refused(seeds_copy):
    path = seeds_copy / "cluster_types.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("- id: dependent\n", "- id: dependent\n  id: dependent2\n"),
        encoding="utf-8",
    )
    with pytest.raises(SeedError) as err:
        load_catalogue(seeds_copy)
    msg = str(err.value)
    assert "cluster_types.yaml: line" in msg and "duplicate key 'id'" in msg


def test_yaml_syntax_error_in_a_seed_names_line(seeds_copy):
    (seeds_copy / "countries.yaml").write_text("- id: RU\n  name: {en: [unclosed\n", encoding="utf-8")
    with pytest.raises(SeedError) as err:
        load_catalogue(seeds_copy)
    assert re.search(r"countries\.yaml: line \d+", str(err.value))
