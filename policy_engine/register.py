"""Importing firm registers: the quantitative inventory of creative actors (iteration 1).

Officials bring exports from statistics offices and business registers as they come: CSV or
XLSX, UTF-8 or Windows-1251, `;` `,` or tab, decimal commas, spaced thousands, headers in
Russian, Kazakh or English, sometimes a million rows. This module reads them fast, maps every
activity code to a creative industry by the longest matching code of the crosswalk (with the
project's own adjustments), and rejects a bad row on its own — with its line number and the
reason — while using the rest.

How it stays fast: pyarrow's multi-threaded CSV reader splits the file into raw byte columns
without decoding it; text columns are dictionary-encoded so only their *distinct* values are
decoded and mapped in Python; numbers are cleaned with vectorized kernels; polars groups the
rows. Decoding a whole Windows-1251 file and re-encoding it for a reader would cost more than
all the rest together.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from pydantic import BaseModel, ConfigDict

from .catalogue import Catalogue
from .i18n import t
from .project import CrosswalkChange

NON_CREATIVE = "non_creative"

# Header aliases, compared after normalisation (lower case, ё→е, punctuation to spaces). A header
# matches an alias when it equals it or starts with it followed by a space ("численность
# работников, чел." matches "численность работников").
ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "activity code", "okved", "okved2", "oked", "nace", "оквэд", "оквэд2", "оквэд 2",
             "окэд", "код", "код оквэд", "код окэд", "экжж", "экжж коды", "эқжж", "эқжж коды", "коды"),
    "municipality": ("municipality", "district", "city", "муниципалитет", "муниципальное образование",
                     "район", "город", "аудан", "қала", "муниципалитет атауы", "елді мекен"),
    "employees": ("employees", "headcount", "численность", "численность работников",
                  "среднесписочная численность", "среднесписочная численность работников",
                  "жұмыскерлер саны", "қызметкерлер саны", "жұмысшылар саны"),
    "revenue": ("revenue", "turnover", "выручка", "доход", "оборот", "табыс", "түсім"),
}
REQUIRED = ("code", "municipality", "employees")
CODE_RE = re.compile(r"^\d{2}(\.\d{1,2}){0,3}$")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
SPACES = {"utf-8": (b" ", b"\xc2\xa0", b"\xe2\x80\xaf"), "cp1251": (b" ", b"\xa0")}


class RegisterError(ValueError):
    """A file that cannot be used at all (no required column, not a table); the message says why."""


class Rejected(BaseModel):
    """A rejected line: its number in the file, the reason in English, and the same as i18n keys
    with their values (policy_engine/strings/register.yaml), so the app can say it in ru or kk."""

    model_config = ConfigDict(frozen=True)
    line: int
    reason: str
    problems: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @classmethod
    def of(cls, line: int, problems: list[tuple[str, dict[str, str]]]) -> "Rejected":
        keyed = tuple((key, tuple(values.items())) for key, values in problems)
        return cls(line=line, reason="; ".join(t(f"reject.{k}", "en", **v) for k, v in problems), problems=keyed)

    def describe(self, lang: str) -> str:
        return "; ".join(t(f"reject.{key}", lang, **dict(values)) for key, values in self.problems) or self.reason


class Cell(BaseModel):
    """Firms and employees of one municipality in one industry (or NON_CREATIVE)."""

    model_config = ConfigDict(frozen=True)
    municipality: str
    industry: str
    firms: int
    employees: float
    revenue: float | None = None


class RegisterResult(BaseModel):
    model_config = ConfigDict(frozen=True)
    rows_total: int
    rows_used: int
    rejected: list[Rejected]
    cells: list[Cell]
    encoding: str
    delimiter: str | None
    columns: dict[str, str]  # role -> header as found in the file
    crosswalk_changes: int = 0


# --- crosswalk ----------------------------------------------------------------------------------

def crosswalk(catalogue: Catalogue, changes: Iterable[CrosswalkChange] = ()) -> dict[str, str | None]:
    """Code -> industry for the catalogue, with a project's adjustments applied (None = not creative)."""
    table: dict[str, str | None] = dict(catalogue.code_index())
    for ch in changes:
        table[ch.code] = ch.industry
    return table


def industry_of(code: str, table: dict[str, str | None]) -> str:
    """The industry of the longest code in `table` that `code` starts with, segment by segment."""
    parts = code.split(".")
    for k in range(len(parts), 0, -1):
        key = ".".join(parts[:k])
        if key in table:
            return table[key] or NON_CREATIVE
    return NON_CREATIVE


# --- reading the table --------------------------------------------------------------------------

def normalise_header(text: str) -> str:
    text = text.replace("\ufeff", "").lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def match_columns(headers: Sequence[str]) -> dict[str, int]:
    """Role -> column index, by the longest alias each header matches; first column wins a role."""
    found: dict[str, int] = {}
    for idx, raw in enumerate(headers):
        name = normalise_header(raw)
        best: tuple[int, str] | None = None
        for role, aliases in ALIASES.items():
            for alias in aliases:
                if name == alias or name.startswith(alias + " "):
                    if best is None or len(alias) > best[0]:
                        best = (len(alias), role)
        if best and best[1] not in found:
            found[best[1]] = idx
    return found


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields most often."""
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    best, best_score = ";", (-1, -1)
    for delim in (";", "\t", ",", "|"):
        counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delim, score
    if best_score[0] < 0:
        raise RegisterError("could not find the columns: no line splits on ';', ',', tab or '|'")
    return best


def _decode_all(values: list[bytes | None], encoding: str) -> list[str | None]:
    return [None if v is None else v.decode(encoding, errors="replace").strip() for v in values]


def _detect_encoding(distinct: Iterable[bytes | None]) -> str:
    try:
        for v in distinct:
            if v is not None:
                v.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1251"


@dataclass
class _Columns:
    """Raw columns of a table as arrow binary arrays, and how to map rows to file lines."""

    headers: list[str]
    data: dict[str, pa.Array]
    encoding: str
    delimiter: str | None
    encoding_certain: bool = False  # a BOM, or a workbook, says what the text is
    first_line: int = 2  # file line of the first data row
    line_map: list[int] | None = None  # data row -> file line, when rows were skipped
    skipped: list[Rejected] = field(default_factory=list)


def _read_csv(raw: bytes) -> _Columns:
    certain = True
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, encoding = raw[3:], "utf-8"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw, encoding = raw.decode("utf-16").encode("utf-8"), "utf-8"
    else:
        encoding, certain = "", False
    head = raw[: 1 << 16]
    head = head[: head.rfind(b"\n") + 1] or head
    if not encoding:
        encoding = _detect_encoding([head])
    sample = head.decode(encoding, errors="replace")
    delimiter = detect_delimiter(sample)
    headers = next(csv.reader([sample.splitlines()[0]], delimiter=delimiter))
    roles = match_columns(headers)
    _require(roles, headers)
    names = [f"c{i}" for i in range(len(headers))]
    wanted = {role: names[i] for role, i in roles.items()}
    line_map, skipped = None, []
    try:
        table = _arrow_table(raw, names, wanted, delimiter)
    except pa.ArrowInvalid as exc:
        if "Expected" not in str(exc):
            raise RegisterError(f"the file could not be read as a table: {exc}") from None
        # Lines with the wrong number of fields: find them, report them, read the rest.
        line_map, skipped, raw = _physical_lines(raw, encoding, delimiter, len(headers))
        table = _arrow_table(raw, names, wanted, delimiter)
    if line_map is None and (b"\n\n" in raw or b"\n\r\n" in raw):  # blank lines shift row numbers
        line_map, skipped, _ = _physical_lines(raw, encoding, delimiter, len(headers))
    data = {role: table.column(col).combine_chunks() for role, col in wanted.items()}
    return _Columns(headers=headers, data=data, encoding=encoding, delimiter=delimiter, encoding_certain=certain,
                    line_map=line_map, skipped=skipped)


def _arrow_table(raw: bytes, names: list[str], wanted: dict[str, str], delimiter: str) -> pa.Table:
    """Split the file into raw byte columns with pyarrow's multi-threaded reader (no decoding)."""
    return pcsv.read_csv(
        io.BytesIO(raw),
        read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 22),
        parse_options=pcsv.ParseOptions(delimiter=delimiter),
        convert_options=pcsv.ConvertOptions(column_types={n: pa.binary() for n in names}, check_utf8=False,
                                            include_columns=list(wanted.values())),
    )


def _physical_lines(raw: bytes, encoding: str, delimiter: str, width: int) -> tuple[list[int], list[Rejected], bytes]:
    """The slow path, for files with blank or malformed lines: which file line each data row is on.

    The fast reader drops blank lines without saying where they were and stops at a line with the
    wrong number of fields, so the file is walked line by line: malformed lines are reported, and
    the rest is returned for the fast reader to read again, with every line number kept true.
    """
    lines = raw.split(b"\n")
    keep = [lines[0]]
    rows: list[int] = []
    skipped: list[Rejected] = []
    for lineno, line in enumerate(lines[1:], start=2):
        text = line.decode(encoding, errors="replace").rstrip("\r")
        if not text.strip():
            if text:  # a line of blanks would be a one-field row for the reader
                skipped.append(Rejected.of(lineno, [("blank_line", {})]))
            continue
        fields = next(csv.reader([text], delimiter=delimiter))
        if len(fields) != width:
            skipped.append(Rejected.of(lineno, [("field_count", {"got": str(len(fields)), "want": str(width)})]))
            continue
        rows.append(lineno)
        keep.append(line)
    return rows, skipped, b"\n".join(keep) + b"\n"


def _read_xlsx(raw: bytes) -> _Columns:
    try:
        df = pl.read_excel(io.BytesIO(raw), engine="calamine", has_header=False, infer_schema_length=0)
    except Exception as exc:  # fastexcel raises its own types for broken workbooks
        raise RegisterError(f"the workbook could not be read: {exc}") from None
    if df.height == 0:
        raise RegisterError("the workbook's first sheet is empty")
    headers = ["" if v is None else str(v) for v in df.row(0)]
    roles = match_columns(headers)
    _require(roles, headers)
    body = df.slice(1)
    data = {role: body.to_series(i).cast(pl.String).to_arrow().cast(pa.binary()) for role, i in roles.items()}
    return _Columns(headers=headers, data={k: v.combine_chunks() if isinstance(v, pa.ChunkedArray) else v
                                           for k, v in data.items()},
                    encoding="utf-8", delimiter=None, encoding_certain=True)


def _require(roles: dict[str, int], headers: Sequence[str]) -> None:
    missing = [r for r in REQUIRED if r not in roles]
    if missing:
        found = ", ".join(repr(h) for h in headers) or "none"
        raise RegisterError(
            f"the file has no column for {', '.join(missing)} (columns found: {found}); "
            f"accepted names include, for the code: code, okved, oked, nace, ОКВЭД, ОКЭД, код; "
            f"for the municipality: municipality, district, муниципалитет, район, город; "
            f"for employees: employees, численность, численность работников"
        )


# --- numbers ------------------------------------------------------------------------------------

def parse_number(text: str | None) -> float | None:
    """A number as officials write it: spaces of any kind between thousands, comma or dot decimals."""
    if text is None:
        return None
    t = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if not NUMBER_RE.match(t):
        return None
    return float(t)


def _numbers(col: pa.Array, encoding: str) -> pl.Series:
    """Parse a binary column of numbers (null where a value is not a number).

    A column with few distinct values (employees usually) is parsed value by value on its
    dictionary; a column of mostly distinct values (revenue) goes through vectorized kernels.
    Both paths follow `parse_number`.
    """
    probe = col.slice(0, 20000)
    if len(pc.unique(probe)) <= 8000:  # few distinct values (head counts): parse each one once
        enc = pc.dictionary_encode(col)
        parsed = pl.Series([parse_number(t) for t in _decode_all(enc.dictionary.to_pylist(), encoding)],
                           dtype=pl.Float64)
        return parsed.gather(pl.from_arrow(enc.indices).cast(pl.Int64))
    cleaned = col
    data = memoryview(col.buffers()[2]) if col.buffers()[2] is not None else b""
    for pat, repl in [(p, b"") for p in SPACES["cp1251" if encoding == "cp1251" else "utf-8"]] + [(b",", b".")]:
        if bytes(data).find(pat) >= 0:  # a memchr-speed scan saves a full pass when a pattern is absent
            cleaned = pc.replace_substring(cleaned, pat, repl)
    return pl.from_arrow(_null_non_ascii(cleaned)).cast(pl.String).cast(pl.Float64, strict=False)


def _null_non_ascii(col: pa.Array) -> pa.Array:
    """Empty the values with any non-ASCII byte (no number has one), so the column can be
    read as text whatever its encoding. Costs a scan of the bytes, and more only where such values are."""
    import numpy as np

    offsets_buf, data_buf = col.buffers()[1], col.buffers()[2]
    if data_buf is None:
        return col
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[col.offset: col.offset + len(col) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0]: offsets[-1]]
    high = np.flatnonzero(data >= 0x80)
    if high.size == 0:
        return col
    rows = np.unique(np.searchsorted(offsets, high + offsets[0], side="right") - 1)
    mask = np.zeros(len(col), dtype=bool)
    mask[rows] = True
    return pc.if_else(pa.array(mask), pa.scalar(b"", pa.binary()), col)  # empty, not null: a null slot keeps its bytes


# --- the import ---------------------------------------------------------------------------------

def read_register(
    source: bytes | str | Path,
    catalogue: Catalogue,
    changes: Iterable[CrosswalkChange] = (),
    name: str = "",
) -> RegisterResult:
    """Import a register file (path or bytes): accepted rows aggregated by municipality × industry."""
    if isinstance(source, (str, Path)):
        name = name or str(source)
        try:
            raw = Path(source).read_bytes()
        except OSError as exc:
            raise RegisterError(f"{source}: cannot read ({exc.strerror})") from None
    else:
        raw = source
    if not raw or raw.isspace():
        raise RegisterError("the file is empty")
    is_xlsx = raw[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm"))
    cols = _read_xlsx(raw) if is_xlsx else _read_csv(raw)
    changes = list(changes)
    return _aggregate(cols, crosswalk(catalogue, changes), len(changes))


def _aggregate(cols: _Columns, table: dict[str, str | None], changes_n: int) -> RegisterResult:
    enc_code = pc.dictionary_encode(cols.data["code"])
    enc_muni = pc.dictionary_encode(cols.data["municipality"])
    raw_codes, raw_munis = enc_code.dictionary.to_pylist(), enc_muni.dictionary.to_pylist()
    encoding = cols.encoding if cols.encoding_certain else _detect_encoding(raw_codes + raw_munis)
    codes = _decode_all(raw_codes, encoding)
    munis = _decode_all(raw_munis, encoding)
    industries = [industry_of(c, table) if c and CODE_RE.match(c) else None for c in codes]
    code_idx = pl.from_arrow(enc_code.indices).cast(pl.Int64)
    muni_idx = pl.from_arrow(enc_muni.indices).cast(pl.Int64)
    code_ok = pl.Series([i is not None for i in industries], dtype=pl.Boolean).gather(code_idx).fill_null(False)
    muni_ok = pl.Series([bool(m) for m in munis], dtype=pl.Boolean).gather(muni_idx).fill_null(False)
    frame = {"ci": code_idx, "mi": muni_idx, "emp": _numbers(cols.data["employees"], encoding),
             "ok": code_ok & muni_ok}
    has_rev = "revenue" in cols.data
    if has_rev:
        frame["rev"] = _numbers(cols.data["revenue"], encoding)
    df = pl.DataFrame(frame).with_row_index("row").with_columns(
        ok=pl.col("ok") & pl.col("emp").is_not_null() & pl.col("emp").is_finite() & (pl.col("emp") >= 0))
    good = df.filter(pl.col("ok"))
    rejected = cols.skipped + _reasons(df.filter(~pl.col("ok")), cols, codes, munis, industries, encoding)
    rejected.sort(key=lambda r: r.line)

    aggs = [pl.len().alias("firms"), pl.col("emp").sum().alias("employees")]
    if has_rev:
        aggs.append(pl.col("rev").sum().alias("revenue"))
    cells: dict[tuple[str, str], list[float]] = {}
    for row in good.group_by(["mi", "ci"]).agg(aggs).iter_rows(named=True):
        acc = cells.setdefault((munis[row["mi"]], industries[row["ci"]]), [0, 0.0, 0.0])
        acc[0] += row["firms"]
        acc[1] += row["employees"]
        acc[2] += row.get("revenue") or 0.0
    out = [Cell(municipality=m, industry=i, firms=int(v[0]), employees=v[1], revenue=v[2] if has_rev else None)
           for (m, i), v in sorted(cells.items())]
    return RegisterResult(rows_total=df.height + len(cols.skipped), rows_used=good.height, rejected=rejected,
                          cells=out, encoding=encoding, delimiter=cols.delimiter,
                          columns={role: cols.headers[i] for role, i in match_columns(cols.headers).items()},
                          crosswalk_changes=changes_n)


def _reasons(bad: pl.DataFrame, cols: _Columns, codes: list, munis: list, industries: list,
             encoding: str) -> list[Rejected]:
    """Say, for each rejected row, every problem it has, in a form a person can fix."""
    if bad.height == 0:
        return []
    raw_emp = cols.data["employees"].take(pa.array(bad["row"].to_list())).to_pylist()
    out = []
    for r, emp_raw in zip(bad.iter_rows(named=True), raw_emp):
        problems: list[tuple[str, dict[str, str]]] = []
        code = codes[r["ci"]] if r["ci"] is not None else None
        if not code:
            problems.append(("empty_code", {}))
        elif industries[r["ci"]] is None:
            problems.append(("bad_code", {"value": repr(code)}))
        if r["mi"] is None or not munis[r["mi"]]:
            problems.append(("empty_municipality", {}))
        emp_text = None if emp_raw is None else emp_raw.decode(encoding, errors="replace").strip()
        if not emp_text:
            problems.append(("empty_employees", {}))
        elif r["emp"] is None or r["emp"] != r["emp"] or r["emp"] in (float("inf"), float("-inf")):
            problems.append(("nan_employees", {"value": repr(emp_text)}))
        elif r["emp"] < 0:
            problems.append(("negative_employees", {"value": repr(emp_text)}))
        line = cols.line_map[r["row"]] if cols.line_map is not None else r["row"] + cols.first_line
        out.append(Rejected.of(line, problems))
    return out
