"""The Streamlit app starts and shows the engine's classification (AppTest, no browser)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def test_app_starts_and_lists_sixteen_industries():
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 16
    assert len(at.expander) == 16


def test_language_switch_shows_russian_explanations():
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.radio(key="lang").set_value("ru").run()
    assert not at.exception
    assert "Культурное наследие" in at.dataframe[0].value["industry"].tolist()
    assert any("источник" in m.value for m in at.markdown)


def test_kazakhstan_level_names():
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.radio(key="lang").set_value("en").run()
    at.radio(key="country").set_value("KZ").run()
    assert "national, oblast, district and city" in at.dataframe[0].value["levels"].tolist()


def test_sidebar_lists_projects_of_the_store(sample):
    from policy_engine.store import Store

    store = Store()  # the session's throwaway default database (see conftest)
    if "east-kazakhstan" not in [p.id for p in store.list_projects()]:
        store.create(sample, "test")
    store.close()
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert any("east-kazakhstan" in m.value for m in at.sidebar.markdown)
