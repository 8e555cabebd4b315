"""The analytics pages: overview, material, supply chain, scenario and early warning.

Each route validates its arguments, asks :class:`setu.web.views.Views` (or the scenario and watch views)
for the page's document and renders it; ``/api/views/...`` (:mod:`setu.web.twins`) returns the same
documents as JSON.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from setu.errors import SetuError
from setu.reference import tables
from setu.register.catalog import BY_NAME
from setu.register.projects import ProjectQuery
from setu.web import scenario_params
from setu.web import downloads
from setu.web.cables_view import cables_document
from setu.web.chain_columns import DEFAULT_MEASURE, MEASURES, stage_columns
from setu.web.history_view import history_document, products
from setu.web.scenario_view import run_scenario, scenario_text
from setu.web.session import principal_or_none
from setu.web.watch_view import loaded_product_available, trade_watch_document, watch_document, watch_twin_href

router = APIRouter(include_in_schema=False)


def twin_of(request: Request) -> str:
    """The JSON twin of a page: the same path and query under ``/api/views``."""
    query = request.url.query
    return f"/api/views{request.url.path}" + (f"?{query}" if query else "")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page; its charts carry their part and rows (``downloads.label``), its twin and sources go to the
    page's script, which adds each chart's CSV link and each table's sorting and CSV download."""
    principal = principal_or_none(request)
    document = context.get("doc")
    if document is not None:
        downloads.label(document)
    context.setdefault("twin_href", twin_of(request))
    context.setdefault("page_sources", downloads.page_sources(document) if document is not None else [])
    return request.app.state.templates.TemplateResponse(
        request, template, {"user": principal, "path": request.url.path, **context}, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/overview/JPN", status_code=307)


@router.get("/overview", response_class=HTMLResponse)
def overview_pick(country: Annotated[str, Query(max_length=60)] = "JPN") -> RedirectResponse:
    return RedirectResponse(f"/overview/{tables.countries().resolve(country)}", status_code=303)


@router.get("/overview/{country}", response_class=HTMLResponse)
def overview(request: Request, country: str, year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
             product: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
             size: Annotated[str, Query(pattern=r"^(value|weighted|no-energy)$")] = "value",
             exclude_flagged: Annotated[bool, Query()] = False) -> HTMLResponse:
    document = request.app.state.views.overview(country.upper() if len(country) == 3 else country, year, product,
                                                size, exclude_flagged)
    return render(request, "overview.html", doc=document, title=f"Overview: {document['name']}")


@router.get("/complementarity", response_class=HTMLResponse)
def complementarity(request: Request, a: Annotated[str, Query(max_length=60)] = "JPN",
                    b: Annotated[str, Query(max_length=60)] = "IND",
                    year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
                    all: Annotated[bool, Query()] = False) -> HTMLResponse:
    document = request.app.state.views.complementarity(a, b, year, all)
    names = document["names"]
    return render(request, "complementarity.html", doc=document,
                  title=f"Complementarity: {' and '.join(names[c] for c in document['partners'])}")


@router.get("/materials", response_class=HTMLResponse)
def materials(request: Request, material: Annotated[str | None, Query(max_length=60)] = None) -> HTMLResponse:
    if material:
        return RedirectResponse(f"/materials/{tables.materials().resolve(material)}", status_code=303)
    listed = sorted(tables.materials().materials.values(), key=lambda m: m.name)
    return render(request, "materials.html", materials=listed, title="Materials")


@router.get("/materials/{material}", response_class=HTMLResponse)
def material(request: Request, material: str,
             series: Annotated[str | None, Query(max_length=60)] = None,
             country: Annotated[str | None, Query(max_length=60)] = None,
             year: Annotated[int | None, Query(ge=1990, le=2100)] = None) -> HTMLResponse:
    document = request.app.state.views.material(material, series, country, year)
    if document["report"] is None:
        return render(request, "material_trade.html", doc=document, title=f"Material: {document['material_name']}")
    principal = principal_or_none(request)
    projects = None
    if principal is not None:  # linked projects, as far as the caller's tiers allow
        register = request.app.state.register
        projects, _ = register.records.list(principal, BY_NAME["projects"],
                                            ProjectQuery(node_id=document["report"]["material"], limit=50))
    return render(request, "material.html", doc=document, projects=projects,
                  title=f"Material: {document['report']['material_name']}")


@router.get("/supply-chains", response_class=HTMLResponse)
def chains(request: Request) -> HTMLResponse:
    return render(request, "chains.html", sectors=request.app.state.views.chains(), title="Supply chains")


@router.get("/supply-chains/{map_id}", response_class=HTMLResponse)
def chain(request: Request, map_id: str, node: Annotated[str | None, Query(max_length=130)] = None,
          colour: Annotated[str, Query(pattern="^(" + "|".join(MEASURES) + ")$")] = DEFAULT_MEASURE,
          chokepoints: Annotated[bool, Query()] = False) -> HTMLResponse:
    """The chain by stage columns, coloured by the chosen measure, optionally only its chokepoints."""
    document = request.app.state.views.chain(map_id)
    chosen = next((n for n in document["nodes"] if n["id"] == node), None)
    links = {n["id"]: {"inputs": n["inputs"], "outputs": n["outputs"]} for n in document["nodes"]}
    return render(request, "chain.html", doc=document, chosen=chosen, view=stage_columns(document, colour, chokepoints),
                  node_links=links,
                  twin_href=f"/api/views/supply-chains/{map_id}", title=f"Supply chain: {document['name']}")


def _scenario_page(request: Request, scenario_id: str, text: str | None, allocation: str | None,
                   query: dict[str, str] | None = None) -> HTMLResponse:
    """The scenario page: the bundled run, a run with the parameters of the URL, or an edited file's run.
    An error keeps what was typed (the fields, or the file) and says what is wrong beside it."""
    from setu.scenarios import STRATEGIES

    service = request.app.state.scenarios
    fields, edit = scenario_params.edit(scenario_id, query or {})
    document, error = None, None
    if not edit.errors and not (text or edit.text):  # the bundled run: its errors are the page's (404, ...)
        document = run_scenario(service, scenario_id, None, allocation or None)
    elif not edit.errors:
        try:
            document = run_scenario(service, scenario_id, text or edit.text, allocation or None)
        except SetuError as problem:  # the edit's fault: say so next to the edit, keep the edit
            error = str(problem)
    status = 422 if edit.errors or error else 200
    names = {s.id: s.name for s in request.app.state.scenario_list()}
    twin = None if text else f"/api/views/scenarios/{scenario_id}" + (f"?{request.url.query}" if request.url.query else "")
    return render(request, "scenario.html", status_code=status, doc=document, scenarios=request.app.state.scenario_list(),
                  twin_href=twin,
                  chosen=scenario_id, text=text or scenario_text(scenario_id), strategies=sorted(STRATEGIES),
                  allocation=allocation or (document or {}).get("allocation", ""), fields=fields, edit=edit,
                  error=error, edited_text=bool(text), title=f"Scenario: {names.get(scenario_id, scenario_id)}")


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios(request: Request, scenario: Annotated[str, Query(max_length=80)] = "china-gallium",
              allocation: Annotated[str | None, Query(max_length=40)] = None) -> HTMLResponse:
    """Parameters other than ``scenario`` and ``allocation`` (``cut1``, ``stock2`` ...) are the fields of the
    parameter form: the URL is the edited run."""
    query = {key: value[:40] for key, value in request.query_params.items() if key not in ("scenario", "allocation")}
    return _scenario_page(request, scenario, None, allocation, query)


@router.post("/scenarios", response_class=HTMLResponse)
def scenario_edited(request: Request, scenario: Annotated[str, Form(max_length=80)],
                    text: Annotated[str, Form(max_length=262_144)] = "",
                    allocation: Annotated[str, Form(max_length=40)] = "") -> HTMLResponse:
    return _scenario_page(request, scenario, text, allocation)


@router.get("/watch", response_class=HTMLResponse)
def watch(request: Request, hs6: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
          partner: Annotated[str | None, Query(pattern=r"^[A-Z]{3}$")] = None,
          variable: Annotated[str, Query(max_length=40)] = "value_usd") -> HTMLResponse:
    document = watch_document(hs6, partner or None, variable)
    return render(request, "watch.html", doc=document, title="Early warning",
                  twin_href=watch_twin_href("/api/views/watch", hs6=document["hs6"], partner=partner or None,
                                            variable=variable),
                  loaded_available=loaded_product_available(request.app.state.settings, document["hs6"]))


@router.get("/supply-chains/{map_id}/nodes/{node:path}", response_class=HTMLResponse)
def chain_node(request: Request, map_id: str, node: str) -> HTMLResponse:
    """The node panel alone, fetched by the page's script when a node is chosen."""
    document = request.app.state.views.chain(map_id)
    chosen = next((n for n in document["nodes"] if n["id"] == node), None)
    if chosen is None:
        return render(request, "error.html", status_code=404, message=f"no node {node!r} in {map_id}",
                      title="Not found")
    return request.app.state.templates.TemplateResponse(request, "node_panel.html", {"chosen": chosen})


@router.get("/watch/trade", response_class=HTMLResponse)
def watch_trade(request: Request, hs6: Annotated[str, Query(pattern=r"^\d{6}$")],
                exporter: Annotated[str | None, Query(max_length=60)] = None,
                importer: Annotated[str | None, Query(max_length=60)] = None,
                variable: Annotated[str, Query(max_length=40)] = "value_usd") -> HTMLResponse:
    """The early-warning view of monthly trade data loaded with ``setu import comtrade``."""
    document = trade_watch_document(request.app.state.settings, hs6, exporter or None, importer or None, variable)
    return render(request, "watch.html", doc=document, title="Early warning: loaded trade data",
                  twin_href=watch_twin_href("/api/views/watch/trade", hs6=hs6, exporter=exporter or None,
                                            importer=importer or None, variable=variable))


@router.get("/trade/history", response_class=HTMLResponse)
def trade_history(request: Request, importer: Annotated[str, Query(max_length=60)] = "JPN",
                  product: Annotated[str, Query(pattern=r"^\d{6}$")] = "850511",
                  top: Annotated[int, Query(ge=1, le=6)] = 3) -> HTMLResponse:
    """``setu trade history``: an importer's largest suppliers of one product, 2002–2024 (a partial series)."""
    document = history_document(request.app.state.settings, importer, product, top)
    return render(request, "trade_history.html", doc=document, products=products(),
                  title=f"Trade history: {document['importer']}, {document['product']}")


@router.get("/cables", response_class=HTMLResponse)
def cables(request: Request, country: Annotated[str, Query(max_length=60)] = "JPN",
           other: Annotated[str, Query(max_length=60)] = "IND",
           cut: Annotated[list[str] | None, Query(max_length=120)] = None,
           planned: Annotated[bool, Query()] = False) -> HTMLResponse:
    """``setu cables ...``: a country's cables, stations, suppliers, routes to a partner and cut scenarios."""
    document = cables_document(request.app.state.settings, country, other, [c for c in cut or [] if c], planned)
    title = f"Submarine cables: {document['name']}" if document["installed"] else "Submarine cables"
    return render(request, "cables.html", doc=document, title=title)
