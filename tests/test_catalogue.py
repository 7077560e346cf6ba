"""Loading and validating the seed catalogue; each kind of broken seed fails with file, entry and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from policy_engine.catalogue import LEVELS, load_catalogue
from policy_engine.seedfile import SeedError

CANONICAL = [
    "recreation_entertainment", "cultural_heritage", "folk_crafts", "gastronomy", "cinema",
    "performing_arts", "art_industry", "book_publishing", "fashion", "music", "architecture",
    "design", "software", "media", "video_games", "advertising_pr",
]
METHOD_MEASURES = {  # METHOD.md §3: how many measures each level and type lists (incl. further municipal tools)
    ("federal", "economic"): 5, ("federal", "organizational"): 5, ("federal", "legal"): 1,
    ("regional", "economic"): 3, ("regional", "organizational"): 4, ("regional", "legal"): 1,
    ("municipal", "economic"): 3, ("municipal", "organizational"): 8, ("municipal", "legal"): 1,
}


def test_the_sixteen_industries_with_canonical_ids(catalogue):
    assert [i.id for i in catalogue.industries] == CANONICAL


def test_every_industry_has_three_languages_codes_and_sources(catalogue):
    for ind in catalogue.industries:
        assert ind.name.en and ind.name.ru and ind.name.kk
        assert re.search("[а-яё]", ind.name.ru.lower())
        assert ind.codes and ind.code_sources and ind.source.doc


def test_each_measure_level_and_type_as_in_the_method(catalogue):
    counts = {}
    for m in catalogue.measures:
        counts[(m.level, m.type)] = counts.get((m.level, m.type), 0) + 1
    assert counts == METHOD_MEASURES


def test_everything_cites_a_known_source(catalogue):
    known = {s.id for s in catalogue.sources}
    cited = [m.source for m in catalogue.measures] + [r.source for r in catalogue.rules.rules]
    cited += [i.source for i in catalogue.industries] + [k.source for k in catalogue.kpis]
    cited += [g.source for g in catalogue.rules.significance] + [catalogue.rules.evidence.source]
    cited += [t.source for t in catalogue.cluster_types] + [c.source for c in catalogue.countries]
    assert cited and all(s.doc in known and s.locator.strip() for s in cited)
    for ind in catalogue.industries:
        assert all(ref in known for code in ind.codes for ref in code.refs)


def test_measure_titles_are_russian_and_kazakh_text(catalogue):
    for m in catalogue.measures:
        assert re.search("[а-яё]", m.title.ru.lower()), m.id
        assert m.title.kk != m.title.en, m.id


def test_kpis_cover_three_families(catalogue):
    assert {k.family for k in catalogue.kpis} == {"economic", "socio_cultural", "reputational"}


def test_identity_construct(catalogue):
    assert [c.id for c in catalogue.identity.components] == ["material", "symbolic"]
    assert [lyr.id for lyr in catalogue.identity.layers] == [
        "historical", "cultural", "environmental", "social", "technological"]


def test_country_level_names(catalogue):
    kz = catalogue.country("KZ")
    assert [kz.levels[lvl].en for lvl in LEVELS] == ["national", "oblast", "district and city"]
    assert [catalogue.country("RU").levels[lvl].en for lvl in LEVELS] == ["federal", "regional", "municipal"]


def test_codes_are_unique_and_subclasses_are_finer(catalogue):
    index = catalogue.code_index()
    assert len(index) == sum(len(i.codes) for i in catalogue.industries)
    assert index["32.99.8"] == "folk_crafts" and "32.99" not in index


# --- broken seeds -------------------------------------------------------------------------------

def edit(seeds: Path, file: str, change) -> None:
    path = seeds / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def error_of(seeds: Path) -> str:
    with pytest.raises(SeedError) as err:
        load_catalogue(seeds)
    return str(err.value)


def test_missing_field_names_file_entry_and_field(seeds_copy):
    edit(seeds_copy, "measures.yaml", lambda d: d[2].pop("title"))
    msg = error_of(seeds_copy)
    assert "measures.yaml: entry 3 ('fed_grants'), field title: Field required" in msg


def test_unknown_level_is_refused(seeds_copy):
    edit(seeds_copy, "measures.yaml", lambda d: d[0].update(level="galactic"))
    msg = error_of(seeds_copy)
    assert "measures.yaml: entry 1 ('fed_targeted_loans'), field level:" in msg and "federal" in msg


def test_code_claimed_by_two_industries(seeds_copy):
    edit(seeds_copy, "industries.yaml", lambda d: d[8]["codes"].append({"code": "59.11", "title": "x", "refs": ["genius_loci_crosswalk"]}))
    msg = error_of(seeds_copy)
    assert "industries.yaml: entry 9 ('fashion'), field codes[3].code: code 59.11 is already claimed by 'cinema'" in msg


def test_malformed_code(seeds_copy):
    edit(seeds_copy, "industries.yaml", lambda d: d[4]["codes"][0].update(code="5911"))
    assert "entry 5 ('cinema'), field codes[0].code: String should match pattern" in error_of(seeds_copy)


def test_unknown_significance(seeds_copy):
    edit(seeds_copy, "industries.yaml", lambda d: d[0].update(significance="huge"))
    assert "entry 1 ('recreation_entertainment'), field significance:" in error_of(seeds_copy)


def test_unknown_source_document(seeds_copy):
    edit(seeds_copy, "measures.yaml", lambda d: d[1]["source"].update(doc="999_nowhere"))
    assert "measures.yaml: entry 2 ('fed_guarantees'), field source: source '999_nowhere' is not in sources.yaml" in error_of(seeds_copy)


def test_unknown_field_is_refused(seeds_copy):
    edit(seeds_copy, "kpis.yaml", lambda d: d[0].update(colour="red"))
    assert "kpis.yaml: entry 1 ('creative_gva_share'), field colour: Extra inputs are not permitted" in error_of(seeds_copy)


def test_duplicate_id(seeds_copy):
    edit(seeds_copy, "measures.yaml", lambda d: d.append(dict(d[0])))
    assert "field id: 'fed_targeted_loans' is already used by entry 1" in error_of(seeds_copy)


def test_duplicate_yaml_key_is_refused(seeds_copy):
    path = seeds_copy / "cluster_types.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- id: dependent\n", "- id: dependent\n  id: dependent2\n"), encoding="utf-8")
    msg = error_of(seeds_copy)
    assert "cluster_types.yaml: line" in msg and "duplicate key 'id'" in msg


def test_yaml_syntax_error_names_line(seeds_copy):
    (seeds_copy / "countries.yaml").write_text("- id: RU\n  name: {en: [unclosed\n", encoding="utf-8")
    assert re.search(r"countries\.yaml: line \d+", error_of(seeds_copy))


def test_bad_threshold(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d["evidence"].update(min_audit_elements=0))
    assert "rules.yaml, field evidence.min_audit_elements: Input should be greater than or equal to 1" in error_of(seeds_copy)


def test_missing_rule(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d.update(rules=[r for r in d["rules"] if r["id"] != "override"]))
    assert "rules missing: override" in error_of(seeds_copy)


def test_rule_without_kazakh_explanation(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d["rules"][0]["explains"].pop("kk"))
    assert "rules.yaml, field rules[0].explains.kk: Field required" in error_of(seeds_copy)


def test_missing_file(seeds_copy):
    (seeds_copy / "kpis.yaml").unlink()
    assert "kpis.yaml: file not found" in error_of(seeds_copy)


def test_all_errors_reported_at_once(seeds_copy):
    edit(seeds_copy, "measures.yaml", lambda d: (d[0].update(level="x"), d[5].pop("type")))
    msg = error_of(seeds_copy)
    assert "entry 1 ('fed_targeted_loans')" in msg and "entry 6 ('fed_creative_platform'), field type" in msg


def test_template_with_an_unknown_placeholder(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d["rules"][8]["explains"].update(ru="{by}: {whom} решил"))
    assert "rule 'override', explains.ru: unknown placeholder(s) {whom}" in error_of(seeds_copy)


def test_template_with_broken_braces(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d["rules"][0]["explains"].update(kk="{industry"))
    assert "rule 'typology', explains.kk:" in error_of(seeds_copy)


def test_significance_groups_out_of_order(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d["significance"].reverse())
    assert "significance groups must be listed lowest first" in error_of(seeds_copy)


def test_country_missing_a_level_name(seeds_copy):
    edit(seeds_copy, "countries.yaml", lambda d: d[1]["levels"].pop("municipal"))
    assert "countries.yaml: entry 2 ('KZ'), field (whole entry): Value error, levels must name every level; missing: municipal" in error_of(seeds_copy)


def test_country_with_an_unknown_level(seeds_copy):
    edit(seeds_copy, "countries.yaml", lambda d: d[0]["levels"].update(galactic={"en": "g", "ru": "г", "kk": "г"}))
    assert "countries.yaml: entry 1 ('RU'), field levels.galactic" in error_of(seeds_copy)


def test_significance_group_with_an_unknown_level(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d["significance"][0]["levels"].append("galactic"))
    assert "rules.yaml, field significance[0].levels[1]" in error_of(seeds_copy)
