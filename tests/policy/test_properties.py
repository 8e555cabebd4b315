"""Invariants of the engine on the bundled rules, on random transactions (hypothesis)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.policy.screening import Regime, Requirement, screen_regime
from setu.policy.transaction import Basis, BeneficialOwner, Transaction

COUNTRIES = ["CHN", "PAK", "BGD", "SGP", "USA", "JPN", "IND", "HKG", "MUS", "NLD"]
LAND_BORDER = ["AFG", "BGD", "BTN", "CHN", "MMR", "NPL", "PAK", "HKG", "MAC"]
SECTORS = ["mining-metal-ores", "titanium-minerals", "atomic-energy", "mineral-processing", "battery-manufacturing",
           "permanent-magnets", "semiconductor-manufacturing", "semiconductor-equipment", "solar-pv-manufacturing",
           "pharmaceuticals", "medical-devices", "defence", "space-satellites", "telecom-services", "fertilizers",
           "space-launch-vehicles", "lottery", "tobacco-manufacturing", "machine-tools-robots"]
FLAGS = ["brownfield", "new-industrial-licence", "exemption-conditions-met", "core-exemption-conditions-met", "foreign-financial-institution",
         "state-owned", "accredited-soe", "infectious-disease-medicine", "highly-controlled-device"]

owners = st.builds(BeneficialOwner, st.sampled_from(COUNTRIES),
                   st.one_of(st.none(), st.floats(0, 1)), st.booleans(), st.sampled_from(list(Basis)))
transactions = st.builds(
    Transaction,
    acquirer=st.sampled_from(COUNTRIES), target=st.sampled_from(["IND", "JPN"]),
    sectors=st.frozensets(st.sampled_from(SECTORS), min_size=1, max_size=3),
    stake=st.floats(0, 1), date=st.dates(dt.date(2016, 6, 1), dt.date(2027, 12, 31)), listed=st.booleans(),
    owners=st.lists(owners, max_size=3).map(tuple), flags=st.frozensets(st.sampled_from(FLAGS), max_size=4))
land_border_owner = st.builds(BeneficialOwner, st.sampled_from(LAND_BORDER), st.one_of(st.none(), st.floats(0, 1)),
                              st.booleans(), st.sampled_from(list(Basis)))

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def outcome(regime: Regime, tx: Transaction):
    decision = screen_regime(regime, tx)
    return (decision.requirement, decision.route, [(r.id, r.facts) for r in decision.rules],
            [(c.description, c.requirement) for c in decision.changes], decision.not_covered, decision.at_least)


def level(decision) -> Requirement:
    """The firm requirement, or where the case is not covered the lower bound the fired rules give."""
    return decision.requirement or decision.at_least or Requirement.NONE


@FAST
@given(tx=transactions, extra=land_border_owner)
def test_adding_a_land_border_owner_never_makes_a_case_less_restrictive(regimes, tx, extra):
    for regime in regimes.values():
        before = level(screen_regime(regime, tx))
        after = level(screen_regime(regime, tx.with_(owners=(*tx.owners, extra))))
        assert after.rank >= before.rank, (regime.id, tx, extra)


@FAST
@given(tx=transactions, seed=st.integers(0, 2**32))
def test_rule_order_does_not_change_the_result(regimes, tx, seed):
    for regime in regimes.values():
        rules, definitions = list(regime.rules), list(regime.definitions)
        random.Random(seed).shuffle(rules)
        random.Random(seed + 1).shuffle(definitions)
        shuffled = replace(regime, rules=tuple(rules), definitions=tuple(definitions))
        assert outcome(shuffled, tx) == outcome(regime, tx)


@FAST
@given(tx=transactions)
def test_requirement_is_the_most_restrictive_fired_rule_and_each_change_holds(regimes, tx):
    for regime in regimes.values():
        decision = screen_regime(regime, tx)
        fired = max((r.requirement for r in decision.rules), key=lambda q: q.rank, default=None)
        gaps = regime.gaps(tx)
        if gaps and fired is not Requirement.PROHIBITED:  # a gap is never answered, and nothing is tried
            assert decision.requirement is None and decision.not_covered == gaps and decision.changes == ()
            assert decision.at_least is fired
        else:
            assert decision.requirement is (fired or Requirement.NONE) and decision.not_covered == ()
        assert all(change.requirement is not decision.requirement for change in decision.changes)
        assert all(r.facts for r in decision.rules)
        for change in decision.changes:  # a what-if date never leaves the encoded period of the activities
            if change.description.startswith("the transaction were dated "):
                day = dt.date.fromisoformat(change.description.rsplit(" ", 1)[1])
                assert all(regime.covered_on(sector, day) for sector in tx.sectors), change


@FAST
@given(tx=transactions)
def test_a_land_border_acquirer_into_india_always_needs_approval_or_worse(regimes, tx):
    case = tx.with_(acquirer="CHN", target="IND")
    if case.date >= dt.date(2020, 4, 22):
        assert level(screen_regime(regimes["IND-FDI"], case)).rank >= Requirement.APPROVAL.rank


@FAST
@given(tx=transactions)
def test_no_bundled_rule_answers_before_the_encoded_period(regimes, tx):
    for regime in regimes.values():
        early = tx.with_(date=regime.encoded_from - dt.timedelta(days=1 + tx.date.toordinal() % 400))
        decision = screen_regime(regime, early)
        assert decision.outcome == "not covered" and decision.rules == () and decision.at_least is None, early
        assert decision.not_covered == (f"{early.date} is before the period the rules encode "
                                        f"(from {regime.encoded_from})",)
