"""Territories: a municipality's name in one form, settlements rolled up to their district, and a
register's places matched to the project's table of municipalities.

Registers write one district in several ways: `КРАСНОКАМСКИЙ` with the type `РАЙОН` in the FNS register,
"Краснокамский район", "Краснокамский р-н" or "р-н Краснокамский" in a regional table. `name_key` puts a
name in one form for matching — case folded, ё as е, the words of a type ("район", "р-н", "г.", "город",
"ауданы", "district" …) and punctuation dropped — so all of these are one municipality, while
"Пермский район" and "Пермь" stay two (the stem is kept whole).

Kazakhstan's КАТО code (9 digits, AA BB CC DDD) names an oblast (AA), a district or city of oblast
significance (BB), a rural district or town (CC) and a settlement (DDD); `kato_district` gives the district
a settlement belongs to (AABB00000), so a village is counted in its district, not as a municipality of
its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from policy_engine.project.model import Municipality

# Words that say what kind of place a name is, in ru, kk and en, dropped by name_key (whole words only).
TYPE_WORDS = frozenset(
    """район р-н р н рн муниципальный муниципальный округ городской округ го мо мр г гор город пгт
    поселок посёлок рабочий село с деревня д станица ст аул п рп сельское поселение сп городское гп
    область обл край республика респ автономный ао аудан ауданы ауд қала қаласы облысы облыс ауыл
    кент district city town borough county council of the unitary authority metropolitan london""".split()
)
_PUNCT = re.compile(r"[^\w\s-]+", re.UNICODE)


def name_key(name: str, type_: str = "") -> str:
    """One form of a place name for matching (see the module text); '' for a name of type words only."""
    text = unicodedata.normalize("NFC", f"{name} {type_}").casefold().replace("ё", "е")
    text = _PUNCT.sub(" ", text.replace("р-н", " р-н ").replace(".", " "))
    words = [w.strip("-") for w in text.split()]
    kept = [w for w in words if w and w not in TYPE_WORDS]
    return " ".join(kept) or " ".join(w for w in words if w)


def _title(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def display_name(name: str, type_: str = "", kind: str = "") -> str:
    """A register's place as officials write it: a district "КРАСНОКАМСКИЙ" of type "РАЙОН" is
    "Краснокамский район", a city "ПЕРМЬ" is "Пермь"; a name written in mixed case is kept as written."""
    name = " ".join(name.split())
    if name.isupper():
        name = " ".join(_title(w) for w in name.split())
    type_ = " ".join(type_.split()).lower()
    if kind == "Район" and type_ and all(w in TYPE_WORDS for w in type_.split()) and type_ not in name.lower():
        return f"{name} {type_}"
    return name


KATO_RE = re.compile(r"^\d{9}$")


def kato_district(code: str) -> str | None:
    """The KATO code of the district or city a 9-digit KATO code lies in (AABB00000), or None."""
    code = code.strip()
    if not KATO_RE.match(code):
        return None
    return code[:4] + "00000"


def place(label: str, code: str | None, municipalities: Iterable[Municipality]) -> Municipality | None:
    """The municipality of the project's table a register's place is: by its official code first (a KATO
    settlement's district, an ONS code), then by name in one form (name_key) against the table's name, its
    names in each language and the aliases the facilitator mapped; None when it is in none of them."""
    municipalities = list(municipalities)
    if code:
        for m in municipalities:
            if m.code and (m.code == code or kato_district(m.code) == code):
                return m
    key = name_key(label)
    if not key:
        return None
    for m in municipalities:
        names = [m.name, *m.names.values(), *m.aliases]
        if any(name_key(n) == key for n in names):
            return m
    return None
