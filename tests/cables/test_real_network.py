"""Spot checks on the real pack (TeleGeography late-2022): counts equal a direct count from the files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from setu.cables import strait_exposure
from setu.cli.cables import app
from setu.services.cables import CableService
from setu.settings import Settings

runner = CliRunner()


def _raw(pack_data_dir: Path) -> list[dict]:
    path = pack_data_dir / "datapacks" / "submarine-cables" / "cables.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def service(pack_data_dir: Path) -> CableService:
    return CableService(Settings(data_dir=pack_data_dir))


@pytest.mark.parametrize(("iso3", "name"), [("JPN", "Japan"), ("IND", "India")])
def test_cable_counts_equal_a_direct_count_of_the_files(pack_data_dir, service, iso3, name):
    raw = [c for c in _raw(pack_data_dir) if any(p["country"] == name for p in c["landing_points"])]
    in_service = [c for c in raw if not c["is_planned"]]
    assert len(service.everything.cables_in(iso3)) == len(raw)
    assert service.country_document(iso3)["cables"] == len(in_service)
    planned = CableService(service.settings, include_planned=True)
    assert planned.country_document(name)["cables"] == len(raw)
    assert {len(raw), len(in_service)} == ({32, 25} if iso3 == "JPN" else {21, 15})  # SOURCE.txt: 32 and 21


def test_supplier_shares_of_india_equal_a_direct_count(pack_data_dir, service):
    weights: Counter[str] = Counter()
    named = 0
    for cable in _raw(pack_data_dir):
        if cable["is_planned"] or not any(p["country"] == "India" for p in cable["landing_points"]):
            continue
        names = [s.strip() for s in (cable["suppliers"] or "").split(",") if s.strip()]
        named += bool(names)
        for s in names:
            weights[s] += 1 / len(names)
    document = service.suppliers_document("IND")
    assert {r["name"]: r["share"] for r in document["rows"]} == pytest.approx(
        {k: v / named for k, v in weights.items()}, abs=1e-6)
    assert document["rows"][0]["name"] == "SubCom"


def test_japan_india_routes(service):
    """Two cables land in both (FLAG Europe-Asia, SeaMeWe-3); through one transit country there are eight
    cable-disjoint routes; station-disjoint routes are capped by India's five stations landing an
    international cable (Mumbai, Chennai, Cochin, Trivandrum, Tuticorin)."""
    document = service.routes_document("JPN", "India")
    assert sorted(document["direct_cables"]) == ["FLAG Europe-Asia (FEA)", "SeaMeWe-3"]
    international_stations = service.stations_document("IND")["rows"]
    assert document["station_disjoint_routes"] <= len(international_stations) == 5
    assert document["cable_disjoint_routes"] == len(document["rows"]) == 8
    assert document["cable_disjoint_routes_any_length"] >= document["cable_disjoint_routes"]
    net = service.network
    used = []
    for row in document["rows"]:
        cables = [net.cable(name) for name in row["via"].split(" + ")]
        assert "JPN" in net.countries_of(cables[0]) and "IND" in net.countries_of(cables[-1])
        if len(cables) == 2:
            assert set(net.countries_of(cables[0])) & set(net.countries_of(cables[1]))
        used += [c.id for c in cables]
    assert len(used) == len(set(used))
    straits = {s["strait"]: s for s in document["straits_of_direct_cables"]}
    # only the Japan-India stretch of each cable counts: both cables go on to Europe, but that stretch never
    # reaches the Red Sea, Suez or Gibraltar; SeaMeWe-3 runs through Malacca, FEA crosses Thailand by land
    assert straits["luzon"]["all_routes"]
    assert list(straits["malacca"]["cables"]) == ["seamewe-3"]
    assert not {"gibraltar", "red-sea", "suez", "bab-el-mandeb"} & set(straits)
    whole, _ = strait_exposure(["seamewe-3", "flag-europe-asia-fea"], service.routes_drawn)
    assert {"gibraltar", "red-sea"} <= {s.strait for s in whole}  # what the whole cables are drawn through


def test_cli_cut_json_and_csv(with_pack):
    result = runner.invoke(app, ["cut", "--cable", "SeaMeWe-3", "--cable", "flag-europe-asia-fea", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    pair = next(r for r in document["rows"] if (r["country"], r["other"]) == ("IND", "JPN"))
    assert (pair["direct_before"], pair["direct_after"]) == (2, 0)
    assert pair["routes_after"] == pair["routes_before"] - 2 and pair["reachable_after"]
    assert document["repair_assumption"]["days_per_cable"] == 30 and document["restoration_days"] == 30
    assert "CC BY-NC-SA" in document["licence"]
    csv = runner.invoke(app, ["cut", "--station", "Mumbai, India", "--csv"])
    assert csv.exit_code == 0 and csv.output.splitlines()[0].startswith("country,other,direct_before")


def test_unknown_cable_gets_close_names(with_pack):
    from setu.errors import UnknownNameError

    result = runner.invoke(app, ["cut", "--cable", "SeaMeWe-7"])
    assert isinstance(result.exception, UnknownNameError)
    assert "seamewe" in str(result.exception).lower()
