"""JSON twins of the pages, under ``/api/views``: the very documents the pages render.

The register pages' twins are the register API itself (``/api/projects``, ``/api/followup/overdue``...).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from setu.errors import ValidationError
from setu.web import downloads, scenario_params
from setu.web.cables_view import cables_document
from setu.web.history_view import history_document
from setu.web.scenario_view import MAX_SCENARIO_BYTES, run_scenario
from setu.web.watch_view import trade_watch_document, watch_document

router = APIRouter(prefix="/views", tags=["views"])
#: ``?csv=<part>``: the rows of one chart of the page (its ``part``, e.g. ``figures.map``) as CSV
CsvPart = Annotated[str | None, Query(alias="csv", max_length=80, pattern=r"^[\w.]+$",
                                      description="a chart's part (e.g. figures.map): its rows as CSV")]


def respond(document: Any, part: str | None, name: str) -> Any:
    """The document (each chart labelled with its part and rows), or one chart's rows as CSV."""
    if part is None:
        return downloads.label(document)
    return downloads.csv_response(document, part, name)


@router.get("/overview/{country}", operation_id="view_overview")
def overview(request: Request, country: str, year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
             product: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
             size: Annotated[str, Query(pattern=r"^(value|weighted|no-energy)$")] = "value",
             exclude_flagged: Annotated[bool, Query()] = False, part: CsvPart = None) -> Any:
    """The overview page: a country's import dependence by product (suppliers' treemap, upstream exposure,
    unit-value screen), then its most concentrated and governance-risky material dependencies."""
    document = request.app.state.views.overview(country.upper() if len(country) == 3 else country, year, product,
                                                size, exclude_flagged)
    return respond(document, part, f"overview-{country}")


@router.get("/materials/{material}", operation_id="view_material")
def material(request: Request, material: str,
             series: Annotated[str | None, Query(max_length=60)] = None,
             country: Annotated[str | None, Query(max_length=60)] = None,
             year: Annotated[int | None, Query(ge=1990, le=2100)] = None, part: CsvPart = None) -> Any:
    """The material page: producers' shares, concentration over the years, capacity headroom, and the trade
    view (world exporters, a chosen country's suppliers); trade only where USGS has no country figures."""
    document = request.app.state.views.material(material, series, country, year)
    return respond(document, part, f"material-{material}")


@router.get("/complementarity", operation_id="view_complementarity")
def complementarity(request: Request, a: Annotated[str, Query(max_length=60)] = "JPN",
                    b: Annotated[str, Query(max_length=60)] = "IND",
                    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
                    all: Annotated[bool, Query()] = False, part: CsvPart = None) -> Any:
    """The complementarity page: where one partner exports what the other imports from a concentrated supplier."""
    return respond(request.app.state.views.complementarity(a, b, year, all), part, "complementarity")


@router.get("/supply-chains", operation_id="view_chains")
def chains(request: Request) -> list[dict[str, Any]]:
    """The bundled supply-chain maps by sector."""
    return request.app.state.views.chains()


@router.get("/supply-chains/{map_id}", operation_id="view_chain")
def chain(request: Request, map_id: str, part: CsvPart = None) -> Any:
    """The supply-chain page: layered graph with risk, suppliers and chokepoint status of every node."""
    return respond(request.app.state.views.chain(map_id), part, f"supply-chain-{map_id}")


@router.get("/scenarios", operation_id="view_scenarios")
def scenarios(request: Request) -> list[dict[str, Any]]:
    """The bundled scenarios."""
    return [asdict(summary) for summary in request.app.state.scenario_list()]


@router.get("/scenarios/{scenario_id}", operation_id="view_scenario")
def scenario(request: Request, scenario_id: str,
             allocation: Annotated[str | None, Query(max_length=40)] = None, part: CsvPart = None) -> Any:
    """The scenario page: run a bundled scenario (as `setu scenario run --json`, plus the figures). The page's
    parameters (``cut1``, ``start1``, ``duration1``, ``stock1``, ``spare1``, ``recycling1`` ...) may be given
    as query parameters, as in the page's address; ``changes`` lists what differs from the bundled file."""
    query = {key: value[:40] for key, value in request.query_params.items() if key not in ("allocation", "csv")}
    _, edit = scenario_params.edit(scenario_id, query)
    if edit.errors:
        raise ValidationError("; ".join(f"{name}: {problem}" for name, problem in edit.errors.items()))
    document = run_scenario(request.app.state.scenarios, scenario_id, edit.text, allocation)
    document["changes"] = [{"parameter": p.name, "label": p.label, "bundled": before, "value": after}
                           for p, before, after in edit.changes]
    return respond(document, part, f"scenario-{scenario_id}")


class EditedScenario(BaseModel):
    text: str = Field(..., max_length=MAX_SCENARIO_BYTES, description="a setu-scenario/1 YAML document")
    allocation: str | None = Field(None, max_length=40)


@router.post("/scenarios", operation_id="view_scenario_edited")
def scenario_edited(request: Request, body: EditedScenario) -> dict[str, Any]:
    """Run an edited scenario (its YAML text)."""
    return run_scenario(request.app.state.scenarios, None, body.text, body.allocation)


@router.get("/watch", operation_id="view_watch")
def watch(hs6: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
          partner: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
          variable: Annotated[str, Query(max_length=40)] = "value_usd", part: CsvPart = None) -> Any:
    """The early-warning page: a monthly export series, the measures covering it and flagged anomalies."""
    return respond(watch_document(hs6, partner, variable), part, "watch")


@router.get("/watch/trade", operation_id="view_watch_trade")
def watch_trade(request: Request, hs6: Annotated[str, Query(pattern=r"^\d{6}$")],
                exporter: Annotated[str | None, Query(max_length=60)] = None,
                importer: Annotated[str | None, Query(max_length=60)] = None,
                variable: Annotated[str, Query(max_length=40)] = "value_usd", part: CsvPart = None) -> Any:
    """Early warning on loaded monthly trade data: the series, the measures covering it, flagged anomalies."""
    document = trade_watch_document(request.app.state.settings, hs6, exporter, importer, variable)
    return respond(document, part, f"watch-{hs6}")


@router.get("/trade/history", operation_id="view_trade_history")
def trade_history(request: Request, importer: Annotated[str, Query(max_length=60)] = "JPN",
                  product: Annotated[str, Query(pattern=r"^\d{6}$")] = "850511",
                  top: Annotated[int, Query(ge=1, le=6)] = 3, part: CsvPart = None) -> Any:
    """The trade-history page: `setu trade history --json` (a PARTIAL series, 2002–2024) with its figures."""
    document = history_document(request.app.state.settings, importer, product, top)
    return respond(document, part, f"trade-history-{document['importer']}-{document['product']}")


@router.get("/cables", operation_id="view_cables")
def cables(request: Request, country: Annotated[str, Query(max_length=60)] = "JPN",
           other: Annotated[str, Query(max_length=60)] = "IND",
           cut: Annotated[list[str] | None, Query(max_length=120)] = None,
           planned: Annotated[bool, Query()] = False, part: CsvPart = None) -> Any:
    """The submarine-cables page (`setu cables country/stations/suppliers/routes/cut --json`); without the
    data pack, ``installed: false`` and the command that adds it."""
    document = cables_document(request.app.state.settings, country, other, [c for c in cut or [] if c], planned)
    return respond(document, part, f"cables-{country}")
