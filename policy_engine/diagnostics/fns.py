"""The Russian Federal Tax Service's open registers: the SME register and the head-count data set.

FNS ships both as ZIP archives of one-line UTF-8 XML files (`Файл`), each of up to 900 `Документ`
elements (sources.yaml: fns_sme_opendata). What is read of a document:

- SME register (`ТипИнф="РЕЕСТРМСП"`): `ВидСубМСП` (1 an organisation, 2 a sole trader, 3 the head of a
  farm), `КатСубМСП` (1 micro, 2 small, 3 medium: seeds/size_bands.yaml, fns_sme_category), the INN of
  `ОргВклМСП/@ИННЮЛ` or `ИПВклМСП/@ИННФЛ`, `СведМН/@КодРегион` and the names of `Район`, `Город` and
  `НаселПункт`, and the main activity `СвОКВЭД/СвОКВЭДОсн/@КодОКВЭД` (OKVED2).
- Head count (`СведНП/@ИННЮЛ` + `СведССЧР/@КолРаб`): organisations only.

The two are joined by INN. A firm without a head count — every sole trader and farm, and an organisation
the head-count file does not list — is counted by the policy the user chose (`NO_HEADCOUNT`): "band"
gives it its category's range (a sole trader or farm head counts themself: 1 + the range of hired staff)
and the range's estimate (sizebands.py); "exclude" leaves it out and says how many were left out.

A firm's municipality is its district (`Район`), else its city (`Город`), else its settlement: a
settlement of a district is counted in the district. Names are put in one form, so `КРАСНОКАМСКИЙ` and
`Краснокамский` are one municipality (territories.name_key).

How it stays fast and small: the archive is read member by member (one member inflated at a time, each
refused past `MAX_MEMBER_BYTES`), a document is found with bytes searches rather than an XML tree, a
region filter drops a document of another region by one substring test before anything else is read
of it, and documents are folded into counts by municipality, code and size class batch by batch, so
memory does not grow with the number of documents.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from policy_engine.diagnostics import territories

MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one XML file inflated; FNS members are 1-4 MB
MAX_RATIO = 200  # inflated : compressed of one member (FNS XML compresses about 10:1)
NO_HEADCOUNT = ("band", "exclude")  # what to do with a firm that has no head count

SME, HEADCOUNT = "fns_sme", "fns_headcount"
_U = "utf-8"


def _b(text: str) -> bytes:
    return text.encode(_U)


_DOC = _b("<Документ ")
_SME_MARK = _b("<СведМН")
_HEAD_MARK = _b("<СведССЧР")
_KIND = re.compile(_b(r'\sВидСубМСП="(\d)"'))
_CAT = re.compile(_b(r'\sКатСубМСП="(\d)"'))
_ORG = re.compile(_b(r'<ОргВклМСП(?=[\s/>])[^>]*?\sИННЮЛ="(\d{10})"'))
_IP = re.compile(_b(r'<ИПВклМСП(?=[\s/>])[^>]*?\sИННФЛ="(\d{12})"'))
_REGION = re.compile(_b(r'<СведМН(?=[\s/>])[^>]*?\sКодРегион="(\d{1,2})"'))
_PLACE = {
    kind: (
        re.compile(_b(rf'<{kind}(?=[\s/>])[^>]*?\sНаим="([^"]*)"')),
        re.compile(_b(rf'<{kind}(?=[\s/>])[^>]*?\sТип="([^"]*)"')),
    )
    for kind in ("Район", "Город", "НаселПункт")
}
_REGION_NAME = re.compile(_b(r'<Регион(?=[\s/>])[^>]*?\sТип="([^"]*)"[^>]*?\sНаим="([^"]*)"'))
_OKVED = re.compile(_b(r'<СвОКВЭДОсн(?=[\s/>])[^>]*?\sКодОКВЭД="([0-9.]{2,12})"'))
_HEAD = re.compile(
    _b(r'<СведНП(?=[\s/>])[^>]*?\sИННЮЛ="(\d{10})"[^>]*>\s*<СведССЧР(?=[\s/>])[^>]*?\sКолРаб="(\d{1,9})"')
)
_FILE_KIND = re.compile(_b(r'<Файл(?=[\s/>])[^>]*?\sТипИнф="([^"]*)"'))


class FnsError(ValueError):
    """A file that is not an FNS register, or breaks a limit: `code` names it (register_error.<code>)."""

    def __init__(self, code: str, **values: object):
        self.code, self.values = code, values
        super().__init__(f"{code}: {values}")


@dataclass
class SmeCounts:
    """What the SME documents add up to: firms by (region, municipality, OKVED2 code, who, category),
    where `who` is "org" or "person" (sole trader or farm); plus what could not be used, by reason."""

    groups: Counter = field(default_factory=Counter)  # key -> firms
    inns: dict[tuple, array] = field(default_factory=dict)  # org groups -> the INNs in them (for the join)
    regions: Counter = field(default_factory=Counter)  # region code -> documents (all regions, before the filter)
    documents: int = 0
    other_regions: int = 0  # documents of other regions, dropped by the region filter
    rejected: Counter = field(default_factory=Counter)  # reason -> documents
    names: dict[str, str] = field(default_factory=dict)  # name key -> the name shown
    region_names: dict[str, str] = field(default_factory=dict)  # КодРегион -> "Пермский край"


def kind_of(head: bytes) -> str | None:
    """Which FNS data set an XML file's first bytes belong to, or None."""
    found = _FILE_KIND.search(head)
    if found and found.group(1) == _b("РЕЕСТРМСП"):
        return SME
    if _HEAD_MARK in head or (found and b"<" + _b("СведНП") in head):
        return HEADCOUNT
    if _SME_MARK in head and _DOC in head:
        return SME
    return None


def members(source: bytes | str | Path, name: str = "") -> Iterator[tuple[str, bytes]]:
    """The XML files of a source (a ZIP of them, or one XML file), one at a time, each inflated with a
    ceiling so that a ZIP bomb is refused, not expanded."""
    opened = open(source, "rb") if isinstance(source, (str, Path)) else io.BytesIO(source)  # noqa: SIM115
    with opened as fh:
        head = fh.read(4)
        fh.seek(0)
        if head != b"PK\x03\x04":
            data = fh.read(MAX_MEMBER_BYTES + 1)
            if len(data) > MAX_MEMBER_BYTES:
                raise FnsError("member_too_large", name=name, limit_mb=MAX_MEMBER_BYTES // 2**20)
            yield name, data
            return
        try:
            archive = zipfile.ZipFile(fh)
            infos = [i for i in archive.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise FnsError("bad_zip", detail=str(exc)[:80]) from None
        for info in infos:
            if not info.filename.lower().endswith(".xml"):
                continue
            ceiling = min(MAX_MEMBER_BYTES, max(info.compress_size, 1) * MAX_RATIO)
            try:
                with archive.open(info) as part:
                    data = part.read(ceiling + 1)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                raise FnsError("bad_zip", detail=str(exc)[:80]) from None
            if len(data) > ceiling:
                raise FnsError("member_too_large", name=info.filename[:80], limit_mb=MAX_MEMBER_BYTES // 2**20)
            yield info.filename, data


def _text(raw: bytes) -> str:
    text = raw.decode(_U, "replace")
    return html.unescape(text) if "&" in text else text


class _Names:
    """Place names in one form: a district "КРАСНОКАМСКИЙ" of type "РАЙОН" and "Краснокамский" are one
    municipality, shown as "Краснокамский район" (the first mixed-case spelling seen, else title case)."""

    def __init__(self, shown: dict[str, str]):
        self.cache: dict[tuple[bytes, bytes, str], str] = {}
        self.shown = shown

    def __call__(self, raw_name: bytes, raw_type: bytes, kind: str) -> str:
        key = (raw_name, raw_type, kind)
        got = self.cache.get(key)
        if got is None:
            name, type_ = _text(raw_name), _text(raw_type)
            got = territories.name_key(name, type_)
            display = territories.display_name(name, type_, kind)
            old = self.shown.get(got)
            if old is None or (old.isupper() and not display.isupper()):
                self.shown[got] = display
            self.cache[key] = got
        return got


def _region_label(doc: bytes) -> str | None:
    """The region a document names, as officials write it: "Пермский край", "Москва" (a city is its name)."""
    found = _REGION_NAME.search(doc)
    if not found:
        return None
    type_, name = _text(found.group(1)).strip(), _text(found.group(2)).strip()
    shown = territories.display_name(name)
    if type_ and type_.lower() not in ("город", "г", "г.") and type_.lower() not in shown.lower():
        shown = f"{shown} {type_.lower()}"
    return shown


def scan_sme(data: bytes, counts: SmeCounts, region: str | None = None) -> None:
    """Fold the documents of one SME register file into `counts` (region: keep only that КодРегион)."""
    names = _Names(counts.names)
    wanted = _b(f'КодРегион="{int(region):02d}"') if region else None
    wanted_short = _b(f'КодРегион="{int(region)}"') if region and int(region) < 10 else None
    groups, inns, regions, rejected = counts.groups, counts.inns, counts.regions, counts.rejected
    parts = data.split(_DOC)
    for doc in parts[1:]:
        counts.documents += 1
        if wanted is not None and wanted not in doc and (wanted_short is None or wanted_short not in doc):
            counts.other_regions += 1  # another region's document: nothing more is read of it
            continue
        reg = _REGION.search(doc)
        code = reg.group(1).decode().zfill(2) if reg else None
        regions[code or "?"] += 1
        if code is not None and code not in counts.region_names:
            counts.region_names[code] = _region_label(doc) or code
        kind, cat, okved = _KIND.search(doc), _CAT.search(doc), _OKVED.search(doc)
        if kind is None or cat is None:
            rejected["fns_no_category"] += 1
            continue
        if okved is None:
            rejected["empty_code"] += 1
            continue
        place = None
        for tag in ("Район", "Город", "НаселПункт"):
            named = _PLACE[tag][0].search(doc)
            if named and named.group(1).strip():
                typed = _PLACE[tag][1].search(doc)
                place = names(named.group(1), typed.group(1) if typed else b"", tag)
                break
        if place is None or code is None:
            rejected["empty_municipality"] += 1
            continue
        org = kind.group(1) == b"1"
        key = (code, place, okved.group(1).decode(), "org" if org else "person", cat.group(1).decode())
        groups[key] += 1
        if org:
            inn = _ORG.search(doc)
            if inn is not None:
                inns.setdefault(key, array("q")).append(int(inn.group(1)))


def scan_headcount(data: bytes, into: dict[int, int], wanted: set[int] | None = None) -> int:
    """Add one head-count file's (INN -> employees) to `into` (only INNs in `wanted`, when given);
    returns the number of documents read."""
    n = 0
    for inn, count in _HEAD.findall(data):
        n += 1
        key = int(inn)
        if wanted is None or key in wanted:
            into[key] = int(count)
    return n


@dataclass
class Sources:
    """The FNS files of one import, sorted by data set."""

    sme: list[tuple[str, bytes | str | Path]] = field(default_factory=list)
    headcount: list[tuple[str, bytes | str | Path]] = field(default_factory=list)


def classify(sources: Iterable[tuple[str, bytes | str | Path]]) -> Sources:
    """Sort sources into the SME register and the head-count data set by their first member's content."""
    out = Sources()
    for name, source in sources:
        kind = None
        for _member, data in members(source, name):
            kind = kind_of(data[:4096])
            break
        if kind == SME:
            out.sme.append((name, source))
        elif kind == HEADCOUNT:
            out.headcount.append((name, source))
        else:
            raise FnsError("not_fns", name=name[:80])
    return out


def read(
    sources: Sources,
    region: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[SmeCounts, dict[int, int], int]:
    """Scan the SME register (region-filtered) and then the head-count files, keeping only the head
    counts of the organisations found; returns the counts, INN -> employees, and head-count documents."""
    counts = SmeCounts()
    for name, source in sources.sme:
        for _member, data in members(source, name):
            if kind_of(data[:4096]) != SME:
                raise FnsError("not_fns", name=_member[:80])
            scan_sme(data, counts, region)
            if progress:
                progress(counts.documents)
    wanted = {inn for group in counts.inns.values() for inn in group}
    heads: dict[int, int] = {}
    head_docs = 0
    for name, source in sources.headcount:
        for _member, data in members(source, name):
            head_docs += scan_headcount(data, heads, wanted)
    return counts, heads, head_docs
