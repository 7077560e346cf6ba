"""Every closed list of words the engine uses, declared once.

Two kinds. Where a seed file defines the list, the seed is the one declaration and the code reads it
from the catalogue (`Catalogue.vocabulary`), so a layer added to seeds/identity.yaml is a layer
everywhere — the project model, the audit's tables, the roadmap — with no line of code to change:

| vocabulary | defined in | read as |
|---|---|---|
| significance of local identity, lowest first | seeds/rules.yaml, `significance` | `catalogue.rules.order` (`vocabulary("significance")`) |
| components of local identity | seeds/identity.yaml, `components` | `catalogue.vocabulary("component")` |
| layers of local identity | seeds/identity.yaml, `layers` | `catalogue.vocabulary("layer")` |
| criteria an identity element is scored on | seeds/identity.yaml, `scores.criteria` | the fields of `project.model.Scores` (a test compares them) |
| industries, measures, KPIs, cluster types, countries | their seed files | the catalogue's lists, checked in `project/validation.py` |

The rest are below: words the code itself acts on (a pilot's status, a KPI's direction) or that no
seed lists. Each is a `Literal` type for pydantic and a tuple in the order the app shows it, the
tuple taken from the type, so the two cannot disagree. Their names in the three languages are in
policy_engine/strings/*.yaml under the same ids.
"""

from __future__ import annotations

from typing import Literal, get_args

from policy_engine.i18n import LANGS

# The working languages (policy_engine/i18n.py declares them; this is their type).
Lang = Literal[LANGS]

# The three canonical levels of support (002, section "Methodology": "supported at the federal,
# regional, and municipal levels"); each country names them its own way (seeds/countries.yaml).
Level = Literal["federal", "regional", "municipal"]
LEVELS: tuple[Level, ...] = get_args(Level)

# The three types of measure of the method's table "Measures" (002).
MeasureType = Literal["economic", "organizational", "legal"]
MEASURE_TYPES: tuple[MeasureType, ...] = get_args(MeasureType)

# Where a pilot's money comes from: the three levels of support, and private money (page 4).
FundingSource = Literal["federal", "regional", "municipal", "private"]
FUNDING_SOURCES: tuple[FundingSource, ...] = get_args(FundingSource)

# The three families of indicators of the annual review (002, Table 1, iteration 6).
KpiFamily = Literal["economic", "socio_cultural", "reputational"]
KPI_FAMILIES: tuple[KpiFamily, ...] = get_args(KpiFamily)

# Which way a KPI should move.
KpiDirection = Literal["increase", "decrease"]
KPI_DIRECTIONS: tuple[KpiDirection, ...] = get_args(KpiDirection)

# A KPI's standing in a year, by the rule of seeds/monitoring.yaml.
KpiVerdict = Literal["on_track", "at_risk", "off_track", "no_data"]
KPI_VERDICTS: tuple[KpiVerdict, ...] = get_args(KpiVerdict)

# The annual review's verdict on a measure (iteration 6).
ReviewAction = Literal["keep", "adjust", "drop"]
REVIEW_ACTIONS: tuple[ReviewAction, ...] = get_args(ReviewAction)

# The sector of an ecosystem actor: the Triple Helix of seed 003 (Table 6: government, university,
# business, the first three), and the creative community the method keeps a dialogue with (002,
# Table 1, iteration 6).
Sector = Literal["government", "university", "business", "community"]
SECTORS: tuple[Sector, ...] = get_args(Sector)
TRIPLE_HELIX: tuple[Sector, ...] = SECTORS[:3]

# A pilot project's state (iteration 4).
PilotStatus = Literal["planned", "running", "delivered", "stalled", "cancelled"]
PILOT_STATUSES: tuple[PilotStatus, ...] = get_args(PilotStatus)

# The kind of an event of the promotion calendar (iteration 5).
EventKind = Literal["festival", "exhibition", "market", "forum", "competition", "other"]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)

# The kind of a municipality of the region.
MunicipalityKind = Literal["city", "district", "other"]
MUNICIPALITY_KINDS: tuple[MunicipalityKind, ...] = get_args(MunicipalityKind)
# The outlines a municipality's boundary may be (GeoJSON geometry types kept by diagnostics/boundaries.py).
OutlineType = Literal["Polygon", "MultiPolygon"]
OUTLINE_TYPES: tuple[OutlineType, ...] = get_args(OutlineType)

# How a signatory stands to the roadmap, in the order the title page lists them.
SignatoryStage = Literal["approved", "agreed", "prepared"]
SIGNATORY_STAGES: tuple[SignatoryStage, ...] = get_args(SignatoryStage)

# The parts of the growth-point score the engine computes (policy_engine/diagnostics/growth_points.py);
# seeds/growth_points.yaml weighs and scales each of them.
GrowthComponent = Literal["identity", "specialization", "relatedness", "support"]
GROWTH_COMPONENTS: tuple[GrowthComponent, ...] = get_args(GrowthComponent)

# Workshop mode (policy_engine/workshop/): what the room is asked. `rate`: identity elements on the
# method's three criteria, 1–5 (002, iteration 1); `points`: 100 points across growth points, clusters or
# measures; `rank`: pilot ideas in order; `ideas`: short proposals others upvote, moderated first;
# `kpi`: agree or disagree with KPI targets, with a comment.
QuestionKind = Literal["rate", "points", "rank", "ideas", "kpi"]
QUESTION_KINDS: tuple[QuestionKind, ...] = get_args(QuestionKind)

# What a `points` question spreads its 100 points over.
PointsTarget = Literal["growth_points", "clusters", "measures"]
POINTS_TARGETS: tuple[PointsTarget, ...] = get_args(PointsTarget)

# What an `ideas` question collects.
IdeaTarget = Literal["pilot", "event", "target_image"]
IDEA_TARGETS: tuple[IdeaTarget, ...] = get_args(IdeaTarget)

# The stakeholder group a participant declares (the Triple Helix of seed 003, Table 6, and the
# community), and `other`; results are split by it.
ParticipantRole = Literal["authority", "business", "academia", "community", "other"]
PARTICIPANT_ROLES: tuple[ParticipantRole, ...] = get_args(ParticipantRole)

# A question's life: drafted, open for ballots, closed (ballots final).
QuestionState = Literal["draft", "open", "closed"]
QUESTION_STATES: tuple[QuestionState, ...] = get_args(QuestionState)

# A participant's proposal under moderation: only `approved` ones are shown to the room.
IdeaStatus = Literal["pending", "approved", "hidden", "merged"]
IDEA_STATUSES: tuple[IdeaStatus, ...] = get_args(IdeaStatus)

# What accepting a question's result did to the project (`noted`: kept beside the project's own figures,
# changing nothing else).
WorkshopUse = Literal[
    "scores_replaced", "noted", "priority_order", "pilots_added", "events_added", "target_image", "kpi_feedback"
]
WORKSHOP_USES: tuple[WorkshopUse, ...] = get_args(WorkshopUse)
