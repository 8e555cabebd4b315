"""Comparison of critical lists, on a hand-made library and on the bundled one."""

from __future__ import annotations

import datetime as dt

import pytest

from setu.policy.compare import (
    MaterialConcentration,
    Standing,
    compare_lists,
    concentration_from_shares,
    critical_for,
)
from setu.policy.library import (
    Citation,
    CriticalList,
    ListEntry,
    ListKind,
    MaterialLink,
    PartialDate,
    Period,
    PolicyLibrary,
    Relation,
)
from setu.services.maps import MapService
from setu.services.policy import PolicyService

CITE = Citation("A list", "A ministry", PartialDate.parse("2023"))


def entry(entry_id: str, *links: MaterialLink, start: str | None = None) -> ListEntry:
    return ListEntry(entry_id, entry_id, CITE, links, in_force=Period(PartialDate.parse(start) if start else None))


LIBRARY = PolicyLibrary((
    CriticalList("a-list", "A", "IND", ListKind.CRITICAL, CITE, (
        entry("li", MaterialLink("lithium")),
        entry("p", MaterialLink("phosphate-rock", Relation.RELATED)),
        entry("dy", MaterialLink("rare-earths", Relation.PART)),
    )),
    CriticalList("b-list", "B", "JPN", ListKind.SPECIFIED_CRITICAL_PRODUCT, CITE, (
        entry("minerals", MaterialLink("lithium", Relation.COVERS), MaterialLink("cobalt", Relation.COVERS)),
        entry("later", MaterialLink("gallium"), start="2030-01-01"),
    )),
))
MATERIALS = {"lithium": "Lithium", "cobalt": "Cobalt", "rare-earths": "Rare earths", "phosphate-rock": "Phosphate",
             "gallium": "Gallium", "helium": "Helium", "salt": "Salt"}
CONC = {"helium": MaterialConcentration(3000.0, "USA", 0.45, "test"),
        "salt": MaterialConcentration(900.0, "CHN", 0.2, "test")}


def test_standings_related_links_and_dates():
    rows = {r.material: r for r in compare_lists(LIBRARY, "IND", "JPN", dt.date(2026, 1, 1), MATERIALS, CONC)}
    assert rows["lithium"].standing is Standing.BOTH
    assert rows["rare-earths"].standing is Standing.FIRST_ONLY  # part of the material counts
    assert rows["cobalt"].standing is Standing.SECOND_ONLY  # "covers" counts
    assert rows["phosphate-rock"].standing is Standing.NEITHER  # a related link does not
    assert rows["gallium"].standing is Standing.NEITHER  # not yet in force
    assert rows["helium"].gap and not rows["salt"].gap  # HHI 3,000 > 1,800 > 900
    later = critical_for(LIBRARY, "JPN", dt.date(2030, 1, 1))
    assert "gallium" in later


def test_rows_are_ordered_by_standing_then_concentration():
    rows = compare_lists(LIBRARY, "IND", "JPN", dt.date(2026, 1, 1), MATERIALS, CONC)
    standings = [r.standing for r in rows]
    assert standings == sorted(standings, key=list(Standing).index)
    neither = [r.material for r in rows if r.standing is Standing.NEITHER]
    assert neither[:2] == ["helium", "salt"]


def test_bundled_india_and_japan(service):
    rows = {r.material: r for r in service.compare("IND", "JPN", dt.date(2026, 6, 1))}
    assert rows["lithium"].standing is Standing.BOTH
    assert rows["cadmium"].standing is Standing.FIRST_ONLY
    assert rows["chromium"].standing is Standing.SECOND_ONLY
    assert rows["rare-earths"].concentration.top_country == "CHN"
    # magnets map, separated rare-earth oxides: IEA Critical Minerals Data Explorer, refining 2024 (kt):
    # China 73.757, Malaysia 3.625, United States 0.961 of a world total of 80.805 ("Rest of world" is no country)
    total = 80.80512702814008
    expected = sum((100 * v / total) ** 2 for v in (73.75667016860831, 3.62523562207358, 0.96135))
    assert rows["rare-earths"].concentration.hhi == pytest.approx(expected) and round(expected) == 8353


def test_injected_concentration_takes_precedence(service):
    injected = PolicyService(concentration={"helium": MaterialConcentration(5000.0, "USA", 0.6, "catalog")})
    rows = {r.material: r for r in injected.compare("India", "Japan", dt.date(2026, 6, 1))}
    assert rows["helium"].standing is Standing.NEITHER and rows["helium"].gap


def test_concentration_from_shares_by_hand():
    # USGS MCS 2024, gallium primary production 2023 (kt): China 600 of 610 (98.4 %), Russia 5, Japan 3, Korea 2.
    shares = {"gallium": {"CHN": 600 / 610, "RUS": 5 / 610, "JPN": 3 / 610, "KOR": 2 / 610}, "salt": {}}
    result = concentration_from_shares(shares, {"gallium": "USGS MCS 2024, primary production 2023"})
    expected = sum((100 * v / 610) ** 2 for v in (600, 5, 3, 2))
    assert abs(result["gallium"].hhi - expected) < 1e-9 and round(expected) == 9676
    assert result["gallium"].top_country == "CHN" and "salt" not in result


def test_usgs_resolved_map_nodes_feed_the_comparison():
    """With a resolver (the catalog's, in production), USGS-referenced raw nodes give materials a concentration:
    helium is on neither list, so a concentrated helium supply shows as a gap. Fixture shares, hand-made."""
    def resolver(material: str, series: str, year: int) -> list[tuple[str, float, float]]:
        return [("USA", 0.0, 0.5), ("QAT", 0.0, 0.4), ("DZA", 0.0, 0.1)] if material == "helium" else []

    service = PolicyService(maps=MapService(resolver=resolver))
    helium = {r.material: r for r in service.compare("IND", "JPN", dt.date(2026, 6, 1))}["helium"]
    assert helium.concentration.hhi == 50**2 + 40**2 + 10**2  # 4,200 > 1,800
    assert helium.concentration.basis.startswith("semiconductors:helium")
    assert helium.gap
