"""The EU CRM supply-risk score on a small example worked by hand, and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.metrics.supply_risk import (
    Input,
    import_reliance,
    sourcing_shares,
    supply_risk,
    weighted_hhi,
)

# Worked by hand. World production shares CHN .6, AUS .3, BRA .1; WGI (0.1-10) CHN 6, AUS 2, BRA 5, JPN 1.
#   HHI_WGI(GS)        = .36*6 + .09*2 + .01*5                       = 2.39
# Japan produces 10 t, imports 60 t from CHN and 30 t from AUS, exports 10 t:
#   IR                 = (90 - 10) / (10 + 90 - 10)                  = 8/9
#   sourcing shares    = JPN 10/100, CHN 60/100, AUS 30/100
#   HHI_WGI(sourcing)  = .01*1 + .36*6 + .09*2                       = 2.35
#   bracket            = 2.39 * 4/9 + 2.35 * 5/9 = 21.31/9           = 2.367778
#   SR (EoL_RIR .1, SI_SR .9) = 21.31/9 * .9 * .9 = 17.2611/9        = 1.917900
GLOBAL = {"CHN": 0.6, "AUS": 0.3, "BRA": 0.1}
WGI = {"CHN": 6.0, "AUS": 2.0, "BRA": 5.0, "JPN": 1.0}


def worked(eol: float | None = 0.1, si: float | None = 0.9, trade=None, ir: float | None = 8 / 9):
    sourcing = sourcing_shares({"JPN": 10.0}, {"CHN": 60.0, "AUS": 30.0})
    return supply_risk("JPN", GLOBAL, sourcing, WGI, Input("IR", ir), Input("EoL_RIR", eol, "hand"),
                       Input("SI_SR", si, "hand"), trade)


def test_the_hand_worked_example() -> None:
    assert import_reliance(10.0, 90.0, 10.0) == pytest.approx(8 / 9)
    assert sourcing_shares({"JPN": 10.0}, {"CHN": 60.0, "AUS": 30.0}) == pytest.approx(
        {"JPN": 0.1, "CHN": 0.6, "AUS": 0.3})
    result = worked()
    assert result.global_hhi.value == pytest.approx(2.39)
    assert result.sourcing_hhi.value == pytest.approx(2.35)
    assert result.before_recycling_and_substitution == pytest.approx(21.31 / 9)
    assert result.score == pytest.approx(1.9179, abs=5e-5)
    assert result.missing == ()


def test_a_trade_term_scales_its_supplier() -> None:
    # t = 1.1 for China: global 2.376 + .18 + .05 = 2.606; sourcing .01 + 2.376 + .18 = 2.566
    result = worked(trade={"CHN": 1.1})
    assert result.global_hhi.value == pytest.approx(2.606)
    assert result.sourcing_hhi.value == pytest.approx(2.566)
    assert result.global_hhi.adjusted == {"CHN": 1.1}
    assert not any("t = 1" in note for note in result.notes)
    assert any("t = 1" in note for note in worked().notes)


def test_missing_inputs_are_missing_not_zero() -> None:
    result = worked(eol=None, si=None)
    assert result.score is None and result.missing == ("EoL_RIR", "SI_SR")
    assert result.before_recycling_and_substitution == pytest.approx(21.31 / 9)
    assert worked(ir=None).before_recycling_and_substitution is None
    assert import_reliance(None, 90.0, 10.0) is None
    assert import_reliance(0.0, 5.0, 5.0) is None  # no apparent consumption: IR undefined, not 0


def test_a_supplier_without_governance_is_reported_not_counted_as_zero_risk() -> None:
    result = weighted_hhi({"CHN": 0.6, "XXX": 0.4}, WGI)
    assert result.value == pytest.approx(0.36 * 6) and result.missing_governance == ("XXX",)


def test_net_exporter_has_no_import_reliance() -> None:
    assert import_reliance(100.0, 10.0, 50.0) == 0.0
    assert import_reliance(0.0, 10.0, 0.0) == 1.0
    # a net exporter whose exports exceed its production and imports (another content basis, stocks): the EC
    # method still gives IR = 0, not "undefined"
    assert import_reliance(0.0, 5.0, 10.0) == 0.0
    assert import_reliance(2.0, 0.0, 10.0) == 0.0


fractions = st.floats(0, 1, allow_nan=False)


@given(ir=fractions, eol=fractions, si=fractions)
def test_sr_lies_between_its_terms(ir: float, eol: float, si: float) -> None:
    result = worked(eol=eol, si=si, ir=ir)
    low, high = sorted([result.global_hhi.value, result.sourcing_hhi.value])
    assert low - 1e-12 <= result.before_recycling_and_substitution <= high + 1e-12
    assert result.score == pytest.approx(result.before_recycling_and_substitution * (1 - eol) * si)
    assert result.score <= result.before_recycling_and_substitution + 1e-12


@given(t=st.floats(1, 3, allow_nan=False))
def test_an_export_restriction_never_lowers_risk(t: float) -> None:
    assert worked(trade={"CHN": t}).score >= worked().score - 1e-12
