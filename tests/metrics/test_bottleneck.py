"""The governance-weighted exposure on the bottleneck stage: a hand-worked case and its invariants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.metrics.bottleneck import bottleneck, stage_exposure, step_of


def test_the_higher_stage_is_retained_by_hand():
    # mining GW-HHI 3,000, own share 10 % -> 2,700; refining GW-HHI 6,000, own share 60 % -> 2,400: mining
    mining = stage_exposure("mine", "USGS mine 2023", 2023, 3000.0, 0.1)
    refining = stage_exposure("refining", "IEA refining 2024", 2024, 6000.0, 0.6)
    assert (mining.exposure, refining.exposure) == (2700.0, 2400.0)
    assert (mining.step, refining.step) == ("extraction", "processing")
    assert bottleneck([refining, mining]) is mining
    # with no own refining the processing stage becomes the bottleneck
    assert bottleneck([mining, stage_exposure("refining", "IEA refining 2024", 2024, 6000.0, 0.0)]).step == "processing"


def test_ties_go_to_extraction_and_a_share_must_be_a_fraction():
    a = stage_exposure("smelter", "USGS smelter 2023", 2023, 1000.0, 0.0)
    b = stage_exposure("mine", "USGS mine 2023", 2023, 1000.0, 0.0)
    assert bottleneck([a, b]) is b
    assert step_of("plant") == step_of("refinery") == "processing"
    with pytest.raises(ValueError):
        stage_exposure("mine", "x", 2023, 1000.0, 1.5)
    with pytest.raises(ValueError):
        bottleneck([])


stage = st.builds(lambda g, s, k: stage_exposure(k, f"source {k}", 2023, g, s),
                  st.floats(0, 10_000), st.floats(0, 1), st.sampled_from(["mine", "refinery", "smelter", "plant"]))


@given(st.lists(stage, min_size=1, max_size=4))
def test_the_bottleneck_is_at_least_every_stage_and_within_its_concentration(stages):
    worst = bottleneck(stages)
    assert all(worst.exposure >= s.exposure for s in stages)
    for s in stages:
        assert 0 <= s.exposure <= s.gw_hhi_scaled + 5e-5  # exposure is rounded to 4 decimals
