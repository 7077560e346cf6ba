"""End-to-end fixtures: the real app (started as the README says) driven in Debian's headless Chromium.

The browser is Debian's /usr/bin/chromium (scripts/browser.sh installs it), driven by Playwright;
`playwright install` is never run, because CI cannot reach Playwright's CDN (PITFALLS §3). Without
the browser or the playwright package these tests are skipped, except under CI, where that is a
failure: a skipped browser run would turn CI green with no coverage of the app as users see it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 120  # scripts/app.sh may first install the requirements into .venv
TIMEOUT_MS = 30_000  # Playwright waits


def _require_browser() -> None:
    """Skip (fail under CI) unless both Debian's Chromium and the playwright package are there."""
    missing = []
    if not os.access(CHROMIUM, os.X_OK):
        missing.append(f"{CHROMIUM} (run scripts/browser.sh as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -r requirements-dev.txt)")
    if missing:
        message = "end-to-end tests need " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser tests, but " + message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(proc: subprocess.Popen) -> None:
    """Ends the app's whole process group: TERM, then KILL if it lingers."""
    if proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


SERVER: dict[str, str] = {}  # what the running app uses, for tests that check the store behind it


@contextlib.contextmanager
def running_app(tmp: Path, database_url: str, **settings: str):
    """The app as the README starts it (`scripts/app.sh`), on a free port, a database of the caller's
    and any extra settings (environment variables); yields (its URL, its process), ends it after."""
    env = dict(os.environ, DATABASE_URL=database_url, **settings)
    env["GENIUS_LOCI_DATA"] = str(tmp)  # even a fallback to the default store stays out of data/
    port = _free_port()
    log = tmp / "app.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["bash", "scripts/app.sh", "--server.port", str(port), "--server.fileWatcherType", "none"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown ends streamlit too
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, url, log)
        yield url, proc
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """The app on a throwaway SQLite file; yields its URL."""
    _require_browser()
    tmp = tmp_path_factory.mktemp("e2e-app")
    SERVER["database_url"] = f"sqlite:///{tmp / 'genius_loci.db'}"
    with running_app(tmp, SERVER["database_url"]) as (url, _):
        yield url


def wait_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    """Polls /_stcore/health until the app answers "ok"; fails with the log's tail if it never does."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            pytest.fail(f"the app exited with code {proc.returncode} before it was healthy:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the app was not healthy after {STARTUP_TIMEOUT_S} s:\n{_tail(log)}")
        time.sleep(0.5)


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # the default 5 s is short for a first rerun on a busy CI
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="ru-RU")
    context.set_default_timeout(TIMEOUT_MS)
    p = context.new_page()
    try:
        yield p
    finally:
        context.close()


def wait_for_app(page) -> None:
    """Waits until the app is connected and its script has finished, then checks it raised nothing.

    As in Streamlit's own e2e conftest (PITFALLS §3). After an interaction, first wait for something
    the rerun must change: right after a click the script may not have started yet, so
    `notRunning` alone can be the state from before the click.
    """
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    page.wait_for_timeout(150)
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").all_inner_texts()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, keep a screenshot of the page as it was (/tmp/e2e_failure.png) to look at."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if report.when == "call" and report.failed else None
    if page is not None:
        try:
            page.screenshot(path="/tmp/e2e_failure.png", full_page=True)
        except Exception:  # the browser may be gone; the failure itself is what matters
            pass
