"""The roadmap document's content, built from a project: what leaves the room to be signed off.

The content is plain data (sections of text, tables and chart specifications) so it can be tested
without a renderer and printed the same way as PDF (`roadmap_pdf`) and DOCX (`roadmap_docx`).
Every user text stays exactly as typed here; the renderers make it safe for their format
(`printable` removes only what no format can hold, such as control characters).

Sections follow the method's iterations (002, Table 1). An iteration that is not done yet
still gets its section, opening with what is missing, so a half-finished project prints.

The results a workshop with the room left in the project (`Project.workshops`) are cited, one note each,
where a section presents what they decided (the element scores, the clusters and priorities, the
pilots, the events, the feedback on KPI targets), and listed in a table of the summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from policy_engine.diagnostics.graphs import identity_graph, spring_positions
from policy_engine.diagnostics.growth_points import growth_points
from policy_engine.diagnostics.location_quotients import gva_shares
from policy_engine.diagnostics.rules import classify_all, explain
from policy_engine.documents import charts
from policy_engine.i18n import day, number, t
from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import (
    EVENT_KINDS,
    FUNDING_SOURCES,
    LEVELS,
    PARTICIPANT_ROLES,
    PILOT_STATUSES,
    SIGNATORY_STAGES,
)
from policy_engine.project.model import Project, WorkshopSummary
from policy_engine.wizard import audit, maps, monitoring, pilots
from policy_engine.wizard.measure_design import REGION_WIDE, budget_rows, money_unit, summary_table
from policy_engine.wizard.progress import iteration_status

KPIS_PER_FIGURE = 12  # small multiples per chart: 4 rows of 3 fit a page
WORKSHOP_TOP = 3  # items of a workshop's result a citation names (the table of results is on the workshop page)
FIGURE_WIDTH = 620  # chart width in CSS pixels; drawn at the text width, rendered at scale 2


class Block(BaseModel):
    model_config = ConfigDict(frozen=True)


class Heading(Block):
    kind: Literal["heading"] = "heading"
    text: str


class Paragraph(Block):
    kind: Literal["paragraph"] = "paragraph"
    text: str
    style: Literal["body", "lead", "note", "quote"] = "body"


class Bullets(Block):
    kind: Literal["bullets"] = "bullets"
    items: list[str]


class Table(Block):
    """A table; `widths` are relative column widths, `numeric` columns align right."""

    kind: Literal["table"] = "table"
    columns: list[str]
    rows: list[list[str]]
    widths: list[float]
    numeric: list[bool] = []
    total: bool = False  # the last row is a total, printed bold

    def model_post_init(self, _: Any) -> None:
        n = len(self.columns)
        if len(self.widths) != n or any(len(r) != n for r in self.rows) or (self.numeric and len(self.numeric) != n):
            raise ValueError(f"table {self.columns}: every row and the widths need {n} cells")


class Figure(Block):
    """A chart as a recipe: the charts.py function and its arguments (plain rows and labels).

    The Vega-Lite spec is made from it where the chart is drawn (figures.py, in the chart worker),
    because building Altair objects was a third of the time spent on the content of a large project.
    """

    kind: Literal["figure"] = "figure"
    id: str
    caption: str
    chart: str
    args: dict[str, Any]
    fixed_width: bool = True

    def spec(self) -> dict[str, Any]:
        """The Vega-Lite spec with inline data, at the document's width, on white."""
        chart = getattr(charts, self.chart)(**self.args)
        if self.fixed_width:
            chart = chart.properties(width=FIGURE_WIDTH)
        spec = chart.to_dict(validate=False)
        spec["background"] = "white"
        return spec


class Pending(Block):
    """An iteration not done yet: printed as a notice with what is missing."""

    kind: Literal["pending"] = "pending"
    text: str
    missing: list[str]


class Signatures(Block):
    """Lines for the officials' sign-off: role, name, signature, date."""

    kind: Literal["signatures"] = "signatures"
    columns: list[str]
    rows: list[list[str]]


AnyBlock = Annotated[Heading | Paragraph | Bullets | Table | Figure | Pending | Signatures, Field(discriminator="kind")]


class Section(BaseModel):
    model_config = ConfigDict(frozen=True)
    id: str
    title: str
    iteration: int | None = None
    blocks: list[AnyBlock]


class Cover(BaseModel):
    model_config = ConfigDict(frozen=True)
    title: str
    subtitle: str
    region: str
    facts: list[tuple[str, str]]  # (label, value): cycle, date, version...
    working_group_title: str
    working_group: Table | None
    signatures: Signatures


class Roadmap(BaseModel):
    """The whole document: a cover and numbered sections, plus the renderer's own words."""

    model_config = ConfigDict(frozen=True)
    lang: str
    title: str
    cover: Cover
    sections: list[Section]
    words: dict[str, str]  # contents, page, of, figure could not be drawn...

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def text(self) -> str:
        """Every word of the document (not the charts), for search and tests."""
        parts = [self.title, self.cover.title, self.cover.subtitle, self.cover.region]
        parts += [f"{a} {b}" for a, b in self.cover.facts]
        for s in self.sections:
            parts.append(s.title)
            for b in s.blocks:
                if isinstance(b, (Heading, Paragraph)):
                    parts.append(b.text)
                elif isinstance(b, Bullets):
                    parts += b.items
                elif isinstance(b, Table):
                    parts += b.columns + [c for r in b.rows for c in r]
                elif isinstance(b, Pending):
                    parts += [b.text, *b.missing]
                elif isinstance(b, Figure):
                    parts.append(b.caption)
        return "\n".join(parts)


# --- text and numbers ---------------------------------------------------------------------------

_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """The text without what no document format can hold (control characters, lone surrogates).

    Everything else, including markup characters and emoji, is kept; renderers escape it.
    """
    return _UNPRINTABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def span(start: date | None, end: date | None, lang: str) -> str:
    return f"{day(start, lang)} – {day(end, lang)}" if (start or end) else "—"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _low(text: str) -> str:
    return text[:1].lower() + text[1:]


def shorten(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- the builder --------------------------------------------------------------------------------


class _Context:
    """What every section needs: the project, the catalogue, the language and the decisions."""

    def __init__(self, project: Project, catalogue: Catalogue, lang: str):
        self.p, self.cat, self.lang = project, catalogue, lang
        self.country = project.region.country
        self.levels = catalogue.country(self.country).levels
        self.decisions = classify_all(catalogue, project)
        self.status = {s.iteration: s for s in iteration_status(project, catalogue)}
        self.clusters = {c.id: c.name for c in project.clusters}
        self.unit = money_unit(project, lang)

    def tr(self, key: str, **values: Any) -> str:
        return t(key, self.lang, **values)

    def industry(self, industry_id: str) -> str:
        try:
            return self.cat.industry(industry_id).name.get(self.lang)
        except KeyError:
            return industry_id

    def measure(self, measure_id: str) -> str:
        try:
            return self.cat.measure(measure_id).title.get(self.lang)
        except KeyError:
            return measure_id

    def level(self, level: str) -> str:
        return self.levels[level].get(self.lang) if level in self.levels else self.tr(f"roadmap.source.{level}")

    def cluster(self, cluster_id: str | None) -> str:
        if cluster_id is None:
            return self.tr("measures.region_wide")
        return self.clusters.get(cluster_id, cluster_id)

    def num(self, value: float, digits: int = 1) -> str:
        return number(value, self.lang, digits)

    def pending(self, iteration: int) -> list[Block]:
        """The notice for an unfinished iteration, or nothing when it is done."""
        status = self.status[iteration]
        if status.done:
            return []
        return [
            Pending(
                text=self.tr("roadmap.pending", iteration=self.tr(status.title_key)),
                missing=[self.tr(k, **status.values) for k in status.missing],
            )
        ]


def build_roadmap(
    project: Project, catalogue: Catalogue, lang: str = "ru", today: date | None = None, version: int | None = None
) -> Roadmap:
    """The roadmap of `project` in `lang` (ru, kk or en), dated `today`."""
    ctx = _Context(project, catalogue, lang)
    today = today or date.today()
    sections = [
        _summary(ctx),
        _audit(ctx),
        _clusters(ctx),
        _classification(ctx),
        _measures(ctx),
        _pilots(ctx),
        _promotion(ctx),
        _monitoring(ctx),
        _next_review(ctx),
    ]
    words = {
        k: ctx.tr(f"roadmap.word.{k}") for k in ("contents", "page", "of", "no_figure", "total", "cycle", "figure")
    }
    return Roadmap(
        lang=lang, title=ctx.tr("roadmap.doc_title"), cover=_cover(ctx, today, version), sections=sections, words=words
    )


def _cover(ctx: _Context, today: date, version: int | None) -> Cover:
    p = ctx.p
    facts = [(ctx.tr("roadmap.cover.cycle"), str(p.cycle)), (ctx.tr("roadmap.cover.date"), day(today, ctx.lang))]
    if version is not None:
        facts.append((ctx.tr("roadmap.cover.version"), str(version)))
    if p.next_review:
        facts.append((ctx.tr("roadmap.cover.next_review"), day(p.next_review, ctx.lang)))
    group = None
    if p.working_group:
        group = Table(
            columns=[ctx.tr("roadmap.col.member"), ctx.tr("roadmap.col.role"), ctx.tr("roadmap.col.organisation")],
            rows=[[m.name, m.role, m.organisation] for m in p.working_group],
            widths=[3, 2, 4],
        )
    cols = [
        ctx.tr("roadmap.sign.role"),
        ctx.tr("roadmap.sign.name"),
        ctx.tr("roadmap.sign.signature"),
        ctx.tr("roadmap.sign.date"),
    ]
    stages = SIGNATORY_STAGES
    if p.signatories:  # the project's own sign-off, in the order approved, agreed, prepared
        rows = [
            [ctx.tr(f"roadmap.sign.{s.stage}"), ", ".join(x for x in (s.name, s.position) if x), "", ""]
            for s in sorted(p.signatories, key=lambda s: stages.index(s.stage))
        ]
    else:  # blank lines to fill in by hand
        rows = [[ctx.tr(f"roadmap.sign.{k}"), "", "", ""] for k in stages]
    return Cover(
        title=ctx.tr("roadmap.doc_title"),
        subtitle=ctx.tr("roadmap.doc_subtitle"),
        region=p.region.name,
        facts=facts,
        working_group_title=ctx.tr("roadmap.working_group"),
        working_group=group,
        signatures=Signatures(columns=cols, rows=rows),
    )


def _summary(ctx: _Context) -> Section:
    p = ctx.p
    blocks: list[Block] = [Paragraph(text=p.region.positioning, style="lead")] if p.region.positioning else []
    shares = gva_shares(p.economy)
    figures: list[tuple[str, str]] = []
    if shares and shares[-1].region_share is not None:
        figures.append(
            (ctx.tr("roadmap.fig.gva_share", year=shares[-1].year), f"{ctx.num(shares[-1].region_share, 3)} %")
        )
    accepted = [c for c in p.clusters if c.status == "accepted"]
    pilot_money = sum(sum(pl.budget.values()) for pl in p.pilots)
    figures += [
        (ctx.tr("roadmap.fig.elements"), str(len(p.identity_elements))),
        (ctx.tr("roadmap.fig.clusters"), str(len(accepted))),
        (
            ctx.tr("roadmap.fig.measures"),
            f"{len(p.measures)} ({ctx.num(sum(m.budget for m in p.measures))} {ctx.unit})",
        ),
        (ctx.tr("roadmap.fig.pilots"), f"{len(p.pilots)} ({ctx.num(pilot_money)} {ctx.unit})"),
        (ctx.tr("roadmap.fig.events"), str(len(p.promotion.events))),
        (ctx.tr("roadmap.fig.kpis"), str(len(p.kpis))),
    ]
    blocks.append(
        Table(
            columns=[ctx.tr("roadmap.col.indicator"), ctx.tr("roadmap.col.value")],
            rows=[list(f) for f in figures],
            widths=[3, 2],
            numeric=[False, True],
        )
    )
    top = growth_points(p, ctx.cat, lang=ctx.lang)[:5]
    if top:
        blocks.append(Heading(text=ctx.tr("roadmap.priorities")))
        blocks.append(Bullets(items=[f"{g.rank}. {ctx.industry(g.industry)} ({ctx.num(g.score, 2)})" for g in top]))
    if accepted:
        blocks.append(Heading(text=ctx.tr("roadmap.clusters")))
        blocks.append(Bullets(items=[c.name for c in accepted]))
    blocks.append(Heading(text=ctx.tr("roadmap.progress")))
    blocks.append(
        Table(
            columns=[ctx.tr("roadmap.col.iteration"), ctx.tr("roadmap.col.state")],
            rows=[
                [
                    ctx.tr(s.title_key),
                    ctx.tr("roadmap.done")
                    if s.done
                    else ctx.tr("roadmap.missing", what=", ".join(ctx.tr(k, **s.values) for k in s.missing)),
                ]
                for s in ctx.status.values()
            ],
            widths=[2, 5],
        )
    )
    blocks += _workshop_table(ctx)
    if p.next_review:
        blocks.append(Paragraph(text=ctx.tr("roadmap.next_review", date=day(p.next_review, ctx.lang)), style="note"))
    return Section(id="summary", title=ctx.tr("roadmap.sec.summary"), blocks=blocks)


def _audit(ctx: _Context) -> Section:
    p, lang = ctx.p, ctx.lang
    blocks: list[Block] = ctx.pending(1)
    if p.region.profile:
        blocks.append(Heading(text=ctx.tr("roadmap.profile")))
        blocks.append(
            Table(
                columns=[ctx.tr("roadmap.col.indicator"), ctx.tr("roadmap.col.value")],
                rows=[[f.label, f.value] for f in p.region.profile],
                widths=[2, 3],
            )
        )
    if p.identity_elements:
        layers = {lyr.id: (i, lyr.name.get(lang)) for i, lyr in enumerate(ctx.cat.identity.layers)}
        comps = {c.id: c.name.get(lang) for c in ctx.cat.identity.components}
        ordered = sorted(p.identity_elements, key=lambda e: (layers[e.layer][0], -e.strength, e.name))
        blocks.append(Heading(text=ctx.tr("roadmap.elements")))
        blocks.append(
            Table(
                columns=[
                    ctx.tr("chart.layer"),
                    ctx.tr("roadmap.col.element"),
                    ctx.tr("chart.component"),
                    ctx.tr("roadmap.col.strength"),
                    ctx.tr("roadmap.col.industries"),
                ],
                rows=[
                    [
                        layers[e.layer][1],
                        e.name + (f"\n{e.description}" if e.description else ""),
                        comps[e.component],
                        ctx.num(e.strength, 2),
                        ", ".join(ctx.industry(i) for i in e.industries),
                    ]
                    for e in ordered
                ],
                widths=[1.6, 3.6, 1.6, 0.95, 2.2],
                numeric=[False, False, False, True, False],
            )
        )
        blocks += _cites(ctx, lambda s: s.kind == "rate")
        labels = audit.chart_labels(lang)
        blocks.append(
            Figure(
                id="identity_by_layer",
                caption=ctx.tr("audit.strength_by_layer"),
                chart="identity_by_layer",
                args={"rows": audit.layer_chart_rows(p, ctx.cat, lang), "labels": labels},
            )
        )
        points = audit.priority_chart_rows(p, ctx.cat, lang)
        blocks.append(
            Figure(
                id="priority_matrix",
                caption=ctx.tr("audit.priority_matrix"),
                chart="priority_matrix",
                args={"rows": points, "labels": labels},
            )
        )
    if not p.identity_elements:
        blocks += _cites(ctx, lambda s: s.kind == "rate")
    blocks += _economy(ctx)
    return Section(id="audit", title=ctx.tr("roadmap.sec.audit"), iteration=1, blocks=blocks)


def _economy(ctx: _Context) -> list[Block]:
    """The LQ heat map with the cells whose specialisation flips inside size bands' ranges, and the map."""
    p, lang = ctx.p, ctx.lang
    blocks: list[Block] = []
    if p.economy.employment:
        blocks.append(
            Figure(
                id="lq_heatmap",
                caption=ctx.tr("audit.lq_heatmap"),
                chart="lq_heatmap",
                args={"rows": audit.lq_heat_rows(p, ctx.cat, lang), "labels": audit.chart_labels(lang)},
            )
        )
        flips = audit.uncertain_rows(p, ctx.cat, lang)
        if flips:
            blocks.append(Paragraph(text=ctx.tr("audit.uncertain", count=len(flips)), style="note"))
            blocks.append(
                Table(
                    columns=[
                        ctx.tr("chart.municipality"),
                        ctx.tr("chart.industry"),
                        ctx.tr("audit.col.lq"),
                        ctx.tr("audit.col.lq_range"),
                    ],
                    rows=flips,
                    widths=[2.4, 2.4, 1, 1.6],
                    numeric=[False, False, True, True],
                )
            )
    if maps.has_map(p):
        args = maps.chart_args(p, ctx.cat, lang, "growth", None)
        blocks.append(
            Figure(
                id="region_map", caption=f"{ctx.tr('map.title')}. {args['title']}", chart="municipality_map", args=args
            )
        )
    return blocks


def _clusters(ctx: _Context) -> Section:
    p = ctx.p
    blocks: list[Block] = ctx.pending(2)
    elements = {e.id: e.name for e in p.identity_elements}
    actors = {a.id: a.name for a in p.actors}
    types = {c.id: c.name.get(ctx.lang) for c in ctx.cat.cluster_types}
    accepted = [c for c in p.clusters if c.status == "accepted"]
    blocks += _cites(ctx, lambda s: s.kind == "points" or s.use == "target_image")
    for c in accepted:
        blocks.append(Heading(text=c.name))
        if c.target_image:
            blocks.append(Paragraph(text=c.target_image, style="quote"))
        facts = [
            (ctx.tr("roadmap.col.industries"), ", ".join(ctx.industry(i) for i in c.industries)),
            (ctx.tr("roadmap.col.elements"), "; ".join(elements.get(e, e) for e in c.identity_elements)),
            (ctx.tr("roadmap.col.formation"), types.get(c.formation_type or "", c.formation_type or "—")),
            (ctx.tr("roadmap.col.anchor"), c.anchor_municipality or "—"),
            (ctx.tr("roadmap.col.leads"), "; ".join(actors.get(a, a) for a in c.lead_actors) or "—"),
        ]
        blocks.append(
            Table(
                columns=[ctx.tr("roadmap.col.aspect"), ctx.tr("roadmap.col.value")],
                rows=[[a, b or "—"] for a, b in facts],
                widths=[1.4, 4],
            )
        )
    graph = identity_graph(p)
    if accepted and graph.number_of_nodes():
        group = {f"ind:{i}": c.name for c in accepted for i in c.industries}
        group.update({f"el:{e}": c.name for c in accepted for e in c.identity_elements})
        for node, data in graph.nodes(data=True):
            data["group"] = shorten(group.get(node, "—"), 40)
            data["kind_label"] = ctx.tr(f"clustering.kind.{data['kind']}")
            data["label"] = shorten(ctx.industry(node[4:]) if data["kind"] == "industry" else data["label"], 28)
        edges, nodes = charts.network_rows(graph, spring_positions(graph))
        blocks.append(
            Figure(
                id="cluster_network",
                caption=ctx.tr("clustering.network"),
                chart="network",
                args={
                    "edges": edges,
                    "nodes": nodes,
                    "labels": {"group": ctx.tr("clustering.group"), "kind": ctx.tr("clustering.kind")},
                },
            )
        )
    return Section(id="clusters", title=ctx.tr("roadmap.sec.clusters"), iteration=2, blocks=blocks)


def _classification(ctx: _Context) -> Section:
    group = ctx.cat.rules.group
    rows = []
    for d in sorted(
        ctx.decisions, key=lambda d: (ctx.cat.rules.highest_first.index(d.significance), ctx.industry(d.industry))
    ):
        sig = group(d.significance).name.get(ctx.lang) + (" *" if d.overridden else "")
        rows.append(
            [
                ctx.industry(d.industry),
                sig,
                ", ".join(ctx.level(lvl) for lvl in d.levels),
                "\n".join(explain(d, ctx.cat, ctx.lang, ctx.country)),
            ]
        )
    blocks: list[Block] = [
        Paragraph(text=ctx.tr("roadmap.classification_intro")),
        Table(
            columns=[
                ctx.tr("chart.industry"),
                ctx.tr("chart.significance"),
                ctx.tr("roadmap.col.levels"),
                ctx.tr("roadmap.col.reason"),
            ],
            rows=rows,
            widths=[1.6, 1.4, 1.6, 5],
        ),
    ]
    if any(d.overridden for d in ctx.decisions):
        blocks.append(Paragraph(text=ctx.tr("roadmap.overridden_note"), style="note"))
    return Section(id="classification", title=ctx.tr("roadmap.sec.classification"), iteration=3, blocks=blocks)


def _measures(ctx: _Context) -> Section:
    p = ctx.p
    blocks: list[Block] = ctx.pending(3)
    budget_col = ctx.tr("roadmap.col.budget", unit=ctx.unit)
    for level in LEVELS:
        chosen = [m for m in p.measures if _level_of(ctx, m.measure) == level]
        if not chosen:
            continue
        blocks.append(Heading(text=ctx.tr("roadmap.measures_at", level=_cap(ctx.level(level)))))
        rows = [
            [
                ctx.measure(m.measure) + (f"\n{m.note}" if m.note else ""),
                ctx.cluster(m.cluster),
                m.owner or "—",
                ctx.num(m.budget),
                span(m.start, m.end, ctx.lang),
            ]
            for m in chosen
        ]
        rows.append([ctx.tr("roadmap.word.total"), "", "", ctx.num(sum(m.budget for m in chosen)), ""])
        blocks.append(
            Table(
                columns=[
                    ctx.tr("roadmap.col.measure"),
                    ctx.tr("roadmap.col.cluster"),
                    ctx.tr("roadmap.col.owner"),
                    budget_col,
                    ctx.tr("roadmap.col.dates"),
                ],
                rows=rows,
                widths=[3.2, 1.8, 2.2, 1.1, 1.9],
                numeric=[False, False, False, True, False],
                total=True,
            )
        )
    if p.measures:
        summary = summary_table(budget_rows(p, ctx.cat, ctx.lang, ctx.tr("measures.region_wide")))
        rows = [
            [r["cluster"], *(str(r[lvl]) for lvl in LEVELS), str(r["measures"]), ctx.num(r["budget"])] for r in summary
        ]
        rows.append(
            [
                ctx.tr("roadmap.word.total"),
                *(str(sum(r[lvl] for r in summary)) for lvl in LEVELS),
                str(sum(r["measures"] for r in summary)),
                ctx.num(sum(r["budget"] for r in summary)),
            ]
        )
        blocks.append(Heading(text=ctx.tr("roadmap.measures_by_cluster")))
        blocks.append(
            Table(
                columns=[
                    ctx.tr("roadmap.col.cluster"),
                    *(_cap(ctx.level(lvl)) for lvl in LEVELS),
                    ctx.tr("roadmap.col.count"),
                    budget_col,
                ],
                rows=rows,
                widths=[2.5, 1.6, 1.4, 1.5, 1.1, 1.4],
                numeric=[False] + [True] * 5,
                total=True,
            )
        )
    return Section(id="measures", title=ctx.tr("roadmap.sec.measures"), iteration=3, blocks=blocks)


def _level_of(ctx: _Context, measure_id: str) -> str | None:
    try:
        return ctx.cat.measure(measure_id).level
    except KeyError:
        return None


def _pilots(ctx: _Context) -> Section:
    p = ctx.p
    blocks: list[Block] = ctx.pending(4)
    status = {s: ctx.tr(f"roadmap.status.{s}") for s in PILOT_STATUSES}
    if p.pilots:
        rows = []
        for pl in p.pilots:
            money = "\n".join(
                f"{ctx.tr(f'roadmap.source.{s}')}: {ctx.num(pl.budget[s])}" for s in FUNDING_SOURCES if pl.budget.get(s)
            )
            steps = "\n".join(f"{'✓' if m.done else '○'} {day(m.due, ctx.lang)} {m.name}" for m in pl.milestones)
            who = pl.owner or "—"
            if pl.partners:
                who += "\n" + ctx.tr("roadmap.partners") + ": " + "; ".join(pl.partners)
            measures = "; ".join(ctx.measure(m) for m in pl.measures)
            rows.append(
                [
                    pl.name + (f"\n{measures}" if measures else ""),
                    ctx.cluster(pl.cluster),
                    who,
                    money or "—",
                    f"{span(pl.start, pl.end, ctx.lang)}\n{status[pl.status]}",
                    steps or "—",
                ]
            )
        blocks.append(
            Table(
                columns=[
                    ctx.tr("roadmap.col.pilot"),
                    ctx.tr("roadmap.col.cluster"),
                    ctx.tr("roadmap.col.owner"),
                    ctx.tr("roadmap.col.budget", unit=ctx.unit),
                    ctx.tr("roadmap.col.dates_status"),
                    ctx.tr("roadmap.col.milestones"),
                ],
                rows=rows,
                widths=[2.2, 1.4, 2, 1.9, 1.6, 2.6],
            )
        )
    blocks += _cites(ctx, lambda s: s.kind == "rank" or s.use == "pilots_added")
    if p.pilots:
        blocks.append(
            Figure(id="pilots_gantt", caption=ctx.tr("roadmap.gantt"), chart="gantt", args=_gantt(ctx, status))
        )
        money_rows = _money_rows(ctx)
        if money_rows:
            labels = {
                "budget": ctx.tr("roadmap.col.budget", unit=ctx.unit),
                "source": ctx.tr("roadmap.col.source"),
                "cluster": ctx.tr("roadmap.col.cluster"),
            }
            blocks.append(
                Figure(
                    id="pilots_budget",
                    caption=ctx.tr("roadmap.budget_by_source"),
                    chart="budget_by_source",
                    args={"rows": money_rows, "labels": labels},
                )
            )
    sw = p.single_window
    if sw.who or sw.where or sw.how:
        blocks.append(Heading(text=ctx.tr("roadmap.single_window")))
        blocks.append(
            Table(
                columns=[ctx.tr("roadmap.col.aspect"), ctx.tr("roadmap.col.value")],
                rows=[[ctx.tr(f"roadmap.sw.{k}"), getattr(sw, k) or "—"] for k in ("who", "where", "how")],
                widths=[1, 4],
            )
        )
    stories = [pl for pl in p.pilots if pl.success_story]
    if stories:
        blocks.append(Heading(text=ctx.tr("roadmap.success_stories")))
        blocks += [Paragraph(text=f"{pl.name}: {pl.success_story}") for pl in stories]
    return Section(id="pilots", title=ctx.tr("roadmap.sec.pilots"), iteration=4, blocks=blocks)


def _gantt(ctx: _Context, status: dict[str, str]) -> dict[str, Any]:
    done = {True: ctx.tr("roadmap.milestone_done"), False: ctx.tr("roadmap.milestone_open")}
    bars, steps = pilots.gantt_rows(ctx.p, status, done)
    labels = {
        "time": ctx.tr("roadmap.col.dates"),
        "status": ctx.tr("roadmap.col.status"),
        "pilot": ctx.tr("roadmap.col.pilot"),
        "milestone": ctx.tr("roadmap.col.milestones"),
        "done": done[True],
        "open": done[False],
    }
    return {"bars": bars, "milestones": steps, "labels": labels}


def _money_rows(ctx: _Context) -> list[dict[str, Any]]:
    sources = {s: ctx.tr(f"roadmap.source.{s}") for s in FUNDING_SOURCES}
    clusters = {c.id: shorten(c.name, 40) for c in ctx.p.clusters} | {None: shorten(ctx.cluster(None), 40)}
    return pilots.money_rows(ctx.p, sources, clusters)


def _promotion(ctx: _Context) -> Section:
    pr = ctx.p.promotion
    blocks: list[Block] = ctx.pending(5)
    if pr.narrative:
        blocks.append(Heading(text=ctx.tr("roadmap.narrative")))
        blocks.append(Paragraph(text=pr.narrative, style="quote"))
    for key, items in (
        ("values", pr.values),
        ("audiences_inside", pr.audiences_inside),
        ("audiences_outside", pr.audiences_outside),
    ):
        if items:
            blocks.append(Heading(text=ctx.tr(f"roadmap.{key}")))
            blocks.append(Bullets(items=list(items)))
    if pr.stories:
        blocks.append(Heading(text=ctx.tr("roadmap.stories")))
        blocks.append(
            Table(
                columns=[
                    ctx.tr("roadmap.col.cluster"),
                    *(ctx.tr(f"roadmap.story.{k}") for k in ("place", "tradition", "people", "today")),
                ],
                rows=[[ctx.cluster(s.cluster), s.place, s.tradition, s.people, s.today] for s in pr.stories],
                widths=[1.5, 2, 2, 2, 2.5],
            )
        )
    if pr.events:
        kinds = {k: ctx.tr(f"roadmap.event.{k}") for k in EVENT_KINDS}
        events = sorted(pr.events, key=lambda e: (e.start, e.name))
        blocks.append(Heading(text=ctx.tr("roadmap.events")))
        blocks.append(
            Table(
                columns=[
                    ctx.tr("roadmap.col.dates"),
                    ctx.tr("roadmap.col.event"),
                    ctx.tr("roadmap.col.venue"),
                    ctx.tr("roadmap.col.audience"),
                    ctx.tr("roadmap.col.cluster"),
                ],
                rows=[
                    [
                        span(e.start, e.end, ctx.lang) if e.end and e.end != e.start else day(e.start, ctx.lang),
                        f"{e.name}\n{kinds[e.kind]}",
                        ", ".join(dict.fromkeys(x for x in (e.venue, e.municipality) if x)) or "—",
                        e.audience or "—",
                        ctx.cluster(e.cluster) if e.cluster else "—",
                    ]
                    for e in events
                ],
                widths=[1.7, 2.6, 2, 2, 1.6],
            )
        )
        blocks += _cites(ctx, lambda s: s.use == "events_added")
        rows = [
            {
                "name": e.name,
                "start": e.start.isoformat(),
                "end": (e.end or e.start).isoformat(),
                "cluster_label": shorten(ctx.cluster(e.cluster) if e.cluster else "—", 40),
                "kind_label": kinds[e.kind],
            }
            for e in events
        ]
        labels = {
            "time": ctx.tr("roadmap.col.dates"),
            "kind": ctx.tr("roadmap.col.kind"),
            "event": ctx.tr("roadmap.col.event"),
        }
        blocks.append(
            Figure(
                id="events_timeline",
                caption=ctx.tr("roadmap.events_timeline"),
                chart="events_timeline",
                args={"rows": rows, "labels": labels},
            )
        )
    if not pr.events:
        blocks += _cites(ctx, lambda s: s.use == "events_added")
    return Section(id="promotion", title=ctx.tr("roadmap.sec.promotion"), iteration=5, blocks=blocks)


def _monitoring(ctx: _Context) -> Section:
    p = ctx.p
    blocks: list[Block] = ctx.pending(6)
    if p.kpis:
        years = sorted({y for k in p.kpis for y in k.targets})[-6:]
        rows = []
        for k in p.kpis:
            name, family, unit = monitoring.kpi_info(k, ctx.cat, ctx.lang)
            family_label = ctx.tr(f"roadmap.family.{family}") if family else ""
            cells = []
            for y in years:
                target = ctx.num(k.targets[y], 3) if y in k.targets else "—"
                actual = f"\n{ctx.tr('roadmap.actual_short')} {ctx.num(k.actuals[y], 3)}" if y in k.actuals else ""
                cells.append(target + actual)
            rows.append([f"{name}\n{family_label}", unit, f"{ctx.num(k.baseline, 3)}\n({k.baseline_year})", *cells])
        blocks.append(Paragraph(text=ctx.tr("roadmap.kpi_intro"), style="note"))
        blocks.append(
            Table(
                columns=[
                    ctx.tr("roadmap.col.kpi"),
                    ctx.tr("roadmap.col.unit"),
                    ctx.tr("roadmap.col.baseline"),
                    *map(str, years),
                ],
                rows=rows,
                widths=[2.8, 1.6, 1.2, *([1.1] * len(years))],
                numeric=[False, False, True, *([True] * len(years))],
            )
        )
        blocks += _kpi_figures(ctx)
        blocks += _kpi_status(ctx)
    schedule = monitoring_schedule(p)
    if schedule:
        blocks.append(Heading(text=ctx.tr("roadmap.schedule")))
        blocks.append(Paragraph(text=ctx.tr("roadmap.schedule_rule")))
        rows = []
        for review, year, due in schedule:
            rows.append(
                [
                    day(review, ctx.lang),
                    str(year),
                    "; ".join(monitoring.kpi_name(k, ctx.cat, ctx.lang) for k in due) or "—",
                ]
            )
        blocks.append(
            Table(
                columns=[ctx.tr("roadmap.col.review"), ctx.tr("roadmap.col.year"), ctx.tr("roadmap.col.kpis_due")],
                rows=rows,
                widths=[1.3, 0.8, 6],
            )
        )
    blocks += _feedback_and_review(ctx)
    return Section(id="monitoring", title=ctx.tr("roadmap.sec.monitoring"), iteration=6, blocks=blocks)


def _kpi_status(ctx: _Context) -> list[Block]:
    """Each KPI's status by the latest actual, with the rule and its numbers (monitoring.py)."""
    rows = []
    for k in ctx.p.kpis:
        s = monitoring.status(k, ctx.cat)
        rows.append(
            [monitoring.kpi_name(k, ctx.cat, ctx.lang), ctx.tr(f"monitoring.status.{s.status}"), s.explain(ctx.lang)]
        )
    return [
        Heading(text=ctx.tr("roadmap.kpi_status")),
        Table(
            columns=[ctx.tr("roadmap.col.kpi"), ctx.tr("monitoring.col.status"), ctx.tr("monitoring.col.rule")],
            rows=rows,
            widths=[2.4, 1.2, 5],
        ),
    ]


def _feedback_and_review(ctx: _Context) -> list[Block]:
    p, out = ctx.p, []
    cites = _cites(ctx, lambda s: s.kind == "kpi")
    if p.feedback or cites:
        out.append(Heading(text=ctx.tr("monitoring.feedback")))
    if p.feedback:
        out.append(
            Table(
                columns=[
                    ctx.tr(f"monitoring.col.{k}") for k in ("received", "source", "issue", "opportunity", "response")
                ],
                rows=[
                    [day(f.received, ctx.lang), f.source, f.issue or "—", f.opportunity or "—", f.response or "—"]
                    for f in sorted(p.feedback, key=lambda f: f.received)
                ],
                widths=[1.1, 1.8, 2.2, 2.2, 2.2],
            )
        )
    out += cites
    if p.review is not None:
        out.append(Heading(text=ctx.tr("roadmap.review", year=p.review.year)))
        if p.review.summary:
            out.append(Paragraph(text=p.review.summary, style="quote"))
        out.append(
            Table(
                columns=[
                    ctx.tr("roadmap.col.measure"),
                    ctx.tr("roadmap.col.cluster"),
                    ctx.tr("monitoring.col.action"),
                    ctx.tr("monitoring.col.reason"),
                ],
                rows=[
                    [
                        ctx.measure(d.measure),
                        ctx.cluster(d.cluster),
                        ctx.tr(f"monitoring.action.{d.action}"),
                        d.reason + (f"\n→ {d.change}" if d.change else ""),
                    ]
                    for d in p.review.decisions
                ],
                widths=[2.6, 1.8, 1.5, 3.8],
            )
        )
    for past in p.previous_cycles[-1:]:
        out.append(Heading(text=ctx.tr("monitoring.previous", cycle=past.cycle, date=day(past.closed_on, ctx.lang))))
        out.append(
            Table(
                columns=[
                    ctx.tr("roadmap.col.kpi"),
                    ctx.tr("roadmap.col.year"),
                    ctx.tr("monitoring.col.actual"),
                    ctx.tr("monitoring.col.planned"),
                    ctx.tr("monitoring.col.status"),
                ],
                rows=[
                    [
                        monitoring.result_name(r, ctx.cat, ctx.lang),
                        str(r.year or "—"),
                        "—" if r.actual is None else ctx.num(r.actual, 3),
                        "—" if r.planned is None else ctx.num(r.planned, 3),
                        ctx.tr(f"monitoring.status.{r.status}"),
                    ]
                    for r in past.results
                ],
                widths=[3, 0.8, 1.2, 1.2, 1.4],
                numeric=[False, True, True, True, False],
            )
        )
    return out


def _kpi_figures(ctx: _Context) -> list[Block]:
    series = {"target": ctx.tr("roadmap.series.target"), "actual": ctx.tr("roadmap.series.actual")}
    labels = {"series": ctx.tr("roadmap.col.series"), "kpi": ctx.tr("roadmap.col.kpi"), **series}
    tracks = [k for k in ctx.p.kpis if k.targets or k.actuals]
    out: list[Block] = []
    for start in range(0, len(tracks), KPIS_PER_FIGURE):
        rows = []
        for k in tracks[start : start + KPIS_PER_FIGURE]:
            label = shorten(monitoring.kpi_name(k, ctx.cat, ctx.lang), 36)
            path = {k.baseline_year: k.baseline, **k.targets}
            rows += [
                {"kpi_label": label, "year": y, "value": v, "series": "target", "series_label": series["target"]}
                for y, v in sorted(path.items())
            ]
            rows += [
                {"kpi_label": label, "year": y, "value": v, "series": "actual", "series_label": series["actual"]}
                for y, v in sorted(k.actuals.items())
            ]
        part = start // KPIS_PER_FIGURE + 1
        out.append(
            Figure(
                id=f"kpi_paths_{part}",
                caption=ctx.tr("roadmap.kpi_paths"),
                chart="kpi_paths",
                args={"rows": rows, "labels": labels},
                fixed_width=False,
            )
        )
    return out


# --- the workshops with the room -----------------------------------------------------------------


def _held(project: Project) -> list[WorkshopSummary]:
    """The project's accepted workshop results, oldest first (the order they were accepted on a day)."""
    return sorted(project.workshops, key=lambda s: s.held_on)


def _people(ctx: _Context, s: WorkshopSummary) -> str:
    """Who took part: "participants: 47; public authority 12, business 20…", roles in the vocabulary's order
    (no-break spaces keep a count with its role, and the Russian dash with its word)."""
    roles = [
        f"{_low(ctx.tr(f'ws.role.{r}'))}\u00a0{ctx.num(s.by_role[r], 0)}" for r in PARTICIPANT_ROLES if s.by_role.get(r)
    ]
    participants = ctx.num(s.participants, 0)
    if roles:
        return ctx.tr("roadmap.ws.people_roles", participants=participants, roles=", ".join(roles))
    return ctx.tr("roadmap.ws.people", participants=participants)


def _citation(ctx: _Context, s: WorkshopSummary) -> str:
    """The sentence citing one accepted result: the workshop, who took part by role, the day, the
    question, what it changed, and the first items of the result (a KPI question's result is the
    feedback it left, which the monitoring section prints)."""
    text = ctx.tr(
        f"roadmap.ws.cite.{s.kind}",
        workshop=s.workshop,
        people=_people(ctx, s),
        day=day(s.held_on, ctx.lang),
        question=s.question,
        changed=ctx.tr(f"roadmap.ws.changed.{s.use}"),
    )
    top = s.results[:WORKSHOP_TOP] if s.kind != "kpi" else []
    if top:
        items = "; ".join(ctx.tr("roadmap.ws.item", label=r.label, value=ctx.num(r.value, 2)) for r in top)
        text += " " + ctx.tr("roadmap.ws.top", measure=_low(ctx.tr(f"ws.value.{s.kind}")), items=items)
    return text


def _cites(ctx: _Context, which: Callable[[WorkshopSummary], bool]) -> list[Block]:
    """A citation, as a note, of each accepted result `which` picks, where a section presents what it decided."""
    return [Paragraph(text=_citation(ctx, s), style="note") for s in _held(ctx.p) if which(s)]


def _workshop_table(ctx: _Context) -> list[Block]:
    """The accepted results of the workshops with the room, in the summary; nothing without any."""
    held = _held(ctx.p)
    if not held:
        return []
    rows = [
        [
            day(s.held_on, ctx.lang),
            s.workshop,
            s.question,
            ctx.num(s.participants, 0),
            "\n".join(
                f"{ctx.tr(f'ws.role.{r}')}:\u00a0{ctx.num(s.by_role[r], 0)}"  # the count never alone on a line
                for r in PARTICIPANT_ROLES
                if s.by_role.get(r)
            )
            or "—",
            _cap(ctx.tr(f"roadmap.ws.changed.{s.use}")),
        ]
        for s in held
    ]
    return [
        Heading(text=ctx.tr("roadmap.ws.title")),
        Paragraph(text=ctx.tr("roadmap.ws.intro"), style="note"),
        Table(
            columns=[
                ctx.tr(f"roadmap.ws.col.{k}")
                for k in ("date", "workshop", "question", "participants", "by_role", "changed")
            ],
            rows=rows,
            widths=[1.4, 2.25, 2.35, 1.6, 2.25, 2.2],  # the date and "Participants" on one line at 8 pt
            numeric=[False, False, False, True, False, False],
        ),
    ]


def monitoring_schedule(project: Project) -> list[tuple[date, int, list[Any]]]:
    """The annual reviews from the next review on: (date, year assessed, KPIs with a target that year).

    The review in year Y assesses the targets set for Y (the method's annual review, 002 Table 1,
    iteration 6), on the same day and month as the next review, until the last target year.
    """
    if project.next_review is None or not project.kpis:
        return []
    last = max((y for k in project.kpis for y in k.targets), default=project.next_review.year)
    out = []
    for year in range(project.next_review.year, max(last, project.next_review.year) + 1):
        review = _same_day(project.next_review, year)
        out.append((review, year, [k for k in project.kpis if year in k.targets]))
    return out


def _same_day(d: date, year: int) -> date:
    try:
        return d.replace(year=year)
    except ValueError:  # 29 February
        return d.replace(year=year, day=28)


def _next_review(ctx: _Context) -> Section:
    p = ctx.p
    blocks: list[Block] = []
    if p.next_review:
        blocks.append(Paragraph(text=ctx.tr("roadmap.next_review", date=day(p.next_review, ctx.lang)), style="lead"))
    else:
        blocks.append(Pending(text=ctx.tr("roadmap.no_next_review"), missing=[]))
    blocks.append(Paragraph(text=ctx.tr("roadmap.cycle_note", cycle=p.cycle, next=p.cycle + 1)))
    return Section(id="next_review", title=ctx.tr("roadmap.sec.next_review"), blocks=blocks)


__all__ = [
    "Roadmap",
    "Section",
    "Cover",
    "Heading",
    "Paragraph",
    "Bullets",
    "Table",
    "Figure",
    "Pending",
    "Signatures",
    "build_roadmap",
    "printable",
    "number",
    "day",
    "monitoring_schedule",
    "REGION_WIDE",
]
