"""Shared fixtures: the real seed catalogue, the shipped sample, and a writable copy of seeds/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policy_engine.method.catalogue import SEEDS_DIR, Catalogue, default_catalogue
from policy_engine.project.model import Project
from policy_engine.project.sample import load_sample

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return default_catalogue()


@pytest.fixture
def sample() -> Project:
    """A fresh copy of the East Kazakhstan sample (tests may change it)."""
    return load_sample("east-kazakhstan")


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A copy of seeds/ that a test may break on purpose."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, target)
    return target


def postgres_url() -> str:
    """The test server's URL; skip when none is configured, fail when CI has none or it is down.

    A skipped PostgreSQL run would turn CI green with no coverage of the server the ministries
    use, so under CI a missing TEST_PG_URL is a failure (see scripts/test.sh).
    """
    import os

    import sqlalchemy as sa

    from policy_engine.store.database import database_url

    url = os.environ.get("TEST_PG_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the PostgreSQL tests, but TEST_PG_URL is not set")
        pytest.skip("TEST_PG_URL is not set (scripts/test.sh sets it up)")
    engine = sa.create_engine(database_url(url))
    try:
        with engine.begin() as conn:  # a clean schema for every test
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as exc:
        pytest.fail(f"TEST_PG_URL is set but the server cannot be reached: {exc.orig}")
    finally:
        engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return postgres_url()


@pytest.fixture
def store(store_url):
    from policy_engine.store.database import Store

    s = Store(store_url)
    yield s
    s.close()


@pytest.fixture(scope="session", autouse=True)
def _isolated_default_database(tmp_path_factory):
    """Code that opens the default store (the app) writes to a throwaway SQLite file, not data/."""
    import os

    url = f"sqlite:///{tmp_path_factory.mktemp('default-db') / 'genius_loci.db'}"
    old = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    yield url
    if old is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = old


@pytest.fixture(scope="session", autouse=True)
def _page_errors_fail_tests():
    """The app shows an unexpected page error as a short message with an incident reference
    (pages.shared.guarded); with GENIUS_LOCI_DEBUG=1 it lets the error through, so every AppTest smoke
    test still sees a page that breaks as `at.exception`. tests/pages/test_pages_errors.py unsets it."""
    import os

    old = os.environ.get("GENIUS_LOCI_DEBUG")
    os.environ["GENIUS_LOCI_DEBUG"] = "1"
    yield
    if old is None:
        os.environ.pop("GENIUS_LOCI_DEBUG", None)
    else:
        os.environ["GENIUS_LOCI_DEBUG"] = old
