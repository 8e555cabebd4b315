"""Average ranks for Spearman's correlation, against scipy.stats.rankdata (the independent peer) and by hand."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from setu.scenarios.percentiles import average_ranks, rank_correlation


def test_ties_share_the_mean_of_their_ranks_by_hand() -> None:
    # sorted: 1 (rank 1), 2 2 (ranks 2,3 -> 2.5), 5 (rank 4), 7 7 7 (ranks 5,6,7 -> 6)
    assert average_ranks(np.array([7.0, 2.0, 5.0, 2.0, 7.0, 1.0, 7.0])).tolist() == [6.0, 2.5, 4.0, 2.5, 6.0, 1.0, 6.0]
    assert average_ranks(np.array([])).tolist() == []


@given(st.lists(st.integers(-5, 5) | st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60))
def test_average_ranks_equal_scipy_rankdata(values: list[float]) -> None:
    array = np.array(values, dtype=float)
    np.testing.assert_array_equal(average_ranks(array), stats.rankdata(array))


@given(st.lists(st.tuples(st.integers(0, 6), st.floats(-100, 100, allow_nan=False)), min_size=3, max_size=40))
def test_rank_correlation_equals_scipy_spearman(pairs: list[tuple[int, float]]) -> None:
    x = np.array([p[0] for p in pairs], dtype=float)
    y = np.array([p[1] for p in pairs], dtype=float)
    ours = rank_correlation(x, y)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        assert ours is None
    else:
        assert ours is not None
        assert abs(ours - stats.spearmanr(x, y).statistic) < 1e-9
