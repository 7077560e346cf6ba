"""Sample projects shipped in seeds/samples/, written in YAML so their provenance notes stay readable.

A sample is an ordinary project document: it is validated by the same model and reference
checks as any user's file, so every page and report has real content to show.
"""

from __future__ import annotations

from policy_engine.method.catalogue import SEEDS_DIR
from policy_engine.project.model import Project, ProjectError
from policy_engine.seedfile import SeedError, read_yaml

SAMPLES_DIR = SEEDS_DIR / "samples"


def available_samples() -> list[str]:
    return sorted(p.stem for p in SAMPLES_DIR.glob("*.yaml"))


def load_sample(name: str) -> Project:
    """Load a sample by name; KeyError when there is none, SeedError when it is broken."""
    path = SAMPLES_DIR / f"{name}.yaml"
    if name not in available_samples():
        raise KeyError(name)
    try:
        return Project.from_data(read_yaml(path))
    except ProjectError as exc:
        raise SeedError(f"{path}: " + "; ".join(exc.errors)) from None
