"""The wizard from an empty project for a region the samples never saw, in Russian, through the UI alone:
home (create), page 1 (frame, elements, register, actors), page 2 (clusters), and the session."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from policy_engine.documents.roadmap import build_roadmap
from policy_engine.method.catalogue import default_catalogue
from policy_engine.store.database import Store
from policy_engine.store.workshops import WORKSHOP_TABLES

APP = str(Path(__file__).resolve().parents[2] / "app.py")
AUDIT, CLUSTERING = "pages/1_identity_audit.py", "pages/2_clustering.py"


@pytest.fixture(autouse=True)
def empty_database():
    """Every test starts from an empty database, as a new installation does."""
    store = Store()
    with store.engine.begin() as conn:
        for table in (*WORKSHOP_TABLES, "project_version", "project_cycle", "project"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    store.close()


def app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception
    return at


def submit(at: AppTest, form: str, label: str) -> AppTest:
    at.button(key=f"FormSubmitter:{form}-{label}").click().run()
    assert not at.exception, at.exception
    return at


def create(region: str = "Пермский край", ident: str = "", secret: str = "") -> AppTest:
    at = app()
    at.text_input(key="author_input").input("Ольга Смирнова").run()
    at.text_input(key="create_region").input(region)
    at.text_input(key="create_id").input(ident)
    at.text_input(key="create_passphrase").input(secret)
    return submit(at, "create_form", "Создать")


def stored(pid: str = "permskii-krai"):
    return Store().load(pid).project


def errors(at: AppTest) -> str:
    """The error boxes' text as a person reads it (user text in them is escaped for Markdown)."""
    return re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))


def test_a_project_is_created_from_the_region_name_with_the_country_currency():
    at = create()
    project = stored()
    assert project.id == "permskii-krai" and project.region.country == "RU"
    assert project.economy.currency == "RUB"
    assert Store().history("permskii-krai")[0].author == "Ольга Смирнова"
    assert at.query_params["project"] == "permskii-krai"


def test_a_new_project_is_named_by_its_region_not_its_id():
    at = create(region="Тверская область")
    shown = re.sub(r"\\(.)", r"\1", " ".join(m.value for m in [*at.success, *at.markdown, *at.info, *at.toast]))
    assert "Проект «Тверская область» создан и открыт" in shown and "tverskaya" not in shown
    at.button(key="close_project").click().run()
    create(region="Тверская область", secret="Тверь-2026-пароль")  # a second, protected project of that region
    at = app()
    labels = at.selectbox(key="open_id").options
    assert "Тверская область" in labels and "🔒 tverskaya-oblast-2" in labels, labels


def test_a_cyrillic_or_upper_case_id_is_made_usable_and_a_short_passphrase_is_refused_in_russian():
    at = create(region="Свердловская область", ident="Урал-2026")
    assert stored("ural-2026").region.name == "Свердловская область"
    at = create(region="Тверская область", secret="1234567")
    assert "Пароль слишком короткий: нужно не меньше 8 символов" in errors(at)
    assert [p.id for p in Store().list_projects()] == ["ural-2026"]


def test_the_first_identity_element_through_the_form_then_the_table():
    at = create()
    at.switch_page(AUDIT).run()
    assert not at.exception
    at.text_input(key="el_name_new").input("Пермский звериный стиль")
    at.selectbox(key="el_layer_new_ru").set_value("historical")
    at.multiselect(key="el_ind_new_ru").set_value(["folk_crafts"])
    submit(at, "add_element_form", "Добавить элемент")
    (element,) = stored().identity_elements
    assert (element.name, element.layer, element.industries) == (
        "Пермский звериный стиль",
        "historical",
        ["folk_crafts"],
    )
    at.session_state["elements_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [
            {
                "name": "Строгановская школа",
                "component": "symbolic",
                "layer": "cultural",
                "uniqueness": 4,
                "recognition": 3,
                "vitality": 2,
                "industries": ["art_industry"],
            }
        ],
    }
    at.run()
    at.button(key="save_elements").click().run()
    assert [e.name for e in stored().identity_elements] == ["Пермский звериный стиль", "Строгановская школа"]


def test_a_half_filled_row_is_refused_in_russian_and_kazakh_and_nothing_is_saved():
    at = create()
    at.switch_page(AUDIT).run()
    at.session_state["elements_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [{"name": "Кама", "uniqueness": 9}],
    }
    at.run()
    at.button(key="save_elements").click().run()
    assert "Строка 1 «Кама»: уникальность — должно быть не больше 5" in errors(at)
    assert "Строка 1 «Кама»: слой — обязательное поле не заполнено" in errors(at)
    assert stored().identity_elements == [] and len(Store().history("permskii-krai")) == 1
    at.radio(key="lang_choice_ru").set_value("kk").run()
    at.session_state["elements_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [{"name": "Кама", "uniqueness": 9}],
    }
    at.run()
    at.button(key="save_elements").click().run()
    assert "1-жол «Кама»" in errors(at) and "ең көбі 5 болуы керек" in errors(at)


def register_xlsx(total: float) -> bytes:
    """A register as Excel exports it: title rows above the header and a total row at the end."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Реестр субъектов МСП Пермского края"])
    ws.append(["по состоянию на 01.01.2026"])
    ws.append([])
    ws.append(["Код ОКВЭД", "Муниципальное образование", "Численность работников"])
    rows = [("32.99.8", "Кудымкар", 14), ("59.11", "Пермь", 40), ("47.11", "Пермь", 300), ("90.01", "Кунгур", 6)]
    for row in rows:
        ws.append(list(row))
    ws.append(["Итого", None, total])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("total, warned", [(360, False), (999, True)])
def test_register_with_title_rows_and_a_total_fills_employment_and_municipalities(total, warned):
    at = create()
    at.switch_page(AUDIT).run()
    at.file_uploader(key="register_files").set_value(
        ("reestr.xlsx", register_xlsx(total), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    ).run()
    assert "строке 4" in " ".join(c.value for c in at.caption)  # the header found below the title rows
    at.button(key="import_register").click().run()
    assert not at.exception
    project = stored()
    assert {(r.municipality, r.industry): r.employees for r in project.economy.employment} == {
        ("Кудымкар", "folk_crafts"): 14,
        ("Пермь", "cinema"): 40,
        ("Пермь", "non_creative"): 300,
        ("Кунгур", "performing_arts"): 6,
    }
    assert [m.name for m in project.region.municipalities] == ["Кудымкар", "Кунгур", "Пермь"]
    assert not [d for d in at.dataframe if "Причина" in d.value.columns]  # the total row is not a bad row
    assert bool(at.warning) == warned


def test_a_register_with_unrecognised_headers_is_mapped_by_hand():
    at = create()
    at.switch_page(AUDIT).run()
    data = "Колонка A;Колонка B;Колонка C\n59.11;Пермь;12\n90.01;Кунгур;3\n".encode()
    at.file_uploader(key="register_files").set_value(("r.csv", data, "text/csv")).run()
    assert "import_register" not in [b.key for b in at.button]  # nothing to import until every column is mapped
    at.selectbox(key="map_code_r.csv").set_value(0)
    at.selectbox(key="map_municipality_r.csv").set_value(1)
    at.selectbox(key="map_employees_r.csv").set_value(2).run()
    at.button(key="import_register").click().run()
    assert {r.municipality for r in stored().economy.employment} == {"Пермь", "Кунгур"}


def test_municipalities_economy_and_money_are_the_regions_own():
    at = create()
    at.switch_page(AUDIT).run()
    at.session_state["municipalities_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [{"name": "Кудымкар", "name_kk": "Кудымкар", "code": "57727000", "kind": "city"}],
    }
    at.run()
    at.button(key="save_municipalities").click().run()
    assert [(m.name, m.code, m.kind) for m in stored().region.municipalities] == [("Кудымкар", "57727000", "city")]
    at.session_state["gva_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [
            {"year": 2023, "territory": "Пермский край", "creative_gva": 41_000.0, "grp": 2_000_000.0},
            {"year": 2023, "territory": "Россия", "creative_gva": 5_000_000.0, "grp": 170_000_000.0},
        ],
    }
    at.run()
    at.text_input(key="gva_nation").input("Россия")
    submit(at, "gva_form", "Сохранить показатели")
    economy = stored().economy
    assert (len(economy.gva), economy.region_territory, economy.nation_territory) == (2, "Пермский край", "Россия")
    assert "Доля креативной экономики в ВРП, %" in [s.value for s in at.subheader]
    at.text_input(key="money_currency").input("rub")
    at.selectbox(key="money_unit_ru").set_value("million")
    submit(at, "money_form", "Сохранить валюту")
    assert (stored().economy.currency, stored().economy.unit) == ("RUB", "million")


def test_actors_through_the_form_with_labels_in_russian():
    at = create()
    at.switch_page(AUDIT).run()
    at.text_input(key="actor_name").input("Министерство культуры Пермского края")
    at.selectbox(key="actor_sector_ru").set_value("government")
    at.selectbox(key="actor_level_ru").set_value("regional")
    submit(at, "add_actor_form", "Добавить участника")
    assert [(a.name, a.sector, a.level) for a in stored().actors] == [
        ("Министерство культуры Пермского края", "government", "regional")
    ]


def test_clusters_by_hand_merge_and_delete_with_confirmation_and_undo():
    at = create()
    at.switch_page(CLUSTERING).run()
    assert not at.exception
    for name, industry in (("Звериный стиль", "folk_crafts"), ("Кино Прикамья", "cinema"), ("Музыка", "music")):
        at.text_input(key="cl_name_new").input(name)
        at.multiselect(key="cl_ind_new_ru").set_value([industry])
        submit(at, "add_cluster_form", "Добавить кластер")
    clusters = stored().clusters
    assert [c.name for c in clusters] == ["Звериный стиль", "Кино Прикамья", "Музыка"]
    at.selectbox(key="merge_into").set_value(clusters[0].id)
    at.selectbox(key="merge_from").set_value(clusters[1].id)
    submit(at, "merge_form", "Объединить")
    assert [c.industries for c in stored().clusters] == [["folk_crafts", "cinema"], ["music"]]
    at.button(key="cluster_undo_button").click().run()  # undo the merge
    assert [c.name for c in stored().clusters] == ["Звериный стиль", "Кино Прикамья", "Музыка"]
    at.selectbox(key="merge_into").set_value(clusters[0].id)
    at.selectbox(key="merge_from").set_value(clusters[1].id)
    submit(at, "merge_form", "Объединить")
    # the next save of a cluster's form writes what the merge made, not the form's old values
    version = at.session_state["version"]
    at.text_area(key=f"cl_image_{clusters[0].id}_v{version}").input("Край живых ремёсел и кино")
    submit(at, f"cluster_form_{clusters[0].id}", "Сохранить кластер")
    at.text_area(key=f"cl_image_{clusters[2].id}_v{at.session_state['version']}").input("Музыка Прикамья")
    submit(at, f"cluster_form_{clusters[2].id}", "Сохранить кластер")
    after = stored().clusters
    assert [(c.industries, c.target_image) for c in after] == [
        (["folk_crafts", "cinema"], "Край живых ремёсел и кино"),
        (["music"], "Музыка Прикамья"),
    ]
    at.button(key=f"FormSubmitter:cluster_form_{clusters[2].id}-Удалить кластер").click().run()
    assert len(stored().clusters) == 2  # asked first
    assert any("Удалить кластер «Музыка»?" in w.value for w in at.warning)
    at.button(key=f"delete_yes_{clusters[2].id}").click().run()
    assert [c.name for c in stored().clusters] == ["Звериный стиль"]
    at.button(key="cluster_undo_button").click().run()
    assert [c.name for c in stored().clusters] == ["Звериный стиль", "Музыка"]


def test_a_reload_keeps_the_open_project_language_and_author():
    at = create()
    at.radio(key="lang_choice_ru").set_value("kk").run()
    at.switch_page(CLUSTERING).run()  # a page switch clears the query string; every run writes it again
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["project"] == "permskii-krai" and params["lang"] == "kk" and "by" in params
    again = app(**params)  # F5: a new session with the same address
    assert again.session_state["project"].id == "permskii-krai"
    assert again.session_state["lang"] == "kk" and again.session_state["author_name"] == "Ольга Смирнова"


def test_a_protected_project_survives_a_reload_without_its_passphrase_in_the_address():
    at = create(secret="Кама-2026-пароль")
    params = {k: at.query_params[k] for k in at.query_params}
    assert "Кама-2026-пароль" not in " ".join(params.values()) and params.get("unlock")
    again = app(**params)
    assert again.session_state["project"].id == "permskii-krai"
    again.button(key="close_project").click().run()
    assert "unlock" not in again.query_params
    reopened = app(**params)  # the unlock went with "close": the passphrase is asked again
    assert "project" not in reopened.session_state


def test_one_municipality_and_one_year_through_the_forms():
    at = create()
    at.switch_page(AUDIT).run()
    at.text_input(key="new_muni_name").input("Кудымкар")
    at.text_input(key="new_muni_code").input("57727000")
    at.text_input(key="new_muni_name_kk").input("Кудымкар")
    submit(at, "municipality_form", "Добавить муниципалитет")
    assert [(m.name, m.code, m.names) for m in stored().region.municipalities] == [
        ("Кудымкар", "57727000", {"kk": "Кудымкар"})
    ]
    submit(at, "municipality_form", "Добавить муниципалитет")  # an empty form adds nothing and says why
    assert "обязательное поле" in errors(at) and len(stored().region.municipalities) == 1
    at.number_input(key="new_gva_year").set_value(2023)
    at.number_input(key="new_gva_value").set_value(41000.0)
    at.number_input(key="new_gva_grp").set_value(2_000_000.0)
    submit(at, "gva_year_form", "Добавить год")
    (record,) = stored().economy.gva
    assert (record.year, record.territory, record.grp) == (2023, "Пермский край", 2_000_000.0)
    assert stored().economy.region_territory == "Пермский край"


def test_working_group_signatories_and_review_date_on_the_roadmap_page():
    at = create()
    at.switch_page("pages/roadmap.py").run()
    assert not at.exception
    at.text_input(key="new_member_name").input("Иванова Анна")
    at.text_input(key="new_member_role").input("председатель")
    submit(at, "member_form", "Добавить в рабочую группу")
    at.selectbox(key="new_signatory_stage_ru").set_value("approved")
    at.text_input(key="new_signatory_name").input("Петров Пётр")
    at.text_input(key="new_signatory_position").input("министр культуры Пермского края")
    submit(at, "signatory_form", "Добавить подписанта")
    at.date_input(key="next_review").set_value(date(2027, 3, 1))
    submit(at, "review_date_form", "Сохранить дату")
    project = stored()
    assert [m.name for m in project.working_group] == ["Иванова Анна"]
    assert [(s.stage, s.name) for s in project.signatories] == [("approved", "Петров Пётр")]
    assert project.next_review == date(2027, 3, 1)
    cover = build_roadmap(project, default_catalogue(), "ru").cover
    assert cover.signatures.rows[0][:2] == ["Утверждаю", "Петров Пётр, министр культуры Пермского края"]
    assert ("Следующий пересмотр", "01.03.2027") in cover.facts


@pytest.mark.parametrize(
    "page",
    [
        AUDIT,
        "pages/3_measure_design.py",
        "pages/4_pilots.py",
        "pages/5_promotion.py",
        "pages/6_monitoring.py",
        "pages/roadmap.py",
    ],
)
def test_every_table_of_an_empty_project_shows_its_columns_and_holds_back_no_half_row(page):
    """An empty table keeps its columns (so "add row" is drawn), and no column is `required`: the grid would
    keep a half-filled row to itself with an English tooltip instead of letting the engine say what is missing."""
    at = create()
    at.switch_page(page).run()
    assert not at.exception
    editors = [d for d in at.dataframe if d.proto.editing_mode]
    assert editors, "no editable table on the page"
    for editor in editors:
        config = json.loads(editor.proto.columns)
        shown = [c for c in editor.value.columns if (config.get(c) or {}).get("hidden") is not True]
        assert shown, f"{editor.key}: a table with no column"
        assert not [c for c, v in config.items() if (v or {}).get("required")], editor.key


def test_after_close_the_passphrase_must_be_typed_again():
    at = create(secret="Кама-2026-пароль")
    at.button(key="close_project").click().run()
    at.text_input(key="open_passphrase").input("Кама-2026-пароль")
    submit(at, "open_form", "Открыть")
    assert at.session_state["project"].id == "permskii-krai"
    at.button(key="close_project").click().run()
    assert at.text_input(key="open_passphrase").value == ""  # not kept in the form for the next person
    submit(at, "open_form", "Открыть")
    assert "project" not in at.session_state and "Проект защищён паролем" in errors(at)
    listed = [d.value for d in at.dataframe][0]
    assert "Пермский" not in listed.to_string() and "—" in listed.to_string()  # nothing but the id is listed
