"""Importing firm registers: the quantitative inventory of creative actors (iteration 1).

Officials bring exports from statistics offices and business registers as they come: CSV or
XLSX, UTF-8 or Windows-1251, `;` `,` or tab, decimal commas, spaced thousands, headers in
Russian, Kazakh or English, sometimes a million rows, often with title lines above the header
("Реестр субъектов МСП …", "по состоянию на …") and an "Итого" row under the data. This module
reads them fast, maps every activity code to a creative industry by the longest matching code of
the crosswalk (with the project's own adjustments), and rejects a bad row on its own — with its
line number and the reason — while using the rest. Total rows are not data: they are set aside
and checked against the sum of the rows used (`RegisterResult.totals`).

The header is the first of the first 30 non-empty rows that names the code, municipality and
employees columns (`match_columns`); the rows above it are a title. When a column is not
recognised, `inspect_register` shows the layout and `read_register(columns=...)` takes the
user's mapping.

How it stays fast: pyarrow's multi-threaded CSV reader splits the file into raw byte columns
without decoding it; text columns are dictionary-encoded so only their *distinct* values are
decoded and mapped in Python; numbers are cleaned with vectorized kernels; polars groups the
rows. Decoding a whole Windows-1251 file and re-encoding it for a reader would cost more than
all the rest together.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Literal, Mapping, Sequence

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from pydantic import BaseModel, ConfigDict

from . import uploads
from .catalogue import Catalogue
from .i18n import strings, number, t
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
ROLES = tuple(ALIASES)
REQUIRED = ("code", "municipality", "employees")
CODE_RE = re.compile(r"^\d{2}(\.\d{1,2}){0,3}$")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
SPACES = {"utf-8": (b" ", b"\xc2\xa0", b"\xe2\x80\xaf"), "cp1251": (b" ", b"\xa0")}
DELIMITERS = (";", "\t", ",", "|")
HEADER_SCAN = 30  # the header is looked for among this many non-empty rows at the top
# A total row's label: the word, then nothing (a grand total), or a qualifier ("Итого по району").
TOTAL_RE = re.compile(r"^(?:grand\s+total|total|общий\s+итог|итого|всего|барлығы|жиыны|жалпы\s+қорытынды)"
                      r"(?![\w-])\s*:?\s*(.*)$", re.IGNORECASE)
EXCERPT_CHARS, EXCERPT_ITEMS, PREVIEW_ROWS, PREVIEW_CHARS = 80, 20, 5, 60


def _cut(text: str, limit: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _excerpt(headers: Sequence[str]) -> str:
    """At most 20 headers of at most 80 characters each: a file's text is never echoed whole."""
    shown = ", ".join(repr(_cut(h, EXCERPT_CHARS)) for h in headers[:EXCERPT_ITEMS])
    if len(headers) > EXCERPT_ITEMS:
        shown += f", … (+{len(headers) - EXCERPT_ITEMS})"
    return shown or "—"


class RegisterError(ValueError):
    """A file that cannot be used at all (no required column, not a table).

    `code` names the problem and `values` fill its text, `register_error.<code>` in
    policy_engine/strings/register.yaml: `describe(lang)` says it in ru, kk or en, and `str(exc)`
    is the English (for the command line). An error raised with a plain message (the benchmark
    reader's) has the code "" and describes itself with that message.
    """

    def __init__(self, message: str | None = None, *, code: str = "", values: Mapping[str, object] | None = None):
        self.code = code
        self.values: dict[str, str] = {k: str(v) for k, v in (values or {}).items()}
        super().__init__(message if message is not None else self.describe("en"))

    @classmethod
    def of(cls, code: str, **values: object) -> "RegisterError":
        return cls(code=code, values=values)

    def describe(self, lang: str) -> str:
        if not self.code:
            return str(self)
        values = dict(self.values)
        if "missing" in values:  # role ids, named in the language
            values["missing"] = ", ".join(t(f"register_role.{r}", lang) for r in values["missing"].split(",") if r)
        for key in ("role", "other"):
            if values.get(key) in ROLES:
                values[key] = t(f"register_role.{values[key]}", lang)
        text = t(f"register_error.{self.code}", lang, **values)
        if values.get("note"):
            text += " " + t(f"register_error.{values['note']}", lang, **values)
        if self.code == "missing_columns":
            text += " " + t("register_error.accepted_names", lang)
        return text


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


class Total(BaseModel):
    """A total row ("Итого", "Всего:", "Барлығы", "Total", "Итого по району …"): not data.

    A grand total (a bare label, or the file's only total row) is checked against the employees
    of all the rows used; a sub-total (a qualified label among several totals) against the rows
    used since the previous total row, and left unchecked (`matches` None) when it does not add
    up to them — which rows it sums cannot be told. `matches` is None too when the row states
    no number. `rejected_employees` is what the rejected rows state (they may explain a gap).
    """

    model_config = ConfigDict(frozen=True)
    line: int
    label: str
    kind: Literal["grand", "sub"]
    stated: float | None
    computed: float | None
    matches: bool | None
    rejected_employees: float = 0.0

    def describe(self, lang: str) -> str:
        values = {"line": self.line, "label": self.label,
                  "stated": "—" if self.stated is None else number(self.stated, lang),
                  "computed": "—" if self.computed is None else number(self.computed, lang),
                  "rejected": number(self.rejected_employees, lang)}
        if self.stated is None:
            key = "no_number"
        elif self.matches is None:
            key = "sub_unchecked"
        elif self.matches:
            key = "matches"
        else:
            key = "mismatch"
        text = t(f"register_total.{key}", lang, **values)
        if key == "mismatch" and self.rejected_employees:
            text += " " + t("register_total.rejected_hint", lang, **values)
        return text


class Cell(BaseModel):
    """Firms and employees of one municipality in one industry (or NON_CREATIVE)."""

    model_config = ConfigDict(frozen=True)
    municipality: str
    industry: str
    firms: int
    employees: float
    revenue: float | None = None


class RejectionSummary(BaseModel):
    """What the page keeps of an import's rejected rows: how many, how many for each reason, and the
    first few with their lines — never every row (a million rejected rows were 1.4 GB per session)."""

    model_config = ConfigDict(frozen=True)
    count: int
    by_reason: dict[str, int]  # i18n key of the reason (reject.<key>) -> rows
    first: list[Rejected]

    def describe_counts(self, lang: str) -> str:
        """"empty activity code: 12; employees … is not a number: 3" in `lang` (a reason's value as …)."""
        class Blank(dict):
            def __missing__(self, key: str) -> str:
                return "…"

        parts = []
        for key, n in sorted(self.by_reason.items(), key=lambda kv: (-kv[1], kv[0])):
            text = strings().get(f"reject.{key}", {}).get(lang) or key
            parts.append(f"{text.format_map(Blank())}: {n:,}".replace(",", "\u00a0") if lang != "en"
                         else f"{text.format_map(Blank())}: {n:,}")
        return "; ".join(parts)


class RegisterResult(BaseModel):
    """`rows_total` counts the data rows (used + rejected; title, blank and total rows are not data)."""

    model_config = ConfigDict(frozen=True)
    rows_total: int
    rows_used: int
    rejected: list[Rejected]
    cells: list[Cell]
    encoding: str
    delimiter: str | None
    columns: dict[str, str]  # role -> header as found in the file
    crosswalk_changes: int = 0
    header_line: int = 1  # file line (sheet row) of the header; the lines above it are a title
    totals: list[Total] = []

    def summary(self, keep: int = 1000) -> "RegisterResult":
        """The same result with at most `keep` rejected rows (see `rejections` for the counts)."""
        return self.model_copy(update={"rejected": self.rejected[:keep]})

    def rejections(self, keep: int = 1000) -> RejectionSummary:
        counts: dict[str, int] = {}
        for r in self.rejected:
            for key, _ in r.problems or (("other", ()),):
                counts[key] = counts.get(key, 0) + 1
        return RejectionSummary(count=len(self.rejected), by_reason=counts, first=self.rejected[:keep])

    @property
    def totals_mismatched(self) -> list[Total]:
        return [x for x in self.totals if x.matches is False]


class RegisterLayout(BaseModel):
    """What `inspect_register` sees in a file, for a column-mapping step before the import.

    `roles` maps the recognised roles to column indices in `headers` (0-based); pass a corrected
    mapping as `read_register(..., columns=...)`. Texts are cut short: headers to 80 characters,
    preview cells to 60.
    """

    model_config = ConfigDict(frozen=True)
    header_line: int  # 1-based file line (sheet row) of the header row
    headers: list[str]
    roles: dict[str, int]
    missing: list[str]  # required roles not found
    preview: list[list[str]]  # up to 5 rows under the header
    format: Literal["csv", "xlsx"]
    encoding: str
    delimiter: str | None
    title_lines: int = 0  # lines above the header, skipped as a title
    header_found: bool = True  # False: no row names a role; the header row was guessed by its shape


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


# --- finding the header -------------------------------------------------------------------------

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


def _filled(cells: Sequence[str]) -> int:
    return sum(1 for c in cells if c.strip())


@dataclass
class _Header:
    line: int  # 1-based file line (sheet row)
    cells: list[str]
    roles: dict[str, int]
    found: bool  # a row named roles (False: the row was taken for its shape)
    key: tuple  # lower is better, comparable across delimiters


def _find_header(rows: list[tuple[int, list[str]]]) -> _Header | None:
    """The header among the first non-empty rows, given as (file line, cells).

    The first row of two or more filled cells that names the code, municipality and employees
    columns; else the row naming the most roles; else (no row names any) the first row of the
    table's usual width with most of its cells filled — title rows have one filled cell.
    """
    scan = rows[:HEADER_SCAN]

    def consistency(i: int) -> int:
        width = len(scan[i][1])
        return sum(1 for _, cells in rows[i + 1:] if len(cells) == width)

    partial: tuple[int, int, dict[str, int]] | None = None
    for i, (line, cells) in enumerate(scan):
        if len(cells) < 2 or _filled(cells) < 2:
            continue
        roles = match_columns(cells)
        if all(r in roles for r in REQUIRED):
            return _Header(line, cells, roles, True, (0, i, -len(roles), -consistency(i)))
        if roles and (partial is None or len(roles) > len(partial[2])):
            partial = (i, line, roles)
    if partial is not None:
        i, line, roles = partial
        return _Header(line, scan[i][1], roles, True, (1, -len(roles), i, -consistency(i)))
    widths: dict[int, int] = {}
    for _, cells in rows:
        if len(cells) >= 2 and _filled(cells) >= 2:
            widths[len(cells)] = widths.get(len(cells), 0) + 1
    if not widths:
        return None
    width, freq = max(widths.items(), key=lambda kv: (kv[1], kv[0]))
    fullest = max((_filled(c) for _, c in scan if len(c) == width), default=0)
    for i, (line, cells) in enumerate(scan):
        if len(cells) == width and _filled(cells) >= max(2, math.ceil(fullest / 2)):
            return _Header(line, cells, {}, False, (2, -freq, -width, i))
    return None


@dataclass
class _Layout:
    """Where the table is in a file: its header, the rows scanned around it, how the text is."""

    header: _Header
    rows: list[tuple[int, list[str]]]  # the non-empty rows scanned, (file line, cells)
    encoding: str
    encoding_certain: bool
    delimiter: str | None
    raw: bytes = b""  # CSV: the bytes, without a byte-order mark
    offset: int = 0  # CSV: where the header line starts in `raw`

    def public(self, kind: Literal["csv", "xlsx"]) -> RegisterLayout:
        h = self.header
        after = [cells for line, cells in self.rows if line > h.line][:PREVIEW_ROWS]
        return RegisterLayout(
            header_line=h.line, headers=[_cut(c, EXCERPT_CHARS) for c in h.cells], roles=dict(h.roles),
            missing=[r for r in REQUIRED if r not in h.roles],
            preview=[[_cut(c, PREVIEW_CHARS) for c in cells] for cells in after],
            format=kind, encoding=self.encoding, delimiter=self.delimiter, title_lines=h.line - 1,
            header_found=h.found)


def _resolve_roles(layout: _Layout, columns: Mapping[str, int | None] | None) -> dict[str, int]:
    """The detected roles with the user's mapping over them; refuses a mapping that cannot be."""
    h = layout.header
    roles = dict(h.roles)
    if columns is not None:
        seen: dict[int, str] = {}
        for role, idx in columns.items():
            if role not in ROLES:
                raise RegisterError.of("mapping_role", role=_cut(str(role), 40), roles=", ".join(ROLES))
            if idx is None:
                continue
            if isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < len(h.cells):
                raise RegisterError.of("mapping_index", role=role, index=_cut(str(idx), 20),
                                       number=idx + 1 if isinstance(idx, int) else _cut(str(idx), 20),
                                       count=len(h.cells))
            if idx in seen:
                raise RegisterError.of("mapping_twice", index=idx, number=idx + 1, role=seen[idx], other=role)
            seen[idx] = role
        roles = {r: i for r, i in roles.items() if r not in columns and i not in seen}
        roles.update({r: i for r, i in columns.items() if i is not None})
    missing = [r for r in REQUIRED if r not in roles]
    if missing:
        note = "no_header" if not h.found else "title_skipped" if h.line > 1 else ""
        values = {"missing": ",".join(missing), "found": _excerpt(h.cells), "line": h.line,
                  "skipped": h.line - 1, "scanned": HEADER_SCAN}
        if note:
            values["note"] = note
        raise RegisterError.of("missing_columns", **values)
    return roles


# --- reading the table --------------------------------------------------------------------------

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
    roles: dict[str, int]
    data: dict[str, pa.Array]  # by role, and "_first" (the first column) when no role has it
    encoding: str
    delimiter: str | None
    encoding_certain: bool = False  # a BOM, or a workbook, says what the text is
    header_line: int = 1
    first_line: int = 2  # file line of the first data row
    line_map: Sequence[int] | None = None  # data row -> file line, when rows were skipped
    skipped: list[Rejected] = field(default_factory=list)


def _csv_layout(raw: bytes) -> _Layout:
    certain = True
    if raw.startswith(b"\xef\xbb\xbf"):
        raw, encoding = raw[3:], "utf-8"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw, encoding = raw.decode("utf-16").encode("utf-8"), "utf-8"
    else:
        encoding, certain = "", False
    head = raw[: 1 << 16]
    if len(raw) > len(head):  # a cut line would be decoded half
        head = head[: head.rfind(b"\n") + 1] or head
    if not encoding:
        encoding = _detect_encoding([head])
    lines: list[tuple[int, str]] = []  # the first non-empty lines, with their numbers
    offsets: dict[int, int] = {}
    pos = 0
    for lineno, line in enumerate(head.split(b"\n"), start=1):
        offsets[lineno] = pos
        pos += len(line) + 1
        text = line.decode(encoding, errors="replace").rstrip("\r")
        if text.strip():
            lines.append((lineno, text))
            if len(lines) >= 2 * HEADER_SCAN:
                break
    best: tuple[tuple, int, _Header, list] | None = None
    for rank, delim in enumerate(DELIMITERS):
        # line by line: a stray quote in a title must not swallow the lines under it
        rows = [(n, next(csv.reader([x], delimiter=delim), [])) for n, x in lines]
        header = _find_header(rows)
        if header is not None and (best is None or (header.key, rank) < (best[0], best[1])):
            best = (header.key, rank, header, rows)
    if best is None:
        raise RegisterError.of("no_table")
    _, rank, header, rows = best
    return _Layout(header=header, rows=rows, encoding=encoding, encoding_certain=certain,
                   delimiter=DELIMITERS[rank], raw=raw, offset=offsets[header.line])


def _wanted(headers: list[str], roles: dict[str, int]) -> dict[str, int]:
    """Role -> column index to read: the roles, and the first column, where a total row's label may be."""
    wanted = dict(roles)
    if 0 not in (roles["code"], roles["municipality"]) and headers:
        wanted["_first"] = 0
    return wanted


def _read_csv(raw: bytes, columns: Mapping[str, int | None] | None = None) -> _Columns:
    layout = _csv_layout(raw)
    roles = _resolve_roles(layout, columns)
    header, encoding, delimiter = layout.header, layout.encoding, layout.delimiter
    body = layout.raw[layout.offset:] if layout.offset else layout.raw  # the title lines are not read
    headers = header.cells
    names = [f"c{i}" for i in range(len(headers))]
    wanted = {key: names[i] for key, i in _wanted(headers, roles).items()}
    line_map, skipped = None, []
    try:
        table = _arrow_table(body, names, wanted, delimiter)
    except pa.ArrowInvalid as exc:
        if "Expected" not in str(exc):
            raise RegisterError.of("not_a_table", detail=_cut(str(exc).splitlines()[0], EXCERPT_CHARS)) from None
        # Lines with the wrong number of fields: find them, report them, read the rest.
        line_map, skipped, body = _physical_lines(body, encoding, delimiter, len(headers), header.line)
        table = _arrow_table(body, names, wanted, delimiter)
    if line_map is None and (b"\n\n" in body or b"\n\r\n" in body):  # blank lines shift row numbers
        line_map = _nonblank_lines(body, header.line)
    data = {key: table.column(col).combine_chunks() for key, col in wanted.items()}
    return _Columns(headers=headers, roles=roles, data=data, encoding=encoding, delimiter=delimiter,
                    encoding_certain=layout.encoding_certain, header_line=header.line, first_line=header.line + 1,
                    line_map=line_map, skipped=skipped)


def _arrow_table(raw: bytes, names: list[str], wanted: dict[str, str], delimiter: str) -> pa.Table:
    """Split the file into raw byte columns with pyarrow's multi-threaded reader (no decoding)."""
    return pcsv.read_csv(
        io.BytesIO(raw),
        read_options=pcsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 22),
        parse_options=pcsv.ParseOptions(delimiter=delimiter),
        convert_options=pcsv.ConvertOptions(column_types={n: pa.binary() for n in names}, check_utf8=False,
                                            include_columns=list(dict.fromkeys(wanted.values()))),
    )


def _nonblank_lines(raw: bytes, header_line: int) -> np.ndarray:
    """File line of each data row when the only irregularity is empty lines (which the fast reader
    drops without a word): found with vectorized scans of the bytes, not line by line."""
    arr = np.frombuffer(raw, dtype=np.uint8)
    nl = np.flatnonzero(arr == 10)
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(arr)]))
    if starts[-1] >= len(arr):  # nothing after the last newline
        starts, ends = starts[:-1], ends[:-1]
    length = ends - starts
    only_cr = (length == 1) & (arr[np.minimum(starts, len(arr) - 1)] == 13)
    lines = np.flatnonzero((length > 0) & ~only_cr)
    return lines[1:] + header_line  # lines[0] is the header, on file line `header_line`


def _physical_lines(raw: bytes, encoding: str, delimiter: str, width: int,
                    header_line: int = 1) -> tuple[list[int], list[Rejected], bytes]:
    """The slow path, for files with malformed lines: which file line each data row is on.

    The fast reader stops at a line with the wrong number of fields, so the file (from its header
    line, file line `header_line`) is walked line by line: malformed lines are reported, and the
    rest is returned for the fast reader to read again, with every line number kept true.
    """
    lines = raw.split(b"\n")
    keep = [lines[0]]
    rows: list[int] = []
    skipped: list[Rejected] = []
    for lineno, line in enumerate(lines[1:], start=header_line + 1):
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


XLSX_SCAN_ROWS = 500  # sheet rows looked at for the header (blank rows do not count against HEADER_SCAN)


def _xlsx_frame(raw: bytes, n_rows: int | None = None) -> pl.DataFrame:
    """The first sheet as text, row i being sheet row i + 1 (empty rows kept, so lines stay true)."""
    options: dict = {"skip_rows": 0}
    if n_rows is not None:
        options["n_rows"] = n_rows
    try:  # the reader allocates from what the workbook says: inspect it first (policy_engine/uploads.py)
        uploads.inspect_xlsx(raw)
    except uploads.TooLarge as exc:
        raise RegisterError.of(exc.code, **exc.values) from None
    try:
        df = pl.read_excel(io.BytesIO(raw), engine="calamine", has_header=False, infer_schema_length=0,
                           drop_empty_rows=False, drop_empty_cols=False, read_options=options)
    except Exception as exc:  # fastexcel raises its own types for broken workbooks
        raise RegisterError.of("bad_workbook", detail=_cut(str(exc).splitlines()[0] if str(exc) else
                                                           type(exc).__name__, EXCERPT_CHARS)) from None
    if df.height == 0 or df.width == 0:
        raise RegisterError.of("empty_sheet")
    return df


def _xlsx_layout(df: pl.DataFrame) -> _Layout:
    rows = []
    for i, row in enumerate(df.head(XLSX_SCAN_ROWS).rows()):
        cells = ["" if v is None else str(v) for v in row]
        if any(c.strip() for c in cells):
            rows.append((i + 1, cells))
            if len(rows) >= 2 * HEADER_SCAN:
                break
    header = _find_header(rows)
    if header is None:
        raise RegisterError.of("empty_sheet" if not rows else "no_table_sheet")
    return _Layout(header=header, rows=rows, encoding="utf-8", encoding_certain=True, delimiter=None)


def _read_xlsx(raw: bytes, columns: Mapping[str, int | None] | None = None) -> _Columns:
    df = _xlsx_frame(raw)
    layout = _xlsx_layout(df)
    roles = _resolve_roles(layout, columns)
    header = layout.header
    body = df.slice(header.line)  # sheet rows below the header
    filled = body.select(pl.any_horizontal([pl.col(c).str.strip_chars().fill_null("") != "" for c in body.columns]))
    filled = filled.to_series()
    line_map = None
    if not filled.all():  # empty rows are not data; the others keep their sheet row numbers
        line_map = np.flatnonzero(filled.to_numpy()) + header.line + 1
        body = body.filter(filled)
    data = {}
    for key, i in _wanted(header.cells, roles).items():
        col = body.to_series(i).cast(pl.String).to_arrow().cast(pa.binary())
        data[key] = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    return _Columns(headers=header.cells, roles=roles, data=data, encoding="utf-8", delimiter=None,
                    encoding_certain=True, header_line=header.line, first_line=header.line + 1, line_map=line_map)

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

def _load(source: bytes | str | Path, name: str) -> tuple[bytes, bool]:
    """The file's bytes, and whether it is a workbook."""
    if isinstance(source, (str, Path)):
        name = name or str(source)
        try:
            raw = uploads.read_capped(source)
        except uploads.TooLarge as exc:
            raise RegisterError.of(exc.code, **exc.values) from None
        except OSError as exc:
            raise RegisterError.of("unreadable", name=_cut(str(source), EXCERPT_CHARS),
                                   reason=exc.strerror or type(exc).__name__) from None
    else:
        raw = bytes(source)
        try:
            uploads.check_size(len(raw))
        except uploads.TooLarge as exc:
            raise RegisterError.of(exc.code, **exc.values) from None
    if not raw or raw.isspace():
        raise RegisterError.of("empty")
    return raw, raw[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm"))


def inspect_register(raw: bytes | str | Path, name: str = "") -> RegisterLayout:
    """Where the header is, which roles its columns were recognised as, and the first rows under
    it — for a mapping step when a needed column was not recognised. Reads only the top of the file."""
    raw, is_xlsx = _load(raw, name)
    if is_xlsx:
        return _xlsx_layout(_xlsx_frame(raw, n_rows=XLSX_SCAN_ROWS)).public("xlsx")
    return _csv_layout(raw).public("csv")


def read_register(
    source: bytes | str | Path,
    catalogue: Catalogue,
    changes: Iterable[CrosswalkChange] = (),
    name: str = "",
    columns: Mapping[str, int | None] | None = None,
) -> RegisterResult:
    """Import a register file (path or bytes): accepted rows aggregated by municipality × industry.

    `columns` (role -> column index in the header row, as `inspect_register` numbers them)
    overrides the detected roles; a role given None is read from no column (revenue only).
    """
    raw, is_xlsx = _load(source, name)
    cols = _read_xlsx(raw, columns) if is_xlsx else _read_csv(raw, columns)
    changes = list(changes)
    return _aggregate(cols, crosswalk(catalogue, changes), len(changes))


def _line(cols: _Columns, row: int) -> int:
    return int(cols.line_map[row]) if cols.line_map is not None else row + cols.first_line


def _is_total(text: str | None) -> bool:
    return bool(text) and TOTAL_RE.match(text) is not None


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
    # Total rows, by a label in the code or municipality column (looked up once per distinct value)
    code_tot, muni_tot = [_is_total(c) for c in codes], [_is_total(m) for m in munis]
    tot = pl.repeat(False, len(code_idx), dtype=pl.Boolean, eager=True)
    if any(code_tot):
        tot = tot | pl.Series(code_tot, dtype=pl.Boolean).gather(code_idx).fill_null(False)
    if any(muni_tot):
        tot = tot | pl.Series(muni_tot, dtype=pl.Boolean).gather(muni_idx).fill_null(False)
    frame["tot"] = tot
    has_rev = "revenue" in cols.data
    if has_rev:
        frame["rev"] = _numbers(cols.data["revenue"], encoding)
    df = pl.DataFrame(frame).with_row_index("row").with_columns(
        ok=pl.col("ok") & ~pl.col("tot") & pl.col("emp").is_not_null() & pl.col("emp").is_finite()
        & (pl.col("emp") >= 0))
    bad = df.filter(~pl.col("ok") & ~pl.col("tot"))
    labels: dict[int, str] = {}  # row -> label of a total row
    for r in df.filter(pl.col("tot")).select("row", "ci", "mi").iter_rows():
        labels[r[0]] = codes[r[1]] if r[1] is not None and code_tot[r[1]] else munis[r[2]]
    if "_first" in cols.data and bad.height:  # ... or in the first column (only bad rows can be totals)
        firsts = _decode_all(cols.data["_first"].take(pa.array(bad["row"].to_list())).to_pylist(), encoding)
        extra = {row: text for row, text in zip(bad["row"].to_list(), firsts) if _is_total(text)}
        if extra:
            labels.update(extra)
            bad = bad.filter(~pl.col("row").is_in(list(extra)))
    good = df.filter(pl.col("ok"))
    rejected = cols.skipped + _reasons(bad, cols, codes, munis, industries, encoding)
    rejected.sort(key=lambda r: r.line)
    totals = _totals(labels, df, good, bad, cols) if labels else []

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
    return RegisterResult(rows_total=df.height + len(cols.skipped) - len(labels), rows_used=good.height,
                          rejected=rejected, cells=out, encoding=encoding, delimiter=cols.delimiter,
                          columns={role: cols.headers[i] for role, i in cols.roles.items()},
                          crosswalk_changes=changes_n, header_line=cols.header_line, totals=totals)


def _close(a: float, b: float) -> bool:
    """Equal up to rounding to whole employees (a total may be shown rounded)."""
    return abs(a - b) <= 0.5 + 1e-9 * abs(b)


def _totals(labels: dict[int, str], df: pl.DataFrame, good: pl.DataFrame, bad: pl.DataFrame,
            cols: _Columns) -> list[Total]:
    """Check each total row against the rows used: a grand total against all of them, a sub-total
    against those since the previous total row (see `Total`)."""
    good_rows = good["row"].to_numpy()
    cum = np.concatenate(([0.0], np.cumsum(good["emp"].to_numpy())))
    whole = float(cum[-1])
    in_rejected = float(bad.filter(pl.col("emp").is_finite())["emp"].sum() or 0.0)
    stated_all = df["emp"]
    out: list[Total] = []
    previous = -1
    for row in sorted(labels):
        label = labels[row]
        qualified = bool(TOTAL_RE.match(label).group(1).strip(" :"))
        prefer_grand = not qualified or len(labels) == 1
        value = stated_all[row]
        stated = None if value is None or not math.isfinite(value) else float(value)
        block = float(cum[np.searchsorted(good_rows, row)] - cum[np.searchsorted(good_rows, previous)])
        previous = row
        if stated is None:
            kind, computed, matches = ("grand", whole, None) if prefer_grand else ("sub", None, None)
        elif prefer_grand:
            if _close(stated, whole):
                kind, computed, matches = "grand", whole, True
            elif len(labels) > 1 and _close(stated, block):
                kind, computed, matches = "sub", block, True
            else:
                kind, computed, matches = "grand", whole, False
        elif _close(stated, block):
            kind, computed, matches = "sub", block, True
        elif _close(stated, whole):
            kind, computed, matches = "grand", whole, True
        else:
            kind, computed, matches = "sub", None, None
        out.append(Total(line=_line(cols, row), label=_cut(label, EXCERPT_CHARS), kind=kind, stated=stated,
                         computed=computed, matches=matches,
                         rejected_employees=in_rejected if kind == "grand" else 0.0))
    return out


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
            problems.append(("bad_code", {"value": repr(_cut(code, EXCERPT_CHARS))}))
        if r["mi"] is None or not munis[r["mi"]]:
            problems.append(("empty_municipality", {}))
        emp_text = None if emp_raw is None else emp_raw.decode(encoding, errors="replace").strip()
        if not emp_text:
            problems.append(("empty_employees", {}))
        elif r["emp"] is None or r["emp"] != r["emp"] or r["emp"] in (float("inf"), float("-inf")):
            problems.append(("nan_employees", {"value": repr(_cut(emp_text, EXCERPT_CHARS))}))
        elif r["emp"] < 0:
            problems.append(("negative_employees", {"value": repr(emp_text)}))
        out.append(Rejected.of(_line(cols, r["row"]), problems))
    return out
