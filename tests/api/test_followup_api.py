"""Follow-up over HTTP: overdue per Point of Contact and the organisation digest, values worked by hand.

The sample's action items fall due on 2026-02-28 and its milestones on 2026-03-31; each owner (METI,
Keidanren) has one Point of Contact who owns its four action items and is PoC of its four projects.
"""

from __future__ import annotations


def test_overdue_per_point_of_contact(reader_api):
    groups = reader_api.get("admin", "/api/followup/overdue", params={"as_of": "2026-04-02"}).json()
    assert [(g["person_name"], len(g["items"])) for g in groups] == [
        ("Sample PoC of keidanren", 8), ("Sample PoC of meti", 8)
    ]  # fmt: skip
    days = [item["days_overdue"] for item in groups[0]["items"]]
    assert days == [33] * 4 + [2] * 4  # 2026-02-28 → 04-02 is 33 days; 03-31 → 04-02 is 2


def test_overdue_for_one_person_and_by_tier(reader_api):
    person = reader_api.sample.records["people"]["meti-poc"]
    groups = reader_api.get("keidanren-viewer", "/api/followup/overdue",
                            params={"as_of": "2026-03-01", "person_id": person}).json()  # fmt: skip
    # Keidanren (an industry body) reads METI's public items only: one action item, one day late
    assert [(g["person_id"], [(i["kind"], i["title"], i["days_overdue"]) for i in g["items"]]) for g in groups] == [
        (person, [("action_item", "Action on meti-public", 1)])
    ]


def test_digest(reader_api):
    meti = reader_api.sample.organisations["meti"]
    digest = reader_api.get("meity-viewer", f"/api/followup/digest/{meti}",
                            params={"as_of": "2026-03-15", "horizon_days": 30}).json()  # fmt: skip
    # MeitY (a ministry) reads METI's government and public records: 2 projects, 2 overdue action items,
    # 2 milestones due within 30 days
    assert digest["projects"] == 2 and digest["projects_by_status"] == {"active": 2}
    assert sorted(i["title"] for i in digest["overdue"]) == ["Action on meti-government", "Action on meti-public"]
    assert sorted(i["title"] for i in digest["due_soon"]) == ["Milestone of meti-government", "Milestone of meti-public"]
    assert digest["open_action_items"] == 2
    missing = reader_api.get("admin", "/api/followup/digest/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
