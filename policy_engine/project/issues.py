"""Coded issues: what the engine and the store refuse, as data the app says in the user's language.

Every check of a project — a field's shape, a reference to something that does not exist, a
table row that cannot be read, a cycle that cannot close yet — reports an `Issue`: a code, where
it is (a path of fields and positions, or a table row and the item's name) and the values its text
needs. The words live in `strings/issues.yaml` under `issue.<code>` in Russian, Kazakh and English;
field names under `field.<name>`. So one check serves the pages, the CLI and the store alike, and
no English f-string reaches a Russian user.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from policy_engine.i18n import day, number, strings, t

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Issue(BaseModel):
    """One problem: `code` names its text (`issue.<code>`), `path` the field, `values` fill the text."""

    model_config = ConfigDict(frozen=True)
    code: str
    path: tuple[str | int, ...] = ()
    row: int | None = None  # 1-based row of the table the user edited, when the input was a table
    item: str | None = None  # the row's or item's name as the user typed it
    values: dict[str, Any] = {}

    def text(self, lang: str) -> str:
        """The issue in `lang`: where it is (row, item, field) and what is wrong."""
        return render(self, lang)

    def at(self, *prefix: str | int, row: int | None = None, item: str | None = None) -> Issue:
        """The same issue placed inside a larger structure (a list, a table row)."""
        return self.model_copy(
            update={
                "path": (*prefix, *self.path),
                "row": self.row if row is None else row,
                "item": self.item if item is None else item,
            }
        )


def field_label(name: str | int, lang: str) -> str:
    """A field of the project in `lang` (a list position as people count it: 1, 2, 3)."""
    if isinstance(name, int):
        return str(name + 1)
    key = f"field.{name}"
    return t(key, lang) if key in strings() else name


def _value(value: Any, lang: str) -> str:
    if isinstance(value, dict) and "en" in value:  # a name in each language (catalogue text)
        return str(value.get(lang) or value["en"])
    if isinstance(value, bool):
        return t("issue.yes" if value else "issue.no", lang)
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):  # a date as the language writes it
        return day(date.fromisoformat(value), lang)
    if isinstance(value, (int, float)):
        if isinstance(value, float):
            return number(value, lang, digits=2)
        # a limit such as 10 000 000 000 grouped as the language writes it; a year or a position as is
        return number(value, lang, digits=0) if 10_000 <= abs(value) < 10**18 else str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v, lang) for v in value)
    return str(value)


def render(issue: Issue, lang: str) -> str:
    key = f"issue.{issue.code}"
    values = {k: (t(f"kind.{v}", lang) if k == "kind" else _value(v, lang)) for k, v in issue.values.items()}
    try:
        message = t(key, lang, **values)
    except KeyError:  # an unknown code is a bug, but the user still learns something true
        message = t("issue.invalid", lang, message=issue.code)
    where = []
    if issue.row is not None:
        where.append(t("issue.at_row", lang, row=issue.row) + (f" «{issue.item}»" if issue.item else ""))
    elif issue.item:
        where.append(f"«{issue.item}»")
    fields = [field_label(p, lang) for p in issue.path]
    if fields:
        where.append(" › ".join(fields))
    return (": ".join(where) + " — " + message) if where else message[:1].upper() + message[1:]


# --- from pydantic ------------------------------------------------------------------------------

# pydantic's error types -> our codes, with the context values they carry.
_PYDANTIC: dict[str, str] = {
    "missing": "required",
    "string_too_short": "too_short",
    "too_short": "too_few",
    "string_too_long": "too_long",
    "too_long": "too_many",
    "string_pattern_mismatch": "pattern",
    "greater_than_equal": "min",
    "greater_than": "above",
    "less_than_equal": "max",
    "less_than": "below",
    "int_type": "whole_number",
    "int_parsing": "whole_number",
    "int_from_float": "whole_number",
    "float_type": "a_number",
    "float_parsing": "a_number",
    "finite_number": "finite",
    "int_parsing_size": "number_too_large",
    "date_type": "a_date",
    "date_parsing": "a_date",
    "date_from_datetime_parsing": "a_date",
    "date_from_datetime_inexact": "a_date",
    "literal_error": "choice",
    "enum": "choice",
    "extra_forbidden": "unknown_field",
    "bool_type": "yes_no",
    "bool_parsing": "yes_no",
    "string_type": "text",
    "list_type": "a_list",
    "dict_type": "an_object",
    "model_type": "an_object",
    "model_attributes_type": "an_object",
    "control_characters": "control_characters",
    "string_unicode": "broken_characters",
}


def from_validation(
    exc: ValidationError, *prefix: str | int, row: int | None = None, item: str | None = None
) -> list[Issue]:
    """A pydantic refusal as coded issues: our own checks raise `PydanticCustomError(code, …)`
    (their type is the code), the built-in ones map through `_PYDANTIC`; anything else keeps its
    message, so nothing is lost, under `issue.invalid`."""
    out = []
    for e in exc.errors(include_url=False):
        kind = e["type"]
        ctx = dict(e.get("ctx") or {})
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and ("[" in p or "function-" in p)))
        if f"issue.{kind}" in strings() and kind not in _PYDANTIC:
            code, values = kind, ctx
        elif (kind == "string_too_short" and ctx.get("min_length") == 1) or (
            kind in _PYDANTIC and kind != "extra_forbidden" and e.get("input") in (None, "")
        ):
            code, values = "required", {}
        elif kind in _PYDANTIC:
            code = _PYDANTIC[kind]
            values = {
                "limit": next((ctx[k] for k in ("min_length", "max_length", "ge", "gt", "le", "lt") if k in ctx), ""),
                "expected": ctx.get("expected", ""),
                "value": _short(e.get("input")),
            }
        else:
            code, values = "invalid", {"message": e["msg"]}
        out.append(
            Issue(
                code=code,
                path=(*prefix, *loc),
                row=row,
                item=item,
                values={k: v for k, v in values.items() if isinstance(v, (str, int, float, bool, list))},
            )
        )
    return out


def _short(value: Any, limit: int = 60) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
