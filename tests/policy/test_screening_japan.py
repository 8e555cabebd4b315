"""Japan's FEFTA prior-notification regime, worked by hand.

Thresholds (Act No. 60 of 2019, in force 8 May 2020): 1 % of a listed company in a designated sector
(previously 10 %); any share of an unlisted company. Core sectors added by MOF notices: critical-mineral metal
mining (published 5 October 2021), and permanent magnets, storage batteries, semiconductor manufacturing
equipment, metal refining and others for investments on or after 24 May 2023. Exemption: general conditions
for non-core sectors (no upper limit, post-investment report); core sectors only below 10 % of a listed company
with the additional conditions; state-owned investors only when accredited.
"""

from __future__ import annotations

from setu.policy.screening import Requirement, screen, screen_regime

from .conftest import tx

GENERAL = {"exemption-conditions-met"}
CORE = {"exemption-conditions-met", "core-exemption-conditions-met"}


def decide(regimes, transaction):
    return screen_regime(regimes["JPN-FEFTA"], transaction)


def test_listed_core_sector_above_one_per_cent_needs_prior_notification(regimes):
    decision = decide(regimes, tx("CHN", "JPN", "permanent-magnets", 0.05, "2024-01-01", listed=True))
    assert decision.requirement is Requirement.NOTIFICATION
    assert [r.id for r in decision.rules] == ["jpn-fefta-listed-1pct"]


def test_core_exemption_only_below_ten_per_cent(regimes):
    small = decide(regimes, tx("USA", "JPN", "permanent-magnets", 0.05, "2024-01-01", listed=True, flags=CORE))
    large = decide(regimes, tx("USA", "JPN", "permanent-magnets", 0.10, "2024-01-01", listed=True, flags=CORE))
    general_only = decide(regimes, tx("USA", "JPN", "permanent-magnets", 0.05, "2024-01-01", listed=True, flags=GENERAL))
    assert small.requirement is Requirement.REPORT
    assert large.requirement is Requirement.NOTIFICATION
    assert general_only.requirement is Requirement.NOTIFICATION


def test_non_core_designated_sector_exemption_has_no_upper_limit(regimes):
    decision = decide(regimes, tx("USA", "JPN", "semiconductor-manufacturing", 0.30, "2024-01-01", listed=True,
                                  flags=GENERAL))
    assert decision.requirement is Requirement.REPORT


def test_state_owned_investors_need_accreditation(regimes):
    soe = decide(regimes, tx("SAU", "JPN", "semiconductor-manufacturing", 0.05, "2024-01-01", listed=True,
                             flags=GENERAL | {"state-owned"}))
    accredited = decide(regimes, tx("SAU", "JPN", "semiconductor-manufacturing", 0.05, "2024-01-01", listed=True,
                                    flags=GENERAL | {"state-owned", "accredited-soe"}))
    assert soe.requirement is Requirement.NOTIFICATION
    assert accredited.requirement is Requirement.REPORT


def test_the_2023_core_sector_notice_changes_the_outcome_on_its_date(regimes):
    before = decide(regimes, tx("CHN", "JPN", "battery-manufacturing", 0.05, "2023-05-23", listed=True))
    after = decide(regimes, tx("CHN", "JPN", "battery-manufacturing", 0.05, "2023-05-24", listed=True))
    assert before.requirement is Requirement.NONE  # not designated, and below the 10 % post-investment report
    assert after.requirement is Requirement.NOTIFICATION


def test_the_2020_threshold_change(regimes):
    # Act No. 60 of 2019 came into force on 8 May 2020 but applies to investments from 7 June 2020
    old = decide(regimes, tx("USA", "JPN", "semiconductor-manufacturing", 0.05, "2020-01-15", listed=True))
    transition = decide(regimes, tx("USA", "JPN", "semiconductor-manufacturing", 0.05, "2020-06-06", listed=True))
    new = decide(regimes, tx("USA", "JPN", "semiconductor-manufacturing", 0.05, "2020-06-07", listed=True))
    assert (old.requirement, transition.requirement, new.requirement) == (
        Requirement.NONE, Requirement.NONE, Requirement.NOTIFICATION)
    assert any(c.description == "the stake were just below 1 %" and c.requirement is Requirement.NONE
               for c in new.changes)


def test_any_share_of_an_unlisted_designated_company(regimes):
    decision = decide(regimes, tx("KOR", "JPN", "semiconductor-manufacturing", 0.005, "2024-01-01"))
    assert decision.requirement is Requirement.NOTIFICATION
    assert [r.id for r in decision.rules] == ["jpn-fefta-unlisted"]


def test_unlisted_core_company_cannot_use_the_exemption(regimes):
    decision = decide(regimes, tx("USA", "JPN", "mining-metal-ores", 0.05, "2024-01-01", flags=CORE))
    assert decision.requirement is Requirement.NOTIFICATION


def test_non_designated_sector_gets_a_post_investment_report(regimes):
    decision = decide(regimes, tx("USA", "JPN", "fertilizers", 0.15, "2022-01-01", listed=True))
    assert decision.requirement is Requirement.REPORT
    assert [r.id for r in decision.rules] == ["jpn-fefta-non-designated-report"]


def test_an_activity_whose_designation_is_not_mapped_is_not_covered(regimes):
    decision = decide(regimes, tx("USA", "JPN", "solar-pv-manufacturing", 0.15, "2024-01-01", listed=True))
    assert decision.requirement is None
    assert decision.not_covered == ("solar-pv-manufacturing: not among the activities whose law the rules encode",)


def test_domestic_or_foreign_target_is_not_screened(service):
    decisions, skipped = screen(service.regimes, tx("JPN", "JPN", "permanent-magnets", 0.5, "2024-01-01"))
    assert decisions == []
    assert {s.regime for s in skipped} == {"IND-FDI", "JPN-FEFTA"}


def test_long_standing_designated_sectors_before_the_core_category(regimes):
    decision = decide(regimes, tx("USA", "JPN", "telecom-services", 0.15, "2019-10-01", listed=True))
    assert decision.requirement is Requirement.NOTIFICATION
    assert [r.id for r in decision.rules] == ["jpn-fefta-listed-10pct"]
