"""Page 3, measure design, in AppTest: guidance without a project, the classification and matrix with the
sample, overrides and measure edits that reach the store, and an override refused without a justification.

The store is the session's throwaway database (tests/conftest.py) and other tests may have opened and
edited the sample already, so each test reads the stored state before it asserts a change.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from policy_engine.store import Store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "pages/3_measure_design.py"


def stored():
    store = Store()
    try:
        return store.load("east-kazakhstan").project
    finally:
        store.close()


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
    at.session_state["measures_editor"] = {"edited_rows": {0: {"budget": new_budget}},
                                           "added_rows": [], "deleted_rows": []}
    at.button(key="measures_save").click().run()
    assert not at.exception and not at.error
    after = stored().measures
    assert after[0].budget == new_budget
    assert [m.model_dump(exclude={"budget"}) for m in after] == [m.model_dump(exclude={"budget"}) for m in before]


def test_bad_measure_rows_are_shown_and_not_saved():
    at = page_with_sample("en")
    before = stored().measures
    at.session_state["measures_editor"] = {
        "edited_rows": {0: {"budget": -5.0}}, "deleted_rows": [],
        "added_rows": [{"measure": "mun_festivals", "cluster": "living-crafts", "owner": "Akimat",
                        "start": "2026-09-01", "end": "2026-03-01"}]}
    at.button(key="measures_save").click().run()
    assert not at.exception
    text = at.error[0].value
    assert "row 1" in text and "the budget cannot be negative (-5)" in text
    assert f"row {len(before) + 1} (Festivals" in text and "is before the start" in text
    assert stored().measures == before


def test_saving_an_unchanged_table_adds_no_version():
    at = page_with_sample("en")
    store = Store()
    try:
        before = store.load("east-kazakhstan").version
        at.button(key="measures_save").click().run()
        assert not at.exception and not at.error
        assert any("Nothing has changed" in i.value for i in at.info)
        assert store.load("east-kazakhstan").version == before
    finally:
        store.close()
