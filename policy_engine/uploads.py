"""Uploaded files are hostile until inspected: limits, and a workbook looked at before it is parsed.

The XLSX reader (calamine, Rust) allocates from what a workbook says about itself: one cell at
XFD1048576 in a 1.5 KB file made it ask for 512 GiB and abort the whole server (SIGABRT, which no
`except` catches); a 1 MB file with one 1 GiB shared string passed 5 GB. So before the reader sees a
workbook, this module reads the ZIP's parts itself, as streams with a ceiling: the inflated size of
every part, the sheets' cell references (the farthest row and column actually written, and the
declared dimension) and the shared strings' size. Past a limit the file is refused, saying which limit.

Limits are settings (environment variables) with the defaults below; README "Limits and safety".
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


@dataclass(frozen=True)
class Limits:
    upload_bytes: int = _env_int("GENIUS_LOCI_MAX_UPLOAD_MB", 100) * 1024 * 1024
    inflated_bytes: int = _env_int("GENIUS_LOCI_MAX_INFLATED_MB", 300) * 1024 * 1024
    shared_strings_bytes: int = _env_int("GENIUS_LOCI_MAX_SHARED_STRINGS_MB", 64) * 1024 * 1024
    rows: int = _env_int("GENIUS_LOCI_MAX_ROWS", 2_000_000)
    columns: int = _env_int("GENIUS_LOCI_MAX_COLUMNS", 256)
    cells: int = _env_int("GENIUS_LOCI_MAX_CELLS", 20_000_000)


LIMITS = Limits()


class TooLarge(ValueError):
    """A file past a limit: `code` names the limit, `values` the figures (for the user's message)."""

    def __init__(self, code: str, **values: object):
        self.code, self.values = code, values
        super().__init__(f"{code}: {values}")


_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,4})([0-9]{1,9})"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="([0-9]{1,9})"')
_DIM = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\sref="(?:[A-Z]{1,4}[0-9]{1,9}:)?([A-Z]{1,4})([0-9]{1,9})"')
_CHUNK = 1 << 20


def column_number(letters: bytes) -> int:
    """A1-style column letters as a number: A = 1, Z = 26, AA = 27, XFD = 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def check_size(size: int, limits: Limits = LIMITS) -> None:
    if size > limits.upload_bytes:
        raise TooLarge("upload_too_large", size_mb=round(size / 2**20, 1), limit_mb=limits.upload_bytes // 2**20)


def read_capped(path: str | os.PathLike, limits: Limits = LIMITS) -> bytes:
    """A file's bytes, refusing one larger than the upload limit without reading more than that (so a
    path like /dev/zero ends at the limit instead of at the end of memory)."""
    with open(path, "rb") as fh:
        data = fh.read(limits.upload_bytes + 1)
    check_size(len(data), limits)
    return data


def inspect_xlsx(raw: bytes, limits: Limits = LIMITS) -> None:
    """Refuse a workbook whose parts, written cells or shared strings are past the limits; return when
    the reader may open it. Every part is inflated as a stream with a ceiling, never whole."""
    check_size(len(raw), limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TooLarge("not_a_workbook", detail=str(exc)[:80]) from None
    inflated = 0
    for info in archive.infolist():
        name = info.filename
        is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
        ceiling = limits.shared_strings_bytes if name.endswith("sharedStrings.xml") else limits.inflated_bytes
        size = 0
        max_row = max_col = dim_row = dim_col = 0
        tail = b""
        try:
            with archive.open(info) as part:
                while True:
                    chunk = part.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    inflated += len(chunk)
                    if size > ceiling:
                        code = "shared_strings_too_large" if ceiling == limits.shared_strings_bytes else "part_too_large"
                        raise TooLarge(code, limit_mb=ceiling // 2**20)
                    if inflated > limits.inflated_bytes:
                        raise TooLarge("inflated_too_large", limit_mb=limits.inflated_bytes // 2**20)
                    if is_sheet:
                        text = tail + chunk
                        for col, row in _REF.findall(text):
                            max_col, max_row = max(max_col, column_number(col)), max(max_row, int(row))
                        for row in _ROW.findall(text):
                            max_row = max(max_row, int(row))
                        for col, row in _DIM.findall(text):
                            dim_col, dim_row = max(dim_col, column_number(col)), max(dim_row, int(row))
                        tail = text[-256:]  # a reference cut by the chunk's end is read with the next one
                        _check_extent(max(max_row, dim_row), max(max_col, dim_col), limits)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise TooLarge("not_a_workbook", detail=str(exc)[:80]) from None
    if not any(n.startswith("xl/worksheets/") for n in names):
        raise TooLarge("not_a_workbook", detail="no worksheet")


def _check_extent(rows: int, columns: int, limits: Limits) -> None:
    if columns > limits.columns:
        raise TooLarge("too_many_columns", columns=columns, limit=limits.columns)
    if rows > limits.rows:
        raise TooLarge("too_many_rows", rows=rows, limit=limits.rows)
    if rows * columns > limits.cells:
        raise TooLarge("too_many_cells", cells=rows * columns, limit=limits.cells)
