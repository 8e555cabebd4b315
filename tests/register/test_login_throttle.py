"""The login throttle: failing many other usernames never resets the count of an account under attack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.errors import AuthenticationError
from setu.register.accounts import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 5, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_many_failing_usernames_do_not_unlock_the_attacked_one():
    clock = Clock()
    throttle = LoginThrottle(clock, limit=3, max_tracked=10)
    for _ in range(3):
        throttle.record("victim")
    with pytest.raises(AuthenticationError):
        throttle.check("victim")
    for n in range(1000):  # a flood of made-up usernames, far past the cap
        throttle.record(f"made-up-{n}")
    with pytest.raises(AuthenticationError):
        throttle.check("victim")
    assert len(throttle._failures) <= 10  # memory stays bounded
    clock.now += timedelta(minutes=16)  # the window passes: the account opens again
    throttle.check("victim")


@given(st.lists(st.sampled_from([f"user-{n}" for n in range(30)]), max_size=200),
       st.integers(min_value=2, max_value=5))
def test_an_account_at_the_limit_stays_locked_whatever_else_fails(others, limit):
    clock = Clock()
    throttle = LoginThrottle(clock, limit=limit, max_tracked=8)
    for _ in range(limit):
        throttle.record("victim")
    for name in others:
        clock.now += timedelta(milliseconds=1)
        throttle.record(name)
    assert len(throttle._failures) <= 8
    # a username is only evicted for others with more recent failures than it; none has more than the flood
    # gives it, so the victim (at the limit) is kept unless others reached at least as many
    rivals = sum(1 for name in set(others) if others.count(name) >= limit)
    if rivals < 8 * 9 // 10:
        with pytest.raises(AuthenticationError):
            throttle.check("victim")
