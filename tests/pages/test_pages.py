"""The wizard's pages in AppTest: guidance without a project, content with the sample, edits that
reach the store. (Page 3 has its own module, tests/pages/test_page_measure_design.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from policy_engine.store.database import Store

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = [
    "pages/1_identity_audit.py",
    "pages/2_clustering.py",
    "pages/3_measure_design.py",
    "pages/4_pilots.py",
    "pages/5_promotion.py",
    "pages/6_monitoring.py",
    "pages/workshop.py",
    "pages/roadmap.py",
]


def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    return at


def with_sample() -> AppTest:
    at = app()
    at.button(key="open_sample").click().run()
    assert not at.exception
    return at


def stored():
    return Store().load("east-kazakhstan").project


def test_home_without_project_lists_actions():
    at = app()
    assert at.title[0].value == "Genius Loci"
    assert at.button(key="open_sample")


@pytest.mark.parametrize("page", PAGES)
def test_page_without_project_shows_guidance(page):
    at = app()
    at.switch_page(page).run()
    assert not at.exception
    assert any("home page" in i.value or "главной" in i.value for i in at.info)


@pytest.mark.parametrize(
    "page, headers",
    [
        ("pages/1_identity_audit.py", ["Элементы идентичности", "Креативная экономика", "Участники экосистемы"]),
        (
            "pages/2_clustering.py",
            ["Точки роста", "Предложенные кластеры (по связям аудита)", "Кластеры проекта", "Узкие места"],
        ),
    ],
)
def test_page_with_the_sample_shows_its_content(page, headers):
    at = with_sample()
    at.switch_page(page).run()
    assert not at.exception
    assert [h.value for h in at.header][: len(headers)] == headers
    assert len(at.get("vega_lite_chart")) >= 1  # charts, not only tables
    assert "Результат итерации" in [h.value for h in at.header]


def test_sidebar_shows_project_cycle_and_progress_in_kazakh():
    at = with_sample()
    at.radio(key="lang_choice_ru").set_value("kk").run()
    text = " ".join(m.value for m in at.sidebar.markdown) + " ".join(c.value for c in at.sidebar.caption)
    assert "Шығыс Қазақстан облысы" in text and "1-цикл" in text
    assert "1 Бірегейлік аудиті" in text


def test_identity_element_edit_persists():
    at = with_sample()
    at.switch_page("pages/1_identity_audit.py").run()
    before = stored().identity_elements[0]
    new_vitality = 5 if before.scores.vitality != 5 else 3
    at.session_state["elements_editor"] = {
        "edited_rows": {0: {"vitality": new_vitality, "name": "Салбұрын — құсбегілік"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="save_elements").click().run()
    assert not at.exception
    after = stored().identity_elements[0]
    assert (after.id, after.scores.vitality, after.name) == (before.id, new_vitality, "Салбұрын — құсбегілік")


def test_invalid_identity_rows_are_refused_with_the_row_named():
    at = with_sample()
    at.switch_page("pages/1_identity_audit.py").run()
    count = len(stored().identity_elements)
    at.session_state["elements_editor"] = {
        "edited_rows": {},
        "deleted_rows": [],
        "added_rows": [
            {
                "name": "New element",
                "component": "material",
                "layer": "cultural",
                "uniqueness": 9,
                "recognition": 3,
                "vitality": 3,
                "industries": ["basket_weaving"],
            }
        ],
    }
    at.run()
    at.button(key="save_elements").click().run()
    errors = " ".join(e.value for e in at.error)
    assert (
        f"Строка {count + 1} «New element»: Отрасли — «basket\\_weaving» — нет в списке" in errors
        or f"Строка {count + 1} «New element»" in errors
        and "basket\\_weaving" in errors
    )
    assert len(stored().identity_elements) == count


def test_register_upload_replaces_employment_and_lists_rejected_lines():
    at = with_sample()
    at.switch_page("pages/1_identity_audit.py").run()
    data = "ОКВЭД;Район;Численность\n59.11;Риддер;12\n47.11;Риддер;300\n;Риддер;4\n".encode("cp1251")
    at.file_uploader(key="register_files").set_value(("register.csv", data, "text/csv")).run()
    assert at.button(key="import_register").disabled  # the sample's employment would be replaced: asked first
    assert "26 строк" in at.checkbox(key="register_replace_ok").label
    at.checkbox(key="register_replace_ok").check().run()
    at.button(key="import_register").click().run()
    assert not at.exception
    employment = {(r.municipality, r.industry): r.employees for r in stored().economy.employment}
    assert employment == {("Риддер", "cinema"): 12.0, ("Риддер", "non_creative"): 300.0}
    assert any("2 of 3" in i.value or "2 из 3" in i.value for i in at.info)
    rejected = next(d.value for d in at.dataframe if "Причина" in d.value.columns)
    assert rejected.iloc[0].tolist() == [4, "пустой код деятельности"]  # the reason in the user's language


def test_accepting_a_proposal_adds_a_cluster():
    at = with_sample()
    at.switch_page("pages/2_clustering.py").run()
    before = len(stored().clusters)
    for accept in [b for b in at.button if b.key and b.key.startswith("accept_") and not b.disabled]:
        at.button(key=accept.key).click().run()  # a proposal the sample has not accepted yet
        assert not at.exception
        if len(stored().clusters) > before:
            break
    clusters = stored().clusters
    assert len(clusters) == before + 1 and clusters[-1].status == "accepted"
    assert at.button(key=accept.key).disabled  # the same proposal cannot be accepted again
    assert any("уже принят как «" in c.value for c in at.caption)


def test_cluster_target_image_edit_persists():
    at = with_sample()
    at.switch_page("pages/2_clustering.py").run()
    first = stored().clusters[0].id
    at.text_area(key=f"cl_image_{first}_v{at.session_state['version']}").input(
        "Мастерские в каждом районе к 2030 году"
    )  # submitted with the form
    at.button(key=f"FormSubmitter:cluster_form_{first}-Сохранить кластер").click().run()
    assert not at.exception
    assert stored().clusters[0].target_image == "Мастерские в каждом районе к 2030 году"


def test_a_conflicting_save_is_shown_and_the_newest_version_can_be_reloaded():
    at = with_sample()
    at.switch_page("pages/1_identity_audit.py").run()
    store = Store()
    other = store.load("east-kazakhstan")  # a colleague saves first
    other.project.promotion.narrative = "Colleague's narrative"
    store.save(other.project, other.version, "Colleague")
    at.text_area(key="profile_positioning").input("My positioning")
    at.button(key="FormSubmitter:profile_form-Сохранить профиль").click().run()
    assert not at.exception
    assert any("изменён другим пользователем" in e.value for e in at.error)
    assert any("Продвижение" in m.value for m in at.markdown)  # what the colleague changed, in Russian
    assert store.load("east-kazakhstan").project.promotion.narrative == "Colleague's narrative"
    at.button(key="conflict_reload").click().run()
    assert at.session_state["project"].promotion.narrative == "Colleague's narrative"
    assert at.session_state["version"] == store.load("east-kazakhstan").version
    store.close()


def test_the_chosen_language_survives_a_page_switch():
    at = with_sample()
    at.switch_page("pages/1_identity_audit.py").run()
    at.radio(key="lang_choice_ru").set_value("kk").run()
    assert at.title[0].value == "1 Бірегейлік аудиті"
    at.switch_page("pages/2_clustering.py").run()
    assert not at.exception
    assert at.title[0].value == "2 Кластерлеу"
    assert at.radio(key="lang_choice_kk").value == "kk"


def test_roadmap_page_previews_the_document_in_the_chosen_language():
    at = with_sample()
    at.switch_page("pages/roadmap.py").run()
    assert not at.exception
    assert at.header[0].value == "Содержание документа"
    labels = [e.label for e in at.expander]
    assert labels[0] == "Рабочая группа, подписанты и дата пересмотра" and labels[1] == "1\\. Резюме"
    assert "Living crafts of the Altai" in " ".join(m.value for m in at.markdown)
    at.radio(key="doc_lang").set_value("en").run()
    assert not at.exception
    assert [e.label for e in at.expander][-1] == "9\\. Next review"


def documents(at) -> list:
    """The roadmap's own download buttons (the tables on the page offer CSV and Excel downloads too)."""
    return [b for b in at.download_button if b.key in ("download_pdf", "download_docx")]


def test_roadmap_page_renders_both_files_and_marks_them_stale_after_an_edit():
    at = with_sample()
    at.switch_page("pages/roadmap.py").run()
    assert not documents(at)
    at.button(key="render_roadmap").click()
    at.run(timeout=120)
    assert not at.exception
    assert [b.label for b in documents(at)] == ["Скачать PDF", "Скачать DOCX (для правки в Word)"]
    assert "стр. PDF" in at.success[0].value
    _, files = at.session_state["roadmap_files"]
    assert files.pdf[:5] == b"%PDF-" and files.docx[:2] == b"PK" and files.pages > 15
    at.radio(key="doc_lang").set_value("en").run()  # another language: the files held are not this document
    assert not documents(at) and at.warning[0].value.startswith("Проект изменился")
