"""The one set of checks every write of a project goes through: the page's edit and the store's save alike.

Pydantic checks each field's shape and bounds (policy_engine/project/model.py declares them); `references`
checks that every id points somewhere (the catalogue, or the project itself), so a misspelt measure in
an imported file or a cluster deleted while a pilot still names it is refused before it is stored — not
found later as a `KeyError` on a page; `order` that dates and ties make sense; `clean_text` and `size`
that nothing reaches the database it could not hold or give back. `check` is what the store runs on
create, save, import, restore and close; `signature` checks who saves and the version's note, which
are stored beside the document; `passphrase` and `ready_to_close` are the store's other
preconditions. All of them return coded issues (policy_engine/project/issues.py), never raise, so a caller
can show every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from policy_engine.method.catalogue import Catalogue
from policy_engine.project.issues import Issue, from_validation
from policy_engine.project.model import NAME_MAX, PROJECT_MAX_BYTES, TEXT_MAX, Project

PASSPHRASE_MIN = 8  # the one passphrase policy, used by the store, the app and the CLI
PASSPHRASE_MAX = 1024  # hashing is slow on purpose; an unbounded input would make it a weapon
# Control characters (Unicode's Cc): all but tab and newline. NUL is refused by PostgreSQL and kept by
# SQLite, and the rest are invisible in a page yet break a report or a spreadsheet.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def passphrase(value: str | None) -> list[Issue]:
    """The passphrase policy: none at all, or 8 to 1024 characters."""
    if value is None or value == "":
        return []
    if len(value) < PASSPHRASE_MIN:
        return [Issue(code="passphrase_short", values={"limit": PASSPHRASE_MIN})]
    if len(value) > PASSPHRASE_MAX:
        return [Issue(code="passphrase_long", values={"limit": PASSPHRASE_MAX})]
    return []


def parse(data: Any) -> tuple[Project | None, list[Issue]]:
    """A project from decoded JSON data, or the issues that stop it."""
    if not isinstance(data, dict):
        return None, [Issue(code="not_a_project")]
    issues = [] if "schema_version" in data else [Issue(code="required", path=("schema_version",))]
    try:
        project = Project.model_validate(data)
    except ValidationError as exc:
        return None, issues + from_validation(exc)
    return (None if issues else project), issues


def check(project: Project, catalogue: Catalogue) -> list[Issue]:
    """Everything that must hold before a project is stored: references, order, clean text, size."""
    found = references(project, catalogue) + order(project) + clean_text(project)
    return found or size(project)  # measured last: it writes the whole document out


def signature(author: str | None, note: str | None = "") -> list[Issue]:
    """Who saves a version and its note: stored beside the document, so bounded and clean like its text."""
    out: list[Issue] = []
    for field, value, limit in (("author", author, NAME_MAX), ("note", note, TEXT_MAX)):
        if value is None:  # no author given: the store writes "anonymous"
            continue
        if not isinstance(value, str):
            out.append(Issue(code="text", path=(field,)))
        elif len(value) > limit:
            out.append(Issue(code="too_long", path=(field,), values={"limit": limit}))
        elif _CONTROL.search(value):
            out.append(Issue(code="control_characters", path=(field,)))
    return out


def size(project: Project) -> list[Issue]:
    """A project whose stored document would be larger than a file the store may read back."""
    if len(project.to_json().encode("utf-8")) > PROJECT_MAX_BYTES:
        return [Issue(code="project_too_large", values={"limit": PROJECT_MAX_BYTES // 2**20})]
    return []


def clean_text(project: Project) -> list[Issue]:
    """Text with control characters (NUL among them: PostgreSQL refuses it, SQLite would keep it) is
    refused on both databases alike, naming the field. The model bounds every field of its own; this
    bounds the rest too (a source's document and place), so no text of any length gets in."""
    out: list[Issue] = []

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, str):
            if len(value) > TEXT_MAX:
                out.append(Issue(code="too_long", path=path, values={"limit": TEXT_MAX}))
            elif _CONTROL.search(value):
                out.append(Issue(code="control_characters", path=path))
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, k) if isinstance(k, str) else path)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))

    walk(project.model_dump(mode="json"), ())
    return out


def order(project: Project) -> list[Issue]:
    """Dates and ties that cannot be: an event that ends before it starts, a KPI target for a year
    before its baseline, a pilot's milestone due before the pilot starts (preparation belongs inside
    the pilot's dates), an actor tied to itself. Checked here, not in the model, so a version saved
    before the rule still opens, and the page can say which row to fix."""
    out: list[Issue] = []
    for i, ev in enumerate(project.promotion.events):
        if ev.end is not None and ev.end < ev.start:
            out.append(
                Issue(
                    code="end_before_start",
                    path=("promotion", "events", i, "end"),
                    item=ev.name,
                    values={"start": ev.start.isoformat(), "end": ev.end.isoformat()},
                )
            )
    for i, k in enumerate(project.kpis):
        for year in sorted(y for y in k.targets if y < k.baseline_year):
            out.append(
                Issue(
                    code="target_before_baseline",
                    path=("kpis", i, "targets", str(year)),
                    item=k.custom.name if k.custom else k.kpi,
                    values={"year": year, "baseline_year": k.baseline_year},
                )
            )
    for i, p in enumerate(project.pilots):
        for j, m in enumerate(p.milestones):
            if m.due < p.start:
                out.append(
                    Issue(
                        code="milestone_before_start",
                        path=("pilots", i, "milestones", j, "due"),
                        item=p.name,
                        values={"due": m.due.isoformat(), "start": p.start.isoformat(), "value": m.name},
                    )
                )
    for i, t in enumerate(project.ties):
        if t.source == t.target:
            out.append(Issue(code="tie_to_itself", path=("ties", i, "target"), values={"value": t.source}))
    return out


def references(project: Project, catalogue: Catalogue) -> list[Issue]:
    """Issues where the project names something that does not exist or names one thing twice."""
    out: list[Issue] = []
    industries = {i.id for i in catalogue.industries}
    measures = {m.id for m in catalogue.measures}
    kpis = {k.id for k in catalogue.kpis}
    cluster_types = {t.id for t in catalogue.cluster_types}
    countries = {c.id for c in catalogue.countries}
    components, layers = set(catalogue.vocabulary("component")), set(catalogue.vocabulary("layer"))
    significance = set(catalogue.vocabulary("significance"))
    elements = {e.id for e in project.identity_elements}
    actors = {a.id for a in project.actors}
    clusters = {c.id for c in project.clusters}

    def need(value: str | None, known: set[str], kind: str, *path: str | int) -> None:
        if value is not None and value not in known:
            out.append(Issue(code="unknown_ref", path=path, values={"kind": kind, "value": value}))

    def each(values: Iterable[str], known: set[str], kind: str, *path: str | int) -> None:
        for v in values:
            need(v, known, kind, *path)

    need(project.region.country, countries, "country", "region", "country")
    for field, items in (
        ("identity_elements", project.identity_elements),
        ("actors", project.actors),
        ("clusters", project.clusters),
        ("pilots", project.pilots),
    ):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                out.append(Issue(code="duplicate_id", path=(field, i, "id"), item=item.name, values={"value": item.id}))
            seen.add(item.id)
    names = [m.name.casefold() for m in project.region.municipalities]
    for i, m in enumerate(project.region.municipalities):
        if names.index(m.name.casefold()) != i:
            out.append(
                Issue(code="duplicate_name", path=("region", "municipalities", i, "name"), values={"value": m.name})
            )
    for i, e in enumerate(project.identity_elements):
        need(e.component, components, "component", "identity_elements", i, "component")
        need(e.layer, layers, "layer", "identity_elements", i, "layer")
        each(e.industries, industries, "industry", "identity_elements", i, "industries")
    for i, rec in enumerate(project.economy.employment):
        need(rec.industry, industries | {"non_creative"}, "industry", "economy", "employment", i, "industry")
    for i, ch in enumerate(project.crosswalk):
        need(ch.industry, industries, "industry", "crosswalk", i, "industry")
    for i, a in enumerate(project.actors):
        each(a.industries, industries, "industry", "actors", i, "industries")
    for i, t in enumerate(project.ties):
        need(t.source, actors, "actor", "ties", i, "source")
        need(t.target, actors, "actor", "ties", i, "target")
    for i, c in enumerate(project.clusters):
        each(c.industries, industries, "industry", "clusters", i, "industries")
        each(c.identity_elements, elements, "identity_element", "clusters", i, "identity_elements")
        each(c.lead_actors, actors, "actor", "clusters", i, "lead_actors")
        need(c.formation_type, cluster_types, "formation_type", "clusters", i, "formation_type")
    overridden: set[str] = set()
    for i, o in enumerate(project.overrides):
        need(o.industry, industries, "industry", "overrides", i, "industry")
        need(o.significance, significance, "significance", "overrides", i, "significance")
        if o.industry in overridden:
            out.append(Issue(code="overridden_twice", path=("overrides", i, "industry"), values={"value": o.industry}))
        overridden.add(o.industry)
    for i, m in enumerate(project.measures):
        need(m.measure, measures, "measure", "measures", i, "measure")
        need(m.cluster, clusters, "cluster", "measures", i, "cluster")
    for i, p in enumerate(project.pilots):
        need(p.cluster, clusters, "cluster", "pilots", i, "cluster")
        each(p.measures, measures, "measure", "pilots", i, "measures")
    for i, s in enumerate(project.promotion.stories):
        need(s.cluster, clusters, "cluster", "promotion", "stories", i, "cluster")
    for i, ev in enumerate(project.promotion.events):
        need(ev.cluster, clusters, "cluster", "promotion", "events", i, "cluster")
    if project.review is not None:
        for i, d in enumerate(project.review.decisions):
            need(d.measure, measures, "measure", "review", "decisions", i, "measure")
            need(d.cluster, clusters, "cluster", "review", "decisions", i, "cluster")
    for i, k in enumerate(project.kpis):
        if k.custom is None:
            need(k.kpi, kpis, "kpi", "kpis", i, "kpi")
    return out


def ready_to_close(project: Project, catalogue: Catalogue) -> list[Issue]:
    """Before a cycle closes (002, Table 1: the annual review of measures by KPIs closes the loop):
    a review exists and, when the cycle chose measures, it decides on at least one of them (a
    measure it says nothing of is kept as it is)."""
    if project.review is None:
        return [Issue(code="no_review", path=("review",))]
    if project.measures and not project.review.decisions:
        return [Issue(code="review_empty", path=("review", "decisions"))]
    return []
