"""Kazakhstan's statistical business register (Bureau of National Statistics, stat.gov.kz).

The register is ordered from stat.gov.kz and comes as a ZIP holding an XLSX: a title row above the
header, then one row per business with its BIN, names in Kazakh and Russian, the main activity `ОКЭД`
(five digits, no dots: 62011), a size code `КРП` instead of a head count (105: up to 5 employees … 311:
over 1000; seeds/size_bands.yaml, kz_krp), and the settlement's `КАТО` code (9 digits) with its name.
Structure as parsed by the public loader elessarelfstone/tcomextetl (tasks_params.yml: the A:K and R:V
columns of 22).

Each firm gets its КРП band's range and estimate (sizebands.py). A settlement is counted in its
district or city of oblast significance (territories.kato_district: AABB00000): a village with one firm
is not a municipality of its own, which once gave a one-firm village an LQ of 48.7. The district's name
comes from the project's table of municipalities by its КАТО code (the import maps it there, see
policy_engine/wizard/frame.py); the register itself names only settlements, so a district not in the
table is shown by its code and the settlements seen in it until the facilitator names it.

The workbook is inspected against the upload limits first, then streamed row by row (openpyxl read-only),
so a national register's rows are never all in memory at once.
"""

from __future__ import annotations

import io
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator

from policy_engine.diagnostics import classifications, register, sizebands, territories, uploads
from policy_engine.diagnostics.register import Cell, RegisterError, RegisterResult, RegisterWarning, normalise_header
from policy_engine.method.catalogue import Catalogue

# Header names (normalised) of the columns read; the Russian and Kazakh names the register prints.
COLUMNS = {
    "code": ("окэд",),
    "band": ("крп",),
    "kato": ("като",),
    "place": ("наименование населенного пункта", "елді мекеннің атауы"),
}
SCAN_ROWS = 15


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    for i, cells in enumerate(rows[:SCAN_ROWS]):
        names = [normalise_header(c) for c in cells]
        found: dict[str, int] = {}
        for role, aliases in COLUMNS.items():
            for j, name in enumerate(names):
                if name in aliases and role not in found:
                    found[role] = j
        if all(r in found for r in ("code", "band", "kato")):
            return i, found
    return None


def _rows(raw: bytes, n_rows: int | None = None) -> Iterator[list[str]]:
    """The first sheet's rows as text, one at a time: the workbook is inspected against the upload limits
    first (uploads.inspect_xlsx), then read by openpyxl in read-only mode, which streams the sheet — memory
    does not grow with the rows (a national register runs to hundreds of thousands)."""
    from openpyxl import load_workbook

    try:
        uploads.inspect_xlsx(raw)
    except uploads.TooLarge as exc:
        raise RegisterError.of(exc.code, **exc.values) from None
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any parse failure of a hostile workbook is a refusal
        raise RegisterError.of("bad_workbook", detail=type(exc).__name__) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # read every row, whatever the declared dimension says
        for k, row in enumerate(sheet.iter_rows(values_only=True)):
            if n_rows is not None and k >= n_rows:
                break
            yield ["" if v is None else str(v).strip() for v in row]
    finally:
        book.close()


def is_kz_register(raw: bytes) -> bool:
    """Whether a workbook is the Kazakh statistical register (its header names ОКЭД, КРП and КАТО)."""
    try:
        return _header(list(_rows(raw, SCAN_ROWS))) is not None
    except RegisterError:
        return False


def read(raw: bytes, catalogue: Catalogue, table: dict[str, str | None], changes_n: int = 0) -> RegisterResult:
    rows = _rows(raw)
    top = [next(rows, None) for _ in range(SCAN_ROWS)]
    top = [r for r in top if r is not None]
    found = _header(top)
    if found is None:
        raise RegisterError.of("missing_columns", missing="code,employees,municipality", found="—")
    at, cols = found
    scheme = catalogue.size_band_scheme("kz_krp")
    acc: dict[tuple[str, str], list[float]] = {}
    places: dict[str, Counter] = defaultdict(Counter)  # district KATO -> settlements seen
    rejected: list[register.Rejected] = []
    by_reason: Counter = Counter()
    used = total = 0

    def cell(cells: list[str], role: str) -> str:
        j = cols.get(role)
        return cells[j] if j is not None and j < len(cells) else ""

    header = top[at]
    for i, cells in enumerate(itertools.chain(top[at + 1 :], rows), start=at + 2):
        if not any(cells):
            continue
        total += 1
        code_text, band_text, kato = cell(cells, "code"), cell(cells, "band"), cell(cells, "kato")
        problems: list[tuple[str, dict[str, str]]] = []
        code = classifications.crosswalk_code(code_text, "oked") if code_text else None
        if not code_text:
            problems.append(("empty_code", {}))
        elif code is None:
            problems.append(("bad_code", {"value": repr(code_text[:40])}))
        band = scheme.band(band_text.split(".")[0]) if band_text else None
        if band is None:
            problems.append(("bad_band", {"value": repr(band_text[:40])}) if band_text else ("empty_employees", {}))
        district = territories.kato_district(kato)
        if district is None:
            problems.append(("empty_municipality", {}) if not kato else ("bad_kato", {"value": repr(kato[:40])}))
        if problems:
            for key, _ in problems:
                by_reason[key] += 1
            if len(rejected) < register.REJECTED_KEPT:
                rejected.append(register.Rejected.of(i, problems))
            continue
        assert code is not None and band is not None and district is not None
        low, high = sizebands.band_range(band, scheme)
        industry = register.industry_of(code, table)
        got = acc.setdefault((district, industry), [0, 0.0, 0.0, 0.0])
        got[0] += 1
        got[1] += sizebands.estimate(low, high)
        got[2] += low
        got[3] += high
        name = cell(cells, "place")
        if name:
            places[district][name] += 1
        used += 1
    if not used:
        raise RegisterError.of("no_rows_used", rejected=total)
    examples = {d: ", ".join(n for n, _ in c.most_common(3)) for d, c in places.items()}
    cells_out = [
        Cell(
            municipality=f"{d} ({examples[d]})" if examples.get(d) else d,
            code=d,
            industry=ind,
            firms=int(v[0]),
            employees=v[1],
            employees_low=v[2],
            employees_high=v[3],
        )
        for (d, ind), v in sorted(acc.items())
    ]
    return RegisterResult(
        rows_total=total,
        rows_used=used,
        rejected=rejected,
        rejected_count=total - used,
        rejected_by_reason=dict(by_reason),
        cells=cells_out,
        encoding="utf-8",
        delimiter=None,
        columns={role: header[j] for role, j in cols.items()},
        crosswalk_changes=changes_n,
        header_line=at + 1,
        warnings=[RegisterWarning(code="kz_bands", values={"firms": f"{used:,}"})],
        format="kz_stat",
    )
