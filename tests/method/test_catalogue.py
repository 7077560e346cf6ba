"""Loading and validating the seed catalogue; each kind of broken seed fails with file, entry and field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from policy_engine.method.catalogue import SourceRef, Text, cite, load_catalogue, locator_text
from policy_engine.method.vocabulary import KPI_FAMILIES, LEVELS
from policy_engine.seedfile import SeedError

CANONICAL = [
    "recreation_entertainment",
    "cultural_heritage",
    "folk_crafts",
    "gastronomy",
    "cinema",
    "performing_arts",
    "art_industry",
    "book_publishing",
    "fashion",
    "music",
    "architecture",
    "design",
    "software",
    "media",
    "video_games",
    "advertising_pr",
]
METHOD_MEASURES = {  # METHOD.md §3: how many measures each level and type lists (incl. further municipal tools)
    ("federal", "economic"): 5,
    ("federal", "organizational"): 5,
    ("federal", "legal"): 1,
    ("regional", "economic"): 3,
    ("regional", "organizational"): 4,
    ("regional", "legal"): 1,
    ("municipal", "economic"): 3,
    ("municipal", "organizational"): 8,
    ("municipal", "legal"): 1,
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
    cited += [catalogue.growth_points.source, catalogue.monitoring.source]
    cited += [c.source for c in catalogue.growth_points.components.values()]
    assert cited and all(s.doc in known and locator_text(s.locator, "en").strip() for s in cited)
    for ind in catalogue.industries:
        assert all(ref in known for code in ind.codes for ref in code.refs)


def test_measure_titles_are_russian_and_kazakh_text(catalogue):
    for m in catalogue.measures:
        assert re.search("[а-яё]", m.title.ru.lower()), m.id
        assert m.title.kk != m.title.en, m.id


def test_kpis_cover_three_families(catalogue):
    assert {k.family for k in catalogue.kpis} == set(KPI_FAMILIES) == {"economic", "socio_cultural", "reputational"}


def test_identity_construct(catalogue):
    assert [c.id for c in catalogue.identity.components] == ["material", "symbolic"]
    assert [lyr.id for lyr in catalogue.identity.layers] == [
        "historical",
        "cultural",
        "environmental",
        "social",
        "technological",
    ]


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
    edit(
        seeds_copy,
        "industries.yaml",
        lambda d: d[8]["codes"].append({"code": "59.11", "title": "x", "refs": ["genius_loci_crosswalk"]}),
    )
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
    assert (
        "measures.yaml: entry 2 ('fed_guarantees'), field source: source '999_nowhere' is not in sources.yaml"
        in error_of(seeds_copy)
    )


def test_unknown_field_is_refused(seeds_copy):
    edit(seeds_copy, "kpis.yaml", lambda d: d[0].update(colour="red"))
    assert "kpis.yaml: entry 1 ('creative_gva_share'), field colour: Extra inputs are not permitted" in error_of(
        seeds_copy
    )


def test_duplicate_id(seeds_copy):
    edit(seeds_copy, "measures.yaml", lambda d: d.append(dict(d[0])))
    assert "field id: 'fed_targeted_loans' is already used by entry 1" in error_of(seeds_copy)


def test_bad_threshold(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d["evidence"].update(min_audit_elements=0))
    assert "rules.yaml, field evidence.min_audit_elements: Input should be greater than or equal to 1" in error_of(
        seeds_copy
    )


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
    assert (
        "countries.yaml: entry 2 ('KZ'), field (whole entry): Value error, levels must name every level; missing: municipal"
        in error_of(seeds_copy)
    )


def test_country_with_an_unknown_level(seeds_copy):
    edit(seeds_copy, "countries.yaml", lambda d: d[0]["levels"].update(galactic={"en": "g", "ru": "г", "kk": "г"}))
    assert "countries.yaml: entry 1 ('RU'), field levels.galactic" in error_of(seeds_copy)


def test_significance_group_with_an_unknown_level(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d["significance"][0]["levels"].append("galactic"))
    assert "rules.yaml, field significance[0].levels[1]" in error_of(seeds_copy)


def test_an_industry_in_no_significance_group(seeds_copy):
    """Industries name a group of rules.yaml, the one list of significance groups."""
    edit(seeds_copy, "rules.yaml", lambda d: d["significance"][2].update(id="very_high"))
    msg = error_of(seeds_copy)
    assert (
        "industries.yaml: entry 2 ('cultural_heritage'), field significance: 'high' is not a significance group" in msg
    )


def test_a_higher_group_that_grants_fewer_levels(seeds_copy):
    edit(seeds_copy, "rules.yaml", lambda d: d["significance"][2].update(levels=["federal"]))
    assert "'high' (federal) after 'medium' (federal, regional)" in error_of(seeds_copy)


# The growth-point score and the KPI status rule are seed files like the others: loaded, checked and
# source-checked at load with the whole catalogue.


@pytest.mark.parametrize("file", ["growth_points.yaml", "monitoring.yaml"])
def test_every_seed_file_cites_known_sources(seeds_copy, file):
    edit(seeds_copy, file, lambda d: d["source"].update(doc="no_such_doc"))
    assert f"{file}: field source: source 'no_such_doc' is not in sources.yaml" in error_of(seeds_copy)


def test_a_growth_component_cites_a_known_source(seeds_copy):
    edit(seeds_copy, "growth_points.yaml", lambda d: d["components"]["support"]["source"].update(doc="no_such_doc"))
    assert "growth_points.yaml: field components.support, field source: source 'no_such_doc'" in error_of(seeds_copy)


@pytest.mark.parametrize("file", ["growth_points.yaml", "monitoring.yaml"])
def test_a_missing_seed_file_is_named(seeds_copy, file):
    (seeds_copy / file).unlink()
    assert f"{file}: file not found" in error_of(seeds_copy)


def reweigh(**weights):
    def change(d):
        for name, weight in weights.items():
            d["components"][name]["weight"] = weight

    return change


@pytest.mark.parametrize(
    "change, message",
    [
        (reweigh(identity=0.4529), "the weights must add up to 1, they add up to 1.1"),
        (lambda d: d["components"].pop("support"), "components missing: support"),
        (
            lambda d: d["components"].update(growth={"weight": 0, "description": "x", "source": d["source"]}),
            "field components.growth",
        ),
        (lambda d: d["components"]["identity"].pop("full"), "component identity needs a `full` value"),
        (lambda d: d["components"]["support"].update(full=1), "component support takes no `full` value"),
        (lambda d: d["components"]["specialization"].update(full=0), "components.specialization.full"),
        (lambda d: d["components"]["support"].update(note="x"), "components.support.note"),
        (lambda d: d.update(extra=1), "field extra"),
        (lambda d: d.pop("source"), "field source"),
    ],
)
def test_a_bad_growth_points_file_is_refused_at_load(seeds_copy, change, message):
    edit(seeds_copy, "growth_points.yaml", change)
    msg = error_of(seeds_copy)
    assert "growth_points.yaml" in msg and message in msg


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(at_risk=0.95), "at_risk must not be above on_track"),
        (lambda d: d.update(flat_tolerance=1), "field flat_tolerance"),
        (lambda d: d.pop("on_track"), "field on_track: Field required"),
    ],
)
def test_a_bad_monitoring_file_is_refused_at_load(seeds_copy, change, message):
    edit(seeds_copy, "monitoring.yaml", change)
    msg = error_of(seeds_copy)
    assert "monitoring.yaml" in msg and message in msg


# --- citations in the reader's language -----------------------------------------------------------

# Latin-letter names a Russian or Kazakh text may keep as they are: the project's name and the
# codes and registers cited under their own names. Everything else in Latin letters is English
# that should have been translated, or an internal key.
KEPT_AS_IS = ("Genius Loci", "ESSnet-Culture", "DCMS", "NACE", "OKVED", "KPI")


def english_words(text: str, user_text: tuple[str, ...] = ()) -> set[str]:
    """Latin-letter words of three letters or more left in `text` once the names kept as they are and
    the user's own text (names typed into the project) are taken out."""
    for kept in sorted(KEPT_AS_IS + tuple(user_text), key=len, reverse=True):
        text = text.replace(kept, " ")
    return set(re.findall(r"[A-Za-z]{3,}", text))


def every_source_ref(value, found=None) -> list[SourceRef]:
    """Every SourceRef inside a loaded seed value (the catalogue, or a file of its own)."""
    found = [] if found is None else found
    if isinstance(value, SourceRef):
        found.append(value)
    elif isinstance(value, (list, tuple)):
        for item in value:
            every_source_ref(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            every_source_ref(item, found)
    elif hasattr(type(value), "model_fields"):
        for name in type(value).model_fields:
            every_source_ref(getattr(value, name), found)
    return found


def all_citations(catalogue) -> list[SourceRef]:
    return every_source_ref(catalogue)


def test_the_walk_finds_every_kind_of_citation(catalogue):
    refs = all_citations(catalogue)
    expected = (
        len(catalogue.industries)
        + len(catalogue.measures)
        + len(catalogue.cluster_types)
        + len(catalogue.kpis)
        + len(catalogue.countries)
        + len(catalogue.rules.rules)
        + len(catalogue.rules.significance)
        + 1  # the thresholds of the evidence
        + 1  # the growth-point score
        + len(catalogue.growth_points.components)
        + 1  # the KPI status rule
        + len(catalogue.identity.components)
        + len(catalogue.identity.layers)
        + len(catalogue.identity.scores.criteria)
        + len(catalogue.size_bands)
    )
    assert len(refs) == expected


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_citation_reads_in_russian_and_kazakh(catalogue, lang):
    for ref in all_citations(catalogue):
        text = cite(ref, catalogue, lang)
        assert not english_words(text), f"{ref}: {text}"
        assert catalogue.source(ref.doc).short.get(lang) in text
    for source in catalogue.sources:  # the documents' short names, which every citation starts with
        assert not english_words(source.short.get(lang)), source.id


def test_no_citation_shows_an_internal_key(catalogue):
    """Not even in English: `evidence.step_up_min_strong` means nothing to a reader."""
    for ref in all_citations(catalogue):
        for lang in ("en", "ru", "kk"):
            text = cite(ref, catalogue, lang)
            assert "_" not in text and not re.search(r"[a-z]\.[a-z]", text), text


def test_a_translated_locator_is_in_each_language(catalogue):
    translated = [r for r in all_citations(catalogue) if isinstance(r.locator, Text)]
    assert translated, "the seeds translate their locators"
    for ref in translated:
        assert cite(ref, catalogue, "ru") != cite(ref, catalogue, "en")
        assert re.search("[а-яё]", locator_text(ref.locator, "ru").lower())
        assert re.search("[а-яёәіңғүұқөһ]", locator_text(ref.locator, "kk").lower())


def test_the_project_cites_its_own_parameters_by_what_they_mean(catalogue):
    ref = catalogue.rules.rule("evidence_up").source
    assert ref.doc == "genius_loci"
    assert "Genius Loci" in cite(ref, catalogue, "ru") and "порог" in cite(ref, catalogue, "ru")
    assert "правила проекта" in cite(ref, catalogue, "ru") and "жоба ережелері" in cite(ref, catalogue, "kk")


def test_a_locator_as_the_paper_names_it_is_said_in_each_language(catalogue):
    ref = SourceRef(doc="003_ae69a361e52e8ae9", locator="Table 3, row 2; Fig. 1")
    ru, kk, en = (cite(ref, catalogue, lang) for lang in ("ru", "kk", "en"))
    assert "Таблица 3" in ru and "строка 2" in ru and "Рис. 1" in ru
    assert "3-кесте" in kk and "2-жол" in kk and "1-сурет" in kk
    assert en.endswith("Table 3, row 2; Fig. 1")  # English keeps the paper's own words
    assert catalogue.industry("music").source.locator == "Fig. 1"  # seeds keep such names as strings


def test_a_translated_locator_needs_all_three_languages(seeds_copy):
    edit(seeds_copy, "measures.yaml", lambda d: d[0]["source"].update(locator={"en": "table", "ru": "таблица"}))
    assert "measures.yaml: entry 1 ('fed_targeted_loans'), field source.locator" in error_of(seeds_copy)
