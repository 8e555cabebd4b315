"""Distributions of uncertain inputs against scipy.stats (an independent implementation), the Dirichlet
shares, seeds and streams, and the `uncertainty:` block of scenario files with located errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from setu.errors import DataFormatError, ValidationError
from setu.scenarios import load_scenario, parse_scenario
from setu.scenarios.uncertainty import Distribution, dirichlet_shares, pert_mean, stream, uniforms

from .chains import HERE, two_tier_map

U = np.linspace(0.001, 0.999, 999)


def test_triangular_quantiles_match_scipy():
    d = Distribution("triangular", low=2.0, mode=5.0, high=11.0)
    expected = stats.triang(c=(5 - 2) / 9, loc=2, scale=9).ppf(U)
    np.testing.assert_allclose(d.draw(0.0, U), expected, rtol=1e-12)


def test_pert_quantiles_match_scipy_beta_and_vose_mean():
    d = Distribution("pert", low=0.1, mode=0.3, high=0.6)
    alpha, beta = 1 + 4 * 0.2 / 0.5, 1 + 4 * 0.3 / 0.5
    np.testing.assert_allclose(d.draw(0.0, U), stats.beta(alpha, beta, loc=0.1, scale=0.5).ppf(U), rtol=1e-10)
    assert pert_mean(0.1, 0.3, 0.6) == pytest.approx((0.1 + 4 * 0.3 + 0.6) / 6)
    assert stats.beta(alpha, beta, loc=0.1, scale=0.5).mean() == pytest.approx(pert_mean(0.1, 0.3, 0.6))


def test_lognormal_factor_has_the_stated_value_as_median():
    d = Distribution("lognormal", sigma=0.3, relative=True)
    np.testing.assert_allclose(d.draw(500.0, U), stats.lognorm(s=0.3, scale=500.0).ppf(U), rtol=1e-12)
    assert d.draw(500.0, np.array([0.5]))[0] == pytest.approx(500.0)


def test_relative_distributions_scale_the_stated_value():
    d = Distribution("uniform", low=0.5, high=1.5, relative=True)
    np.testing.assert_allclose(d.draw(60.0, np.array([0.0, 0.5, 0.75])), [30.0, 60.0, 75.0])
    assert d.bounds(60.0) == (30.0, 90.0)


def test_whole_month_uniform_is_discrete_uniform():
    d = Distribution("uniform", low=3, high=6)
    values = d.draw(4, uniforms(stream(1, "x"), 40_000), whole=True)
    assert set(np.unique(values)) == {3, 4, 5, 6}
    np.testing.assert_allclose(np.bincount(values.astype(int))[3:] / values.size, 0.25, atol=0.01)
    pert = Distribution("pert", low=6, mode=12, high=15).draw(12, U, whole=True)
    assert set(np.unique(pert)) <= set(range(6, 16)) and (np.diff(pert) >= 0).all()


@pytest.mark.parametrize("kind", ["uniform", "triangular", "pert"])
def test_zero_width_distributions_give_the_value(kind):
    d = Distribution(kind, low=0.3, high=0.3, mode=None if kind == "uniform" else 0.3)
    assert (d.draw(0.3, U) == 0.3).all()
    assert (Distribution("lognormal", sigma=0.0, relative=True).draw(7.25, U) == 7.25).all()


def test_bad_distributions_are_rejected():
    with pytest.raises(ValidationError, match="low <= mode <= high"):
        Distribution("triangular", low=1, mode=3, high=2)
    with pytest.raises(ValidationError, match="unknown"):
        Distribution("gamma", low=1, high=2)
    with pytest.raises(ValidationError, match="relative"):
        Distribution("lognormal", sigma=0.3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6), st.floats(0.5, 5000.0), st.integers(0, 2**32 - 1))
def test_dirichlet_shares_keep_the_stated_total(raw, concentration, seed):
    shares = np.array(raw)
    if shares.sum() > 1:
        shares = shares / shares.sum() * 0.97
    draws = dirichlet_shares(stream(seed, "shares"), shares, concentration, 200)
    np.testing.assert_allclose(draws.sum(axis=1), shares.sum(), atol=1e-12)
    assert (draws[:, shares == 0] == 0).all() and (draws >= 0).all()


def test_dirichlet_mean_and_variance_follow_the_concentration():
    shares = np.array([0.6, 0.3, 0.1])
    draws = dirichlet_shares(stream(3, "shares"), shares, 50.0, 100_000)
    assert (np.abs(draws.mean(axis=0) - shares) <= 4 * np.sqrt(shares * (1 - shares) / 51 / 1e5)).all()
    np.testing.assert_allclose(draws.var(axis=0), shares * (1 - shares) / 51, rtol=0.03)
    assert (dirichlet_shares(stream(3, "s"), shares, math.inf, 5) == shares).all()


def test_streams_are_reproducible_and_independent_by_key():
    assert (uniforms(stream(7, "cut|0"), 50) == uniforms(stream(7, "cut|0"), 50)).all()
    assert not (uniforms(stream(7, "cut|0"), 50) == uniforms(stream(8, "cut|0"), 50)).any()
    assert not (uniforms(stream(7, "cut|0"), 50) == uniforms(stream(7, "cut|1"), 50)).any()


# -- the `uncertainty:` block in scenario files -------------------------------------------------------
BASE = (HERE / "two_tier.yaml").read_text(encoding="utf-8")


def read(block: str):
    return parse_scenario(BASE + block, file="u.yaml", load_map=lambda _: two_tier_map())


def test_block_is_read():
    scenario, _ = read("""uncertainty:
  samples: 500
  seed: 7
  cut:
    - {shock: 1, distribution: pert, low: 0.5, mode: 1.0, high: 1.0, source: example}
  duration_months:
    - {shock: all, distribution: uniform, low: 4, high: 8, source: example}
  stockpiles:
    - {country: JPN, node: ore, distribution: triangular, relative: true, low: 0.5, mode: 1, high: 1.2, source: example}
  spare_capacity:
    - {country: AUS, node: ore, distribution: lognormal, sigma: 0.4, source: example}
  shares:
    - {node: ore, concentration: 100, source: example}
""")
    block = scenario.uncertainty
    assert block.samples == 500 and block.seed == 7
    assert block.cuts[0].shocks == (0,) and block.cuts[0].distribution.kind == "pert"
    assert block.durations[0].shocks == (0,) and block.stockpiles[0].distribution.relative
    assert block.spare_capacity[0].distribution.sigma == 0.4 and block.shares[0].concentration == 100
    assert block.cuts[0].citation.source.startswith("Worked example")


def test_bundled_scenarios_with_uncertainty_load():
    from setu.services.scenarios import ScenarioService

    service = ScenarioService()
    for name in ("china-gallium", "china-graphite"):
        scenario, _ = service.load(name)
        assert scenario.uncertainty is not None and scenario.uncertainty.entries
        assert all(entry.citation.source for entry in scenario.uncertainty.entries)


@pytest.mark.parametrize(("block", "field", "message"), [
    ("uncertainty:\n  cut:\n    - {shock: 1, distribution: normal, low: 0.5, high: 1, source: example}\n",
     "distribution", "unknown"),
    ("uncertainty:\n  cut:\n    - {shock: 1, distribution: uniform, low: 0.5, high: 1.2, source: example}\n",
     "distribution", "outside 0-1"),
    ("uncertainty:\n  cut:\n    - {shock: 3, distribution: uniform, low: 0.5, high: 1, source: example}\n",
     "shock", "not a shock number"),
    ("uncertainty:\n  cut:\n    - {shock: 1, distribution: uniform, low: 0.2, high: 0.5, source: example}\n",
     "distribution", "stated value"),
    ("uncertainty:\n  stockpiles:\n    - {country: IND, node: ore, distribution: uniform, low: 0, high: 9,"
     " source: example}\n", "node", "an uncertain stockpile needs exactly one"),
    ("uncertainty:\n  shares:\n    - {node: metal, concentration: 10, source: example}\n",
     "node", "shocked nodes"),
    ("uncertainty:\n  cut:\n    - {shock: 1, distribution: uniform, low: 0.5, high: 1, source: example}\n"
     "    - {shock: all, distribution: uniform, low: 0.6, high: 1, source: example}\n",
     None, "uncertain twice"),
    ("uncertainty:\n  cut:\n    - {shock: 1, distribution: uniform, low: 0.5, high: 1}\n", None, "no source"),
    ("uncertainty:\n  cuts: []\n", "cuts", "did you mean 'cut'"),
    ("uncertainty:\n  spare_capacity:\n    - {country: AUS, node: ore, distribution: lognormal, sigma: 0.3, low: 1,"
     " source: example}\n", "low", "has no `low`"),
    ("uncertainty:\n  cut:\n    - {shock: 1, distribution: pert, low: 0.5, mode: 1, high: 1, sigma: 2,"
     " source: example}\n", "sigma", "has no `sigma`"),
    ("uncertainty:\n  duration_months:\n    - {shock: 1, distribution: triangular, low: 0, mode: 6, high: 9,"
     " source: example}\n", "distribution", "outside 1-"),
])
def test_errors_are_located(block, field, message):
    with pytest.raises(DataFormatError) as error:
        read(block)
    assert message in str(error.value)
    assert error.value.file == "u.yaml"
    assert error.value.line is not None and error.value.line > BASE.count("\n")
    if field is not None:
        assert error.value.field == field


def test_a_file_without_a_block_has_no_uncertainty():
    scenario, _ = load_scenario(HERE / "two_tier.yaml", lambda _: two_tier_map())
    assert scenario.uncertainty is None


def test_the_python_api_checks_the_block_too():
    from dataclasses import replace

    from setu.scenarios import UncertainCut, Uncertainty, compile_scenario

    scenario, supply_map = load_scenario(HERE / "two_tier.yaml", lambda _: two_tier_map())
    bad = replace(scenario, uncertainty=Uncertainty(cuts=(UncertainCut(
        (0,), Distribution("uniform", low=0.1, high=0.5), scenario.shocks[0].citation),)))
    with pytest.raises(ValidationError, match="stated value of the cut of shock 1"):
        compile_scenario(bad, supply_map)
