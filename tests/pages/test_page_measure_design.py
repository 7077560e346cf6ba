"""Page 3, measure design, in AppTest: guidance without a project; a new Russian region from an empty
project (the first override and the first measure through the form and through the table, refused rows
and overrides in Russian and Kazakh, budgets in roubles); and with the sample the classification, the
matrix, overrides and measure edits that reach the store.

The store is the session's throwaway database (tests/conftest.py) and other tests may have opened and
edited the sample already, so each test reads the stored state before it asserts a change.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from policy_engine.project.model import CreativeEconomy, Project, Region, SelectedMeasure
from policy_engine.store.database import Store
from policy_engine.wizard import measure_design as md

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/3_measure_design.py"


def stored(project_id: str = "east-kazakhstan"):
    return loaded(project_id).project


def loaded(project_id: str):
    store = Store()
    try:
        return store.load(project_id)
    finally:
        store.close()


def plain(text: str) -> str:
    """A text without the escapes that keep user text from being read as Markdown (errors, labels)."""
    return re.sub(r"\\(.)", r"\1", text)


def table(at: AppTest, column: str):
    """The first table on the page with `column` (AppTest gives read-only st.dataframe no key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def page_with_sample(lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.button(key="open_sample").click().run()
    assert not at.exception
    at.switch_page(PAGE).run()
    if lang != "ru":  # switched here: AppTest reads the home page's country selectbox back in Russian
        at.radio(key="lang_choice_ru").set_value(lang).run()
    assert not at.exception
    return at


def test_without_a_project_the_page_gives_guidance():
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert len(at.info) == 1 and ("home page" in at.info[0].value or "главной" in at.info[0].value)
    assert not at.error and not at.header  # nothing of the page is drawn


def test_with_the_sample_the_page_shows_classification_matrix_and_result():
    at = page_with_sample("en")
    classification = table(at, "overridden")
    assert len(classification) == 16
    row = classification.set_index("industry").loc["folk_crafts"]
    assert (row["name"], row["significance"]) == ("Folk arts and crafts", "high")
    assert row["levels"] == "national, oblast, district and city"  # Kazakhstan's own level names
    assert classification.set_index("industry").loc["software", "overridden"]  # the sample's override
    matrix = at.table[0].value  # a static table: long titles wrap
    assert matrix.index.tolist() == ["national", "oblast", "district and city"]
    assert list(matrix.columns) == ["economic", "organizational", "legal"]
    assert len(at.get("vega_lite_chart")) >= 3  # classification, matrix and budget charts
    assert "Result of the iteration" in [h.value for h in at.header]
    assert any("source" in m.value for m in at.markdown)  # the explanation of the chosen industry
    assert at.dataframe(key="measures_editor").value["measure"].tolist() == [m.measure for m in stored().measures]


def test_the_matrix_follows_the_chosen_industry_in_kazakh():
    at = page_with_sample("kk")
    at.selectbox(key="matrix_choice").set_value("significance:low").run()
    assert not at.exception
    matrix = at.table[0].value
    assert matrix.index.tolist() == ["республикалық", "облыстық", "аудандық және қалалық"]
    assert list(matrix.columns) == ["экономикалық", "ұйымдастырушылық", "құқықтық"]
    assert matrix.iloc[1].tolist() == ["—", "—", "—"]  # low significance: national level only


def test_an_override_is_saved_replaced_and_removed():
    at = page_with_sample("en")
    before = {o.industry: o for o in stored().overrides}
    significance = "high" if before.get("media") is None or before["media"].significance != "high" else "medium"
    at.selectbox(key="override_industry").set_value("media")
    at.selectbox(key="override_significance").set_value(significance)
    at.text_area(key="override_justification").input("Akimat media programme in Kazakh and Russian, Table 3")
    at.text_input(key="override_by").input("Dana")
    at.button(key="override_submit").click().run()
    assert not at.exception and not at.error
    after = {o.industry: o for o in stored().overrides}
    assert after["media"].significance == significance and after["media"].by == "Dana"
    assert {k: v for k, v in after.items() if k != "media"} == {k: v for k, v in before.items() if k != "media"}
    assert table(at, "overridden").set_index("industry").loc["media", "overridden"]

    at.selectbox(key="override_remove_industry").set_value("media")
    at.button(key="override_remove").click().run()
    assert not at.exception
    assert "media" not in {o.industry for o in stored().overrides}


def test_an_override_without_justification_is_refused_and_not_saved():
    at = page_with_sample("ru")
    before = stored().overrides
    at.selectbox(key="override_industry").set_value("design")
    at.selectbox(key="override_significance").set_value("high")
    at.text_area(key="override_justification").input("потому")  # under 10 characters
    at.text_input(key="override_by").input("Дана")
    at.button(key="override_submit").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "обоснование" in at.error[0].value
    assert stored().overrides == before


def test_a_budget_edit_in_the_measures_table_persists():
    at = page_with_sample("en")
    before = stored().measures
    new_budget = before[0].budget + 99.0
    at.session_state["measures_editor"] = {
        "edited_rows": {0: {"budget": new_budget}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="measures_save").click().run()
    assert not at.exception and not at.error
    after = stored().measures
    assert after[0].budget == new_budget
    assert [m.model_dump(exclude={"budget"}) for m in after] == [m.model_dump(exclude={"budget"}) for m in before]


def test_bad_measure_rows_are_shown_and_not_saved():
    at = page_with_sample("en")
    before = stored().measures
    at.session_state["measures_editor"] = {
        "edited_rows": {0: {"budget": -5.0}},
        "deleted_rows": [],
        "added_rows": [
            {
                "measure": "mun_festivals",
                "cluster": "living-crafts",
                "owner": "Akimat",
                "start": "2026-09-01",
                "end": "2026-03-01",
            }
        ],
    }
    at.button(key="measures_save").click().run()
    assert not at.exception
    text = plain(at.error[0].value)
    assert "Row 1 «" in text and "»: Budget — must be at least 0" in text
    assert (
        f"Row {len(before) + 1} «Festivals and large cultural events» — the end 2026-03-01 is before the start" in text
    )
    assert stored().measures == before


def test_saving_an_unchanged_table_adds_no_version():
    at = page_with_sample("en")
    store = Store()
    try:
        before = store.load("east-kazakhstan").version
        at.button(key="measures_save").click().run()
        assert not at.exception and not at.error
        assert any("Nothing changed" in i.value for i in at.info)
        assert store.load("east-kazakhstan").version == before
    finally:
        store.close()


# --- a new Russian region, from an empty project --------------------------------------------------


def new_region() -> str:
    """A region the samples never saw, stored empty (no clusters, no elements), its money in roubles
    as the frame's new project makes it; a fresh id per test."""
    project = Project(
        id=f"perm-krai-{uuid.uuid4().hex[:8]}",
        region=Region(name="Пермский край", country="RU"),
        economy=CreativeEconomy(currency="RUB", unit="thousand"),
    )
    store = Store()
    try:
        store.create(project, "test")
    finally:
        store.close()
    return project.id


def page_for(project_id: str, lang: str = "ru") -> AppTest:
    """Page 3 with `project_id` open, as the home page opens it, in `lang`."""
    found = loaded(project_id)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    for key, value in (
        ("project", found.project),
        ("version", found.version),
        ("read_only", False),
        ("passphrase", None),
        ("conflict", None),
    ):
        at.session_state[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def edit_table(at: AppTest, *added: dict, key: str = "measures_editor") -> AppTest:
    at.session_state[key] = {"edited_rows": {}, "added_rows": list(added), "deleted_rows": []}
    return at


def test_an_empty_russian_project_shows_every_section_and_an_empty_table_with_its_columns():
    at = page_for(new_region())
    assert not at.error
    editor = at.dataframe(key="measures_editor")
    assert list(editor.value.columns) == md.MEASURE_COLUMNS and editor.value.empty
    config = json.loads(editor.proto.columns)
    assert set(config) >= set(md.MEASURE_COLUMNS)  # every column configured, so "add row" is drawn
    assert config["budget"]["label"] == "Бюджет, тыс. руб."
    assert [o["label"] for o in config["cluster"]["type_config"]["options"]] == ["Весь регион"]
    assert (
        config["measure"]["type_config"]["options"][0]["label"] == "Целевые займы · федеральный · экономические"
    )  # Russia's own level names
    assert "Общий бюджет, тыс. руб." in [plain(m.label) for m in at.metric]  # Markdown labels: the unit escaped
    assert plain(at.number_input(key="measure_form_budget").label) == "Бюджет, тыс. руб."
    assert not any("KZT" in m.label for m in at.metric)
    assert len(table(at, "overridden")) == 16  # the typology classifies every industry
    assert any("типологи" in m.value for m in at.markdown)  # the explanation, in Russian


def test_the_first_override_through_the_form():
    project_id = new_region()
    at = page_for(project_id)
    at.selectbox(key="override_industry").set_value("design")
    at.selectbox(key="override_significance").set_value("high")
    at.text_area(key="override_justification").input("Пермский дизайн-кластер: 40 студий, таблица 3")
    at.text_input(key="override_by").input("Рабочая группа края")
    at.button(key="override_submit").click().run()
    assert not at.exception and not at.error
    [override] = stored(project_id).overrides
    assert (override.industry, override.significance, override.by) == ("design", "high", "Рабочая группа края")
    assert loaded(project_id).version == 2
    assert table(at, "overridden").set_index("industry").loc["design", "overridden"]


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "ru",
            [
                "Обоснование — нужно письменное обоснование (не короче 10 символов): чем случай региона "
                "отличается от типологии",
                "Кто решил — укажите, кто принял решение о переопределении",
            ],
        ),
        (
            "kk",
            [
                "Негіздеме — жазбаша негіздеме керек (кемінде 10 таңба): өңір жағдайы типологиядан несімен "
                "ерекшеленеді",
                "Кім шешті — қайта анықтау туралы шешімді кім қабылдағанын көрсетіңіз",
            ],
        ),
    ],
)
def test_a_refused_override_is_said_in_the_users_language_and_not_saved(lang, expected):
    project_id = new_region()
    at = page_for(project_id, lang)
    at.selectbox(key="override_industry").set_value("design")
    at.text_area(key="override_justification").input("потому")  # under 10 characters
    at.text_input(key="override_by").input("  ")
    at.button(key="override_submit").click().run()
    assert not at.exception and len(at.error) == 1
    text = plain(at.error[0].value)
    assert all(line in text for line in expected)
    assert stored(project_id).overrides == [] and loaded(project_id).version == 1


def test_the_first_measure_through_the_form():
    project_id = new_region()
    at = page_for(project_id)
    at.selectbox(key="measure_form_measure").set_value("reg_grants")
    at.selectbox(key="measure_form_cluster").set_value(md.REGION_WIDE)
    at.text_input(key="measure_form_owner").input("Министерство культуры края")
    at.number_input(key="measure_form_budget").set_value(1500.0)
    at.date_input(key="measure_form_start").set_value(date(2026, 3, 1))
    at.date_input(key="measure_form_end").set_value(date(2026, 12, 31))
    at.text_input(key="measure_form_note").input("![x](http://example.org/x.png)")  # user text, kept as typed
    at.button(key="measure_form_submit").click().run()
    assert not at.exception and not at.error
    assert stored(project_id).measures == [
        SelectedMeasure(
            measure="reg_grants",
            owner="Министерство культуры края",
            budget=1500,
            start=date(2026, 3, 1),
            end=date(2026, 12, 31),
            note="![x](http://example.org/x.png)",
        )
    ]
    assert at.dataframe(key="measures_editor").value["measure"].tolist() == ["reg_grants"]
    assert not any("example.org" in m.value for m in at.markdown)  # the note is a cell, never markup


def test_a_measure_refused_by_the_form_is_said_in_russian_and_not_saved():
    project_id = new_region()
    at = page_for(project_id)
    at.text_input(key="measure_form_owner").input("Министерство культуры края")  # no measure chosen
    at.date_input(key="measure_form_start").set_value(date(2026, 5, 1))
    at.date_input(key="measure_form_end").set_value(date(2026, 4, 1))
    at.button(key="measure_form_submit").click().run()
    assert not at.exception
    text = plain(at.error[0].value)
    assert "Мера — обязательное поле не заполнено" in text
    assert "Дата окончания 01.04.2026 раньше даты начала 01.05.2026" in text
    assert stored(project_id).measures == [] and loaded(project_id).version == 1


def test_the_first_measure_through_the_table_with_pasted_labels():
    project_id = new_region()
    at = edit_table(
        page_for(project_id),
        {
            "cluster": "Весь регион",
            "measure": "Региональные гранты",
            "owner": "Министерство культуры края",
            "budget": 800.0,
            "start": "2026-03-01",
            "end": "2026-11-30",
            "note": "",
        },
    )
    at.button(key="measures_save").click().run()
    assert not at.exception and not at.error
    assert stored(project_id).measures == [
        SelectedMeasure(
            measure="reg_grants",
            owner="Министерство культуры края",
            budget=800,
            start=date(2026, 3, 1),
            end=date(2026, 11, 30),
        )
    ]


@pytest.mark.parametrize(
    "lang, expected",
    [
        (
            "ru",
            [
                "Строка 1: Мера — обязательное поле не заполнено",
                "Строка 2 «Региональные гранты»: Бюджет — «много» — не число",
            ],
        ),
        ("kk", ["1-жол: Шара — міндетті өріс толтырылмаған", "2-жол «Облыстық гранттар»: Бюджет — «много» — сан емес"]),
    ],
)
def test_refused_table_rows_are_said_in_the_users_language_and_nothing_is_saved(lang, expected):
    project_id = new_region()
    at = edit_table(
        page_for(project_id, lang),
        {"cluster": md.REGION_WIDE, "owner": "Министерство культуры края"},  # half a row
        {"cluster": md.REGION_WIDE, "measure": "reg_grants", "budget": "много"},
        {"cluster": md.REGION_WIDE},
    )  # the new row's default only: an empty row, skipped
    at.button(key="measures_save").click().run()
    assert not at.exception and len(at.error) == 1
    text = plain(at.error[0].value)
    assert all(line in text for line in expected), text
    assert "Строка 3" not in text and "3-жол" not in text
    assert stored(project_id).measures == [] and loaded(project_id).version == 1


def test_saving_the_empty_table_of_a_new_region_adds_no_version():
    project_id = new_region()
    at = page_for(project_id)
    at.button(key="measures_save").click().run()
    assert not at.exception and not at.error
    assert any("Изменений нет" in i.value for i in at.info)
    assert loaded(project_id).version == 1
