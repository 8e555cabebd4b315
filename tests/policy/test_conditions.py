"""The atoms of the condition language and partial dates, on hand-made cases."""

from __future__ import annotations

import datetime as dt

import pytest

from setu.policy.conditions import AllOf, AnyOf, Not, OwnerMatches, Stake, Use
from setu.policy.library import PartialDate, Period
from setu.policy.transaction import Basis

from .conftest import citizen, situated, tx

LBC = frozenset({"CHN", "PAK"})


def test_owner_share_tests_are_strict_above_and_inclusive_at_most():
    above = OwnerMatches(LBC, "lbc", frozenset({Basis.CITIZEN}), share_above=0.10)
    at_most = OwnerMatches(LBC, "lbc", frozenset({Basis.CITIZEN}), share_at_most=0.10, control=False)
    ten = tx("SGP", "IND", "defence", 0.1, "2026-06-01", owners=(citizen("CHN", 0.10),))
    assert not above.evaluate(ten, {}).holds
    assert at_most.evaluate(ten, {}).holds
    unknown = tx("SGP", "IND", "defence", 0.1, "2026-06-01", owners=(citizen("CHN"),))
    assert above.evaluate(unknown, {}).holds  # cautious reading of an unknown share
    assert not at_most.evaluate(unknown, {}).holds


def test_owner_basis_and_country():
    citizens = OwnerMatches(LBC, "lbc", frozenset({Basis.CITIZEN}))
    assert not citizens.evaluate(tx("SGP", "IND", "defence", 0.1, "2026-06-01", owners=(situated("CHN", 0.5),)), {}).holds
    assert not citizens.evaluate(tx("SGP", "IND", "defence", 0.1, "2026-06-01", owners=(citizen("NPL", 0.5),)), {}).holds


def test_stake_tests_and_connectives():
    deal = tx("USA", "JPN", "defence", 0.01, "2024-01-01")
    assert Stake("at_least", 0.01).evaluate(deal, {}).holds
    assert not Stake("above", 0.01).evaluate(deal, {}).holds
    assert Stake("below", 0.10).evaluate(deal, {}).holds
    both = AllOf((Stake("at_least", 0.01), Not(Stake("above", 0.05))))
    assert both.evaluate(deal, {}).holds
    either = AnyOf((Stake("above", 0.5), Use("small")))
    assert either.evaluate(deal, {"small": Stake("at_most", 0.01)}).holds
    assert not Use("missing").evaluate(deal, {}).holds


@pytest.mark.parametrize(("text", "earliest", "latest"), [
    ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2026-05-02", dt.date(2026, 5, 2), dt.date(2026, 5, 2)),
])
def test_partial_dates(text, earliest, latest):
    date = PartialDate.parse(text)
    assert (date.earliest, date.latest) == (earliest, latest)


def test_a_period_known_to_the_month_is_possibly_but_not_certainly_in_force_within_it():
    period = Period(PartialDate.parse("2024-02"))
    assert period.possibly_in_force(dt.date(2024, 2, 10)) and not period.certainly_in_force(dt.date(2024, 2, 10))
    assert period.certainly_in_force(dt.date(2024, 3, 1))
    assert not period.possibly_in_force(dt.date(2024, 1, 31))
    closed = Period(PartialDate.parse("2020-04-22"), PartialDate.parse("2026-05-01"))
    assert closed.boundaries() == [dt.date(2020, 4, 22), dt.date(2026, 5, 2)]
    with pytest.raises(ValueError):
        PartialDate.parse("22 April 2020")
