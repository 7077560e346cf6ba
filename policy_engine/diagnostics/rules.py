"""The explainable rules engine: classify an industry by significance of local identity, map it to measures.

The steps follow the method paper (002): the typology gives each industry its default
significance (Fig. 1); the region's own identity audit may move it one step up or down
(thresholds in seeds/rules.yaml); a facilitator may override with a written justification;
significance grants levels, and each level's measures apply (table "Measures"). Every step
that fires is recorded with the values it saw and its source, and `explain` turns the record
into plain sentences in the user's language.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from policy_engine.i18n import number, t
from policy_engine.method.catalogue import Catalogue, Frozen, SourceRef, Text, cite
from policy_engine.method.vocabulary import LEVELS, MEASURE_TYPES, Level, MeasureType
from policy_engine.project.model import Override, Project


class LinkedElement(Frozen):
    """An identity element of the audit linked to the industry, with its strength (mean score)."""

    name: str
    strength: float


class Evidence(Frozen):
    """What the region's audit says about one industry."""

    audit_size: int = 0
    linked: tuple[LinkedElement, ...] = ()


class Firing(Frozen):
    """A rule that fired, the values it saw, and where the rule comes from."""

    rule: str
    values: dict[str, Any]
    source: SourceRef


class MeasureRef(Frozen):
    id: str
    level: Level
    type: MeasureType
    title: Text


class Decision(Frozen):
    """The classification of one industry and the measures it leads to, with its trace."""

    industry: str
    default_significance: str  # a significance group of seeds/rules.yaml
    significance: str
    model: str
    levels: tuple[Level, ...]
    measures: tuple[MeasureRef, ...]
    firings: tuple[Firing, ...]
    overridden: bool = False


def evidence_for(project: Project, industry_id: str) -> Evidence:
    """Collect the audit's identity elements linked to an industry."""
    linked = tuple(
        LinkedElement(name=e.name, strength=e.strength)
        for e in project.identity_elements
        if industry_id in e.industries
    )
    return Evidence(audit_size=len(project.identity_elements), linked=linked)


def _apply_evidence(sig: str, evidence: Evidence | None, catalogue: Catalogue) -> tuple[str, Firing]:
    """Move significance at most one step on the region's evidence; say why either way."""
    p = catalogue.rules.evidence
    book = catalogue.rules

    def fire(rule_id: str, **values: Any) -> Firing:
        return Firing(rule=rule_id, values=values, source=book.rule(rule_id).source)

    if evidence is None or evidence.audit_size == 0:
        return sig, fire("evidence_absent")
    if evidence.audit_size < p.min_audit_elements:
        return sig, fire("evidence_thin", audit_size=evidence.audit_size, min_audit=p.min_audit_elements)
    strong = [e for e in evidence.linked if e.strength >= p.strong_score]
    present = [e for e in evidence.linked if e.strength >= p.present_score]
    seen = [[e.name, e.strength] for e in evidence.linked]  # every linked element with its strength
    if len(strong) >= p.step_up_min_strong:
        up = book.step(sig, +1)
        shown = [[e.name, e.strength] for e in strong]
        if up is None:
            return sig, fire("evidence_up_ceiling", strong=len(strong), elements=shown, significance=sig)
        return up, fire(
            "evidence_up",
            strong=len(strong),
            elements=shown,
            strong_score=p.strong_score,
            min_strong=p.step_up_min_strong,
            **{"from": sig, "to": up},
        )
    if not present:
        down = book.step(sig, -1)
        if down is None:
            return sig, fire("evidence_down_floor", significance=sig, linked=len(evidence.linked), elements=seen)
        return down, fire(
            "evidence_down",
            audit_size=evidence.audit_size,
            present_score=p.present_score,
            linked=len(evidence.linked),
            elements=seen,
            **{"from": sig, "to": down},
        )
    return sig, fire(
        "evidence_hold", linked=len(evidence.linked), strong=len(strong), min_strong=p.step_up_min_strong, elements=seen
    )


def measures_for_levels(levels: tuple[str, ...], catalogue: Catalogue) -> tuple[MeasureRef, ...]:
    """Every catalogue measure of the given levels, ordered by level, then type, then catalogue order."""
    chosen = [m for m in catalogue.measures if m.level in levels]
    chosen.sort(key=lambda m: (LEVELS.index(m.level), MEASURE_TYPES.index(m.type)))
    return tuple(MeasureRef(id=m.id, level=m.level, type=m.type, title=m.title) for m in chosen)


def classify(
    industry_id: str,
    catalogue: Catalogue,
    evidence: Evidence | None = None,
    override: Override | None = None,
) -> Decision:
    """Classify one industry: typology, then evidence, then override, then levels and measures."""
    industry = catalogue.industry(industry_id)
    book = catalogue.rules
    default = industry.significance
    firings = [
        Firing(
            rule="typology",
            values={"industry": industry.id, "significance": default, "model": book.group(default).model},
            source=industry.source,
        )
    ]
    sig, fired = _apply_evidence(default, evidence, catalogue)
    firings.append(fired)
    if override is not None:
        if override.industry != industry_id:
            raise ValueError(f"override is for {override.industry!r}, not {industry_id!r}")
        firings.append(
            Firing(
                rule="override",
                values={
                    "from": sig,
                    "to": override.significance,
                    "by": override.by,
                    "justification": override.justification.strip(),
                },
                source=book.rule("override").source,
            )
        )
        sig = override.significance
    group = book.group(sig)
    levels = tuple(group.levels)
    firings.append(Firing(rule="levels", values={"significance": sig, "levels": list(levels)}, source=group.source))
    measures = measures_for_levels(levels, catalogue)
    counts = Counter(m.level for m in measures)
    firings.append(
        Firing(
            rule="measures",
            values={"count": len(measures), "by_level": dict(counts)},
            source=book.rule("measures").source,
        )
    )
    return Decision(
        industry=industry.id,
        default_significance=default,
        significance=sig,
        model=group.model,
        levels=levels,
        measures=measures,
        firings=tuple(firings),
        overridden=override is not None,
    )


def classify_all(catalogue: Catalogue, project: Project | None = None) -> list[Decision]:
    """Classify every industry of the catalogue, with the project's evidence and overrides if given."""
    overrides = {o.industry: o for o in project.overrides} if project else {}
    return [
        classify(
            ind.id,
            catalogue,
            evidence=evidence_for(project, ind.id) if project else None,
            override=overrides.get(ind.id),
        )
        for ind in catalogue.industries
    ]


def _render_value(key: str, value: Any, catalogue: Catalogue, lang: str, country: str) -> str:
    """Turn an id the engine recorded into words of the user's language."""
    book = catalogue.rules
    if key == "industry":
        return catalogue.industry(value).name.get(lang)
    if key in ("significance", "from", "to"):
        return book.group(value).name.get(lang)
    if key == "model":
        return next(g.model_name.get(lang) for g in book.significance if g.model == value)
    if key == "levels":
        names = catalogue.country(country).levels
        return ", ".join(names[lvl].get(lang) for lvl in value)
    if key == "by_level":
        names = catalogue.country(country).levels
        return ", ".join(f"{names[lvl].get(lang)}: {n}" for lvl, n in value.items())
    if key == "elements":
        return ", ".join(f"{name} ({number(strength, lang, 2)})" for name, strength in value) or "—"
    if isinstance(value, float):
        return number(value, lang, 2)
    return str(value)


def explain_firing(firing: Firing, catalogue: Catalogue, lang: str = "en", country: str = "RU") -> str:
    """One sentence for one fired rule, with its source in brackets, all in `lang` (see `cite`)."""
    template = catalogue.rules.rule(firing.rule).explains.get(lang)
    values = {k: _render_value(k, v, catalogue, lang, country) for k, v in firing.values.items()}
    text = template.format(**values)
    text = text[:1].upper() + text[1:]
    return f"{text} {t('cite.bracket', lang, citation=cite(firing.source, catalogue, lang))}"


def explain(decision: Decision, catalogue: Catalogue, lang: str = "en", country: str = "RU") -> list[str]:
    """The decision in plain sentences, one per rule that fired, in the order they fired."""
    return [explain_firing(f, catalogue, lang, country) for f in decision.firings]


def grouped_measures(decision: Decision) -> dict[str, dict[str, list[MeasureRef]]]:
    """Measures grouped by level, then by type, both in the method's order; empty groups left out."""
    out: dict[str, dict[str, list[MeasureRef]]] = {}
    for m in decision.measures:
        out.setdefault(m.level, {}).setdefault(m.type, []).append(m)
    return out


def decision_record(decision: Decision, catalogue: Catalogue, lang: str = "en", country: str = "RU") -> dict:
    """The JSON shape of a decision, as `classify --format json` prints it."""
    levels = catalogue.country(country).levels
    return {
        "industry": decision.industry,
        "name": catalogue.industry(decision.industry).name.get(lang),
        "significance": decision.significance,
        "default_significance": decision.default_significance,
        "model": decision.model,
        "levels": list(decision.levels),
        "level_names": [levels[lvl].get(lang) for lvl in decision.levels],
        "overridden": decision.overridden,
        "measures": [
            {
                "id": m.id,
                "level": m.level,
                "level_name": levels[m.level].get(lang),
                "type": m.type,
                "title": m.title.get(lang),
            }
            for m in decision.measures
        ],
        "explanation": explain(decision, catalogue, lang, country),
        "trace": [
            {
                "rule": f.rule,
                "inputs": f.values,
                "source": f.source.model_dump(),
                "citation": cite(f.source, catalogue, lang),
            }
            for f in decision.firings
        ],
    }
