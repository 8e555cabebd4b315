"""Trade metrics (pure Ibis): hand-worked figures and invariants, executed here on DuckDB."""

from __future__ import annotations

import ibis
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from setu.metrics import trade as metrics

SCHEMA = pa.schema([("year", pa.int16()), ("month", pa.int8()), ("flow", pa.string()), ("exporter", pa.string()),
                    ("importer", pa.string()), ("product", pa.string()), ("value_usd", pa.float64()),
                    ("quantity_tonnes", pa.float64())])


def flows(rows: list[tuple]) -> ibis.Table:
    """(exporter, importer, product, value) rows of year 2022 as an Ibis table."""
    return ibis.memtable(pa.table({
        "year": [2022] * len(rows), "month": [None] * len(rows), "flow": [None] * len(rows),
        "exporter": [r[0] for r in rows], "importer": [r[1] for r in rows], "product": [r[2] for r in rows],
        "value_usd": [float(r[3]) for r in rows], "quantity_tonnes": [None] * len(rows)}, schema=SCHEMA))


def run(expression) -> list[dict]:
    return ibis.duckdb.connect().to_pyarrow(expression).to_pylist()


EXAMPLE = flows([
    ("CHN", "JPN", "810420", 600), ("USA", "JPN", "810420", 300), ("XAS", "JPN", "810420", 100),
    ("CHN", "IND", "811292", 250), ("JPN", "IND", "811292", 150), ("KOR", "IND", "811292", 100),
    ("DEU", "IND", "010121", 40), ("AUS", "IND", "010121", 40), ("FRA", "IND", "010121", 20),
    ("CHN", "USA", "810420", 50), ("CHN", "JPN", "810420", 0),
])


def test_import_dependence_by_hand():
    rows = run(metrics.import_dependence(EXAMPLE, "JPN", "810420", 2022, group=["CHN", "XAS"]))
    assert [(r["exporter"], r["value_usd"], r["share"]) for r in rows] == \
        [("CHN", 600, 0.6), ("USA", 300, 0.3), ("XAS", 100, 0.1)]
    # HHI = 10,000 (0.6² + 0.3² + 0.1²) = 3,600 + 900 + 100
    assert {r["hhi"] for r in rows} == {4600.0}
    assert {(r["total_value_usd"], r["supplier_count"], r["group_value_usd"], r["group_share"]) for r in rows} == \
        {(1000, 3, 700, 0.7)}


def test_import_concentration_by_hand_with_tie_broken_by_iso3():
    rows = {(r["importer"], r["product"]): r for r in run(metrics.import_concentration(EXAMPLE))}
    assert rows["IND", "811292"]["hhi"] == 3800.0  # 0.5² + 0.3² + 0.2²
    assert (rows["IND", "811292"]["top_supplier"], rows["IND", "811292"]["top_share"]) == ("CHN", 0.5)
    assert rows["IND", "010121"]["hhi"] == 3600.0  # 0.4² + 0.4² + 0.2²
    assert rows["IND", "010121"]["top_supplier"] == "AUS"  # AUS and DEU both 40: ISO3 order decides
    assert rows["USA", "810420"]["hhi"] == 10_000.0
    assert rows["JPN", "810420"]["supplier_count"] == 3  # the zero flow is not a supplier


def test_exporters_world_shares_by_hand():
    rows = run(metrics.exporter_shares(EXAMPLE, "810420", 2022))
    assert [(r["exporter"], r["value_usd"]) for r in rows] == [("CHN", 650), ("USA", 300), ("XAS", 100)]
    assert rows[0]["share"] == pytest.approx(650 / 1050)
    summary = {r["product"]: r for r in run(metrics.export_concentration(EXAMPLE))}
    assert summary["810420"]["hhi"] == pytest.approx(10_000 * (650**2 + 300**2 + 100**2) / 1050**2, abs=1e-6)
    assert summary["810420"]["top_exporter"] == "CHN"


def test_hs_conversion_sums_codes_that_merge():
    data = flows([("CHN", "JPN", "041010", 30), ("CHN", "JPN", "041090", 20), ("THA", "JPN", "041010", 50)])
    concordance = ibis.memtable(pa.table({"source_code": ["041010", "041090"], "target_code": ["041000", "041000"]}))
    rows = run(metrics.convert_hs(data, concordance).order_by("exporter"))
    assert [(r["exporter"], r["product"], r["value_usd"]) for r in rows] == \
        [("CHN", "041000", 50), ("THA", "041000", 50)]


PARTIES = st.sampled_from(["AUS", "CHN", "DEU", "IND", "JPN", "KOR", "USA", "XAS"])
FLOWS = st.lists(st.tuples(PARTIES, st.sampled_from(["JPN", "IND"]), st.sampled_from(["810420", "811292"]),
                           st.integers(1, 10**9)), min_size=1, max_size=25)


@hypothesis_settings(max_examples=25, deadline=None)
@given(FLOWS)
def test_hhi_bounds_and_shares_sum_to_one(rows):
    result = run(metrics.import_concentration(flows(rows)))
    for row in result:
        n = row["supplier_count"]
        assert 10_000 / n - 1e-6 <= row["hhi"] <= 10_000 + 1e-6
        assert 0 < row["top_share"] <= 1
    for importer, product in {(r["importer"], r["product"]) for r in result}:
        shares = run(metrics.supplier_shares(flows(rows), importer, product, 2022))
        assert sum(s["share"] for s in shares) == pytest.approx(1.0)
        assert [s["rank"] for s in shares] == list(range(len(shares)))


@hypothesis_settings(max_examples=20, deadline=None)
@given(FLOWS, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_row_order(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)
    key = ["importer", "product"]
    first = run(metrics.import_concentration(flows(rows)).order_by(key))
    second = run(metrics.import_concentration(flows(shuffled)).order_by(key))
    assert first == second


UNIQUE_FLOWS = st.lists(st.tuples(PARTIES, st.sampled_from(["JPN", "IND"]), st.sampled_from(["810420", "811292"]),
                                  st.integers(0, 10**9)), min_size=1, max_size=25, unique_by=lambda r: r[:3])


@hypothesis_settings(max_examples=20, deadline=None)
@given(UNIQUE_FLOWS)
def test_keyed_shortcut_gives_the_same_result_on_keyed_flows(rows):
    key = ["importer", "product"]
    assert run(metrics.import_concentration(flows(rows), keyed=True).order_by(key)) == \
        run(metrics.import_concentration(flows(rows)).order_by(key))
