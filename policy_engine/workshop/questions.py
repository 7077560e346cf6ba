"""A question drafted from the project: which of the project's own items it asks about.

The items are copied into the question when it is drafted (id and name, per language when the
name is the catalogue's), so the participants' phones see those names and nothing else of the
project, and a ballot can only be for an item the question holds.
"""

from __future__ import annotations

from policy_engine.diagnostics.growth_points import growth_points
from policy_engine.i18n import LANGS, number, t
from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import IdeaTarget, PointsTarget, QuestionKind
from policy_engine.project.issues import Issue
from policy_engine.project.model import NAME_MAX, Project
from policy_engine.workshop.model import QUESTION_ITEMS_MAX, Item

GROWTH_POINTS_ASKED = 10  # a points question over growth points offers the best-ranked ones


def _cut(text: str) -> str:
    return text if len(text) <= NAME_MAX else text[: NAME_MAX - 1] + "…"


def _names(texts: dict[str, str]) -> dict[str, str]:
    return {lang: _cut(texts[lang]) for lang in LANGS if texts.get(lang)}


def items_for(
    project: Project,
    catalogue: Catalogue,
    kind: QuestionKind,
    target: PointsTarget | IdeaTarget | None = None,
    cluster: str | None = None,
) -> tuple[list[Item], list[Issue]]:
    """The items a question of `kind` (over `target`) asks about, or why there are none yet. An `ideas`
    question for a target image needs one of the project's clusters (`cluster`)."""
    items: list[Item] = []
    if kind == "rate":
        items = [Item(id=e.id, label=e.name) for e in project.identity_elements]
    elif kind == "points" and target == "clusters":
        items = [Item(id=c.id, label=c.name) for c in project.clusters if c.status == "accepted"]
    elif kind == "points" and target == "measures":
        for m in project.measures:
            key = f"{m.measure}@{m.cluster or ''}"
            if any(i.id == key for i in items):
                continue
            try:
                measure = catalogue.measure(m.measure)
            except KeyError:
                continue
            names = {lang: measure.title.get(lang) for lang in LANGS}
            if m.cluster:
                cluster = next((c.name for c in project.clusters if c.id == m.cluster), m.cluster)
                names = {lang: f"{name} — {cluster}" for lang, name in names.items()}
            items.append(Item(id=key, label=_cut(names["en"]), labels=_names(names), level=measure.level))
    elif kind == "points":  # growth points
        for point in growth_points(project, catalogue)[:GROWTH_POINTS_ASKED]:
            if point.score <= 0:
                continue
            name = catalogue.industry(point.industry).name
            names = {lang: name.get(lang) for lang in LANGS}
            items.append(Item(id=point.industry, label=_cut(names["en"]), labels=_names(names)))
    elif kind == "rank":
        items = [Item(id=p.id, label=p.name) for p in project.pilots]
    elif kind == "kpi":
        items = [kpi_item(project, catalogue, i) for i in range(len(project.kpis)) if project.kpis[i].targets]
    elif kind == "ideas":  # the room's own proposals are the items (the store keeps them)
        if target == "target_image" and all(c.id != cluster for c in project.clusters):
            return [], [Issue(code="ws_no_cluster")]
        return [], []
    if not items:
        what = {lang: t(f"ws.kind.{kind}", lang) for lang in LANGS}
        return [], [Issue(code=f"workshop_no_items.{kind}", values={"what": what})]
    if len(items) > QUESTION_ITEMS_MAX:
        return [], [Issue(code="workshop_too_many_items", values={"count": len(items), "limit": QUESTION_ITEMS_MAX})]
    return items, []


def kpi_item(project: Project, catalogue: Catalogue, index: int) -> Item:
    """A KPI with its last target: "Creative employment — 2028: 1 200 people"."""
    track = project.kpis[index]
    year = max(track.targets)
    names: dict[str, str] = {}
    for lang in LANGS:
        if track.custom is not None:
            name, unit = track.custom.name, track.custom.unit
        else:
            try:
                kpi = catalogue.kpi(track.kpi)
                name, unit = kpi.name.get(lang), kpi.unit.get(lang)
            except KeyError:
                name, unit = track.kpi, ""
        value = number(track.targets[year], lang, digits=2)
        names[lang] = t("ws.kpi_item", lang, name=name, year=year, value=value, unit=unit).strip()
    return Item(id=track.kpi, label=_cut(names["en"]), labels=_names(names))
