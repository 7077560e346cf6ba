"""The FNS SME register and its head-count data set, in files built on FNS's published structure
(tests/diagnostics/registers/fixtures.py), with firms and expected figures worked out by hand."""

from __future__ import annotations

import io
import math
import zipfile

import pytest

from policy_engine.diagnostics import fns
from policy_engine.diagnostics.register import RegisterError
from policy_engine.diagnostics.registers import Options, detect, fns_regions, plan, read_registers
from policy_engine.method.catalogue import default_catalogue
from tests.diagnostics.registers.fixtures import SmeFirm, headcount_file, sme_file, zipped

CAT = default_catalogue()
PERM = "59"
KRASNOKAMSK = ("РАЙОН", "КРАСНОКАМСКИЙ")


def firms() -> list[SmeFirm]:
    return [
        # an organisation in a settlement of the Krasnokamsk district, with a head count of 7
        SmeFirm("5916000001", 1, 1, PERM, "90.01", district=KRASNOKAMSK, settlement=("ПОСЕЛОК", "ОВЕРЯТА")),
        # the same district written in mixed case, without a head count (micro: 0-15)
        SmeFirm("5916000002", 1, 1, PERM, "90.02", district=("район", "Краснокамский")),
        # a sole trader in the city of Perm (micro: the trader plus 0-15 hired)
        SmeFirm("591600000003", 2, 1, PERM, "32.99.8", city=("ГОРОД", "ПЕРМЬ")),
        # a small organisation in Perm with a head count of 30
        SmeFirm("5916000004", 1, 2, PERM, "62.01", city=("ГОРОД", "ПЕРМЬ")),
        # a firm of another region
        SmeFirm("6601000005", 1, 2, "66", "62.01", city=("ГОРОД", "ЕКАТЕРИНБУРГ")),
    ]


def files(with_headcount: bool = True):
    sme = zipped([sme_file(firms()[:3]), sme_file(firms()[3:])])
    out = [("data-sme.zip", sme)]
    if with_headcount:
        # head counts of two of the region's organisations and of a firm in no register file
        out.append(
            (
                "data-empl.zip",
                zipped([headcount_file([("5916000001", 7), ("5916000004", 30), ("7700000000", 5)])], "VO_OTKRDAN3"),
            )
        )
    return out


def by_cell(result):
    return {(c.municipality, c.industry): c for c in result.cells}


def test_the_register_and_head_counts_are_recognised_by_content_whatever_their_names():
    sme, empl = files()
    assert detect(sme[1]) == "fns" and detect(empl[1]) == "fns"
    sources = fns.classify([("a.bin", empl[1]), ("b.bin", sme[1])])
    assert [n for n, _ in sources.sme] == ["b.bin"] and [n for n, _ in sources.headcount] == ["a.bin"]
    assert fns_regions(files()) == {"59": 4, "66": 1}
    p = plan(files())
    assert p.format == "fns" and p.regions[0] == ("59", 4) and p.has_headcount


def test_joined_by_inn_with_ranges_for_firms_without_a_head_count():
    result = read_registers(files(), CAT, options=Options(region=PERM))
    cells = by_cell(result)
    # one district, however the register writes it; the settlement Оверята is counted in it
    assert {m for m, _ in cells} == {"Краснокамский район", "Пермь"}
    perf = cells[("Краснокамский район", "performing_arts")]
    assert perf.firms == 2
    micro = math.sqrt(1 * 15)  # the geometric mean of 0-15, the floor taken as 1
    assert perf.employees == pytest.approx(7 + micro)
    assert (perf.employees_low, perf.employees_high) == (7, 7 + 15)
    crafts = cells[("Пермь", "folk_crafts")]  # 32.99.8, the sole trader: themself plus 0-15 hired
    assert (crafts.employees_low, crafts.employees_high) == (1, 16)
    assert crafts.employees == pytest.approx(math.sqrt(1 * 16))
    soft = cells[("Пермь", "software")]
    assert (soft.employees, soft.employees_low, soft.employees_high) == (30, 30, 30)
    assert (result.rows_total, result.rows_used, result.rejected_count) == (4, 4, 0)
    codes = [w.code for w in result.warnings]
    assert "fns_headcount" in codes and "fns_region" in codes
    said = next(w for w in result.warnings if w.code == "fns_headcount")
    assert said.values["exact"] == "2" and said.values["orgs"] == "1" and said.values["people"] == "1"
    assert "Краснокамский" not in said.describe("ru")  # a policy, not the data


def test_firms_without_a_head_count_can_be_left_out_and_are_counted_as_such():
    result = read_registers(files(), CAT, options=Options(region=PERM, no_headcount="exclude"))
    cells = by_cell(result)
    assert cells[("Краснокамский район", "performing_arts")].employees == 7
    assert ("Пермь", "folk_crafts") not in cells
    assert result.rejected_by_reason == {"fns_excluded": 2}
    assert result.rows_used == 2 and all(c.employees_low is None for c in result.cells)


def test_without_the_head_count_file_every_firm_is_estimated_and_the_user_is_told():
    result = read_registers(files(with_headcount=False), CAT, options=Options(region=PERM))
    assert "fns_no_headcount_file" in [w.code for w in result.warnings]
    perf = by_cell(result)[("Краснокамский район", "performing_arts")]
    assert (perf.employees_low, perf.employees_high) == (0, 30)


def test_several_regions_without_a_choice_are_refused_naming_them():
    with pytest.raises(RegisterError) as err:
        read_registers(files(), CAT)
    assert err.value.code == "fns_many_regions"
    assert "59 (4)" in err.value.describe("ru") and "66 (1)" in err.value.describe("en")


def test_a_head_count_file_alone_is_refused():
    with pytest.raises(RegisterError) as err:
        read_registers(files()[1:], CAT)
    assert err.value.code == "fns_no_register"


def test_one_xml_file_is_read_as_well_as_a_zip():
    one = sme_file(firms()[:4])
    result = read_registers([("one.xml", one)], CAT)
    assert result.rows_used == 4 and result.format == "fns"


def test_an_xml_file_of_another_kind_is_refused_without_echoing_it():
    other = b'<?xml version="1.0"?><root>' + b"<x>secret text</x>" * 5000 + b"</root>"
    with pytest.raises(RegisterError) as err:
        read_registers([("other.xml", other)], CAT)
    assert len(str(err.value)) < 200 and "secret" not in str(err.value)


def test_a_zip_bomb_member_is_refused_not_inflated():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("VO_RRMSPSV_bomb.xml", sme_file(firms()[:1]) + b" " * (50 * 1024 * 1024))
    bomb = buf.getvalue()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(RegisterError) as err:
        read_registers([("bomb.zip", bomb)], CAT)
    assert err.value.code == "member_too_large"


def test_a_document_without_activity_or_place_is_counted_as_rejected():
    broken = (
        sme_file(firms()[:2])
        .replace('КодОКВЭД="90.01"'.encode(), b"")
        .replace('Наим="Краснокамский"'.encode(), 'Наим=""'.encode())
    )
    result = read_registers([("b.xml", broken)], CAT)
    assert result.rejected_by_reason == {"empty_code": 1, "empty_municipality": 1}
    assert result.rows_used == 0 and result.cells == []  # the import refuses it (frame.import_register)
