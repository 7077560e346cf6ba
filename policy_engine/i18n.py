"""Interface texts in the three working languages (Russian, Kazakh, English).

Numbers and dates are written here too, as each language writes them (`number`, `day`).

All words the app and the reports show, other than catalogue names (which come from seeds/), are
keys of the YAML files in `strings/` beside this module (one file per page or area, keys prefixed
by it); `t(key, lang)` looks them up. A test fails when a key lacks a language, when two files
define the same key, or when the app uses a key that does not exist, so no screen shows a raw key.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from policy_engine.seedfile import read_yaml

LANGS = ("ru", "kk", "en")
LANG_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
STRINGS_DIR = Path(__file__).resolve().parent / "strings"


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    """Every key of every strings file; refuses a key defined twice or missing a language."""
    merged: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    for path in sorted(STRINGS_DIR.glob("*.yaml")):
        for key, value in (read_yaml(path) or {}).items():
            if key in merged:
                problems.append(f"{path.name}: {key} is already defined in another strings file")
            missing = [lang for lang in LANGS if not (value or {}).get(lang)]
            if missing:
                problems.append(f"{path.name}: {key} has no {', '.join(missing)}")
            extra = [str(k) for k in (value or {}) if k not in LANGS]
            if extra:  # `{ru: a, b}` in YAML ends the text at the comma and makes "b" a key
                problems.append(f"{path.name}: {key} has unexpected keys {extra} (an unquoted comma in a text?)")
            merged[key] = value
    if problems:
        raise ValueError("; ".join(problems))
    return merged


def t(key: str, lang: str = "ru", **values: object) -> str:
    """The text for `key` in `lang`, with `{placeholders}` filled from `values`."""
    entry = strings()[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def t_md(key: str, lang: str = "ru", **values: object) -> str:
    """`t` for a place that renders Markdown: the text values put into it are the user's, so each is escaped
    first (policy_engine/literal.py), while the text of the strings file keeps any Markdown of its own."""
    from policy_engine.literal import md_literal

    return t(key, lang, **{k: md_literal(v) if isinstance(v, str) else v for k, v in values.items()})


def number(value: float, lang: str, digits: int = 1) -> str:
    """A number as officials write it: 1 234,5 in Russian and Kazakh, 1,234.5 in English."""
    text = f"{value:,.{digits}f}"
    if digits and "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang in ("ru", "kk"):
        text = text.replace(",", "\u00a0").replace(".", ",")
    return text


def day(value: date | None, lang: str) -> str:
    if value is None:
        return "—"
    return value.strftime("%d.%m.%Y") if lang in ("ru", "kk") else value.isoformat()
