"""Every vocabulary is declared once: in the seed that defines it, or in policy_engine/method/vocabulary.py.

The project model takes what the seeds define (a layer added to a copy of seeds/ is a layer the project
takes and validation checks against that copy); no module repeats a list that is declared elsewhere;
and values the seeds hold (the audit size the rules need) are read from them where they are used.
"""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel

from policy_engine.i18n import t
from policy_engine.method import vocabulary
from policy_engine.method.catalogue import load_catalogue
from policy_engine.project.model import (
    IdentityElement,
    Override,
    Project,
    Region,
    Scores,
)
from policy_engine.project.validation import check
from policy_engine.wizard.progress import iteration_status

ROOT = Path(__file__).resolve().parents[2]


def edit(seeds: Path, file: str, change) -> None:
    path = seeds / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def element(id_: str, component: str, layer: str) -> IdentityElement:
    return IdentityElement(
        id=id_,
        name=id_.title(),
        component=component,
        layer=layer,
        scores=Scores(uniqueness=4, recognition=4, vitality=4),
    )


def project(**parts) -> Project:
    return Project(id="p", region=Region(name="R", country="RU"), **parts)


def codes(issues) -> list[tuple[str, tuple, str]]:
    return [(i.code, i.path, i.values.get("kind", "")) for i in issues]


# --- the model takes what the seeds define ------------------------------------------------------


def test_the_project_takes_every_value_the_seeds_define(catalogue):
    elements = [
        element(f"e_{c}_{lyr}", c, lyr)
        for c in catalogue.vocabulary("component")
        for lyr in catalogue.vocabulary("layer")
    ]
    overrides = [
        Override(industry=ind.id, significance=sig, justification="the working group's reasons", by="A. B.")
        for ind, sig in zip(catalogue.industries, catalogue.rules.order)
    ]
    assert check(project(identity_elements=elements, overrides=overrides), catalogue) == []


def test_a_layer_added_to_the_seeds_is_a_layer_of_the_project(seeds_copy, catalogue):
    """The model had the five layers as a Literal of its own: the sixth was refused before any check."""
    maritime = {
        "id": "maritime",
        "name": {"en": "Maritime", "ru": "Морской", "kk": "Теңіздік"},
        "description": "Seafaring, ports and the trades of the coast.",
        "source": {
            "doc": "genius_loci",
            "locator": {"en": "a test layer", "ru": "тестовый слой", "kk": "сынақ қабаты"},
        },
    }
    edit(seeds_copy, "identity.yaml", lambda d: d["layers"].append(maritime))
    grown = load_catalogue(seeds_copy)
    assert grown.vocabulary("layer")[-1] == "maritime"
    p = project(identity_elements=[element("port", "material", "maritime")])
    assert check(p, grown) == []
    assert codes(check(p, catalogue)) == [("unknown_ref", ("identity_elements", 0, "layer"), "layer")]


def test_a_component_and_a_significance_group_renamed_in_the_seeds(seeds_copy, catalogue):
    edit(seeds_copy, "identity.yaml", lambda d: d["components"][1].update(id="intangible"))
    edit(seeds_copy, "rules.yaml", lambda d: d["significance"][2].update(id="strong"))
    edit(
        seeds_copy,
        "industries.yaml",
        lambda d: [i.update(significance="strong") for i in d if i["significance"] == "high"],
    )
    renamed = load_catalogue(seeds_copy)
    override = Override(industry="music", significance="strong", justification="the working group's reasons", by="A")
    p = project(identity_elements=[element("song", "intangible", "cultural")], overrides=[override])
    assert check(p, renamed) == []
    assert codes(check(p, catalogue)) == [
        ("unknown_ref", ("identity_elements", 0, "component"), "component"),
        ("unknown_ref", ("overrides", 0, "significance"), "significance"),
    ]
    assert renamed.rules.step("medium", +1) == "strong" and renamed.rules.highest_first[0] == "strong"


def test_an_unknown_layer_is_said_in_each_language(catalogue):
    [issue] = check(project(identity_elements=[element("x", "material", "mythical")]), catalogue)
    assert "identity layer “mythical”" in issue.text("en")
    assert "слой идентичности «mythical»" in issue.text("ru")
    assert "бірегейлік қабаты" in issue.text("kk")


def literals(model: type[BaseModel], seen: set | None = None) -> dict[str, tuple]:
    """Every Literal the project model uses, by the field that uses it (`Region.municipalities…kind`)."""
    seen = set() if seen is None else seen
    found: dict[str, tuple] = {}
    if model in seen:
        return found
    seen.add(model)

    def walk(tp, where: str) -> None:
        if typing.get_origin(tp) is typing.Literal:
            found[where] = typing.get_args(tp)
        elif isinstance(tp, type) and issubclass(tp, BaseModel):
            found.update(literals(tp, seen))
        for arg in typing.get_args(tp):
            walk(arg, where)

    for name, field in model.model_fields.items():
        walk(field.annotation, f"{model.__name__}.{name}")
    return found


def test_the_models_enumerations_agree_with_the_seeds(catalogue):
    """No enumeration of the model repeats a list a seed defines; the closed lists it has are the
    vocabulary module's; the scores an element has are the criteria seeds/identity.yaml lists."""
    used = literals(Project)
    assert used, "the walk found no Literal; it is broken"
    seed_lists = {
        "component": set(catalogue.vocabulary("component")),
        "layer": set(catalogue.vocabulary("layer")),
        "significance": set(catalogue.vocabulary("significance")),
        "criterion": {c.id for c in catalogue.identity.scores.criteria},
    }
    for where, values in used.items():
        for kind, seeded in seed_lists.items():
            assert set(values) != seeded, f"{where} repeats the {kind} list of the seeds"
    declared = {get for get in vars(vocabulary).values() if isinstance(get, tuple)}
    own = {"Provenance.basis", "Cluster.status"}  # lists only the model itself declares and uses
    for where, values in used.items():
        assert values in declared or where in own, f"{where} declares {values} outside vocabulary.py"
    assert list(Scores.model_fields) == [c.id for c in catalogue.identity.scores.criteria]
    assert {k.family for k in catalogue.kpis} <= set(vocabulary.KPI_FAMILIES)
    assert {lvl for g in catalogue.rules.significance for lvl in g.levels} == set(vocabulary.LEVELS)


# --- no module repeats a list -------------------------------------------------------------------


def declared_lists(catalogue) -> dict[frozenset, str]:
    """Each vocabulary of the method and the project as a set of words, with where it is declared (the
    interface languages are policy_engine/i18n.py's, outside this check)."""
    out: dict[frozenset, str] = {}
    for name, value in vars(vocabulary).items():
        if name.isupper() and isinstance(value, tuple) and len(value) > 1 and name != "LANGS":
            out.setdefault(frozenset(value), "policy_engine/method/vocabulary.py")
    for kind in ("component", "layer", "significance"):
        out[frozenset(catalogue.vocabulary(kind))] = "seeds/"
    out[frozenset(c.id for c in catalogue.identity.scores.criteria)] = "seeds/"
    return out


def string_lists(tree: ast.AST):
    """Every tuple, list or set of two or more string constants, and every Literal[...] of them."""
    for node in ast.walk(tree):
        items = None
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items = node.elts
        elif isinstance(node, ast.Subscript) and getattr(node.value, "id", None) == "Literal":
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if items and len(items) > 1 and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in items):
            yield node.lineno, frozenset(e.value for e in items)


def test_no_vocabulary_is_declared_twice(catalogue):
    declared = declared_lists(catalogue)
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "policy_engine").rglob("*.py")]
    repeated = []
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        if "migrations" in rel:
            continue
        for line, words in string_lists(ast.parse(path.read_text(encoding="utf-8"))):
            home = declared.get(words)
            if home is not None and not rel.startswith(home):
                repeated.append(f"{rel}:{line} repeats {sorted(words)} (declared in {home})")
    assert repeated == []


# --- values the seeds hold, read where they are used ---------------------------------------------


def test_progress_asks_for_the_audit_size_the_rules_need(seeds_copy, catalogue):
    """The sidebar's "at least N identity elements" is the rules' own minimum audit, not a copy of it."""
    edit(seeds_copy, "rules.yaml", lambda d: d["evidence"].update(min_audit_elements=3))
    three = load_catalogue(seeds_copy)
    p = project(identity_elements=[element(f"e{i}", "material", "cultural") for i in range(3)])
    assert "missing.elements" not in iteration_status(p, three)[0].missing
    [audit] = [s for s in iteration_status(p, catalogue) if s.iteration == 1]
    assert "missing.elements" in audit.missing
    need = catalogue.rules.evidence.min_audit_elements
    assert t("missing.elements", "ru", **audit.values) == f"не менее {need} элементов идентичности"
    assert str(need) in t("missing.elements", "kk", **audit.values)
