"""Serial-number blocks: the identifier of a range of credits, and which ranges an operation moves.

A credit (one tCO2e) has a serial number unique within its project and vintage; contiguous serials held together
form a block. A block's unit identifier names the issuing Party, the project, the vintage and the range, e.g.
``IND-JCM-IN001-2024-000001-012000``, so that any range of units can be traced to its issuance.

An operation on ``quantity`` units takes the lowest serials first (first in, first out), each piece within one
block; a block is split where the operation ends inside it. The database writes the split (see
``setu.store.jcm.triggers``); this module only decides which pieces to ask for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from setu.errors import ValidationError

SERIAL_DIGITS = 6


def unit_identifier(party: str, project_reference: str, vintage: int, serial_start: int, serial_end: int) -> str:
    """``<party>-JCM-<project>-<vintage>-<first serial>-<last serial>`` (serials zero-padded to six digits)."""
    return (
        f"{party}-JCM-{project_reference}-{vintage}-{serial_start:0{SERIAL_DIGITS}d}-{serial_end:0{SERIAL_DIGITS}d}"
    )


@dataclass(frozen=True)
class Piece:
    """A contiguous range ``[serial_start, serial_end]`` taken out of one open block."""

    block_id: int
    serial_start: int
    serial_end: int

    @property
    def quantity(self) -> int:
        return self.serial_end - self.serial_start + 1


def pieces(blocks: Sequence[Mapping[str, Any]], quantity: int, serial_start: int | None = None) -> list[Piece]:
    """The pieces of ``blocks`` (one account's open blocks of one project and vintage, any order) that make up
    ``quantity`` units: the lowest serials first, or exactly ``[serial_start, serial_start + quantity - 1]``.

    Raises ValidationError naming what is held when the account does not hold enough (or not that range).
    """
    if quantity <= 0:
        raise ValidationError("quantity must be positive")
    ordered = sorted(blocks, key=lambda block: block["serial_start"])
    held = sum(block["serial_end"] - block["serial_start"] + 1 for block in ordered)
    if serial_start is None:
        if held < quantity:
            raise ValidationError(f"the account holds {held:,} units of this project and vintage, not {quantity:,}")
        taken: list[Piece] = []
        left = quantity
        for block in ordered:
            size = block["serial_end"] - block["serial_start"] + 1
            take = min(size, left)
            taken.append(Piece(block["id"], block["serial_start"], block["serial_start"] + take - 1))
            left -= take
            if left == 0:
                break
        return taken
    wanted_end = serial_start + quantity - 1
    taken = []
    cursor = serial_start
    for block in ordered:
        if block["serial_end"] < cursor or block["serial_start"] > wanted_end:
            continue
        if block["serial_start"] > cursor:
            break
        end = min(block["serial_end"], wanted_end)
        taken.append(Piece(block["id"], cursor, end))
        cursor = end + 1
        if cursor > wanted_end:
            return taken
    ranges = ", ".join(f"{block['serial_start']}-{block['serial_end']}" for block in ordered) or "none"
    raise ValidationError(
        f"the account does not hold serials {serial_start}-{wanted_end} of this project and vintage (it holds {ranges})"
    )
