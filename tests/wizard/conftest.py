"""What the wizard's edit tests share: a new project for a region the samples do not hold."""

from __future__ import annotations

import pytest

from policy_engine.project.model import Cluster, Project, Region


@pytest.fixture
def empty() -> Project:
    """Perm krai with one cluster and nothing else, as a facilitator starts it."""
    return Project(
        id="perm-krai",
        region=Region(name="Пермский край", country="RU"),
        clusters=[Cluster(id="crafts", name="Ремёсла", industries=["folk_crafts"])],
    )
