"""Kazakhstan's statistical business register, in a workbook built on its published structure (a title row,
22 columns, OKED of five digits, КРП size codes, 9-digit КАТО), inside the ZIP stat.gov.kz sends."""

from __future__ import annotations

import math

import pytest

from policy_engine.diagnostics.register import RegisterError
from policy_engine.diagnostics.registers import detect, plan, read_registers
from policy_engine.method.catalogue import default_catalogue
from tests.diagnostics.registers.fixtures import KzFirm, kz_workbook, kz_zip

CAT = default_catalogue()
ZAISAN = "634800000"  # a district of East Kazakhstan (oblast 63) in KATO form AABB00000


def firms() -> list[KzFirm]:
    return [
        KzFirm("150340000001", "90011", "105", "634830100", "с. Улкен Нарын"),  # a village of the district
        KzFirm("150340000002", "90012", "110", "634835200", "с. Кенсай"),  # another village of it
        KzFirm("150340000003", "47111", "160", "634800000", "г. Зайсан"),  # the district town itself
        KzFirm("150340000004", "62011", "311", "631010000", "г. Усть-Каменогорск"),  # over 1000: open band
    ]


def test_the_zip_and_the_workbook_inside_it_are_recognised_by_content():
    book = kz_workbook(firms())
    assert detect(book) == "kz_stat" and detect(kz_zip(book)) == "kz_stat"
    assert plan([("sbr.zip", kz_zip(book))]).format == "kz_stat"


def test_settlements_roll_up_to_their_district_with_band_ranges():
    result = read_registers([("sbr.zip", kz_zip(kz_workbook(firms())))], CAT)
    cells = {(c.code, c.industry): c for c in result.cells}
    perf = cells[(ZAISAN, "performing_arts")]  # two villages, one district: 90.01 (OKED 90011, 90012 -> 90.01)
    assert perf.firms == 2
    assert (perf.employees_low, perf.employees_high) == (0 + 6, 5 + 10)
    assert perf.employees == pytest.approx(math.sqrt(1 * 5) + math.sqrt(6 * 10))
    assert "с. Улкен Нарын" in perf.municipality  # shown by its settlements until the table names it
    town = cells[(ZAISAN, "non_creative")]
    assert (town.employees_low, town.employees_high) == (51, 100)
    big = cells[("631000000", "software")]  # 311: over 1000, its ceiling twice its floor (seeds)
    assert (big.employees_low, big.employees_high) == (1001, 2002)
    assert result.format == "kz_stat" and result.header_line == 2 and result.rows_used == 4


def test_a_one_firm_village_is_not_a_municipality_of_its_own():
    result = read_registers([("sbr.zip", kz_zip(kz_workbook(firms())))], CAT)
    assert {c.code for c in result.cells} == {ZAISAN, "631000000"}


def test_bad_rows_are_rejected_with_their_sheet_row_and_reasons():
    bad = [KzFirm("1", "9001x", "999", "6348", "?"), KzFirm("2", "", "105", "634830100", "с. Улкен Нарын")]
    result = read_registers([("sbr.xlsx", kz_workbook(firms() + bad))], CAT)
    assert result.rejected_count == 2
    first, second = result.rejected
    assert first.line == 7 and second.line == 8  # title row 1, header row 2, data from row 3
    assert [k for k, _ in first.problems] == ["bad_code", "bad_band", "bad_kato"]
    assert [k for k, _ in second.problems] == ["empty_code"]
    assert "КАТО" in first.describe("ru")


def test_a_register_with_no_usable_row_is_refused():
    with pytest.raises(RegisterError) as err:
        read_registers([("sbr.xlsx", kz_workbook([KzFirm("1", "x", "999", "1", "?")]))], CAT)
    assert err.value.code == "no_rows_used"


def test_a_broken_or_oversized_workbook_is_refused_not_crashed():
    import io
    import zipfile

    from openpyxl import Workbook

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "not xml at all <<<")
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData></sheetData></worksheet>")
    far = Workbook()  # the КРП header, then one cell at XFD1048576: past every limit, refused before it is read
    far.active.append(["БИН", "ОКЭД", "КРП", "КАТО"])
    far.active["XFD1048576"] = 1
    out = io.BytesIO()
    far.save(out)
    for raw in (buf.getvalue(), out.getvalue()):
        with pytest.raises(RegisterError):
            read_registers([("sbr.xlsx", raw)], CAT)
