"""Registers as officials hold them: which format a file is, read from its content, and each format's
reader turned into one result (register.RegisterResult) with the same cells, counts and warnings.

Formats (`FORMATS`):

- "table": a CSV or XLSX with one firm per row (register.read_register: title rows, totals, any header
  language, codes with or without dots).
- "fns": the Russian FNS SME register (ZIP or XML), with the FNS head-count data set joined by INN
  (policy_engine/diagnostics/fns.py).
- "kz_stat": Kazakhstan's statistical business register (XLSX, or the ZIP it comes in): OKED codes of five
  digits, a КРП size band instead of a head count, the settlement's КАТО code
  (policy_engine/diagnostics/kz_register.py).
- "nomis_counts" and "nomis_bres": the UK's ONS/NOMIS UK Business Counts (units by SIC and size band) and
  BRES (employment) CSVs (policy_engine/diagnostics/nomis.py).

A file's format is decided by what it holds, never by its name: a ZIP is looked into (a workbook, FNS
XML files, or a workbook or CSV inside), an XML file by its root, a CSV by its header.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from policy_engine.diagnostics import fns, register, sizebands
from policy_engine.diagnostics.register import Cell, RegisterError, RegisterResult, RegisterWarning, crosswalk
from policy_engine.method.catalogue import Catalogue
from policy_engine.project.model import CrosswalkChange

FORMATS = ("table", "fns", "kz_stat", "nomis_counts", "nomis_bres")
Source = tuple[str, "bytes | str | Path"]
MAX_INNER_BYTES = 300 * 1024 * 1024  # a workbook or CSV inside a ZIP, inflated


@dataclass(frozen=True)
class Options:
    """What the user chose for an import: the FNS region code to keep (None: the file's only region), what
    to do with firms that have no head count ("band" or "exclude", fns.NO_HEADCOUNT), and a column
    mapping for a table (register.read_register's `columns`)."""

    region: str | None = None
    no_headcount: str = "band"
    by_region: bool = False  # a national file: each region is one territory (national.py)
    columns: Mapping[str, int | None] | None = None


def _head(source: bytes | str | Path, size: int = 8192) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source[:size])
    try:
        with open(source, "rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise RegisterError.of("unreadable", name=str(source)[:80], reason=exc.strerror or type(exc).__name__) from None


def _zip_names(source: bytes | str | Path) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            return [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise RegisterError.of("not_a_table", detail=f"ZIP: {str(exc)[:60]}") from None


def detect(source: bytes | str | Path) -> str:
    """The format of a file, from its content (see the module text)."""
    head = _head(source)
    if head.startswith(b"PK\x03\x04"):
        names = _zip_names(source)
        lowered = [n.lower() for n in names]
        if _is_workbook(names):
            return _table_kind(source)
        if any(n.endswith(".xml") for n in lowered):
            return "fns"
        if any(n.endswith((".xlsx", ".csv", ".txt")) for n in lowered):
            return _table_kind(_inner(source))
        raise RegisterError.of("not_a_table", detail="ZIP: " + ", ".join(n[:40] for n in names[:3]))
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        if fns.kind_of(head) is not None:
            return "fns"
        raise RegisterError.of("not_a_table", detail="XML: not an FNS register")
    return _table_kind(source)


def _is_workbook(names: list[str]) -> bool:
    """A ZIP is a workbook when it holds a workbook's parts (xl/…), whatever else it lacks or holds."""
    return any(n.lower().startswith("xl/") for n in names)


def _table_kind(source: bytes | str | Path) -> str:
    from policy_engine.diagnostics import kz_register, nomis

    head = _head(source, 1 << 16)
    if not head.startswith(b"PK"):
        kind = nomis.kind_of(head)
        if kind:
            return kind
        return "table"
    raw = source if isinstance(source, bytes) else register._load(source, str(source))[0]
    return "kz_stat" if kz_register.is_kz_register(raw) else "table"


def _inner(source: bytes | str | Path) -> bytes:
    """The one workbook or CSV inside a ZIP (the Kazakh register comes so), inflated with a ceiling."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
        infos = [i for i in archive.infolist() if i.filename.lower().endswith((".xlsx", ".csv", ".txt"))]
        if len(infos) != 1:
            raise RegisterError.of("zip_members", count=len(infos))
        with archive.open(infos[0]) as part:
            data = part.read(MAX_INNER_BYTES + 1)
    if len(data) > MAX_INNER_BYTES:
        raise RegisterError.of("inner_too_large", limit_mb=MAX_INNER_BYTES // 2**20)
    return data


def _fns_error(exc: fns.FnsError) -> RegisterError:
    return RegisterError.of(exc.code, **exc.values)


def fns_regions(files: Sequence[Source]) -> Counter:
    """Region code -> SME documents in the FNS files (for the app's choice of region)."""
    try:
        sources = fns.classify(files)
        counts = fns.SmeCounts()
        for name, source in sources.sme:
            for _member, data in fns.members(source, name):
                counts.regions.update(
                    m.decode().zfill(2)
                    for m in fns._REGION.findall(data)  # one per document
                )
    except fns.FnsError as exc:
        raise _fns_error(exc) from None
    return counts.regions


def read_registers(
    files: Sequence[Source],
    catalogue: Catalogue,
    changes: Iterable[CrosswalkChange] = (),
    options: Options = Options(),
    progress: Callable[[int], None] | None = None,
) -> RegisterResult:
    """Import one register (with its head-count file for the FNS register): accepted rows aggregated by
    municipality × industry, whatever its format."""
    if not files:
        raise RegisterError.of("empty")
    kinds = [detect(source) for _name, source in files]
    changes = list(changes)
    table = crosswalk(catalogue, changes)
    if all(k == "fns" for k in kinds):
        return _read_fns(files, catalogue, table, len(changes), options, progress)
    if len(files) != 1:
        raise RegisterError.of("one_file", formats=", ".join(sorted(set(kinds))))
    name, source = files[0]
    kind = kinds[0]
    if kind == "kz_stat":
        from policy_engine.diagnostics import kz_register

        return kz_register.read(_unzipped(source), catalogue, table, len(changes))
    if kind in ("nomis_counts", "nomis_bres"):
        from policy_engine.diagnostics import nomis

        return nomis.read(source, kind, catalogue, table, len(changes))
    return register.read_register(_table(source), catalogue, changes, name=name, columns=options.columns)


def _table(source: bytes | str | Path) -> bytes | str | Path:
    """The table itself: the one file inside a ZIP that is not a workbook, else the source as it is."""
    if _head(source).startswith(b"PK") and not _is_workbook(_zip_names(source)):
        return _inner(source)
    return source


def _unzipped(source: bytes | str | Path) -> bytes:
    source = _table(source)
    return source if isinstance(source, bytes) else register._load(source, str(source))[0]


def _read_fns(
    files: Sequence[Source],
    catalogue: Catalogue,
    table: dict[str, str | None],
    changes_n: int,
    options: Options,
    progress: Callable[[int], None] | None,
) -> RegisterResult:
    if options.no_headcount not in fns.NO_HEADCOUNT:
        raise ValueError(f"no_headcount must be one of {fns.NO_HEADCOUNT}")
    try:
        sources = fns.classify(files)
        if not sources.sme:
            raise RegisterError.of("fns_no_register")
        counts, heads, head_docs = fns.read(sources, options.region, progress)
    except fns.FnsError as exc:
        raise _fns_error(exc) from None
    regions = {r: n for r, n in counts.regions.items() if r != "?"}
    region = f"{int(options.region):02d}" if options.region else None
    if region is None and len(regions) > 1 and not options.by_region:
        top = ", ".join(f"{r} ({n:,})" for r, n in counts.regions.most_common(5))
        raise RegisterError.of("fns_many_regions", count=len(regions), top=top)
    scheme = catalogue.size_band_scheme("fns_sme_category")
    cells: dict[tuple[str, str | None, str], list[float]] = {}
    used = exact_orgs = banded_orgs = banded_people = excluded = 0
    for (reg, place, okved, who, cat), n in counts.groups.items():
        if region is not None and reg != region:
            continue
        band = scheme.band(cat)
        code = okved if register.CODE_RE.match(okved) else None
        if code is None or band is None:
            if band is None:
                counts.rejected["fns_no_category"] += n
            else:
                counts.rejected["bad_code"] += n
            continue
        low, high = sizebands.band_range(band, scheme)
        own = 0.0 if who == "org" else 1.0  # a sole trader or farm head works in the firm too
        exact, known = 0.0, 0
        if who == "org":
            for inn in counts.inns.get((reg, place, okved, who, cat), ()):
                got = heads.get(inn)
                if got is not None:
                    exact += got
                    known += 1
        missing = n - known
        exact_orgs += known
        if options.no_headcount == "exclude":
            excluded += missing
            firms, emp, lo, hi = known, exact, exact, exact
        else:
            firms = n
            emp = exact + missing * sizebands.estimate(low + own, high + own)
            lo, hi = exact + missing * (low + own), exact + missing * (high + own)
            if who == "org":
                banded_orgs += missing
            else:
                banded_people += missing
        if not firms:
            continue
        used += firms
        industry = register.industry_of(code, table)
        where = (counts.region_names.get(reg, reg), reg) if options.by_region else (counts.names[place], None)
        acc = cells.setdefault((*where, industry), [0, 0.0, 0.0, 0.0])
        acc[0] += firms
        acc[1] += emp
        acc[2] += lo
        acc[3] += hi
    ranged = any(v[2] != v[3] for v in cells.values())
    labels = Counter(counts.region_names.values())  # two regions of one name stay two, told by their codes
    out = [
        Cell(
            municipality=f"{m} ({code})" if options.by_region and labels[m] > 1 else m,
            code=code,
            industry=i,
            firms=int(v[0]),
            employees=v[1],
            employees_low=v[2] if ranged else None,
            employees_high=v[3] if ranged else None,
        )
        for (m, code, i), v in sorted(cells.items(), key=lambda kv: (kv[0][0], kv[0][2]))
    ]
    in_region = counts.documents - counts.other_regions
    rejected = sum(counts.rejected.values())
    warnings = [
        RegisterWarning(
            code="fns_headcount",
            values={
                "exact": f"{exact_orgs:,}",
                "orgs": f"{banded_orgs:,}",
                "people": f"{banded_people:,}",
                "excluded": f"{excluded:,}",
                "head_docs": f"{head_docs:,}",
            },
        )
    ]
    if not sources.headcount:
        warnings.append(RegisterWarning(code="fns_no_headcount_file"))
    if counts.other_regions:
        warnings.append(
            RegisterWarning(
                code="fns_region", values={"region": region, "kept": f"{in_region:,}", "all": f"{counts.documents:,}"}
            )
        )
    return RegisterResult(
        rows_total=in_region,
        rows_used=used,
        rejected=[],
        rejected_count=rejected + excluded,
        rejected_by_reason={**dict(counts.rejected), **({"fns_excluded": excluded} if excluded else {})},
        cells=out,
        encoding="utf-8",
        delimiter=None,
        columns={},
        crosswalk_changes=changes_n,
        header_line=0,
        warnings=warnings,
        format="fns",
    )


class Plan(BaseModel):
    """What an upload is, before it is imported: its format, and what the user still has to choose — the
    region of an FNS register (its region codes with their documents, most first) or a table's columns."""

    model_config = ConfigDict(frozen=True)
    format: str
    regions: list[tuple[str, int]] = []
    layout: register.RegisterLayout | None = None
    has_headcount: bool = False


def plan(files: Sequence[Source]) -> Plan:
    """Look at uploaded files (see `read_registers`) and say what they are; RegisterError if unusable."""
    if not files:
        raise RegisterError.of("empty")
    kinds = [detect(source) for _name, source in files]
    if all(k == "fns" for k in kinds):
        try:
            sources = fns.classify(files)
        except fns.FnsError as exc:
            raise _fns_error(exc) from None
        if not sources.sme:
            raise RegisterError.of("fns_no_register")
        return Plan(format="fns", regions=fns_regions(files).most_common(), has_headcount=bool(sources.headcount))
    if len(files) != 1:
        raise RegisterError.of("one_file", formats=", ".join(sorted(set(kinds))))
    if kinds[0] != "table":
        return Plan(format=kinds[0])
    name, source = files[0]
    table = _table(source)
    if table is not source:  # the file inside a ZIP, named by what it is
        name = "inner.xlsx" if table[:2] == b"PK" else "inner.csv"
    return Plan(format="table", layout=register.inspect_register(table, name))
