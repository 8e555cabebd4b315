"""Upstream (look-through) exposure on a hand-worked example, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.metrics.upstream import OTHER, pass_through_share, upstream_exposure


def test_hand_worked_example():
    # An importer buys magnets 50 % from PHL (no rare-earth production), 30 % from CHN and 20 % from USA.
    # Upstream (rare-earth mining): CHN 70 %, USA 10 %, AUS 10 %, the remaining 10 % unattributed.
    # PHL passes through at the world mix: CHN 0.5·0.7 = 0.35, USA 0.05, AUS 0.05, other 0.05.
    # CHN and USA produce, so they supply themselves: CHN 0.30, USA 0.20.
    # Totals: CHN 0.65, USA 0.25, AUS 0.05, other 0.05.
    exposure = upstream_exposure({"PHL": 0.5, "CHN": 0.3, "USA": 0.2}, {"CHN": 0.7, "USA": 0.1, "AUS": 0.1})
    assert exposure == pytest.approx({"CHN": 0.65, "USA": 0.25, "AUS": 0.05, OTHER: 0.05})
    assert list(exposure)[:2] == ["CHN", "USA"]
    assert pass_through_share({"PHL": 0.5, "CHN": 0.3, "USA": 0.2}, {"CHN": 0.7, "USA": 0.1}) == 0.5


def test_a_small_producer_covers_only_part_of_its_exports():
    # VNM mines 1 % of the upstream stage but sells 5 % of world exports of the product: f = 0.01 / 0.05 = 0.2.
    # CHN mines 70 % and exports 60 %: f = 1. An importer buys 50 % from VNM, 50 % from CHN.
    # VNM: 0.5 · 0.2 = 0.10 itself; 0.5 · 0.8 = 0.40 at the world mix (CHN 0.7, VNM 0.01, AUS 0.19, other 0.10):
    #   CHN 0.28, VNM 0.004, AUS 0.076, other 0.04.   CHN: 0.50 itself.
    # Totals: CHN 0.78, VNM 0.104, AUS 0.076, other 0.04.
    exposure = upstream_exposure({"VNM": 0.5, "CHN": 0.5}, {"CHN": 0.7, "VNM": 0.01, "AUS": 0.19},
                                 export_shares={"VNM": 0.05, "CHN": 0.6})
    assert exposure == pytest.approx({"CHN": 0.78, "VNM": 0.104, "AUS": 0.076, OTHER: 0.04})
    assert pass_through_share({"VNM": 0.5, "CHN": 0.5}, {"CHN": 0.7, "VNM": 0.01},
                              {"VNM": 0.05, "CHN": 0.6}) == pytest.approx(0.4)


def test_known_sourcing_of_a_non_producer_replaces_the_world_mix():
    # VNM is known to buy its input 80 % from CHN and 20 % from MYS: 0.6 of imports from VNM → CHN 0.48, MYS 0.12.
    exposure = upstream_exposure({"VNM": 0.6, "AUS": 0.4}, {"CHN": 0.6, "AUS": 0.4},
                                 sourcing={"VNM": {"CHN": 0.8, "MYS": 0.2}})
    assert exposure == pytest.approx({"CHN": 0.48, "AUS": 0.4, "MYS": 0.12})


def test_rejects_production_shares_above_one():
    with pytest.raises(ValueError):
        upstream_exposure({"JPN": 1.0}, {"CHN": 0.8, "AUS": 0.3})


COUNTRIES = st.sampled_from(["AUS", "CHN", "IND", "JPN", "PHL", "USA", "VNM"])


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items()}


@given(st.dictionaries(COUNTRIES, st.floats(0.01, 10), min_size=1),
       st.dictionaries(COUNTRIES, st.floats(0.01, 10), min_size=1), st.floats(0.5, 1.0),
       st.dictionaries(COUNTRIES, st.floats(0.01, 10), min_size=1))
def test_exposures_sum_to_one_and_a_self_sufficient_producer_keeps_its_share(trade, production, coverage, exports):
    trade_shares = _normalised(trade)
    production_shares = {k: v * coverage for k, v in _normalised(production).items()}
    export_shares = _normalised(exports)
    for given_exports in (None, export_shares):
        exposure = upstream_exposure(trade_shares, production_shares, given_exports)
        assert sum(exposure.values()) == pytest.approx(1.0)
        assert 0 <= pass_through_share(trade_shares, production_shares, given_exports) <= 1 + 1e-12
        for supplier, share in trade_shares.items():
            own = production_shares.get(supplier, 0)
            if own > 0 and own >= (export_shares.get(supplier, 0) if given_exports else 0):
                assert exposure[supplier] >= share - 1e-12
