"""Registers as officials hold them, through page 1's uploader, from an empty project for a region the samples
never saw: the FNS SME register with its head-count file (Perm krai, in Russian), Kazakhstan's statistical
register (Abai oblast, in Kazakh), and NOMIS UK Business Counts (a UK council, in English). Files are built on
the registers' published structures (tests/diagnostics/registers/fixtures.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.diagnostics.registers.fixtures import (
    KzFirm,
    kz_workbook,
    kz_zip,
    nomis_csv,
    perm_register,
)
from tests.pages.test_pages_new_region import AUDIT, app, empty_database, stored, submit  # noqa: F401

ZIP = "application/zip"


def create(region: str, country: str, lang: str) -> AppTest:
    at = app()
    if lang != "ru":
        at.radio(key="lang_choice_ru").set_value(lang).run()
    at.text_input(key="author_input").input("Facilitator").run()
    at.text_input(key="create_region").input(region)
    at.selectbox(key=f"create_country_{lang}").set_value(country)
    label = {"ru": "Создать", "kk": "Жасау", "en": "Create"}[lang]
    return submit(at, "create_form", label)


def texts(at: AppTest) -> str:
    """What the page says, with the Markdown escapes of user-facing literals (md_literal) taken off."""
    said = " ".join(str(e.value) for kind in ("caption", "warning", "info", "markdown") for e in getattr(at, kind))
    return said.replace("\\", "")


def test_the_fns_register_with_its_head_count_file_in_russian():
    at = create("Пермский край", "RU", "ru")
    at.switch_page(AUDIT).run()
    sme, empl = perm_register()
    at.file_uploader(key="register_files").set_value([("data-sme.zip", sme, ZIP), ("data-empl.zip", empl, ZIP)]).run()
    assert not at.exception
    assert "реестр субъектов МСП ФНС" in texts(at)
    region = at.selectbox(key="fns_region_data-empl.zip_data-sme.zip")
    assert region.options[0].startswith("59") and len(region.options) == 2
    at.button(key="import_register").click().run()
    assert not at.exception
    project = stored()
    assert {m.name for m in project.region.municipalities} == {"Краснокамский район", "Пермь"}
    perf = next(r for r in project.economy.employment if r.industry == "performing_arts")
    assert perf.firms == 2 and (perf.employees_low, perf.employees_high) == (7, 22)
    assert "Численность по данным ФНС найдена у организаций: 3" in texts(at)
    # the heat map's table of cells whose specialisation flips inside the ranges, in Russian
    flagged = [d for d in at.dataframe if "LQ: от – до" in d.value.columns]
    assert flagged and "Краснокамский район" in set(flagged[0].value.iloc[:, 0])


def test_the_kazakh_statistical_register_in_kazakh_and_a_district_named_by_mapping():
    at = create("Абай облысы", "KZ", "kk")
    at.switch_page(AUDIT).run()
    firms = [
        KzFirm("150340000001", "90011", "105", "634830100", "Үлкен Нарын а."),
        KzFirm("150340000002", "47111", "110", "634835200", "Кеңсай а."),
        KzFirm("150340000003", "62011", "160", "631010000", "Өскемен қ."),
    ]
    at.file_uploader(key="register_files").set_value(("sbr.zip", kz_zip(kz_workbook(firms)), ZIP)).run()
    assert not at.exception and "статистикалық тіркелімі" in texts(at)
    at.button(key="import_register").click().run()
    assert not at.exception
    project = stored("abai-oblysy")
    names = [m.name for m in project.region.municipalities]
    assert len(names) == 2 and any(n.startswith("634800000") for n in names)
    codes = {m.code for m in project.region.municipalities}
    assert codes == {"634800000", "631000000"}
    # the facilitator names the district: a row of the table with its KATO code, then the code's place is mapped
    at.session_state["municipalities_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [{"name": "Зайсан ауданы", "name_kk": "Зайсан ауданы", "kind": "district"}],
    }
    at.run()
    at.button(key="save_municipalities").click().run()
    kato = next(n for n in names if n.startswith("634800000"))
    at.selectbox(key="map_from").set_value(kato)
    at.selectbox(key="map_to").set_value("Зайсан ауданы")
    label = next(b.label for b in at.button if b.key == "FormSubmitter:map_territory_form-Сәйкестендіру")
    submit(at, "map_territory_form", label)
    project = stored("abai-oblysy")
    assert "Зайсан ауданы" in {r.municipality for r in project.economy.employment}
    zaisan = next(m for m in project.region.municipalities if m.name == "Зайсан ауданы")
    assert zaisan.code == "634800000" and kato in zaisan.aliases


def test_nomis_business_counts_in_english():
    at = create("Tees Valley", "GB", "en")
    at.switch_page(AUDIT).run()
    film, shops = "5911 : Motion picture, video and television programme activities", "4711 : Retail sale"
    rows = [
        dict(GEOGRAPHY=geo, INDUSTRY=ind, EMPLOYMENT_SIZEBAND=band, LEGAL_STATUS="Total", OBS_VALUE=n)
        for geo, ind, band, n in [
            (("Hartlepool", "E06000001"), film, "0 to 4", "10"),
            (("Hartlepool", "E06000001"), shops, "10 to 19", "20"),
            (("Middlesbrough", "E06000002"), shops, "5 to 9", "30"),
            (("Middlesbrough", "E06000002"), film, "Total", "9"),  # a total: not data
        ]
    ]
    data = nomis_csv(["INDUSTRY", "EMPLOYMENT_SIZEBAND", "LEGAL_STATUS"], rows)
    at.file_uploader(key="register_files").set_value(("nomis.csv", data, "text/csv")).run()
    assert "UK Business Counts" in texts(at)
    at.button(key="import_register").click().run()
    assert not at.exception
    project = stored("tees-valley")
    assert {(m.name, m.code) for m in project.region.municipalities} == {
        ("Hartlepool", "E06000001"),
        ("Middlesbrough", "E06000002"),
    }
    film = next(r for r in project.economy.employment if r.industry == "cinema")
    assert (film.firms, film.employees_low, film.employees_high) == (10, 0, 40)


def test_a_boundaries_file_puts_the_municipalities_on_the_map():
    import json

    at = create("Пермский край", "RU", "ru")
    at.switch_page(AUDIT).run()
    sme, empl = perm_register()
    at.file_uploader(key="register_files").set_value([("data-sme.zip", sme, ZIP), ("data-empl.zip", empl, ZIP)]).run()
    at.button(key="import_register").click().run()
    assert "Карты пока нет" in texts(at)  # no centres, no outlines yet
    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for name, ring in [
            ("КРАСНОКАМСКИЙ", [[55.6, 57.9], [56.0, 57.9], [56.0, 58.2], [55.6, 58.2], [55.6, 57.9]]),
            ("Пермь", [[56.0, 57.9], [56.4, 57.9], [56.4, 58.2], [56.0, 58.2], [56.0, 57.9]]),
            ("Чусовской", [[57.0, 58.0], [57.5, 58.0], [57.5, 58.5], [57.0, 58.5], [57.0, 58.0]]),
        ]
    ]
    raw = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
    at.file_uploader(key="boundaries_file").set_value(("perm.geojson", raw, "application/geo+json")).run()
    at.button(key="apply_boundaries").click().run()
    assert not at.exception
    project = stored()
    assert {b.municipality for b in project.region.boundaries} == {"Краснокамский район", "Пермь"}
    assert "Объекты файла, не найденные в справочнике: Чусовской" in texts(at)
    assert "Карты пока нет" not in texts(at)
    assert at.selectbox(key="map_metric_ru").options[0] == "LQ отрасли"


def test_the_region_among_the_countrys_regions():
    from tests.diagnostics.test_national import country

    at = create("Пермский край", "RU", "ru")
    at.switch_page(AUDIT).run()
    at.file_uploader(key="national_files").set_value([(n, d, ZIP) for n, d in country()]).run()
    at.button(key="national_compute").click().run()
    assert not at.exception
    assert "Пермский край: место 2 из 3, доля креативных отраслей 25 %" in texts(at)
    table = next(d for d in at.dataframe if "Место" in d.value.columns)
    assert list(table.value["Регион"]) == ["Свердловская область", "Пермский край", "Москва"]
