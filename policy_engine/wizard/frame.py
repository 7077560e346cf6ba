"""The region's own frame: the project itself, its profile, money, municipalities, economy figures,
working group and sign-off — the edit operations of what every iteration stands on.

A project for a region the samples never saw starts here: its id is made from the region's name,
its money is the country's currency, its municipalities come from the register (and can be edited),
and the people who sign the roadmap off are entered in the app, not in a JSON file.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from policy_engine.diagnostics import boundaries, territories
from policy_engine.diagnostics.register import Cell
from policy_engine.i18n import LANGS, t
from policy_engine.method.catalogue import Catalogue
from policy_engine.method.vocabulary import MUNICIPALITY_KINDS, SIGNATORY_STAGES
from policy_engine.project.cells import blank, choice, day, slug, text
from policy_engine.project.edits import Edit, build, finish, is_blank_row, refuse
from policy_engine.project.issues import Issue
from policy_engine.project.model import (
    EmploymentRecord,
    GvaRecord,
    Member,
    Municipality,
    Project,
    Region,
    Signatory,
)
from policy_engine.project.validation import check, passphrase

MONEY_UNITS = ("thousand", "million", "billion")
MUNICIPALITY_COLUMNS = ["name", "name_ru", "name_kk", "name_en", "code", "kind", "population"]
GVA_COLUMNS = ["year", "territory", "creative_gva", "grp"]
MEMBER_COLUMNS = ["name", "role", "organisation"]
SIGNATORY_COLUMNS = ["stage", "name", "position"]


# --- the project ---------------------------------------------------------------------------------


def project_id(text_: str) -> str:
    """An id people can type and read, from what they gave (a region's name, or an id with capitals
    or Cyrillic): Latin lower case, digits and hyphens."""
    return slug(text_).replace("_", "-")[:60].strip("-") or "region"


def new_project(
    catalogue: Catalogue,
    region_name: str,
    country: str,
    ident: str = "",
    secret: str | None = None,
    taken: set[str] = frozenset(),
) -> tuple[Project | None, list[Issue]]:
    """A new, empty project for a region: its id from `ident` or, when none is given, from the region's
    name (made unique against `taken`); its money in the country's currency, thousands."""
    issues = passphrase(secret)
    name = text(region_name)
    if not name:
        issues.append(Issue(code="required", path=("region", "name")))
    if country not in {c.id for c in catalogue.countries}:
        issues.append(
            Issue(code="unknown_ref", path=("region", "country"), values={"kind": "country", "value": country})
        )
    if issues:
        return None, issues
    base = project_id(text(ident) or name)
    if text(ident) and base in taken:
        return None, [Issue(code="id_taken", path=("id",), values={"value": base})]
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    project, problems = build(
        Project,
        {
            "id": candidate,
            "region": {"name": name, "country": country},
            "economy": {"currency": catalogue.country(country).currency, "unit": "thousand"},
        },
    )
    return project, problems + (check(project, catalogue) if project else [])


def set_profile(
    project: Project, catalogue: Catalogue, name: str, capital: str, population: Any, area_km2: Any, positioning: str
) -> Edit:
    """The region's profile (iteration 1): name, capital, population, area and its positioning."""
    region, issues = build(
        Region,
        {
            **project.region.model_dump(),
            "name": text(name),
            "capital": text(capital) or None,
            "population": None if blank(population) or population == 0 else population,
            "area_km2": None if blank(area_km2) or area_km2 == 0 else area_km2,
            "positioning": text(positioning) or None,
        },
        path=("region",),
    )
    return finish(project, {"region": region} if region else project, catalogue, issues)


def set_money(project: Project, catalogue: Catalogue, currency: str, unit: str) -> Edit:
    """The currency and unit every budget of the project is in (a Russian region's are roubles)."""
    currency = text(currency).upper()
    issues = []
    if not re.fullmatch(r"[A-Z]{3}", currency):
        issues.append(Issue(code="currency", path=("economy", "currency"), values={"value": currency}))
    if unit not in MONEY_UNITS:
        issues.append(Issue(code="choice", path=("economy", "unit"), values={"value": unit}))
    economy = project.economy.model_copy(update={"currency": currency, "unit": unit})
    return finish(project, {"economy": economy}, catalogue, issues)


# --- municipalities -----------------------------------------------------------------------------


def municipality_rows(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "name": m.name,
            **{f"name_{lg}": m.names.get(lg, "") for lg in LANGS},
            "code": m.code or "",
            "kind": m.kind,
            "population": m.population,
        }
        for m in project.region.municipalities
    ]


def set_municipalities(project: Project, catalogue: Catalogue, rows: list[dict[str, Any]]) -> Edit:
    """The region's municipalities as the table has them. A municipality a cluster is anchored in
    cannot be removed while the cluster names it."""
    out: list[Municipality] = []
    issues: list[Issue] = []
    kinds = {k: {lg: t(f"frame.kind.{k}", lg) for lg in LANGS} for k in MUNICIPALITY_KINDS}
    old_aliases = {m.name: m.aliases for m in project.region.municipalities}  # the table does not show them
    for n, row in enumerate(rows, start=1):
        if is_blank_row(row, MUNICIPALITY_COLUMNS):
            continue
        name = text(row.get("name")) or next(
            (text(row.get(f"name_{lg}")) for lg in LANGS if text(row.get(f"name_{lg}"))), ""
        )
        try:
            kind = choice(row.get("kind"), kinds) or "district"
        except ValueError as exc:
            issues.append(Issue(code="choice", path=("kind",), row=n, item=name or None, values={"value": str(exc)}))
            continue
        population = row.get("population")
        item, problems = build(
            Municipality,
            {
                "name": name,
                "names": {lg: text(row.get(f"name_{lg}")) for lg in LANGS if text(row.get(f"name_{lg}"))},
                "code": text(row.get("code")) or None,
                "kind": kind,
                "aliases": list(old_aliases.get(name, ())),
                "population": None
                if blank(population)
                else (int(population) if isinstance(population, float) and population.is_integer() else population),
            },
            row=n,
            item=name or None,
        )
        issues += problems
        if item:
            out.append(item)
    kept = {m.name for m in out}
    for c in project.clusters:
        if c.anchor_municipality and c.anchor_municipality not in kept:
            issues.append(
                Issue(
                    code="municipality_in_use",
                    item=c.anchor_municipality,
                    values={"value": c.anchor_municipality, "cluster": c.name},
                )
            )
    region = project.region.model_copy(update={"municipalities": out})
    return finish(project, {"region": region}, catalogue, issues)


def _merge(records: list[EmploymentRecord]) -> list[EmploymentRecord]:
    """Records of one municipality and industry added together (ranges too), in first-seen order."""
    acc: dict[tuple[str, str], list] = {}
    for r in records:
        got = acc.setdefault((r.municipality, r.industry), [0, 0.0, 0.0, 0.0, False])
        got[0] += r.firms
        got[1] += r.employees
        got[2] += r.employees if r.employees_low is None else r.employees_low
        got[3] += r.employees if r.employees_high is None else r.employees_high
        got[4] = got[4] or r.employees_low is not None or r.employees_high is not None
    return [
        EmploymentRecord(
            municipality=m,
            industry=i,
            firms=v[0],
            employees=v[1],
            employees_low=v[2] if v[4] else None,
            employees_high=v[3] if v[4] else None,
        )
        for (m, i), v in acc.items()
    ]


def _code(value: str | None) -> str | None:
    return value if value and re.fullmatch(r"[0-9A-Za-z]{1,20}", value) else None


def import_register(project: Project, catalogue: Catalogue, cells: list[Cell]) -> Edit:
    """A register's result (registers.read_registers' cells) as the project's employment. Each place is
    matched to the region's table of municipalities by its code, then by name in one form, then by the
    aliases mapped before (diagnostics/territories.place); a place in none of them joins the table (see
    `new_territories`, and `map_territory` to say which municipality it is). A register with no usable
    row changes nothing."""
    if not cells:
        return refuse(project, [Issue(code="register_empty")])
    table = list(project.region.municipalities)
    records = []
    for c in cells:
        m = territories.place(c.municipality, c.code, table)
        if m is None:
            m = Municipality(name=c.municipality[:200], code=_code(c.code))
            table.append(m)
        records.append(
            EmploymentRecord(
                municipality=m.name,
                industry=c.industry,
                firms=c.firms,
                employees=c.employees,
                employees_low=c.employees_low,
                employees_high=c.employees_high,
            )
        )
    region = project.region.model_copy(update={"municipalities": table})
    economy = project.economy.model_copy(update={"employment": _merge(records)})
    return finish(project, {"region": region, "economy": economy}, catalogue)


def new_territories(before: Project, after: Project) -> list[str]:
    """The municipalities an import added to the table (places it could not match), by name."""
    known = {m.name for m in before.region.municipalities}
    return [m.name for m in after.region.municipalities if m.name not in known]


def map_territory(project: Project, catalogue: Catalogue, source: str, target: str) -> Edit:
    """Say that the table's municipality `source` (as a register named it) is `target`: its employment is
    added to `target`'s, clusters, actors, elements and events that name it name `target`, `source` is
    kept as an alias of `target` (the next import matches it by itself) and leaves the table."""
    names = {m.name: m for m in project.region.municipalities}
    if source not in names or target not in names or source == target:
        return refuse(project, [Issue(code="choice", values={"value": source if source not in names else target})])
    src, dst = names[source], names[target]
    aliases = list(dict.fromkeys([*dst.aliases, src.name, *src.aliases]))[:200]
    merged = dst.model_copy(update={"aliases": aliases, "code": dst.code or src.code})
    table = [merged if m.name == target else m for m in project.region.municipalities if m.name != source]
    employment = _merge(
        [
            r.model_copy(update={"municipality": target}) if r.municipality == source else r
            for r in project.economy.employment
        ]
    )

    def renamed(items: list, field: str) -> list:
        return [i.model_copy(update={field: target}) if getattr(i, field) == source else i for i in items]

    return finish(
        project,
        {
            "region": project.region.model_copy(update={"municipalities": table}),
            "economy": project.economy.model_copy(update={"employment": employment}),
            "clusters": renamed(project.clusters, "anchor_municipality"),
            "actors": renamed(project.actors, "municipality"),
            "identity_elements": renamed(project.identity_elements, "municipality"),
            "promotion": project.promotion.model_copy(
                update={"events": renamed(project.promotion.events, "municipality")}
            ),
        },
        catalogue,
    )


def set_boundaries(project: Project, catalogue: Catalogue, raw: bytes, source: str) -> tuple[Edit, Any]:
    """The municipalities' outlines from a GeoJSON or TopoJSON file (diagnostics/boundaries.py), replacing
    any before; a municipality without a centre gets its outline's. Returns the edit and what was joined
    (its `unmatched` features and `missing` municipalities, for the page to list)."""
    try:
        joined = boundaries.read_boundaries(raw, list(project.region.municipalities))
    except boundaries.BoundaryError as exc:
        return refuse(project, [Issue(code=f"boundaries_{exc.code}", values=exc.values)]), None
    table = [
        m
        if m.centre is not None or m.name not in joined.centres
        else m.model_copy(update={"centre": joined.centres[m.name]})
        for m in project.region.municipalities
    ]
    region = project.region.model_copy(
        update={
            "municipalities": table,
            "boundaries": joined.boundaries,
            "boundaries_source": text(source)[:200] or None,
        }
    )
    return finish(project, {"region": region}, catalogue), joined


def clear_boundaries(project: Project, catalogue: Catalogue) -> Edit:
    region = project.region.model_copy(update={"boundaries": [], "boundaries_source": None})
    return finish(project, {"region": region}, catalogue)


# --- economy figures ----------------------------------------------------------------------------


def gva_rows(project: Project) -> list[dict[str, Any]]:
    return [
        {"year": r.year, "territory": r.territory, "creative_gva": r.creative_gva, "grp": r.grp}
        for r in project.economy.gva
    ]


def set_economy(
    project: Project, catalogue: Catalogue, rows: list[dict[str, Any]], region_territory: str, nation_territory: str
) -> Edit:
    """Creative GVA and GRP by territory and year (for the creative share chart), and which
    territory is the region and which the nation."""
    records: list[GvaRecord] = []
    issues: list[Issue] = []
    old = {(r.year, r.territory): r for r in project.economy.gva}
    for n, row in enumerate(rows, start=1):
        if is_blank_row(row, GVA_COLUMNS):
            continue
        year = row.get("year")
        year = int(year) if isinstance(year, float) and year.is_integer() else year
        territory = text(row.get("territory"))
        prev = old.get((year, territory))
        rec, problems = build(
            GvaRecord,
            {
                "year": year,
                "territory": territory,
                "creative_gva": row.get("creative_gva"),
                "grp": row.get("grp"),
                "provenance": prev.provenance if prev else {"basis": "user"},
            },
            row=n,
            item=territory or None,
        )
        issues += problems
        if rec:
            if (rec.year, rec.territory) in {(r.year, r.territory) for r in records}:
                issues.append(Issue(code="duplicate_year", row=n, item=territory, values={"value": rec.year}))
            records.append(rec)
    territories = {r.territory for r in records}
    region, nation = text(region_territory) or None, text(nation_territory) or None
    for field, value in (("region_territory", region), ("nation_territory", nation)):
        if value and value not in territories:
            issues.append(Issue(code="unknown_territory", path=("economy", field), values={"value": value}))
    if region and nation and region == nation:
        issues.append(Issue(code="same_territory", path=("economy", "nation_territory"), values={"value": region}))
    economy = project.economy.model_copy(
        update={"gva": records, "region_territory": region, "nation_territory": nation}
    )
    return finish(project, {"economy": economy}, catalogue, issues)


# --- who signs it off ---------------------------------------------------------------------------


def member_rows(project: Project) -> list[dict[str, Any]]:
    return [m.model_dump() for m in project.working_group]


def signatory_rows(project: Project) -> list[dict[str, Any]]:
    return [s.model_dump() for s in project.signatories]


def set_sign_off(
    project: Project,
    catalogue: Catalogue,
    members: list[dict[str, Any]],
    signatories: list[dict[str, Any]],
    next_review: Any,
) -> Edit:
    """The working group, the roadmap's signatories (approved / agreed / prepared by) and the date of
    the next review, as printed on the roadmap's cover."""
    issues: list[Issue] = []
    group: list[Member] = []
    for n, row in enumerate(members, start=1):
        if is_blank_row(row, MEMBER_COLUMNS):
            continue
        m, problems = build(
            Member,
            {k: text(row.get(k)) for k in MEMBER_COLUMNS},
            row=n,
            item=text(row.get("name")) or None,
            path=("working_group",),
        )
        issues += problems
        group += [m] if m else []
    stages = {s: {lg: t(f"roadmap.sign.{s}", lg) for lg in LANGS} for s in SIGNATORY_STAGES}
    signs: list[Signatory] = []
    for n, row in enumerate(signatories, start=1):
        if is_blank_row(row, SIGNATORY_COLUMNS):
            continue
        name = text(row.get("name")) or None
        try:
            stage = choice(row.get("stage"), stages)
        except ValueError as exc:
            issues.append(
                Issue(code="choice", path=("signatories", "stage"), row=n, item=name, values={"value": str(exc)})
            )
            continue
        s, problems = build(
            Signatory,
            {"stage": stage, "name": text(row.get("name")), "position": text(row.get("position"))},
            row=n,
            item=name,
            path=("signatories",),
        )
        issues += problems
        signs += [s] if s else []
    try:
        review = day(next_review)
    except ValueError:
        review = None
        issues.append(Issue(code="a_date", path=("next_review",), values={"value": str(next_review)}))
    if review and review < date(1990, 1, 1):
        issues.append(Issue(code="a_date", path=("next_review",), values={"value": str(next_review)}))
    return finish(project, {"working_group": group, "signatories": signs, "next_review": review}, catalogue, issues)


def _one(edit: Edit) -> Edit:
    """A form's edit: its issues name no table row."""
    return edit.model_copy(update={"issues": tuple(i.model_copy(update={"row": None}) for i in edit.issues)})


def add_municipality(project: Project, catalogue: Catalogue, values: dict[str, Any]) -> Edit:
    name = text(values.get("name"))
    if name and name.casefold() in {m.name.casefold() for m in project.region.municipalities}:
        return refuse(project, [Issue(code="duplicate_name", item=name, values={"value": name})])
    return _one(set_municipalities(project, catalogue, municipality_rows(project) + [values]))


def add_gva(project: Project, catalogue: Catalogue, values: dict[str, Any]) -> Edit:
    """One year of one territory. The region is the territory named as the region; the first other
    territory entered becomes the nation it is compared with, until the table says otherwise."""
    rows = gva_rows(project) + [values]
    territories = list(dict.fromkeys(text(r.get("territory")) for r in rows if text(r.get("territory"))))
    region = project.economy.region_territory or (project.region.name if project.region.name in territories else "")
    nation = project.economy.nation_territory or next((t for t in territories if t != region), "")
    return _one(set_economy(project, catalogue, rows, region, nation))


def add_member(project: Project, catalogue: Catalogue, values: dict[str, Any]) -> Edit:
    return _one(
        set_sign_off(project, catalogue, member_rows(project) + [values], signatory_rows(project), project.next_review)
    )


def add_signatory(project: Project, catalogue: Catalogue, values: dict[str, Any]) -> Edit:
    return _one(
        set_sign_off(project, catalogue, member_rows(project), signatory_rows(project) + [values], project.next_review)
    )


def set_next_review(project: Project, catalogue: Catalogue, when: Any) -> Edit:
    return _one(set_sign_off(project, catalogue, member_rows(project), signatory_rows(project), when))
