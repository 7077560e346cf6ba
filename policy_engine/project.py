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

from pydantic_core import PydanticCustomError
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from .catalogue import Catalogue, Level, Significance, SourceRef
from .issues import Issue, from_validation

SCHEMA_VERSION = 1

Slug = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=1, max_length=80)
Score = Field(ge=1, le=5, strict=True)  # strict: JSON `true` is not a score
Sector = Literal["government", "university", "business", "community"]
Component = Literal["material", "symbolic"]
Layer = Literal["historical", "cultural", "environmental", "social", "technological"]
FundingSource = Literal["federal", "regional", "municipal", "private"]
FUNDING_SOURCES_ORDER = ("federal", "regional", "municipal", "private")


class ProjectError(ValueError):
    """A project document that cannot be used: `issues` (coded, policy_engine/issues.py) names every
    bad field; `errors` has the same in English, one line each, for the CLI."""

    def __init__(self, issues: "list[Issue]"):
        self.issues = list(issues)
        self.errors = [i.text("en") for i in self.issues]
        super().__init__("; ".join(self.errors))


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
            raise PydanticCustomError("sourced_without_source", "a sourced value must name its source")
        return self


class Municipality(Model):
    """A municipality of the region: `name` as the register writes it (rows are matched on it), its
    names in the working languages, and its official code (OKTMO in Russia, KATO in Kazakhstan)."""

    name: str = Field(min_length=1, max_length=200)
    names: dict[Literal["ru", "kk", "en"], str] = {}
    code: str | None = Field(default=None, pattern=r"^[0-9A-Za-z]{1,20}$")
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


class Signatory(Model):
    """Who signs the roadmap off, and as what: it is approved, agreed or prepared by them."""

    stage: Literal["approved", "agreed", "prepared"]
    name: str = Field(min_length=1)
    position: str = ""


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
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")  # None: the country's own currency
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
            raise PydanticCustomError("needs_reason", "a written reason is needed (at least 5 characters)")
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
            raise PydanticCustomError("override_by", "an override must name who made it")
        return value

    @field_validator("justification")
    @classmethod
    def _justified(cls, value: str) -> str:
        if len(value.strip()) < 10:
            raise PydanticCustomError("override_justification", "an override needs a written justification")
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
            raise PydanticCustomError("end_before_start", "the end is before the start", {"start": self.start.isoformat(), "end": self.end.isoformat()})
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
            raise PydanticCustomError("negative_budget", "a budget must not be negative", {"value": bad})
        return value

    @model_validator(mode="after")
    def _ordered(self) -> "Pilot":
        if self.end < self.start:
            raise PydanticCustomError("end_before_start", "the end is before the start", {"start": self.start.isoformat(), "end": self.end.isoformat()})
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
            raise PydanticCustomError("sourced_years", "sourced years have no actual", {"value": missing})
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
            raise PydanticCustomError("feedback_empty", "a feedback entry needs an issue or an opportunity")
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
            raise PydanticCustomError("needs_reason", "a written reason is needed")
        return value


class AnnualReview(Model):
    """The review that closes a cycle (iteration 6): decisions on measures and a summary."""

    year: int = Field(ge=1990, le=2100)
    reviewed_on: date | None = None
    summary: str = ""
    decisions: list[MeasureDecision] = []


class KpiResult(Model):
    """One KPI's standing when its cycle closed, carried into the next cycle.

    Nothing in it depends on a language: a catalogue KPI is named from its id when shown
    (monitoring.result_name); only a custom KPI keeps its own `name`, the user's text. Files written
    before kept a catalogue KPI's name in one language here too; it is ignored for catalogue KPIs."""

    kpi: str
    name: str = ""
    custom: bool = False  # a KPI the region defined itself, named by `name`
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
    signatories: list[Signatory] = []
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
            raise PydanticCustomError("schema_version", "unsupported schema version", {"value": value, "supported": SCHEMA_VERSION})
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
                raise ProjectError([Issue(code="not_utf8", values={"byte": exc.start})]) from None
        try:
            data = json.loads(text)
        except RecursionError:
            raise ProjectError([Issue(code="too_deep")]) from None
        except json.JSONDecodeError as exc:
            hint = " (the document ends too early: is the file truncated?)" if exc.pos >= len(text.rstrip()) else ""
            code = "truncated_json" if hint else "not_json_at"
            raise ProjectError([Issue(code=code, values={"line": exc.lineno, "column": exc.colno})]) from None
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: object) -> "Project":
        if not isinstance(data, dict):
            raise ProjectError([Issue(code="not_a_project")])
        errors = []
        if "schema_version" not in data:
            errors.append(Issue(code="required", path=("schema_version",)))
        try:
            project = cls.model_validate(data)
        except ValidationError as exc:
            errors += from_validation(exc)
        if errors:
            raise ProjectError(errors)
        return project


def check_references(project: Project, catalogue: Catalogue) -> list[str]:
    """What the store would refuse in this project (a name that points nowhere, control characters), in
    English for the command line; policy_engine/validation.py has the checks, as coded issues."""
    from .validation import check

    return [i.text("en") for i in check(project, catalogue)]
