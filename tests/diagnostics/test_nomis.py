"""NOMIS CSVs (UK Business Counts and BRES) built with the NOMIS API's column blocks, with hand-worked sums."""

from __future__ import annotations

import math

import pytest

from policy_engine.diagnostics.register import RegisterError
from policy_engine.diagnostics.registers import detect, read_registers
from policy_engine.method.catalogue import default_catalogue
from tests.diagnostics.registers.fixtures import nomis_csv

CAT = default_catalogue()
HARTLEPOOL = ("Hartlepool", "E06000001")
FILM = "5911 : Motion picture, video and television programme activities"
SHOPS = "4711 : Retail sale in non-specialised stores with food, beverages or tobacco predominating"
COUNTS = ["INDUSTRY", "EMPLOYMENT_SIZEBAND", "LEGAL_STATUS"]


def unit(industry: str, band: str, value: str, **extra) -> dict:
    row = dict(GEOGRAPHY=HARTLEPOOL, INDUSTRY=industry, EMPLOYMENT_SIZEBAND=band, LEGAL_STATUS="Total", OBS_VALUE=value)
    return {**row, **extra}


def test_business_counts_give_units_the_ranges_of_their_bands_and_skip_totals():
    rows = [
        unit(FILM, "0 to 4", "10"),
        unit(FILM, "5 to 9", "5"),
        unit(FILM, "Total", "15"),  # the same units again
        unit(FILM, "Micro (0 to 9)", "15"),  # an aggregate band: again
        unit("59 : Motion picture, video and television programme production", "0 to 4", "10"),  # coarser level
        unit(SHOPS, "10 to 19", "20"),
        unit(FILM, "0 to 4", "1", LEGAL_STATUS="Private sector total"),
    ]
    data = nomis_csv(COUNTS, rows)
    assert detect(data) == "nomis_counts"
    result = read_registers([("ubc.csv", data)], CAT)
    cells = {c.industry: c for c in result.cells}
    film = cells["cinema"]
    assert film.firms == 15 and film.code == "E06000001" and film.municipality == "Hartlepool"
    assert (film.employees_low, film.employees_high) == (10 * 0 + 5 * 5, 10 * 4 + 5 * 9)
    assert film.employees == pytest.approx(10 * math.sqrt(1 * 4) + 5 * math.sqrt(5 * 9))
    assert cells["non_creative"].firms == 20
    assert result.rejected_by_reason == {"nomis_total": 3, "nomis_coarser": 1}
    assert result.rows_used == 3


def test_bres_employment_counts_are_exact_and_percentages_are_not_data():
    dims = ["INDUSTRY", "EMPLOYMENT_STATUS", "MEASURE"]
    rows = [
        dict(GEOGRAPHY=HARTLEPOOL, INDUSTRY=FILM, EMPLOYMENT_STATUS="Employment", MEASURE="Count", OBS_VALUE="75"),
        dict(GEOGRAPHY=HARTLEPOOL, INDUSTRY=FILM, EMPLOYMENT_STATUS="Employees", MEASURE="Count", OBS_VALUE="70"),
        dict(
            GEOGRAPHY=HARTLEPOOL,
            INDUSTRY=FILM,
            EMPLOYMENT_STATUS="Employment",
            MEASURE="Industry percent",
            OBS_VALUE="0.2",
        ),
        dict(GEOGRAPHY=HARTLEPOOL, INDUSTRY=SHOPS, EMPLOYMENT_STATUS="Employment", MEASURE="Count", OBS_VALUE=""),
    ]
    data = nomis_csv(dims, rows)
    assert detect(data) == "nomis_bres"
    result = read_registers([("bres.csv", data)], CAT)
    assert [(c.industry, c.employees, c.employees_low) for c in result.cells] == [("cinema", 75.0, None)]
    assert result.rejected_by_reason == {"nomis_not_count": 1, "nomis_other_status": 1, "nomis_suppressed": 1}


def test_of_several_dates_the_latest_is_used_and_said():
    rows = [unit(FILM, "0 to 4", "10", DATE="2024"), unit(FILM, "0 to 4", "12", DATE="2025")]
    result = read_registers([("ubc.csv", nomis_csv(COUNTS, rows))], CAT)
    assert result.cells[0].firms == 12
    assert [w.code for w in result.warnings] == ["nomis_dates", "nomis_bands"]


def test_a_file_of_totals_only_is_refused():
    with pytest.raises(RegisterError) as err:
        read_registers([("ubc.csv", nomis_csv(COUNTS, [unit(FILM, "Total", "15")]))], CAT)
    assert err.value.code == "no_rows_used"


def test_a_file_named_by_path_is_read_the_same_as_its_bytes(tmp_path):
    rows = [unit(FILM, "0 to 4", "10"), unit(SHOPS, "10 to 19", "20"), unit(FILM, "Total", "10")] * 500
    data = nomis_csv(COUNTS, rows)
    path = tmp_path / "ubc.csv"
    path.write_bytes(data)
    by_path = read_registers([(str(path), path)], CAT)
    assert by_path.model_dump() == read_registers([("ubc.csv", data)], CAT).model_dump()
    assert by_path.rows_total == 1500 and by_path.rejected_by_reason == {"nomis_total": 500}
    assert {c.industry: c.firms for c in by_path.cells} == {"cinema": 5000, "non_creative": 10000}
