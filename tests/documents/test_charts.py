"""The Altair charts (policy_engine/documents/charts.py): each a valid Vega-Lite spec with its rows inline
(so vl-convert draws it offline), the fields and titles it is given, drawn with the titles in the
user's language, and drawn without error when a table is still empty."""

from __future__ import annotations

import re
from typing import Any

import networkx as nx
import pytest
import vl_convert

from policy_engine.documents import charts
from policy_engine.documents.roadmap import build_roadmap

# Every label a chart may ask for, in Kazakh, so a title taken from anywhere else shows.
LABELS = {
    k: f"{k}·қ"
    for k in (
        "layer elements component strength industry municipality employees year share territory identity lq "
        "significance group kind time status pilot milestone done open budget source cluster event series "
        "actual target kpi"
    ).split()
}

ROWS: dict[str, list[dict[str, Any]]] = {
    "identity_by_layer": [
        {"layer_label": "Табиғи", "component_label": "Материалдық", "elements": 2, "strength": 4.5},
        {"layer_label": "Мәдени", "component_label": "Материалдық емес", "elements": 3, "strength": 3.0},
    ],
    "lq_heatmap": [
        # rows as wizard.audit.lq_heat_rows makes them: the LQ's label in the language's numbers, "?" where
        # specialisation flips inside the size bands' ranges, a dash where nobody is employed
        {
            "industry_label": "Кино",
            "municipality": "Риддер",
            "lq": 1.25,
            "employees": 30,
            "lq_label": "1.3",
            "lq_range": "",
            "uncertain": False,
        },
        {
            "industry_label": "Кино",
            "municipality": "Алтай",
            "lq": 0.5,
            "employees": 4,
            "lq_label": "0.5",
            "lq_range": "",
            "uncertain": False,
        },
        {
            "industry_label": "Кино",
            "municipality": "Курчатов",
            "lq": None,
            "employees": 0,
            "lq_label": "–",
            "lq_range": "",
            "uncertain": False,
        },
        {
            "industry_label": "Кино",
            "municipality": "Зайсан",
            "lq": 0.9,
            "employees": 8,
            "lq_label": "0.9?",
            "lq_range": "0.4 – 1.2",
            "uncertain": True,
        },
    ],
    "gva_share_over_time": [
        {"territory": "Шығыс Қазақстан", "year": 2022, "share": 0.5},
        {"territory": "Қазақстан", "year": 2022, "share": 1.0},
    ],
    "priority_matrix": [
        {
            "industry_label": "Қолөнер",
            "significance_label": "жоғары",
            "identity_strength": 12.5,
            "lq": 1.8,
            "employees": 120,
        }
    ],
    "budget_by_source": [
        {"source_label": "Өңірлік", "cluster_label": "Қолөнер", "budget": 5.0, "order": 1},
        {"source_label": "Жеке", "cluster_label": "Қолөнер", "budget": 2.0, "order": 3},
    ],
    "events_timeline": [
        {
            "name": "Шеберлер жәрмеңкесі",
            "start": "2027-05-20",
            "end": "2027-05-22",
            "cluster_label": "Қолөнер",
            "kind_label": "жәрмеңке",
        }
    ],
    "kpi_paths": [
        {"kpi_label": "Фирмалар", "year": 2025, "value": 120.0, "series": "target", "series_label": "target·қ"},
        {"kpi_label": "Фирмалар", "year": 2028, "value": 150.0, "series": "target", "series_label": "target·қ"},
        {"kpi_label": "Фирмалар", "year": 2026, "value": 131.0, "series": "actual", "series_label": "actual·қ"},
    ],
}

# The titles each chart must carry, by label key.
TITLES = {
    "identity_by_layer": ["layer", "elements", "component", "strength"],
    "lq_heatmap": ["industry", "municipality", "employees"],
    "gva_share_over_time": ["year", "share", "territory"],
    "priority_matrix": ["identity", "lq", "employees", "significance", "industry"],
    "budget_by_source": ["budget", "source", "cluster"],
    "events_timeline": ["time", "kind", "event"],
    "kpi_paths": ["series", "kpi"],
}


def inline_data(spec: Any) -> list[list[dict]]:
    """Every inline dataset of a spec, wherever Altair put it."""
    found = []
    if isinstance(spec, dict):
        if isinstance(spec.get("data"), dict) and "values" in spec["data"]:
            found.append(spec["data"]["values"])
        for key, value in spec.items():
            if key != "data":
                found += inline_data(value)
    elif isinstance(spec, list):
        for value in spec:
            found += inline_data(value)
    return found


def encodings(spec: Any) -> list[tuple[str, dict]]:
    """(channel, definition) of every encoding of every view, tooltips included."""
    found = []
    if isinstance(spec, dict):
        for channel, value in (spec.get("encoding") or {}).items():
            for item in value if isinstance(value, list) else [value]:
                found.append((channel, item if isinstance(item, dict) else {"field": item}))
        for key, value in spec.items():
            if key != "encoding":
                found += encodings(value)
    elif isinstance(spec, list):
        for value in spec:
            found += encodings(value)
    return found


def titles(spec: Any) -> set[str]:
    found = set()
    if isinstance(spec, dict):
        if isinstance(spec.get("title"), str):
            found.add(spec["title"])
        for value in spec.values():
            found |= titles(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= titles(value)
    return found


def svg_texts(spec: dict) -> str:
    """The text drawn in the picture (vl-convert keeps SVG text as text)."""
    svg = vl_convert.vegalite_to_svg(spec)
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def chart(name: str, rows: list[dict]):
    return getattr(charts, name)(rows, LABELS)


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_chart_is_a_valid_spec_with_its_rows_inline(name):
    spec = chart(name, ROWS[name]).to_dict()  # validates against the Vega-Lite schema
    data = inline_data(spec)
    assert data and all(values == ROWS[name] for values in data)
    assert "url" not in str(spec.get("data", ""))  # nothing fetched at render time


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_chart_encodes_only_fields_its_rows_have(name):
    columns = set(ROWS[name][0])
    fields = {enc["field"].split(":")[0] for _, enc in encodings(chart(name, ROWS[name]).to_dict()) if "field" in enc}
    assert fields and fields <= columns


@pytest.mark.parametrize("name", sorted(ROWS))
def test_each_chart_is_drawn_with_the_titles_it_was_given(name):
    spec = chart(name, ROWS[name]).to_dict()
    assert {LABELS[k] for k in TITLES[name]} <= titles(spec)
    drawn = svg_texts(spec)
    assert any(LABELS[k] in drawn for k in TITLES[name])  # a title is in the picture, in Kazakh


@pytest.mark.parametrize("name", sorted(ROWS))
def test_an_empty_table_still_draws(name):
    spec = chart(name, []).to_dict()
    assert inline_data(spec) and all(values == [] for values in inline_data(spec))
    drawn = svg_texts(spec)  # vl-convert draws it without error, titles and all
    assert any(LABELS[k] in drawn for k in TITLES[name])


def test_the_heatmap_is_centred_on_the_regional_average_and_grows_with_municipalities():
    spec = chart("lq_heatmap", ROWS["lq_heatmap"]).to_dict()
    [color] = [enc for channel, enc in encodings(spec) if channel == "color"]
    assert color["field"] == "lq" and color["scale"]["domainMid"] == 1
    assert spec["height"] == {"step": 30}
    drawn = svg_texts(spec)
    assert "Риддер" in drawn and "Алтай" in drawn and "1.3" in drawn  # 1.25 printed with one decimal
    assert "–" in drawn and "null" not in drawn  # no LQ where nobody is employed: a dash
    assert "0.9?" in drawn  # a flagged cell


def test_budget_sources_keep_their_order_not_the_alphabet():
    spec = chart("budget_by_source", ROWS["budget_by_source"]).to_dict()
    [y] = [enc for channel, enc in encodings(spec) if channel == "y"]
    assert y["sort"] == {"field": "order", "op": "min"}


def test_kpi_colours_do_not_swap_with_the_language():
    spec = chart("kpi_paths", ROWS["kpi_paths"]).to_dict()
    [color] = [enc for channel, enc in encodings(spec) if channel == "color"]
    assert color["scale"]["domain"] == [LABELS["actual"], LABELS["target"]]
    [dash] = [enc for channel, enc in encodings(spec) if channel == "strokeDash"]
    assert dash["field"] == "series" and dash["scale"]["domain"] == ["actual", "target"]
    assert spec["columns"] == 3 and charts.kpi_paths(ROWS["kpi_paths"], LABELS, columns=2).to_dict()["columns"] == 2


BARS = [{"name": "Шеберхана", "start": "2027-03-01", "end": "2027-10-31", "status_label": "жоспарланған"}]
STEPS = [{"name": "Шеберхана", "milestone": "Ашылу", "due": "2027-06-01", "done_label": "open·қ"}]


def test_gantt_draws_milestones_only_when_there_are_some():
    without = charts.gantt(BARS, [], LABELS).to_dict()
    assert inline_data(without) == [BARS] and "layer" not in without
    spec = charts.gantt(BARS, STEPS, LABELS).to_dict()
    assert sorted(map(len, inline_data(spec))) == [1, 1] and BARS in inline_data(spec) and STEPS in inline_data(spec)
    [fill] = [enc for channel, enc in encodings(spec) if channel == "fill"]
    assert fill["scale"]["domain"] == [LABELS["done"], LABELS["open"]]  # done filled, open hollow
    assert "Шеберхана" in svg_texts(spec)


def test_network_rows_by_hand():
    g = nx.Graph()
    g.add_node("a", label="Әкімдік", kind="actor", group="gov")
    g.add_node("b")  # no attributes: its id is its label
    g.add_node("c", label="Музей", kind="actor", kind_label="қатысушы")
    g.add_edge("a", "b", weight=3)
    g.add_edge("b", "c")
    pos = {"a": (0.0, 1.0), "b": (0.5, -0.5), "c": (-1.0, 0.25)}
    edges, nodes = charts.network_rows(g, pos)
    assert edges == [
        {"x": 0.0, "y": 1.0, "x2": 0.5, "y2": -0.5, "weight": 3},
        {"x": 0.5, "y": -0.5, "x2": -1.0, "y2": 0.25, "weight": 1},
    ]
    assert nodes == [
        {"x": 0.0, "y": 1.0, "label": "Әкімдік", "kind": "actor", "group": "gov"},
        {"x": 0.5, "y": -0.5, "label": "b", "kind": "", "group": ""},
        {"x": -1.0, "y": 0.25, "label": "Музей", "kind": "қатысушы", "group": ""},
    ]
    spec = charts.network(edges, nodes, LABELS).to_dict()
    assert edges in inline_data(spec) and nodes in inline_data(spec)
    assert "Әкімдік" in svg_texts(spec)
    assert charts.network_rows(nx.Graph(), {}) == ([], [])


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_roadmaps_charts_speak_the_readers_language(sample, catalogue, lang):
    """The charts of the roadmap in Russian or Kazakh share no title with the English ones."""
    english = {f.id: titles(f.spec()) for f in build_roadmap(sample, catalogue, "en").figures()}
    for figure in build_roadmap(sample, catalogue, lang).figures():
        spec = figure.spec()
        assert titles(spec) and not titles(spec) & english[figure.id], figure.id
        tables = [v for k, v in figure.args.items() if k != "labels" and isinstance(v, list) and v]
        assert tables and all(rows in inline_data(spec) for rows in tables), figure.id  # the engine's rows, inline


def test_the_workshop_results_chart_writes_each_value_and_keeps_the_methods_scale():
    rows = [
        {
            "order": 0,
            "item": "Торжокское шитьё",
            "full": "Торжокское шитьё",
            "value": 2.33,
            "mean": 2.33,
            "low": 1.5,
            "high": 3.2,
            "consensus": 0.3,
            "ballots": 1,
            "divide": None,
            "shown": "2,33",
        },
    ]
    labels = {k: k for k in ("item", "value", "consensus", "ballots", "role", "mean", "spread", "divide", "joined")}
    spec = charts.workshop_results(rows, labels, (0, 5)).to_dict()
    scales = [e.get("scale") for _, e in encodings(spec) if e.get("field") == "value" and e.get("scale")]
    assert scales and scales[0]["domain"] == [0, 5]
    assert "2,33" in svg_texts(spec)  # the value, not the count of answers, is written at the bar's end
