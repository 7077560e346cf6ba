"""One region's project across the six iterations of the method, as pydantic models.

The project is the unit people save, share and sign off. It is plain data: the engine computes
classifications, clusters and reports from it and never stores derived results in it, so a
project file stays small and cannot disagree with the rules. It saves as JSON with a
`schema_version`, so later versions of the tool can migrate old files.

Iterations (002, Table 1): 1 identity audit -> region, identity_elements, economy, actors, ties;
2 clustering -> clusters; 3 measure design -> overrides, measures; 4 pilots -> pilots,
single_window; 5 promotion -> promotion; 6 monitoring -> kpis, feedback, review. Closing a cycle
moves the review and the KPI results into previous_cycles (policy_engine/cycles.py).
"""

from __future__ import annotations

import json
from datetime import date
from statistics import fmean
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .catalogue import Catalogue, Level, Significance, SourceRef
from .seedfile import format_loc

SCHEMA_VERSION = 1

Slug = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=1, max_length=80)
Score = Field(ge=1, le=5, strict=True)  # strict: JSON `true` is not a score
Sector = Literal["government", "university", "business", "community"]
Component = Literal["material", "symbolic"]
Layer = Literal["historical", "cultural", "environmental", "social", "technological"]
FundingSource = Literal["federal", "regional", "municipal", "private"]
FUNDING_SOURCES_ORDER = ("federal", "regional", "municipal", "private")


class ProjectError(ValueError):
    """A project document that cannot be used; `errors` has one line per bad field."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


class Model(BaseModel):
    """Project models refuse unknown keys so a misspelt field is reported, not dropped."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class Provenance(Model):
    """Whether a value comes from a document (`sourced`) or was made up to illustrate (`illustrative`)."""

    basis: Literal["sourced", "illustrative", "user"] = "user"
    source: SourceRef | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _sourced_has_source(self) -> "Provenance":
        if self.basis == "sourced" and self.source is None:
            raise ValueError("a sourced value must name its source (doc and locator)")
        return self


class Municipality(Model):
    name: str = Field(min_length=1)
    kind: Literal["city", "district", "other"] = "district"
    population: int | None = Field(default=None, ge=0)


class ProfileFact(Model):
    """A line of the regional profile (e.g. area, population, universities)."""

    label: str = Field(min_length=1)
    value: str = Field(min_length=1)
    provenance: Provenance = Provenance()


class Region(Model):
    name: str = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    capital: str | None = None
    population: int | None = Field(default=None, ge=0)
    area_km2: float | None = Field(default=None, ge=0)
    municipalities: list[Municipality] = []
    profile: list[ProfileFact] = []
    positioning: str | None = None  # the region's unique value proposition, result of iteration 1


class Member(Model):
    name: str = Field(min_length=1)
    role: str = ""
    organisation: str = ""


class Scores(Model):
    """Audit scores of an identity element, each 1 (weak) to 5 (strong); see seeds/identity.yaml."""

    uniqueness: int = Score
    recognition: int = Score
    vitality: int = Score

    @property
    def strength(self) -> float:
        return round(fmean([self.uniqueness, self.recognition, self.vitality]), 2)


class IdentityElement(Model):
    id: str = Slug
    name: str = Field(min_length=1)
    description: str = ""
    component: Component
    layer: Layer
    municipality: str | None = None
    scores: Scores
    industries: list[str] = []
    provenance: Provenance = Provenance()

    @property
    def strength(self) -> float:
        return self.scores.strength


class GvaRecord(Model):
    """Creative gross value added and gross regional product of one territory in one year."""

    year: int = Field(ge=1990, le=2100)
    territory: str = Field(min_length=1)
    creative_gva: float = Field(ge=0)
    grp: float = Field(gt=0)
    provenance: Provenance = Provenance()

    @property
    def share(self) -> float:
        """Creative share of GRP, in per cent."""
        return 100.0 * self.creative_gva / self.grp


class EmploymentRecord(Model):
    municipality: str = Field(min_length=1)
    industry: str = Field(min_length=1)
    firms: int = Field(ge=0)
    employees: float = Field(ge=0)  # registers count full-time equivalents too (12,5)
    provenance: Provenance = Provenance()


class CreativeEconomy(Model):
    currency: str = Field(default="KZT", pattern=r"^[A-Z]{3}$")
    unit: str = "thousand"
    region_territory: str | None = None  # which `territory` in gva is the region itself
    nation_territory: str | None = None  # and which is the nation, for the region's LQ
    gva: list[GvaRecord] = []
    employment: list[EmploymentRecord] = []


class CrosswalkChange(Model):
    """A region's own adjustment of the code crosswalk: put `code` in `industry`, or (None) out of the
    creative list. Regions approve their own lists (Krasnodar krai: 26 priority directions, 2025),
    so the adjustment is allowed, but only with a recorded reason."""

    code: str = Field(pattern=r"^\d{2}(\.\d{1,2}){0,3}$")
    industry: str | None
    reason: str
    by: str = ""

    @field_validator("reason")
    @classmethod
    def _has_reason(cls, value: str) -> str:
        if len(value.strip()) < 5:
            raise ValueError("a crosswalk change needs a recorded reason")
        return value


class Actor(Model):
    id: str = Slug
    name: str = Field(min_length=1)
    sector: Sector
    level: Level
    municipality: str | None = None
    industries: list[str] = []
    provenance: Provenance = Provenance()


class Tie(Model):
    source: str = Field(min_length=1)
    target: str = Field(min_length=1)
    kind: str = "cooperation"
    strength: int = Score


class Cluster(Model):
    id: str = Slug
    name: str = Field(min_length=1)
    industries: list[str] = Field(min_length=1)
    identity_elements: list[str] = []
    target_image: str = ""
    formation_type: str | None = None
    anchor_municipality: str | None = None
    lead_actors: list[str] = []
    status: Literal["proposed", "accepted"] = "accepted"


class Override(Model):
    """A facilitator's decision to set an industry's significance by hand.

    The method lets people overrule the typology, but a signed policy must say why, so an
    override without a written justification is refused.
    """

    industry: str = Field(min_length=1)
    significance: Significance
    justification: str
    by: str
    decided_on: date | None = None

    @field_validator("by")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an override must name who made it")
        return value

    @field_validator("justification")
    @classmethod
    def _justified(cls, value: str) -> str:
        if len(value.strip()) < 10:
            raise ValueError(
                "an override needs a written justification (at least 10 characters) saying why "
                "the region's case differs from the typology"
            )
        return value


class SelectedMeasure(Model):
    """A catalogue measure chosen for a cluster (or for the whole region when cluster is None)."""

    measure: str = Field(min_length=1)
    cluster: str | None = None
    owner: str = ""
    budget: float = Field(default=0, ge=0)
    start: date | None = None
    end: date | None = None
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> "SelectedMeasure":
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Milestone(Model):
    name: str = Field(min_length=1)
    due: date
    done: bool = False


class Pilot(Model):
    id: str = Slug
    name: str = Field(min_length=1)
    cluster: str | None = None
    measures: list[str] = []
    owner: str = ""
    partners: list[str] = []
    budget: dict[FundingSource, float] = {}
    start: date
    end: date
    milestones: list[Milestone] = []
    status: Literal["planned", "running", "delivered", "stalled", "cancelled"] = "planned"
    success_story: str | None = None
    provenance: Provenance = Provenance()

    @field_validator("budget")
    @classmethod
    def _non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in value.items() if v < 0]
        if bad:
            raise ValueError(f"budget must not be negative ({', '.join(bad)})")
        return value

    @model_validator(mode="after")
    def _ordered(self) -> "Pilot":
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class SingleWindow(Model):
    """Who answers creative entrepreneurs, where and how (iteration 4)."""

    who: str = ""
    where: str = ""
    how: str = ""


class Story(Model):
    """A cluster's story built from its identity: place, tradition, people, today's form."""

    cluster: str = Field(min_length=1)
    place: str = ""
    tradition: str = ""
    people: str = ""
    today: str = ""


class Event(Model):
    name: str = Field(min_length=1)
    kind: Literal["festival", "exhibition", "market", "forum", "competition", "other"] = "festival"
    start: date
    end: date | None = None
    venue: str = ""
    municipality: str | None = None
    audience: str = ""
    cluster: str | None = None
    provenance: Provenance = Provenance()


class Promotion(Model):
    narrative: str = ""
    values: list[str] = []
    audiences_inside: list[str] = []
    audiences_outside: list[str] = []
    stories: list[Story] = []
    events: list[Event] = []


class CustomKpi(Model):
    """A KPI the region adds beyond the catalogue."""

    name: str = Field(min_length=1)
    family: Literal["economic", "socio_cultural", "reputational"]
    unit: str = Field(min_length=1)
    direction: Literal["increase", "decrease"] = "increase"
    definition: str = ""


class KpiTrack(Model):
    """One KPI's baseline, yearly targets and yearly actuals."""

    kpi: str = Slug
    custom: CustomKpi | None = None
    baseline_year: int = Field(ge=1990, le=2100)
    baseline: float
    targets: dict[int, float] = {}
    actuals: dict[int, float] = {}
    provenance: Provenance = Provenance()
    sourced_years: list[int] = []  # actuals taken from provenance.source; the other years are not

    @model_validator(mode="after")
    def _sourced_years_have_actuals(self) -> "KpiTrack":
        missing = [y for y in self.sourced_years if y not in self.actuals]
        if missing:
            raise ValueError(f"sourced_years {missing} have no actual value")
        return self


class FeedbackItem(Model):
    """One entry of the dialogue with the creative community (iteration 6): what was raised and the answer."""

    received: date  # (not `on`: YAML reads that key as true)
    source: str = Field(min_length=1)  # who raised it, or where: a round table, the single window, a survey
    issue: str = ""
    opportunity: str = ""
    response: str = ""

    @model_validator(mode="after")
    def _says_something(self) -> "FeedbackItem":
        if not (self.issue.strip() or self.opportunity.strip()):
            raise ValueError("a feedback entry needs an issue or an opportunity")
        return self


class MeasureDecision(Model):
    """The annual review's verdict on one chosen measure: keep, adjust or drop it, and why."""

    measure: str = Field(min_length=1)
    cluster: str | None = None
    action: Literal["keep", "adjust", "drop"]
    reason: str
    change: str = ""  # for `adjust`: what changes next cycle

    @field_validator("reason")
    @classmethod
    def _has_reason(cls, value: str) -> str:
        if len(value.strip()) < 5:
            raise ValueError("a review decision needs a written reason")
        return value


class AnnualReview(Model):
    """The review that closes a cycle (iteration 6): decisions on measures and a summary."""

    year: int = Field(ge=1990, le=2100)
    reviewed_on: date | None = None
    summary: str = ""
    decisions: list[MeasureDecision] = []


class KpiResult(Model):
    """One KPI's standing when its cycle closed, carried into the next cycle."""

    kpi: str
    name: str
    year: int | None
    actual: float | None
    planned: float | None
    status: Literal["on_track", "at_risk", "off_track", "no_data"]


class CycleSummary(Model):
    """What a closed cycle left to the next: KPI results and the review's decisions."""

    cycle: int = Field(ge=1)
    closed_on: date
    results: list[KpiResult] = []
    decisions: list[MeasureDecision] = []
    summary: str = ""


class Project(Model):
    """A region's individualized support policy for creative industries."""

    schema_version: int = SCHEMA_VERSION
    id: str = Slug
    region: Region
    cycle: int = Field(default=1, ge=1)
    iteration: int = Field(default=1, ge=1, le=6)
    working_group: list[Member] = []
    next_review: date | None = None
    identity_elements: list[IdentityElement] = []
    economy: CreativeEconomy = CreativeEconomy()
    crosswalk: list[CrosswalkChange] = []
    actors: list[Actor] = []
    ties: list[Tie] = []
    clusters: list[Cluster] = []
    overrides: list[Override] = []
    measures: list[SelectedMeasure] = []
    pilots: list[Pilot] = []
    single_window: SingleWindow = SingleWindow()
    promotion: Promotion = Promotion()
    kpis: list[KpiTrack] = []
    feedback: list[FeedbackItem] = []
    review: AnnualReview | None = None
    previous_cycles: list[CycleSummary] = []

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise ValueError(f"schema_version {value} is not supported; this version reads {SCHEMA_VERSION}")
        return value

    def to_json(self) -> str:
        """The canonical JSON form: two-space indent, UTF-8 text as is, trailing newline."""
        return self.model_dump_json(indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> "Project":
        """Parse a project document; raise ProjectError naming every bad field."""
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ProjectError([f"the file is not UTF-8 text (byte {exc.start})"]) from None
        try:
            data = json.loads(text)
        except RecursionError:
            raise ProjectError(["not a project: the JSON is nested too deeply"]) from None
        except json.JSONDecodeError as exc:
            hint = " (the document ends too early: is the file truncated?)" if exc.pos >= len(text.rstrip()) else ""
            raise ProjectError([f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}{hint}"]) from None
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: object) -> "Project":
        if not isinstance(data, dict):
            raise ProjectError([f"a project is a JSON object, got {type(data).__name__}"])
        errors = []
        if "schema_version" not in data:
            errors.append("schema_version: Field required (a project file says which schema it follows)")
        try:
            project = cls.model_validate(data)
        except ValidationError as exc:
            errors += [f"{format_loc(e['loc'])}: {e['msg']}" for e in exc.errors()]
        if errors:
            raise ProjectError(errors)
        return project


def check_references(project: Project, catalogue: Catalogue) -> list[str]:
    """Errors where the project names something that does not exist (industry, measure, actor...).

    Pydantic checks each field's shape; this checks that the ids point somewhere, against the
    catalogue and inside the project, so a renamed cluster or a typo in a measure id is caught.
    """
    errors: list[str] = []
    industries = {i.id for i in catalogue.industries}
    measures = {m.id for m in catalogue.measures}
    kpis = {k.id for k in catalogue.kpis}
    cluster_types = {t.id for t in catalogue.cluster_types}
    countries = {c.id for c in catalogue.countries}
    elements = {e.id for e in project.identity_elements}
    actors = {a.id for a in project.actors}
    clusters = {c.id for c in project.clusters}

    def need(value: str | None, known: set[str], where: str, what: str) -> None:
        if value is not None and value not in known:
            errors.append(f"{where}: unknown {what} {value!r}")

    need(project.region.country, countries, "region.country", "country")
    for field, items in (("identity_elements", project.identity_elements), ("actors", project.actors),
                         ("clusters", project.clusters), ("pilots", project.pilots)):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                errors.append(f"{field}[{i}].id: {item.id!r} is used twice")
            seen.add(item.id)
    for i, e in enumerate(project.identity_elements):
        for ind in e.industries:
            need(ind, industries, f"identity_elements[{i}].industries", "industry")
    for i, rec in enumerate(project.economy.employment):
        need(rec.industry, industries | {"non_creative"}, f"economy.employment[{i}].industry", "industry")
    for i, ch in enumerate(project.crosswalk):
        need(ch.industry, industries, f"crosswalk[{i}].industry", "industry")
    for i, a in enumerate(project.actors):
        for ind in a.industries:
            need(ind, industries, f"actors[{i}].industries", "industry")
    for i, t in enumerate(project.ties):
        need(t.source, actors, f"ties[{i}].source", "actor")
        need(t.target, actors, f"ties[{i}].target", "actor")
    for i, c in enumerate(project.clusters):
        for ind in c.industries:
            need(ind, industries, f"clusters[{i}].industries", "industry")
        for el in c.identity_elements:
            need(el, elements, f"clusters[{i}].identity_elements", "identity element")
        for a in c.lead_actors:
            need(a, actors, f"clusters[{i}].lead_actors", "actor")
        need(c.formation_type, cluster_types, f"clusters[{i}].formation_type", "formation type")
    overridden: set[str] = set()
    for i, o in enumerate(project.overrides):
        need(o.industry, industries, f"overrides[{i}].industry", "industry")
        if o.industry in overridden:
            errors.append(f"overrides[{i}].industry: {o.industry!r} is overridden twice")
        overridden.add(o.industry)
    for i, m in enumerate(project.measures):
        need(m.measure, measures, f"measures[{i}].measure", "measure")
        need(m.cluster, clusters, f"measures[{i}].cluster", "cluster")
    for i, p in enumerate(project.pilots):
        need(p.cluster, clusters, f"pilots[{i}].cluster", "cluster")
        for m in p.measures:
            need(m, measures, f"pilots[{i}].measures", "measure")
    for i, s in enumerate(project.promotion.stories):
        need(s.cluster, clusters, f"promotion.stories[{i}].cluster", "cluster")
    for i, ev in enumerate(project.promotion.events):
        need(ev.cluster, clusters, f"promotion.events[{i}].cluster", "cluster")
    if project.review is not None:
        for i, d in enumerate(project.review.decisions):
            need(d.measure, measures, f"review.decisions[{i}].measure", "measure")
            need(d.cluster, clusters, f"review.decisions[{i}].cluster", "cluster")
    for i, k in enumerate(project.kpis):
        if k.custom is None:
            need(k.kpi, kpis, f"kpis[{i}].kpi", "KPI (add `custom` to define your own)")
    return errors

