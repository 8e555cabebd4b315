"""Export and import: JSON and CSV round-trip, exports respect tiers, imports are all-or-nothing."""

from __future__ import annotations

import json
import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from setu.errors import DataFormatError, PermissionDeniedError, ValidationError
from setu.register.catalog import BY_NAME
from setu.register.fields import Role
from setu.register.sample import build_sample
from setu.register.visibility import Principal

OPERATOR = Principal("cli", "cli", Role.ADMIN, None, True)


def test_json_round_trip(register, make_sqlite):
    build_sample(register)
    exported = register.transfer.export_json(OPERATOR)
    target = make_sqlite()
    counts = target.transfer.import_records(OPERATOR, target.transfer.parse_json(exported))
    assert counts["projects"] == 8 and counts["organisations"] == 5
    assert target.transfer.export_json(OPERATOR) == exported


def test_csv_round_trip(register, make_sqlite):
    build_sample(register)
    files = register.transfer.export_csv(OPERATOR)
    assert set(files) == {f"{name}.csv" for name in BY_NAME}
    target = make_sqlite()
    target.transfer.import_records(OPERATOR, target.transfer.parse_csv(files))
    assert target.transfer.export_csv(OPERATOR) == files
    assert target.transfer.export_json(OPERATOR) == register.transfer.export_json(OPERATOR)


def test_export_holds_only_what_the_caller_reads(sqlite_register):
    world = build_sample(sqlite_register)
    with sqlite_register.database.transaction(write=False) as tx:
        account = tx.account(username="company-viewer")
    viewer = Principal(account["id"], "company-viewer", Role.VIEWER, world.organisations["company"], False)
    exported = json.loads(sqlite_register.transfer.export_json(viewer))["records"]
    titles = {p["title"] for p in exported["projects"]}
    assert titles == {"Sample public project of meti", "Sample shared project of meti",
                      "Sample public project of keidanren", "Sample shared project of keidanren"}  # fmt: skip
    for rows in exported.values():
        for row in rows:
            assert row.get("tier") in (None, "public", "shared")
    with pytest.raises(PermissionDeniedError):
        sqlite_register.transfer.import_records(viewer, {"projects": []})


def test_import_is_all_or_nothing(sqlite_register, make_sqlite):
    build_sample(sqlite_register)
    document = json.loads(sqlite_register.transfer.export_json(OPERATOR))
    document["records"]["projects"][3]["sector"] = "textiles"
    target = make_sqlite()
    with pytest.raises(ValidationError, match=r"projects\[3\]"):
        target.transfer.import_records(OPERATOR, target.transfer.parse_json(json.dumps(document)))
    assert json.loads(target.transfer.export_json(OPERATOR))["records"]["organisations"] == []
    with pytest.raises(ValidationError, match="already exists"):
        sqlite_register.transfer.import_records(
            OPERATOR, sqlite_register.transfer.parse_json(sqlite_register.transfer.export_json(OPERATOR))
        )


def test_parse_errors_name_the_place(sqlite_register):
    with pytest.raises(DataFormatError, match="<json>:1:"):
        sqlite_register.transfer.parse_json("{not json")
    with pytest.raises(DataFormatError, match="format"):
        sqlite_register.transfer.parse_json('{"format": "other"}')
    with pytest.raises(DataFormatError, match=r"projects.csv:2: field 'links'"):
        header = ",".join(BY_NAME["projects"].public.model_fields)
        cells = {"links": "{bad", "shared_with": "[]", "partner_ids": "[]"}
        row = ",".join(cells.get(f, "x") for f in BY_NAME["projects"].public.model_fields)
        sqlite_register.transfer.parse_csv({"projects.csv": header + "\n" + row + "\n"})


text = st.text(alphabet=string.ascii_letters + string.digits + " ,;\"'\n|é日本", min_size=1, max_size=40).map(str.strip).filter(bool)
node = st.from_regex(r"\A[a-z0-9][a-z0-9._:/-]{0,20}\Z")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    titles=st.lists(text, min_size=1, max_size=4),
    summary=st.text(max_size=60).filter(lambda s: all(ord(c) >= 32 or c in "\n\t" for c in s) and "\x7f" not in s),
    nodes=st.lists(st.tuples(node, st.text(alphabet=string.printable.strip(), max_size=20)), max_size=3),
    tier=st.sampled_from(["government", "shared", "public"]),
    due=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
)
def test_round_trip_property(make_sqlite, titles, summary, nodes, tier, due):
    """Any valid records survive export → import → export unchanged, in JSON and in CSV."""
    source = make_sqlite()
    org = source.records.create(OPERATOR, BY_NAME["organisations"],
                                BY_NAME["organisations"].create(name=titles[0], kind="agency", country="IND"))  # fmt: skip
    for title in titles:
        project = source.records.create(
            OPERATOR, BY_NAME["projects"],
            BY_NAME["projects"].create(title=title, sector="pharmaceuticals", summary=summary, tier=tier,
                                       owner_org_id=org.id, shared_with=[org.id],
                                       links=[{"node_id": n, "vulnerability": v} for n, v in nodes]),
        )  # fmt: skip
        source.records.create(OPERATOR, BY_NAME["milestones"],
                              BY_NAME["milestones"].create(project_id=project.id, title=title, due_date=due,
                                                           owner_org_id=org.id, notes=summary))  # fmt: skip
    exported_json = source.transfer.export_json(OPERATOR)
    exported_csv = source.transfer.export_csv(OPERATOR)
    via_json = make_sqlite()
    via_json.transfer.import_records(OPERATOR, via_json.transfer.parse_json(exported_json))
    assert via_json.transfer.export_json(OPERATOR) == exported_json
    via_csv = make_sqlite()
    via_csv.transfer.import_records(OPERATOR, via_csv.transfer.parse_csv(exported_csv))
    assert via_csv.transfer.export_json(OPERATOR) == exported_json
