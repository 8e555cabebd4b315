"""Article 6.2 accounting and the ledger's own validation, as pure functions over the ledger's rows.

First transfer (decision 2/CMA.3, annex, para 2(b); decision 6/CMA.4 (Annex I) on authorisation): for units
authorised for use towards NDCs, the first transfer is the first international transfer; for units authorised for
other international mitigation purposes (OIMP) only, the authorising Party defines it as the authorisation, the
issuance, or the use or cancellation of the units. A unit is first-transferred once.

Corresponding adjustments (2/CMA.3 annex, para 8): the first-transferring Party applies one by *adding* the
quantity first-transferred (reported per vintage and for the year of the transfer); the using Party applies one by
*subtracting* the quantity of ITMOs (first-transferred units) used towards its NDC, the host included when it
uses ITMOs it acquired back. So, over any set of units, the adjustments balance when every
first-transferred unit has been used: Σ first-transfer adjustments + Σ use adjustments = units first-transferred
and not (yet) used towards another Party's NDC.

:func:`validate` replays every movement from nothing (beancount's approach: balances are derived, and
validation is its own pass) and compares the result with the holdings the database derived; the stateful tests
call it after every step, and ``setu jcm verify`` on a live registry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from setu.jcm.model import FirstTransfer, MovementKind, Purpose

FROZEN_KINDS = frozenset({"cancellation", "retirement"})


def first_transfer_applies(
    *,
    kind: MovementKind,
    authorisation: Mapping[str, Any] | None,
    already_first_transferred: bool,
    host_party: str,
    target_registry: str,
    purpose: str | None = None,
) -> bool:
    """Whether a movement of ``kind`` is the first transfer of units under ``authorisation`` (None: unauthorised).

    A use for OIMP (a retirement of ``purpose`` "oimp") of units not yet first-transferred is their first transfer
    whatever the definition: every OIMP definition falls at or before the use, and units authorised for NDCs and
    OIMP used for OIMP in the host's own registry would otherwise never leave its accounting.
    """
    if authorisation is None or already_first_transferred:
        return False
    if kind is MovementKind.RETIREMENT and purpose == "oimp":
        return True
    definition = FirstTransfer(authorisation["first_transfer_definition"])
    if Purpose(authorisation["purpose"]) is not Purpose.OIMP or definition is FirstTransfer.FIRST_INTERNATIONAL_TRANSFER:
        return kind is MovementKind.EXTERNAL_TRANSFER or (
            kind is MovementKind.RETIREMENT and target_registry != host_party
        )
    if definition in (FirstTransfer.ISSUANCE, FirstTransfer.AUTHORISATION):
        # Units issued under an existing authorisation are first-transferred when issued; units that existed
        # before it are first-transferred at their next movement (the ledger records no movement for the
        # authorisation itself).
        return True
    return kind in (MovementKind.RETIREMENT, MovementKind.CANCELLATION)


def is_itmo_use(move: Mapping[str, Any], first_transferred_before: bool) -> bool:
    """Whether a movement is a use of ITMOs towards an NDC, which the using Party adjusts by subtracting
    (2/CMA.3 annex, para 8): a retirement for an NDC of units first-transferred before it or by it. The host
    using ITMOs it first-transferred and acquired back subtracts them too; the host using units it never
    first-transferred adjusts nothing (they never left its accounting)."""
    return (
        move["kind"] == "retirement"
        and move["purpose"] in ("ndc", "ndc_and_oimp")
        and (bool(move["first_transfer"]) or first_transferred_before)
    )


@dataclass(frozen=True)
class AdjustmentTotal:
    party: str
    vintage: int
    year: int
    first_transfer_tco2e: int
    use_tco2e: int

    @property
    def net_tco2e(self) -> int:
        return self.first_transfer_tco2e + self.use_tco2e


def adjustment_totals(adjustments: Iterable[Mapping[str, Any]]) -> list[AdjustmentTotal]:
    """Corresponding adjustments per Party, vintage and year: added (first transfers) and subtracted (uses)."""
    added: dict[tuple[str, int, int], int] = defaultdict(int)
    used: dict[tuple[str, int, int], int] = defaultdict(int)
    for row in adjustments:
        key = (row["party"], row["vintage"], row["year"])
        (added if row["cause"] == "first_transfer" else used)[key] += row["tco2e"]
    return [
        AdjustmentTotal(party, vintage, year, added.get(key, 0), used.get(key, 0))
        for key in sorted(set(added) | set(used))
        for party, vintage, year in [key]
    ]


_Block = tuple[int, int, str, bool]  # serial_start, serial_end, account_id, first_transferred


def _replay(
    movements: Sequence[Mapping[str, Any]], problems: list[str], source_first: dict[int, bool]
) -> dict[tuple[str, int], list[_Block]]:
    """The holdings the movements give; ``source_first`` receives, per movement, whether its units were
    first-transferred before it."""
    held: dict[tuple[str, int], list[_Block]] = defaultdict(list)
    for move in movements:
        key = (move["project_id"], move["vintage"])
        start, end = move["serial_start"], move["serial_end"]
        if move["kind"] == "issuance":
            if any(s <= end and e >= start for s, e, _, _ in held[key]):
                problems.append(f"movement {move['id']}: issues serials {start}-{end} that are already held")
            held[key].append((start, end, move["target_account_id"], bool(move["first_transfer"])))
            continue
        source = [b for b in held[key] if b[2] == move["source_account_id"] and b[0] <= start and b[1] >= end]
        if not source:
            problems.append(f"movement {move['id']}: the source account does not hold serials {start}-{end}")
            continue
        s, e, account, first = source[0]
        source_first[move["id"]] = first
        held[key].remove(source[0])
        if s < start:
            held[key].append((s, start - 1, account, first))
        if e > end:
            held[key].append((end + 1, e, account, first))
        held[key].append((start, end, move["target_account_id"], first or bool(move["first_transfer"])))
    return held


def validate(
    *,
    movements: Sequence[Mapping[str, Any]],
    open_blocks: Sequence[Mapping[str, Any]],
    adjustments: Sequence[Mapping[str, Any]],
    accounts: Mapping[str, Mapping[str, Any]],
    authorisations: Mapping[str, Mapping[str, Any]],
    host_party: Mapping[str, str],
) -> list[str]:
    """Every way the ledger breaks its invariants, as sentences (empty: the ledger is consistent).

    ``accounts`` and ``authorisations`` map ids to rows; ``host_party`` maps project ids to their host Party.
    """
    problems: list[str] = []
    ordered = sorted(movements, key=lambda move: move["id"])
    for move in ordered:
        source = accounts.get(move["source_account_id"]) if move["source_account_id"] else None
        if source is not None and source["kind"] in FROZEN_KINDS:
            problems.append(f"movement {move['id']}: moves units out of a {source['kind']} account")
        target = accounts[move["target_account_id"]]
        if target["registry"] != move["target_registry"] or (
            source is not None and source["registry"] != move["source_registry"]
        ):
            problems.append(f"movement {move['id']}: an account is not in the registry the movement names")
        if move["kind"] == "external_transfer" and move["source_registry"] == move["target_registry"]:
            problems.append(f"movement {move['id']}: an external transfer within one registry")
        if move["first_transfer"]:
            authorisation = authorisations.get(move["authorisation_id"] or "")
            if authorisation is None or authorisation["authorised_at"] > move["at"]:
                problems.append(f"movement {move['id']}: a first transfer before (or without) its authorisation")
    source_first: dict[int, bool] = {}
    derived = _replay(ordered, problems, source_first)
    derived_set = {
        (project, vintage, s, e, account, first)
        for (project, vintage), blocks in derived.items()
        for s, e, account, first in blocks
    }
    stored_set = {
        (b["project_id"], b["vintage"], b["serial_start"], b["serial_end"], b["account_id"], bool(b["first_transferred"]))
        for b in open_blocks
    }
    for extra in sorted(stored_set - derived_set, key=str):
        problems.append(f"holding {extra} is not what the movements give")
    for missing in sorted(derived_set - stored_set, key=str):
        problems.append(f"the movements give holding {missing}, which the store does not hold")
    issued: dict[tuple[str, int], int] = defaultdict(int)
    for move in ordered:
        if move["kind"] == "issuance":
            issued[(move["project_id"], move["vintage"])] += move["quantity"]
    held: dict[tuple[str, int], int] = defaultdict(int)
    for b in open_blocks:
        held[(b["project_id"], b["vintage"])] += b["serial_end"] - b["serial_start"] + 1
    for key in sorted(set(issued) | set(held)):
        if issued[key] != held[key]:
            problems.append(f"{key}: issued {issued[key]:,} but held + cancelled + retired {held[key]:,}")
    by_movement = {(row["transaction_id"], row["cause"]): row for row in adjustments}
    for move in ordered:
        expected: list[tuple[str, int]] = []
        if move["first_transfer"]:
            expected.append(("first_transfer", move["quantity"]))
        if is_itmo_use(move, source_first.get(move["id"], False)):
            expected.append(("use", -move["quantity"]))
        elif (
            move["kind"] == "retirement"
            and move["purpose"] in ("ndc", "ndc_and_oimp")
            and move["target_registry"] != host_party[move["project_id"]]
        ):
            problems.append(f"movement {move['id']}: a use towards another Party's NDC of units never first-transferred")
        for cause, tco2e in expected:
            row = by_movement.pop((move["id"], cause), None)
            if row is None or row["tco2e"] != tco2e or row["vintage"] != move["vintage"]:
                problems.append(f"movement {move['id']}: no corresponding adjustment ({cause}) of {tco2e:,} t")
    for (movement_id, cause), _row in sorted(by_movement.items()):
        problems.append(f"adjustment ({cause}) of movement {movement_id} has no movement that causes it")
    return problems
