"""The benchmarks' generators and result (policy_engine/bench.py): the synthetic register is made as
officials' files come and with exactly the bad rows it reports; our import and the pandas baseline
agree on it; each hostile upload is small on disk and huge where it counts; a tiny register run
reports what the README's table reads."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from policy_engine import bench


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "register.csv"
    bad = bench.make_register(2500, path, seed=7, bad_every=500)
    return path, bad


def test_the_register_has_the_rows_asked_for_and_says_how_many_are_bad(register):
    path, bad = register
    assert bad == 5  # every 500th of 2500
    lines = path.read_bytes().decode("cp1251").split("\r\n")
    assert lines[-1] == "" and len(lines) == 2500 + 2  # a header, the rows, a closing line break
    assert lines[0] == "ОКВЭД;Муниципальное образование;Численность работников, чел.;Выручка, тыс. тенге"
    assert all(line.count(";") == 3 for line in lines[1:-1])


def test_the_register_is_written_as_officials_files_come(register):
    path, _ = register
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # Windows-1251, not UTF-8
    text = raw.decode("cp1251")
    assert "\u00a0" in text  # thousands spaced with no-break spaces…
    employees = [line.split(";")[2] for line in text.split("\r\n")[1:-1]]
    assert any("," in e for e in employees)  # …and decimal commas


def test_the_same_seed_gives_the_same_file_and_no_bad_rows_when_asked(tmp_path):
    a, b, c = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    assert bench.make_register(300, a, seed=1) == bench.make_register(300, b, seed=1) == 0  # fewer than 1000
    assert a.read_bytes() == b.read_bytes()
    bench.make_register(300, c, seed=2)
    assert c.read_bytes() != a.read_bytes()
    assert bench.make_register(300, c, bad_every=0) == 0


def test_ours_and_the_pandas_baseline_agree_and_reject_exactly_the_bad_rows(register):
    path, bad = register
    rows_used, cells = bench.ours(path)
    assert rows_used == 2500 - bad
    assert cells > 0
    assert bench.pandas_baseline(path) == (rows_used, cells)


def test_a_tiny_register_run_reports_the_agreed_keys():
    result = bench.bench_register(2000, runs=1)  # two fresh processes: a few seconds
    assert result["name"] == "register" and (result["rows"], result["runs"]) == (2000, 1)
    assert result["rows_used"] == 2000 - 2  # make_register spoils every 1000th row
    assert result["median_s"] > 0 and result["baseline_median_s"] > 0
    assert result["ratio"] == pytest.approx(result["baseline_median_s"] / result["median_s"], rel=0.02)
    assert result["peak_mb"] > 0 and result["baseline_peak_mb"] > 0


def inflated(raw: bytes) -> int:
    """What a ZIP says its parts inflate to (the reader's problem, not the disk's)."""
    return sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(raw)).infolist())


def test_each_hostile_upload_is_small_on_disk_and_huge_where_it_counts():
    cases = bench.hostile_uploads()
    names = [name for name, _, _ in cases]
    assert len(set(names)) == len(names) == 7 and all(what for _, what, _ in cases)
    by_name = {name: raw for name, _, raw in cases}
    assert by_name.pop("/dev/zero") is None  # a path, for the command line
    assert by_name.pop("1,000,000 bad rows (CSV)")[:2] != b"PK"  # a CSV, read (test_the_bad_rows_csv_…)
    for name, raw in by_name.items():
        assert raw[:2] == b"PK" and len(raw) < 2 * 2**20, name  # a ZIP of under 2 MB
    for name in ("1 GiB shared string", "1 GiB sheet part"):
        assert inflated(by_name[name]) >= 2**30, name
    assert inflated(by_name["16.2 M rows"]) >= 16_200_000 * len(b"<row><c><v>1</v></c></row>")
    for name, ref in (("far cell XFD1048576", "XFD1048576"), ("far cell ZZ100000", "ZZ100000")):
        sheet = zipfile.ZipFile(io.BytesIO(by_name[name])).read("xl/worksheets/sheet1.xml").decode()
        assert f'r="{ref}"' in sheet, name


def test_the_bad_rows_csv_is_a_million_rows_each_rejected_and_counted_by_reason():
    from policy_engine.diagnostics.register import REJECTED_KEPT, read_register
    from policy_engine.method.catalogue import default_catalogue

    raw = bench.bad_rows_csv()
    assert raw.count(b"\n") == 1_000_001 and len(raw) < 100 * 2**20  # a header and the rows; under the upload limit
    result = read_register(raw, default_catalogue(), name="upload.csv")
    assert (result.rows_total, result.rows_used, result.rejected_count) == (1_000_000, 0, 1_000_000)
    reasons = ("empty_code", "nan_employees", "empty_municipality", "bad_code")  # by turns
    assert result.rejected_by_reason == dict.fromkeys(reasons, 250_000)
    assert len(result.rejected) == REJECTED_KEPT


def test_zip_parts_streams_a_repeated_chunk():
    raw = bench.zip_parts({"a.xml": b"<a/>", "big.bin": (b"x" * 1024, 4096)})
    archive = zipfile.ZipFile(io.BytesIO(raw))
    assert archive.read("a.xml") == b"<a/>"
    assert archive.getinfo("big.bin").file_size == 4 * 2**20 and len(raw) < 64 * 1024


def test_workbook_has_a_header_the_rows_and_the_cells_asked_for():
    sheet = load_workbook(io.BytesIO(bench.workbook([("E7", "x"), ("A1", "Код")], rows=3))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Код", "Район", "Численность")  # a cell may overwrite the header
    assert all(isinstance(r[2], int) and r[1] in bench.MUNICIPALITIES for r in rows[1:4])
    assert sheet["E7"].value == "x" and sheet.max_row == 7


def test_a_small_workshop_run_stores_every_ballot_once_with_its_change(monkeypatch):
    """Four phones against the real server (server.py on a fresh SQLite file), at a quick room pace and in
    a burst: the keys the issue names, and every ballot stored once with its changed value."""
    monkeypatch.setattr(bench, "THINK_S", (0.05, 0.2))
    row = bench.bench_workshop(4)
    for key in ("participants", "ballots_expected", "ballots_stored", "p50_ms", "p95_ms", "board_refresh_ms"):
        assert key in row
    assert row["database"] == "sqlite" and row["participants"] == row["ballots_expected"] == 4
    assert (
        row["ballots_stored"] == row["ballots_exact"] == row["burst_ballots_stored"] == row["burst_ballots_exact"] == 4
    )
    assert row["failures"] == row["burst_failures"] == 0
    assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"]


@pytest.fixture(scope="module")
def fns_files(tmp_path_factory):
    return bench.make_fns(4000, tmp_path_factory.mktemp("fns"), seed=11)


def test_the_fns_register_comes_in_members_of_at_most_900_documents_as_fns_ships_it(fns_files):
    made = fns_files
    assert made["documents"] == 4000 and made["sme_members"] == 5  # 4 × 900 + 400
    for path, kind, docs in ((made["sme"], "РЕЕСТРМСП", 4000), (made["headcount"], "ОТКРДАННЫЕ3", None)):
        archive = zipfile.ZipFile(path)
        counts = []
        for info in archive.infolist():
            data = archive.read(info)
            assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?><') and data.count(b"\n") == 0  # one line
            assert f'ТипИнф="{kind}"'.encode() in data[:400]
            counts.append(data.count("<Документ ".encode()))
        assert max(counts) <= 900 and sum(counts) == (docs or made["headcount_documents"])
    sizes = sum(i.file_size for i in zipfile.ZipFile(made["sme"]).infolist()) / 4000
    assert 800 < sizes < 1600  # ~1 KB a document
    # about a quarter organisations, 3% of documents in the region, 90% of its organisations with a head count
    assert 800 < made["organisations"] < 1200 and 60 < made["region_documents"] < 200
    assert 0 < made["region_headcounts"] <= made["region_organisations"]


def test_the_same_seed_gives_the_same_fns_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    made_a, made_b = bench.make_fns(1000, a, seed=3), bench.make_fns(1000, b, seed=3)
    assert made_a["sme"].read_bytes() == made_b["sme"].read_bytes()
    assert made_a["headcount"].read_bytes() == made_b["headcount"].read_bytes()


def test_ours_reads_the_generated_region_and_the_lxml_loop_agrees(fns_files):
    made = fns_files
    out = bench.fns_ours(made["sme"], made["headcount"])
    assert out[0].rows_total == made["region_documents"]
    mine = bench._fns_ours_summary(out)
    base = bench.fns_baseline(made["sme"], made["headcount"])
    assert base["region_documents"] == made["region_documents"]
    assert mine["with_headcount"] == base["with_headcount"] == made["region_headcounts"]
    assert bench.fns_agree(mine, base, made) == []
    assert len(mine["cells"]) > 10 and mine["lq_cells"] > 0


def test_the_agreement_check_names_a_disagreement(fns_files):
    made = fns_files
    base = bench.fns_baseline(made["sme"], made["headcount"])
    m, i, firms, employees = base["cells"][0]
    off = {**base, "cells": [[m, i, firms + 1, employees], *base["cells"][1:]]}
    problems = bench.fns_agree(base, off, made)
    assert len(problems) == 1 and m in problems[0]


def test_bench_fns_small_run_from_the_command_line_reports_the_agreed_keys():
    import json
    import subprocess
    import sys
    from pathlib import Path

    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "policy_engine",
            "bench",
            "fns",
            "--documents",
            "3000",
            "--runs",
            "1",
            "--format",
            "json",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    keys = """name documents runs median_s docs_per_s baseline_median_s baseline_docs_per_s ratio peak_mb
    baseline_peak_mb region_documents sme_zip_mb headcount_zip_mb""".split()
    assert set(keys) <= out.keys()
    assert (out["name"], out["documents"], out["runs"]) == ("fns", 3000, 1)
    assert out["region_documents"] > 0 and out["peak_mb"] > 0 and out["baseline_peak_mb"] > 0
    assert out["ratio"] == pytest.approx(out["baseline_median_s"] / out["median_s"], rel=0.05)
    assert out["docs_per_s"] == pytest.approx(3000 / out["median_s"], rel=0.05)
