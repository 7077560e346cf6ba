"""What changed between two versions of a project, item by item, and in which iteration.

People working on one policy need to see what a colleague's save changed before they redo their
own edit (a conflict), what each saved version touched (history), and how one annual cycle
differs from the next. All three are the same comparison, made here on plain JSON data.
"""

from __future__ import annotations

from typing import Any, Callable, Literal

from pydantic import BaseModel, ConfigDict

from .project import Project

# Which iteration of the method (002, Table 1) each part of the project belongs to; 0 = general.
SECTION_ITERATION: dict[str, int] = {
    "region": 1, "identity_elements": 1, "economy": 1, "crosswalk": 1, "actors": 1, "ties": 1,
    "clusters": 2,
    "overrides": 3, "measures": 3,
    "pilots": 4, "single_window": 4,
    "promotion": 5,
    "kpis": 6, "feedback": 6, "review": 6, "previous_cycles": 6,
    "working_group": 0, "next_review": 0, "cycle": 0, "iteration": 0, "id": 0, "schema_version": 0,
}

ITERATION_NAMES = {
    0: "general", 1: "identity audit", 2: "clustering", 3: "measure design",
    4: "pilots", 5: "promotion", 6: "monitoring",
}


def _key(*fields: str) -> Callable[[dict], str]:
    return lambda item: " / ".join(str(item.get(f)) for f in fields)


# How items of a list are matched between versions: by id where they have one, else by what names them.
LIST_KEYS: dict[str, Callable[[dict], str]] = {
    "identity_elements": _key("id"), "actors": _key("id"), "clusters": _key("id"), "pilots": _key("id"),
    "ties": _key("source", "target", "kind"), "overrides": _key("industry"),
    "measures": _key("measure", "cluster"), "kpis": _key("kpi"), "working_group": _key("name"),
    "gva": _key("territory", "year"), "employment": _key("municipality", "industry"),
    "municipalities": _key("name"), "profile": _key("label"), "stories": _key("cluster"),
    "events": _key("name", "start"), "milestones": _key("name"), "crosswalk": _key("code"),
    "feedback": _key("received", "source"), "decisions": _key("measure", "cluster"), "previous_cycles": _key("cycle"),
    "results": _key("kpi"),
}


class Change(BaseModel):
    """One difference: an item added, removed or changed (with the fields that changed)."""

    model_config = ConfigDict(frozen=True)

    section: str
    iteration: int
    kind: Literal["added", "removed", "changed"]
    item: str
    fields: tuple[str, ...] = ()

    def describe(self) -> str:
        where = f"{self.section} {self.item}".strip()
        if self.kind == "changed" and self.fields:
            return f"{where}: changed {', '.join(self.fields)}"
        return f"{where}: {self.kind}"


def _changed_fields(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Dotted names of the leaves that differ between two JSON values."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for k in list(old) + [k for k in new if k not in old]:
            if old.get(k) != new.get(k):
                out.extend(_changed_fields(old.get(k), new.get(k), f"{prefix}{k}.") or [f"{prefix}{k}"])
        return out
    return [] if old == new else [prefix.rstrip(".")] if prefix else []


def _diff_list(section: str, name: str, old: list, new: list) -> list[Change]:
    key = LIST_KEYS.get(name)
    it = SECTION_ITERATION.get(section, 0)
    label = "" if name == section else f"{name}"
    if key is None or not all(isinstance(x, dict) for x in old + new):
        return [] if old == new else [Change(section=section, iteration=it, kind="changed", item=label)]
    before = {key(x): x for x in old}
    after = {key(x): x for x in new}
    out: list[Change] = []
    for k, item in after.items():
        item_label = f"{label} [{k}]".strip()
        if k not in before:
            out.append(Change(section=section, iteration=it, kind="added", item=item_label))
        elif before[k] != item:
            out.append(Change(section=section, iteration=it, kind="changed", item=item_label,
                              fields=tuple(_changed_fields(before[k], item))))
    for k in before:
        if k not in after:
            out.append(Change(section=section, iteration=it, kind="removed", item=f"{label} [{k}]".strip()))
    return out


def _diff_section(section: str, old: Any, new: Any) -> list[Change]:
    it = SECTION_ITERATION.get(section, 0)
    if old == new:
        return []
    if isinstance(old, list) and isinstance(new, list):
        return _diff_list(section, section, old, new)
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[Change] = []
        scalars: list[str] = []
        for k in list(old) + [k for k in new if k not in old]:
            a, b = old.get(k), new.get(k)
            if a == b:
                continue
            if isinstance(a, list) and isinstance(b, list):
                out.extend(_diff_list(section, k, a, b))
            else:
                scalars.extend(_changed_fields(a, b, f"{k}.") or [k])
        if scalars:
            out.insert(0, Change(section=section, iteration=it, kind="changed", item="", fields=tuple(scalars)))
        return out
    return [Change(section=section, iteration=it, kind="changed", item="", fields=(section,))]


def diff(old: Project, new: Project) -> list[Change]:
    """Every difference between two versions, section by section in the project's field order."""
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    out: list[Change] = []
    for section in Project.model_fields:
        out.extend(_diff_section(section, a.get(section), b.get(section)))
    return out


def iterations_changed(old: Project | None, new: Project) -> list[int]:
    """The iterations a save touched (all that have content when there is no previous version)."""
    if old is None:
        return sorted({SECTION_ITERATION.get(s, 0) for s, v in new.model_dump(mode="json").items()
                       if v not in (None, [], {}, "") and SECTION_ITERATION.get(s, 0)})
    return sorted({c.iteration for c in diff(old, new)})
