"""The early-warning view of loaded monthly trade data: a Comtrade bulk file imported with the trade
service, read back month by month, with the export-control measures marked and a real drop flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from setu.services.trade import TradeService
from setu.settings import Settings
from setu.web.watch_view import trade_watch_document

COLUMNS = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,reporterDesc,flowCode,"
    "flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,partner2ISO,partner2Desc,classificationCode,"
    "classificationSearchCode,isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,"
    "customsDesc,mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,"
    "altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,isGrossWgtEstimated,"
    "cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,isAggregate"
)


def japan_imports_from_china(period: str, value: int, net_kg: int) -> str:
    """One Comtrade+ bulk row: Japan's reported imports of HS 811292 from China in ``period`` (YYYYMM)."""
    fields = ["C", "M", period + "01", period[:4], str(int(period[4:])), period, "392", "JPN", "Japan", "M",
              "Import", "156", "CHN", "China", "0", "W00", "World", "H5", "H5", "TRUE", "811292", '"Gallium"',
              "6", "TRUE", "C00", "TOTAL CPC", "0", "0", "TOTAL MOT", "8", "kg", str(net_kg), "FALSE", "-1", "N/A",
              "0", "FALSE", str(net_kg), "FALSE", "0", "FALSE", str(value), "0", str(value), "0", "FALSE", "FALSE"]
    return ",".join(fields)


def month_values() -> dict[str, int]:
    """Steady imports, then a fall to a fifth from August 2023 (the month China's licensing took effect)."""
    values = {}
    for year in range(2021, 2025):
        for month in range(1, 13):
            period = f"{year}{month:02d}"
            values[period] = 1_000_000 + 20_000 * (month % 3) if period < "202308" else 200_000 + 5_000 * (month % 2)
    return values


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("trade-watch")
    settings = Settings(data_dir=root / "data")
    file = root / "TradeData_JPN_monthly.csv"
    file.write_text("\n".join([COLUMNS] + [japan_imports_from_china(p, v, v // 500) for p, v in
                                           month_values().items()]) + "\n", encoding="utf-8")
    service = TradeService(settings)
    service.import_comtrade([file])
    service.close()
    return settings


def test_loaded_series_measures_and_flagged_drop(loaded):
    doc = trade_watch_document(loaded, "811292", "CHN", "JPN")
    expected = {f"{p[:4]}-{p[4:]}": float(v) for p, v in month_values().items()}
    assert dict(zip(doc["periods"], doc["values"], strict=True)) == expected
    months = {(m["measure"], m["event"]): m["month"] for m in doc["measures"]}
    assert months[("cn-2023-gallium-germanium-licensing", "effective")] == "2023-08"
    downs = [a for a in doc["alerts"] if a["direction"] == "down" and "2023-07" <= a["period"] <= "2023-10"]
    assert downs, doc["alerts"]
    assert any("cn-2023-gallium-germanium-licensing" in a["measures"] for a in downs)
    assert "imports as reported" in doc["source"] and "2021" in doc["source"]


def test_loaded_quantity_is_in_kilograms(loaded):
    doc = trade_watch_document(loaded, "811292", "China", "Japan", "quantity_kg")
    assert doc["values"][0] == pytest.approx(month_values()["202101"] // 500)


def test_trade_watch_page_and_twin(loaded, built_catalog: Path, tmp_path: Path):
    from fastapi.testclient import TestClient

    from setu.app import create_app
    from setu.register.service import RegisterService
    from setu.store.register.database import RegisterDatabase

    url = f"sqlite:///{tmp_path / 'register.sqlite3'}"
    RegisterDatabase(url).upgrade()
    register = RegisterService.open(url)
    app = create_app(Settings(data_dir=loaded.data_dir, database_url=url), register=register)
    with TestClient(app) as client:
        page = client.get("/watch/trade?hs6=811292&exporter=CHN&importer=JPN")
        assert page.status_code == 200 and "from China to Japan" in page.text
        assert "cn-2023-gallium-germanium-licensing" in page.text
        twin = client.get("/api/views/watch/trade?hs6=811292&exporter=CHN&importer=JPN").json()
        assert twin["importer"] == "JPN" and len(twin["periods"]) == 48
        assert client.get("/api/views/watch/trade?hs6=250410&exporter=CHN").status_code == 404
    register.close()
