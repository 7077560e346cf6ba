"""Reference tables written from the seeds, for README.md and docs/CATALOGUE.md.

The docs list the rules, measures, industries, KPIs and sources that `seeds/*.yaml` hold. Typed by
hand, such lists drift from the data; here they are generated instead, as Datasette generates its
docs: a `[[[cog ... ]]]` block in the Markdown calls one of these functions, `cog -r` writes its
output in place, and `tests/method/test_docs.py` runs `cog --check`, which fails when a seed changed
and the docs were not regenerated. Regenerate with

    .venv/bin/cog -I . -r README.md docs/CATALOGUE.md

Every function returns Markdown and takes the catalogue to describe (the repository's seeds when
none is given). English is the docs' language; names are also given in Russian, the method's own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pydantic import BaseModel

from policy_engine.method.catalogue import (
    FILES,
    LEVELS,
    Catalogue,
    NamedItem,
    SourceRef,
    cite,
    default_catalogue,
)

# What each threshold of `evidence:` in seeds/rules.yaml means; a test checks every field has one.
EVIDENCE_MEANING = {
    "strong_score": "an identity element of at least this strength (mean of its scores) counts as strong",
    "present_score": "an identity element of at least this strength counts as substantive",
    "min_audit_elements": "an audit with fewer elements than this is too thin to move any industry",
    "step_up_min_strong": "this many strong linked elements move an industry one step up",
}

# What each threshold of seeds/monitoring.yaml means. Progress is the share of the planned change
# (planned - baseline) the latest actual has achieved, counted in the KPI's good direction.
STATUS_MEANING = {
    "on_track": "progress at or above this is on track",
    "at_risk": "progress at or above this (and below `on_track`) is at risk; below it, off track",
    "flat_tolerance": (
        "where no change was planned, an actual worse than the plan by at most this share of it is at risk, "
        "by more off track"
    ),
}

# How a KPI's `direction` reads in a table.
DIRECTION = {"increase": "higher is better", "decrease": "lower is better"}


def plain(text: object) -> str:
    """Seed text shown as typed: the characters Markdown (or GitHub's `$` math) would read as markup
    are escaped, and so is every underscore but one between two letters or digits (`dcms_sic`), which
    CommonMark never reads as emphasis."""
    out = re.sub(r"([\\`*<\[\]$])", r"\\\1", str(text))
    return re.sub(r"(?<![^\W_])_|_(?![^\W_])", r"\\_", out)


def code(text: object) -> str:
    """An identifier in a code span; ids of the seeds have no backtick to end it early."""
    return f"`{text}`"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table of cells already rendered (`plain`, `code`, numbers).

    Each cell is put on one line and its pipes escaped, so no value can split or break the row."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"a row has {len(row)} cells for {len(headers)} columns: {row!r}")
        lines.append("| " + " | ".join(" ".join(str(v).split()).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines) + "\n"


def source_cell(ref: SourceRef, catalogue: Catalogue) -> str:
    """Where an entry comes from: the document's id in `seeds/sources.yaml`, then the place in it."""
    return f"{code(ref.doc)}: {plain(cite(ref, catalogue, 'en'))}"


def _cat(catalogue: Catalogue | None) -> Catalogue:
    return catalogue if catalogue is not None else default_catalogue()


def rules_table(catalogue: Catalogue | None = None) -> str:
    """The rules of seeds/rules.yaml in the order the engine applies them, with what each does."""
    cat = _cat(catalogue)
    rows = [
        (i, code(rule.id), plain(rule.title.en), source_cell(rule.source, cat))
        for i, rule in enumerate(cat.rules.rules, start=1)
    ]
    return table(["#", "rule", "what it does", "source"], rows)


def significance_table(catalogue: Catalogue | None = None) -> str:
    """The typology's groups, lowest first (the order "one step up" climbs), and the levels each gets."""
    cat = _cat(catalogue)
    rows = [
        (code(g.id), f"{plain(g.model_name.en)} ({code(g.model)})", ", ".join(g.levels), source_cell(g.source, cat))
        for g in cat.rules.significance
    ]
    return table(["significance", "model", "levels", "source"], rows)


def _thresholds_table(params: BaseModel, meanings: dict[str, str], cat: Catalogue) -> str:
    """The numbers of a seed object, one row each with what it means, then the object's source."""
    rows = [
        (code(name), f"{getattr(params, name):g}", meanings.get(name, ""))
        for name in type(params).model_fields
        if name != "source"
    ]
    return table(["threshold", "value", "meaning"], rows) + f"\nSource: {source_cell(params.source, cat)}.\n"


def evidence_table(catalogue: Catalogue | None = None) -> str:
    """The thresholds the region's own evidence is judged by (`evidence:` in seeds/rules.yaml)."""
    cat = _cat(catalogue)
    return _thresholds_table(cat.rules.evidence, EVIDENCE_MEANING, cat)


def measures_table(catalogue: Catalogue | None = None) -> str:
    """Every measure, by level (federal first) and within a level in the order of the seed file."""
    cat = _cat(catalogue)
    rows = [
        (code(m.id), m.level, m.type, plain(m.title.en), plain(m.title.ru), source_cell(m.source, cat))
        for m in sorted(cat.measures, key=lambda m: LEVELS.index(m.level))
    ]
    return table(["measure", "level", "type", "name (en)", "name (ru)", "source"], rows)


def industries_table(catalogue: Catalogue | None = None) -> str:
    """Every industry with its default significance and its economic-activity codes."""
    cat = _cat(catalogue)
    rows = [
        (
            code(ind.id),
            plain(ind.name.en),
            plain(ind.name.ru),
            ind.significance,
            ", ".join(code(c.code) for c in ind.codes),
            source_cell(ind.source, cat),
        )
        for ind in cat.industries
    ]
    return table(["industry", "name (en)", "name (ru)", "significance", "codes", "source"], rows)


def _code_key(value: str) -> tuple[int, ...]:
    return tuple(int(part) for part in value.split("."))


def codes_table(catalogue: Catalogue | None = None) -> str:
    """The crosswalk: every code in code order, the industry it belongs to and the lists that count it."""
    cat = _cat(catalogue)
    pairs = sorted(((c, ind) for ind in cat.industries for c in ind.codes), key=lambda pair: _code_key(pair[0].code))
    rows = [(code(c.code), plain(c.title), code(ind.id), ", ".join(code(r) for r in c.refs)) for c, ind in pairs]
    return table(["code", "activity", "industry", "counted as creative by"], rows)


def kpis_table(catalogue: Catalogue | None = None) -> str:
    """The KPI catalogue of iteration 6 (monitoring)."""
    cat = _cat(catalogue)
    rows = [
        (
            code(k.id),
            k.family,
            plain(k.name.en),
            plain(k.name.ru),
            plain(k.unit.en),
            DIRECTION[k.direction],
            plain(k.definition),
            source_cell(k.source, cat),
        )
        for k in cat.kpis
    ]
    headers = ["KPI", "family", "name (en)", "name (ru)", "unit", "direction", "definition", "source"]
    return table(headers, rows)


def kpi_status_table(catalogue: Catalogue | None = None) -> str:
    """The rule that calls a KPI on track, at risk or off track (seeds/monitoring.yaml)."""
    cat = _cat(catalogue)
    return _thresholds_table(cat.monitoring, STATUS_MEANING, cat)


def growth_points_table(catalogue: Catalogue | None = None) -> str:
    """The parts of the growth-point score (seeds/growth_points.yaml): weight, full value, meaning, source."""
    cat = _cat(catalogue)
    score = cat.growth_points
    rows = [
        (
            code(name),
            f"{part.weight:g}",
            "—" if part.full is None else f"{part.full:g}",
            plain(part.description),
            source_cell(part.source, cat),
        )
        for name, part in score.components.items()
    ]
    intro = f"{plain(score.description)} Source: {source_cell(score.source, cat)}.\n\n"
    return intro + table(["component", "weight", "full at", "what it measures", "source"], rows)


def countries_table(catalogue: Catalogue | None = None) -> str:
    """Each country's own names for the three canonical support levels, in English / Russian."""
    cat = _cat(catalogue)
    rows = [
        (
            code(c.id),
            plain(c.name.en),
            c.currency,
            *(f"{plain(c.levels[lvl].en)} / {plain(c.levels[lvl].ru)}" for lvl in LEVELS),
            source_cell(c.source, cat),
        )
        for c in cat.countries
    ]
    return table(["country", "name", "currency", *LEVELS, "source"], rows)


def named_items_table(items: Sequence[NamedItem], catalogue: Catalogue | None = None) -> str:
    """Components, layers, score criteria or cluster types: id, names, description and source."""
    cat = _cat(catalogue)
    rows = [
        (code(it.id), plain(it.name.en), plain(it.name.ru), plain(it.description), source_cell(it.source, cat))
        for it in items
    ]
    return table(["id", "name (en)", "name (ru)", "description", "source"], rows)


def identity_tables(catalogue: Catalogue | None = None) -> str:
    """The identity construct of seeds/identity.yaml: its components, its layers and the score criteria."""
    cat = _cat(catalogue)
    ident = cat.identity
    return "\n".join(
        [
            "Components:\n",
            named_items_table(ident.components, cat),
            "Layers:\n",
            named_items_table(ident.layers, cat),
            f"Criteria, each scored from {ident.scores.min} to {ident.scores.max}:\n",
            named_items_table(ident.scores.criteria, cat),
        ]
    )


def cluster_types_table(catalogue: Catalogue | None = None) -> str:
    """The types of cluster formation of seeds/cluster_types.yaml."""
    cat = _cat(catalogue)
    return named_items_table(cat.cluster_types, cat)


def sources_table(catalogue: Catalogue | None = None) -> str:
    """The documents every entry cites (seeds/sources.yaml), with the citation where one is known."""
    cat = _cat(catalogue)
    rows = [
        (
            code(s.id),
            plain(s.short.en),
            s.kind,
            s.year if s.year is not None else "—",
            plain(s.title),
            plain("; ".join(part for part in (s.reference, s.note) if part) or "—"),
        )
        for s in cat.sources
    ]
    return table(["document", "short name", "kind", "year", "title", "reference and note"], rows)


# Where the README's summary sends the reader for each part of the catalogue (links relative to the
# README). A part the catalogue gains later is still listed, without a link, until one is added here.
SUMMARY_LINKS = {
    "industries": ("industries", "docs/CATALOGUE.md#industries"),
    "measures": ("measures", "docs/CATALOGUE.md#measures"),
    "identity": ("identity construct", "docs/CATALOGUE.md#identity-construct"),
    "cluster_types": ("cluster types", "docs/CATALOGUE.md#cluster-types"),
    "kpis": ("KPIs", "docs/CATALOGUE.md#kpis"),
    "growth_points": ("the growth-point score", "docs/CATALOGUE.md#growth-point-score"),
    "monitoring": ("the KPI status rule", "docs/CATALOGUE.md#kpi-status"),
    "countries": ("countries and their level names", "docs/CATALOGUE.md#countries"),
    "rules": ("rules, significance groups, evidence thresholds", "#how-a-decision-is-made"),
    "sources": ("source documents", "docs/CATALOGUE.md#sources"),
}


def _entries(field: str, value: object, cat: Catalogue) -> str:
    if field == "industries":
        return f"{len(cat.industries)}, with {sum(len(ind.codes) for ind in cat.industries)} codes"
    if field == "identity":
        ident = cat.identity
        return f"{len(ident.components)} components, {len(ident.layers)} layers, {len(ident.scores.criteria)} criteria"
    if field == "growth_points":
        return f"{len(cat.growth_points.components)} components"
    if field == "monitoring":
        return f"{sum(name != 'source' for name in type(value).model_fields)} thresholds"
    if field == "rules":
        return f"{len(cat.rules.rules)} rules, {len(cat.rules.significance)} significance groups"
    return str(len(value)) if isinstance(value, (list, tuple)) else "—"


def summary_table(catalogue: Catalogue | None = None) -> str:
    """One row per seed file the catalogue loads: what it holds, how many entries, where it is listed."""
    cat = _cat(catalogue)
    rows = []
    for file, (field, _, _) in FILES.items():
        label, link = SUMMARY_LINKS.get(field, (field.replace("_", " "), None))
        rows.append((code(file), f"[{label}]({link})" if link else label, _entries(field, getattr(cat, field), cat)))
    return table(["file", "holds", "entries"], rows)
