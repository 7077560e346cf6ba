"""Altair charts of the diagnostics, shared by the app's pages and (later) the roadmap document.

Each function takes plain rows from the engine and returns a chart; labels come in the user's
language through the `labels` mapping the caller passes, so this module holds no UI texts.
Data is always inline, so vl-convert can render the same charts offline for the PDF.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import networkx as nx


def identity_by_layer(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Stacked bars: number of identity elements per layer and component, coloured by mean strength."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("layer_label:N", title=labels["layer"], sort=None),
            y=alt.Y("elements:Q", title=labels["elements"]),
            color=alt.Color("component_label:N", title=labels["component"]),
            tooltip=[
                alt.Tooltip("layer_label:N", title=labels["layer"]),
                alt.Tooltip("component_label:N", title=labels["component"]),
                alt.Tooltip("elements:Q", title=labels["elements"]),
                alt.Tooltip("strength:Q", title=labels["strength"]),
            ],
        )
        .properties(height=260)
    )


def lq_heatmap(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Municipality × industry location quotients; 1 is the regional average. A cell whose specialisation
    flips inside the size bands' ranges (`uncertain`) is outlined and its number ends in "?"."""
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("industry_label:N", title=labels["industry"]),
        y=alt.Y("municipality:N", title=labels["municipality"]),
    )
    tooltip = [
        alt.Tooltip("municipality:N", title=labels["municipality"]),
        alt.Tooltip("industry_label:N", title=labels["industry"]),
        alt.Tooltip("lq_label:N", title=labels.get("lq_cell", "LQ")),
        alt.Tooltip("employees:Q", title=labels["employees"]),
    ]
    if any(r.get("lq_range") for r in rows):
        tooltip.append(alt.Tooltip("lq_range:N", title=labels.get("lq_range", "LQ")))
    heat = base.mark_rect().encode(
        color=alt.Color("lq:Q", title=labels.get("lq_cell", "LQ"), scale=alt.Scale(scheme="blueorange", domainMid=1)),
        stroke=alt.condition("datum.uncertain", alt.value("black"), alt.value(None)),
        strokeWidth=alt.condition("datum.uncertain", alt.value(2), alt.value(0)),
        tooltip=tooltip,
    )
    # A municipality with no employment has no LQ: its cells get no colour and a dash (lq_label), not "null".
    text = base.mark_text(fontSize=10).encode(text=alt.Text("lq_label:N"))
    # A step per municipality, not a total height: the chart grows with the region's list (8
    # municipalities at a fixed height left 2 labels readable), and long industry names slant.
    return (
        (heat + text)
        .properties(height=alt.Step(30))
        .configure_axisX(labelAngle=-90, labelLimit=240, labelOverlap=False)
        .configure_axisY(labelLimit=260)  # "Краснокамский район" whole, not "Краснокамский …"
    )


def municipality_map(
    areas: list[dict[str, Any]],
    points: list[dict[str, Any]],
    elements: list[dict[str, Any]],
    labels: dict[str, str],
    title: str = "",
) -> alt.LayerChart:
    """The region on a map (wizard/maps.py rows): outlines (GeoJSON features) or circles at centres coloured
    by a measure, identity elements as black diamonds. A Mercator projection fitted to what is drawn;
    municipalities with no figure are grey."""
    scale = alt.Scale(scheme="yelloworangered")
    legend = alt.Legend(title=title or labels["value"], orient="bottom", titleLimit=600)
    layers: list[alt.Chart] = []
    grey = "#d9d9d9"  # a municipality with no figure: drawn, not dropped, and not on the colour scale
    if areas:
        shapes = alt.Chart(alt.Data(values=areas))
        tips = [
            alt.Tooltip("properties.name:N", title=labels["municipality"]),
            alt.Tooltip("properties.label:N", title=labels["value"]),
        ]
        layers.append(
            shapes.transform_filter("!isValid(datum.properties.value)")
            .mark_geoshape(stroke="white", strokeWidth=1, fill=grey)
            .encode(tooltip=tips)
        )
        layers.append(
            shapes.transform_filter("isValid(datum.properties.value)")
            .mark_geoshape(stroke="white", strokeWidth=1)
            .encode(color=alt.Color("properties.value:Q", scale=scale, legend=legend), tooltip=tips)
        )
    if points:
        base = alt.Chart(alt.Data(values=points)).encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size("employees:Q", scale=alt.Scale(range=[150, 2200]), legend=None),
            tooltip=[
                alt.Tooltip("name:N", title=labels["municipality"]),
                alt.Tooltip("label:N", title=labels["value"]),
                alt.Tooltip("employees:Q", title=labels["employees"]),
            ],
        )
        circle = {"opacity": 0.85, "stroke": "white", "strokeWidth": 1}
        layers.append(base.transform_filter("!isValid(datum.value)").mark_circle(color=grey, **circle))
        layers.append(
            base.transform_filter("isValid(datum.value)")
            .mark_circle(**circle)
            .encode(color=alt.Color("value:Q", scale=scale, legend=legend))
        )
        names = alt.Chart(alt.Data(values=points)).encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
        layers.append(names.mark_text(dy=-16, fontSize=11))
    if areas:
        centres = alt.Chart(alt.Data(values=areas)).transform_calculate(
            lon="geoCentroid(null, datum)[0]", lat="geoCentroid(null, datum)[1]"
        )
        layers.append(
            centres.mark_text(fontSize=11, dy=-14).encode(longitude="lon:Q", latitude="lat:Q", text="properties.name:N")
        )
    if elements:
        layers.append(
            alt.Chart(alt.Data(values=elements))
            .mark_point(shape="diamond", filled=True, color="black", size=60)
            .encode(
                longitude="lon:Q",
                latitude="lat:Q",
                tooltip=[
                    alt.Tooltip("name:N", title=labels["element"]),
                    alt.Tooltip("layer:N", title=labels["layer"]),
                    alt.Tooltip("municipality:N", title=labels["municipality"]),
                ],
            )
        )
    return alt.layer(*layers).project(type="mercator").properties(height=460)


def region_ranking(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.LayerChart:
    """Regions of a country by creative LQ against the nation (national.chart_rows); the project's region
    stands out, and 1 (the nation) is a rule."""
    bars = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y(
                "region:N",
                sort=alt.EncodingSortField("lq", order="descending"),
                title=labels["region"],
                axis=alt.Axis(labelLimit=260, labelOverlap=False),  # every region named, none dropped
            ),
            x=alt.X("lq:Q", title=labels["lq"], axis=alt.Axis(format=".1f", tickCount=8)),
            color=alt.condition("datum.mine", alt.value("#c0392b"), alt.value("#9ab6d3")),
            tooltip=[
                alt.Tooltip("rank:Q", title=labels["rank"]),
                alt.Tooltip("region:N", title=labels["region"]),
                alt.Tooltip("lq:Q", title=labels["lq"], format=".2f"),
                alt.Tooltip("share:Q", title=labels["share"], format=".2f"),
            ],
        )
    )
    one = alt.Chart(alt.Data(values=[{"x": 1}])).mark_rule(strokeDash=[4, 3], color="black").encode(x="x:Q")
    return alt.layer(bars, one).properties(height=alt.Step(24))


def gva_share_over_time(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Creative share of GRP by year, the region against the nation."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=labels["year"]),
            y=alt.Y("share:Q", title=labels["share"]),
            color=alt.Color("territory:N", title=labels["territory"]),
            tooltip=["territory:N", "year:O", alt.Tooltip("share:Q", format=".3f")],
        )
        .properties(height=260)
    )


def priority_matrix(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Identity significance against specialization; bubble size is employment."""
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("identity_strength:Q", title=labels["identity"]),
        y=alt.Y("lq:Q", title=labels["lq"]),
    )
    bubbles = base.mark_circle(opacity=0.7).encode(
        size=alt.Size("employees:Q", title=labels["employees"], scale=alt.Scale(range=[40, 1600])),
        color=alt.Color("significance_label:N", title=labels["significance"]),
        tooltip=[
            alt.Tooltip("industry_label:N", title=labels["industry"]),
            alt.Tooltip("significance_label:N", title=labels["significance"]),
            alt.Tooltip("identity_strength:Q", title=labels["identity"]),
            alt.Tooltip("lq:Q", format=".2f"),
            alt.Tooltip("employees:Q", title=labels["employees"]),
        ],
    )
    names = base.mark_text(align="left", dx=8, fontSize=11).encode(text="industry_label:N")
    return (bubbles + names).properties(height=380)


def network_rows(
    graph: nx.Graph, positions: dict[str, tuple[float, float]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A networkx graph with its layout as plain rows: edges (x, y, x2, y2, weight) and nodes."""
    edges = [
        {
            "x": positions[u][0],
            "y": positions[u][1],
            "x2": positions[v][0],
            "y2": positions[v][1],
            "weight": d.get("weight", 1),
        }
        for u, v, d in graph.edges(data=True)
    ]
    nodes = [
        {
            "x": positions[n][0],
            "y": positions[n][1],
            "label": d.get("label", n),
            "kind": d.get("kind_label", d.get("kind", "")),
            "group": d.get("group", ""),
        }
        for n, d in graph.nodes(data=True)
    ]
    return edges, nodes


def network(edges: list[dict[str, Any]], nodes: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """A graph drawn from network_rows: edges as lines, nodes coloured by their `group`."""
    axis = alt.Axis(labels=False, ticks=False, grid=False, title=None, domain=False)
    lines = (
        alt.Chart(alt.Data(values=edges))
        .mark_rule(color="#9aa5b1")
        .encode(
            x=alt.X("x:Q", axis=axis),
            y=alt.Y("y:Q", axis=axis),
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("weight:Q", legend=None, scale=alt.Scale(range=[0.5, 4])),
        )
    )
    points = (
        alt.Chart(alt.Data(values=nodes))
        .mark_point(filled=True, size=220)
        .encode(
            x="x:Q",
            y="y:Q",
            color=alt.Color("group:N", title=labels["group"]),
            shape=alt.Shape("kind:N", title=labels["kind"]),
            tooltip=["label:N", "kind:N", "group:N"],
        )
    )
    text = alt.Chart(alt.Data(values=nodes)).mark_text(dy=-12, fontSize=10).encode(x="x:Q", y="y:Q", text="label:N")
    return (lines + points + text).properties(height=460)


def gantt(bars: list[dict[str, Any]], milestones: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Pilots as bars from start to end, coloured by status; milestones as ticks (filled when done).

    bars: name, start, end (ISO dates), status_label; milestones: name (the pilot's), milestone, due, done_label
    (labels["done"] or labels["open"]).
    """
    y = alt.Y("name:N", title=None, sort=None, axis=alt.Axis(labelLimit=280))
    chart = (
        alt.Chart(alt.Data(values=bars))
        .mark_bar(height=12, cornerRadius=2)
        .encode(
            x=alt.X("start:T", title=labels["time"], axis=alt.Axis(format="%m.%Y")),
            x2="end:T",
            y=y,
            color=alt.Color("status_label:N", title=labels["status"], legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("name:N", title=labels["pilot"]),
                alt.Tooltip("status_label:N", title=labels["status"]),
                alt.Tooltip("start:T", format="%d.%m.%Y"),
                alt.Tooltip("end:T", format="%d.%m.%Y"),
            ],
        )
    )
    if milestones:
        chart = chart + alt.Chart(alt.Data(values=milestones)).mark_point(
            shape="diamond", size=70, color="#222", strokeWidth=1.2
        ).encode(
            x="due:T",
            y=y,
            fill=alt.Fill(
                "done_label:N",
                title=labels["milestone"],
                scale=alt.Scale(domain=[labels["done"], labels["open"]], range=["#222222", "#ffffff"]),
            ),
            tooltip=[
                alt.Tooltip("milestone:N", title=labels["milestone"]),
                alt.Tooltip("due:T", format="%d.%m.%Y"),
                alt.Tooltip("done_label:N"),
            ],
        )
    return chart.properties(height=alt.Step(24))  # a row per pilot, whatever the legends take


def budget_by_source(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Stacked bars: money per funding source (federal, regional, municipal, private), split by cluster.

    rows: source_label, cluster_label, budget, order (the source's position, to keep levels in order).
    """
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("budget:Q", title=labels["budget"]),
            y=alt.Y(
                "source_label:N",
                title=labels["source"],
                sort=alt.EncodingSortField(field="order", op="min"),
                axis=alt.Axis(labelLimit=200),
            ),
            color=alt.Color(
                "cluster_label:N",
                title=labels["cluster"],
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=300),
            ),
            tooltip=[
                alt.Tooltip("source_label:N", title=labels["source"]),
                alt.Tooltip("cluster_label:N", title=labels["cluster"]),
                alt.Tooltip("budget:Q", title=labels["budget"]),
            ],
        )
        .properties(height=alt.Step(36))
    )


def events_timeline(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Events on a calendar line: one row per cluster, a mark from start to end, shaped by kind.

    rows: name, start, end (ISO dates; end = start for one-day events), cluster_label, kind_label.
    """
    y = alt.Y("cluster_label:N", title=None, axis=alt.Axis(labelLimit=240))
    base = alt.Chart(alt.Data(values=rows))
    kind = {"field": "kind_label", "type": "nominal", "title": labels["kind"]}
    spans = base.mark_rule(strokeWidth=6, opacity=0.6).encode(
        x=alt.X("start:T", title=labels["time"], axis=alt.Axis(format="%m.%Y", labelAngle=-40)),
        x2="end:T",
        y=y,
        color=alt.Color(**kind, legend=None),
    )
    points = base.mark_point(filled=True, size=90).encode(
        x="start:T",
        y=y,
        color=alt.Color(**kind, legend=alt.Legend(orient="bottom")),
        shape=alt.Shape(**kind, legend=alt.Legend(orient="bottom")),
        tooltip=[
            alt.Tooltip("name:N", title=labels["event"]),
            alt.Tooltip("start:T", format="%d.%m.%Y"),
            alt.Tooltip("end:T", format="%d.%m.%Y"),
            alt.Tooltip("kind_label:N", title=labels["kind"]),
        ],
    )
    return (spans + points).properties(height=alt.Step(40))


def kpi_paths(rows: list[dict[str, Any]], labels: dict[str, str], columns: int = 3) -> alt.Chart:
    """Small multiples: each KPI's target path (dashed) against its actuals (solid), own y scale.

    rows: kpi_label, year, value, series ("target" | "actual"), series_label (labels["target"] or
    labels["actual"], so the colours do not swap with the language's alphabetical order).
    """
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "series_label:N",
                title=labels["series"],
                legend=alt.Legend(orient="top"),
                scale=alt.Scale(domain=[labels["actual"], labels["target"]], range=["#1f4e79", "#d9822b"]),
            ),
            strokeDash=alt.StrokeDash(
                "series:N", legend=None, scale=alt.Scale(domain=["actual", "target"], range=[[1, 0], [5, 3]])
            ),
            tooltip=[
                alt.Tooltip("kpi_label:N", title=labels["kpi"]),
                "year:O",
                alt.Tooltip("series_label:N"),
                alt.Tooltip("value:Q", format=",.3~f"),
            ],
        )
        .properties(width=170, height=110)
        .facet(
            facet=alt.Facet("kpi_label:N", title=None, header=alt.Header(labelLimit=190, labelFontSize=10)),
            columns=columns,
        )
        .resolve_scale(x="independent", y="independent")
    )


def workshop_results(
    rows: list[dict[str, Any]], labels: dict[str, str], domain: tuple[float, float] | None = None
) -> alt.Chart:
    """A question's result on the facilitator's board: one bar per item (the room's value, written at its
    end), its colour the consensus across roles (darker = every role agrees); `domain` fixes the value axis
    to the method's scale (1–5 scores on 0–5) so one answer does not fill the width."""
    height = max(160, 34 * len(rows))
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("item:N", title=None, sort=alt.SortField("order"), axis=alt.Axis(labelLimit=420, labelFontSize=15)),
    )
    bars = base.mark_bar(height=22).encode(
        x=alt.X(
            "value:Q",
            title=labels["value"],
            scale=alt.Scale(domain=list(domain)) if domain else alt.Undefined,
            axis=alt.Axis(
                titleFontSize=15,
                labelFontSize=15,
                labelColor="#222",
                values=list(range(int(domain[0]), int(domain[1]) + 1)) if domain else alt.Undefined,
                tickMinStep=1,
            ),
        ),
        color=alt.Color("consensus:Q", title=labels["consensus"], scale=alt.Scale(scheme="blues", domain=[0, 1])),
        tooltip=[
            alt.Tooltip("full:N", title=labels["item"]),
            alt.Tooltip("value:Q", title=labels["value"], format=".2f"),
            alt.Tooltip("consensus:Q", title=labels["consensus"], format=".2f"),
            alt.Tooltip("ballots:Q", title=labels["ballots"]),
            alt.Tooltip("divide:Q", title=labels["divide"], format=".2f"),
        ],
    )
    values = base.mark_text(align="left", dx=6, fontSize=16, fontWeight="bold").encode(x="value:Q", text="shown:N")
    return (bars + values).properties(height=height)


def workshop_roles(
    rows: list[dict[str, Any]], labels: dict[str, str], domain: tuple[float, float] | None = None
) -> alt.Chart:
    """Each role's mean per item: a row whose colours differ is an item the roles are divided on. `domain`
    pins the colours to the method's scale (1–5), so 4.0 against 4.3 does not look like a split."""
    height = max(160, 34 * len({r["item"] for r in rows}))
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("item:N", title=None, sort=alt.SortField("order"), axis=alt.Axis(labelLimit=420, labelFontSize=15)),
        x=alt.X(
            "role:N",
            title=labels["role"],
            sort=alt.SortField("role_order"),
            axis=alt.Axis(labelAngle=0, labelFontSize=14, labelLimit=200),
        ),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "mean:Q",
            title=labels["mean"],
            scale=alt.Scale(scheme="viridis", domain=list(domain)) if domain else alt.Scale(scheme="viridis"),
        ),
        tooltip=[
            alt.Tooltip("item:N", title=labels["item"]),
            alt.Tooltip("role:N", title=labels["role"]),
            alt.Tooltip("mean:Q", title=labels["mean"], format=".2f"),
            alt.Tooltip("ballots:Q", title=labels["ballots"]),
        ],
    )
    text = base.mark_text(fontSize=15, color="white").encode(text=alt.Text("mean:Q", format=".1f"))
    return (cells + text).properties(height=height)


def workshop_joined(rows: list[dict[str, Any]], labels: dict[str, str]) -> alt.Chart:
    """Who is in the room: participants joined, by role (whole numbers; a row per role however few)."""
    top = max([1, *(r["joined"] for r in rows)])
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y(
            "role:N", title=None, sort=alt.SortField("role_order"), axis=alt.Axis(labelFontSize=15, labelLimit=320)
        ),
        x=alt.X(
            "joined:Q",
            title=labels["joined"],
            scale=alt.Scale(domain=[0, top]),
            axis=alt.Axis(format="d", tickMinStep=1, labelFontSize=14),
        ),
    )
    bars = base.mark_bar(height=24)
    counts = base.mark_text(align="left", dx=6, fontSize=15).encode(text="joined:Q")
    return (bars + counts).properties(height=alt.Step(40))
