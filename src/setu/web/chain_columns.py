"""The supply-chain page's graph as stage columns (as the ETO Chip Explorer lays out a chain): one column per
stage, upstream left, nodes in the order of the layered layout, each coloured by a measure the reader chooses.

Columns replace a drawing of every edge: a map of 134 nodes drawn with its edges is wider than any screen and
its labels shrink to nothing; here every label is written out, and a chosen node's inputs and outputs are
marked (by the page's script) and listed in its panel. A measure is binned into five classes of equal width
(``COLOUR_CLASSES``) plus "no figures", so the colour of a node never needs an inline style and the legend
states each class's range.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from setu.maps import CONCENTRATION_SCORE, GOVERNANCE_WEIGHTED_SCORE

COLOUR_CLASSES = 5


@dataclass(frozen=True)
class Measure:
    label: str  # what the legend says
    value: Callable[[dict[str, Any]], float | None]
    top: float  # the top of the scale (values above it take the last class)
    digits: int = 2


#: The first is the default: concentration, so that a single-country stage reads as the chokepoint it is whatever
#: that country's governance (the governance-weighted score is offered beside it, never instead).
MEASURES: dict[str, Measure] = {
    "concentration": Measure(CONCENTRATION_SCORE, lambda n: n["concentration_score"], 1.0),
    "governance-weighted": Measure(GOVERNANCE_WEIGHTED_SCORE, lambda n: n["governance_weighted_score"], 1.0),
    "hhi": Measure("concentration of supply, HHI (0–10,000)", lambda n: n["concentration_hhi"], 10_000.0, 0),
}
DEFAULT_MEASURE = next(iter(MEASURES))


def colour_class(value: float | None, top: float) -> str:
    """``c0`` (lowest) to ``c4`` (highest) by equal fifths of ``[0, top]``; ``cnone`` without a figure."""
    if value is None:
        return "cnone"
    return f"c{min(COLOUR_CLASSES - 1, max(0, int(COLOUR_CLASSES * value / top)))}"


def legend(measure: Measure) -> list[dict[str, str]]:
    step = measure.top / COLOUR_CLASSES
    rows = [{"class": f"c{n}", "range": f"{n * step:,.{measure.digits}f}–{(n + 1) * step:,.{measure.digits}f}"
             + (" and above" if n == COLOUR_CLASSES - 1 else "")} for n in range(COLOUR_CLASSES)]
    return [*rows, {"class": "cnone", "range": "no figures"}]


def stage_columns(document: dict[str, Any], measure_id: str = DEFAULT_MEASURE,
                  chokepoints_only: bool = False) -> dict[str, Any]:
    """The stages of a chain document in order (by their nodes' mean layout column), each with its nodes.
    A chokepoint is a node that one country or one firm supplies (its ``chokepoint`` field, docs/maps.md),
    whatever the measure chosen for the colour."""
    measure = MEASURES[measure_id]
    by_stage: dict[str, list[dict[str, Any]]] = {}
    for node in document["nodes"]:
        by_stage.setdefault(node["stage"], []).append(node)
    order = sorted(by_stage, key=lambda s: (sum(n["x"] for n in by_stage[s]) / len(by_stage[s]), s))
    stages = []
    for stage in order:
        nodes = sorted(by_stage[stage], key=lambda n: (n["x"], n["y"]))
        shown = [n for n in nodes if n["chokepoint"] or not chokepoints_only]
        stages.append({"stage": stage, "total": len(nodes), "nodes": [
            {"id": n["id"], "name": n["name"], "chokepoint": n["chokepoint"], "value": measure.value(n),
             "colour_class": colour_class(measure.value(n), measure.top)} for n in shown]})
    return {"measure": measure_id, "default": DEFAULT_MEASURE, "measure_label": measure.label,
            "measures": list(MEASURES),
            "legend": legend(measure), "chokepoints_only": chokepoints_only,
            "stages": [s for s in stages if s["nodes"] or not chokepoints_only]}
