"""The rules engine, driven by the YAML cases in tests/diagnostics/rules/ (readable by a policy expert)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from policy_engine.diagnostics.rules import (
    Evidence,
    LinkedElement,
    classify,
    classify_all,
    decision_record,
    evidence_for,
    explain,
    grouped_measures,
)
from policy_engine.method.catalogue import cite
from policy_engine.project.model import Override, Project, Region
from policy_engine.project.sample import load_sample
from tests.method.test_catalogue import english_words

CASES_DIR = Path(__file__).parent / "rules"


def load_cases() -> list:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}: {case['name']}"))
    return cases


def run_case(case: dict, catalogue):
    given = case["input"]
    evidence = None
    if "audit_size" in given:
        linked = tuple(
            LinkedElement(name=el.get("name", f"element {i + 1}"), strength=el["score"])
            for i, el in enumerate(given.get("linked_elements", []))
        )
        evidence = Evidence(audit_size=given["audit_size"], linked=linked)
    override = None
    if "override" in given:
        override = Override(industry=given["industry"], **given["override"])
    return classify(given["industry"], catalogue, evidence=evidence, override=override)


INPUT_KEYS = {"industry", "audit_size", "linked_elements", "override"}
OUTPUT_KEYS = {"significance", "model", "levels", "rule", "error"}


@pytest.mark.parametrize("case", load_cases())
def test_rule_case(case, catalogue):
    assert set(case) == {"name", "input", "output"}, "a case has a name, an input and an output"
    assert set(case["input"]) <= INPUT_KEYS and "industry" in case["input"], f"unknown input keys in {case['name']!r}"
    assert case["output"] and set(case["output"]) <= OUTPUT_KEYS, f"unknown or no output keys in {case['name']!r}"
    expected = case["output"]
    if "error" in expected:
        with pytest.raises(ValidationError) as err:
            run_case(case, catalogue)
        assert expected["error"] in str(err.value)
        return
    decision = run_case(case, catalogue)
    if "significance" in expected:
        assert decision.significance == expected["significance"]
    if "model" in expected:
        assert decision.model == expected["model"]
    if "levels" in expected:
        assert list(decision.levels) == expected["levels"]
    if "rule" in expected:
        assert expected["rule"] in [f.rule for f in decision.firings]
    for lang in ("en", "ru", "kk"):  # every rule that fires renders in every language
        assert all("{" not in line for line in explain(decision, catalogue, lang, "KZ"))


def test_the_cases_fire_every_rule(catalogue):
    fired = set()
    for param in load_cases():
        case = param.values[0]
        if "error" not in case["output"]:
            fired |= {f.rule for f in run_case(case, catalogue).firings}
    assert fired == {r.id for r in catalogue.rules.rules}


def test_explanations_show_the_strength_of_each_linked_element(catalogue):
    ev = Evidence(audit_size=12, linked=(LinkedElement(name="Old song", strength=2.67),))
    lines = explain(classify("cinema", catalogue, evidence=ev), catalogue, "en")
    assert "Old song (2.67)" in lines[1] and "from medium to low" in lines[1]


def test_typology_cases_cover_all_sixteen_industries(catalogue):
    cases = yaml.safe_load((CASES_DIR / "typology.yaml").read_text(encoding="utf-8"))
    assert sorted(c["input"]["industry"] for c in cases) == sorted(i.id for i in catalogue.industries)


def test_every_industry_of_one_significance_gets_the_same_measures(catalogue):
    by_sig = defaultdict(set)
    for d in classify_all(catalogue):
        by_sig[d.significance].add(tuple(m.id for m in d.measures))
    assert set(by_sig) == {"low", "medium", "high"}
    assert all(len(v) == 1 for v in by_sig.values())


def test_measures_are_exactly_those_of_the_granted_levels(catalogue):
    for d in classify_all(catalogue):
        expected = {m.id for m in catalogue.measures if m.level in d.levels}
        assert {m.id for m in d.measures} == expected
    high = next(d for d in classify_all(catalogue) if d.significance == "high")
    assert {m.level for m in high.measures} == {"federal", "regional", "municipal"}


def test_grouping_follows_level_then_type_order(catalogue):
    d = classify("folk_crafts", catalogue)
    groups = grouped_measures(d)
    assert list(groups) == ["federal", "regional", "municipal"]
    assert list(groups["federal"]) == ["economic", "organizational", "legal"]
    assert sum(len(ms) for g in groups.values() for ms in g.values()) == len(d.measures)


@pytest.mark.parametrize("lang, word", [("en", "source"), ("ru", "источник"), ("kk", "дереккөз")])
def test_explanation_is_in_the_users_language_with_sources(catalogue, lang, word):
    d = classify("folk_crafts", catalogue)
    lines = explain(d, catalogue, lang)
    assert len(lines) == len(d.firings) >= 4
    assert catalogue.industry("folk_crafts").name.get(lang) in lines[0]
    assert all(f"[{word}:" in line for line in lines)
    assert all("{" not in line for line in lines), "a placeholder was left unfilled"


def test_explanation_names_the_evidence_it_used(catalogue):
    ev = Evidence(
        audit_size=9,
        linked=(
            LinkedElement(name="Altai maral antler", strength=5),
            LinkedElement(name="Bukhtarma felt", strength=4.33),
            LinkedElement(name="Ridder mining lore", strength=4),
        ),
    )
    d = classify("design", catalogue, evidence=ev)
    text = " ".join(explain(d, catalogue, "en"))
    assert "Altai maral antler" in text and "from low to medium" in text


def test_override_explanation_quotes_person_and_justification(catalogue):
    o = Override(
        industry="software",
        significance="high",
        by="Aigerim S.",
        justification="IT park grew out of the local mathematics school.",
    )
    d = classify("software", catalogue, override=o)
    assert d.overridden
    line = next(line for line in explain(d, catalogue, "ru") if "Aigerim S." in line)
    assert "IT park grew out of the local mathematics school." in line


def test_override_for_another_industry_is_refused(catalogue):
    o = Override(industry="music", significance="high", by="X", justification="Because of the festival.")
    with pytest.raises(ValueError, match="override is for 'music'"):
        classify("cinema", catalogue, override=o)


def test_country_level_names_in_explanation_and_record(catalogue):
    d = classify("folk_crafts", catalogue)
    rec = decision_record(d, catalogue, "en", "KZ")
    assert rec["levels"] == ["federal", "regional", "municipal"]
    assert rec["level_names"] == ["national", "oblast", "district and city"]
    assert "national, oblast, district and city" in " ".join(rec["explanation"])


def test_evidence_for_counts_only_linked_elements(sample):
    ev = evidence_for(sample, "folk_crafts")
    assert ev.audit_size == len(sample.identity_elements)
    expected = [e.name for e in sample.identity_elements if "folk_crafts" in e.industries]
    assert [e.name for e in ev.linked] == expected and expected


def test_project_overrides_are_applied(sample, catalogue):
    o = Override(
        industry="video_games",
        significance="medium",
        by="Facilitator",
        justification="Game studios in Oskemen retell Altai legends.",
    )
    sample.overrides = [o]
    decisions = {d.industry: d for d in classify_all(catalogue, sample)}
    assert decisions["video_games"].significance == "medium" and decisions["video_games"].overridden


# --- every explanation in the reader's language -------------------------------------------------


def projects() -> list[Project]:
    """The sample (with an audit, overrides, Kazakh levels) and an empty project of a Russian region."""
    return [load_sample("east-kazakhstan"), Project(id="perm", region=Region(name="Пермский край", country="RU"))]


def user_text(project: Project) -> tuple[str, ...]:
    """What people typed into the project, which the explanations quote as it is."""
    return tuple(
        {e.name for e in project.identity_elements}
        | {x for o in project.overrides for x in (o.by, o.justification.strip())}
    )


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_explanation_of_every_industry_is_in_the_readers_language(catalogue, lang):
    for project in projects():
        decisions = classify_all(catalogue, project)
        assert len(decisions) == len(catalogue.industries)
        for d in decisions:
            for firing, line in zip(d.firings, explain(d, catalogue, lang, project.region.country)):
                assert not english_words(line, user_text(project)), f"{project.id}, {d.industry}: {line}"
                assert cite(firing.source, catalogue, lang) in line


def test_explanations_cite_the_paper_figure_in_russian_and_kazakh(catalogue):
    d = classify("folk_crafts", catalogue)
    assert "Рис. 1" in explain(d, catalogue, "ru")[0] and "1-сурет" in explain(d, catalogue, "kk")[0]
    assert "Fig. 1" in explain(d, catalogue, "en")[0]


def test_the_projects_own_threshold_is_cited_by_what_it_means(catalogue):
    ev = Evidence(audit_size=9, linked=tuple(LinkedElement(name=f"e{i}", strength=5) for i in range(3)))
    d = classify("design", catalogue, evidence=ev)
    ru = explain(d, catalogue, "ru")[1]
    assert d.firings[1].rule == "evidence_up"
    assert "Genius Loci" in ru and "порог повышения значимости" in ru
    for lang in ("en", "ru", "kk"):
        assert "step_up_min_strong" not in " ".join(explain(d, catalogue, lang))


def test_strengths_are_written_as_the_language_writes_numbers(catalogue):
    ev = Evidence(audit_size=12, linked=(LinkedElement(name="Old song", strength=2.67),))
    d = classify("cinema", catalogue, evidence=ev)
    assert "Old song (2,67)" in explain(d, catalogue, "ru")[1]
    assert "Old song (2.67)" in explain(d, catalogue, "en")[1]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_growth_point_reasons_and_bottlenecks_are_in_the_readers_language(catalogue, lang):
    from policy_engine.diagnostics.bottlenecks import bottlenecks
    from policy_engine.diagnostics.growth_points import growth_points

    for project in projects():
        names = user_text(project) + tuple(
            {a.name for a in project.actors}
            | {c.name for c in project.clusters}
            | {m.name for m in project.region.municipalities}
            | {r.municipality for r in project.economy.employment}
        )
        texts = [r for p in growth_points(project, catalogue, lang=lang) for r in p.reasons]
        texts += [b.message for b in bottlenecks(project, catalogue, lang=lang)]
        assert texts
        for text in texts:
            assert not english_words(text, names), f"{project.id}: {text}"
