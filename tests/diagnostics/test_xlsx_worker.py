"""The XLSX reader's own process (policy_engine/diagnostics/xlsx_worker.py), run as the app runs it:
`python -m policy_engine.diagnostics.xlsx_worker N_ROWS MEMORY_MB` with the workbook on stdin.
Exit 0 with the sheet as Arrow IPC on stdout, 2 with one JSON line on stderr for a broken workbook,
and a crash past its memory ceiling that ends only the child."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from policy_engine.bench import workbook
from policy_engine.diagnostics.xlsx_worker import LOSSY_NUMBER, NUMERIC_PREFIX, read_frame

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("Код ОКВЭД", "Район", "Численность")


def worker(raw: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "policy_engine.diagnostics.xlsx_worker", *args],
        input=raw,
        capture_output=True,
        timeout=60,
        cwd=ROOT,
    )


# A code typed as a number (59.2 for 59.20) next to the same code typed as text, a blank row, and a
# code with its leading zero (01.11) as text.
REGISTER = workbook([("A2", 59.2), ("B2", "Риддер"), ("C2", 12), ("A3", "59.2"), ("A5", "01.11"), ("C5", 7)])


def test_a_workbook_comes_back_row_for_row_as_arrow_ipc():
    done = worker(REGISTER, "-", "512")
    assert (done.returncode, done.stderr) == (0, b"")
    df = pl.read_ipc(io.BytesIO(done.stdout))
    assert df.height == 5  # the blank sheet row 4 is kept, so row numbers stay true
    assert df.row(0)[:3] == HEADER
    assert df.row(1)[:3] == ("59.2", "Риддер", "12")  # every cell as text
    assert df.row(3)[:3] == (None, None, None)
    assert df.row(4)[:3] == ("01.11", None, "7")


def test_a_column_whose_numbers_may_have_lost_zeros_says_which_cells_were_numbers():
    df = pl.read_ipc(io.BytesIO(worker(REGISTER, "-", "512").stdout))
    assert df.columns == ["column_0", "column_1", "column_2", f"{NUMERIC_PREFIX}0"]
    assert df[f"{NUMERIC_PREFIX}0"].to_list() == [False, True, False, False, False]  # only the typed number


def test_n_rows_limits_what_is_read():
    done = worker(REGISTER, "2", "512")
    assert done.returncode == 0
    assert pl.read_ipc(io.BytesIO(done.stdout)).height == 2


def test_without_arguments_the_whole_sheet_is_read_with_no_ceiling():
    done = worker(REGISTER)
    assert done.returncode == 0 and pl.read_ipc(io.BytesIO(done.stdout)).height == 5


@pytest.mark.parametrize("raw", [b"not a workbook", b"PK\x03\x04 broken zip", b""])
def test_a_broken_workbook_exits_2_with_one_json_line(raw):
    done = worker(raw, "-", "512")
    assert done.returncode == 2 and done.stdout == b""
    [line] = done.stderr.decode("utf-8").splitlines()
    detail = json.loads(line)["detail"]
    assert detail and len(detail) <= 200


def test_a_reader_past_its_memory_ceiling_ends_only_the_child():
    """The cell at XFD1048576 that made the reader ask for 512 GiB; here its process dies alone
    (MemoryError: exit 3, or an abort by a signal), and writes nothing that could be read as a sheet."""
    done = worker(workbook([("XFD1048576", 1)]), "-", "256")
    assert done.returncode == 3 or done.returncode < 0
    assert done.stdout == b""


@pytest.mark.parametrize(
    "text, lossy",
    [
        ("1.11", True),  # 01.11 as a number
        ("59.2", True),  # 59.20 as a number
        ("59.201", True),
        ("59.11", False),  # two digits after the dot: nothing lost
        ("01.11", False),  # text keeps its zero
        ("59.20", False),
        ("590.2", False),
        ("59", False),
        ("Риддер", False),
    ],
)
def test_which_texts_may_be_numbers_that_lost_a_codes_zeros(text, lossy):
    assert bool(re.search(LOSSY_NUMBER, text)) is lossy


def test_read_frame_without_a_lossy_column_adds_nothing():
    df = read_frame(workbook([("A2", "59.11"), ("C2", 3)]), None)
    assert df.columns == ["column_0", "column_1", "column_2"]
    assert df.row(1) == ("59.11", None, "3")
