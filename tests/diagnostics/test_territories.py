"""Territories: names in one form, KATO settlements in their district, a register's place in the table."""

from __future__ import annotations

import pytest

from policy_engine.diagnostics.territories import display_name, kato_district, name_key, place
from policy_engine.project.model import Municipality


@pytest.mark.parametrize(
    "variant",
    [
        "КРАСНОКАМСКИЙ",
        "Краснокамский",
        "Краснокамский район",
        "Краснокамский р-н",
        "р-н Краснокамский",
        "КРАСНОКАМСКИЙ РАЙОН",
        " краснокамский  р-н. ",
    ],
)
def test_case_and_type_variants_of_one_district_are_one_key(variant):
    assert name_key(variant) == "краснокамский"


def test_different_places_keep_different_keys():
    assert name_key("Пермский район") != name_key("г. Пермь")
    assert name_key("г. Пермь") == name_key("Пермь") == name_key("город Пермь")
    assert name_key("Ёлкино") == name_key("Елкино")
    assert name_key("Глубоковский ауданы") == name_key("Глубоковский район")


def test_display_names():
    assert display_name("КРАСНОКАМСКИЙ", "РАЙОН", "Район") == "Краснокамский район"
    assert display_name("КАТАВ-ИВАНОВСКИЙ", "РАЙОН", "Район") == "Катав-Ивановский район"
    assert display_name("ПЕРМЬ", "ГОРОД", "Город") == "Пермь"
    assert display_name("Краснокамский район", "район", "Район") == "Краснокамский район"


def test_a_kato_settlement_lies_in_its_district():
    assert kato_district("634830100") == "634800000"
    assert kato_district("634800000") == "634800000"
    assert kato_district("6348") is None and kato_district("63483010x") is None


def test_a_place_is_found_by_code_then_name_then_alias():
    table = [
        Municipality(name="Зайсанский район", code="634800000"),
        Municipality(name="Краснокамский городской округ", names={"en": "Krasnokamsk"}),
        Municipality(name="Пермь", aliases=["ПЕРМСКИЙ ГО"]),
    ]
    assert place("634800000 (с. Кенсай)", "634800000", table).name == "Зайсанский район"
    assert place("КРАСНОКАМСКИЙ", None, table).name == "Краснокамский городской округ"
    assert place("Krasnokamsk", None, table).name == "Краснокамский городской округ"
    assert place("Пермский ГО", None, table).name == "Пермь"
    assert place("Чусовой", None, table) is None
