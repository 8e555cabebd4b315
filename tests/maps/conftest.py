"""Shared fixtures: the worked diamond map and a resolver with real USGS MCS 2024 figures copied by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from setu.sources.supply_map import load_map

HERE = Path(__file__).parent

# USGS Mineral Commodity Summaries 2024, world production tables (2023, estimated), copied by hand.
USGS_2023 = {
    ("gallium", "primary"): ({"CHN": 600_000, "RUS": 5_000, "JPN": 3_000, "KOR": 2_000}, 610_000),  # kg
    ("rare-earths", "mine"): (
        {
            "CHN": 240_000,
            "USA": 43_000,
            "MMR": 38_000,
            "AUS": 18_000,
            "THA": 7_100,
            "IND": 2_900,
            "RUS": 2_600,
            "MDG": 960,
            "VNM": 600,
            "BRA": 80,
            "MYS": 80,
        },
        350_000,
    ),
    ("lithium", "mine"): (
        {
            "AUS": 86_000,
            "CHL": 44_000,
            "CHN": 33_000,
            "ARG": 9_600,
            "BRA": 4_900,
            "ZWE": 3_400,
            "CAN": 3_400,
            "PRT": 380,
        },
        180_000,
    ),  # t Li, world total excludes the U.S.
}


class FakeResolver:
    """Stands in for the catalog: returns (iso3, value, share) rows and records each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, int]] = []

    def __call__(self, material: str, series: str, year: int) -> list[tuple[str, float, float]]:
        self.calls.append((material, series, year))
        if year != 2023 or (material, series) not in USGS_2023:
            return []
        values, world = USGS_2023[(material, series)]
        return [(iso3, float(value), value / world) for iso3, value in values.items()]


@pytest.fixture
def resolver() -> FakeResolver:
    return FakeResolver()


@pytest.fixture
def diamond_path() -> Path:
    return HERE / "diamond.yaml"


@pytest.fixture
def diamond(diamond_path):
    return load_map(diamond_path)
