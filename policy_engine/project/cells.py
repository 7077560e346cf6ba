"""What a cell of an editable table holds, read the same way on every page.

Streamlit's data editor hands back None, blank text, NaN, NaT or pandas NA for an empty cell, and
pandas Timestamps, dates or ISO text for a date; the row readers of the audit, measure design,
pilots, promotion and monitoring all go through these few functions, so an empty cell means the
same thing everywhere and a bad row is reported in the same words.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any


def blank(value: Any) -> bool:
    """An empty editor cell: None, blank text, NaN or NaT (which compare unequal to themselves), pandas NA."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value)  # noqa: PLR0124 (NaN and NaT are unequal to themselves)
    except (TypeError, ValueError):
        return True  # pandas.NA refuses to be a bool


def text(value: Any) -> str:
    return "" if blank(value) else str(value).strip()


def day(value: Any) -> date | None:
    """A date from what an editor cell holds: date, datetime, pandas Timestamp or ISO text (ValueError if not)."""
    if blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip()[:10])


def items(value: Any) -> list[str]:
    """A list typed into one cell, separated by commas or semicolons."""
    return [v.strip() for v in text(value).replace(";", ",").split(",") if v.strip()]


def whole(value: Any) -> Any:
    """3.0 from a number column as 3, so an integer field accepts it; anything else as it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def slug(name: str) -> str:
    """An id from a name: lower-case Latin letters, digits and underscores (Cyrillic is transliterated)."""
    table = str.maketrans(
        {
            "а": "a",
            "б": "b",
            "в": "v",
            "г": "g",
            "д": "d",
            "е": "e",
            "ё": "e",
            "ж": "zh",
            "з": "z",
            "и": "i",
            "й": "i",
            "к": "k",
            "л": "l",
            "м": "m",
            "н": "n",
            "о": "o",
            "п": "p",
            "р": "r",
            "с": "s",
            "т": "t",
            "у": "u",
            "ф": "f",
            "х": "h",
            "ц": "ts",
            "ч": "ch",
            "ш": "sh",
            "щ": "sch",
            "ъ": "",
            "ы": "y",
            "ь": "",
            "э": "e",
            "ю": "yu",
            "я": "ya",
            "ә": "a",
            "ғ": "g",
            "қ": "k",
            "ң": "n",
            "ө": "o",
            "ұ": "u",
            "ү": "u",
            "һ": "h",
            "і": "i",
        }
    )
    out = re.sub(r"[^a-z0-9]+", "_", name.lower().translate(table)).strip("_")
    return (out or "item")[:40]


def choice(value: Any, options: dict[str, Any]) -> str | None:
    """The option id a select cell means: the id itself, or its name in any working language (people
    paste labels, not ids), compared without case. None when the cell is empty; ValueError when it
    names no option, so the row is refused rather than silently emptied."""
    if blank(value):
        return None
    wanted = str(value).strip().casefold()
    for ident, names in options.items():
        labels = (
            [names]
            if isinstance(names, str)
            else (
                [names.get(k) for k in ("ru", "kk", "en")]
                if isinstance(names, dict)
                else [getattr(names, k, None) for k in ("ru", "kk", "en")]
            )
        )
        if wanted == ident.casefold() or any(lbl and wanted == lbl.strip().casefold() for lbl in labels):
            return ident
    raise ValueError(str(value))


def choices(value: Any, options: dict[str, Any]) -> list[str]:
    """Several options from a multiselect cell (a list) or from text separated by commas or semicolons."""
    if isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and not isinstance(value, str)):
        values = [v for v in (value.tolist() if hasattr(value, "tolist") else value) if not blank(v)]
    else:
        values = items(value)
    return list(dict.fromkeys(choice(v, options) for v in values))
