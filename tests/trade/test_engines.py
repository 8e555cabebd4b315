"""The same analytics on DuckDB and on a real local Spark give identical results.

Spark starts once for the whole module (session fixture in conftest); the cases are few but cover every
analytic: dependence with a group share, a tie, import and export concentration, monthly series and HS
conversion.
"""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from setu.cli.trade import app
from setu.services.trade import TradeService

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def duckdb_service(loaded_settings):
    return TradeService(loaded_settings, engine="duckdb")


def test_dependence_agrees_and_matches_hand_computation(duckdb_service, spark_service):
    for service in (duckdb_service, spark_service):
        result = service.dependence("JPN", "810420", year=2022, hs_revision="HS2017", group=["CHN", "TWN"])
        assert [(s.country, s.value, s.share) for s in result.suppliers] == \
            [("CHN", 600_000, 0.6), ("USA", 300_000, 0.3), ("TWN", 100_000, 0.1)]
        assert (result.total_value, result.hhi, result.group_share) == (1_000_000, 4600.0, 0.7)
    assert duckdb_service.dependence("IND", "10121", hs_revision="HS2017") == \
        spark_service.dependence("IND", "10121", hs_revision="HS2017")


def test_import_concentration_of_every_pair_agrees(duckdb_service, spark_service):
    tables = [s.concentration(year=2022, hs_revision="HS2017", limit=None) for s in (duckdb_service, spark_service)]
    assert tables[0].rows == tables[1].rows
    top = {(r["importer"], r["product"]): (r["hhi"], r["top_supplier"]) for r in tables[0].rows}
    assert top["IND", "811292"] == (3800.0, "CHN")
    assert top["IND", "010121"] == (3600.0, "AUS")  # AUS and DEU tie at 40,000: ISO3 order decides


def test_exporters_monthly_and_hs_conversion_agree(duckdb_service, spark_service):
    results = []
    for service in (duckdb_service, spark_service):
        exporters = service.exporters("810420", year=2022, hs_revision="HS2017").rows
        monthly = service.monthly("810420", importer="JPN").rows
        concentration = service.concentration(year=2022, hs_revision="HS2022", as_hs="HS2017").rows
        results.append((exporters, monthly, concentration))
    assert results[0] == results[1]
    exporters, monthly, concentration = results[0]
    assert [(r["exporter"], r["value_usd"]) for r in exporters] == [("CHN", 650_000), ("USA", 300_000),
                                                                      ("TWN", 100_000)]
    assert [(r["month"], r["value_usd"]) for r in monthly] == [(1, 1_000_000), (2, 400_000)]
    # HS 2022 041010 + 041090 -> HS 2017 041000: CHN 50,000 and THA 50,000 -> HHI 5,000
    assert [(r["product"], r["hhi"], r["top_supplier"]) for r in concentration] == [("041000", 5000.0, "CHN")]
    dependence = duckdb_service.dependence("JPN", "041000", year=2022, hs_revision="HS2022", as_hs="HS2017")
    assert (dependence.source.hs_revision, dependence.source.converted_to) == ("HS2022", "HS2017")
    assert [(s.country, s.share) for s in dependence.suppliers] == [("CHN", 0.5), ("THA", 0.5)]


def test_cli_json_is_identical_on_both_engines(loaded_settings, spark_service, monkeypatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(loaded_settings.data_dir))
    monkeypatch.setenv("SETU_BUNDLED_TRADE", "0")  # the fixture's catalog as it is: no bundled extract added to it
    root = typer.Typer()
    root.add_typer(app, name="trade")
    documents = {}
    for engine in ("duckdb", "spark"):
        result = CliRunner().invoke(root, ["trade", "dependence", "JPN", "810420", "--year", "2022", "--hs", "HS2017",
                                           "--engine", engine, "--json"])
        assert result.exit_code == 0, result.output
        documents[engine] = json.loads(result.output[result.output.index("{"):])
    assert documents["duckdb"].pop("engine") == "duckdb" and documents["spark"].pop("engine") == "spark"
    assert documents["duckdb"] == documents["spark"]
    assert (documents["spark"]["total_value"], documents["spark"]["hhi"]) == (1_000_000.0, 4600.0)


def test_the_local_session_listens_on_loopback_only(spark_service):
    """The running session's own configuration: its driver and block manager bound to 127.0.0.1."""
    conf = spark_service.engine.backend._session.sparkContext.getConf()
    assert conf.get("spark.driver.bindAddress") == "127.0.0.1"
    assert conf.get("spark.driver.host") == "127.0.0.1"
    block_manager = spark_service.engine.backend._session.sparkContext._jsc.sc().env().blockManager()
    assert block_manager.blockManagerId().host() == "127.0.0.1"


def test_net_export_complementarity_and_unit_values_agree(duckdb_service, spark_service):
    from setu.metrics.complementarity import complementarity
    from setu.metrics.unit_values import flow_unit_values

    results = []
    for service in (duckdb_service, spark_service):
        flows, _datasets, _info = service.flows(year=2022, source=None, hs_revision="HS2017")
        offered = service.engine.execute(complementarity(flows, "JPN", "IND", 2022)).to_pylist()
        screen = service.engine.execute(flow_unit_values(flows, 2022).order_by(["product", "exporter", "importer"]))
        results.append((offered, screen.to_pylist()))
    assert results[0][0] == results[1][0]
    (row,) = results[0][0]  # India's 811292: CHN 250, JPN 150, KOR 100; Japan exports 150 to India only
    assert (row["product"], row["net_exporter"], row["available_value_usd"], row["top_supplier"]) == \
        ("811292", True, 0, "CHN")
    duck, spark = results[0][1], results[1][1]
    assert [(r["exporter"], r["importer"], r["product"], r["flagged"]) for r in duck] == \
        [(r["exporter"], r["importer"], r["product"], r["flagged"]) for r in spark]
    for left, right in zip(duck, spark, strict=True):
        assert left["world_median_usd_per_kg"] == pytest.approx(right["world_median_usd_per_kg"])
        assert left["unit_value_usd_per_kg"] == pytest.approx(right["unit_value_usd_per_kg"])
