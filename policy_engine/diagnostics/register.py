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
employees columns; the rows above it are a title. When a column is not recognised, or two could be
the same one, `inspect_register` shows the layout and `read_register(columns=...)` takes the
user's mapping. The rules, each written after a file that was once read silently wrong:

- **Columns.** A header names a role when, normalised (lower case, ё→е, invisible characters
  dropped, punctuation to spaces), it *equals* one of the role's `ALIASES`, or its name does: the
  text before its first comma or opening parenthesis, which is where exports put a unit or a date
  ("Численность работников, чел.", "Выручка (тыс. руб.)", "Revenue, 2024"). Never a prefix or a
  word inside a longer header: "Код района" is not "код". Two headers naming one role are
  *ambiguous* (`RegisterLayout.ambiguous`): neither is taken, the import refuses with
  "ambiguous_columns" until a mapping says which.
- **Codes stored as numbers (XLSX).** A number in a code cell has lost what text keeps: 59.20
  (music) becomes 59.2, 01.11 becomes 1.11. It is read back with the classification's digits
  (`code_from_number`): two digits before the dot (1.11 → 01.11, 5 → 05) and, when it has a
  fraction, two after it (59.2 → 59.20; a class is two digits, and a firm's code is a class or
  finer far more often than a three-digit group). A whole number stays a division (90 → 90). The
  import warns (`RegisterResult.warnings`, "numeric_codes") with the count and an example. Cells
  typed as text are used as typed.
- **One encoding per file.** A byte-order mark says UTF-8 (or UTF-16); without one, the file is
  UTF-8 when the whole of it is valid UTF-8, else Windows-1251 — never decided value by value. A
  file that mixes the two (valid UTF-8 text before the first invalid byte, or a code or municipality
  that is valid UTF-8 in a Windows-1251 file) is refused ("mixed_encoding"), naming a line of each.
  Lone carriage returns (old Mac line ends) are line breaks. In names and codes, byte-order marks, zero-width and direction marks and soft hyphens are
  dropped, runs of spaces of any kind become one space, and the text is put in Unicode NFC, so
  "\ufeffПермь" and "Пермь" are one municipality.
- **Numbers.** One parser (`_parse_numbers`) for every path and `parse_number`: spaces (ASCII,
  tab, no-break, thin, narrow no-break) are dropped, a decimal comma becomes a dot, and what is
  left must be ASCII: `[+-]digits[.digits][e±digits]`. Arabic-Indic or full-width digits, "inf",
  "nan", hex or `1_000` are not numbers and the row is rejected saying so.
- **Plausible values.** A row's employees must be 0 … `MAX_EMPLOYEES` (10 million: the world's
  largest employers have about 2) and a stated revenue within ±`MAX_REVENUE` (10^15), else the row
  is rejected as implausible; a number too large for a float is one of them. Sums therefore stay
  finite.
- **Line numbers.** A CSV row's line is the physical line it starts on, 1-based, counting every
  line break in the file — those inside quoted values too, as a text editor numbers lines. An
  XLSX row's line is its sheet row number, empty rows included.
- **Long lines.** The header is read whole however long it is, up to `MAX_LINE_BYTES` (1 MiB); when
  a longer line stops the header search before a header is found, the file is refused
  ("line_too_long") naming the line and the limit. Data lines of any length are read.
- **Rejected rows.** Every rejected row is counted, in all and by reason, but only the first
  `REJECTED_KEPT` (1,000, by line) are kept with their reasons (`RegisterResult.rejected`): the
  reasons are flag columns over the bad rows, and a row is said in words only when it is kept.

- **Size.** Bytes (an upload) are refused past the upload limit (GENIUS_LOCI_MAX_UPLOAD_MB, 100 MB),
  and so is a path that is not a regular file (/dev/zero ends there) and a workbook. A regular CSV
  file named by its path (the command line, the benchmark) is read in batches whatever its size and
  never held whole: what the import holds does not grow with its rows.

How it stays fast: a CSV is read a batch of whole rows at a time (`BATCH_BYTES`, 32 MiB, cut after a
line break outside quoted values), and each batch is folded into running sums (`_Fold`): cells by
municipality × industry, counts by reason, the first rejected rows, the employees used before each
total row. In a batch, pyarrow's multi-threaded CSV reader splits the rows into raw byte columns
without decoding them, the code, municipality and employees columns dictionary-encoded, so only
their *distinct* values are decoded and mapped in Python; numbers are cleaned with vectorized kernels
and rows are grouped by counting. Decoding a whole Windows-1251 file and re-encoding it for a reader
would cost more than all the rest together. The encoding is decided as the batches come
(`_EncodingScan`): a batch is read as UTF-8 while all bytes so far are, which is the file's
encoding or reads the batch as it would (pure ASCII), or the file is refused. A file the batches
cannot read exactly as the whole file would be read — UTF-16, lone carriage returns, no usable
header, and files whose rows the fast reader cannot split (lines with the wrong number of fields,
quotes it cannot follow) — is read whole instead (`_read_csv`); those rows with Python's csv module,
which reports those lines. 10 million rows (400 MB): about 2.7 s and under 600 MB at peak.
"""

from __future__ import annotations

import codecs
import csv
import math
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from pydantic import BaseModel, ConfigDict

from policy_engine.diagnostics import classifications, uploads
from policy_engine.i18n import number, strings, t
from policy_engine.method.catalogue import Catalogue
from policy_engine.project.model import CrosswalkChange

NON_CREATIVE = "non_creative"

# Header aliases, compared after normalisation (`normalise_header`) with a whole header or with its
# name before a comma or parenthesis (see the module docstring). No alias may name two roles.
ALIASES: dict[str, tuple[str, ...]] = {
    "code": (
        "code",
        "activity code",
        "okved",
        "okved2",
        "oked",
        "nace",
        "оквэд",
        "оквэд2",
        "оквэд 2",
        "окэд",
        "код",
        "код оквэд",
        "код оквэд2",
        "код оквэд 2",
        "код по оквэд",
        "код по оквэд 2",
        "код окэд",
        "код по окэд",
        "экжж",
        "экжж коды",
        "эқжж",
        "эқжж коды",
        "коды",
    ),
    "municipality": (
        "municipality",
        "district",
        "city",
        "муниципалитет",
        "муниципальное образование",
        "район",
        "город",
        "аудан",
        "қала",
        "муниципалитет атауы",
        "елді мекен",
    ),
    "employees": (
        "employees",
        "headcount",
        "численность",
        "численность работников",
        "среднесписочная численность",
        "среднесписочная численность работников",
        "жұмыскерлер саны",
        "қызметкерлер саны",
        "жұмысшылар саны",
    ),
    "revenue": ("revenue", "turnover", "выручка", "доход", "оборот", "табыс", "түсім"),
}
ROLES = tuple(ALIASES)
ALIAS_ROLE = {alias: role for role, aliases in ALIASES.items() for alias in aliases}
REQUIRED = ("code", "municipality", "employees")
CODE_RE = re.compile(r"^\d{2}(\.\d{1,2}){0,3}$", re.ASCII)
NUMBER_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"  # after spaces and commas
DELIMITERS = (";", "\t", ",", "|")
HEADER_SCAN = 30  # the header is looked for among this many non-empty rows at the top
HEAD_BYTES = 1 << 16  # the top of a CSV file read for the header (whole lines: more if one is longer)
MAX_LINE_BYTES = 1 << 20  # a longer line that stops the header search before a header is refused
MAX_EMPLOYEES = 10_000_000  # per row (one firm); the world's largest employers have about 2 million
MAX_REVENUE = 1e15  # per row, in any currency unit a register uses
# Rejected rows an import keeps with their lines and reasons (the first, by line; the page shows them all);
# every other one is only counted, by reason: a million bad rows as objects were 1.3 GB and 17 s.
REJECTED_KEPT = 1000
# Characters that cannot be seen and must not make two names of one: byte-order mark, zero-width
# space, joiners and non-joiner, word joiner, soft hyphen, direction marks, embeddings and isolates.
INVISIBLE = dict.fromkeys(
    map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
# A total row's label: the word, then nothing (a grand total), or a qualifier ("Итого по району").
TOTAL_RE = re.compile(
    r"^(?:grand\s+total|total|общий\s+итог|итого|всего|барлығы|жиыны|жалпы\s+қорытынды)"
    r"(?![\w-])\s*:?\s*(.*)$",
    re.IGNORECASE,
)
EXCERPT_CHARS, EXCERPT_ITEMS, PREVIEW_ROWS, PREVIEW_CHARS = 80, 20, 5, 60
# Python's csv module refuses a field over 128 KiB; a register's field may be longer (a note), and the
# file is already capped by the upload limit. Raising the process-wide limit only ever accepts more.
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


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
    def of(cls, code: str, **values: object) -> RegisterError:
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
    def of(cls, line: int, problems: list[tuple[str, dict[str, str]]]) -> Rejected:
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
        values = {
            "line": self.line,
            "label": self.label,
            "stated": "—" if self.stated is None else number(self.stated, lang),
            "computed": "—" if self.computed is None else number(self.computed, lang),
            "rejected": number(self.rejected_employees, lang),
        }
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
    """Firms and employees of one municipality in one industry (or NON_CREATIVE).

    `employees` is exact, or a point estimate when some firms stated only a size band; then
    `employees_low` and `employees_high` bound it (policy_engine/diagnostics/sizebands.py)."""

    model_config = ConfigDict(frozen=True)
    municipality: str
    industry: str
    firms: int
    employees: float
    revenue: float | None = None
    employees_low: float | None = None
    employees_high: float | None = None
    code: str | None = None  # the territory's official code where the register gives one (KATO, ONS)

    @property
    def low(self) -> float:
        return self.employees if self.employees_low is None else self.employees_low

    @property
    def high(self) -> float:
        return self.employees if self.employees_high is None else self.employees_high


class RejectionSummary(BaseModel):
    """What the page keeps of an import's rejected rows: how many, how many for each reason, and the
    first few with their lines — never every row (a million rejected rows were 1.4 GB per session)."""

    model_config = ConfigDict(frozen=True)
    count: int
    by_reason: dict[str, int]  # i18n key of the reason (reject.<key>) -> rows
    first: list[Rejected]

    def describe_counts(self, lang: str) -> str:
        """ "empty activity code: 12; employees … is not a number: 3" in `lang` (a reason's value as …)."""

        class Blank(dict):
            def __missing__(self, key: str) -> str:
                return "…"

        parts = []
        for key, n in sorted(self.by_reason.items(), key=lambda kv: (-kv[1], kv[0])):
            text = strings().get(f"reject.{key}", {}).get(lang) or key
            parts.append(
                f"{text.format_map(Blank())}: {n:,}".replace(",", "\u00a0")
                if lang != "en"
                else f"{text.format_map(Blank())}: {n:,}"
            )
        return "; ".join(parts)


class RegisterWarning(BaseModel):
    """Something the import did that the user should check: `code` names it, `values` fill its text,
    `register_warning.<code>` in policy_engine/strings/register.yaml."""

    model_config = ConfigDict(frozen=True)
    code: str
    values: dict[str, str] = {}

    def describe(self, lang: str) -> str:
        return t(f"register_warning.{self.code}", lang, **self.values)


class RegisterResult(BaseModel):
    """`rows_total` counts the data rows (used + rejected; title, blank and total rows are not data).

    `rejected` holds the first `REJECTED_KEPT` rejected rows by line, never every one; `rejected_count`
    counts them all and `rejected_by_reason` counts them by reason (a row with two problems counts
    under each)."""

    model_config = ConfigDict(frozen=True)
    rows_total: int
    rows_used: int
    rejected: list[Rejected]  # the first REJECTED_KEPT, in line order
    rejected_count: int
    rejected_by_reason: dict[str, int]  # i18n key of the reason (reject.<key>) -> rows
    cells: list[Cell]
    encoding: str
    delimiter: str | None
    columns: dict[str, str]  # role -> header as found in the file
    crosswalk_changes: int = 0
    header_line: int = 1  # file line (sheet row) of the header; the lines above it are a title
    totals: list[Total] = []
    warnings: list[RegisterWarning] = []
    format: Literal["table", "fns", "kz_stat", "nomis_counts", "nomis_bres"] = "table"

    def summary(self, keep: int = REJECTED_KEPT) -> RegisterResult:
        """The same result with at most `keep` rejected rows (the counts stay whole)."""
        return self.model_copy(update={"rejected": self.rejected[:keep]})

    def rejections(self, keep: int = REJECTED_KEPT) -> RejectionSummary:
        return RejectionSummary(
            count=self.rejected_count, by_reason=dict(self.rejected_by_reason), first=self.rejected[:keep]
        )

    @property
    def totals_mismatched(self) -> list[Total]:
        return [x for x in self.totals if x.matches is False]


class RegisterLayout(BaseModel):
    """What `inspect_register` sees in a file, for a column-mapping step before the import.

    `roles` maps the recognised roles to column indices in `headers` (0-based); `ambiguous` the roles
    that two or more headers name to those columns (none of them is taken); pass a corrected mapping
    as `read_register(..., columns=...)`. Texts are cut short: headers to 80 characters, preview
    cells to 60.
    """

    model_config = ConfigDict(frozen=True)
    header_line: int  # 1-based file line (sheet row) of the header row
    headers: list[str]
    roles: dict[str, int]
    missing: list[str]  # required roles no header names
    preview: list[list[str]]  # up to 5 rows under the header
    format: Literal["csv", "xlsx"]
    encoding: str
    delimiter: str | None
    title_lines: int = 0  # lines above the header, skipped as a title
    header_found: bool = True  # False: no row names a role; the header row was guessed by its shape
    ambiguous: dict[str, list[int]] = {}  # role -> the columns whose headers all name it

    def ambiguity(self, lang: str) -> list[str]:
        """Each ambiguous role said in `lang`, with the headers that could hold it."""
        return [
            t(
                "register_layout.ambiguous",
                lang,
                role=t(f"register_role.{role}", lang),
                found=_excerpt([self.headers[i] for i in cols]),
            )
            for role, cols in self.ambiguous.items()
        ]


# --- crosswalk ----------------------------------------------------------------------------------


def crosswalk(catalogue: Catalogue, changes: Iterable[CrosswalkChange] = ()) -> dict[str, str | None]:
    """Code -> industry for the catalogue, with a project's adjustments applied (None = not creative)."""
    table: dict[str, str | None] = dict(catalogue.code_index())
    for ch in changes:
        table[ch.code] = ch.industry
    return table


_DOTLESS = re.compile(r"^\d{4,5}$", re.ASCII)


def table_code(code: str | None) -> str | None:
    """A table's activity code in the crosswalk's form: a code with dots as written (OKVED2, NACE), four or
    five digits without dots as their NACE class (OKED 62011, UK SIC 5911: classifications.dotless), a
    NOMIS-style "5911 : name" likewise; None for anything else."""
    if not code:
        return None
    if CODE_RE.match(code):
        return code
    if _DOTLESS.match(code):
        return classifications.dotless(code)
    if ":" in code:
        return classifications.crosswalk_code(code, "sic2007")
    return None


def industry_of(code: str, table: dict[str, str | None]) -> str:
    """The industry of the longest code in `table` that `code` starts with, segment by segment."""
    parts = code.split(".")
    for k in range(len(parts), 0, -1):
        key = ".".join(parts[:k])
        if key in table:
            return table[key] or NON_CREATIVE
    return NON_CREATIVE


# --- finding the header -------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """A name or code as one value: NFC, invisible characters dropped, runs of spaces as one space."""
    return " ".join(unicodedata.normalize("NFC", text).translate(INVISIBLE).split())


def normalise_header(text: str) -> str:
    text = clean_text(text).lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def header_role(header: str) -> str | None:
    """The role a header names: its whole text, else its name before a comma or parenthesis (a
    unit, a year, a note), equal to an alias. A prefix or a word inside it names nothing."""
    role = ALIAS_ROLE.get(normalise_header(header))
    if role is None:
        name = re.split(r"[,(]", header, maxsplit=1)[0]
        role = ALIAS_ROLE.get(normalise_header(name)) if name != header else None
    return role


def column_candidates(headers: Sequence[str]) -> dict[str, list[int]]:
    """Role -> every column whose header names it, in order."""
    found: dict[str, list[int]] = {}
    for idx, raw in enumerate(headers):
        role = header_role(raw)
        if role:
            found.setdefault(role, []).append(idx)
    return found


def match_columns(headers: Sequence[str]) -> dict[str, int]:
    """Role -> column index, for the roles exactly one header names (two are ambiguous: neither)."""
    return {role: cols[0] for role, cols in column_candidates(headers).items() if len(cols) == 1}


def _filled(cells: Sequence[str]) -> int:
    return sum(1 for c in cells if c.strip())


@dataclass
class _Header:
    line: int  # 1-based file line (sheet row)
    cells: list[str]
    roles: dict[str, int]
    found: bool  # a row named roles (False: the row was taken for its shape)
    key: tuple  # lower is better, comparable across delimiters
    ambiguous: dict[str, list[int]] = field(default_factory=dict)  # roles two or more columns name


def _header(line: int, cells: list[str], named: dict[str, list[int]], key: tuple) -> _Header:
    return _Header(
        line,
        cells,
        {r: c[0] for r, c in named.items() if len(c) == 1},
        True,
        key,
        {r: c for r, c in named.items() if len(c) > 1},
    )


def _find_header(rows: list[tuple[int, list[str]]]) -> _Header | None:
    """The header among the first non-empty rows, given as (file line, cells).

    The first row of two or more filled cells that names the code, municipality and employees
    columns; else the row naming the most roles; else (no row names any) the first row of the
    table's usual width with most of its cells filled — title rows have one filled cell.
    """
    scan = rows[:HEADER_SCAN]

    def consistency(i: int) -> int:
        width = len(scan[i][1])
        return sum(1 for _, cells in rows[i + 1 :] if len(cells) == width)

    partial: tuple[int, int, dict[str, list[int]]] | None = None
    for i, (line, cells) in enumerate(scan):
        if len(cells) < 2 or _filled(cells) < 2:
            continue
        named = column_candidates(cells)
        if all(r in named for r in REQUIRED):
            return _header(line, cells, named, (0, i, -len(named), -consistency(i)))
        if named and (partial is None or len(named) > len(partial[2])):
            partial = (i, line, named)
    if partial is not None:
        i, line, named = partial
        return _header(line, scan[i][1], named, (1, -len(named), i, -consistency(i)))
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
    delimiter: str | None
    raw: bytes = b""  # CSV: the bytes, without a byte-order mark
    not_utf8_line: int | None = None  # CSV in Windows-1251: its first line that is not UTF-8
    offset: int = 0  # CSV: where the header line starts in `raw`

    def public(self, kind: Literal["csv", "xlsx"]) -> RegisterLayout:
        h = self.header
        after = [cells for line, cells in self.rows if line > h.line][:PREVIEW_ROWS]
        return RegisterLayout(
            header_line=h.line,
            headers=[_cut(c, EXCERPT_CHARS) for c in h.cells],
            roles=dict(h.roles),
            missing=[r for r in REQUIRED if r not in h.roles and r not in h.ambiguous],
            preview=[[_cut(c, PREVIEW_CHARS) for c in cells] for cells in after],
            format=kind,
            encoding=self.encoding,
            delimiter=self.delimiter,
            title_lines=h.line - 1,
            header_found=h.found,
            ambiguous={r: list(c) for r, c in h.ambiguous.items()},
        )


def _resolve_roles(layout: _Layout, columns: Mapping[str, int | None] | None) -> dict[str, int]:
    """The detected roles with the user's mapping over them; refuses a mapping that cannot be."""
    h = layout.header
    roles = dict(h.roles)
    ambiguous = {r: list(c) for r, c in h.ambiguous.items()}
    if columns is not None:
        seen: dict[int, str] = {}
        for role, idx in columns.items():
            if role not in ROLES:
                raise RegisterError.of("mapping_role", role=_cut(str(role), 40), roles=", ".join(ROLES))
            if idx is None:
                continue
            if isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < len(h.cells):
                raise RegisterError.of(
                    "mapping_index",
                    role=role,
                    index=_cut(str(idx), 20),
                    number=idx + 1 if isinstance(idx, int) else _cut(str(idx), 20),
                    count=len(h.cells),
                )
            if idx in seen:
                raise RegisterError.of("mapping_twice", index=idx, number=idx + 1, role=seen[idx], other=role)
            seen[idx] = role
        roles = {r: i for r, i in roles.items() if r not in columns and i not in seen}
        roles.update({r: i for r, i in columns.items() if i is not None})
        # a mapping settles an ambiguous role it names, and takes the columns it gives to other roles
        ambiguous = {r: [i for i in c if i not in seen] for r, c in ambiguous.items() if r not in columns}
    for role, cands in list(ambiguous.items()):
        if len(cands) == 1:  # the mapping gave the others to other roles: what is left is unambiguous
            roles[role] = cands[0]
        if len(cands) < 2:
            del ambiguous[role]
    missing = [r for r in REQUIRED if r not in roles and r not in ambiguous]
    if missing:
        note = "no_header" if not h.found else "title_skipped" if h.line > 1 else ""
        values = {
            "missing": ",".join(missing),
            "found": _excerpt(h.cells),
            "line": h.line,
            "skipped": h.line - 1,
            "scanned": HEADER_SCAN,
        }
        if note:
            values["note"] = note
        raise RegisterError.of("missing_columns", **values)
    for role, cands in ambiguous.items():
        raise RegisterError.of("ambiguous_columns", role=role, found=_excerpt([h.cells[i] for i in cands]))
    return roles


# --- reading the table --------------------------------------------------------------------------


def _decode_all(values: list[bytes | None], encoding: str) -> list[str | None]:
    return [None if v is None else clean_text(v.decode(encoding, errors="replace")) for v in values]


def _line_at(raw: bytes, pos: int) -> int:
    return raw.count(b"\n", 0, pos) + 1


def _valid_utf8(raw: bytes) -> bool:
    """Whether the whole file is UTF-8, checked by arrow's validator without decoding it (about
    ten times faster than `bytes.decode` on Cyrillic text)."""
    arr = pa.Array.from_buffers(
        pa.large_string(), 1, [None, pa.py_buffer(np.array([0, len(raw)], np.int64)), pa.py_buffer(raw)]
    )
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _decide_encoding(raw: bytes) -> tuple[bytes, str, int | None]:
    """The file's bytes (without a byte-order mark; UTF-16 re-encoded as UTF-8; lone carriage returns
    made line feeds), its one encoding — a byte-order mark, else UTF-8 when the whole file is valid
    UTF-8, else Windows-1251 — and, for Windows-1251, the first line that is not UTF-8. A file with
    valid UTF-8 text before its first invalid byte mixes the two and is refused; the other mix (UTF-8
    values in a Windows-1251 file) is found on the values read (`_one_encoding`)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            raw, bom = raw.decode("utf-16").encode("utf-8"), True
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
            raise RegisterError.of("bad_encoding", encoding="UTF-16", line=line) from None
    else:
        bom = raw.startswith(b"\xef\xbb\xbf")
        raw = raw[3:] if bom else raw
    raw = _line_feeds(raw)
    if _valid_utf8(raw):
        return raw, "utf-8", None
    first_bad = _first_invalid_utf8(raw)
    bad_line = _line_at(raw, first_bad)
    if bom:
        raise RegisterError.of("bad_encoding", encoding="UTF-8", line=bad_line)
    before = np.frombuffer(raw, dtype=np.uint8, count=first_bad)
    if before.size and before.max() >= 0x80:  # valid UTF-8 text before the first invalid byte
        raise RegisterError.of("mixed_encoding", line=bad_line, other=_line_at(raw, int(np.argmax(before >= 0x80))))
    return raw, "cp1251", bad_line


CHUNK = 1 << 20  # bytes scanned at a time, so a scan's temporary arrays stay small


def _first_invalid_utf8(raw: bytes) -> int:
    """Where the first byte that is not UTF-8 is (the file is known to have one), decoding a chunk at
    a time: `bytes.decode` would allocate the whole file's text first."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(raw), CHUNK):
        try:
            decoder.decode(raw[start : start + CHUNK], final=start + CHUNK >= len(raw))
        except UnicodeDecodeError as exc:
            return max(0, start - len(decoder.getstate()[0]) + exc.start)
    return len(raw)


def _line_feeds(raw: bytes) -> bytes:
    """Lone carriage returns (old Mac line ends) as line feeds, so a line break is always b"\\n"."""
    if b"\r" not in raw:
        return raw
    arr = np.frombuffer(raw, dtype=np.uint8)
    for start in range(0, len(arr), CHUNK):
        cr = np.flatnonzero(arr[start : start + CHUNK] == 13) + start
        if cr.size and (cr[-1] == len(arr) - 1 or np.any(arr[cr + 1] != 10)):
            return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return raw


def _count_byte(arr: np.ndarray, value: int) -> int:
    return sum(int(np.count_nonzero(arr[i : i + CHUNK] == value)) for i in range(0, len(arr), CHUNK))


def _is_utf8_text(value: bytes) -> bool:
    """Valid UTF-8 with at least one non-ASCII character: in a Windows-1251 file, a value written in
    UTF-8 (its Cyrillic would be a capital letter and a rare symbol, over and over)."""
    if value.isascii():
        return False
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@dataclass
class _Columns:
    """Raw columns of a table as arrow binary arrays, and how to map rows to file lines."""

    headers: list[str]
    roles: dict[str, int]
    data: dict[str, pa.Array]  # by role, and "_first" (the first column) when no role has it
    encoding: str  # of the bytes in `data`
    delimiter: str | None
    file_encoding: str = ""  # of the file, when `data` was re-encoded (the csv module's path)
    not_utf8_line: int | None = None  # Windows-1251: the first line that is not UTF-8
    header_line: int = 1
    first_line: int = 2  # file line of the first data row
    line_map: Sequence[int] | None = None  # data row -> file line, when rows were skipped
    skipped: list[Rejected] = field(default_factory=list)  # lines the csv module's path set aside: the first
    skipped_counts: dict[str, int] = field(default_factory=dict)  # REJECTED_KEPT, and all of them by reason
    warnings: list[RegisterWarning] = field(default_factory=list)


def _head(raw: bytes) -> tuple[bytes, int | None]:
    """The top of the file where the header is looked for: about HEAD_BYTES, in whole lines — a line
    cut there is read to its end, unless it is longer than MAX_LINE_BYTES: then the head stops before
    it, and its line number is returned too (it may have been the header)."""
    if len(raw) <= HEAD_BYTES:
        return raw, None
    begin = raw.rfind(b"\n", 0, HEAD_BYTES) + 1  # the line the cut falls in
    end = raw.find(b"\n", HEAD_BYTES - 1)
    end = len(raw) if end < 0 else end + 1
    if end - begin <= MAX_LINE_BYTES:
        return raw[:end], None
    return raw[:begin], _line_at(raw, begin)


def _split_line(text: str, delim: str) -> list[str]:
    try:
        return next(csv.reader([text], delimiter=delim), [])
    except csv.Error:
        return [text]


def _csv_layout(raw: bytes) -> _Layout:
    raw, encoding, not_utf8_line = _decide_encoding(raw)
    layout = _layout_of(raw, encoding)
    layout.raw, layout.not_utf8_line = raw, not_utf8_line
    return layout


def _layout_of(raw: bytes, encoding: str) -> _Layout:
    """The header in the top of `raw` (the file's bytes from its start, or enough of them: the head
    `_head` takes is the same in the first HEAD_BYTES + MAX_LINE_BYTES + 2 bytes as in the whole)."""
    head, long_line = _head(raw)
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
        rows = [(n, _split_line(x, delim)) for n, x in lines]
        header = _find_header(rows)
        if header is not None and (best is None or (header.key, rank) < (best[0], best[1])):
            best = (header.key, rank, header, rows)
    if long_line is not None and (
        best is None or any(r not in best[2].roles and r not in best[2].ambiguous for r in REQUIRED)
    ):
        raise RegisterError.of("line_too_long", line=long_line, limit_mb=MAX_LINE_BYTES // 2**20)
    if best is None:
        raise RegisterError.of("no_table")
    _, rank, header, rows = best
    return _Layout(header=header, rows=rows, encoding=encoding, delimiter=DELIMITERS[rank], offset=offsets[header.line])


DICTIONARY_ROLES = ("code", "municipality", "employees")  # few distinct values: read dictionary-encoded
_DICTIONARY = pa.dictionary(pa.int32(), pa.binary())


def _encoded(col: pa.Array) -> pa.DictionaryArray:
    return col if isinstance(col, pa.DictionaryArray) else pc.dictionary_encode(col)


def _plain(col: pa.Array) -> pa.Array:
    return col.dictionary_decode() if isinstance(col, pa.DictionaryArray) else col


def _wanted(headers: list[str], roles: dict[str, int]) -> dict[str, int]:
    """Role -> column index to read: the roles, and the first column, where a total row's label may be."""
    wanted = dict(roles)
    if 0 not in (roles["code"], roles["municipality"]) and headers:
        wanted["_first"] = 0
    return wanted


def _read_csv(raw: bytes, columns: Mapping[str, int | None] | None = None) -> _Columns:
    """The whole file at once: for bytes the batched reader gives back (`_Fallback`)."""
    layout = _csv_layout(raw)
    roles = _resolve_roles(layout, columns)
    header, encoding, delimiter = layout.header, layout.encoding, layout.delimiter
    body = layout.raw[layout.offset :] if layout.offset else layout.raw  # the title lines are not read
    headers = header.cells
    wanted = _wanted(headers, roles)

    def slowly() -> _Columns:
        cols = _read_csv_slowly(body, encoding, delimiter, headers, roles, wanted, header.line)
        cols.not_utf8_line = layout.not_utf8_line
        return cols

    try:
        fast = _fast_columns(body, len(headers), wanted, delimiter, header.line, with_header=True)
    except pa.ArrowInvalid as exc:
        raise RegisterError.of("not_a_table", detail=_cut(str(exc).splitlines()[0], EXCERPT_CHARS)) from None
    if fast is None:
        return slowly()  # lines with the wrong number of fields, or quotes the vectorized scan cannot follow
    data, lines = fast
    return _Columns(
        headers=headers,
        roles=roles,
        data=data,
        encoding=encoding,
        delimiter=delimiter,
        header_line=header.line,
        first_line=header.line + 1,
        line_map=lines,
        not_utf8_line=layout.not_utf8_line,
    )


def _fast_columns(
    body: bytes,
    width: int,
    wanted: dict[str, int],
    delimiter: str,
    first_line: int,
    with_header: bool,
    newlines: int | None = None,
) -> tuple[dict[str, pa.Array], np.ndarray | None] | None:
    """Rows of whole lines (`body`, starting on file line `first_line`, with the header line first when
    `with_header`) read by the fast reader: the wanted columns as raw bytes, and each row's file line
    (None: row i is on line first_line + i, after the header if any). None when the fast reader cannot
    read them as the csv module would: quotes the vectorized scan cannot follow, lines with the wrong
    number of fields. ArrowInvalid when they are no table at all. `newlines`: the line breaks in
    `body`, when they are counted already."""
    names = [f"c{i}" for i in range(width)]
    arr = np.frombuffer(body, dtype=np.uint8)
    quotes, multiline = None, False
    if b'"' in body:
        quotes = np.flatnonzero(arr == 34)
        if not _quotes_regular(arr, quotes, ord(delimiter)):
            return None  # quotes the vectorized scan cannot follow: the exact reader
        multiline = bool((np.searchsorted(quotes, np.flatnonzero(arr == 10)) % 2).any())
    encoded = {names[wanted[key]] for key in DICTIONARY_ROLES}
    try:
        table = _arrow_table(
            body,
            names,
            {k: names[i] for k, i in wanted.items()},
            delimiter,
            quoted=multiline,
            skip=int(with_header),
            encoded=encoded,
        )
    except pa.ArrowInvalid as exc:
        if "Expected" not in str(exc):
            raise
        return None  # lines with the wrong number of fields: the csv module reports them, reads the rest
    lines = _row_lines(arr, table.num_rows, first_line, quotes, with_header, newlines)
    if lines is not None and len(lines) != table.num_rows:  # the two disagree on where rows are
        return None
    table = table.unify_dictionaries()  # one dictionary for all the reader's blocks
    return {key: table.column(names[i]).combine_chunks() for key, i in wanted.items()}, lines


# --- a CSV in batches -----------------------------------------------------------------------------

BATCH_BYTES = 32 << 20  # a CSV is read a batch of about this many bytes at a time, cut where a row ends
PREFIX_BYTES = HEAD_BYTES + MAX_LINE_BYTES + 2  # the top of a CSV in which `_layout_of` finds what it would in all


class _Fallback(Exception):
    """The batched reader cannot read this file as the whole-file path does: read it whole."""


class _Source:
    """A CSV's bytes, a range at a time: a regular file on disk (never held whole) or bytes."""

    def __init__(self, data: bytes | None = None, path: str | Path | None = None):
        self.data, self.fh = data, None
        if data is None:
            self.fh = open(path, "rb")  # closed by `close`
            self.size = os.fstat(self.fh.fileno()).st_size
        else:
            self.size = len(data)

    def read(self, start: int, size: int) -> bytes | bytearray:
        """Up to `size` bytes from `start`; from a file into a bytearray of their own (a batch is cut
        short in place, without a copy)."""
        if self.data is not None:
            return self.data[start : start + size]
        out = bytearray(max(0, min(size, self.size - start)))
        done = 0
        while done < len(out):
            with memoryview(out) as view:
                n = os.preadv(self.fh.fileno(), [view[done:]], start + done)
            if n == 0:  # a file that shrank ends there
                del out[done:]
                break
            done += n
        return out

    def whole(self) -> bytes:
        return self.data if self.data is not None else bytes(self.read(0, self.size))

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()


def _csv_source(source: bytes | str | Path, name: str) -> _Source | None:
    """The CSV to read in batches; None for a workbook, or a path that is not a regular file (a
    device, a pipe: read whole by `_load`, up to the upload limit). Bytes are held to the upload limit
    (`_load`); a regular file is not — it is never read whole (module docstring)."""
    if isinstance(source, (str, Path)):
        if (name or str(source)).lower().endswith((".xlsx", ".xlsm")):  # as `_load` tells a workbook
            return None
        try:
            if not stat.S_ISREG(os.stat(source).st_mode):
                return None
            src = _Source(path=source)
            top = bytes(src.read(0, 4))
        except OSError as exc:
            raise RegisterError.of(
                "unreadable", name=_cut(str(source), EXCERPT_CHARS), reason=exc.strerror or type(exc).__name__
            ) from None
        if top == b"PK\x03\x04":
            src.close()
            return None
        return src
    raw, is_xlsx = _load(source, name)
    return None if is_xlsx else _Source(data=raw)


class _EncodingScan:
    """The file's one encoding (module docstring), decided on its bytes fed in order a piece at a time,
    each piece whole lines (so whole characters): UTF-8 while every byte so far is, Windows-1251 from
    the first byte that is not — refused as mixed when UTF-8 text came before it, or when the file
    has a byte-order mark. A value in UTF-8 after it is found on the values (`_utf8_value_line`)."""

    def __init__(self, bom: bool):
        self.bom = bom
        self.not_utf8_line: int | None = None  # the first line that is not UTF-8: the file is Windows-1251
        self.high_line: int | None = None  # the first line with a byte past ASCII

    @property
    def encoding(self) -> str:
        return "cp1251" if self.not_utf8_line is not None else "utf-8"

    def feed(self, piece: bytes, line: int) -> str:
        """The encoding to read `piece` (starting on file line `line`) in: the file's, or one that reads
        it as the file's would (ASCII is the same in both)."""
        if self.not_utf8_line is not None:
            return "cp1251"
        if _valid_utf8(piece):
            if self.high_line is None:
                self.high_line = _high_line(piece, len(piece), line)
            return "utf-8"
        bad = _first_invalid_utf8(piece)
        bad_line = line + piece.count(b"\n", 0, bad)
        if self.bom:
            raise RegisterError.of("bad_encoding", encoding="UTF-8", line=bad_line)
        if self.high_line is None:
            self.high_line = _high_line(piece, bad, line)
        if self.high_line is not None:  # valid UTF-8 text before the first invalid byte
            raise RegisterError.of("mixed_encoding", line=bad_line, other=self.high_line)
        self.not_utf8_line = bad_line
        return "cp1251"


def _high_line(piece: bytes, end: int, line: int) -> int | None:
    """The line of the first byte past ASCII in piece[:end] (which starts on line `line`), if any."""
    arr = np.frombuffer(piece, dtype=np.uint8, count=end)
    if not arr.size or arr.max() < 0x80:
        return None
    return line + piece.count(b"\n", 0, int(np.argmax(arr >= 0x80)))


def _lone_cr(piece: bytes | bytearray) -> bool:
    """Whether a carriage return in `piece` is not followed by a line feed (counted: as many carriage
    returns as carriage return + line feed pairs)."""
    if b"\r" not in piece:
        return False
    arr = np.frombuffer(piece, dtype=np.uint8)
    crs = pairs = 0
    for start in range(0, len(arr), CHUNK):
        cr = arr[start : start + CHUNK] == 13
        lf = arr[start + 1 : start + CHUNK + 1] == 10
        crs += int(np.count_nonzero(cr))
        pairs += int(np.count_nonzero(cr[: len(lf)] & lf))
    return crs != pairs


def _row_cut(buf: bytes) -> int:
    """Where the last whole row in `buf` ends (0: no row ends in it): after its last line break with an
    even number of quotes before it — outside quoted values, given `_quotes_regular` (a batch whose
    quotes are not regular is not read in batches at all)."""
    end = buf.rfind(b"\n") + 1
    if end == 0 or buf.find(b'"', 0, end) < 0:
        return end
    odd = buf.count(b'"', 0, end) % 2
    while odd and end:
        before = buf.rfind(b"\n", 0, end - 1) + 1
        odd ^= buf.count(b'"', before, end) % 2
        end = before
    return end


def _batches(src: _Source, start: int) -> Iterator[bytes | bytearray]:
    """The bytes from `start` on, a batch of whole rows at a time (`_row_cut`): about BATCH_BYTES, more
    when a row is longer."""
    pos, size = start, BATCH_BYTES
    while pos < src.size:
        buf = src.read(pos, size)
        if pos + len(buf) >= src.size:
            yield buf
            return
        cut = _row_cut(buf)
        if cut == 0:  # no row ends in it: read more at once
            size *= 2
            continue
        if cut < len(buf):
            if isinstance(buf, bytearray):
                del buf[cut:]
            else:
                buf = buf[:cut]
        yield buf
        pos, size = pos + cut, BATCH_BYTES


def _read_csv_batched(
    src: _Source, columns: Mapping[str, int | None] | None, table: dict[str, str | None], changes_n: int
) -> RegisterResult:
    """A CSV read a batch of rows at a time, each folded into the result (`_Fold`) as it is read, so
    what the import holds does not grow with the file. The same result as the whole-file path, or
    `_Fallback` when this reader cannot be sure of that: a UTF-16 file, lone carriage returns, no
    usable header (the whole-file path says why, in its order), lines of the wrong width or quotes the
    vectorized scan cannot follow (the csv module's path)."""
    top = bytes(src.read(0, 4))
    if top.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Fallback  # UTF-16: re-encoded whole
    base = 3 if top.startswith(b"\xef\xbb\xbf") else 0
    prefix = bytes(src.read(base, PREFIX_BYTES))
    checked = prefix if base + len(prefix) >= src.size else prefix[: prefix.rfind(b"\n") + 1]
    if not prefix.strip() or _lone_cr(checked):
        raise _Fallback
    scan = _EncodingScan(bom=base == 3)
    try:
        layout = _layout_of(prefix, "utf-8" if base or _valid_utf8(checked) else "cp1251")
        roles = _resolve_roles(layout, columns)
    except RegisterError:
        raise _Fallback from None
    header = layout.header
    scan.feed(prefix[: layout.offset], 1)  # the title lines
    wanted = _wanted(header.cells, roles)
    fold = _Fold(table)
    line, cols = header.line, None
    for batch in _batches(src, base + layout.offset):
        if _lone_cr(batch):
            raise _Fallback
        encoding = scan.feed(batch, line)
        arr = np.frombuffer(batch, dtype=np.uint8)
        newlines = _count_byte(arr, 10)
        first = cols is None  # the first batch starts with the header line
        try:
            fast = _fast_columns(batch, len(header.cells), wanted, layout.delimiter, line, first, newlines=newlines)
        except pa.ArrowInvalid:
            raise _Fallback from None
        if fast is None:
            raise _Fallback
        cols = _Columns(
            headers=header.cells,
            roles=roles,
            data=fast[0],
            encoding=encoding,
            delimiter=layout.delimiter,
            not_utf8_line=scan.not_utf8_line,
            header_line=header.line,
            first_line=line + first,
            line_map=fast[1],
        )
        fold.add(cols)
        cols.data = {}  # the batch is folded: let it go before the next is read
        line += newlines
    if cols is None:
        raise _Fallback
    return fold.result(cols, scan.encoding, scan.not_utf8_line, changes_n)


def _arrow_table(
    raw: bytes,
    names: list[str],
    wanted: dict[str, str],
    delimiter: str,
    quoted: bool = False,
    skip: int = 1,
    encoded: Iterable[str] = (),
) -> pa.Table:
    """Split the file into raw byte columns with pyarrow's multi-threaded reader (no decoding).

    `quoted`: some quoted value holds a line break (the reader must then not split blocks at any
    line break). A row longer than a block is read again with one block for the whole file.
    `skip`: the header line is there (1) or not (0). `encoded`: columns read dictionary-encoded (the
    reader hashes them in its threads, a dictionary per block)."""
    encoded = set(encoded)

    def read(block: int) -> pa.Table:
        return pcsv.read_csv(
            pa.BufferReader(raw),
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=skip, block_size=block),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted),
            convert_options=pcsv.ConvertOptions(
                column_types={n: _DICTIONARY if n in encoded else pa.binary() for n in names},
                check_utf8=False,
                include_columns=list(dict.fromkeys(wanted.values())),
            ),
        )

    try:
        return read(1 << 22)
    except pa.ArrowInvalid as exc:
        if "straddl" not in str(exc):
            raise
        return read(len(raw) + 1)


def _row_starts(arr: np.ndarray, nl: np.ndarray) -> np.ndarray:
    """Where each row starts in the bytes `arr`, given the line breaks `nl` that end rows (empty
    lines are not rows: the fast reader drops them)."""
    starts = np.concatenate(([0], nl + 1))
    ends = np.concatenate((nl, [len(arr)]))
    if starts[-1] >= len(arr):  # nothing after the last line break
        starts, ends = starts[:-1], ends[:-1]
    length = ends - starts
    only_cr = (length == 1) & (arr[np.minimum(starts, len(arr) - 1)] == 13)
    return starts[(length > 0) & ~only_cr]


def _row_lines(
    arr: np.ndarray,
    rows: int,
    first_line: int,
    quotes: np.ndarray | None,
    with_header: bool = True,
    newlines: int | None = None,
) -> np.ndarray | None:
    """The file line of each of the fast reader's `rows` data rows, found with vectorized scans of the
    bytes `arr` (whole lines from file line `first_line`, the header line first when `with_header`).

    None when row i is on the i-th line after the header (or from `first_line`): as many rows as
    lines, so no empty line and no line break inside a value. Else the line breaks that end rows are
    those outside quoted values — with an even number of quotes before them, given `_quotes_regular`
    — and a row's line is the count of all line breaks before its start."""
    physical = (_count_byte(arr, 10) if newlines is None else newlines) + (1 if len(arr) and arr[-1] != 10 else 0)
    if rows == physical - int(with_header):
        return None
    nl = np.flatnonzero(arr == 10)
    ends = nl if quotes is None else nl[(np.searchsorted(quotes, nl) % 2) == 0]
    lines = first_line + np.searchsorted(nl, _row_starts(arr, ends))
    return lines[1:] if with_header else lines  # the first row is the header


def _quotes_regular(arr: np.ndarray, quotes: np.ndarray, delim: int) -> bool:
    """Whether every quote is where a quoted value puts it, as the fast reader reads quotes: a quote
    opens a value only at a field's start, "" inside a quoted value is a quote, and a quote followed
    by the end of the field closes it. Then the quotes before a line break are even in number exactly
    when it ends a row. A quote inside an unquoted value, or text after a closing quote, is not
    regular: the exact reader reads such a file. Checked run by run of consecutive quotes."""
    if quotes.size == 0:
        return True
    breaks = np.flatnonzero(np.diff(quotes) != 1) + 1
    first = np.concatenate(([0], breaks))  # index in `quotes` of each run's first quote
    begin = quotes[first]
    length = np.diff(np.concatenate((first, [quotes.size])))
    end = begin + length  # the byte after the run
    before = np.where(begin > 0, arr[np.maximum(begin - 1, 0)], 10)
    after = np.where(end < len(arr), arr[np.minimum(end, len(arr) - 1)], 10)
    at_start = (before == delim) | (before == 10) | (before == 13)
    at_end = (after == delim) | (after == 10) | (after == 13)
    inside_before = (first % 2) == 1
    odd = (length % 2) == 1
    opens = ~inside_before & at_start & (odd | at_end)  # "… opens; "" is an empty value
    escapes_or_closes = inside_before & (~odd | at_end)  # "" inside; a closing quote ends the field
    return bool(np.all(opens | escapes_or_closes))


def _read_csv_slowly(
    body: bytes,
    encoding: str,
    delimiter: str,
    headers: list[str],
    roles: dict[str, int],
    wanted: dict[str, int],
    header_line: int,
) -> _Columns:
    """The exact path, with Python's csv module: for files with lines of the wrong number of fields,
    which it reports (and reads the rest), and quotes the vectorized scan cannot follow. Every row
    keeps its true line: the physical line it starts on."""
    text = body.decode(encoding, errors="replace")
    pieces = text.split("\n")
    physical = (piece + "\n" for piece in pieces[:-1])
    reader = csv.reader(physical if not pieces[-1] else _chain(physical, pieces[-1]), delimiter=delimiter)
    width = len(headers)
    values: dict[str, list[str]] = {key: [] for key in wanted}
    lines: list[int] = []
    skipped: list[Rejected] = []
    counts: dict[str, int] = {}

    def skip(line: int, key: str, values: dict[str, str]) -> None:
        counts[key] = counts.get(key, 0) + 1
        if len(skipped) < REJECTED_KEPT:
            skipped.append(Rejected.of(line, [(key, values)]))

    done = 0  # physical lines read so far
    first = True
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            line, done = header_line + done, reader.line_num
            skip(line, "bad_line", {"detail": _cut(str(exc), EXCERPT_CHARS)})
            continue
        line, done = header_line + done, reader.line_num
        if first:  # the header
            first = False
            continue
        if not fields:  # an empty line
            continue
        if len(fields) != width:
            if not any(f.strip() for f in fields):
                skip(line, "blank_line", {})
            else:
                skip(line, "field_count", {"got": str(len(fields)), "want": str(width)})
            continue
        lines.append(line)
        for key, i in wanted.items():
            values[key].append(fields[i])
    data = {key: pa.array(vals, pa.string()).cast(pa.binary()) for key, vals in values.items()}
    return _Columns(
        headers=headers,
        roles=roles,
        data=data,
        encoding="utf-8",
        delimiter=delimiter,
        file_encoding=encoding,
        header_line=header_line,
        first_line=header_line + 1,
        line_map=np.array(lines, dtype=np.int64),
        skipped=skipped,
        skipped_counts=counts,
    )


def _chain(first: Iterable[str], last: str) -> Iterable[str]:
    yield from first
    yield last


XLSX_SCAN_ROWS = 500  # sheet rows looked at for the header (blank rows do not count against HEADER_SCAN)
NUMERIC_PREFIX = "numeric:"  # policy_engine/diagnostics/xlsx_worker.py: which cells of a column are numbers


def _xlsx_frame(raw: bytes, n_rows: int | None = None) -> tuple[pl.DataFrame, dict[int, pl.Series]]:
    """The first sheet as text, row i being sheet row i + 1 (empty rows kept, so lines stay true), and
    for some columns which cells hold numbers (`xlsx_worker.read_frame`).

    The reader allocates from what the workbook says, and can abort: the workbook is inspected
    first and read in a child process under a memory ceiling (policy_engine/diagnostics/uploads.py)."""
    try:
        df = uploads.read_sheet(raw, n_rows)
    except uploads.TooLarge as exc:
        raise RegisterError.of(exc.code, **exc.values) from None
    flag_names = [c for c in df.columns if c.startswith(NUMERIC_PREFIX)]
    numeric = {int(c[len(NUMERIC_PREFIX) :]): df[c] for c in flag_names}
    df = df.drop(flag_names)
    if df.height == 0 or df.width == 0:
        raise RegisterError.of("empty_sheet")
    return df, numeric


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
    return _Layout(header=header, rows=rows, encoding="utf-8", delimiter=None)


def _read_xlsx(raw: bytes, columns: Mapping[str, int | None] | None = None) -> _Columns:
    df, numeric = _xlsx_frame(raw)
    layout = _xlsx_layout(df)
    roles = _resolve_roles(layout, columns)
    header = layout.header
    body = df.slice(header.line)  # sheet rows below the header
    filled = body.select(pl.any_horizontal([pl.col(c).str.strip_chars().fill_null("") != "" for c in body.columns]))
    filled = filled.to_series()
    line_map = None
    code_numeric = numeric[roles["code"]].slice(header.line) if roles["code"] in numeric else None
    if not filled.all():  # empty rows are not data; the others keep their sheet row numbers
        line_map = np.flatnonzero(filled.to_numpy()) + header.line + 1
        body = body.filter(filled)
        code_numeric = code_numeric.filter(filled) if code_numeric is not None else None
    data, warnings = {}, []
    for key, i in _wanted(header.cells, roles).items():
        col = body.to_series(i).cast(pl.String)
        if key == "code" and code_numeric is not None:
            col, warning = _codes_from_numbers(col, code_numeric, line_map, header.line + 1)
            warnings += [warning] if warning else []
        col = col.to_arrow().cast(pa.binary())
        data[key] = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
    return _Columns(
        headers=header.cells,
        roles=roles,
        data=data,
        encoding="utf-8",
        delimiter=None,
        header_line=header.line,
        first_line=header.line + 1,
        line_map=line_map,
        warnings=warnings,
    )


# --- codes stored as numbers --------------------------------------------------------------------


def code_from_number(text: str) -> str:
    """The classification code a number in a code cell stands for, from the number's text (module
    docstring): two digits before the dot, and two after it when the number has a fraction. A number
    that is no such code (0.5, 100, 59.111, negative, not finite) is kept as its text."""
    try:
        x = float(text)
    except ValueError:
        return text
    if not math.isfinite(x) or not 1 <= x < 100:
        return text
    whole = int(x)
    if x == whole:
        return f"{whole:02d}"
    two = round(x, 2)
    if abs(two - x) > 1e-9:  # more digits than a class code has
        return text
    return f"{two:05.2f}"


def _codes_from_numbers(
    codes: pl.Series, numeric: pl.Series, line_map, first_line: int
) -> tuple[pl.Series, RegisterWarning | None]:
    """Code cells that were numbers, read back as codes (`code_from_number`); a warning with how
    many changed and the first of them."""
    numeric = numeric.fill_null(False)
    distinct = codes.filter(numeric).drop_nulls().unique().to_list()
    changed = {text: code for text in distinct if (code := code_from_number(text)) != text}
    if not changed:
        return codes, None
    hit = numeric & codes.is_in(list(changed)).fill_null(False)
    fixed = pl.select(pl.when(hit).then(codes.replace(changed)).otherwise(codes)).to_series().alias(codes.name)
    row = int(hit.arg_true()[0])
    line = int(line_map[row]) if line_map is not None else first_line + row
    before = codes[row]
    return fixed, RegisterWarning(
        code="numeric_codes",
        values={"count": str(int(hit.sum())), "line": str(line), "before": before, "after": changed[before]},
    )


# --- numbers ------------------------------------------------------------------------------------


def parse_number(text: str | None) -> float | None:
    """A number as officials write it (module docstring, "Numbers"): the same parser as the import's."""
    if text is None:
        return None
    return _parse_numbers(pa.array([text.encode("utf-8")], pa.binary()), "utf-8")[0]


def _parse_numbers(col: pa.Array, encoding: str) -> pl.Series:
    """The one number parser, vectorized: drop spaces, a decimal comma to a dot, then the value must
    be NUMBER_PATTERN or it is null. Checked as: only the bytes of that pattern (a scan of the bytes),
    then polars' float parser, whose grammar on those bytes is the pattern's exactly
    (tests/diagnostics/test_register_rules.py) and which is several times faster than a regex."""
    cleaned = _only_number_bytes(_without_spaces(col, encoding))
    return pl.from_arrow(cleaned.cast(pa.string())).cast(pl.Float64, strict=False)


def _without_spaces(col: pa.Array, encoding: str) -> pa.Array:
    """The values with their spaces (ASCII space, tab, and in UTF-8 the no-break U+00A0, thin U+2009
    and narrow no-break U+202F; in Windows-1251 its no-break 0xA0) dropped and a comma made a dot,
    in a few numpy passes over the bytes (arrow's replace_substring is a pass per pattern, slower)."""
    offsets_buf, data_buf = col.buffers()[1], col.buffers()[2]
    if data_buf is None or len(col) == 0:
        return col
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[col.offset : col.offset + len(col) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]]
    drop = (data == 0x20) | (data == 0x09)
    if encoding == "cp1251":
        drop |= data == 0xA0
    elif data.size >= 2:
        two = np.flatnonzero(data[:-1] == 0xC2)
        two = two[data[two + 1] == 0xA0]
        drop[two] = drop[two + 1] = True
        three = np.flatnonzero(data[:-2] == 0xE2) if data.size >= 3 else np.empty(0, dtype=np.int64)
        three = three[(data[three + 1] == 0x80) & ((data[three + 2] == 0x89) | (data[three + 2] == 0xAF))]
        drop[three] = drop[three + 1] = drop[three + 2] = True
    comma = data == 0x2C
    if not drop.any() and not comma.any():
        return col
    kept = np.where(comma, np.uint8(0x2E), data)[~drop]
    rel = offsets - offsets[0]
    dropped = np.zeros(len(data) + 1, dtype=np.int32)  # dropped bytes before each position
    np.cumsum(drop, dtype=np.int32, out=dropped[1:])
    new_offsets = (rel - dropped[rel]).astype(np.int32)
    out = pa.Array.from_buffers(pa.binary(), len(col), [None, pa.py_buffer(new_offsets), pa.py_buffer(kept)])
    if col.null_count:
        out = pc.if_else(col.is_null(), pa.scalar(None, pa.binary()), out)
    return out


_NOT_NUMBER_BYTE = np.ones(256, dtype=bool)
_NOT_NUMBER_BYTE[list(b"0123456789+-.eE")] = False


_PRINTABLE_BYTE = np.zeros(256, dtype=bool)
_PRINTABLE_BYTE[0x21:0x7F] = True  # ASCII letters, digits and signs: the same character in UTF-8 and Windows-1251


def _values_with(col: pa.Array, byte_set: np.ndarray) -> np.ndarray | None:
    """Which values of a binary column hold a byte of `byte_set` (256 flags), found by one scan of the
    bytes; None when none does."""
    offsets_buf, data_buf = col.buffers()[1], col.buffers()[2]
    if data_buf is None:
        return None
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[col.offset : col.offset + len(col) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]]
    flags = byte_set[data]
    if not flags.any():
        return None
    starts = offsets[:-1] - offsets[0]
    filled = np.flatnonzero(offsets[1:] > offsets[:-1])  # empty values have no bytes (and no segment)
    mask = np.zeros(len(col), dtype=bool)
    mask[filled] = np.logical_or.reduceat(flags, starts[filled])
    return mask


def _only_number_bytes(col: pa.Array) -> pa.Array:
    """Empty the values with a byte no number has (any non-ASCII byte among them, so the column can be
    read as text whatever its encoding). Costs a scan of the bytes, and more only where such values are."""
    mask = _values_with(col, _NOT_NUMBER_BYTE)
    if mask is None:
        return col
    return pc.if_else(pa.array(mask), pa.scalar(b"", pa.binary()), col)  # empty, not null: a null slot keeps its bytes


def _numbers(col: pa.Array, encoding: str) -> pl.Series:
    """Parse a binary column of numbers (null where a value is not a number) with `_parse_numbers`:
    on the column's dictionary when it has few distinct values (head counts usually), so each is
    parsed once, else on the column itself (revenue). Either way the same parser. A column read
    dictionary-encoded is parsed on its dictionary."""
    if isinstance(col, pa.DictionaryArray):
        return _parse_numbers(col.dictionary, encoding).gather(pl.from_arrow(col.indices).cast(pl.Int64))
    probe = col.slice(0, 20000)
    if len(pc.unique(probe)) <= 8000:
        enc = pc.dictionary_encode(col)
        return _parse_numbers(enc.dictionary, encoding).gather(pl.from_arrow(enc.indices).cast(pl.Int64))
    return _parse_numbers(col, encoding)


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
            raise RegisterError.of(
                "unreadable", name=_cut(str(source), EXCERPT_CHARS), reason=exc.strerror or type(exc).__name__
            ) from None
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
        return _xlsx_layout(_xlsx_frame(raw, n_rows=XLSX_SCAN_ROWS)[0]).public("xlsx")
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
    changes = list(changes)
    table = crosswalk(catalogue, changes)
    src = _csv_source(source, name)
    if src is not None:
        try:
            return _read_csv_batched(src, columns, table, len(changes))
        except _Fallback:
            raw = src.whole()
        finally:
            src.close()
        if not raw or raw.isspace():
            raise RegisterError.of("empty")
        return _aggregate(_read_csv(raw, columns), table, len(changes))
    raw, is_xlsx = _load(source, name)
    cols = _read_xlsx(raw, columns) if is_xlsx else _read_csv(raw, columns)
    return _aggregate(cols, table, len(changes))


def _line(cols: _Columns, row: int) -> int:
    return int(cols.line_map[row]) if cols.line_map is not None else row + cols.first_line


def _is_total(text: str | None) -> bool:
    return bool(text) and TOTAL_RE.match(text) is not None


def _aggregate(cols: _Columns, table: dict[str, str | None], changes_n: int) -> RegisterResult:
    fold = _Fold(table)
    fold.add(cols)
    return fold.result(cols, cols.file_encoding or cols.encoding, cols.not_utf8_line, changes_n)


@dataclass
class _Fold:
    """What an import keeps of its rows, batch by batch in file order (a whole file is one batch):
    the cells by municipality × industry, the counts, the first rejected rows, the total rows with
    the employees of the rows used before each. Nothing in it grows with the rows but the cells."""

    table: dict[str, str | None]
    rows: int = 0  # data and total rows read by the fast reader or kept by the csv module's path
    used: int = 0
    bad: int = 0
    skipped: int = 0  # lines the csv module's path set aside
    by_reason: dict[str, int] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)  # the first REJECTED_KEPT, by line
    totals: list[tuple[int, str, float | None, float]] = field(default_factory=list)  # line, label, stated, used before
    used_employees: float = 0.0  # of the rows used so far, summed in file order
    rejected_employees: float = 0.0  # stated by rejected rows, within 0 … MAX_EMPLOYEES
    cells: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    has_rev: bool = False
    utf8_line: int | None = None  # the first line with a code or municipality written in UTF-8
    industry: dict[str, str | None] = field(default_factory=dict)  # code -> industry (None: no code)

    def _industry(self, code: str | None) -> str | None:
        if code is None:
            return None
        if code not in self.industry:
            self.industry[code] = industry_of(k, self.table) if (k := table_code(code)) else None
        return self.industry[code]

    def add(self, cols: _Columns) -> None:
        enc_code = _encoded(cols.data["code"])
        enc_muni = _encoded(cols.data["municipality"])
        raw_codes, raw_munis = enc_code.dictionary.to_pylist(), enc_muni.dictionary.to_pylist()
        encoding = cols.encoding
        if cols.not_utf8_line is not None and self.utf8_line is None:  # Windows-1251: no value in UTF-8
            self.utf8_line = _utf8_value_line(cols, [(enc_code, raw_codes), (enc_muni, raw_munis)])
        codes = _decode_all(raw_codes, encoding)
        munis = _decode_all(raw_munis, encoding)
        industries = [self._industry(c) for c in codes]
        code_idx = pl.from_arrow(enc_code.indices).cast(pl.Int64)
        muni_idx = pl.from_arrow(enc_muni.indices).cast(pl.Int64)
        code_ok = pl.Series([i is not None for i in industries], dtype=pl.Boolean).gather(code_idx).fill_null(False)
        muni_ok = pl.Series([bool(m) for m in munis], dtype=pl.Boolean).gather(muni_idx).fill_null(False)
        frame = {
            "ci": code_idx,
            "mi": muni_idx,
            "emp": _numbers(cols.data["employees"], encoding),
            "ok": code_ok & muni_ok,
        }
        # Total rows, by a label in the code or municipality column (looked up once per distinct value)
        code_tot, muni_tot = [_is_total(c) for c in codes], [_is_total(m) for m in munis]
        tot = pl.repeat(False, len(code_idx), dtype=pl.Boolean, eager=True)
        if any(code_tot):
            tot = tot | pl.Series(code_tot, dtype=pl.Boolean).gather(code_idx).fill_null(False)
        if any(muni_tot):
            tot = tot | pl.Series(muni_tot, dtype=pl.Boolean).gather(muni_idx).fill_null(False)
        frame["tot"] = tot
        has_rev = self.has_rev = "revenue" in cols.data
        plausible = pl.col("emp").is_not_null() & (pl.col("emp") >= 0) & (pl.col("emp") <= MAX_EMPLOYEES)
        if has_rev:  # a revenue that is not a number is left out; one past any firm's rejects the row
            frame["rev"] = _numbers(cols.data["revenue"], encoding)
            plausible = plausible & (pl.col("rev").is_null() | (pl.col("rev").abs() <= MAX_REVENUE))
        df = pl.DataFrame(frame).with_row_index("row").with_columns(ok=pl.col("ok") & ~pl.col("tot") & plausible)
        bad = df.filter(~pl.col("ok") & ~pl.col("tot"))
        labels: dict[int, str] = {}  # row -> label of a total row
        if frame["tot"].any():
            for r in df.filter(pl.col("tot")).select("row", "ci", "mi").iter_rows():
                labels[r[0]] = codes[r[1]] if r[1] is not None and code_tot[r[1]] else munis[r[2]]
        if "_first" in cols.data and bad.height:  # ... or in the first column (only bad rows can be totals)
            extra = _first_column_totals(cols.data["_first"], bad["row"], encoding)
            if extra:
                labels.update(extra)
                bad = bad.filter(~pl.col("row").is_in(list(extra)))
        good = df.filter(pl.col("ok"))
        first, by_reason = _reasons(bad, cols, codes, munis, industries, encoding, REJECTED_KEPT - len(self.rejected))
        if first or cols.skipped:
            self.rejected = sorted(self.rejected + cols.skipped + first, key=lambda r: r.line)[:REJECTED_KEPT]
        for key, n in [*by_reason.items(), *cols.skipped_counts.items()]:
            self.by_reason[key] = self.by_reason.get(key, 0) + n
        self.skipped += sum(cols.skipped_counts.values())
        self.rows += df.height - len(labels)
        self.used += good.height
        self.bad += bad.height
        if bad.height:
            self.rejected_employees += float(bad.filter(pl.col("emp").is_between(0, MAX_EMPLOYEES))["emp"].sum() or 0.0)
        # the employees of the rows used, summed in file order, and so before each total row
        cum = np.cumsum(np.concatenate(([self.used_employees], good["emp"].to_numpy())))
        if labels:
            good_rows, stated_all = good["row"].to_numpy(), df["emp"]
            for row in sorted(labels):
                value = stated_all[row]
                stated = None if value is None or not math.isfinite(value) else float(value)
                before = float(cum[np.searchsorted(good_rows, row)])
                self.totals.append((_line(cols, row), labels[row], stated, before))
        self.used_employees = float(cum[-1])

        cells = self.cells
        for mi, ci, firms, employees, revenue in _groups(good, len(munis), len(codes), has_rev):
            acc = cells.setdefault((munis[mi], industries[ci]), [0, 0.0, 0.0])
            acc[0] += firms
            acc[1] += employees
            acc[2] += revenue or 0.0

    def result(self, cols: _Columns, encoding: str, not_utf8_line: int | None, changes_n: int) -> RegisterResult:
        """The import's result; `cols` gives the layout (any batch's), `not_utf8_line` the file's
        first line that is not UTF-8 when it is in Windows-1251."""
        if not_utf8_line is not None and self.utf8_line is not None:
            raise RegisterError.of("mixed_encoding", line=not_utf8_line, other=self.utf8_line)
        has_rev = self.has_rev
        out = [
            Cell(municipality=m, industry=i, firms=int(v[0]), employees=v[1], revenue=v[2] if has_rev else None)
            for (m, i), v in sorted(self.cells.items())
        ]
        return RegisterResult(
            rows_total=self.rows + self.skipped,
            rows_used=self.used,
            rejected=self.rejected,
            rejected_count=self.bad + self.skipped,
            rejected_by_reason=self.by_reason,
            cells=out,
            encoding=encoding,
            delimiter=cols.delimiter,
            columns={role: cols.headers[i] for role, i in cols.roles.items()},
            crosswalk_changes=changes_n,
            header_line=cols.header_line,
            totals=self._checked_totals(),
            warnings=cols.warnings,
        )

    def _checked_totals(self) -> list[Total]:
        """Check each total row against the rows used: a grand total against all of them, a sub-total
        against those since the previous total row (see `Total`)."""
        whole = self.used_employees
        out: list[Total] = []
        previous = 0.0
        for line, label, stated, before in self.totals:
            qualified = bool(TOTAL_RE.match(label).group(1).strip(" :"))
            prefer_grand = not qualified or len(self.totals) == 1
            block = before - previous
            previous = before
            if stated is None:
                kind, computed, matches = ("grand", whole, None) if prefer_grand else ("sub", None, None)
            elif prefer_grand:
                if _close(stated, whole):
                    kind, computed, matches = "grand", whole, True
                elif len(self.totals) > 1 and _close(stated, block):
                    kind, computed, matches = "sub", block, True
                else:
                    kind, computed, matches = "grand", whole, False
            elif _close(stated, block):
                kind, computed, matches = "sub", block, True
            elif _close(stated, whole):
                kind, computed, matches = "grand", whole, True
            else:
                kind, computed, matches = "sub", None, None
            out.append(
                Total(
                    line=line,
                    label=_cut(label, EXCERPT_CHARS),
                    kind=kind,
                    stated=stated,
                    computed=computed,
                    matches=matches,
                    rejected_employees=self.rejected_employees if kind == "grand" else 0.0,
                )
            )
        return out


GROUPS_DENSE = 1 << 20  # municipalities × codes of a batch up to which rows are grouped by counting


def _groups(good: pl.DataFrame, munis: int, codes: int, has_rev: bool) -> Iterable[tuple]:
    """(municipality, code, firms, employees, revenue) of the rows used, by municipality and code
    index: counted into a dense table (np.bincount) when the pairs are few enough, else grouped by
    polars."""
    if munis * codes <= GROUPS_DENSE:
        key = good["mi"].to_numpy() * codes + good["ci"].to_numpy()
        firms = np.bincount(key, minlength=munis * codes)
        employees = np.bincount(key, weights=good["emp"].to_numpy(), minlength=munis * codes)
        revenue = (
            np.bincount(key, weights=good["rev"].fill_null(0.0).to_numpy(), minlength=munis * codes)
            if has_rev
            else None
        )
        for k in np.flatnonzero(firms).tolist():
            mi, ci = divmod(k, codes)
            yield mi, ci, int(firms[k]), float(employees[k]), float(revenue[k]) if has_rev else None
        return
    aggs = [pl.len().alias("firms"), pl.col("emp").sum().alias("employees")]
    if has_rev:
        aggs.append(pl.col("rev").sum().alias("revenue"))
    for row in good.group_by(["mi", "ci"]).agg(aggs).iter_rows(named=True):
        yield row["mi"], row["ci"], row["firms"], row["employees"], row.get("revenue")


def _utf8_value_line(cols: _Columns, columns: list[tuple[pa.DictionaryArray, list]]) -> int | None:
    """In a Windows-1251 file, the first line with a code or municipality written in UTF-8 (one
    municipality would become two: the file is refused). Looks at the distinct values only."""
    first: int | None = None
    for encoded, values in columns:
        found = []
        for idx, value in enumerate(values):
            if value is None:
                continue
            original = (
                value if cols.encoding == "cp1251" else value.decode("utf-8").encode("cp1251", errors="replace")
            )  # the csv module's path re-encoded it
            if _is_utf8_text(original):
                found.append(idx)
        if found:
            row = int(np.flatnonzero(np.isin(encoded.indices.to_numpy(zero_copy_only=False), found))[0])
            first = row if first is None else min(first, row)
    return None if first is None else _line(cols, first)


def _close(a: float, b: float) -> bool:
    """Equal up to rounding to whole employees (a total may be shown rounded)."""
    return abs(a - b) <= 0.5 + 1e-9 * abs(b)


def _first_column_totals(first: pa.Array, rows: pl.Series, encoding: str) -> dict[int, str]:
    """Row -> label of the given rows whose first column labels a total, looked up once per distinct value."""
    enc = pc.dictionary_encode(_plain(first.take(rows.to_arrow())))
    texts = _decode_all(enc.dictionary.to_pylist(), encoding)
    hits = [i for i, text in enumerate(texts) if _is_total(text)]
    if not hits:
        return {}
    index = enc.indices.to_numpy(zero_copy_only=False)
    return {int(rows[int(i)]): texts[int(index[i])] for i in np.flatnonzero(np.isin(index, hits))}


REASONS = (  # the problems a row can have, in the order a rejected row says them
    "empty_code",
    "bad_code",
    "empty_municipality",
    "empty_employees",
    "nan_employees",
    "negative_employees",
    "implausible_employees",
    "implausible_revenue",
)


def _blank(col: pa.Array, encoding: str) -> pl.Series:
    """Whether each value is missing or only spaces (as `str.strip` sees them). A value with a letter,
    digit or sign of ASCII is not (found by a scan of the bytes); the others are decoded and stripped
    once per distinct value."""
    printable = _values_with(col, _PRINTABLE_BYTE)
    blank = np.zeros(len(col), dtype=bool)
    rest = np.arange(len(col)) if printable is None else np.flatnonzero(~printable)
    if rest.size:
        enc = pc.dictionary_encode(col.take(pa.array(rest)))
        distinct = [not v.decode(encoding, errors="replace").strip() for v in enc.dictionary.to_pylist()]
        blank[rest] = pl.Series(distinct, dtype=pl.Boolean).gather(pl.from_arrow(enc.indices)).to_numpy()
    if col.null_count:
        blank |= col.is_null().to_numpy(zero_copy_only=False)
    return pl.Series(blank)


def _reasons(
    bad: pl.DataFrame, cols: _Columns, codes: list, munis: list, industries: list, encoding: str, keep: int
) -> tuple[list[Rejected], dict[str, int]]:
    """Every problem of each rejected row, in a form a person can fix: found as one flag column per
    reason (`REASONS`) over all the rejected rows and counted there, then said, with the values, for
    the first `keep` only. A file of a million bad rows is a million flags, not a million
    objects."""
    if bad.height == 0:
        return [], {}
    ci, mi, emp = bad["ci"], bad["mi"], bad["emp"]
    raw_emp = _plain(cols.data["employees"].take(bad["row"].to_arrow()))
    blank = _blank(raw_emp, encoding)
    rev_far = (bad["rev"].abs() > MAX_REVENUE) if "rev" in bad.columns else pl.repeat(False, bad.height, eager=True)
    flags = bad.select("row", "ci").with_columns(
        pl.Series([not c for c in codes], dtype=pl.Boolean).gather(ci).fill_null(True).alias("empty_code"),
        pl.Series([bool(c) and i is None for c, i in zip(codes, industries)], dtype=pl.Boolean)
        .gather(ci)
        .fill_null(False)
        .alias("bad_code"),
        pl.Series([not m for m in munis], dtype=pl.Boolean).gather(mi).fill_null(True).alias("empty_municipality"),
        (emp.is_null() & blank).alias("empty_employees"),
        (emp.is_null() & ~blank).alias("nan_employees"),
        (emp < 0).fill_null(False).alias("negative_employees"),
        (emp > MAX_EMPLOYEES).fill_null(False).alias("implausible_employees"),
        rev_far.fill_null(False).alias("implausible_revenue"),
    )
    counts = flags.select(pl.col(REASONS).sum()).row(0, named=True)
    by_reason = {key: int(n) for key, n in counts.items() if n}

    head = flags.head(max(keep, 0))
    emp_raw = raw_emp.slice(0, head.height).to_pylist()
    rev_raw = _plain(cols.data["revenue"].take(head["row"].to_arrow())).to_pylist() if "revenue" in cols.data else None
    first = []
    for k, r in enumerate(head.iter_rows(named=True)):
        texts = {
            "bad_code": codes[r["ci"]] if r["bad_code"] else None,
            "employees": None if emp_raw[k] is None else emp_raw[k].decode(encoding, errors="replace").strip(),
            "revenue": rev_raw[k].decode(encoding, errors="replace").strip() if r["implausible_revenue"] else None,
        }
        problems = [(key, _reason_values(key, texts)) for key in REASONS if r[key]]
        first.append(Rejected.of(_line(cols, r["row"]), problems))
    return first, by_reason


def _reason_values(key: str, texts: dict[str, str | None]) -> dict[str, str]:
    """The values a reason's text names: the value as the file has it (cut short), and the limit."""
    if key == "bad_code":
        return {"value": repr(_cut(texts["bad_code"], EXCERPT_CHARS))}
    if key in ("nan_employees", "negative_employees", "implausible_employees"):
        values = {"value": repr(_cut(texts["employees"], EXCERPT_CHARS))}
        return values | ({"limit": _spaced(MAX_EMPLOYEES)} if key == "implausible_employees" else {})
    if key == "implausible_revenue":
        return {"value": repr(_cut(texts["revenue"], EXCERPT_CHARS)), "limit": _spaced(MAX_REVENUE)}
    return {}


def _spaced(n: float) -> str:
    """A limit in a message, its thousands spaced as in every one of the three languages."""
    return f"{int(n):,}".replace(",", " ")
