"""Scenario baselines from trade data: the bundled magnet scenario's importers use and buy what CEPII BACI 2024
records (annual tonnes / 12, suppliers' shares of the tonnes), recomputed here from the bundled archive with
the csv module; what stays an assumption says so; bad `trade:` entries are located errors."""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict

import pytest

from setu.domain.supply_map import Citation
from setu.domain.trade_figures import TradeFigures
from setu.errors import DataFormatError, NotFoundError
from setu.reference import tables
from setu.scenarios import parse_scenario
from setu.services.maps import MapService
from setu.services.scenarios import ScenarioService, catalog_trade_figures
from setu.settings import Settings


def baci_tonnes(year: int, importer: str, product: str) -> dict[str, float]:
    """Tonnes by supplier straight from the bundled archive (BACI codes -> ISO3 with CEPII's table; S19 = TWN)."""
    with open(tables.data_path("baci", "baci_country_codes_V202601.csv"), encoding="utf-8", newline="") as handle:
        iso3: dict[int, str] = {}
        for row in csv.DictReader(handle):
            iso3.setdefault(int(row["country_code"]), "TWN" if row["country_iso3"] == "S19" else row["country_iso3"])
    with zipfile.ZipFile(tables.data_path("baci", "baci_critical_materials_V202601.zip")) as archive:
        text = archive.read(f"BACI_HS17_Y{year}_V202601_critical.csv").decode("utf-8")
    tonnes: dict[str, float] = defaultdict(float)
    for row in csv.DictReader(io.StringIO(text)):
        if iso3[int(row["j"])] == importer and row["k"] == product and row["q"].strip() not in ("", "NA"):
            tonnes[iso3[int(row["i"])]] += float(row["q"])
    return dict(tonnes)


@pytest.fixture(scope="module")
def magnets(tmp_path_factory):
    settings = Settings(data_dir=tmp_path_factory.mktemp("fresh") / "data")  # a fresh install: no import
    return ScenarioService(trade_figures=catalog_trade_figures(settings)).load("china-rare-earth-magnets")[0]


@pytest.mark.parametrize("importer", ["JPN", "IND", "USA", "DEU"])
def test_magnet_baselines_are_baci_2024_tonnes_over_twelve(magnets, importer):
    tonnes = baci_tonnes(2024, importer, "850511")
    (baseline,) = [b for b in magnets.baselines if b.country == importer and b.node == "ndfeb-magnets"]
    assert baseline.units_per_month == pytest.approx(sum(tonnes.values()) / 12, rel=1e-9)
    assert "BACI" in baseline.citation.source and "V202601" in baseline.citation.source
    assert "annual/12" in baseline.citation.source and baseline.citation.year == 2026
    (sourcing,) = [s for s in magnets.sourcing if s.importer == importer and s.node == "ndfeb-magnets"]
    total = sum(tonnes.values())
    assert dict(sourcing.shares) == pytest.approx({c: q / total for c, q in tonnes.items()}, abs=1e-12)


def test_japan_buys_most_magnets_outside_china(magnets):
    """BACI 2024: Japan 10,332 t of HS 850511, 36 % from China, 29 % the Philippines, 26 % Viet Nam."""
    (japan,) = [s for s in magnets.sourcing if s.importer == "JPN"]
    shares = dict(japan.shares)
    assert [c for c, _ in japan.shares[:3]] == ["CHN", "PHL", "VNM"]
    assert round(shares["CHN"], 3) == 0.359 and round(shares["PHL"], 3) == 0.294
    (baseline,) = [b for b in magnets.baselines if b.country == "JPN" and b.node == "ndfeb-magnets"]
    assert round(baseline.units_per_month * 12, 1) == 10332.4


def test_what_stays_an_assumption_says_so(magnets):
    (oxides,) = [b for b in magnets.baselines if b.node == "rare-earth-oxides"]
    assert oxides.units_per_month == 1500 and oxides.citation.source.startswith("Illustrative assumption")
    assert not oxides.citation.confirmed


FIGURES = TradeFigures("JPN", "850511", 2024, 1200.0, (("CHN", 0.75), ("PHL", 0.25)),
                       Citation("Test trade data", 2026), 0.0)


def fake_trade(source: str, hs6: str, year: int, importer: str) -> TradeFigures:
    if (source, hs6, year, importer) != ("baci", "850511", 2024, "JPN"):
        raise NotFoundError(f"no imports of {hs6} by {importer} in {year}")
    return FIGURES


SCENARIO = """format: setu-scenario/1
id: t
name: T
map: magnets
months: 6
baseline:
{baseline}
shocks:
  - {{restricting: [CHN], node: ndfeb-magnets, cut: 0.5, duration_months: 2, source: a report, year: 2025}}
"""


def read(baseline: str, extra: str = ""):
    text = SCENARIO.format(baseline=baseline) + extra
    return parse_scenario(text, file="s.yaml", load_map=MapService().load, trade=fake_trade)[0]


def test_kilograms_and_tonnes_and_the_sourcing_it_adds():
    scenario = read('  - {country: JPN, node: ndfeb-magnets, trade: {source: baci, hs6: "850511", year: 2024}}')
    (baseline,) = scenario.baselines
    assert baseline.units_per_month == 100.0  # 1,200 t a year / 12, node in t
    assert "1,200.000 t / 12 = 100.000 t a month" in baseline.citation.table
    (sourcing,) = scenario.sourcing
    assert (sourcing.node, sourcing.importer, sourcing.shares) == ("ndfeb-magnets", "JPN", FIGURES.shares)


@pytest.mark.parametrize(
    ("baseline", "line", "field", "message"),
    [
        ('  - {country: JPN, node: ndfeb-magnets, units_per_month: 5, trade: {source: baci, hs6: "850511", year: 2024}}',
         7, "units_per_month", "takes its figure and source from the data"),
        ("  - {country: JPN, node: ndfeb-magnets, trade: {source: baci, hs6: 850511, year: 2024}}",
         7, "hs6", "six digits written as text"),
        ('  - {country: JPN, node: traction-motor, trade: {source: baci, hs6: "850511", year: 2024}}',
         7, "node", "trade quantities are tonnes"),
        ('  - {country: KOR, node: ndfeb-magnets, trade: {source: baci, hs6: "850511", year: 2024}}',
         7, "source", "no imports of 850511 by KOR"),
        ('  - {country: JPN, node: ndfeb-magnet, trade: {source: baci, hs6: "850511", year: 2024}}',
         7, "node", "did you mean ndfeb-magnets"),
    ],
)
def test_bad_trade_baselines_are_located(baseline, line, field, message):
    with pytest.raises(DataFormatError) as error:
        read(baseline)
    assert (error.value.line, error.value.field) == (line, field)
    assert message in str(error.value)


def test_a_sourcing_entry_cannot_repeat_the_trade_one():
    with pytest.raises(DataFormatError) as error:
        read('  - {country: JPN, node: ndfeb-magnets, trade: {source: baci, hs6: "850511", year: 2024}}',
             "sourcing:\n  - {node: ndfeb-magnets, importer: JPN, shares: {CHN: 1.0}, source: x, year: 2025}\n")
    assert error.value.line == 11 and error.value.field == "importer" and "trade baseline" in str(error.value)
