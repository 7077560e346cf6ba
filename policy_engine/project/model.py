"""One region's project across the six iterations of the method, as pydantic models.

The project is the unit people save, share and sign off. It is plain data: the engine computes
classifications, clusters and reports from it and never stores derived results in it, so a
project file stays small and cannot disagree with the rules. It saves as JSON with a
`schema_version`, so later versions of the tool can migrate old files.

Iterations (002, Table 1): 1 identity audit -> region, identity_elements, economy, actors, ties;
2 clustering -> clusters; 3 measure design -> overrides, measures; 4 pilots -> pilots,
single_window; 5 promotion -> promotion; 6 monitoring -> kpis, feedback, review. Closing a cycle
moves the review and the KPI results into previous_cycles (policy_engine/wizard/cycles.py).
"""

from __future__ import annotations

import json
from datetime import date
from statistics import fmean
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from policy_engine.method.catalogue import Catalogue, SourceRef
from policy_engine.method.vocabulary import (
    EventKind,
    FundingSource,
    KpiDirection,
    KpiFamily,
    KpiVerdict,
    Lang,
    Level,
    MunicipalityKind,
    OutlineType,
    ParticipantRole,
    PilotStatus,
    QuestionKind,
    ReviewAction,
    Sector,
    SignatoryStage,
    WorkshopUse,
)
from policy_engine.project.issues import Issue, from_validation

SCHEMA_VERSION = 1

# Bounds of a project, declared once here (README, "Limits and safety"). A project is typed by
# people and read back on every page, so nothing in it may be so long, so many or so large that it
# stalls a page, overflows a number format or fills the database: past a bound the field is refused
# with a coded issue naming the field and the limit (issue.too_long, too_many, below…).
NAME_MAX = 500  # characters of a name, title, label or short answer
TEXT_MAX = 10_000  # characters of a description, note, reason, story or summary
ITEMS_MAX = 5_000  # entries of a list: identity elements, actors, municipalities, clusters, measures, pilots,
#                   events, KPIs, milestones…
ROWS_MAX = 50_000  # rows of a table: the economy's records, the ties between actors (200 districts × 40
# industries is 8,000 employment rows; 50,000 of them are 12.5 MB of the document, well inside its limit)
POPULATION_MAX = 10**10  # people, firms or employees: more than live on Earth is a typo
AREA_MAX_KM2 = 10**8  # all of Earth's land is 1.5 × 10⁸ km²
AMOUNT_MAX = 10**15  # money, value added and KPI values, in the project's own unit
CYCLE_MAX = 1_000  # annual cycles
PROJECT_MAX_BYTES = 20 * 1024 * 1024  # a whole project document, as a file and as stored

T = TypeVar("T")
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX)]  # a name that must be given
Short = Annotated[str, Field(max_length=NAME_MAX)]  # a short text that may be empty
LongText = Annotated[str, Field(max_length=TEXT_MAX)]
Items = Annotated[list[T], Field(max_length=ITEMS_MAX)]
Rows = Annotated[list[T], Field(max_length=ROWS_MAX)]
Year = Annotated[int, Field(ge=1990, le=2100)]
Count = Annotated[int, Field(ge=0, lt=POPULATION_MAX)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Amount = Annotated[float, Field(ge=0, lt=AMOUNT_MAX)]  # finite: the model refuses NaN and infinity
Value = Annotated[float, Field(gt=-AMOUNT_MAX, lt=AMOUNT_MAX)]  # a KPI's value, which may be negative

Slug = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", min_length=1, max_length=80)
Score = Field(ge=1, le=5, strict=True)  # strict: JSON `true` is not a score
# Words a seed defines are kept as the seed's ids, checked against the catalogue in
# policy_engine/project/validation.py (`references`) like every other catalogue id, so a layer added to
# seeds/identity.yaml is a layer the project takes; the closed lists of code are Literals
# (policy_engine/method/vocabulary.py).
SeedId = Annotated[str, Field(min_length=1, max_length=60)]


class ProjectError(ValueError):
    """A project document that cannot be used: `issues` (coded, policy_engine/project/issues.py) names every
    bad field; `errors` has the same in English, one line each, for the CLI."""

    def __init__(self, issues: list[Issue]):
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
    note: LongText | None = None

    @model_validator(mode="after")
    def _sourced_has_source(self) -> Provenance:
        if self.basis == "sourced" and self.source is None:
            raise PydanticCustomError("sourced_without_source", "a sourced value must name its source")
        return self


class Municipality(Model):
    """A municipality of the region: `name` as the register writes it (rows are matched on it), its
    names in the working languages, and its official code (OKTMO in Russia, KATO in Kazakhstan)."""

    name: Name
    names: dict[Lang, Short] = {}
    code: str | None = Field(default=None, pattern=r"^[0-9A-Za-z]{1,20}$")
    kind: MunicipalityKind = "district"
    population: Count | None = None
    aliases: Items[Name] = []  # other ways registers name it (mapped by the facilitator), matched on import
    centre: tuple[Latitude, Longitude] | None = None  # where the map draws it without a boundary (lat, lon)


class Boundary(Model):
    """A municipality's outline on the map, from a file the region's GIS office gives (GeoJSON or TopoJSON,
    diagnostics/boundaries.py): rings of (lon, lat) points, as GeoJSON writes them, rounded to 4 decimals."""

    municipality: Name
    type: OutlineType
    coordinates: list[Any]


class ProfileFact(Model):
    """A line of the regional profile (e.g. area, population, universities)."""

    label: Name
    value: Name
    provenance: Provenance = Provenance()


class Region(Model):
    name: Name
    country: str = Field(pattern=r"^[A-Z]{2}$")
    capital: Short | None = None
    population: Count | None = None
    area_km2: float | None = Field(default=None, ge=0, lt=AREA_MAX_KM2)
    municipalities: Items[Municipality] = []
    boundaries: Items[Boundary] = []
    boundaries_source: Short | None = None  # the file the outlines came from, as the user named it
    profile: Items[ProfileFact] = []
    positioning: LongText | None = None  # the region's unique value proposition, result of iteration 1


class Member(Model):
    name: Name
    role: Short = ""
    organisation: Short = ""


class Signatory(Model):
    """Who signs the roadmap off, and as what: it is approved, agreed or prepared by them."""

    stage: SignatoryStage
    name: Name
    position: Short = ""


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
    name: Name
    description: LongText = ""
    component: SeedId  # seeds/identity.yaml, components
    layer: SeedId  # seeds/identity.yaml, layers
    municipality: Short | None = None
    scores: Scores
    industries: Items[Short] = []
    provenance: Provenance = Provenance()

    @property
    def strength(self) -> float:
        return self.scores.strength


class GvaRecord(Model):
    """Creative gross value added and gross regional product of one territory in one year."""

    year: Year
    territory: Name
    creative_gva: Amount
    grp: float = Field(gt=0, lt=AMOUNT_MAX)
    provenance: Provenance = Provenance()

    @property
    def share(self) -> float:
        """Creative share of GRP, in per cent."""
        return 100.0 * self.creative_gva / self.grp


class EmploymentRecord(Model):
    """Firms and employees of one municipality in one industry. When some firms stated only a size band,
    `employees` is an estimate and `employees_low`/`employees_high` bound it (diagnostics/sizebands.py)."""

    municipality: Name
    industry: Name
    firms: Count
    employees: float = Field(ge=0, lt=POPULATION_MAX)  # registers count full-time equivalents too (12,5)
    employees_low: float | None = Field(default=None, ge=0, lt=POPULATION_MAX)
    employees_high: float | None = Field(default=None, ge=0, lt=POPULATION_MAX)
    provenance: Provenance = Provenance()

    @model_validator(mode="after")
    def _range_holds_estimate(self) -> EmploymentRecord:
        low = self.employees if self.employees_low is None else self.employees_low
        high = self.employees if self.employees_high is None else self.employees_high
        if not low <= self.employees * (1 + 1e-9) + 1e-9 or not self.employees <= high * (1 + 1e-9) + 1e-9:
            raise PydanticCustomError("range_outside", "employees must lie within employees_low and employees_high")
        return self


class CreativeEconomy(Model):
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")  # None: the country's own currency
    unit: Short = "thousand"
    region_territory: Short | None = None  # which `territory` in gva is the region itself
    nation_territory: Short | None = None  # and which is the nation, for the region's LQ
    gva: Rows[GvaRecord] = []
    employment: Rows[EmploymentRecord] = []


class CrosswalkChange(Model):
    """A region's own adjustment of the code crosswalk: put `code` in `industry`, or (None) out of the
    creative list. Regions approve their own lists (Krasnodar krai: 26 priority directions, 2025),
    so the adjustment is allowed, but only with a recorded reason."""

    code: str = Field(pattern=r"^\d{2}(\.\d{1,2}){0,3}$")
    industry: Short | None
    reason: LongText
    by: Short = ""

    @field_validator("reason")
    @classmethod
    def _has_reason(cls, value: str) -> str:
        if len(value.strip()) < 5:
            raise PydanticCustomError("needs_reason", "a written reason is needed (at least 5 characters)")
        return value


class Actor(Model):
    id: str = Slug
    name: Name
    sector: Sector
    level: Level
    municipality: Short | None = None
    industries: Items[Short] = []
    provenance: Provenance = Provenance()


class Tie(Model):
    source: Name
    target: Name
    kind: Short = "cooperation"
    strength: int = Score


class Cluster(Model):
    id: str = Slug
    name: Name
    industries: list[Short] = Field(min_length=1, max_length=ITEMS_MAX)
    identity_elements: Items[Short] = []
    target_image: LongText = ""
    formation_type: Short | None = None
    anchor_municipality: Short | None = None
    lead_actors: Items[Short] = []
    status: Literal["proposed", "accepted"] = "accepted"


class Override(Model):
    """A facilitator's decision to set an industry's significance by hand.

    The method lets people overrule the typology, but a signed policy must say why, so an
    override without a written justification is refused.
    """

    industry: Name
    significance: SeedId  # a group of seeds/rules.yaml
    justification: LongText
    by: Short
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

    measure: Name
    cluster: Short | None = None
    owner: Short = ""
    budget: Amount = 0
    start: date | None = None
    end: date | None = None
    note: LongText = ""

    @model_validator(mode="after")
    def _ordered(self) -> SelectedMeasure:
        if self.start and self.end and self.end < self.start:
            raise PydanticCustomError(
                "end_before_start",
                "the end is before the start",
                {"start": self.start.isoformat(), "end": self.end.isoformat()},
            )
        return self


class Milestone(Model):
    name: Name
    due: date
    done: bool = False


class Pilot(Model):
    id: str = Slug
    name: Name
    cluster: Short | None = None
    measures: Items[Short] = []
    owner: Short = ""
    partners: Items[Short] = []
    budget: dict[FundingSource, Annotated[float, Field(lt=AMOUNT_MAX)]] = {}  # not negative: _non_negative
    start: date
    end: date
    milestones: Items[Milestone] = []
    status: PilotStatus = "planned"
    success_story: LongText | None = None
    provenance: Provenance = Provenance()

    @field_validator("budget")
    @classmethod
    def _non_negative(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in value.items() if v < 0]
        if bad:
            raise PydanticCustomError("negative_budget", "a budget must not be negative", {"value": bad})
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Pilot:
        if self.end < self.start:
            raise PydanticCustomError(
                "end_before_start",
                "the end is before the start",
                {"start": self.start.isoformat(), "end": self.end.isoformat()},
            )
        return self


class SingleWindow(Model):
    """Who answers creative entrepreneurs, where and how (iteration 4)."""

    who: LongText = ""
    where: LongText = ""
    how: LongText = ""


class Story(Model):
    """A cluster's story built from its identity: place, tradition, people, today's form."""

    cluster: Name
    place: LongText = ""
    tradition: LongText = ""
    people: LongText = ""
    today: LongText = ""


class Event(Model):
    name: Name
    kind: EventKind = "festival"
    start: date
    end: date | None = None
    venue: Short = ""
    municipality: Short | None = None
    audience: Short = ""
    cluster: Short | None = None
    provenance: Provenance = Provenance()


class Promotion(Model):
    narrative: LongText = ""
    values: Items[Short] = []
    audiences_inside: Items[Short] = []
    audiences_outside: Items[Short] = []
    stories: Items[Story] = []
    events: Items[Event] = []


class CustomKpi(Model):
    """A KPI the region adds beyond the catalogue."""

    name: Name
    family: KpiFamily
    unit: Name
    direction: KpiDirection = "increase"
    definition: LongText = ""


class KpiTrack(Model):
    """One KPI's baseline, yearly targets and yearly actuals."""

    kpi: str = Slug
    custom: CustomKpi | None = None
    baseline_year: Year
    baseline: Value
    targets: dict[Year, Value] = {}
    actuals: dict[Year, Value] = {}
    provenance: Provenance = Provenance()
    sourced_years: Items[Year] = []  # actuals taken from provenance.source; the other years are not

    @model_validator(mode="after")
    def _sourced_years_have_actuals(self) -> KpiTrack:
        missing = [y for y in self.sourced_years if y not in self.actuals]
        if missing:
            raise PydanticCustomError("sourced_years", "sourced years have no actual", {"value": missing})
        return self


class FeedbackItem(Model):
    """One entry of the dialogue with the creative community (iteration 6): what was raised and the answer."""

    received: date  # (not `on`: YAML reads that key as true)
    source: Name  # who raised it, or where: a round table, the single window, a survey
    issue: LongText = ""
    opportunity: LongText = ""
    response: LongText = ""

    @model_validator(mode="after")
    def _says_something(self) -> FeedbackItem:
        if not (self.issue.strip() or self.opportunity.strip()):
            raise PydanticCustomError("feedback_empty", "a feedback entry needs an issue or an opportunity")
        return self


class MeasureDecision(Model):
    """The annual review's verdict on one chosen measure: keep, adjust or drop it, and why."""

    measure: Name
    cluster: Short | None = None
    action: ReviewAction
    reason: LongText
    change: LongText = ""  # for `adjust`: what changes next cycle

    @field_validator("reason")
    @classmethod
    def _has_reason(cls, value: str) -> str:
        if len(value.strip()) < 5:
            raise PydanticCustomError("needs_reason", "a written reason is needed")
        return value


class AnnualReview(Model):
    """The review that closes a cycle (iteration 6): decisions on measures and a summary."""

    year: Year
    reviewed_on: date | None = None
    summary: LongText = ""
    decisions: Items[MeasureDecision] = []


class KpiResult(Model):
    """One KPI's standing when its cycle closed, carried into the next cycle.

    Nothing in it depends on a language: a catalogue KPI is named from its id when shown
    (monitoring.result_name); only a custom KPI keeps its own `name`, the user's text. Files written
    before kept a catalogue KPI's name in one language here too; it is ignored for catalogue KPIs."""

    kpi: Short
    name: Short = ""
    custom: bool = False  # a KPI the region defined itself, named by `name`
    year: Year | None
    actual: Value | None
    planned: Value | None
    status: KpiVerdict


class WorkshopResult(Model):
    """One item of a workshop question's result, as the room gave it (policy_engine/workshop/tally.py)."""

    label: Name
    value: float = Field(gt=-AMOUNT_MAX, lt=AMOUNT_MAX)  # mean score, points, rank score or upvotes
    ballots: Count = 0
    consensus: float | None = Field(default=None, ge=0, le=1)


class WorkshopSummary(Model):
    """A workshop question whose result was accepted into the project: who answered, what they said,
    and what it changed — shown on the audit and clustering pages and cited by the roadmap."""

    workshop: Name
    held_on: date
    question: Name
    kind: QuestionKind
    participants: Count
    by_role: dict[ParticipantRole, Count] = {}
    results: Items[WorkshopResult] = []
    use: WorkshopUse


class CycleSummary(Model):
    """What a closed cycle left to the next: KPI results and the review's decisions."""

    cycle: int = Field(ge=1, le=CYCLE_MAX)
    closed_on: date
    results: Items[KpiResult] = []
    decisions: Items[MeasureDecision] = []
    summary: LongText = ""


class Project(Model):
    """A region's individualized support policy for creative industries."""

    schema_version: int = SCHEMA_VERSION
    id: str = Slug
    region: Region
    cycle: int = Field(default=1, ge=1, le=CYCLE_MAX)
    iteration: int = Field(default=1, ge=1, le=6)
    working_group: Items[Member] = []
    signatories: Items[Signatory] = []
    next_review: date | None = None
    identity_elements: Items[IdentityElement] = []
    economy: CreativeEconomy = CreativeEconomy()
    crosswalk: Items[CrosswalkChange] = []
    actors: Items[Actor] = []
    ties: Rows[Tie] = []
    clusters: Items[Cluster] = []
    overrides: Items[Override] = []
    measures: Items[SelectedMeasure] = []
    pilots: Items[Pilot] = []
    single_window: SingleWindow = SingleWindow()
    promotion: Promotion = Promotion()
    kpis: Items[KpiTrack] = []
    feedback: Items[FeedbackItem] = []
    review: AnnualReview | None = None
    previous_cycles: Items[CycleSummary] = []
    workshops: Items[WorkshopSummary] = []

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise PydanticCustomError(
                "schema_version", "unsupported schema version", {"value": value, "supported": SCHEMA_VERSION}
            )
        return value

    def to_json(self) -> str:
        """The canonical JSON form: two-space indent, UTF-8 text as is, trailing newline."""
        return self.model_dump_json(indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes) -> Project:
        """Parse a project document; raise ProjectError naming every bad field.

        Only strict JSON is read: a document over PROJECT_MAX_BYTES is refused before it is parsed, and
        a key given twice in one object (which value was meant?) or a `NaN`/`Infinity` (not JSON,
        though Python's reader takes it) is refused while it is."""
        if len(text) > PROJECT_MAX_BYTES or (
            isinstance(text, str) and len(text.encode("utf-8", "replace")) > PROJECT_MAX_BYTES
        ):
            raise ProjectError([Issue(code="project_too_large", values={"limit": PROJECT_MAX_BYTES // 2**20})])
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ProjectError([Issue(code="not_utf8", values={"byte": exc.start})]) from None
        try:
            data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant, parse_int=_integer)
        except _NotStrictJson as exc:
            raise ProjectError([exc.issue]) from None
        except RecursionError:
            raise ProjectError([Issue(code="too_deep")]) from None
        except json.JSONDecodeError as exc:
            hint = " (the document ends too early: is the file truncated?)" if exc.pos >= len(text.rstrip()) else ""
            code = "truncated_json" if hint else "not_json_at"
            raise ProjectError([Issue(code=code, values={"line": exc.lineno, "column": exc.colno})]) from None
        return cls.from_data(data)

    @classmethod
    def from_data(cls, data: object) -> Project:
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


class _NotStrictJson(ValueError):
    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.code)


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    """An object of the document, refused when it names a key twice (Python's reader keeps the last)."""
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise _NotStrictJson(Issue(code="duplicate_key", values={"value": key[:80]}))
        out[key] = value
    return out


def _no_constant(name: str) -> object:
    raise _NotStrictJson(Issue(code="json_constant", values={"value": name}))


def _integer(digits: str) -> int | float:
    """An integer of the document; one longer than 19 characters (10^19 and more, far past every bound)
    is read as a float, 10^400 as infinity, so the model refuses it by its field, instead of Python
    refusing to read an integer of more than 4,300 digits at all (a ValueError, not a JSON error)."""
    return int(digits) if len(digits) <= 19 else float(digits)


def check_references(project: Project, catalogue: Catalogue) -> list[str]:
    """What the store would refuse in this project (a name that points nowhere, dates out of order, control
    characters, a document too large), in English for the command line; policy_engine/project/validation.py has
    the checks, as coded issues."""
    from policy_engine.project.validation import check

    return [i.text("en") for i in check(project, catalogue)]
