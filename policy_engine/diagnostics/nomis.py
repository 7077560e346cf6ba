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


def _frame(source: bytes | str | Path) -> pl.DataFrame:
    head = source[:4096] if isinstance(source, bytes) else Path(source).open("rb").read(4096)
    present = set(_header(head))
    wanted = [c for c in (*NEEDED, *OPTIONAL) if c in present]
    try:
        df = pl.read_csv(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            columns=wanted,
            infer_schema=False,
            encoding="utf8-lossy",
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise RegisterError.of("not_a_table", detail=str(exc).splitlines()[0][:80]) from None
    return df.rename({c: c.upper() for c in df.columns})


def _level(name: str | None) -> int:
    """Digits of the SIC code an INDUSTRY_NAME starts with (0 for none, e.g. "Total")."""
    code = (name or "").split(":", 1)[0].strip()
    return len(code) if code.isdigit() else 0


def read(
    source: bytes | str | Path, kind: str, catalogue: Catalogue, table: dict[str, str | None], changes_n: int = 0
) -> RegisterResult:
    df = _frame(source)
    total_rows = df.height
    warnings: list[RegisterWarning] = []
    by_reason: Counter = Counter()

    def keep(mask: pl.Expr, reason: str) -> None:
        nonlocal df
        dropped = df.filter(~mask).height
        if dropped:
            by_reason[reason] += dropped
        df = df.filter(mask)

    if "MEASURES_NAME" in df.columns:
        keep(pl.col("MEASURES_NAME").str.to_lowercase() == "value", "nomis_not_count")
    if "LEGAL_STATUS_NAME" in df.columns:
        keep(pl.col("LEGAL_STATUS_NAME").str.to_lowercase() == "total", "nomis_total")
    date_col = next((c for c in ("DATE_NAME", "DATE") if c in df.columns), None)
    if date_col and df[date_col].n_unique() > 1:
        latest = df[date_col].max()
        warnings.append(
            RegisterWarning(code="nomis_dates", values={"latest": str(latest), "count": str(df[date_col].n_unique())})
        )
        keep(pl.col(date_col) == latest, "nomis_other_date")
    levels = df["INDUSTRY_NAME"].map_elements(_level, return_dtype=pl.Int64)
    df = df.with_columns(levels.alias("_level"))
    keep(pl.col("_level") > 0, "nomis_total")
    finest = df["_level"].max() if df.height else 0
    if finest:
        keep(pl.col("_level") == finest, "nomis_coarser")
    if kind == "nomis_bres":
        if "MEASURE_NAME" in df.columns:
            keep(pl.col("MEASURE_NAME").str.to_lowercase() == "count", "nomis_not_count")
        if "EMPLOYMENT_STATUS_NAME" in df.columns:
            statuses = set(df["EMPLOYMENT_STATUS_NAME"].str.to_lowercase().unique().to_list())
            status = "employment" if "employment" in statuses else "employees"
            keep(pl.col("EMPLOYMENT_STATUS_NAME").str.to_lowercase() == status, "nomis_other_status")
    scheme = catalogue.size_band_scheme("nomis_sizeband")
    acc: dict[tuple[str, str, str], list[float]] = {}
    used = 0
    band_col = "EMPLOYMENT_SIZEBAND_NAME" if kind == "nomis_counts" else None
    for row in df.iter_rows(named=True):
        if band_col:
            band = scheme.band((row[band_col] or "").strip())
            if band is None:  # "Total" and the aggregate bands count the same units again
                by_reason["nomis_total"] += 1
                continue
        value = register.parse_number(row["OBS_VALUE"])
        if value is None or value < 0:
            by_reason["nomis_suppressed"] += 1
            continue
        code = classifications.crosswalk_code(row["INDUSTRY_NAME"] or "", "sic2007")
        name, geo = (row["GEOGRAPHY_NAME"] or "").strip(), (row["GEOGRAPHY_CODE"] or "").strip()
        if code is None or not name:
            by_reason["bad_code" if code is None else "empty_municipality"] += 1
            continue
        industry = register.industry_of(code, table)
        got = acc.setdefault((name, geo, industry), [0, 0.0, 0.0, 0.0])
        if band_col:
            low, high = sizebands.band_range(band, scheme)
            got[0] += value
            got[1] += value * sizebands.estimate(low, high)
            got[2] += value * low
            got[3] += value * high
        else:
            got[1] += value
            got[2] += value
            got[3] += value
        used += 1
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
