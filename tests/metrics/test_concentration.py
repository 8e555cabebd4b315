from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.errors import ValidationError
from setu.metrics.concentration import (
    capacity_headroom,
    concentration,
    governance_weighted_hhi,
    hhi,
    reserves_to_production_years,
)

# Figures copied from the USGS MCS 2024 files (2023 estimates); HHIs worked out by hand.
GALLIUM_2023 = {"CHN": 600_000, "JPN": 3_000, "KOR": 2_000, "RUS": 5_000, "USA": 0}
RARE_EARTHS_2023 = {
    "USA": 43_000, "AUS": 18_000, "BRA": 80, "MMR": 38_000, "CAN": 0, "CHN": 240_000, "GRL": 0, "IND": 2_900,
    "MDG": 960, "MYS": 80, "RUS": 2_600, "ZAF": 0, "TZA": 0, "THA": 7_100, "VNM": 600,
}
COBALT_2023 = {
    "USA": 500, "AUS": 4_600, "CAN": 2_100, "COD": 170_000, "CUB": 3_200, "IDN": 17_000, "MDG": 4_000,
    "NCL": 3_000, "PNG": 2_900, "PHL": 3_800, "RUS": 8_800, "TUR": 2_800,
}


def test_gallium_by_hand() -> None:
    result = concentration(GALLIUM_2023, world_total=610_000)
    # 10,000 × (600,000² + 5,000² + 3,000² + 2,000²) / 610,000² = 10,000 × 360,038 / 372,100
    assert result.hhi == pytest.approx(10_000 * 360_038 / 372_100)
    assert result.hhi == pytest.approx(9675.8398, abs=1e-4)
    assert result.shares[0].country == "CHN" and result.shares[0].share == pytest.approx(600 / 610)
    assert result.top3_share == pytest.approx(608 / 610)
    assert result.world_total_basis == "reported"


def test_rare_earths_by_hand() -> None:
    result = concentration(RARE_EARTHS_2023, world_total=350_000)
    # Σ squares = 61,283,874,400 t²; 350,000² = 122,500,000,000
    assert result.hhi == pytest.approx(10_000 * 61_283_874_400 / 122_500_000_000)
    assert result.top1_share == pytest.approx(240 / 350)


def test_cobalt_by_hand_with_an_unattributed_remainder() -> None:
    result = concentration(COBALT_2023, world_total=230_000, unattributed_value=6_600)
    assert result.hhi == pytest.approx(10_000 * 29_358_190_000 / 52_900_000_000)
    assert result.unattributed_value == 6_600
    assert result.countries_share == pytest.approx(sum(COBALT_2023.values()) / 230_000)


def test_group_share_and_ties_broken_by_iso3() -> None:
    result = concentration({"USA": 10, "AUS": 10, "JPN": 5}, world_total=25)
    assert [s.country for s in result.shares] == ["AUS", "USA", "JPN"]
    assert result.share_of({"AUS", "JPN", "IND", "USA"}) == pytest.approx(1.0)


def test_without_world_total_the_rows_are_summed() -> None:
    result = concentration({"A": 3, "B": 1}, unattributed_value=1)
    assert result.world_total == 5 and result.world_total_basis == "sum_of_rows"
    assert result.hhi == pytest.approx(10_000 * (0.6**2 + 0.2**2))


def test_bad_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        concentration({"CHN": -1}, world_total=10)
    with pytest.raises(ValidationError):
        concentration({"CHN": float("nan")}, world_total=10)


def test_governance_weighting_eu_method_by_hand() -> None:
    result = concentration({"A": 60, "B": 40}, world_total=100)
    weighted = governance_weighted_hhi(result, {"A": 5.0, "B": 0.5})
    assert weighted.gw_hhi == pytest.approx(60**2 * 5.0 + 40**2 * 0.5)
    assert weighted.gw_hhi_scaled == pytest.approx(weighted.gw_hhi / 10)
    partial = governance_weighted_hhi(result, {"A": 5.0})
    assert partial.missing_risk == ("B",)


def test_headroom_and_reserves_years() -> None:
    rows = capacity_headroom({"CHN": 1_000_000, "JPN": 10_000, "KOR": 16_000}, {"CHN": 600_000, "JPN": 3_000, "KOR": 2_000})
    assert [(r.country, r.headroom) for r in rows] == [("CHN", 400_000), ("KOR", 14_000), ("JPN", 7_000)]
    assert rows[0].utilisation == pytest.approx(0.6)
    assert reserves_to_production_years(44_000_000, 240_000) == pytest.approx(183.333, rel=1e-4)
    assert reserves_to_production_years(None, 10) is None


values = st.dictionaries(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
    st.floats(min_value=0, max_value=1e12, allow_nan=False),
    min_size=1,
    max_size=40,
)


@given(values)
def test_hhi_is_between_10000_over_n_and_10000_when_countries_make_the_total(data: dict[str, float]) -> None:
    result = concentration(data)
    positive = [v for v in data.values() if v > 0]
    if not positive:
        assert result.hhi == 0
        return
    assert 10_000 / len(data) - 1e-6 <= result.hhi <= 10_000 + 1e-6
    assert result.hhi >= 10_000 / len(positive) - 1e-6


@given(values, st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_shares_sum_to_at_most_one(data: dict[str, float], remainder: float) -> None:
    total = sum(data.values()) + remainder
    result = concentration(data, world_total=total)
    assert sum(s.share for s in result.shares) <= 1 + 1e-9
    assert all(0 <= s.share <= 1 + 1e-12 for s in result.shares)
    assert result.top1_share <= result.top3_share <= result.countries_share + 1e-12


@given(values, st.randoms(use_true_random=False))
def test_order_invariance(data: dict[str, float], random) -> None:
    items = list(data.items())
    random.shuffle(items)
    a, b = concentration(data), concentration(dict(items))
    assert a.shares == b.shares
    assert math.isclose(a.hhi, b.hhi, rel_tol=1e-12, abs_tol=1e-9)


@given(values, st.floats(min_value=0.1, max_value=10))
def test_governance_weighted_hhi_is_bounded_by_the_risk_scale(data: dict[str, float], risk: float) -> None:
    result = concentration(data)
    weighted = governance_weighted_hhi(result, dict.fromkeys(data, risk))
    assert weighted.gw_hhi == pytest.approx(risk * result.hhi, rel=1e-9, abs=1e-6)
    assert hhi([s.share for s in result.shares]) == pytest.approx(result.hhi)
