"""Edit operations: the one way a page changes a project.

Each operation takes the project and what the user gave (a form's values, a table's rows) and
returns an `Edit`: the new project and the coded issues that stop it. Every edit ends in `finish`,
which runs the same checks the store runs on save (policy_engine/project/validation.py), so a page never
holds a project the store would refuse, and a refused edit leaves the project as it was.

The operations of each iteration live beside its logic (audit.py, clustering.py, measure_design.py,
pilots.py, promotion.py, monitoring.py, frame.py); this module holds what they share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from policy_engine.method.catalogue import Catalogue
from policy_engine.project.cells import text
from policy_engine.project.issues import Issue, from_validation
from policy_engine.project.model import Project
from policy_engine.project.validation import check

M = TypeVar("M", bound=BaseModel)


class Edit(BaseModel):
    """The result of an edit operation: the project after it, and why it was refused if it was."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    project: Project
    issues: tuple[Issue, ...] = ()
    changed: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues


def refuse(project: Project, issues: Iterable[Issue]) -> Edit:
    return Edit(project=project, issues=tuple(issues), changed=False)


def finish(
    before: Project, after: Project | dict[str, Any], catalogue: Catalogue, issues: Iterable[Issue] = ()
) -> Edit:
    """The edit's result: refused with `issues` (the caller's) or with the store's checks, or the new project.

    `after` may be a dict of top-level fields to replace; the project is then re-validated whole,
    so a change that breaks the model (a wrong type, a bad id) is an issue, not an exception."""
    issues = list(issues)
    if issues:
        return refuse(before, issues)
    if isinstance(after, dict):
        try:
            after = Project.model_validate(
                {
                    **before.model_dump(),
                    **{
                        k: (
                            v.model_dump()
                            if isinstance(v, BaseModel)
                            else [x.model_dump() if isinstance(x, BaseModel) else x for x in v]
                            if isinstance(v, list)
                            else v
                        )
                        for k, v in after.items()
                    },
                }
            )
        except ValidationError as exc:
            return refuse(before, from_validation(exc))
    found = check(after, catalogue)
    if found:
        return refuse(before, found)
    return Edit(project=after, changed=after != before)


def build(
    model: type[M],
    data: dict[str, Any],
    *,
    row: int | None = None,
    item: str | None = None,
    path: tuple[str | int, ...] = (),
) -> tuple[M | None, list[Issue]]:
    """A model from a row's values, or the coded issues that stop it (placed at the row)."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, from_validation(exc, *path, row=row, item=item)


def is_blank_row(row: dict[str, Any], columns: Iterable[str] | None = None) -> bool:
    """A row the user added and left empty: every cell blank (tables hand these back; they are skipped)."""
    keys = list(columns) if columns is not None else list(row)
    return not any(text(row.get(k)) for k in keys if not isinstance(row.get(k), bool))


def match_by_id(
    rows: list[dict[str, Any]], previous: list[M], key: Callable[[M], str] = lambda m: m.id
) -> list[tuple[int, dict[str, Any], M | None]]:
    """Each row with its number (1-based) and the item it edits, matched by the row's id, not its position."""
    by_id = {key(m): m for m in previous}
    return [(n, row, by_id.get(text(row.get("id")))) for n, row in enumerate(rows, start=1)]


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… when it is taken."""
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}-{n}"
    return ident
