"""The UK's ONS registers as NOMIS (nomisweb.co.uk) gives them as CSV: UK Business Counts (NM_141_1 local
units, NM_142_1 enterprises: units by SIC 2007 industry and employment size band, no employment) and
the Business Register and Employment Survey (BRES, NM_189_1: employment by industry).

Columns are found by name (NOMIS repeats a block per dimension: X, X_NAME, X_CODE, X_TYPE, …, and ends
with MEASURES_NAME, OBS_VALUE, OBS_STATUS…). What is read:

- GEOGRAPHY_NAME and GEOGRAPHY_CODE (ONS codes: E06…, E07…, E08…, E09…, W06…, S12…): the municipality;
- INDUSTRY_NAME ("5911 : Motion picture, video and television programme activities"): the SIC code,
  put in the crosswalk's form (classifications.py; UK sub-classes are the UK's own and are dropped);
- Business Counts: EMPLOYMENT_SIZEBAND_NAME, one of the detailed bands "0 to 4" … "1000+"
  (seeds/size_bands.yaml, nomis_sizeband); OBS_VALUE is a number of units, each given its band's range
  and estimate (sizebands.py);
- BRES: OBS_VALUE is employment, from the rows whose EMPLOYMENT_STATUS_NAME is "Employment" (employees
  and working owners; "Employees" when the file has only that) and MEASURE_NAME "Count".

Rows that would count one thing twice are not data: totals ("Total" industry, size band or legal status
rows; the aggregate bands "Micro (0 to 9)" …), percentages (MEASURES_NAME other than "Value"), and rows
of a coarser industry level when the file also has a finer one (a division beside its classes). When a
file holds several dates, the latest is used and the import says so.

A national download (every local authority × SIC subclass × band) runs to millions of rows: the file is
read as a lazy polars plan in two streamed passes (what it holds, then the rows grouped by territory,
industry and band), so memory holds the groups, not the rows.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import polars as pl

from policy_engine.diagnostics import classifications, register, sizebands
from policy_engine.diagnostics.register import Cell, RegisterError, RegisterResult, RegisterWarning
from policy_engine.method.catalogue import Catalogue

NEEDED = ("GEOGRAPHY_NAME", "GEOGRAPHY_CODE", "INDUSTRY_NAME", "OBS_VALUE")
OPTIONAL = (
    "DATE_NAME",
    "DATE",
    "EMPLOYMENT_SIZEBAND_NAME",
    "EMPLOYMENT_STATUS_NAME",
    "MEASURE_NAME",
    "MEASURES_NAME",
    "LEGAL_STATUS_NAME",
    "INDUSTRY_TYPE",
)


def _header(head: bytes) -> list[str]:
    line = head.split(b"\n", 1)[0].decode("utf-8-sig", "replace").strip()
    return [c.strip().strip('"').upper() for c in line.split(",")]


def kind_of(head: bytes) -> str | None:
    """ "nomis_counts" or "nomis_bres" when a CSV's header is NOMIS's, else None."""
    names = set(_header(head))
    if not all(n in names for n in NEEDED):
        return None
    if "EMPLOYMENT_SIZEBAND_NAME" in names:
        return "nomis_counts"
    if "EMPLOYMENT_STATUS_NAME" in names or "MEASURE_NAME" in names:
        return "nomis_bres"
    return None


def _scan(source: bytes | str | Path) -> pl.LazyFrame:
    """The needed columns of the CSV as a lazy plan: polars streams it, so memory does not grow with the file."""
    head = source[:4096] if isinstance(source, bytes) else Path(source).open("rb").read(4096)
    names = _header(head)
    wanted = [c for c in (*NEEDED, *OPTIONAL) if c in names]
    lf = pl.scan_csv(
        io.BytesIO(source) if isinstance(source, bytes) else source,
        infer_schema=False,
        encoding="utf8-lossy",
        has_header=True,
    )
    original = {n.upper(): n for n in lf.collect_schema().names()}
    return lf.select([pl.col(original[c]).alias(c) for c in wanted if c in original])


def _level(name: pl.Expr) -> pl.Expr:
    """Digits of the SIC code an INDUSTRY_NAME starts with (0 for none, e.g. "Total")."""
    return name.str.extract(r"^\s*(\d+)\s*(?::|$)", 1).str.len_chars().fill_null(0)


def _lower(col: str) -> pl.Expr:
    return pl.col(col).fill_null("").str.strip_chars().str.to_lowercase()


def read(
    source: bytes | str | Path, kind: str, catalogue: Catalogue, table: dict[str, str | None], changes_n: int = 0
) -> RegisterResult:
    """Two streamed passes: what the file holds (its dates, finest industry level, employment statuses), then
    every row given the first reason it is not data (in the order of the module text) or none, grouped by
    territory, industry and band — only those groups are held."""
    try:
        lf = _scan(source)
        cols = set(lf.collect_schema().names())
        date_col = next((c for c in ("DATE_NAME", "DATE") if c in cols), None)
        facts = lf.select(
            rows=pl.len(),
            dates=pl.col(date_col).n_unique() if date_col else pl.lit(1),
            latest=pl.col(date_col).max() if date_col else pl.lit(None),
            finest=_level(pl.col("INDUSTRY_NAME")).max(),
            employment=(_lower("EMPLOYMENT_STATUS_NAME") == "employment").any()
            if "EMPLOYMENT_STATUS_NAME" in cols
            else pl.lit(False),
        ).collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise RegisterError.of("not_a_table", detail=str(exc).splitlines()[0][:80]) from None
    fact = facts.row(0, named=True)
    warnings: list[RegisterWarning] = []
    if fact["dates"] > 1:
        warnings.append(
            RegisterWarning(code="nomis_dates", values={"latest": str(fact["latest"]), "count": str(fact["dates"])})
        )
    scheme = catalogue.size_band_scheme("nomis_sizeband")
    band_col = "EMPLOYMENT_SIZEBAND_NAME" if kind == "nomis_counts" else None
    value = pl.col("OBS_VALUE").str.strip_chars().str.replace_all(",", "").cast(pl.Float64, strict=False)
    checks: list[tuple[pl.Expr, str]] = []  # (row is not data, why), in the module text's order
    if "MEASURES_NAME" in cols:
        checks.append((_lower("MEASURES_NAME") != "value", "nomis_not_count"))
    if "LEGAL_STATUS_NAME" in cols:
        checks.append((_lower("LEGAL_STATUS_NAME") != "total", "nomis_total"))
    if date_col and fact["dates"] > 1:
        checks.append((pl.col(date_col) != fact["latest"], "nomis_other_date"))
    checks.append((_level(pl.col("INDUSTRY_NAME")) == 0, "nomis_total"))
    if fact["finest"]:
        checks.append((_level(pl.col("INDUSTRY_NAME")) != fact["finest"], "nomis_coarser"))
    if kind == "nomis_bres":
        if "MEASURE_NAME" in cols:
            checks.append((_lower("MEASURE_NAME") != "count", "nomis_not_count"))
        if "EMPLOYMENT_STATUS_NAME" in cols:
            status = "employment" if fact["employment"] else "employees"
            checks.append((_lower("EMPLOYMENT_STATUS_NAME") != status, "nomis_other_status"))
    if band_col:  # "Total" and the aggregate bands count the same units again
        checks.append(
            (~pl.col(band_col).fill_null("").str.strip_chars().is_in([b.code for b in scheme.bands]), "nomis_total")
        )
    checks.append((value.is_null() | (value < 0), "nomis_suppressed"))
    reason: pl.Expr = pl.lit(None, dtype=pl.String)
    for failed, why in reversed(checks):
        reason = pl.when(failed).then(pl.lit(why)).otherwise(reason)
    keys = ["_reason", "GEOGRAPHY_NAME", "GEOGRAPHY_CODE", "INDUSTRY_NAME"] + ([band_col] if band_col else [])
    try:
        groups = (
            lf.with_columns(_reason=reason, _value=value)
            .group_by(keys)
            .agg(rows=pl.len(), value=pl.col("_value").sum())
            .collect(engine="streaming")
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise RegisterError.of("not_a_table", detail=str(exc).splitlines()[0][:80]) from None
    total_rows = int(fact["rows"])
    by_reason: Counter = Counter()
    acc: dict[tuple[str, str, str], list[float]] = {}
    used = 0
    for g in groups.iter_rows(named=True):
        if g["_reason"] is not None:
            by_reason[g["_reason"]] += g["rows"]
            continue
        code = classifications.crosswalk_code(g["INDUSTRY_NAME"] or "", "sic2007")
        name, geo = (g["GEOGRAPHY_NAME"] or "").strip(), (g["GEOGRAPHY_CODE"] or "").strip()
        if code is None or not name:
            by_reason["bad_code" if code is None else "empty_municipality"] += g["rows"]
            continue
        industry = register.industry_of(code, table)
        got = acc.setdefault((name, geo, industry), [0, 0.0, 0.0, 0.0])
        total = g["value"] or 0.0
        if band_col:
            band = scheme.band(g[band_col].strip())
            low, high = sizebands.band_range(band, scheme)
            got[0] += total
            got[1] += total * sizebands.estimate(low, high)
            got[2] += total * low
            got[3] += total * high
        else:
            got[1] += total
            got[2] += total
            got[3] += total
        used += g["rows"]
    if not used:
        raise RegisterError.of("no_rows_used", rejected=total_rows)
    ranged = band_col is not None
    cells = [
        Cell(
            municipality=m,
            code=g or None,
            industry=i,
            firms=int(v[0]),
            employees=v[1],
            employees_low=v[2] if ranged else None,
            employees_high=v[3] if ranged else None,
        )
        for (m, g, i), v in sorted(acc.items())
    ]
    if ranged:
        warnings.append(RegisterWarning(code="nomis_bands", values={}))
    return RegisterResult(
        rows_total=total_rows,
        rows_used=used,
        rejected=[],
        rejected_count=total_rows - used,
        rejected_by_reason=dict(by_reason),
        cells=cells,
        encoding="utf-8",
        delimiter=",",
        columns={},
        crosswalk_changes=changes_n,
        header_line=1,
        warnings=warnings,
        format=kind,  # type: ignore[arg-type]
    )
