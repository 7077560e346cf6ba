"""Reading YAML seed files strictly, and turning validation failures into messages a person can act on.

Seeds are edited by hand by policy experts, so a mistake must be reported where it is: the file,
the entry (by position and id) and the field. Duplicate keys are refused, as OpenFisca does,
because YAML would otherwise keep the last one silently.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class SeedError(ValueError):
    """A seed file that cannot be used; the message names file, entry and field."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):  # a list or mapping as a key: refused where it stands
            raise yaml.constructor.ConstructorError(
                None, None, "a list or mapping cannot be a key", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(path: Path) -> Any:
    """Parse one YAML file, naming the file and line in any error."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise SeedError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - strict SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SeedError(f"{path}:{where}: {problem}") from None


def format_loc(loc: tuple[Any, ...]) -> str:
    """Render a pydantic error location as `codes[0].code`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(whole entry)"


def entry_label(index: int, raw: Any) -> str:
    """`entry 3 ('cinema')` — position is 1-based as people count, id when there is one."""
    ident = raw.get("id") if isinstance(raw, dict) else None
    return f"entry {index + 1}" + (f" ({ident!r})" if ident else "")


def describe_validation(exc: ValidationError, prefix: str) -> list[str]:
    """One line per pydantic error, each starting with `prefix` (file and entry)."""
    return [f"{prefix}, field {format_loc(err['loc'])}: {err['msg']}" for err in exc.errors()]
