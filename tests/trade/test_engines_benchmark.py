"""The engines benchmark at a tiny size: its generator writes a valid keyed catalog, and DuckDB and pandas agree.

Spark is left out here (it is covered by test_engines.py); the point is that the benchmark cannot rot
unnoticed: a change to the catalog layout, the metrics or the generator that breaks it fails this test.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from setu.sources.trade_csv import TRADE_SCHEMA
from setu.store.trade import TradeCatalog

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "trade_engines.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("trade_engines_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_writes_a_keyed_catalog(bench, tmp_path):
    root = tmp_path / "trade"
    shape = bench.generate_catalog(root, 5_000, 2, seed=7, countries=40, products=300, log=lambda _: None)
    assert shape == {"countries": 40, "products": 300}
    catalog = TradeCatalog(root)
    datasets = catalog.datasets()
    assert [(d.year, d.rows, d.keyed) for d in datasets] == [(2013, 5_000, True), (2014, 5_000, True)]
    assert catalog.verify() == []
    for dataset in datasets:
        table = pq.read_table(root / dataset.files[0], partitioning=None)
        assert table.schema.equals(TRADE_SCHEMA)
        keys = table.group_by(["exporter", "importer", "product"]).aggregate([])
        assert keys.num_rows == table.num_rows  # one row per flow, as BACI
        assert pc.all(pc.not_equal(table["exporter"], table["importer"])).as_py()
        assert pc.all(pc.equal(pc.utf8_length(table["product"]), 6)).as_py()
        values = table["value_usd"]
        assert pc.all(pc.equal(values, pc.round(values))).as_py() and pc.min(values).as_py() >= 1
    # seeded: the same seed gives the same data
    again = tmp_path / "again"
    bench.generate_catalog(again, 5_000, 1, seed=7, countries=40, products=300, log=lambda _: None)
    first = pq.read_table(root / datasets[0].files[0], partitioning=None)
    assert pq.read_table(again / TradeCatalog(again).datasets()[0].files[0], partitioning=None).equals(first)


def test_duckdb_and_pandas_agree_and_match_a_direct_computation(bench, tmp_path):
    root = tmp_path / "trade"
    bench.generate_catalog(root, 10_000, 2, seed=11, countries=30, products=200, log=lambda _: None)
    outputs = {name: tmp_path / f"{name}.parquet" for name in ("duckdb", "pandas", "duckdb-sql")}
    bench.run_ibis("duckdb", root, 2, outputs["duckdb"], "local[2]")
    bench.run_pandas(root, 2, outputs["pandas"])
    bench.run_hand_sql(root, 2, outputs["duckdb-sql"])
    for name in ("pandas", "duckdb-sql"):
        check = bench.agreement(outputs)[f"{name}_vs_duckdb"]
        assert check["agree"] and check["unmatched_pairs"] == 0 and check["pairs"][0] == check["pairs"][1] > 1000

    # one pair worked out directly from the rows, with PyArrow
    flows = pa.concat_tables(pq.read_table(root / d.files[0], partitioning=None)
                             for d in TradeCatalog(root).datasets())
    result = pq.read_table(outputs["duckdb"]).to_pylist()
    busiest = max(result, key=lambda r: (r["supplier_count"], r["importer"], r["product"], r["year"]))
    mask = pc.and_(pc.and_(pc.equal(flows["importer"], busiest["importer"]),
                           pc.equal(flows["product"], busiest["product"])),
                   pc.equal(flows["year"], busiest["year"]))
    rows = sorted(zip(flows.filter(mask)["value_usd"].to_pylist(), flows.filter(mask)["exporter"].to_pylist(), strict=True),
                  key=lambda row: (-row[0], row[1]))
    total = sum(value for value, _ in rows)
    assert busiest["total_value_usd"] == total and busiest["supplier_count"] == len(rows) > 1
    assert busiest["hhi"] == pytest.approx(10_000 * sum((value / total) ** 2 for value, _ in rows), abs=1e-6)
    assert busiest["top_supplier"] == rows[0][1]


def test_one_command_runs_and_saves_its_report(bench, tmp_path):
    output = tmp_path / "report.json"
    bench.main(["--rows-per-year", "3000", "--years", "2", "--big-years", "3", "--countries", "20",
                "--products", "100", "--skip-spark", "--workdir", str(tmp_path), "--output", str(output)])
    report = json.loads(output.read_text())
    assert report["complete"] and set(report["cases"]) == {"one_year", "many_years", "big_years"}
    big = report["cases"]["big_years"]
    assert big["rows"] == 9000 and list(big["contenders"]) == ["duckdb"]
    assert big["contenders"]["duckdb"]["status"] == "ok" and big["contenders"]["duckdb"]["peak_spill_mib"] >= 0
    many = report["cases"]["many_years"]
    assert many["rows"] == 6000 and many["parquet_bytes"] > 0
    assert {name: c["status"] for name, c in many["contenders"].items()} == \
        {"duckdb": "ok", "duckdb-sql": "ok", "pandas": "ok"}
    assert all(c["peak_tree_rss_mib"] > 0 for c in many["contenders"].values())
    assert many["agreement"]["pandas_vs_duckdb"]["agree"] and many["agreement"]["duckdb-sql_vs_duckdb"]["agree"]
    assert set(many["ratios"]["aims"]) >= {"setu_duckdb_over_hand_sql_cold", "pandas_over_setu_duckdb_warm"}
    assert "pandas" in many["ratios"] and "load_average_at_end" in report["machine"]
    assert list(tmp_path.glob("setu-engines-*")) == []  # generated data removed
