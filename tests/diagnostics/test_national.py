"""A whole country: each region's creative share and LQ against the nation, hand-worked on a national FNS
register built on FNS's published structure (regions named by the documents themselves)."""

from __future__ import annotations

import pytest

from policy_engine.diagnostics.national import chart_rows, national, table_rows
from policy_engine.method.catalogue import default_catalogue
from tests.diagnostics.registers.fixtures import KzFirm, SmeFirm, headcount_file, kz_workbook, kz_zip, sme_file, zipped

CAT = default_catalogue()


def country():
    firms = [
        SmeFirm("5916000001", 1, 1, "59", "90.01", city=("ГОРОД", "ПЕРМЬ")),  # 10 employees
        SmeFirm("5916000002", 1, 2, "59", "47.11", district=("РАЙОН", "КРАСНОКАМСКИЙ")),  # 30
        SmeFirm("6616000003", 1, 2, "66", "62.01", city=("ГОРОД", "ЕКАТЕРИНБУРГ")),  # 20
        SmeFirm("6616000004", 1, 2, "66", "47.11", city=("ГОРОД", "НИЖНИЙ ТАГИЛ")),  # 20
        SmeFirm("7716000005", 1, 2, "77", "47.11", city=("ГОРОД", "МОСКВА")),  # 20
    ]
    heads = [("5916000001", 10), ("5916000002", 30), ("6616000003", 20), ("6616000004", 20), ("7716000005", 20)]
    return [
        ("sme.zip", zipped([sme_file(firms[:2]), sme_file(firms[2:])])),
        ("empl.zip", zipped([headcount_file(heads)], "VO_OTKRDAN3")),
    ]


def test_every_region_against_the_nation_hand_worked():
    """Nation: 100 employees, 30 creative (30 %). Perm: 10 of 40 (25 %) -> LQ 0.25/0.30 = 0.833; Sverdlovsk:
    20 of 40 -> 1.667; Moscow: 0 of 20 -> 0. Perm's performing arts: (10/40) / (10/100) = 2.5."""
    result = national(country(), CAT)
    assert [(r.rank, r.region, r.code) for r in result.rows] == [
        (1, "Свердловская область", "66"),
        (2, "Пермский край", "59"),
        (3, "Москва", "77"),
    ]
    assert (result.employees, result.creative, result.share) == (100, 30, pytest.approx(30))
    perm = result.find("ПЕРМСКИЙ КРАЙ")
    assert perm is result.rows[1]
    assert (perm.employees, perm.creative, perm.share) == (40, 10, pytest.approx(25))
    assert perm.lq == pytest.approx(0.25 / 0.30)
    assert perm.by_industry["performing_arts"] == pytest.approx(2.5)
    assert result.rows[0].lq == pytest.approx(0.5 / 0.3) and result.rows[2].lq == 0
    rows = chart_rows(result, "Пермский край", limit=1)
    assert [(r["region"], r["mine"]) for r in rows] == [("Свердловская область", False), ("Пермский край", True)]
    assert table_rows(result, "ru")[1]["share"] == "25"


def test_kazakh_districts_add_up_to_their_oblast():
    firms = [
        KzFirm("1", "90011", "105", "634830100", "с. Улкен Нарын"),  # East Kazakhstan (63)
        KzFirm("2", "47111", "105", "631010000", "г. Усть-Каменогорск"),
        KzFirm("3", "47111", "110", "751110000", "г. Алматы"),  # Almaty city (75)
    ]
    result = national([("sbr.zip", kz_zip(kz_workbook(firms)))], CAT)
    assert {r.code for r in result.rows} == {"630000000", "750000000"}
    east = next(r for r in result.rows if r.code == "630000000")
    assert east.creative > 0 and east.rank == 1
