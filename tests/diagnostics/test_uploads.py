"""Hostile workbooks and files, built here and small on disk, refused before the XLSX reader sees them.

A cell at XFD1048576 made the reader abort the whole process (SIGABRT): if the inspection let such a
file through, this test process itself would die — so these tests fail loudly, never silently."""

from __future__ import annotations

import io
import sys
import time
import tracemalloc
import zipfile

import pytest

from policy_engine.bench import workbook
from policy_engine.bench import zip_parts as raw_workbook
from policy_engine.diagnostics import uploads
from policy_engine.diagnostics.register import RegisterError, inspect_register, read_register

SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{}</sheetData></worksheet>'
)


def workbook_with(cell: str) -> bytes:
    return workbook([(cell, 1)])


@pytest.mark.parametrize(
    "cell, code",
    [("XFD1048576", "too_many_columns"), ("ZZ100000", "too_many_columns"), ("IV1048576", "too_many_cells")],
)
def test_a_far_cell_is_refused_before_the_reader_allocates(catalogue, cell, code):
    raw = workbook_with(cell)
    assert len(raw) < 10_000
    for call in (lambda: read_register(raw, catalogue, name="r.xlsx"), lambda: inspect_register(raw, "r.xlsx")):
        with pytest.raises(RegisterError) as refused:
            call()
        assert refused.value.code == code
    assert "столб" in refused.value.describe("ru") or "ячеек" in refused.value.describe("ru")


def test_rows_past_the_limit_are_refused_from_the_sheets_own_references(catalogue):
    raw = raw_workbook(
        {
            "xl/worksheets/sheet1.xml": SHEET.format(
                '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
                '<row r="16200000"><c r="A16200000"><v>1</v></c></row>'
            ).encode()
        }
    )
    with pytest.raises(RegisterError) as refused:
        read_register(raw, catalogue, name="r.xlsx")
    assert refused.value.code == "too_many_rows"
    assert "16200000" in refused.value.describe("kk")


def test_a_huge_shared_string_is_refused_within_two_seconds_and_little_memory(catalogue):
    big = uploads.LIMITS.shared_strings_bytes // (1 << 20) + 8  # MB, just past the limit
    raw = raw_workbook(
        {
            "xl/worksheets/sheet1.xml": SHEET.format('<row r="1"><c r="A1" t="s"><v>0</v></c></row>').encode(),
            "xl/sharedStrings.xml": (b"a" * (1 << 20), big),
        }
    )
    assert len(raw) < 1_000_000  # small on disk
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(RegisterError) as refused:
        read_register(raw, catalogue, name="r.xlsx")
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert refused.value.code == "shared_strings_too_large"
    assert seconds < 2 and peak < 50 * 2**20


def test_every_part_and_the_whole_inflate_under_their_ceilings():
    small = uploads.Limits(inflated_bytes=3 * 2**20, shared_strings_bytes=2**20)
    sheet = SHEET.format('<row r="1"><c r="A1"><v>1</v></c></row>').encode()
    one_big = raw_workbook({"xl/worksheets/sheet1.xml": sheet, "xl/media/x.bin": (b"\0" * 2**20, 4)})
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.inspect_xlsx(one_big, small)
    assert refused.value.code in ("part_too_large", "inflated_too_large")
    many = raw_workbook(
        {"xl/worksheets/sheet1.xml": sheet, **{f"xl/media/{i}.bin": (b"\0" * 2**19, 3) for i in range(3)}}
    )
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.inspect_xlsx(many, small)
    assert refused.value.code == "inflated_too_large"
    uploads.inspect_xlsx(raw_workbook({"xl/worksheets/sheet1.xml": sheet}), small)  # a fine one passes


def test_not_a_zip_and_no_sheet_are_refused_as_not_a_workbook():
    for raw in (b"PK\x03\x04 broken", raw_workbook({"docProps/app.xml": b"<x/>"})):
        with pytest.raises(uploads.TooLarge) as refused:
            uploads.inspect_xlsx(raw)
        assert refused.value.code == "not_a_workbook"


def test_a_reference_cut_by_a_chunk_boundary_is_still_read():
    """The sheet is read in 1 MiB chunks; a cell reference split across two chunks must count."""
    pad = b"<row/>" * ((1 << 20) // 6)
    text = SHEET.format("").encode()
    head, tail = text.split(b"<sheetData>")
    sheet = head + b"<sheetData>" + pad[: (1 << 20) - len(head) - 11 - 3] + b'<c r="XFD7"><v>1</v></c>' + tail
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.inspect_xlsx(raw_workbook({"xl/worksheets/sheet1.xml": sheet}))
    assert refused.value.code == "too_many_columns"


def test_a_path_that_never_ends_is_read_only_up_to_the_limit(catalogue):
    small = uploads.Limits(upload_bytes=2**20)
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.read_capped("/dev/zero", small)
    assert refused.value.code == "upload_too_large"
    with pytest.raises(RegisterError) as refused:
        read_register("/dev/zero", catalogue)
    assert refused.value.code == "upload_too_large"


@pytest.mark.parametrize("letters, number", [(b"A", 1), (b"Z", 26), (b"AA", 27), (b"ZZ", 702), (b"XFD", 16384)])
def test_column_letters(letters, number):
    assert uploads.column_number(letters) == number


# --- the reader's own process ----------------------------------------------------------------------
# The inspection above is the first wall; the reader running in a child process under a memory
# ceiling is the second. With the inspection switched off, the workbook that aborted the server
# (XLSX reader asking for 512 GiB) reaches the reader: the child dies, this process goes on.


def test_a_reader_abort_kills_only_its_own_process(catalogue, monkeypatch):
    monkeypatch.setattr(uploads, "inspect_xlsx", lambda raw, limits=None: None)
    raw = workbook_with("XFD1048576")
    start = time.perf_counter()
    with pytest.raises(RegisterError) as refused:
        read_register(raw, catalogue, name="r.xlsx")
    assert refused.value.code == "reader_failed"
    assert time.perf_counter() - start < 10
    assert "МБ" in refused.value.describe("ru")


def test_a_reader_past_its_time_is_stopped(monkeypatch):
    import dataclasses

    limits = dataclasses.replace(uploads.LIMITS, reader_seconds=1)
    slow = [sys.executable, "-c", "import time; time.sleep(30)"]
    real_run = uploads.subprocess.run
    monkeypatch.setattr(uploads.subprocess, "run", lambda command, **kw: real_run(slow, **kw))
    start = time.perf_counter()
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.read_sheet(workbook_with("A2"), limits=limits)
    assert refused.value.code == "reader_timeout"
    assert time.perf_counter() - start < 5


def test_a_broken_workbook_is_refused_with_the_readers_reason(catalogue):
    good = workbook_with("A2")
    archive = zipfile.ZipFile(io.BytesIO(good))
    parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/workbook.xml"] = b"<not xml"
    with pytest.raises(RegisterError) as refused:
        read_register(raw_workbook(parts), catalogue, name="r.xlsx")
    assert refused.value.code == "bad_workbook"


def test_the_reader_returns_the_sheet_row_for_row():
    df = uploads.read_sheet(workbook_with("B5"))
    assert df.height == 5 and df.row(0)[:3] == ("Код ОКВЭД", "Район", "Численность")
    assert df.row(4)[1] == "1"


def test_the_readers_memory_ceiling_refuses_what_the_inspection_let_through(catalogue, monkeypatch):
    """With the inspection off, a cell at ZZ100000 made the reader's child take 2.47 GB and 19 s; under
    its ceiling (here 512 MB) the child ends at the ceiling and the file is refused naming it."""
    import dataclasses

    monkeypatch.setattr(uploads, "inspect_xlsx", lambda raw, limits=None: None)
    limits = dataclasses.replace(uploads.LIMITS, reader_memory_bytes=512 * 2**20)
    start = time.perf_counter()
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.read_sheet(workbook_with("ZZ100000"), limits=limits)
    assert refused.value.code == "reader_failed" and refused.value.values["limit_mb"] == 512
    assert time.perf_counter() - start < 10


def rows_without_numbers(rows: int, cells_per_row: int = 1) -> bytes:
    """A sheet whose rows and cells carry no `r` attribute, as some writers make them: nothing to read
    their number from, so only counting the elements tells how large it is."""
    row = "<row>" + "<c><v>1</v></c>" * cells_per_row + "</row>"
    return raw_workbook({"xl/worksheets/sheet1.xml": SHEET.format(row * rows).encode()})


@pytest.mark.parametrize(
    "rows, per_row, limit, code",
    [(1001, 1, {"rows": 1000}, "too_many_rows"), (10, 101, {"cells": 1000}, "too_many_cells")],
)
def test_rows_and_cells_without_numbers_are_counted(rows, per_row, limit, code):
    import dataclasses

    limits = dataclasses.replace(uploads.LIMITS, **limit)
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.inspect_xlsx(rows_without_numbers(rows, per_row), limits)
    assert refused.value.code == code
    uploads.inspect_xlsx(rows_without_numbers(rows - 1 if code == "too_many_rows" else rows, per_row - 1), limits)


def test_the_declared_dimension_counts_too():
    import dataclasses

    limits = dataclasses.replace(uploads.LIMITS, rows=1000)
    declared = SHEET.replace("<sheetData>", '<dimension ref="A1:B5000"/><sheetData>').format(
        '<row r="1"><c r="A1"><v>1</v></c></row>'
    )
    with pytest.raises(uploads.TooLarge) as refused:
        uploads.inspect_xlsx(raw_workbook({"xl/worksheets/sheet1.xml": declared.encode()}), limits)
    assert refused.value.code == "too_many_rows" and refused.value.values["rows"] == 5000
