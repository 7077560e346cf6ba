"""The region's own frame: a new project's id and money, municipalities, economy figures, sign-off."""

from __future__ import annotations

from datetime import date

import pytest

from policy_engine.diagnostics.register import Cell
from policy_engine.wizard import frame


@pytest.mark.parametrize(
    "name, ident, expected",
    [
        ("Пермский край", "", "permskii-krai"),
        ("Пермский край", "PERM Krai", "perm-krai"),
        ("Шығыс Қазақстан облысы", "", "shygys-kazakstan-oblysy"),
        ("Région Île-de-France", "", "r-gion-le-de-france"),
    ],
)
def test_an_id_from_the_region_name_or_what_was_typed(catalogue, name, ident, expected):
    project, issues = frame.new_project(catalogue, name, "RU", ident)
    assert issues == [] and project.id == expected


def test_a_new_project_takes_its_country_currency_and_a_free_id(catalogue):
    ru, _ = frame.new_project(catalogue, "Пермский край", "RU", taken={"permskii-krai"})
    kz, _ = frame.new_project(catalogue, "Абай облысы", "KZ")
    assert (ru.id, ru.economy.currency, kz.economy.currency) == ("permskii-krai-2", "RUB", "KZT")
    _, issues = frame.new_project(catalogue, "Пермский край", "RU", "permskii-krai", taken={"permskii-krai"})
    assert [i.code for i in issues] == ["id_taken"]


@pytest.mark.parametrize("secret, code", [("1234567", "passphrase_short"), ("x" * 1025, "passphrase_long")])
def test_the_passphrase_policy_at_create(catalogue, secret, code):
    project, issues = frame.new_project(catalogue, "Пермский край", "RU", secret=secret)
    assert project is None and [i.code for i in issues] == [code]


def test_money_is_checked(catalogue, sample):
    assert frame.set_money(sample, catalogue, "rub", "million").project.economy.currency == "RUB"
    bad = frame.set_money(sample, catalogue, "рубли", "lots")
    assert [i.code for i in bad.issues] == ["currency", "choice"]


def test_a_register_adds_its_municipalities_and_an_empty_one_changes_nothing(catalogue):
    project, _ = frame.new_project(catalogue, "Пермский край", "RU")
    cells = [
        Cell(municipality="Пермь", industry="cinema", firms=2, employees=40.0),
        Cell(municipality="Кунгур", industry="music", firms=1, employees=3.0),
    ]
    edit = frame.import_register(project, catalogue, cells)
    assert [m.name for m in edit.project.region.municipalities] == ["Пермь", "Кунгур"]
    assert len(edit.project.economy.employment) == 2
    again = frame.import_register(edit.project, catalogue, cells[:1])
    assert [m.name for m in again.project.region.municipalities] == ["Пермь", "Кунгур"]  # not doubled
    empty = frame.import_register(edit.project, catalogue, [])
    assert [i.code for i in empty.issues] == ["register_empty"] and empty.project == edit.project


def test_municipalities_table(catalogue, sample):
    rows = [
        {"name": "Кудымкар", "name_kk": "Кудымкар", "code": "57727000", "kind": "город"},
        {"name": "", "name_en": "Kungur", "kind": "district"},
        {"name": None},
    ]
    project, _ = frame.new_project(catalogue, "Пермский край", "RU")
    edit = frame.set_municipalities(project, catalogue, rows)
    assert edit.ok and [(m.name, m.kind, m.code) for m in edit.project.region.municipalities] == [
        ("Кудымкар", "city", "57727000"),
        ("Kungur", "district", None),
    ]
    anchored = next(c for c in sample.clusters if c.anchor_municipality)
    refused = frame.set_municipalities(sample, catalogue, rows)
    assert "municipality_in_use" in [i.code for i in refused.issues]
    assert anchored.name in " ".join(i.text("ru") for i in refused.issues)


def test_economy_figures(catalogue):
    project, _ = frame.new_project(catalogue, "Пермский край", "RU")
    rows = [
        {"year": 2023.0, "territory": "Пермский край", "creative_gva": 41000, "grp": 2_000_000},
        {"year": 2023, "territory": "Россия", "creative_gva": 5e6, "grp": 1.7e8},
    ]
    edit = frame.set_economy(project, catalogue, rows, "Пермский край", "Россия")
    assert edit.ok and [r.year for r in edit.project.economy.gva] == [2023, 2023]
    bad = frame.set_economy(project, catalogue, rows + [{"year": 2023, "territory": "Россия", "grp": 0}], "X", "Россия")
    assert {i.code for i in bad.issues} >= {"above", "unknown_territory"}


def test_sign_off(catalogue, sample):
    edit = frame.set_sign_off(
        sample,
        catalogue,
        [{"name": "Иванова А. А.", "role": "председатель"}],
        [
            {"stage": "Согласовано", "name": "Петров П. П.", "position": "министр"},
            {"stage": "Бекітемін", "name": "Әлиева Д."},
        ],
        date(2027, 3, 1),
    )
    assert edit.ok
    assert [(s.stage, s.name) for s in edit.project.signatories] == [
        ("agreed", "Петров П. П."),
        ("approved", "Әлиева Д."),
    ]
    assert edit.project.next_review == date(2027, 3, 1)
    bad = frame.set_sign_off(sample, catalogue, [], [{"stage": "сам себе", "name": "X"}], "не дата")
    assert [i.code for i in bad.issues] == ["choice", "a_date"]


def test_a_register_is_placed_in_the_table_by_code_then_name_and_the_rest_is_added(catalogue):
    project, _ = frame.new_project(catalogue, "Восточно-Казахстанская область", "KZ")
    project = frame.set_municipalities(
        project,
        catalogue,
        [
            {"name": "Зайсанский район", "code": "634800000", "kind": "district"},
            {"name": "Краснокамский район", "kind": "district"},
        ],
    ).project
    cells = [
        Cell(
            municipality="634800000 (с. Кенсай)",
            code="634800000",
            industry="music",
            firms=2,
            employees=7.7,
            employees_low=6,
            employees_high=10,
        ),
        Cell(municipality="КРАСНОКАМСКИЙ", industry="music", firms=1, employees=3.0),
        Cell(municipality="Краснокамский р-н", industry="music", firms=1, employees=2.0),  # the same district
        Cell(
            municipality="631000000 (г. Усть-Каменогорск)", code="631000000", industry="cinema", firms=1, employees=4.0
        ),
    ]
    edit = frame.import_register(project, catalogue, cells)
    assert edit.ok
    rows = {(r.municipality, r.industry): r for r in edit.project.economy.employment}
    assert set(rows) == {
        ("Зайсанский район", "music"),
        ("Краснокамский район", "music"),
        ("631000000 (г. Усть-Каменогорск)", "cinema"),
    }
    assert rows[("Краснокамский район", "music")].employees == 5.0 and rows[("Краснокамский район", "music")].firms == 2
    assert (rows[("Зайсанский район", "music")].employees_low, rows[("Зайсанский район", "music")].employees_high) == (
        6,
        10,
    )
    added = frame.new_territories(project, edit.project)
    assert added == ["631000000 (г. Усть-Каменогорск)"]
    assert edit.project.region.municipalities[-1].code == "631000000"


def test_mapping_a_registers_name_merges_its_data_and_remembers_it(catalogue):
    project, _ = frame.new_project(catalogue, "Пермский край", "RU")
    project = frame.set_municipalities(project, catalogue, [{"name": "Пермь", "kind": "city"}]).project
    cells = [
        Cell(municipality="Пермь", industry="music", firms=1, employees=10.0),
        Cell(municipality="ПГО", industry="music", firms=2, employees=4.0, employees_low=2, employees_high=8),
    ]
    imported = frame.import_register(project, catalogue, cells).project
    assert frame.new_territories(project, imported) == ["ПГО"]
    mapped = frame.map_territory(imported, catalogue, "ПГО", "Пермь")
    assert mapped.ok
    (record,) = mapped.project.economy.employment
    assert (record.municipality, record.firms, record.employees) == ("Пермь", 3, 14.0)
    assert (record.employees_low, record.employees_high) == (12.0, 18.0)
    assert [m.name for m in mapped.project.region.municipalities] == ["Пермь"]
    assert mapped.project.region.municipalities[0].aliases == ["ПГО"]
    # the next import places "ПГО" by itself, and the table editor keeps the alias
    again = frame.import_register(mapped.project, catalogue, cells)
    assert [m.name for m in again.project.region.municipalities] == ["Пермь"]
    kept = frame.set_municipalities(again.project, catalogue, frame.municipality_rows(again.project))
    assert kept.project.region.municipalities[0].aliases == ["ПГО"]
    assert frame.map_territory(imported, catalogue, "Пермь", "Пермь").issues
