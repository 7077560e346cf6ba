"""Small builders shared by the iteration-2 diagnostics tests (graphs, proposals, relatedness, growth
points, bottlenecks): a region, its identity elements, actors and LQ cells, typed by hand."""

from __future__ import annotations

from policy_engine.diagnostics.location_quotients import LqCell
from policy_engine.project.model import Actor, IdentityElement, Project, Region, Scores

CRAFTS, DESIGN, MUSIC = "folk_crafts", "design", "music"


def cell(muni: str, industry: str, lq: float | None) -> LqCell:
    return LqCell(municipality=muni, industry=industry, firms=1, employees=10, lq=lq)


def element(id_: str, scores: tuple[int, int, int], industries: list[str], name: str | None = None) -> IdentityElement:
    u, r, v = scores
    return IdentityElement(
        id=id_,
        name=name or id_.title(),
        component="material",
        layer="cultural",
        scores=Scores(uniqueness=u, recognition=r, vitality=v),
        industries=industries,
    )


def actor(id_: str, sector: str, level: str, industries: list[str] = ()) -> Actor:
    return Actor(id=id_, name=id_.upper(), sector=sector, level=level, industries=list(industries))


def project(**parts) -> Project:
    return Project(id="t", region=Region(name="R", country="RU"), **parts)


def two_groups() -> Project:
    """Crafts and design share two elements; music and performing arts share two others; nothing
    links the groups. One element has no industry at all. In each group the weaker element's id
    sorts first, so ordering by id instead of strength would show."""
    return project(
        identity_elements=[
            element("amulet", (4, 4, 4), [CRAFTS, DESIGN]),  # strength 4
            element("felt", (5, 5, 5), [CRAFTS, DESIGN], name="Felt"),  # 5
            element("anthem", (3, 3, 3), [MUSIC, "performing_arts"]),  # 3
            element("dombra", (4, 4, 4), [MUSIC, "performing_arts"], name="Dombra"),  # 4
            element("lonely", (2, 2, 2), []),
        ]
    )
