"""Tonnes are added in whole kilograms: the total is exact and the same in every order of addition."""

from __future__ import annotations

import itertools

import ibis
import pytest

from setu.metrics.trade import tonnes_sum

QUANTITIES = [0.1, 0.2, 0.3, 1234.567, 0.001, 98765.432]  # tonnes, three decimals as BACI reports them


@pytest.mark.parametrize("order", list(itertools.islice(itertools.permutations(range(len(QUANTITIES))), 0, 720, 97)))
def test_the_total_is_exact_in_any_order(order):
    rows = [QUANTITIES[i] for i in order]
    table = ibis.memtable({"quantity_tonnes": rows})
    total = ibis.duckdb.connect().execute(table.aggregate(t=tonnes_sum(table.quantity_tonnes)))["t"][0]
    assert total == 100000.600  # 0.6 + 1234.567 + 0.001 + 98765.432, by hand: 100,000.600 t


def test_a_conditional_total_counts_only_the_rows_asked_for():
    table = ibis.memtable({"quantity_tonnes": [0.1, 0.2, 0.3], "keep": [True, False, True]})
    total = ibis.duckdb.connect().execute(table.aggregate(t=tonnes_sum(table.quantity_tonnes, where=table.keep)))["t"][0]
    assert total == 0.4
