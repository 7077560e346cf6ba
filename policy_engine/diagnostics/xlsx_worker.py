"""The XLSX reader in a process of its own, under a memory ceiling.

The workbook is inspected before it gets here (`uploads.inspect_xlsx`), but the reader (calamine,
Rust) is still code that can abort: an allocation it cannot make ends the process with SIGABRT,
which no `except` catches. In the app's process that is every user's session; here it is one child.
`read_sheet` runs

    python -m policy_engine.diagnostics.xlsx_worker N_ROWS MEMORY_MB

with the workbook on stdin. The child limits its own memory first (RLIMIT_DATA: what it allocates
and writes; not RLIMIT_AS, which also counts the address space polars' allocator reserves and never
touches, and failed one small read in ten at 2 GB), imports polars, reads the first sheet as text (with which cells of some columns are numbers, `read_frame`)
and writes it to stdout as Arrow IPC. A broken workbook is reported on stderr as one JSON line and
exit code 2; a crash, a memory ceiling hit or a timeout shows in the parent as a refusal with the
limit named (`uploads.TooLarge`, codes `reader_failed` and `reader_timeout`).

This module imports nothing from the package at its top, so the child starts in about 0.2 s.
"""

from __future__ import annotations

import io
import json
import sys

# The text a number's cell shows when it may have dropped a classification code's zeros: one digit
# before the dot (1.11 for 01.11), or other than two after it (59.2 for 59.20). A column with such a
# text is read a second time for which of its cells are numbers (policy_engine/diagnostics/register.py).
LOSSY_NUMBER = r"^[0-9]\.[0-9]+$|^[0-9]{2}\.([0-9]|[0-9]{3,})$"
NUMERIC_PREFIX = "numeric:"


def read_frame(raw: bytes, n_rows: int | None):
    """The first sheet as text, row i being sheet row i + 1 (empty rows kept, so lines stay true).

    Text loses what a cell was: a number 59.2 and a text "59.2" read the same. For each column where
    a number's text may have lost a code's zeros (`LOSSY_NUMBER`), a Boolean column
    "numeric:<index>" is appended, true where the cell holds a number. Those columns are found by a
    second read of the sheet (as booleans, which only a number or a boolean cell gives), only when
    some column needs it.
    """
    import polars as pl

    options: dict = {"skip_rows": 0}
    if n_rows is not None:
        options["n_rows"] = n_rows
    df = pl.read_excel(
        io.BytesIO(raw),
        engine="calamine",
        has_header=False,
        infer_schema_length=0,
        drop_empty_rows=False,
        drop_empty_cols=False,
        read_options=options,
    )
    lossy = [i for i, name in enumerate(df.columns) if df[name].str.contains(LOSSY_NUMBER).any()]
    if not lossy:
        return df
    import fastexcel

    sheet = fastexcel.read_excel(raw).load_sheet(0, header_row=None, skip_rows=0, n_rows=n_rows, dtypes="boolean")
    kinds = pl.DataFrame(sheet.to_arrow())
    if kinds.shape != df.shape:  # not the same cells: say nothing rather than something wrong
        return df
    return df.with_columns([kinds.to_series(i).is_not_null().alias(f"{NUMERIC_PREFIX}{i}") for i in lossy])


def main(argv: list[str]) -> int:
    import resource

    n_rows = int(argv[0]) if argv and argv[0] != "-" else None
    memory = int(argv[1]) * 2**20 if len(argv) > 1 else None
    if memory:
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    raw = sys.stdin.buffer.read()
    try:
        df = read_frame(raw, n_rows)
    except MemoryError:
        return 3
    except Exception as exc:  # fastexcel raises its own types for broken workbooks
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        sys.stderr.write(json.dumps({"detail": detail[:200]}) + "\n")
        return 2
    df.write_ipc(sys.stdout.buffer)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
