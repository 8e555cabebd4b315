"""Supplier and owner shares, station loads, straits and cuts on the hand-drawn network, by hand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.cables import (
    TYPICAL_REPAIR,
    Cable,
    Strait,
    cut,
    owner_concentration,
    party_concentration,
    station_loads,
    segment_between,
    strait_exposure,
    supplier_concentration,
    supplier_country_shares,
)

from .networks import hand_network


def test_supplier_shares_by_hand():
    """Japan's in-service cables A (NEC), B (ASN), E (SubCom), F (NEC): NEC 2/4, ASN 1/4, SubCom 1/4;
    HHI = 50² + 25² + 25² = 3,750. India's B (ASN), C (SubCom), D (NEC+SubCom, half each), F (NEC):
    ASN 1/4, SubCom 1.5/4, NEC 1.5/4; HHI = 25² + 2·37.5² = 3,437.5."""
    net = hand_network().in_service()
    japan = supplier_concentration(net, "JPN")
    assert [(p.name, p.share) for p in japan.shares] == [("NEC", 0.5), ("ASN", 0.25), ("SubCom", 0.25)]
    assert japan.hhi == pytest.approx(3750.0)
    assert japan.coverage == 1.0
    india = supplier_concentration(net, "IND")
    assert {p.name: p.share for p in india.shares} == {"ASN": 0.25, "SubCom": 0.375, "NEC": 0.375}
    assert {p.name: p.cables for p in india.shares} == {"ASN": 1, "SubCom": 2, "NEC": 2}
    assert india.hhi == pytest.approx(3437.5)
    assert supplier_country_shares(india) == {"JPN": 0.375, "USA": 0.375, "FRA": 0.25}


def test_owner_shares_leave_unnamed_cables_out():
    """India's owners: B (X, Y), C (Z), D (none published), F (X): 3 of 4 cables named; X 1.5/3, Z 1/3,
    Y 0.5/3; coverage 0.75."""
    india = owner_concentration(hand_network().in_service(), "IND")
    assert india.cables == 4 and india.cables_named == 3 and india.coverage == 0.75
    assert [(p.name, p.share) for p in india.shares] == [("X", 0.5), ("Z", pytest.approx(1 / 3)),
                                                       ("Y", pytest.approx(1 / 6))]
    assert india.hhi == pytest.approx(2500 + (100 / 3) ** 2 + (100 / 6) ** 2)


@given(st.lists(st.lists(st.sampled_from(["ASN", "NEC", "SubCom", "HMN Tech"]), max_size=3, unique=True),
                min_size=1, max_size=12))
def test_shares_sum_to_one_and_hhi_is_bounded(suppliers):
    cables = [Cable(f"c{n}", f"C{n}", ("x", "y"), suppliers=tuple(s)) for n, s in enumerate(suppliers)]
    result = party_concentration(cables, "supplier", "test")
    if result.cables_named:
        assert sum(p.share for p in result.shares) == pytest.approx(1.0)
        assert 10_000 / len(result.shares) - 1e-6 <= result.hhi <= 10_000 + 1e-6
    else:
        assert result.shares == () and result.hhi == 0


def test_station_loads():
    """Japan's international cables: jp1 lands A, E, F (3/4), jp2 lands B (1/4); every direct cable to the
    United States (E) lands at jp1, so jp1 is a single point of failure for JPN-USA."""
    loads = station_loads(hand_network().in_service(), "JPN")
    assert [(s.station, s.cables, s.share, s.sole_landing_for) for s in loads] == [
        ("jp1", 3, 0.75, ("USA",)), ("jp2", 1, 0.25, ())]


def test_cut_two_cables():
    """Cut A and F: Japan-India keeps B only (direct 2 -> 1; routes of at most two cables 3 -> 1)."""
    result = cut(hand_network().in_service(), ["a", "f"], focus=["JPN", "IND"])
    pair = next(p for p in result.pairs if (p.country, p.other) == ("IND", "JPN"))
    assert (pair.direct_before, pair.direct_after, pair.routes_before, pair.routes_after) == (2, 1, 3, 1)
    assert pair.reachable_after and not pair.loses_all_routes
    assert result.reach_losses == ()
    assert result.restoration_days == TYPICAL_REPAIR.days_per_cable == 30


def test_cut_the_only_us_cable_isolates_the_us():
    result = cut(hand_network().in_service(), ["e"], focus=["JPN"])
    pair = next(p for p in result.pairs if (p.country, p.other) == ("JPN", "USA"))
    assert pair.loses_all_routes and pair.loses_all_direct and not pair.reachable_after
    usa = next(r for r in result.reach_losses if r.country == "USA")
    assert usa.isolated and usa.unreachable == ("IND", "JPN", "SGP")


def test_station_lost():
    """Losing jp2 takes B's Japanese landing away; B still joins Singapore and India. Japan-India: F direct,
    then A with C or D: 2 routes; no restoration time is assumed for a station."""
    result = cut(hand_network().in_service(), stations=["jp2"], focus=["JPN", "IND"])
    pair = next(p for p in result.pairs if (p.country, p.other) == ("IND", "JPN"))
    assert (pair.direct_after, pair.routes_after) == (1, 2)
    assert result.restoration_days is None


def test_zero_cut_changes_nothing():
    net = hand_network().in_service()
    result = cut(net, [], [], focus=["JPN", "IND"])
    assert all(p.routes_before == p.routes_after for p in result.pairs)
    assert result.reach_losses == () and result.affected_countries == ()


def test_strait_crossing():
    box = Strait("x", "X", 0.0, 0.0, 1.0, 1.0)
    assert box.crossed_by((-1.0, 0.5), (2.0, 0.5))  # passes straight through, no vertex inside
    assert box.crossed_by((0.5, 0.5), (0.6, 0.6))
    assert not box.crossed_by((-1.0, 2.0), (2.0, 2.0))
    assert not box.crossed_by((-1.0, -0.1), (-0.1, -1.0))
    routes = {"a": [[(-1.0, 0.5), (2.0, 0.5)]], "b": [[(5.0, 5.0), (6.0, 6.0)]]}
    rows, missing = strait_exposure(["a", "b", "c"], routes, [box])
    assert missing == ("c",)
    assert [(r.strait, r.cables, r.share, r.all_routes) for r in rows] == [("x", ("a",), 0.5, False)]


def test_the_stretch_between_two_countries_leaves_out_the_rest_of_the_cable():
    """A cable drawn A(0,0) - branch(2,0) - B(4,0), with a branch from (2,0) up to C(2,5) through a box:
    the A-B stretch avoids the box, A-C passes it; a station off the drawing gives no stretch."""
    box = Strait("x", "X", 1.5, 2.0, 2.5, 3.0)
    route = [[(0.0, 0.0), (2.0, 0.0)], [(2.0, 0.0), (4.0, 0.0)], [(2.0, 0.0), (2.0, 5.0)]]
    between = segment_between(route, [(0.0, 0.1)], [(4.0, -0.1)])
    assert between == [[(0.0, 0.0), (2.0, 0.0), (4.0, 0.0)]]
    rows, _ = strait_exposure(["ab"], {"ab": between}, [box])
    assert rows == []
    assert [r.strait for r in strait_exposure(["ac"], {"ac": segment_between(route, [(0, 0)], [(2, 5)])},
                                              [box])[0]] == ["x"]
    assert segment_between(route, [(0.0, 0.0)], [(30.0, 30.0)]) is None
    assert segment_between([[(0.0, 0.0), (1.0, 0.0)], [(3.0, 0.0), (4.0, 0.0)]], [(0, 0)], [(4, 0)]) is None
    # lines cut at the antimeridian are one line: 179.5 -> 180 and -180 -> -179.5
    across = [[(179.0, 10.0), (180.0, 10.0)], [(-180.0, 10.0), (-179.0, 10.0)]]
    assert segment_between(across, [(179.0, 10.0)], [(-179.0, 10.0)]) == [[(179.0, 10.0), (180.0, 10.0),
                                                                          (-179.0, 10.0)]]
