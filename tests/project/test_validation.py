"""The checks every write goes through (store and edits alike), as coded issues."""

from __future__ import annotations

import pytest

from policy_engine.project import validation
from policy_engine.project.issues import Issue


def test_the_sample_passes_every_check(sample, catalogue):
    assert validation.check(sample, catalogue) == []


@pytest.mark.parametrize(
    "spoil, code, path",
    [
        (lambda p: p.measures[0].__setattr__("measure", "reg_grantz"), "unknown_ref", ("measures", 0, "measure")),
        (lambda p: p.pilots[0].__setattr__("cluster", "ghost"), "unknown_ref", ("pilots", 0, "cluster")),
        (lambda p: p.clusters.append(p.clusters[0].model_copy()), "duplicate_id", ("clusters", -1, "id")),
        (lambda p: p.region.__setattr__("name", "Алтай\x00"), "control_characters", ("region", "name")),
        (lambda p: p.kpis[0].__setattr__("kpi", "happiness"), "unknown_ref", ("kpis", 0, "kpi")),
    ],
)
def test_each_broken_reference_is_named(sample, catalogue, spoil, code, path):
    spoil(sample)
    issues = validation.check(sample, catalogue)
    if path[1:2] == (-1,):
        path = (path[0], len(sample.clusters) - 1, *path[2:])
    assert [(i.code, i.path) for i in issues] == [(code, path)]


def test_a_reference_issue_in_three_languages(sample, catalogue):
    sample.measures[0].measure = "reg_grantz"
    (issue,) = validation.check(sample, catalogue)
    assert issue.text("ru").endswith("мера «reg_grantz» не существует")
    assert "reg_grantz" in issue.text("kk") and "шара" in issue.text("kk")
    assert issue.text("en").endswith("there is no measure “reg_grantz”")


# The passphrase policy: none at all, or 8 to 1024 characters, both ends included. Characters, not
# bytes: a Kazakh or Russian passphrase is as long as it reads (every Cyrillic letter is two bytes in UTF-8).
@pytest.mark.parametrize(
    "secret, issues",
    [
        pytest.param(None, [], id="no passphrase"),
        pytest.param("", [], id="empty: no passphrase"),
        pytest.param("1234567", [("passphrase_short", 8)], id="7 characters: too short"),
        pytest.param("12345678", [], id="8 characters: the shortest allowed"),
        pytest.param("x" * 1024, [], id="1024 characters: the longest allowed"),
        pytest.param("x" * 1025, [("passphrase_long", 1024)], id="1025 characters: too long"),
        pytest.param("жәрмеңке", [], id="8 Kazakh letters (16 bytes): allowed"),
        pytest.param("жәрмеңк", [("passphrase_short", 8)], id="7 Kazakh letters (14 bytes): too short"),
        pytest.param("ә" * 1024, [], id="1024 two-byte letters: allowed"),
        pytest.param("ә" * 1025, [("passphrase_long", 1024)], id="1025 two-byte letters: too long"),
    ],
)
def test_passphrase_policy_boundaries(secret, issues):
    assert [(i.code, i.values["limit"]) for i in validation.passphrase(secret)] == issues


def test_a_cycle_closes_only_after_a_review(sample, catalogue):
    assert validation.ready_to_close(sample, catalogue) == []
    assert [i.code for i in validation.ready_to_close(sample.model_copy(update={"review": None}), catalogue)] == [
        "no_review"
    ]
    empty_review = sample.review.model_copy(update={"decisions": []})
    assert [
        i.code for i in validation.ready_to_close(sample.model_copy(update={"review": empty_review}), catalogue)
    ] == ["review_empty"]


def test_every_issue_code_the_engine_uses_has_a_text_in_three_languages():
    """Codes are written in the engine's source as `code="…"`; each one must have its words."""
    import re
    from pathlib import Path

    from policy_engine.i18n import LANGS, strings

    source = "\n".join(p.read_text() for p in Path(validation.__file__).parent.glob("*.py"))
    codes = set(re.findall(r'Issue\(code="([a-z_]+)"', source)) | set(
        re.findall(r'PydanticCustomError\(\s*"([a-z_]+)"', source)
    )
    assert codes, "no codes found: the pattern no longer matches the source"
    missing = sorted(c for c in codes if f"issue.{c}" not in strings())
    assert missing == []
    for c in codes:
        assert all(strings()[f"issue.{c}"].get(lang) for lang in LANGS)
    assert Issue(code="no_such_code").text("ru")  # an unknown code still says something true
