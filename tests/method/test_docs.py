"""The reference tables of the docs: written from the seeds, read back as a Markdown reader would, and
checked with cog, so a seed changed without regenerating README.md and docs/CATALOGUE.md fails here."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from cogapp import Cog
from markdown_it import MarkdownIt

from policy_engine.diagnostics.rules import Evidence, LinkedElement, classify
from policy_engine.method import docs
from policy_engine.method.catalogue import FILES, LEVELS, SEEDS_DIR, EvidenceParams, load_catalogue
from policy_engine.project.model import Override

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", ROOT / "docs" / "CATALOGUE.md"]
REGENERATE = ".venv/bin/cog -I . -r README.md docs/CATALOGUE.md"


def seed(file: str):
    """A seed file as plain YAML, read without the catalogue the tables are made from."""
    return yaml.safe_load((SEEDS_DIR / file).read_text(encoding="utf-8"))


def parse_table(markdown: str) -> tuple[list[str], list[list[str]]]:
    """The one table in `markdown` as a reader sees it: header and body cells as text, escapes resolved."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert [t.type for t in tokens].count("table_open") == 1, markdown
    rows: list[list[str]] = []
    for tok in tokens:
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type == "inline" and rows:
            rows[-1].append("".join(c.content for c in tok.children or [] if c.type in ("text", "code_inline")))
    return rows[0], rows[1:]


def run_cog(*args: str) -> tuple[int, str]:
    """cog in this process (so a patched catalogue is the one its blocks see), with its output."""
    out = io.StringIO()
    cog = Cog()
    cog.set_output(stdout=out, stderr=out)
    status = cog.main(["cog", "-I", str(ROOT), *args])
    return status, out.getvalue()


@pytest.fixture
def changed_seeds(seeds_copy: Path) -> Path:
    """A copy of the seeds whose first measure has a new Russian name."""
    path = seeds_copy / "measures.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data[0]["title"]["ru"] == "Целевые займы"
    data[0]["title"]["ru"] = "Льготные целевые займы"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return seeds_copy


# --- Markdown cells -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("", ""),
        ("Targeted loans", "Targeted loans"),
        ("dcms_sic_2016", "dcms_sic_2016"),  # an underscore inside a word is no emphasis
        ("_draft_", r"\_draft\_"),
        ("__init__", r"\_\_init\_\_"),
        ("a__b", r"a\_\_b"),
        ("*bold*", r"\*bold\*"),
        ("<script>", r"\<script>"),
        ("[link](x)", r"\[link\](x)"),
        ("`code`", r"\`code\`"),
        ("$5 and $6", r"\$5 and \$6"),  # GitHub would read $…$ as math
        ("C:\\path", "C:\\\\path"),
        ("«Меры» — 1–5", "«Меры» — 1–5"),
    ],
)
def test_plain_escapes_what_markdown_would_read_as_markup(text, escaped):
    assert docs.plain(text) == escaped


@pytest.mark.parametrize(
    "text", ["a | b", "*x* _y_ <b>z</b>", "[a](b) `c` $d$", "line one\nline two", "back\\slash", "__init__"]
)
def test_a_plain_cell_reads_back_as_typed(text):
    header, body = parse_table(docs.table(["value", "next"], [(docs.plain(text), "end")]))
    assert header == ["value", "next"]
    assert body == [[" ".join(text.split()), "end"]]


def test_a_pipe_in_a_code_span_stays_in_its_cell():
    _, body = parse_table(docs.table(["id", "next"], [(docs.code("a|b"), "end")]))
    assert body == [["a|b", "end"]]


def test_a_table_without_rows_is_its_header():
    header, body = parse_table(docs.table(["a", "b"], []))
    assert (header, body) == (["a", "b"], [])


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        docs.table(["a", "b", "c"], [("x", "y")])


# --- the tables, against the seeds --------------------------------------------------------------


def test_rules_in_the_seed_order_with_titles_and_sources(catalogue):
    header, body = parse_table(docs.rules_table(catalogue))
    rules = seed("rules.yaml")["rules"]
    assert header == ["#", "rule", "what it does", "source"]
    assert [row[:3] for row in body] == [[str(i), r["id"], r["title"]["en"]] for i, r in enumerate(rules, start=1)]
    assert all(row[3].startswith(f"{r['source']['doc']}: ") for row, r in zip(body, rules, strict=True))


def test_the_rules_table_is_in_the_order_the_engine_fires_them(catalogue):
    """Evidence that moves design up, then an override: every firing comes in the table's order."""
    evidence = Evidence(audit_size=10, linked=tuple(LinkedElement(name=f"e{i}", strength=5.0) for i in range(3)))
    override = Override(
        industry="design", significance="high", by="Working group", justification="The region's design school."
    )
    fired = [f.rule for f in classify("design", catalogue, evidence, override).firings]
    order = [r["id"] for r in seed("rules.yaml")["rules"]]
    assert fired == ["typology", "evidence_up", "override", "levels", "measures"]
    assert fired == sorted(fired, key=order.index)


def test_significance_groups_lowest_first_with_their_levels(catalogue):
    _, body = parse_table(docs.significance_table(catalogue))
    groups = seed("rules.yaml")["significance"]
    assert [(row[0], row[2]) for row in body] == [(g["id"], ", ".join(g["levels"])) for g in groups]


def test_every_evidence_threshold_is_explained_with_its_value(catalogue):
    assert set(docs.EVIDENCE_MEANING) == set(EvidenceParams.model_fields) - {"source"}
    text = docs.evidence_table(catalogue)
    _, body = parse_table(text.split("\nSource:")[0])
    thresholds = {k: v for k, v in seed("rules.yaml")["evidence"].items() if k != "source"}
    assert {row[0]: float(row[1]) for row in body} == thresholds
    assert f"Source: `{seed('rules.yaml')['evidence']['source']['doc']}`: " in text


def test_measures_by_level_with_both_names_and_their_source(catalogue):
    header, body = parse_table(docs.measures_table(catalogue))
    measures = seed("measures.yaml")
    by_level = [m for level in LEVELS for m in measures if m["level"] == level]
    assert header == ["measure", "level", "type", "name (en)", "name (ru)", "source"]
    assert [row[:5] for row in body] == [
        [m["id"], m["level"], m["type"], m["title"]["en"], m["title"]["ru"]] for m in by_level
    ]
    assert all(row[5].startswith(f"{m['source']['doc']}: ") for row, m in zip(body, by_level, strict=True))


def test_industries_with_every_code(catalogue):
    _, body = parse_table(docs.industries_table(catalogue))
    industries = seed("industries.yaml")
    assert [(row[0], row[1], row[2], row[3]) for row in body] == [
        (i["id"], i["name"]["en"], i["name"]["ru"], i["significance"]) for i in industries
    ]
    assert [row[4] for row in body] == [", ".join(c["code"] for c in i["codes"]) for i in industries]


def test_the_crosswalk_lists_each_code_once_in_numeric_order(catalogue):
    _, body = parse_table(docs.codes_table(catalogue))
    owner = {c["code"]: i["id"] for i in seed("industries.yaml") for c in i["codes"]}
    assert sorted(row[0] for row in body) == sorted(owner)
    assert {row[0]: row[2] for row in body} == owner
    codes = [row[0] for row in body]
    assert codes == sorted(codes, key=lambda c: [int(p) for p in c.split(".")])


def test_kpis_with_their_family_names_and_direction(catalogue):
    _, body = parse_table(docs.kpis_table(catalogue))
    kpis = seed("kpis.yaml")
    assert [(row[0], row[1], row[2], row[3], row[4]) for row in body] == [
        (k["id"], k["family"], k["name"]["en"], k["name"]["ru"], k["unit"]["en"]) for k in kpis
    ]
    assert [row[5] for row in body] == [docs.DIRECTION[k["direction"]] for k in kpis]


def test_kpi_status_thresholds_with_their_values_and_meanings(catalogue):
    text = docs.kpi_status_table(catalogue)
    _, body = parse_table(text.split("\nSource:")[0])
    rule = seed("monitoring.yaml")
    assert {row[0]: float(row[1]) for row in body} == {k: v for k, v in rule.items() if k != "source"}
    assert set(docs.STATUS_MEANING) == set(type(catalogue.monitoring).model_fields) - {"source"}
    assert f"Source: `{rule['source']['doc']}`: " in text


def test_growth_point_components_with_weights_and_sources(catalogue):
    text = docs.growth_points_table(catalogue)
    _, body = parse_table(text.split("\n\n", 1)[1])
    components = seed("growth_points.yaml")["components"]
    assert [row[0] for row in body] == list(components)
    assert [float(row[1]) for row in body] == [c["weight"] for c in components.values()]
    assert [row[2] for row in body] == [f"{c['full']:g}" if "full" in c else "—" for c in components.values()]
    assert all(row[4].startswith(f"{c['source']['doc']}: ") for row, c in zip(body, components.values(), strict=True))


def test_countries_with_their_names_for_each_level(catalogue):
    header, body = parse_table(docs.countries_table(catalogue))
    assert header[3:6] == list(LEVELS)
    for row, country in zip(body, seed("countries.yaml"), strict=True):
        assert row[0] == country["id"]
        assert row[3:6] == [f"{country['levels'][lvl]['en']} / {country['levels'][lvl]['ru']}" for lvl in LEVELS]


def test_identity_construct_and_cluster_types(catalogue):
    identity = seed("identity.yaml")
    text = docs.identity_tables(catalogue)
    parts = text.split("Layers:")
    assert [row[0] for row in parse_table(parts[0].split("Components:")[1])[1]] == [
        c["id"] for c in identity["components"]
    ]
    assert f"each scored from {identity['scores']['min']} to {identity['scores']['max']}" in text
    _, body = parse_table(docs.cluster_types_table(catalogue))
    assert [row[0] for row in body] == [c["id"] for c in seed("cluster_types.yaml")]


def test_every_source_document_once(catalogue):
    _, body = parse_table(docs.sources_table(catalogue))
    sources = seed("sources.yaml")
    assert [(row[0], row[1], row[2]) for row in body] == [(s["id"], s["short"]["en"], s["kind"]) for s in sources]
    assert [row[3] for row in body] == [str(s["year"]) if "year" in s else "—" for s in sources]


def test_the_summary_names_every_file_the_catalogue_loads_with_its_count(catalogue):
    _, body = parse_table(docs.summary_table(catalogue))
    assert [row[0] for row in body] == list(FILES)
    entries = {row[0]: row[2] for row in body}
    assert entries["measures.yaml"] == str(len(seed("measures.yaml")))
    n_codes = sum(len(i["codes"]) for i in seed("industries.yaml"))
    assert entries["industries.yaml"] == f"{len(seed('industries.yaml'))}, with {n_codes} codes"


def test_a_changed_seed_changes_the_generated_table(catalogue, changed_seeds):
    before = docs.measures_table(catalogue)
    after = docs.measures_table(load_catalogue(changed_seeds))
    assert before != after
    assert "Льготные целевые займы" in after and "Льготные целевые займы" not in before


# --- cog: the checked-in docs are what the seeds generate ----------------------------------------


def test_the_docs_are_generated_from_the_current_seeds():
    status, out = run_cog("--check", "--diff", "--check-fail-msg", f"regenerate with `{REGENERATE}`", *map(str, DOCS))
    assert status == 0, f"the docs are out of date with seeds/; run `{REGENERATE}`\n{out}"


def test_every_doc_has_generated_blocks():
    for path in DOCS:
        assert "[[[cog" in path.read_text(encoding="utf-8"), path


def test_the_check_fails_when_a_seed_changes_and_the_docs_do_not(monkeypatch, changed_seeds):
    monkeypatch.setattr(docs, "default_catalogue", lambda: load_catalogue(changed_seeds))
    status, out = run_cog("--check", "--diff", *map(str, DOCS))
    assert status == 5, out
    assert "+| `fed_targeted_loans` | federal | economic | Targeted loans | Льготные целевые займы |" in out
    assert "Check failed" in out
