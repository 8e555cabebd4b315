"""The questions every engine must answer identically: one function, run on each engine under test.

Results go through JSON (as they do from the cluster's child process), so that every engine's answers are
compared in the same form, exactly: no tolerance, ties included.
"""

from __future__ import annotations

import dataclasses
import json

from setu.metrics import trade as metrics
from setu.store.trade import TradeEngine


def plain(value):
    """Dataclasses to dicts, through JSON (tuples become lists, floats round-trip exactly)."""
    def default(item):
        if dataclasses.is_dataclass(item):
            return dataclasses.asdict(item)
        raise TypeError(type(item).__name__)
    return json.loads(json.dumps(value, default=default))


def answers(service) -> dict:
    """Dependence with a group share, a tie, every pair's concentration, exporters, months, HS conversion."""
    return plain({
        "dependence": service.dependence("JPN", "810420", year=2022, hs_revision="HS2017", group=["CHN", "TWN"]),
        "dependence_tie": service.dependence("IND", "10121", hs_revision="HS2017"),
        "concentration": service.concentration(year=2022, hs_revision="HS2017", limit=None).rows,
        "exporters": service.exporters("810420", year=2022, hs_revision="HS2017").rows,
        "monthly": service.monthly("810420", importer="JPN").rows,
        "converted": service.concentration(year=2022, hs_revision="HS2022", as_hs="HS2017").rows,
    })


def years_concentration(engine: TradeEngine) -> list[dict]:
    """Import concentration of every (importer, product, year) over every year of a keyed catalog."""
    datasets = engine.catalog.datasets()
    query = metrics.import_concentration(metrics.as_reported(engine.flows(datasets)), keyed=True)
    return plain(engine.execute(query.order_by(["importer", "product", "year"])).to_pylist())
