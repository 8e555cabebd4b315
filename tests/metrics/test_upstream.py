"""The mass-balance look-through on hand-worked networks, and its invariants.

Flows are tonnes of content, (exporter, importer) -> t. "C" is the importer looked at throughout.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from setu.metrics.upstream import OTHER, look_through, origins, self_served, world_mix

WORLD = {"P": 0.8, OTHER: 0.2}


def _exposure(flows, production, world=WORLD, **options):
    found = origins(flows, production, world, exclude="C", **options)
    return look_through("C", flows, found, world), found


def test_world_mix_and_the_importer_left_out():
    assert world_mix({"A": 60, "B": 20}, 100) == pytest.approx({"A": 0.6, "B": 0.2, OTHER: 0.2})
    assert world_mix({"A": 60, "B": 20}, 100, exclude="A") == pytest.approx({"B": 0.5, OTHER: 0.5})
    assert world_mix({"A": 3, "B": 1}) == pytest.approx({"A": 0.75, "B": 0.25})
    assert self_served(30, 50) == pytest.approx(0.6) and self_served(0, 0) == 1.0


def test_a_self_sufficient_exporter_serves_its_exports_itself_whatever_it_imports():
    # A mines 100 t and exports 80 t to C; it also imports 50 t from B. P_A >= X_A: all of C's tonnes are A's.
    result, found = _exposure({("A", "C"): 80, ("B", "A"): 50}, {"A": 100, "B": 500})
    assert result.exposure == pytest.approx({"A": 1.0})
    assert found.own["A"] == 1.0 and result.world_mix == 0.0


def test_a_pure_re_exporter_passes_its_suppliers_origin_through():
    # R produces nothing, imports 60 t from P and sells 50 t to C: C's tonnes are P's.
    result, found = _exposure({("P", "R"): 60, ("R", "C"): 50}, {"P": 1000})
    assert result.exposure == pytest.approx({"P": 1.0})
    assert found.own["R"] == 0.0
    assert result.self_served == 0.0 and result.passed_through == pytest.approx(1.0) and result.world_mix == 0.0


def test_a_partial_producer_keeps_what_it_makes_and_passes_on_the_shortfall():
    # S makes 30 t, exports 50 t to C, imports 40 t from P. Shortfall 20 t <= imports 40 t: 20 t re-exported.
    # O_S = {S: 30/50 = 0.6, P: 0.4}. C buys 50 t from S and 50 t from P: exposure S 0.3, P 0.7.
    result, found = _exposure({("S", "C"): 50, ("P", "S"): 40, ("P", "C"): 50}, {"S": 30, "P": 1000})
    assert found.mix["S"] == pytest.approx({"S": 0.6, "P": 0.4})
    assert result.exposure == pytest.approx({"S": 0.3, "P": 0.7})
    assert result.self_served == pytest.approx(0.8)  # 0.5 x 0.6 + 0.5 x 1


def test_an_ore_is_its_own_upstream_and_exports_above_output_stay_with_a_producer_that_imports_none():
    # G mines 80 t (last year's figure) and ships 100 t of ore, importing none: it cannot be re-exporting, so
    # all 100 t are G's (20 % above production and imports, kept by the producer and reported).
    result, found = _exposure({("G", "C"): 100}, {"G": 80, "P": 1000})
    assert result.exposure == pytest.approx({"G": 1.0})
    assert found.beyond_supply["G"] == pytest.approx(0.2)


def test_a_non_producer_that_imports_less_than_it_exports_is_resolved_at_the_world_mix():
    # N makes nothing, imports 4 t from P, exports 10 t to C: 4 t pass through to P, 6 t are unexplained and
    # taken at the world mix (P 0.8, other 0.2): P 0.4 + 0.6 x 0.8 = 0.88, other 0.12.
    result, _ = _exposure({("P", "N"): 4, ("N", "C"): 10}, {"P": 1000})
    assert result.exposure == pytest.approx({"P": 0.88, OTHER: 0.12})
    assert result.world_mix == pytest.approx(0.6)


def test_a_chain_of_re_exporters_is_traced_to_the_producer():
    # C <- R1 <- R2 <- P; R1 also buys half its imports from Q, which makes its own.
    flows = {("R1", "C"): 10, ("R2", "R1"): 10, ("Q", "R1"): 10, ("P", "R2"): 20}
    result, _ = _exposure(flows, {"P": 1000, "Q": 50}, world={"P": 0.7, "Q": 0.3})
    assert result.exposure == pytest.approx({"P": 0.5, "Q": 0.5})


def test_the_importers_own_output_is_not_counted_as_coming_back():
    # X re-exports what it buys from C and from P; C's own share of X's imports is left out.
    flows = {("C", "X"): 30, ("P", "X"): 10, ("X", "C"): 20}
    result, _ = _exposure(flows, {"C": 500, "P": 1000}, world={"P": 1.0})
    assert result.exposure == pytest.approx({"P": 1.0})


def test_a_closed_cycle_of_re_exporters_ends_at_the_world_mix():
    flows = {("A", "B"): 10, ("B", "A"): 10, ("A", "C"): 5}
    result, _ = _exposure(flows, {"P": 1000})
    assert result.exposure == pytest.approx(WORLD)


def test_a_good_made_from_another_product_passes_through_the_upstream_products_origins():
    # Phosphorus: M mines no rock, imports 800 t of rock from MAR and exports 100 t of P4 as 764 t rock-equivalent
    # to C. Rock network: MAR mines it all. C's phosphorus comes from MAR.
    rock = {("MAR", "M"): 800}
    rock_origins = origins(rock, {"MAR": 35_000}, {"MAR": 1.0}, exclude="C")
    phosphorus = {("M", "C"): 764}
    found = origins(phosphorus, {"MAR": 35_000}, {"MAR": 1.0}, exclude="C", own_upstream=False,
                    upstream_flows=rock, upstream_origins=rock_origins)
    assert look_through("C", phosphorus, found, {"MAR": 1.0}).exposure == pytest.approx({"MAR": 1.0})
    # without the upstream product in the data, the maker's shortfall is taken at the world mix
    unknown = origins(phosphorus, {}, {"MAR": 0.6, "CHN": 0.4}, exclude="C", own_upstream=False)
    assert unknown.mix["M"] == pytest.approx({"MAR": 0.6, "CHN": 0.4}) and unknown.world_mix["M"] == 1.0


def test_rejects_negative_flows_and_an_importer_without_tonnes():
    with pytest.raises(ValueError):
        origins({("A", "C"): -1}, {}, WORLD)
    with pytest.raises(ValueError):
        look_through("C", {("A", "B"): 1}, origins({("A", "B"): 1}, {"A": 5}, WORLD), WORLD)


NAMES = ["A", "B", "C", "D", "E", "F"]
NETWORK = st.dictionaries(st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)).filter(lambda k: k[0] != k[1]),
                          st.floats(0.1, 100), min_size=1, max_size=20)
PRODUCTION = st.dictionaries(st.sampled_from(NAMES), st.floats(0, 200), max_size=6)


@settings(max_examples=60, deadline=None)
@given(NETWORK, PRODUCTION)
def test_every_origin_mix_sums_to_one_never_negative_and_a_self_sufficient_supplier_keeps_its_share(flows, made):
    production = {**made, "Z": 100.0}  # a producer outside the network, so the world mix exists
    world = world_mix(production, 500.0, exclude="C")
    found = origins(flows, production, world, exclude="C")
    for exporter, mix in found.mix.items():
        assert sum(mix.values()) == pytest.approx(1.0)
        exports = sum(t for (s, _), t in flows.items() if s == exporter)
        imports = sum(t for (s, c), t in flows.items() if c == exporter and s not in ("C", exporter))
        assert found.reexported[exporter] * exports <= imports + 1e-9  # no more passes through than it imports
        assert found.own[exporter] + found.reexported[exporter] <= 1 + 1e-12
        assert all(v >= 0 for v in mix.values()) and (exporter == "C" or "C" not in mix)
    if any(importer == "C" for (_, importer) in flows):
        result = look_through("C", flows, found, world)
        assert sum(result.exposure.values()) == pytest.approx(1.0)
        assert result.self_served + result.passed_through + result.world_mix == pytest.approx(1.0)
        for supplier, share, own, _ in result.suppliers:
            exports = sum(t for (s, _), t in flows.items() if s == supplier)
            if production.get(supplier, 0.0) >= exports:
                assert own == 1.0 and result.exposure[supplier] >= share - 1e-9
