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
import json
import logging
import os
import re
import signal
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


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
    # The XLSX reader's own process (policy_engine/diagnostics/xlsx_worker.py): its address-space ceiling and time.
    # A legitimate 1,000,000-row, 4-column workbook peaked at 461 MB resident (measured 2026-12-02).
    reader_memory_bytes: int = _env_int("GENIUS_LOCI_READER_MEMORY_MB", 2048) * 1024 * 1024
    reader_seconds: int = _env_int("GENIUS_LOCI_READER_SECONDS", 120)


LIMITS = Limits()


class TooLarge(ValueError):
    """A file past a limit: `code` names the limit, `values` the figures (for the user's message)."""

    def __init__(self, code: str, **values: object):
        self.code, self.values = code, values
        super().__init__(f"{code}: {values}")


_DIM = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\sref="(?:[A-Z]{1,4}[0-9]{1,9}:)?([A-Z]{1,4})([0-9]{1,9})"')
_SHEET_DATA = re.compile(rb"<(?:(\w+):)?sheetData\b")
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
        scan = _SheetScan(limits) if is_sheet else None
        try:
            with archive.open(info) as part:
                while True:
                    chunk = part.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    inflated += len(chunk)
                    if size > ceiling:
                        code = (
                            "shared_strings_too_large" if ceiling == limits.shared_strings_bytes else "part_too_large"
                        )
                        raise TooLarge(code, limit_mb=ceiling // 2**20)
                    if inflated > limits.inflated_bytes:
                        raise TooLarge("inflated_too_large", limit_mb=limits.inflated_bytes // 2**20)
                    if scan is not None:
                        scan.feed(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            raise TooLarge("not_a_workbook", detail=str(exc)[:80]) from None
    if not any(n.startswith("xl/worksheets/") for n in names):
        raise TooLarge("not_a_workbook", detail="no worksheet")


def column_letters(n: int) -> bytes:
    """The inverse of `column_number`: 256 -> b"IV"."""
    out = b""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = bytes([65 + rem]) + out
    return out


class _SheetScan:
    """What a sheet's XML says about its size, read chunk by chunk at the speed of `bytes.count`.

    A sheet is refused when it writes more rows or cells than the limits (counted as elements, so
    rows without an `r` attribute count too), or references a cell past them: a reference is parsed
    only when it is long enough to be past a limit (a regex built from the limits), so an ordinary
    sheet costs a few scans of its bytes, and a far cell anywhere is still found. The cells check
    multiplies the rows by the widest column known (the candidates and the declared dimension). What
    the XML does not say (short references far apart in a sheet with no dimension) is left to the
    reader's own memory ceiling (`read_sheet`)."""

    def __init__(self, limits: Limits):
        self.limits = limits
        row_digits = len(str(limits.rows))
        col_letters = max(1, len(column_letters(limits.columns)))
        # starts with a literal, so the regex engine skips ahead by memchr; an attribute that merely
        # ends in r (none in sheet XML) would at worst be read as a reference and refuse the file
        self.far = re.compile(
            rb'r="(?:([A-Z]{%d,4})([0-9]{1,9})|([A-Z]{0,4})([0-9]{%d,9}))"' % (col_letters, row_digits)
        )
        self.rows = self.cells = self.max_row = self.max_col = 0
        self.tail = b""
        self.needles: tuple[tuple[bytes, ...], tuple[bytes, ...]] | None = None  # (row tags, cell tags)

    def feed(self, chunk: bytes) -> None:
        text = self.tail + chunk
        if self.needles is None:  # before the cells: the declared dimension, and the namespace prefix if any
            for col, row in _DIM.findall(text):
                self.max_col, self.max_row = max(self.max_col, column_number(col)), max(self.max_row, int(row))
            data = _SHEET_DATA.search(text)
            if data:
                p = data.group(1) or b""
                self.needles = ((b"<" + p + b"row",), (b"<" + p + b"c ", b"<" + p + b"c>"))
                text = text[data.start() :]
        if self.needles is not None:
            edge = text[-len(chunk) - 4 :]  # no tag fits in 4 bytes: each is counted once, in the chunk it ends in
            self.rows += _count(edge, self.needles[0])
            self.cells += _count(edge, self.needles[1])
        for a_col, a_row, b_col, b_row in self.far.findall(text):
            col, row = (a_col, a_row) if a_col else (b_col, b_row)
            self.max_col, self.max_row = max(self.max_col, column_number(col)), max(self.max_row, int(row))
        self.tail = text[-256:]  # a reference cut by the chunk's end is read with the next one
        _check_extent(max(self.rows, self.max_row), self.max_col, self.limits)
        if self.cells > self.limits.cells:
            raise TooLarge("too_many_cells", cells=self.cells, limit=self.limits.cells)


def _count(text: bytes, needles: tuple[bytes, ...]) -> int:
    return sum(text.count(n) for n in needles)


def _check_extent(rows: int, columns: int, limits: Limits) -> None:
    if columns > limits.columns:
        raise TooLarge("too_many_columns", columns=columns, limit=limits.columns)
    if rows > limits.rows:
        raise TooLarge("too_many_rows", rows=rows, limit=limits.rows)
    if rows * columns > limits.cells:
        raise TooLarge("too_many_cells", cells=rows * columns, limit=limits.cells)


def read_sheet(raw: bytes, n_rows: int | None = None, limits: Limits = LIMITS):
    """A workbook's first sheet as a text DataFrame, read in a child process under the reader limits
    (policy_engine/diagnostics/xlsx_worker.py). Whatever the reader does — abort, run out of its memory, hang —
    this process goes on and the file is refused with the limit named."""
    import polars as pl

    inspect_xlsx(raw, limits)
    memory_mb = limits.reader_memory_bytes // 2**20
    command = [
        sys.executable,
        "-m",
        "policy_engine.diagnostics.xlsx_worker",
        "-" if n_rows is None else str(n_rows),
        str(memory_mb),
    ]
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    try:
        done = subprocess.run(command, input=raw, capture_output=True, timeout=limits.reader_seconds, env=env)
    except subprocess.TimeoutExpired:
        log.warning("XLSX reader stopped after %s s", limits.reader_seconds)
        raise TooLarge("reader_timeout", seconds=limits.reader_seconds) from None
    if done.returncode == 0:
        return pl.read_ipc(io.BytesIO(done.stdout))
    if done.returncode == 2:
        try:
            detail = json.loads(done.stderr.decode("utf-8", "replace").strip().splitlines()[-1])["detail"]
        except (ValueError, KeyError, IndexError):
            detail = "?"
        raise TooLarge("bad_workbook", detail=detail[:80])
    # 3: MemoryError in Python; a negative code: killed by a signal (SIGABRT from Rust's allocator,
    # SIGSEGV, SIGKILL from the kernel's OOM killer). All mean: past what the reader may use.
    name = signal.Signals(-done.returncode).name if done.returncode < 0 else f"exit {done.returncode}"
    log.warning("XLSX reader failed (%s); stderr: %s", name, done.stderr[-500:].decode("utf-8", "replace"))
    raise TooLarge("reader_failed", limit_mb=memory_mb, reason=name)
