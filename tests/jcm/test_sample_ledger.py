"""The illustrative sample, worked by hand: what each account holds, the adjustments, and a consistent ledger."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from itertools import pairwise

from setu.jcm.sample import SampleJcm, build_sample
from setu.jcm.service import JcmService


def held(jcm: JcmService) -> dict[tuple[str, str], int]:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for row in jcm.holdings():
        totals[(row["account"], row["project"])] += row["tco2e"]
    return dict(totals)


def test_holdings_follow_the_notifications_by_hand(jcm: JcmService, sample: SampleJcm) -> None:
    # ILL-IN001: 12,000 t: 6,000 to Japan (4,000 then used), 3,000 to India, 3,000 to the participant (500 cancelled).
    # ILL-IN002: 5,000 t: 2,500 to Japan, 2,000 to India, 500 to the participant.
    assert held(jcm) == {
        ("ILL-JP-GOV-001", "ILL-IN001"): 2_000,
        ("ILL-JP-RET-001", "ILL-IN001"): 4_000,
        ("ILL-IN-GOV-001", "ILL-IN001"): 3_000,
        ("ILL-IN-ENT-001", "ILL-IN001"): 2_500,
        ("ILL-IN-CAN-001", "ILL-IN001"): 500,
        ("ILL-JP-GOV-001", "ILL-IN002"): 2_500,
        ("ILL-IN-GOV-001", "ILL-IN002"): 2_000,
        ("ILL-IN-ENT-001", "ILL-IN002"): 500,
    }
    assert jcm.verify() == []


def test_corresponding_adjustments_by_hand(jcm: JcmService, sample: SampleJcm) -> None:
    # India first-transfers 6,000 + 2,500 t of vintage 2026 to Japan in 2026 and adds them; Japan uses 4,000 t.
    totals = {(row.party, row.vintage, row.year): (row.first_transfer_tco2e, row.use_tco2e) for row in jcm.adjustments()}
    assert totals == {("IND", 2026, 2026): (8_500, 0), ("JPN", 2026, 2026): (0, -4_000)}


def test_serials_are_contiguous_and_start_at_one(jcm: JcmService, sample: SampleJcm) -> None:
    for project, issued in (("ILL-IN001", 12_000), ("ILL-IN002", 5_000)):
        ranges = sorted((row["serial_start"], row["serial_end"]) for row in jcm.holdings() if row["project"] == project)
        assert ranges[0][0] == 1 and ranges[-1][1] == issued
        assert all(a[1] + 1 == b[0] for a, b in pairwise(ranges))


def test_the_sample_reports_its_year_whenever_it_is_loaded(services, clock) -> None:
    # Loaded in 2031, the sample's movements still happen in June 2026: `setu jcm aef JPN 2026` is the same report.
    register, jcm = services
    clock.now = datetime(2031, 1, 15, 9, 0, tzinfo=UTC)
    build_sample(register, jcm)
    assert {movement.at.date().isoformat()[:7] for movement in jcm.movements()} == {"2026-06"}
    assert jcm.aef("JPN", 2026).totals() == {"Acquisition": 8_500, "Use towards NDC": 4_000, "Holdings at year end": 4_500}
    assert jcm.aef("JPN", 2031).totals() == {"Holdings at year end": 4_500}
