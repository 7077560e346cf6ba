"""Shared fixtures: the real seed catalogue, the shipped sample, and a writable copy of seeds/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policy_engine.catalogue import SEEDS_DIR, Catalogue, default_catalogue
from policy_engine.project import Project
from policy_engine.sample import load_sample

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
