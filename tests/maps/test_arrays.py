"""The array engine agrees with the networkx-based reference functions on random maps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from setu.maps import (
    arrays,
    concentration,
    essential,
    product_exposure,
    tiers,
    to_graph,
    total_requirements,
)
from setu.services.maps import MapService
from setu.sources.supply_map import load_map

from .test_properties import maps


def check_agreement(supply_map, product: str | None = None) -> None:
    graph = to_graph(supply_map)
    product = product or supply_map.nodes[-1].id
    flat = arrays.MapArrays.from_map(supply_map)
    index = {node_id: i for i, node_id in enumerate(flat.node_ids)}
    p = index[product]
    depth = arrays.distances(flat, p)
    assert {flat.node_ids[i]: int(d) for i, d in enumerate(depth) if d >= 0} == tiers(graph, product)
    assert {flat.node_ids[i] for i in np.flatnonzero(arrays.distances(flat, p, True) >= 0)} == essential(graph, product)
    reference = total_requirements(graph, product)
    ours = arrays.total_requirements(flat, p)
    for node_id, value in reference.items():
        assert np.isnan(ours[index[node_id]]) if value is None else ours[index[node_id]] == pytest.approx(value)
    expected = product_exposure(supply_map, graph, product).countries
    got = arrays.product_exposure(flat, p)
    assert list(got.countries) == [e.country for e in expected]
    assert list(got.weakest_node) == [e.weakest_node for e in expected]
    assert got.weakest_link == pytest.approx([e.weakest_link for e in expected])
    assert got.any_stage == pytest.approx([e.any_stage for e in expected])
    assert list(got.nodes_supplied) == [e.nodes_supplied for e in expected]
    hhi = arrays.node_hhi(flat)
    for node in supply_map.nodes:
        conc = concentration(node.supply.shares) if node.supply else None
        assert hhi[index[node.id]] == pytest.approx(conc.hhi if conc else 0.0)


@settings(max_examples=150, deadline=None)
@given(maps(with_quantities=True))
def test_arrays_agree_with_the_reference_on_random_maps(supply_map):
    check_agreement(supply_map)


@settings(max_examples=50, deadline=None)
@given(maps())
def test_arrays_agree_without_quantities(supply_map):
    check_agreement(supply_map)


def test_arrays_agree_on_the_diamond(diamond_path):
    check_agreement(load_map(diamond_path))


def test_arrays_agree_on_the_semiconductor_map():
    check_agreement(MapService().load("semiconductors"), "finished-logic-chip")
