"""Generated projects of a chosen size, for benchmarks and tests that need more than the sample.

The sample project is one real region; the roadmap must also hold a big one. `large_project`
builds a valid project (it passes `check_references`) from the catalogue with a seeded random
generator, so every run and every machine gets the same document. Names mix Russian and Kazakh
letters, since those are what the fonts and the layout must carry.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import EVENT_KINDS, FUNDING_SOURCES, KPI_FAMILIES, LEVELS, PILOT_STATUSES, SECTORS
from policy_engine.project.model import (
    Actor,
    Cluster,
    CreativeEconomy,
    CustomKpi,
    EmploymentRecord,
    Event,
    GvaRecord,
    IdentityElement,
    KpiTrack,
    Member,
    Milestone,
    Pilot,
    ProfileFact,
    Project,
    Promotion,
    Region,
    Scores,
    SelectedMeasure,
    SingleWindow,
    Story,
)

MUNICIPALITIES = ["Өскемен", "Риддер", "Алтай", "Ұлан ауданы", "Глубокое", "Катон-Қарағай", "Зайсан", "Күршім"]
WORDS = [
    "қолөнер",
    "әуен",
    "шежіре",
    "өрнек",
    "ғасыр",
    "құс",
    "ұлттық",
    "үйлер",
    "һикая",
    "іздер",
    "мастерская",
    "ярмарка",
    "песня",
    "горы",
    "рудник",
    "ремесло",
    "фестиваль",
    "легенда",
]
FIRST_YEAR = 2026


def _phrase(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize()


def large_project(
    catalogue: Catalogue,
    elements: int = 60,
    clusters: int = 8,
    pilots: int = 40,
    kpis: int = 30,
    years: int = 5,
    seed: int = 2026,
) -> Project:
    """A project of the given size over every catalogue industry (16), all six iterations filled."""
    rnd = random.Random(seed)
    industries = [i.id for i in catalogue.industries]
    components, layers = catalogue.vocabulary("component"), catalogue.vocabulary("layer")
    els = [
        IdentityElement(
            id=f"el-{i}",
            name=f"{_phrase(rnd, 3)} №{i}",
            description=_phrase(rnd, 12),
            component=rnd.choice(components),
            layer=layers[i % len(layers)],
            municipality=rnd.choice(MUNICIPALITIES),
            scores=Scores(uniqueness=rnd.randint(1, 5), recognition=rnd.randint(1, 5), vitality=rnd.randint(1, 5)),
            industries=rnd.sample(industries, rnd.randint(1, 3)),
        )
        for i in range(elements)
    ]
    employment = [
        EmploymentRecord(municipality=m, industry=ind, firms=rnd.randint(1, 80), employees=rnd.randint(5, 900))
        for m in MUNICIPALITIES
        for ind in industries + ["non_creative"]
    ]
    actors = [
        Actor(
            id=f"actor-{i}",
            name=f"{_phrase(rnd, 2)} {i}",
            sector=rnd.choice(SECTORS),
            level=rnd.choice(LEVELS),
            industries=rnd.sample(industries, 2),
        )
        for i in range(24)
    ]
    groups = [industries[i::clusters] for i in range(clusters)]
    cls = [
        Cluster(
            id=f"cluster-{i}",
            name=f"{_phrase(rnd, 2)} — кластер {i + 1}",
            industries=g,
            identity_elements=[e.id for e in els if set(e.industries) & set(g)][:6],
            target_image=_phrase(rnd, 25),
            formation_type=rnd.choice([t.id for t in catalogue.cluster_types]),
            anchor_municipality=MUNICIPALITIES[i % len(MUNICIPALITIES)],
            lead_actors=[actors[i].id, actors[i + 8].id],
        )
        for i, g in enumerate(groups)
    ]
    start = date(FIRST_YEAR, 1, 1)
    measures = [
        SelectedMeasure(
            measure=m.id,
            cluster=cls[i % clusters].id,
            owner=_phrase(rnd, 3),
            budget=round(rnd.uniform(5, 120), 1),
            start=start + timedelta(days=30 * (i % 10)),
            end=start + timedelta(days=30 * (i % 10) + 400),
        )
        for i, m in enumerate(catalogue.measures)
    ]
    pls = []
    for i in range(pilots):
        begin = start + timedelta(days=rnd.randint(0, 500))
        end = begin + timedelta(days=rnd.randint(90, 600))
        steps = [
            Milestone(name=_phrase(rnd, 3), due=begin + (end - begin) * k / 3, done=rnd.random() < 0.4)
            for k in (1, 2, 3)
        ]
        pls.append(
            Pilot(
                id=f"pilot-{i}",
                name=f"{_phrase(rnd, 3)} — пилот {i + 1}",
                cluster=cls[i % clusters].id,
                measures=[catalogue.measures[i % len(catalogue.measures)].id],
                owner=_phrase(rnd, 3),
                partners=[_phrase(rnd, 2) for _ in range(2)],
                budget={s: round(rnd.uniform(1, 40), 1) for s in rnd.sample(FUNDING_SOURCES, 2)},
                start=begin,
                end=end,
                milestones=steps,
                status=rnd.choice(PILOT_STATUSES[:4]),  # none cancelled
                success_story=_phrase(rnd, 30) if i % 5 == 0 else None,
            )
        )
    events = [
        Event(
            name=f"{_phrase(rnd, 2)} {i + 1}",
            kind=rnd.choice(EVENT_KINDS[:4]),
            start=start + timedelta(days=rnd.randint(0, 700)),
            venue=_phrase(rnd, 2),
            municipality=rnd.choice(MUNICIPALITIES),
            audience=_phrase(rnd, 3),
            cluster=cls[i % clusters].id,
        )
        for i in range(24)
    ]
    tracks = []
    for i in range(kpis):
        base = round(rnd.uniform(10, 1000), 1)
        target_years = range(FIRST_YEAR, FIRST_YEAR + years)
        k = catalogue.kpis[i] if i < len(catalogue.kpis) else None
        tracks.append(
            KpiTrack(
                kpi=k.id if k else f"custom-{i}",
                baseline_year=FIRST_YEAR - 1,
                baseline=base,
                custom=None
                if k
                else CustomKpi(
                    name=f"{_phrase(rnd, 2)} (KPI {i + 1})",
                    unit="ед.",
                    family=rnd.choice(KPI_FAMILIES),
                ),
                targets={y: round(base * (1 + 0.05 * (y - FIRST_YEAR + 1)), 1) for y in target_years},
                actuals={
                    y: round(base * (1 + rnd.uniform(-0.05, 0.1) * (y - FIRST_YEAR + 1)), 1) for y in target_years[:2]
                },
            )
        )
    gva = [
        GvaRecord(
            year=y, territory=t, creative_gva=round(rnd.uniform(1e4, 3e4), 1), grp=round(rnd.uniform(3e6, 5e6), 1)
        )
        for y in range(FIRST_YEAR - 5, FIRST_YEAR)
        for t in ("Region", "Nation")
    ]
    return Project(
        id="generated-large",
        region=Region(
            name="Сгенерированный регион — Жасалған өңір",
            country="KZ",
            population=1_350_000,
            profile=[ProfileFact(label=_phrase(rnd, 2), value=_phrase(rnd, 6)) for _ in range(8)],
            positioning=_phrase(rnd, 60),
        ),
        cycle=1,
        iteration=6,
        next_review=date(FIRST_YEAR, 12, 15),
        working_group=[Member(name=_phrase(rnd, 2), role="member", organisation=_phrase(rnd, 3)) for _ in range(8)],
        identity_elements=els,
        economy=CreativeEconomy(
            currency="KZT",
            unit="million",
            region_territory="Region",
            nation_territory="Nation",
            gva=gva,
            employment=employment,
        ),
        actors=actors,
        clusters=cls,
        measures=measures,
        pilots=pls,
        single_window=SingleWindow(who=_phrase(rnd, 4), where=_phrase(rnd, 3), how=_phrase(rnd, 10)),
        promotion=Promotion(
            narrative=_phrase(rnd, 50),
            values=[_phrase(rnd, 1) for _ in range(4)],
            audiences_inside=[_phrase(rnd, 3) for _ in range(3)],
            audiences_outside=[_phrase(rnd, 3) for _ in range(3)],
            stories=[
                Story(
                    cluster=c.id,
                    place=_phrase(rnd, 3),
                    tradition=_phrase(rnd, 3),
                    people=_phrase(rnd, 3),
                    today=_phrase(rnd, 5),
                )
                for c in cls
            ],
            events=events,
        ),
        kpis=tracks,
    )
