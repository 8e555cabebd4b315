"""What a scenario baseline takes from a trade dataset: one importer's yearly tonnes of one HS6 product and
its suppliers' shares of those tonnes. A value type shared by the trade service (which computes it from
the catalog) and the scenario reader (which turns it into a baseline and a sourcing entry)."""

from __future__ import annotations

from dataclasses import dataclass

from setu.domain.supply_map import Citation


@dataclass(frozen=True)
class TradeFigures:
    """One importer's imports of one HS6 product in one year, as a trade dataset records them: tonnes a year
    and each supplier's share of those tonnes (flows without a reported quantity are left out, and the share
    of the import value they carry is stated). A baseline taken from them is ``quantity_tonnes / 12`` a
    month: annual trade, spread evenly over the year."""

    importer: str
    product: str  # HS6
    year: int
    quantity_tonnes: float
    shares: tuple[tuple[str, float], ...]  # supplier ISO3, share of the tonnes; largest first
    citation: Citation
    value_without_quantity: float = 0.0  # share (0-1) of the import value of flows with no tonnes
