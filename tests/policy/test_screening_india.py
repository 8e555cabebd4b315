"""India's FDI policy, worked by hand from the official texts cited in each test.

Press Note 3 (2020 Series), para 3.1.1(a): "an entity of a country, which shares land border with India or where
the beneficial owner of an investment into India is situated in or is a citizen of any such country, can invest
only under the Government route". Press Note 2 (2026 Series) and the FEM (Non-debt Instruments) (Amendment)
Rules, 2026 (S.O. 2174(E), in force on publication, 2 May 2026): the beneficial owner is determined under rule
9(3) of the PML (Maintenance of Records) Rules, 2005 (more than 10 % or control), only citizens count, and
non-controlling land-border beneficial owners up to 10 % may invest under the automatic route with reporting.
"""

from __future__ import annotations

from setu.policy.screening import Requirement, screen_regime

from .conftest import citizen, situated, tx


def decide(regimes, transaction):
    return screen_regime(regimes["IND-FDI"], transaction)


def fired(decision):
    return {rule.id for rule in decision.rules}


def test_press_note_3_beneficial_owner_in_a_third_country_entity(regimes):
    # A Singapore company with a Chinese citizen holding 5 % of it invests in an Indian battery maker in 2025.
    decision = decide(regimes, tx("SGP", "IND", "battery-manufacturing", 0.20, "2025-06-01", owners=(citizen("CHN", 0.05),)))
    assert decision.requirement is Requirement.APPROVAL
    assert decision.route == "government"
    rule = next(r for r in decision.rules if r.id == "ind-pn3-land-border")
    assert "Press Note No. 3 (2020 Series)" in rule.citation.title
    assert rule.citation.article.startswith("para 3.1.1(a)")
    assert any("citizen of CHN" in fact for fact in rule.facts)


def test_press_note_2_2026_lets_a_small_non_controlling_owner_use_the_automatic_route(regimes):
    decision = decide(regimes, tx("SGP", "IND", "battery-manufacturing", 0.20, "2026-06-01", owners=(citizen("CHN", 0.05),)))
    assert decision.requirement is Requirement.REPORT
    assert decision.route == "automatic"
    assert "ind-pn2-minor-land-border-owner" in fired(decision)
    assert "ind-pn3-land-border" not in fired(decision)
    changes = {c.description: c.requirement for c in decision.changes}
    assert changes["the beneficial owner from CHN held more than 10 %"] is Requirement.APPROVAL
    assert changes["the beneficial owner from CHN had control"] is Requirement.APPROVAL


def test_the_amendment_date_changes_the_outcome(regimes):
    owners = (citizen("CHN", 0.05),)
    before = decide(regimes, tx("SGP", "IND", "battery-manufacturing", 0.20, "2026-05-01", owners=owners))
    after = decide(regimes, tx("SGP", "IND", "battery-manufacturing", 0.20, "2026-05-02", owners=owners))
    assert (before.requirement, after.requirement) == (Requirement.APPROVAL, Requirement.REPORT)
    assert any(c.description == "the transaction were dated 2026-05-02" and c.requirement is Requirement.REPORT
               for c in before.changes)


def test_ten_per_cent_is_not_more_than_ten_per_cent(regimes):
    # PML Rules, rule 9(3)(a): "more than ten per cent" - exactly 10 % without control stays automatic.
    at_ten = decide(regimes, tx("SGP", "IND", "pharmaceuticals", 0.3, "2026-07-01", owners=(citizen("CHN", 0.10),)))
    above = decide(regimes, tx("SGP", "IND", "pharmaceuticals", 0.3, "2026-07-01", owners=(citizen("CHN", 0.15),)))
    assert at_ten.requirement is Requirement.REPORT
    assert above.requirement is Requirement.APPROVAL
    assert "ind-pn2-land-border" in fired(above)


def test_control_makes_a_small_owner_a_beneficial_owner(regimes):
    decision = decide(regimes, tx("SGP", "IND", "pharmaceuticals", 0.3, "2026-07-01",
                                  owners=(citizen("CHN", 0.05, control=True),)))
    assert decision.requirement is Requirement.APPROVAL


def test_situated_but_not_a_citizen_counts_only_before_the_amendment(regimes):
    owners = (situated("CHN", 0.40),)
    assert decide(regimes, tx("USA", "IND", "mining-metal-ores", 0.5, "2025-01-01", owners=owners)).requirement \
        is Requirement.APPROVAL
    assert decide(regimes, tx("USA", "IND", "mining-metal-ores", 0.5, "2026-06-01", owners=owners)).requirement \
        is Requirement.REPORT


def test_an_entity_of_a_land_border_country_always_needs_approval(regimes):
    for day in ("2020-11-01", "2026-06-01"):
        decision = decide(regimes, tx("BGD", "IND", "semiconductor-manufacturing", 0.01, day))
        assert decision.requirement is Requirement.APPROVAL, day


def test_unknown_share_is_read_cautiously(regimes):
    decision = decide(regimes, tx("SGP", "IND", "battery-manufacturing", 0.2, "2026-06-01", owners=(citizen("CHN"),)))
    assert decision.requirement is Requirement.APPROVAL
    assert any("share not given" in fact for rule in decision.rules for fact in rule.facts)


def test_sectoral_routes_and_caps(regimes):
    cases = [
        ("USA", "mining-metal-ores", 1.0, set(), Requirement.REPORT),
        ("USA", "titanium-minerals", 0.3, set(), Requirement.APPROVAL),
        ("USA", "atomic-energy", 0.1, set(), Requirement.PROHIBITED),
        # Press Note 4 (2020), in force from 8 December 2020: 74 % automatic only for a new industrial licence
        ("USA", "defence", 0.74, {"new-industrial-licence"}, Requirement.REPORT),
        ("USA", "defence", 0.74, set(), Requirement.APPROVAL),
        ("USA", "defence", 0.49, set(), Requirement.REPORT),
        ("USA", "defence", 0.80, {"new-industrial-licence"}, Requirement.APPROVAL),
        ("JPN", "pharmaceuticals", 0.80, {"brownfield"}, Requirement.APPROVAL),
        ("JPN", "pharmaceuticals", 0.80, set(), Requirement.REPORT),  # greenfield: 100 % automatic
        ("JPN", "pharmaceuticals", 0.74, {"brownfield"}, Requirement.REPORT),
        ("PAK", "defence", 0.10, set(), Requirement.PROHIBITED),
        ("PAK", "battery-manufacturing", 0.10, set(), Requirement.APPROVAL),
    ]
    for acquirer, sector, stake, flags, expected in cases:
        got = decide(regimes, tx(acquirer, "IND", sector, stake, "2025-03-01", flags=flags)).requirement
        assert got is expected, (acquirer, sector, stake, flags, got)


def test_specified_manufacturing_gets_the_sixty_day_track(regimes):
    decision = decide(regimes, tx("CHN", "IND", "solar-pv-manufacturing", 0.26, "2026-06-01"))
    assert decision.requirement is Requirement.APPROVAL
    assert "ind-pn2-fast-track-manufacturing" in fired(decision)
    assert "government (60-day decision)" in decision.route


def test_uncovered_activity_says_not_covered_and_unconfirmed_rules_say_so(regimes):
    # launch vehicles are an activity of their own only from the NDI (Third Amendment) Rules, 2024 (16 April 2024)
    decision = decide(regimes, tx("USA", "IND", "space-launch-vehicles", 0.3, "2024-04-15"))
    assert decision.requirement is None and decision.outcome == "not covered"
    assert decision.not_covered == ("space-launch-vehicles on 2024-04-15: the rules encode its law only from 2024-04-16",)
    assert decision.changes == ()  # nothing is tried outside the encoded period of the activity
    telecom = decide(regimes, tx("USA", "IND", "telecom-services", 0.3, "2025-01-01"))
    (rule,) = telecom.rules
    assert rule.id == "ind-fdi-telecom-automatic" and "12 October 2021" in rule.unconfirmed
    assert any(caveat.startswith("unconfirmed") for caveat in telecom.caveats)


def test_a_transaction_before_the_encoded_law_is_not_covered(regimes):
    decision = decide(regimes, tx("USA", "IND", "titanium-minerals", 0.5, "2016-12-31"))
    assert decision.outcome == "not covered" and decision.rules == ()
    assert decision.not_covered == ("2016-12-31 is before the period the rules encode (from 2017-01-01)",)
