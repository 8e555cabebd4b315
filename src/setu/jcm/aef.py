"""The Agreed Electronic Format (AEF) tables of one Party's Article 6.2 annual information, built from the ledger.

Decision 2/CMA.3 (annex, chapter IV.B, paras 20–23) asks each participating Party for annual information on its
authorisations, first transfers, transfers, acquisitions, holdings, cancellations and uses of ITMOs, in the
agreed electronic format; decision 6/CMA.4 (annex II) adopted the format and decision 4/CMA.6 (annex II) revised
it into five tables: submission, authorisations, actions, holdings and authorised entities. These are the five
tables here, with one row per block of ITMOs (first and last ITMO identifier).

Not yet confirmed against the published spreadsheet template: the exact column headings (they follow the
decisions' field names in plain words), the controlled values of "Action type" beyond those below, the
cooperative-approach identifier (the UNFCCC's Centralized Accounting and Reporting Platform assigns it; a
placeholder is used) and the Party ITMO registry identifier (alpha-3 plus two digits). Every table says so in its
note row, and :data:`LAYOUT_CONFIRMED` is False until they are.

Only ITMOs are reported: units the host Party has authorised. Holdings are the blocks held at 31 December
23:59:59 UTC of the reported year in the Party's holding accounts (units in cancellation and retirement accounts
have left circulation and are reported as actions).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LAYOUT_CONFIRMED = False
COOPERATIVE_APPROACH_ID = "JCM-JPN-IND"  # placeholder until CARP assigns the approach its identifier
METRIC = "tCO2e"
MITIGATION_TYPE = "Emission reductions"
NDC_PERIOD = {"JPN": (2021, 2030), "IND": (2021, 2030)}  # the NDCs' implementation periods (single-year 2030 targets)

TABLES: dict[str, tuple[str, ...]] = {
    "Submission": ("Party", "Version", "Submission date", "Reported year", "NDC period first year",
                   "NDC period last year", "Party ITMO registry ID"),
    "Authorizations": ("Authorization ID", "Authorization date", "Cooperative approach ID", "Authorizing Party",
                       "Authorized Parties", "Authorized entities", "Purpose for authorization",
                       "First transfer definition", "Sector", "Activity type", "Vintages", "Metric", "Terms",
                       "Illustrative"),
    "Actions": ("Action ID", "Action date", "Action type", "Cooperative approach ID", "Authorization ID",
                "First transferring Party", "Party ITMO registry ID", "First ITMO ID", "Last ITMO ID", "Metric",
                "Quantity (tCO2e)", "Mitigation type", "Vintage", "Sector", "Activity type", "Transferring Party",
                "Acquiring Party", "Purpose for cancellation", "Using Party or entity", "First transfer",
                "Illustrative"),
    "Holdings": ("Cooperative approach ID", "Authorization ID", "First transferring Party", "Party ITMO registry ID",
                 "First ITMO ID", "Last ITMO ID", "Metric", "Quantity (tCO2e)", "Mitigation type", "Vintage",
                 "Illustrative"),
    "Authorized entities": ("Authorization date", "Entity name", "Country of incorporation", "Entity ID",
                            "Cooperative approach ID"),
}  # fmt: skip
NOTE = (
    "Agreed Electronic Format (decisions 2/CMA.3, 6/CMA.4, 4/CMA.6): headings follow the decisions' fields; not yet "
    "confirmed against the UNFCCC template. Cooperative approach and registry IDs are placeholders."
)

Value = int | str
Row = dict[str, Value]


@dataclass(frozen=True)
class Report:
    party: str
    year: int
    tables: dict[str, list[Row]]
    illustrative: bool

    def totals(self) -> dict[str, int]:
        """tCO2e per action type, and the year-end holdings, as the ledger must equal them."""
        out: dict[str, int] = defaultdict(int)
        for row in self.tables["Actions"]:
            out[str(row["Action type"])] += int(row["Quantity (tCO2e)"])
        out["Holdings at year end"] = sum(int(row["Quantity (tCO2e)"]) for row in self.tables["Holdings"])
        return dict(out)


def registry_id(party: str) -> str:
    return f"{party}01"


def itmo_id(party: str, project: str, vintage: int, serial: int) -> str:
    return f"{party}-JCM-{project}-{vintage}-{serial:06d}"


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def _actions_of(party: str, move: Mapping[str, Any], authorisation: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(suffix, action type) rows that ``move`` gives in ``party``'s report."""
    kind, rows = move["kind"], []
    if move["first_transfer"] and authorisation["party"] == party:
        rows.append(("F", "First transfer"))
    elif kind == "external_transfer" and move["source_registry"] == party:
        rows.append(("T", "Transfer"))
    if kind == "external_transfer" and move["target_registry"] == party:
        rows.append(("A", "Acquisition"))
    if kind == "retirement" and move["target_registry"] == party:
        rows.append(("U", "Use towards NDC" if move["purpose"] in ("ndc", "ndc_and_oimp") else "Use for OIMP"))
    if kind == "cancellation" and move["target_registry"] == party:
        rows.append(("C", "Voluntary cancellation" if move["purpose"] == "voluntary" else "Cancellation for OMGE"))
    return rows


def build(
    *,
    party: str,
    year: int,
    submitted_on: str,
    projects: Mapping[str, Mapping[str, Any]],
    authorisations: Mapping[str, Mapping[str, Any]],
    movements: Sequence[Mapping[str, Any]],
    year_end_blocks: Sequence[Mapping[str, Any]],
    accounts: Mapping[str, Mapping[str, Any]],
) -> Report:
    """The five tables for ``party`` and ``year`` (``movements``: the year's; ``year_end_blocks``: held at its end)."""
    host_authorisations = {key: a for key, a in authorisations.items() if a["party"] == party}
    involved = {a["project_id"] for a in authorisations.values()}
    first, last = NDC_PERIOD[party]
    tables: dict[str, list[Row]] = {name: [] for name in TABLES}
    tables["Submission"].append({"Party": party, "Version": 1, "Submission date": submitted_on, "Reported year": year,
                                 "NDC period first year": first, "NDC period last year": last,
                                 "Party ITMO registry ID": registry_id(party)})  # fmt: skip
    for a in sorted(host_authorisations.values(), key=lambda a: a["reference"]):
        project = projects[a["project_id"]]
        tables["Authorizations"].append({
            "Authorization ID": a["reference"], "Authorization date": a["authorised_at"].date().isoformat(),
            "Cooperative approach ID": COOPERATIVE_APPROACH_ID, "Authorizing Party": a["party"],
            "Authorized Parties": project["partner_party"],
            "Authorized entities": "; ".join(p["name"] for p in project["participants"]),
            "Purpose for authorization": a["purpose"], "First transfer definition": a["first_transfer_definition"],
            "Sector": project["sector"], "Activity type": project["activity_type"],
            "Vintages": f"{a['vintage_from']}-{a['vintage_to']}", "Metric": METRIC, "Terms": a["terms"],
            "Illustrative": _yes(project["illustrative"]),
        })  # fmt: skip
        for participant in project["participants"]:
            tables["Authorized entities"].append({
                "Authorization date": a["authorised_at"].date().isoformat(), "Entity name": participant["name"],
                "Country of incorporation": participant["party"],
                "Entity ID": participant.get("organisation_id") or "NA", "Cooperative approach ID": COOPERATIVE_APPROACH_ID,
            })  # fmt: skip
    for move in movements:
        authorisation = authorisations.get(move["authorisation_id"] or "")
        if authorisation is None or move["at"].year != year:
            continue  # not an ITMO, or not this year
        project = projects[move["project_id"]]
        source = accounts.get(move["source_account_id"]) if move["source_account_id"] else None
        for suffix, action in _actions_of(party, move, authorisation):
            using = ""
            if action.startswith("Use"):
                using = move["target_registry"]
            tables["Actions"].append({
                "Action ID": f"{move['id']}-{suffix}", "Action date": move["at"].date().isoformat(), "Action type": action,
                "Cooperative approach ID": COOPERATIVE_APPROACH_ID, "Authorization ID": authorisation["reference"],
                "First transferring Party": authorisation["party"], "Party ITMO registry ID": registry_id(party),
                "First ITMO ID": itmo_id(project["host_party"], project["reference"], move["vintage"], move["serial_start"]),
                "Last ITMO ID": itmo_id(project["host_party"], project["reference"], move["vintage"], move["serial_end"]),
                "Metric": METRIC, "Quantity (tCO2e)": move["quantity"], "Mitigation type": MITIGATION_TYPE,
                "Vintage": move["vintage"], "Sector": project["sector"], "Activity type": project["activity_type"],
                "Transferring Party": move["source_registry"] if move["kind"] == "external_transfer" else (
                    source["registry"] if source else ""),
                "Acquiring Party": move["target_registry"] if move["kind"] == "external_transfer" else "",
                "Purpose for cancellation": move["purpose"] if move["kind"] == "cancellation" else "",
                "Using Party or entity": using, "First transfer": _yes(bool(move["first_transfer"])),
                "Illustrative": _yes(project["illustrative"]),
            })  # fmt: skip
    for block in year_end_blocks:
        account = accounts[block["account_id"]]
        authorisation = authorisations.get(block["authorisation_id"] or "")
        if account["registry"] != party or account["kind"] in ("cancellation", "retirement") or authorisation is None:
            continue
        project = projects[block["project_id"]]
        tables["Holdings"].append({
            "Cooperative approach ID": COOPERATIVE_APPROACH_ID, "Authorization ID": authorisation["reference"],
            "First transferring Party": authorisation["party"], "Party ITMO registry ID": registry_id(party),
            "First ITMO ID": itmo_id(project["host_party"], project["reference"], block["vintage"], block["serial_start"]),
            "Last ITMO ID": itmo_id(project["host_party"], project["reference"], block["vintage"], block["serial_end"]),
            "Metric": METRIC, "Quantity (tCO2e)": block["serial_end"] - block["serial_start"] + 1,
            "Mitigation type": MITIGATION_TYPE, "Vintage": block["vintage"], "Illustrative": _yes(project["illustrative"]),
        })  # fmt: skip
    illustrative = any(projects[p]["illustrative"] for p in involved) if involved else False
    return Report(party=party, year=year, tables=tables, illustrative=illustrative)


def differences(expected: Report, found: Mapping[str, Sequence[Row]]) -> list[str]:
    """How an AEF file's tables differ from what the ledger gives (empty: they agree row for row)."""
    problems = []
    for name in TABLES:
        want = [dict(row) for row in expected.tables[name]]
        got = [dict(row) for row in found.get(name, [])]
        if name not in found:
            problems.append(f"table {name!r} is missing")
            continue
        for index, row in enumerate(got):
            if row not in want:
                problems.append(f"{name} row {index + 1}: not in the ledger: {row}")
        for row in want:
            if row not in got:
                problems.append(f"{name}: the ledger's row is missing from the file: {row}")
    return problems
