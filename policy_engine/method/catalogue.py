"""The seed catalogue: industries, measures, identity construct, cluster types, KPIs, countries, rules,
the growth-point score and the KPI status rule.

Everything the engine knows about the method lives in `seeds/*.yaml` and is validated here, in
one place, when it is loaded: every file, every entry, and every source it cites. Each entry carries
its source so that any decision can be traced to the paper and table it comes from (see
../shared/METHOD.md). The lists the seeds define (significance groups, layers, components) are read
from here wherever they are needed; policy_engine/method/vocabulary.py has the others.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from policy_engine.i18n import LANGS, t
from policy_engine.method.vocabulary import (
    GROWTH_COMPONENTS,
    LEVELS,
    GrowthComponent,
    KpiDirection,
    KpiFamily,
    Level,
    MeasureType,
)
from policy_engine.seedfile import SeedError, describe_validation, entry_label, read_yaml

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"

Id = Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=2, max_length=60)
CODE_PATTERN = r"^\d{2}\.\d{2}(\.\d{1,2})?$"


class Frozen(BaseModel):
    """Seed models are read-only and refuse unknown keys, so a typo in YAML is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Frozen):
    """A label in the three working languages."""

    en: str = Field(min_length=1)
    ru: str = Field(min_length=1)
    kk: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.en


class SourceRef(Frozen):
    """Where a fact comes from: a document id of sources.yaml and a place in it.

    The locator is written in the three languages (`{en, ru, kk}`), or stays a plain string when it
    is the name the paper itself uses ("Fig. 1", "Table 3, row 2"); `cite` renders either in the
    reader's language, so no English description and no internal key reaches a Russian reader.
    """

    doc: str = Field(min_length=1)
    locator: Text | Annotated[str, Field(min_length=1)]


class Source(Frozen):
    id: str = Field(min_length=1)
    short: Text
    title: str = Field(min_length=1)
    kind: Literal["paper", "regulation", "statistics", "project"]
    year: int | None = None
    reference: str | None = None  # the citation, where known
    note: str | None = None


class Code(Frozen):
    """An economic-activity code: a NACE Rev. 2 class, or a finer national sub-class."""

    code: str = Field(pattern=CODE_PATTERN)
    title: str = Field(min_length=1)
    refs: list[str] = Field(min_length=1)


class SizeBand(Frozen):
    """A register's size class: a firm in it has `low` to `high` employees (`high` None: an open top band)."""

    code: str = Field(min_length=1, max_length=20)
    low: int = Field(ge=0)
    high: int | None = Field(default=None, ge=0)
    label: Text

    @model_validator(mode="after")
    def _ordered(self) -> SizeBand:
        if self.high is not None and self.high < self.low:
            raise ValueError("high must not be below low")
        return self


class SizeBandScheme(Frozen):
    """The size bands one register uses (seeds/size_bands.yaml), with the document that defines them."""

    id: str = Id
    name: Text
    source: SourceRef
    open_ceiling: float = Field(default=2.0, gt=1, le=100)  # an open top band's ceiling: its floor times this
    bands: list[SizeBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> SizeBandScheme:
        codes = [b.code for b in self.bands]
        if len(set(codes)) != len(codes):
            raise ValueError("a band code is used twice")
        if sum(b.high is None for b in self.bands) > 1:
            raise ValueError("only one band may be open")
        return self

    def band(self, code: str) -> SizeBand | None:
        for b in self.bands:
            if b.code == code:
                return b
        return None


class Industry(Frozen):
    id: str = Id
    name: Text
    significance: str = Id  # a group of seeds/rules.yaml (checked across files at load)
    source: SourceRef
    code_sources: list[str] = Field(min_length=1)
    codes: list[Code] = Field(min_length=1)


class Measure(Frozen):
    id: str = Id
    level: Level
    type: MeasureType
    title: Text
    description: str = Field(min_length=1)
    source: SourceRef


class NamedItem(Frozen):
    """An id with a name and a description: components, layers, criteria, cluster types."""

    id: str = Id
    name: Text
    description: str = Field(min_length=1)
    source: SourceRef


class ScoreScale(Frozen):
    min: int
    max: int
    criteria: list[NamedItem] = Field(min_length=1)


class IdentityConstruct(Frozen):
    components: list[NamedItem] = Field(min_length=1)
    layers: list[NamedItem] = Field(min_length=1)
    scores: ScoreScale


class Kpi(Frozen):
    id: str = Id
    family: KpiFamily
    name: Text
    unit: Text
    direction: KpiDirection
    definition: str = Field(min_length=1)
    source: SourceRef


class Country(Frozen):
    id: str = Field(pattern=r"^[A-Z]{2}$")
    name: Text
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    source: SourceRef
    levels: dict[Level, Text]

    @model_validator(mode="after")
    def _all_levels_named(self) -> Country:
        missing = [lvl for lvl in LEVELS if lvl not in self.levels]
        if missing:
            raise ValueError(f"levels must name every level; missing: {', '.join(missing)}")
        return self


class SignificanceGroup(Frozen):
    id: str = Id
    name: Text
    model: str = Id
    model_name: Text
    levels: list[Level] = Field(min_length=1)
    source: SourceRef


class EvidenceParams(Frozen):
    strong_score: float = Field(gt=0)
    present_score: float = Field(gt=0)
    min_audit_elements: int = Field(ge=1)
    step_up_min_strong: int = Field(ge=1)
    source: SourceRef


class Rule(Frozen):
    id: str = Id
    title: Text
    source: SourceRef
    explains: Text


class RuleBook(Frozen):
    significance: list[SignificanceGroup] = Field(min_length=2)
    evidence: EvidenceParams
    rules: list[Rule]

    @model_validator(mode="after")
    def _consistent(self) -> RuleBook:
        order = [g.id for g in self.significance]
        if len(set(order)) != len(order):
            raise ValueError(f"significance groups must have different ids (got {order})")
        # 002, table "Measures": each group up gets the levels of the group below and more, which is
        # also how the file shows that it lists the groups lowest first.
        for lower, higher in zip(self.significance, self.significance[1:]):
            if not set(lower.levels) < set(higher.levels):
                raise ValueError(
                    "significance groups must be listed lowest first, each granting the levels of the one "
                    f"before and more: {higher.id!r} ({', '.join(higher.levels)}) after {lower.id!r} "
                    f"({', '.join(lower.levels)})"
                )
        ids = {r.id for r in self.rules}
        missing = sorted(REQUIRED_RULES - ids)
        if missing:
            raise ValueError(f"rules missing: {', '.join(missing)}")
        errors = [e for r in self.rules for e in _template_errors(r)]
        if errors:
            raise ValueError("; ".join(errors))
        return self

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def group(self, significance: str) -> SignificanceGroup:
        return next(g for g in self.significance if g.id == significance)

    @property
    def order(self) -> tuple[str, ...]:
        """The significance groups lowest first, as the file lists them: what "one step up" means."""
        return tuple(g.id for g in self.significance)

    @property
    def highest_first(self) -> tuple[str, ...]:
        """The significance groups as the method's table reads, strongest identity first."""
        return self.order[::-1]

    def step(self, significance: str, delta: int) -> str | None:
        """The group `delta` steps up (or down) from `significance`; None past either end."""
        i = self.order.index(significance) + delta
        return self.order[i] if 0 <= i < len(self.order) else None


# Every rule the engine fires, with the values it records; a template may use only these.
RULE_PLACEHOLDERS: dict[str, set[str]] = {
    "typology": {"industry", "significance", "model"},
    "evidence_absent": set(),
    "evidence_thin": {"audit_size", "min_audit"},
    "evidence_up": {"strong", "elements", "strong_score", "min_strong", "from", "to"},
    "evidence_up_ceiling": {"strong", "elements", "significance"},
    "evidence_down": {"audit_size", "present_score", "linked", "elements", "from", "to"},
    "evidence_down_floor": {"significance", "linked", "elements"},
    "evidence_hold": {"linked", "strong", "min_strong", "elements"},
    "override": {"from", "to", "by", "justification"},
    "levels": {"significance", "levels"},
    "measures": {"count", "by_level"},
}
REQUIRED_RULES = set(RULE_PLACEHOLDERS)


def _template_errors(rule: Rule) -> list[str]:
    """Placeholders a rule's texts use that the engine does not record (they would fail at run time)."""
    allowed = RULE_PLACEHOLDERS.get(rule.id)
    if allowed is None:
        return []
    errors = []
    for lang in LANGS:
        try:
            used = {name for _, name, _, _ in Formatter().parse(rule.explains.get(lang)) if name is not None}
        except ValueError as exc:
            errors.append(f"rule {rule.id!r}, explains.{lang}: {exc}")
            continue
        unknown = sorted(used - allowed)
        if unknown:
            errors.append(
                f"rule {rule.id!r}, explains.{lang}: unknown placeholder(s) "
                f"{', '.join('{' + u + '}' for u in unknown)}; allowed: {', '.join(sorted(allowed)) or 'none'}"
            )
    return errors


# The growth-point components the engine divides by a `full` value to scale them to 0..1; the others
# (relatedness, a density, and support, a share) are 0..1 already.
SCALED_GROWTH_COMPONENTS = ("identity", "specialization")


class GrowthComponentWeight(Frozen):
    """One part of the growth-point score: its weight, the value that counts as full, and why."""

    weight: float = Field(ge=0, le=1)
    full: float | None = Field(default=None, gt=0)
    description: str = Field(min_length=1)
    source: SourceRef


class GrowthWeights(Frozen):
    """seeds/growth_points.yaml: the weight, scale and meaning of each component, with its source."""

    description: str = Field(min_length=1)
    components: dict[GrowthComponent, GrowthComponentWeight]
    source: SourceRef

    @model_validator(mode="after")
    def _complete(self) -> GrowthWeights:
        missing = [c for c in GROWTH_COMPONENTS if c not in self.components]
        if missing:
            raise ValueError(f"components missing: {', '.join(missing)}")
        total = sum(c.weight for c in self.components.values())
        if abs(total - 1) > 1e-9:
            raise ValueError(f"the weights must add up to 1, they add up to {total:g}")
        for name, part in self.components.items():
            if (part.full is None) == (name in SCALED_GROWTH_COMPONENTS):
                need = "needs a" if part.full is None else "takes no"
                raise ValueError(f"component {name} {need} `full` value")
        return self


class StatusRules(Frozen):
    """seeds/monitoring.yaml: the thresholds that call a KPI on track, at risk or off track."""

    on_track: float = Field(gt=0, le=1)
    at_risk: float = Field(ge=0, le=1)
    flat_tolerance: float = Field(ge=0, lt=1)
    source: SourceRef

    @model_validator(mode="after")
    def _ordered(self) -> StatusRules:
        if self.at_risk > self.on_track:
            raise ValueError("at_risk must not be above on_track")
        return self


class Catalogue(Frozen):
    """Everything in seeds/, validated and cross-checked."""

    sources: list[Source]
    industries: list[Industry]
    measures: list[Measure]
    identity: IdentityConstruct
    cluster_types: list[NamedItem]
    kpis: list[Kpi]
    countries: list[Country]
    rules: RuleBook
    growth_points: GrowthWeights
    monitoring: StatusRules
    size_bands: list[SizeBandScheme]

    def size_band_scheme(self, scheme_id: str) -> SizeBandScheme:
        for s in self.size_bands:
            if s.id == scheme_id:
                return s
        raise KeyError(f"unknown size band scheme {scheme_id!r}")

    def vocabulary(self, kind: Literal["significance", "component", "layer"]) -> tuple[str, ...]:
        """The ids of a list the seeds define, in the seed's order (significance: lowest first)."""
        if kind == "significance":
            return self.rules.order
        return tuple(item.id for item in getattr(self.identity, f"{kind}s"))

    def industry(self, industry_id: str) -> Industry:
        for ind in self.industries:
            if ind.id == industry_id:
                return ind
        raise KeyError(f"unknown industry {industry_id!r}")

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(f"unknown measure {measure_id!r}")

    def country(self, country_id: str) -> Country:
        for c in self.countries:
            if c.id == country_id:
                return c
        raise KeyError(f"unknown country {country_id!r}")

    def level_name(self, country_id: str, level: str, lang: str = "en") -> str:
        """A support level as the country names it ("региональный"); in English with the level's id."""
        try:
            local = self.country(country_id).levels[level].get(lang)
        except KeyError:
            return level
        return local if local == level or lang != "en" else f"{local} ({level})"

    def source(self, doc: str) -> Source:
        for s in self.sources:
            if s.id == doc:
                return s
        raise KeyError(f"unknown source {doc!r}")

    def kpi(self, kpi_id: str) -> Kpi:
        for k in self.kpis:
            if k.id == kpi_id:
                return k
        raise KeyError(f"unknown KPI {kpi_id!r}")

    def code_index(self) -> dict[str, str]:
        """Every code of the crosswalk mapped to its industry id."""
        return {c.code: ind.id for ind in self.industries for c in ind.codes}


# --- citations ----------------------------------------------------------------------------------

# The names a paper gives its parts, said in the reader's language (`cite.<word>` in
# strings/sources.yaml): "Table 3" is "Таблица 3" in Russian and "3-кесте" in Kazakh.
_PAPER_WORDS = {
    "table": "table",
    "tables": "tables",
    "fig.": "figure",
    "figure": "figure",
    "figures": "figures",
    "section": "section",
    "row": "row",
    "line": "line",
    "iteration": "iteration",
}
_PAPER_NAME = re.compile(
    r"\b(tables?|fig\.|figures?|section|row|line|iteration)\s+(\d+(?:\s*[-–]\s*\d+)?)", re.IGNORECASE
)


def locator_text(locator: Text | str, lang: str) -> str:
    """A locator in `lang`: its own translation, or the paper's names of tables and figures translated."""
    if isinstance(locator, Text):
        return locator.get(lang)
    if lang == "en":
        return locator

    def word(m: re.Match) -> str:
        out = t(f"cite.{_PAPER_WORDS[m.group(1).lower()]}", lang, n=m.group(2))
        return out[:1].upper() + out[1:] if m.group(1)[:1].isupper() else out

    return _PAPER_NAME.sub(word, locator)


def cite(ref: SourceRef, catalogue: Catalogue, lang: str = "en") -> str:
    """A citation in the reader's language: the document's short name, then the place in it.

    The one rendering of a `SourceRef` wherever a source is shown (rule explanations, growth
    points, KPI status rules, the roadmap): `cite.ref` in strings/sources.yaml.
    """
    try:
        doc = catalogue.source(ref.doc).short.get(lang)
    except KeyError:  # a project file citing a document the catalogue does not know
        doc = ref.doc
    return t("cite.ref", lang, doc=doc, locator=locator_text(ref.locator, lang))


# file name -> (Catalogue field, model of one entry, or None when the file is one object)
FILES: dict[str, tuple[str, type[BaseModel], bool]] = {
    "sources.yaml": ("sources", Source, True),
    "industries.yaml": ("industries", Industry, True),
    "measures.yaml": ("measures", Measure, True),
    "identity.yaml": ("identity", IdentityConstruct, False),
    "cluster_types.yaml": ("cluster_types", NamedItem, True),
    "kpis.yaml": ("kpis", Kpi, True),
    "countries.yaml": ("countries", Country, True),
    "rules.yaml": ("rules", RuleBook, False),
    "growth_points.yaml": ("growth_points", GrowthWeights, False),
    "monitoring.yaml": ("monitoring", StatusRules, False),
    "size_bands.yaml": ("size_bands", SizeBandScheme, True),
}

M = TypeVar("M", bound=BaseModel)


def _load_list(path: Path, model: type[M], raw: Any, errors: list[str]) -> list[M]:
    if not isinstance(raw, list):
        errors.append(f"{path}: expected a list of entries, got {type(raw).__name__}")
        return []
    out: list[M] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        label = f"{path}: {entry_label(i, item)}"
        try:
            obj = model.model_validate(item)
        except ValidationError as exc:
            errors.extend(describe_validation(exc, label))
            continue
        ident = getattr(obj, "id", None)
        if ident is not None:
            if ident in seen:
                errors.append(f"{label}, field id: {ident!r} is already used by entry {seen[ident] + 1}")
                continue
            seen[ident] = i
        out.append(obj)
    return out


def _load_object(path: Path, model: type[M], raw: Any, errors: list[str]) -> M | None:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors.extend(describe_validation(exc, str(path)))
        return None


def _cross_check(parts: dict[str, Any], seeds_dir: Path) -> list[str]:
    """Checks that span entries or files: codes claimed twice, an industry's significance that is no
    group of rules.yaml, sources that do not exist."""
    errors: list[str] = []
    if "rules" in parts:
        groups = parts["rules"].order
        for i, ind in enumerate(parts.get("industries", [])):
            if ind.significance not in groups:
                errors.append(
                    f"{seeds_dir / 'industries.yaml'}: entry {i + 1} ({ind.id!r}), field significance: "
                    f"{ind.significance!r} is not a significance group of rules.yaml ({', '.join(groups)})"
                )
    claimed: dict[str, str] = {}
    for i, ind in enumerate(parts.get("industries", [])):
        for j, code in enumerate(ind.codes):
            owner = claimed.get(code.code)
            if owner is not None:
                errors.append(
                    f"{seeds_dir / 'industries.yaml'}: entry {i + 1} ({ind.id!r}), field codes[{j}].code: "
                    f"code {code.code} is already claimed by {owner!r}; a code belongs to at most one industry"
                )
            else:
                claimed[code.code] = ind.id
    known = {s.id for s in parts.get("sources", [])}
    for file, (field, _, is_list) in FILES.items():
        if field == "sources" or field not in parts:
            continue
        for where, doc in _source_docs(parts[field], is_list):
            if doc not in known:
                errors.append(f"{seeds_dir / file}: {where}: source {doc!r} is not in sources.yaml")
    return errors


def _source_docs(value: Any, is_list: bool) -> list[tuple[str, str]]:
    """(place, doc id) for every source reference inside a loaded seed value."""
    found: list[tuple[str, str]] = []

    def walk(obj: Any, where: str) -> None:
        if isinstance(obj, SourceRef):
            found.append((where, obj.doc))
        elif isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                sub = getattr(obj, name)
                if name in ("refs", "code_sources"):
                    found.extend((f"{where}, field {name}", doc) for doc in sub)
                else:
                    walk(sub, f"{where}, field {name}" if where else f"field {name}")
        elif isinstance(obj, (list, tuple)):
            for _k, item in enumerate(obj):
                walk(item, where)
        elif isinstance(obj, dict):
            for key, item in obj.items():
                walk(item, f"{where}.{key}")

    if is_list:
        for i, item in enumerate(value):
            walk(item, f"entry {i + 1} ({getattr(item, 'id', '?')!r})")
    else:
        walk(value, "")
    return found


def load_catalogue(seeds_dir: Path | str | None = None) -> Catalogue:
    """Load and validate every seed file; raise SeedError listing every problem found."""
    seeds_dir = Path(seeds_dir) if seeds_dir is not None else SEEDS_DIR
    errors: list[str] = []
    parts: dict[str, Any] = {}
    for file, (field, model, is_list) in FILES.items():
        path = seeds_dir / file
        try:
            raw = read_yaml(path)
        except SeedError as exc:
            errors.append(str(exc))
            continue
        loaded = _load_list(path, model, raw, errors) if is_list else _load_object(path, model, raw, errors)
        if loaded is not None:
            parts[field] = loaded
    errors.extend(_cross_check(parts, seeds_dir))
    if errors:
        raise SeedError("\n".join(errors))
    return Catalogue(**parts)


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The catalogue in the repository's seeds/, loaded once per process (it is immutable)."""
    return load_catalogue()
