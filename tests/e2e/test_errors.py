"""Errors as a browser sees them, on a freshly started server (as users meet it after a restart).

A database that fails (here: its `project` table is gone) must show a short message in the user's
language with an incident reference — no SQL, no traceback, no exception text — and the server log must
hold the details under that reference. And a bookmarked page opened first after the restart must run
through app.py like any other: Streamlit used to run pages/2_clustering.py on its own then (the old
multipage mode), with a menu listing "session" and "shared" and without the error guard.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess

import pytest

from policy_engine.store.database import Store
from tests.e2e import conftest
from tests.e2e.conftest import wait_for_app

pytestmark = pytest.mark.e2e
MENU = [
    "Главная",
    "1 Аудит идентичности",
    "2 Кластеризация",
    "3 Дизайн мер",
    "4 Пилотные проекты",
    "5 Продвижение",
    "6 Мониторинг",
    "Семинар с залом",
    "Дорожная карта",
]


@pytest.fixture
def broken_db_app(tmp_path):
    """A fresh app whose database has lost its project table; errors shown as users see them."""
    conftest._require_browser()
    db = tmp_path / "broken.db"
    Store(f"sqlite:///{db}").close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("DROP TABLE project")
    env = {k: v for k, v in os.environ.items() if k != "GENIUS_LOCI_DEBUG"}
    env.update(DATABASE_URL=f"sqlite:///{db}", GENIUS_LOCI_DATA=str(tmp_path))
    port = conftest._free_port()
    log_path = tmp_path / "app.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            ["bash", "scripts/app.sh", "--server.port", str(port), "--server.fileWatcherType", "none"],
            cwd=conftest.ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        conftest.wait_healthy(proc, f"http://127.0.0.1:{port}", log_path)
        yield f"http://127.0.0.1:{port}", log_path
    finally:
        conftest._stop(proc)


def test_a_deep_link_first_and_a_failing_database_show_no_details(broken_db_app, page):
    url, log_path = broken_db_app
    page.goto(f"{url}/clustering")  # the very first visit after the start
    nav = page.get_by_test_id("stSidebarNav")
    nav.locator("a").first.wait_for()
    first_menu = [t.split("\n")[-1] for t in nav.locator("a").all_inner_texts()]  # as first drawn
    wait_for_app(page)
    menu = [t.split("\n")[-1] for t in nav.locator("a").all_inner_texts()]
    assert first_menu == MENU and menu == MENU
    assert page.title() == "Genius Loci"

    page.goto(url)
    wait_for_app(page)  # also: no stException
    alert = page.get_by_test_id("stAlertContentError")
    assert alert.count() == 1
    message = alert.inner_text()
    assert "База данных сейчас недоступна или занята" in message
    body = page.locator("body").inner_text()
    for leak in ("SELECT", "no such table", "Traceback", "OperationalError", "sqlite3", "project.id"):
        assert leak not in body
    reference = re.search(r"\b[0-9A-F]{8}\b", message).group(0)
    log = log_path.read_text(errors="replace")
    assert f"incident {reference}" in log and "no such table: project" in log and "Traceback" in log
