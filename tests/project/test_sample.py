"""The East Kazakhstan sample: valid, filled in for all six iterations, and honest about provenance."""

from __future__ import annotations

import pytest

from policy_engine.diagnostics.rules import classify_all
from policy_engine.project.model import check_references
from policy_engine.project.sample import available_samples, load_sample

SEED_003 = "003_ae69a361e52e8ae9"


def test_sample_is_listed_and_valid(sample, catalogue):
    assert "east-kazakhstan" in available_samples()
    assert check_references(sample, catalogue) == []
    assert sample.region.country == "KZ"


def test_unknown_sample():
    with pytest.raises(KeyError):
        load_sample("atlantis")


def test_every_iteration_has_content(sample):
    assert len(sample.identity_elements) >= 10 and sample.actors and sample.ties  # 1 identity audit
    assert sample.clusters and all(c.target_image and c.formation_type for c in sample.clusters)  # 2 clustering
    assert sample.measures and all(m.owner and m.start and m.end for m in sample.measures)  # 3 measure design
    assert sample.pilots and sample.single_window.who  # 4 pilots
    assert sample.promotion.narrative and sample.promotion.stories and sample.promotion.events  # 5 promotion
    assert sample.kpis and all(len(k.actuals) >= 2 for k in sample.kpis)  # 6 monitoring


def test_identity_elements_cover_every_layer_and_component(sample, catalogue):
    assert {e.layer for e in sample.identity_elements} == {lyr.id for lyr in catalogue.identity.layers}
    assert {e.component for e in sample.identity_elements} == {"material", "symbolic"}


def test_creative_share_actuals_are_table_1_of_seed_003(sample):
    """The sourced KPI actuals must equal GVA / GRP of the sourced Table 1 records, to rounding."""
    region = sample.economy.region_territory
    shares = {r.year: r.share for r in sample.economy.gva if r.territory == region}
    assert sorted(shares) == list(range(2018, 2024))
    track = next(k for k in sample.kpis if k.kpi == "creative_gva_share")
    assert track.sourced_years == list(range(2018, 2024))
    for year in track.sourced_years:
        assert track.actuals[year] == pytest.approx(shares[year], abs=0.0005)


def test_table_1_records_are_marked_as_sourced(sample):
    assert len(sample.economy.gva) == 24
    for rec in sample.economy.gva:
        assert rec.provenance.basis == "sourced"
        assert rec.provenance.source.doc == SEED_003 and "Table 1" in rec.provenance.source.locator


def test_provenance_is_marked_on_every_item(sample):
    items = [
        *sample.identity_elements,
        *sample.actors,
        *sample.pilots,
        *sample.promotion.events,
        *sample.kpis,
        *sample.economy.employment,
        *sample.region.profile,
    ]
    assert all(i.provenance.basis in ("sourced", "illustrative") for i in items)
    bases = {i.provenance.basis for i in items}
    assert bases == {"sourced", "illustrative"}


def test_sample_classification_shows_evidence_and_override(sample, catalogue):
    decisions = {d.industry: d for d in classify_all(catalogue, sample)}
    moved = [d for d in decisions.values() if d.significance != d.default_significance and not d.overridden]
    assert moved, "the sample should show evidence moving at least one industry"
    assert any(d.overridden for d in decisions.values())
