"""Errors reach the user as a short message in their language with an incident reference, never as an SQL
statement, an exception's text or a traceback (on PostgreSQL a NUL in a document once made a page show
the INSERT with part of the document); the details go to the server log under the same reference."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from policy_engine.store import database as store_module

APP = str(Path(__file__).resolve().parents[2] / "app.py")
SECRET = "Салбұрын-секрет"  # a piece of the document that must not reach the page
STATEMENT = "INSERT INTO project_version (project_id, version, document) VALUES (%(project_id)s, %(document)s)"
LEAKS = ("INSERT", "SELECT", "[SQL", "project_version", "Traceback", "DataError", "RuntimeError", SECRET, "NUL")


def data_error(*_args, **_kwargs):
    """What psycopg raises for a NUL in a text value, as SQLAlchemy wraps it."""
    raise sa.exc.DataError(
        STATEMENT,
        {"project_id": "east-kazakhstan", "document": f'{{"x": "{SECRET}\x00"}}'},
        Exception("PostgreSQL text fields cannot contain NUL (0x00) bytes"),
    )


def texts(at: AppTest) -> str:
    """Every string of every element on the page (main area, sidebar, expanders, forms), as protobuf text."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out)


@pytest.fixture
def at(monkeypatch):
    """The app with the sample open, errors shown as users see them (the suite's GENIUS_LOCI_DEBUG off)."""
    monkeypatch.delenv("GENIUS_LOCI_DEBUG", raising=False)
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.button(key="open_sample").click().run()
    assert not app.exception
    return app


def incident_in(text: str) -> str:
    found = re.findall(r"\b[0-9A-F]{8}\b", text)
    assert found, text
    return found[0]


def test_a_database_refusal_on_save_shows_a_coded_message_and_no_sql(at, monkeypatch, caplog):
    at.switch_page("pages/1_identity_audit.py").run()
    monkeypatch.setattr(store_module, "_insert_version", data_error)
    at.session_state["elements_editor"] = {
        "edited_rows": {0: {"name": "Салбұрын — құсбегілік (edited)"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    with caplog.at_level(logging.ERROR, logger="genius_loci"):
        at.button(key="save_elements").click().run()
    assert not at.exception
    shown = [e.value for e in at.error]
    assert len(shown) == 1 and shown[0].startswith("База данных не приняла значение"), shown
    page = texts(at)
    assert not [leak for leak in LEAKS if leak in page]
    reference = incident_in(shown[0])
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert reference in logged and "INSERT INTO project_version" in logged  # the details are in the log


def broken_list(self):
    raise RuntimeError(f"SELECT document FROM project_version -- {SECRET}")


def first_run(monkeypatch, lang: str = "ru") -> AppTest:
    """A first run, which AppTest makes through app.py and so through its guard. (A later run goes straight
    to the page's file: AppTest resets Streamlit's "uses the pages/ folder" flag before every run, so its
    multipage-v1 path runs the current page; `streamlit run` clears that flag for good at the first
    st.navigation call.)"""
    monkeypatch.delenv("GENIUS_LOCI_DEBUG", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def test_an_unexpected_error_in_a_page_shows_an_incident_reference(monkeypatch, caplog):
    monkeypatch.setattr(store_module.Store, "list_projects", broken_list)
    with caplog.at_level(logging.ERROR, logger="genius_loci"):
        at = first_run(monkeypatch, "en")
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert message.startswith("Internal error: the page could not be shown in full.")
    assert not [leak for leak in LEAKS if leak in texts(at)]
    assert at.title[0].value == "Genius Loci"  # what the page drew before the error stays
    reference = incident_in(message)
    (record,) = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info and "RuntimeError" in record.getMessage() and SECRET in record.getMessage()


def test_a_database_error_while_reading_outside_any_handler_is_coded_too(monkeypatch):
    """The home page lists the projects without a try: the error reaches the page guard as a DatabaseError."""

    def failing_list(self):
        def work(_session):
            raise sa.exc.OperationalError("SELECT * FROM project", {}, Exception(f"server closed {SECRET}"))

        return self._read(work)

    monkeypatch.setattr(store_module.Store, "list_projects", failing_list)
    at = first_run(monkeypatch, "kk")
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert message.startswith("Дерекқор қазір қолжетімсіз")
    assert not [leak for leak in LEAKS if leak in texts(at)]


def guarded_page_with_rerun_and_stop():
    import streamlit as st

    from pages.shared import guarded

    def page():
        if "reran" not in st.session_state:
            st.session_state["reran"] = True
            st.rerun()
        st.text("after the rerun")
        st.stop()
        st.text("after the stop")

    guarded(page)


def test_streamlit_control_flow_passes_the_guard(monkeypatch):
    """st.rerun / st.stop / st.switch_page raise these; the guard catches Exception, so they must not be one,
    and a guarded page that reruns and stops does so without an incident."""
    from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

    assert not issubclass(RerunException, Exception) and not issubclass(StopException, Exception)
    monkeypatch.delenv("GENIUS_LOCI_DEBUG", raising=False)
    at = AppTest.from_function(guarded_page_with_rerun_and_stop, default_timeout=30).run()
    assert not at.exception and not at.error
    assert [t.value for t in at.text] == ["after the rerun"]


def test_the_suite_still_sees_a_broken_page(monkeypatch):
    """With GENIUS_LOCI_DEBUG=1 (set for the whole suite, tests/conftest.py) a page error reaches AppTest as an
    exception, so the smoke tests still fail on a broken page."""
    monkeypatch.setattr(store_module.Store, "list_projects", broken_list)
    at = first_run(monkeypatch)  # unsets it
    assert not at.exception
    monkeypatch.setenv("GENIUS_LOCI_DEBUG", "1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.exception and not at.error
