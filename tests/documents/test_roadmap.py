"""The roadmap's content (policy_engine/documents/roadmap.py): sections, unfinished iterations, numbers, schedule,
and the citations of the workshops with the room."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest

from policy_engine.documents.roadmap import (
    Figure,
    Heading,
    Paragraph,
    Pending,
    Table,
    build_roadmap,
    day,
    monitoring_schedule,
    number,
    printable,
)
from policy_engine.i18n import strings, t
from policy_engine.method.vocabulary import PARTICIPANT_ROLES, QUESTION_KINDS, WORKSHOP_USES
from policy_engine.project.model import Project, Region, WorkshopResult, WorkshopSummary
from policy_engine.project.synthetic import large_project
from policy_engine.wizard.frame import new_project

SECTIONS = [
    "summary",
    "audit",
    "clusters",
    "classification",
    "measures",
    "pilots",
    "promotion",
    "monitoring",
    "next_review",
]


def test_sections_follow_the_method_in_every_language(sample, catalogue):
    for lang in ("ru", "kk", "en"):
        doc = build_roadmap(sample, catalogue, lang, today=date(2026, 11, 23))
        assert [s.id for s in doc.sections] == SECTIONS
        assert [s.title for s in doc.sections] == [t(f"roadmap.sec.{i}", lang) for i in SECTIONS]
        assert doc.cover.region == sample.region.name
        assert (t("roadmap.cover.date", lang), day(date(2026, 11, 23), lang)) in doc.cover.facts


def test_the_finished_sample_has_no_pending_iteration_and_every_chart(sample, catalogue):
    doc = build_roadmap(sample, catalogue, "en")
    assert not [b for s in doc.sections for b in s.blocks if isinstance(b, Pending)]
    assert [f.id for f in doc.figures()] == [
        "identity_by_layer",
        "priority_matrix",
        "lq_heatmap",
        "region_map",  # the sample has no boundaries file: its municipalities at their centres
        "cluster_network",
        "pilots_gantt",
        "pilots_budget",
        "events_timeline",
        "kpi_paths_1",
    ]
    for f in doc.figures():  # inline data only: vl-convert must never fetch anything
        spec = f.spec()
        assert "url" not in str(spec.get("data", {})) and spec["background"] == "white"


def test_an_empty_project_prints_every_iteration_as_not_done(catalogue):
    bare = Project(id="bare", region=Region(name="Пустой регион", country="RU"))
    doc = build_roadmap(bare, catalogue, "ru")
    pending = {s.iteration: b for s in doc.sections for b in s.blocks if isinstance(b, Pending) and s.iteration}
    assert sorted(pending) == [1, 2, 3, 4, 5, 6]
    assert t("missing.pilots", "ru") in pending[4].missing
    assert t("roadmap.no_next_review", "ru") in doc.text()
    assert doc.figures() == []


def test_tables_refuse_rows_of_the_wrong_width():
    with pytest.raises(ValueError, match="2 cells"):
        Table(columns=["a", "b"], rows=[["1"]], widths=[1, 1])


@pytest.mark.parametrize(
    "value,lang,digits,expected",
    [
        (1234567.891, "ru", 1, "1\u00a0234\u00a0567,9"),
        (1234567.891, "en", 1, "1,234,567.9"),
        (0.5, "kk", 3, "0,5"),
        (30.0, "en", 1, "30"),
        (0.0, "ru", 1, "0"),
        (-2.25, "en", 2, "-2.25"),
    ],
)
def test_numbers_as_officials_write_them(value, lang, digits, expected):
    assert number(value, lang, digits) == expected


def test_printable_keeps_markup_and_emoji_but_drops_control_characters():
    assert printable('<b>&"😀\r\nә\x00\x07\ud800') == '<b>&"😀\nә'


def test_monitoring_schedule_reviews_each_target_year(sample):
    schedule = monitoring_schedule(sample)
    years = sorted({y for k in sample.kpis for y in k.targets if y >= sample.next_review.year})
    assert [y for _, y, _ in schedule] == years
    for review, year, due in schedule:
        assert (review.month, review.day) == (sample.next_review.month, sample.next_review.day)
        assert due == [k for k in sample.kpis if year in k.targets]


def test_monitoring_schedule_edge_cases(sample):
    leap = sample.model_copy(update={"next_review": date(2028, 2, 29)})
    leap.kpis[0].targets[2029] = 1.0
    assert [r for r, _, _ in monitoring_schedule(leap)] == [date(2028, 2, 29), date(2029, 2, 28)]
    assert monitoring_schedule(sample.model_copy(update={"next_review": None})) == []
    assert monitoring_schedule(sample.model_copy(update={"kpis": []})) == []


def test_the_large_project_fills_every_section(catalogue):
    project = large_project(catalogue)
    doc = build_roadmap(project, catalogue, "ru")
    assert not [b for s in doc.sections for b in s.blocks if isinstance(b, Pending)]
    assert len([f for f in doc.figures() if f.id.startswith("kpi_paths")]) == 3  # 30 KPIs, 12 per chart
    kpi_table = [b for b in next(s for s in doc.sections if s.id == "monitoring").blocks if isinstance(b, Table)][0]
    assert len(kpi_table.rows) == 30 and kpi_table.columns[-5:] == [str(y) for y in range(2026, 2031)]
    assert all(isinstance(f, Figure) for f in doc.figures())


def test_monitoring_prints_status_rules_feedback_review_and_the_last_cycle(sample, catalogue):
    from policy_engine.wizard.cycles import next_cycle
    from policy_engine.wizard.monitoring import status

    text = build_roadmap(sample, catalogue, "en").text()
    for k in sample.kpis:
        assert status(k, catalogue).explain("en") in text
    assert all(f.source in text for f in sample.feedback)
    assert all(d.reason in text for d in sample.review.decisions)
    assert t("roadmap.review", "en", year=sample.review.year) in text
    closed = build_roadmap(next_cycle(sample, catalogue, closed_on=date(2026, 12, 15)), catalogue, "en").text()
    assert t("monitoring.previous", "en", cycle=1, date="2026-12-15") in closed


# --- the workshops with the room -----------------------------------------------------------------

REGION = "Тверская область"  # a region the samples never saw
ROOM_TITLES = ["Стратегическая сессия «Регион-2030»", "Семинар рабочей группы с бизнесом", "Форум креативных индустрий"]
ROOM_LABELS = [  # what a Russian-speaking room rates or proposes in a region of its own
    "Тверская золотная вышивка",
    "Торжокские валенки",
    "Волжские пейзажи",
    "Усадьба Приютино",
    "Озеро Селигер",
    "Кимрская обувь",
]
MARKUP_TITLE = "<b>Семинар & зал</b> «Верхневолжье»"  # printed literally, never as bold text or an entity
# Where the roadmap cites a result, by question kind and use (None: every use of the kind).
CITED_IN = {
    ("rate", None): "audit",
    ("points", None): "clusters",
    ("ideas", "target_image"): "clusters",
    ("rank", None): "pilots",
    ("ideas", "pilots_added"): "pilots",
    ("ideas", "events_added"): "promotion",
    ("kpi", None): "monitoring",
}
LATIN = re.compile(r"[A-Za-z]")


def room_summary(
    rng: random.Random, labels: list[str], kind: str = "rate", use: str = "scores_replaced", title: str | None = None
) -> WorkshopSummary:
    """An accepted result as a workshop leaves it: roles, counts, values and the day drawn from `rng`."""
    roles = rng.sample(PARTICIPANT_ROLES, rng.randint(2, len(PARTICIPANT_ROLES)))
    by_role = {r: rng.randint(1, 30) for r in roles}
    answered = sum(by_role.values())
    values = {
        "rate": lambda: round(rng.uniform(1, 5), 2),
        "points": lambda: float(rng.randint(0, 100 * answered // len(labels))),  # 100 each, spread
        "rank": lambda: round(rng.uniform(0, len(labels) - 1), 2),
        "ideas": lambda: float(rng.randint(0, answered)),
        "kpi": lambda: round(rng.uniform(-1, 1), 2),
    }[kind]
    results = [
        WorkshopResult(label=label, value=values(), ballots=rng.randint(1, answered), consensus=round(rng.random(), 2))
        for label in rng.sample(labels, rng.randint(2, len(labels)))
    ]
    return WorkshopSummary(
        workshop=title or rng.choice(ROOM_TITLES),
        held_on=date(2027, 1, 1) + timedelta(days=rng.randint(0, 364)),
        question=t(f"wsp.default.{kind}", "ru"),
        kind=kind,
        participants=answered + rng.randint(0, 5),  # some joined and answered nothing
        by_role=by_role,
        results=sorted(results, key=lambda r: -r.value),
        use=use,
    )


def new_region(catalogue, *summaries: WorkshopSummary) -> Project:
    project, issues = new_project(catalogue, REGION, "RU")
    assert project is not None and not issues
    return project.model_copy(update={"workshops": list(summaries)})


def notes(doc, section: str) -> list[str]:
    return [b.text for b in next(s for s in doc.sections if s.id == section).blocks if isinstance(b, Paragraph)]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)  # no-break spaces too


def mark(s: WorkshopSummary, lang: str) -> tuple[str, ...]:
    """What tells one result's citation from another's: the workshop, the question and what it changed."""
    return s.workshop, s.question, t(f"roadmap.ws.changed.{s.use}", lang)


def cited_in(s: WorkshopSummary) -> str | None:
    return CITED_IN.get((s.kind, s.use)) or CITED_IN.get((s.kind, None))


def assert_cites(text: str, s: WorkshopSummary, lang: str) -> None:
    """`text` cites `s`: the workshop, the day, who took part by role, the question, what it changed, the top."""
    text = flat(text)
    quoted = f"“{s.workshop}”" if lang == "en" else f"«{s.workshop}»"
    assert quoted in text and f"{s.question}" in text, text
    assert day(s.held_on, lang) in text and flat(number(s.participants, lang, 0)) in text, text
    for role, n in s.by_role.items():
        assert flat(f"{t(f'ws.role.{role}', lang).lower()} {number(n, lang, 0)}") in text, (role, text)
    assert t(f"roadmap.ws.changed.{s.use}", lang) in text
    if s.kind != "kpi":  # the first three items of the result, with their values
        for r in s.results[:3]:
            assert (
                flat(
                    f"«{r.label}» — {number(r.value, lang, 2)}"
                    if lang != "en"
                    else f"“{r.label}” {number(r.value, lang, 2)}"
                )
                in text
            )


def test_every_question_kind_and_use_has_its_words_and_russian_and_kazakh_ones_print_no_english():
    for lang in ("ru", "kk", "en"):
        for kind in QUESTION_KINDS:
            assert t(f"roadmap.ws.cite.{kind}", lang, workshop="", people="", day="", question="", changed="")
        for use in WORKSHOP_USES:
            assert t(f"roadmap.ws.changed.{use}", lang)
    borrowed = [f"ws.role.{r}" for r in PARTICIPANT_ROLES] + [f"ws.value.{k}" for k in QUESTION_KINDS if k != "kpi"]
    ours = {k: v for k, v in strings().items() if k.startswith("roadmap.ws.") or k in borrowed}
    assert len(ours) > len(borrowed)
    for key, texts in ours.items():
        for lang in ("ru", "kk"):
            assert not LATIN.search(re.sub(r"\{\w+\}", "", texts[lang])), (key, lang)


def test_each_accepted_result_is_cited_where_the_roadmap_presents_it(sample, catalogue):
    rng = random.Random(20270312)
    labels = {
        "rate": [e.name for e in sample.identity_elements],
        "points": [c.name for c in sample.clusters],
        "rank": [p.name for p in sample.pilots],
        "ideas": ROOM_LABELS,
        "kpi": ROOM_LABELS,
    }
    pairs = [
        ("rate", "scores_replaced"),
        ("rate", "noted"),
        ("points", "priority_order"),
        ("rank", "priority_order"),
        ("ideas", "pilots_added"),
        ("ideas", "events_added"),
        ("ideas", "target_image"),
        ("ideas", "noted"),
        ("kpi", "kpi_feedback"),
    ]
    held = [room_summary(rng, labels[kind], kind, use) for kind, use in pairs]
    project = sample.model_copy(update={"workshops": held})
    for lang in ("ru", "kk", "en"):
        doc = build_roadmap(project, catalogue, lang)
        for s in held:
            where = cited_in(s)
            for section in SECTIONS:
                cites = [n for n in notes(doc, section) if all(x in n for x in mark(s, lang))]
                assert len(cites) == (section == where), (s.kind, s.use, section, lang)
                if cites:
                    assert_cites(cites[0], s, lang)
        audit = next(sec for sec in doc.sections if sec.id == "audit").blocks
        elements = next(
            i for i, b in enumerate(audit) if isinstance(b, Table) and len(b.rows) == len(sample.identity_elements)
        )
        rated = [s for s in sorted(held, key=lambda s: s.held_on) if s.kind == "rate"]
        assert [b.text for b in audit[elements + 1 : elements + 1 + len(rated)]] == [  # under the element scores
            n for n in notes(doc, "audit") if any(all(x in n for x in mark(s, lang)) for s in rated)
        ]
        table = [b for b in next(sec for sec in doc.sections if sec.id == "summary").blocks if isinstance(b, Table)][-1]
        assert table.columns == [
            t(f"roadmap.ws.col.{k}", lang)
            for k in ("date", "workshop", "question", "participants", "by_role", "changed")
        ]
        ordered = sorted(held, key=lambda s: s.held_on)
        assert [row[:4] for row in table.rows] == [
            [day(s.held_on, lang), s.workshop, s.question, number(s.participants, lang, 0)] for s in ordered
        ]
        for row, s in zip(table.rows, ordered):
            assert len(row[4].split("\n")) == len(s.by_role)
            assert row[5].lower() == t(f"roadmap.ws.changed.{s.use}", lang).lower()


def test_a_new_region_cites_its_one_workshop_in_russian_words(catalogue):
    rng = random.Random(69)
    s = room_summary(rng, ROOM_LABELS, title=MARKUP_TITLE)
    doc = build_roadmap(new_region(catalogue, s), catalogue, "ru")
    bare = build_roadmap(new_region(catalogue), catalogue, "ru")
    (cite,) = [n for n in notes(doc, "audit") if s.workshop in n]
    assert_cites(cite, s, "ru")
    assert cite.startswith(f"Оценено участниками семинара «{MARKUP_TITLE}» (участников\u00a0— {s.participants}: ")
    listed = [t(f"ws.role.{r}", "ru").lower() for r in PARTICIPANT_ROLES if r in s.by_role]
    assert sorted(listed, key=cite.index) == listed  # the roles in the vocabulary's order
    # the citation and the table are all that is new, and their own words are Russian
    new = [(sec.id, b) for sec, old in zip(doc.sections, bare.sections) for b in sec.blocks if b not in old.blocks]
    assert [(sid, type(b).__name__) for sid, b in new] == [
        ("summary", "Heading"),
        ("summary", "Paragraph"),
        ("summary", "Table"),
        ("audit", "Paragraph"),
    ]
    users = [s.workshop, s.question, *(r.label for r in s.results)]
    for _, block in new:
        text = block.text if isinstance(block, (Heading, Paragraph)) else "\n".join(block.columns + sum(block.rows, []))
        for typed in users:
            text = text.replace(typed, "")
        assert not LATIN.search(text), text


def test_no_workshop_no_citation_and_no_table(sample, catalogue):
    for project in (sample, new_region(catalogue)):
        for lang in ("ru", "kk", "en"):
            text = build_roadmap(project, catalogue, lang).text()
            ours = [t("roadmap.ws.title", lang), t("roadmap.ws.intro", lang), t("roadmap.ws.col.changed", lang)]
            ours += [t(f"roadmap.ws.changed.{use}", lang) for use in WORKSHOP_USES]
            ours.append(t("roadmap.ws.people", lang, participants=1)[:-1])
            assert not [x for x in ours if x in text]
            if lang != "en":  # the sample's English texts speak of craft workshops
                assert "семинар" not in text.lower()


def test_a_banded_register_and_boundaries_reach_the_roadmap_in_russian(catalogue):
    """From an empty project for Perm krai: the FNS register (size ranges) and a boundaries file give the
    roadmap the LQ heat map, the table of cells whose specialisation flips inside the ranges, and the map."""
    import json

    from policy_engine.diagnostics.registers import Options, read_registers
    from policy_engine.wizard import frame
    from tests.diagnostics.registers.fixtures import perm_register

    project, _ = new_project(catalogue, "Пермский край", "RU")
    sme, empl = perm_register()
    result = read_registers([("sme.zip", sme), ("empl.zip", empl)], catalogue, options=Options(region="59"))
    project = frame.import_register(project, catalogue, result.cells).project
    squares = [
        {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for name, ring in [
            ("Краснокамский р-н", [[55.6, 57.9], [56.0, 57.9], [56.0, 58.2], [55.6, 58.2], [55.6, 57.9]]),
            ("г. Пермь", [[56.0, 57.9], [56.4, 57.9], [56.4, 58.2], [56.0, 58.2], [56.0, 57.9]]),
        ]
    ]
    raw = json.dumps({"type": "FeatureCollection", "features": squares}, ensure_ascii=False).encode()
    project = frame.set_boundaries(project, catalogue, raw, "границы.geojson")[0].project
    doc = build_roadmap(project, catalogue, "ru")
    ids = [f.id for f in doc.figures()]
    assert "lq_heatmap" in ids and "region_map" in ids
    audit_blocks = next(s for s in doc.sections if s.id == "audit").blocks
    flips = next(b for b in audit_blocks if isinstance(b, Table) and b.columns[-1] == "LQ: от – до")
    assert ["Краснокамский район", "Исполнительские искусства"] in [r[:2] for r in flips.rows]
    assert "специализация (LQ ≥ 1) может измениться" in doc.text()
    region_map = next(f for f in doc.figures() if f.id == "region_map")
    assert {a["properties"]["name"] for a in region_map.args["areas"]} == {"Краснокамский район", "Пермь"}
    assert region_map.spec()["layer"]  # draws through the same chart path as every figure
