"""What changed between two versions of a project, item by item, and in which iteration.

People working on one policy need to see what a colleague's save changed before they redo their
own edit (a conflict), what each saved version touched (history), and how one annual cycle
differs from the next. All three are the same comparison, made here on plain JSON data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from policy_engine.i18n import day, strings, t
from policy_engine.project.model import Project

if TYPE_CHECKING:
    from policy_engine.method.catalogue import Catalogue

# Which iteration of the method (002, Table 1) each part of the project belongs to; 0 = general.
SECTION_ITERATION: dict[str, int] = {
    "region": 1,
    "identity_elements": 1,
    "economy": 1,
    "crosswalk": 1,
    "actors": 1,
    "ties": 1,
    "clusters": 2,
    "overrides": 3,
    "measures": 3,
    "pilots": 4,
    "single_window": 4,
    "promotion": 5,
    "kpis": 6,
    "feedback": 6,
    "review": 6,
    "previous_cycles": 6,
    "working_group": 0,
    "next_review": 0,
    "cycle": 0,
    "iteration": 0,
    "id": 0,
    "schema_version": 0,
}

ITERATION_NAMES = {
    0: "general",
    1: "identity audit",
    2: "clustering",
    3: "measure design",
    4: "pilots",
    5: "promotion",
    6: "monitoring",
}


def _key(*fields: str) -> Callable[[dict], str]:
    return lambda item: " / ".join(str(item.get(f)) for f in fields)


# How items of a list are matched between versions: by id where they have one, else by what names them.
LIST_KEYS: dict[str, Callable[[dict], str]] = {
    "identity_elements": _key("id"),
    "actors": _key("id"),
    "clusters": _key("id"),
    "pilots": _key("id"),
    "ties": _key("source", "target", "kind"),
    "overrides": _key("industry"),
    "measures": _key("measure", "cluster"),
    "kpis": _key("kpi"),
    "working_group": _key("name"),
    "gva": _key("territory", "year"),
    "employment": _key("municipality", "industry"),
    "municipalities": _key("name"),
    "profile": _key("label"),
    "stories": _key("cluster"),
    "events": _key("name", "start"),
    "milestones": _key("name"),
    "crosswalk": _key("code"),
    "feedback": _key("received", "source"),
    "decisions": _key("measure", "cluster"),
    "previous_cycles": _key("cycle"),
    "results": _key("kpi"),
}


# How an item is named for people, as parts: ("text", what the user typed) or a catalogue id to be
# said in the reader's language ("industry", "measure", "kpi"), or a date ("date").
Part = tuple[str, str]


def _text(value: Any) -> list[Part]:
    return [("text", str(value))] if value not in (None, "") else []


def _namers(a: dict, b: dict) -> dict[str, Callable[[dict], list[Part]]]:
    """How an item of each list is named: by its own name where the project has one, else by what it
    refers to (a catalogue industry, measure or KPI, another item of the project)."""

    def names(kind: str) -> dict[str, str]:
        return {x.get("id"): x.get("name") for p in (a, b) for x in p.get(kind) or [] if isinstance(x, dict)}

    actors, clusters = names("actors"), names("clusters")
    name = lambda x: _text(x.get("name"))  # noqa: E731
    cluster = lambda cid: _text(clusters.get(cid) or cid)  # noqa: E731
    return {
        "identity_elements": name,
        "actors": name,
        "clusters": name,
        "pilots": name,
        "working_group": name,
        "municipalities": name,
        "milestones": name,
        "events": lambda x: name(x) + [("date", str(x.get("start")))],
        "ties": lambda x: (
            _text(actors.get(x.get("source")) or x.get("source"))
            + _text(actors.get(x.get("target")) or x.get("target"))
        ),
        "overrides": lambda x: [("industry", str(x.get("industry")))],
        "measures": lambda x: [("measure", str(x.get("measure")))] + cluster(x.get("cluster")),
        "decisions": lambda x: [("measure", str(x.get("measure")))] + cluster(x.get("cluster")),
        "kpis": lambda x: _text((x.get("custom") or {}).get("name")) or [("kpi", str(x.get("kpi")))],
        "results": lambda x: _text(x.get("name")) if x.get("custom") else [("kpi", str(x.get("kpi")))],
        "gva": lambda x: _text(x.get("territory")) + _text(x.get("year")),
        "employment": lambda x: _text(x.get("municipality")) + [("industry", str(x.get("industry")))],
        "profile": lambda x: _text(x.get("label")),
        "stories": lambda x: cluster(x.get("cluster")),
        "crosswalk": lambda x: _text(x.get("code")),
        "feedback": lambda x: [("date", str(x.get("received")))] + _text(x.get("source")),
        "previous_cycles": lambda x: _text(x.get("cycle")),
    }


def _part(part: Part, lang: str, catalogue: Catalogue) -> str:
    kind, value = part
    try:
        if kind == "industry":
            return catalogue.industry(value).name.get(lang)
        if kind == "measure":
            return catalogue.measure(value).title.get(lang)
        if kind == "kpi":
            return catalogue.kpi(value).name.get(lang)
    except KeyError:
        return value  # not in the catalogue (an old or custom id): as the file has it
    if kind == "date":
        try:
            return day(date.fromisoformat(value), lang)
        except ValueError:
            return value
    return value


def field_path(path: str, lang: str) -> str:
    """A dotted field path (`scores.vitality`, `actuals.2026`) in `lang`: `field.<name>` labels."""
    words: list[str] = []
    segments = path.split(".")
    for before, segment in zip([""] + segments, segments):
        # a budget's keys are funding sources: "budget › federal", not a field of its own
        keys = (f"roadmap.source.{segment}",) if before == "budget" else (f"field.{segment}",)
        key = next((k for k in keys if k in strings()), None)
        words.append(t(key, lang) if key else segment)
    return " › ".join(words)


class Change(BaseModel):
    """One difference: an item added, removed or changed (with the fields that changed).

    `item` is the technical label (the list and the item's key) kept for logs; `list_name` and
    `parts` name the item for people, rendered by `describe(lang)` in the reader's language.
    """

    model_config = ConfigDict(frozen=True)

    section: str
    iteration: int
    kind: Literal["added", "removed", "changed"]
    item: str
    fields: tuple[str, ...] = ()
    list_name: str = ""  # the list inside the section that holds the item, when it is not the section
    parts: tuple[Part, ...] = ()  # the item's name, see `_namers`

    def describe(self, lang: str | None = None, catalogue: Catalogue | None = None) -> str:
        """The change for people, in `lang` (ru, kk, en): sections and fields by their labels, items by
        their names. Without `lang`, the technical form with ids (for logs and error messages)."""
        if lang is None:
            where = f"{self.section} {self.item}".strip()
            if self.kind == "changed" and self.fields:
                return f"{where}: changed {', '.join(self.fields)}"
            return f"{where}: {self.kind}"
        if catalogue is None:
            from policy_engine.method.catalogue import default_catalogue

            catalogue = default_catalogue()
        where = field_path(self.section, lang)
        if self.list_name:
            where += " › " + field_path(self.list_name, lang)
        where = where[:1].upper() + where[1:]
        name = " — ".join(_part(p, lang, catalogue) for p in self.parts)
        if name:
            where = t("changes.item", lang, where=where, name=name)
        if self.kind == "changed" and self.fields:
            return t(
                "changes.changed_fields", lang, where=where, fields=", ".join(field_path(f, lang) for f in self.fields)
            )
        return t(f"changes.{self.kind}", lang, where=where)


def _changed_fields(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted names of the leaves that differ between two JSON values."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for k in list(old) + [k for k in new if k not in old]:
            if old.get(k) != new.get(k):
                out.extend(_changed_fields(old.get(k), new.get(k), f"{prefix}{k}.") or [f"{prefix}{k}"])
        return out
    return [] if old == new else [prefix.rstrip(".")] if prefix else []


def _diff_list(
    section: str, name: str, old: list, new: list, namers: dict[str, Callable[[dict], list[Part]]] | None = None
) -> list[Change]:
    key = LIST_KEYS.get(name)
    it = SECTION_ITERATION.get(section, 0)
    label = "" if name == section else f"{name}"
    if key is None or not all(isinstance(x, dict) for x in old + new):
        return (
            [] if old == new else [Change(section=section, iteration=it, kind="changed", item=label, list_name=label)]
        )
    namer = (namers or {}).get(name, lambda x: [])
    before = {key(x): x for x in old}
    after = {key(x): x for x in new}
    out: list[Change] = []

    def change(kind: str, k: str, item: dict, fields: tuple[str, ...] = ()) -> Change:
        return Change(
            section=section,
            iteration=it,
            kind=kind,
            item=f"{label} [{k}]".strip(),
            fields=fields,
            list_name=label,
            parts=tuple(namer(item)) or (("text", k),),
        )

    for k, item in after.items():
        if k not in before:
            out.append(change("added", k, item))
        elif before[k] != item:
            out.append(change("changed", k, item, tuple(_changed_fields(before[k], item))))
    for k, item in before.items():
        if k not in after:
            out.append(change("removed", k, item))
    return out


def _diff_section(
    section: str, old: Any, new: Any, namers: dict[str, Callable[[dict], list[Part]]] | None = None
) -> list[Change]:
    it = SECTION_ITERATION.get(section, 0)
    if old == new:
        return []
    if isinstance(old, list) and isinstance(new, list):
        return _diff_list(section, section, old, new, namers)
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[Change] = []
        scalars: list[str] = []
        for k in list(old) + [k for k in new if k not in old]:
            a, b = old.get(k), new.get(k)
            if a == b:
                continue
            if isinstance(a, list) and isinstance(b, list):
                out.extend(_diff_list(section, k, a, b, namers))
            else:
                scalars.extend(_changed_fields(a, b, f"{k}.") or [k])
        if scalars:
            out.insert(0, Change(section=section, iteration=it, kind="changed", item="", fields=tuple(scalars)))
        return out
    return [Change(section=section, iteration=it, kind="changed", item="", fields=(section,))]


def diff(old: Project, new: Project) -> list[Change]:
    """Every difference between two versions, section by section in the project's field order."""
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    namers = _namers(a, b)
    out: list[Change] = []
    for section in Project.model_fields:
        out.extend(_diff_section(section, a.get(section), b.get(section), namers))
    return out


def iterations_changed(old: Project | None, new: Project) -> list[int]:
    """The iterations a save touched (all that have content when there is no previous version)."""
    if old is None:
        return sorted(
            {
                SECTION_ITERATION.get(s, 0)
                for s, v in new.model_dump(mode="json").items()
                if v not in (None, [], {}, "") and SECTION_ITERATION.get(s, 0)
            }
        )
    return sorted({c.iteration for c in diff(old, new)})
