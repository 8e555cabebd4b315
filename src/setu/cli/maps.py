"""`setu maps ...`: list, show, analyse and validate supply-chain maps."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from setu.domain.shares import share_text
from setu.cli.options import CsvOption, JsonOption
from setu.cli.render import emit_document
from setu.domain.supply_map import Supply
from setu.maps.vulnerability import SCORE_DEFINITION
from setu.settings import Settings

if TYPE_CHECKING:
    from setu.services.maps import MapService

app = typer.Typer(
    help="Supply-chain maps: stages, vulnerabilities, chokepoints and country exposure.", no_args_is_help=True
)

MapArgument = Annotated[str, typer.Argument(help="A bundled map id (see `setu maps list`) or a .yaml file.")]
#: Columns of the terminal table of `maps vulnerabilities` (JSON and CSV carry every field).
TABLE_COLUMNS = ("node", "stage", "chokepoint", "concentration_score", "governance_weighted_score", "top_country",
                 "top1_share", "basis", "measure", "bound", "no_score_because")
ProductOption = Annotated[str | None, typer.Option("--product", help="End product node (default: the only one).")]


def _service() -> MapService:
    """Maps resolved against the catalog's USGS figures, with WGI governance risks (and the submarine-cables
    pack's supplier figures on the ICT map when the pack is installed). Imported here: the stored scores of
    `maps vulnerabilities` need none of it (nor the catalog's engine)."""
    from setu.reference.tables import wgi_risk_fraction
    from setu.services.cables import map_overlays
    from setu.services.maps import MapService
    from setu.services.production import usgs_supply_resolver

    settings = Settings.from_env()
    return MapService(resolver=usgs_supply_resolver(settings.data_dir), governance_risk=wgi_risk_fraction(),
                      overlays=map_overlays(settings))


def _cell(key: str, value: Any) -> str:
    if isinstance(value, float) and key.endswith(("share", "link", "stage_dependence")):
        return share_text(value)
    if value is None:
        return ""
    return str(round(value, 4) if isinstance(value, float) else value)


def _emit(rows: Sequence[dict[str, Any]], title: str, as_json: bool, as_csv: bool, extra: dict | None = None) -> None:
    rows = [{k: round(v, 6) if isinstance(v, float) else v for k, v in row.items()} for row in rows]
    emit_document(rows, title, as_json, as_csv, extra, cell=_cell)


@app.command("list")
def list_maps(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List the bundled maps."""
    rows = [
        {
            "id": m.id,
            "name": m.name,
            "sector": m.sector,
            "nodes": m.nodes,
            "edges": m.edges,
            "end_products": " ".join(m.end_products),
            "unresolved_usgs": m.unresolved_usgs,
        }
        for m in _service().list_maps()
    ]
    _emit(rows, "Supply-chain maps", as_json, as_csv)


@app.command()
def show(map_id: MapArgument, as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """Show a map's nodes by stage, with their supply figures and sources."""
    supply_map = _service().load(map_id)
    rows = []
    for node in supply_map.nodes:
        supply = node.supply
        rows.append(
            {
                "stage": node.stage,
                "node": node.id,
                "name": node.name,
                "kind": node.kind.value,
                "unit": node.unit,
                "top_country": supply.shares[0].country if supply and supply.shares else None,
                "top_share": supply.shares[0].share if supply and supply.shares else None,
                "year": supply.year if supply else None,
                "source": supply.citation.source if supply else None,
                "confirmed": supply.citation.confirmed if supply else None,
                "history": _history(supply) if supply else None,
                "proxy_not_ranked": _proxy(node.proxy) if node.proxy else None,
                "providers_no_share_figure": "; ".join(p.label for p in node.providers.providers)
                if node.providers else None,
                "no_figure": node.no_figure,
            }
        )
    extra = {"map": supply_map.id, "licence": supply_map.licence, "attribution": supply_map.attribution}
    _emit(rows, supply_map.name, as_json, as_csv, {k: v for k, v in extra.items() if v})


def _proxy(proxy: Supply) -> str:
    """A stand-in figure, labelled as such: "FDA sites (all APIs) 2025: USA 22 %, IND 21 %, CHN 20 % (...)"."""
    top = ", ".join(f"{s.country} {share_text(s.share, 0)}" for s in proxy.shares[:3])
    return f"{proxy.measure} {proxy.year}: {top} ({proxy.citation.source})"


def _history(supply: Supply) -> str | None:
    """Older figures of a node, newest first: "2023 mine production: CHN 68 % (USGS ...)"."""
    parts = [
        f"{past.year} {past.measure}: "
        + (f"{past.shares[0].country} {share_text(past.shares[0].share, 0)}" if past.shares else "not resolved")
        + f" ({past.citation.source})"
        for past in supply.history
    ]
    return "; ".join(parts) or None


@app.command(help="Scores per node (or per stage), chokepoints first. " + SCORE_DEFINITION
             + " Data warnings go to stderr (table, CSV) and under `warnings` (JSON).")
def vulnerabilities(
    map_id: MapArgument,
    stages: Annotated[bool, typer.Option("--stages", help="Per stage.")] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    from setu.services import map_scores

    document = map_scores.stored(Settings.from_env().data_dir, map_id, lambda: _vulnerabilities_document(map_id))
    rows = document["stages"] if stages else document["nodes"]
    if not (as_json or as_csv or stages):  # a terminal table: the columns an analyst reads first
        rows = [{key: row["top1_share_text"] if key == "top1_share" and row.get("bound") else row[key]
                 for key in TABLE_COLUMNS} for row in rows]  # a bounded share is shown with its bound
    if not as_json:
        for node, warnings in document["warnings"]:
            typer.echo(f"warning: {node}: " + "; ".join(warnings), err=True)
    _emit(rows, f"Vulnerability - {document['name']}", as_json, as_csv, {"score_definition": SCORE_DEFINITION})


def _vulnerabilities_document(map_id: str) -> dict[str, Any]:
    """What `maps vulnerabilities` shows, as JSON values (kept by :mod:`setu.services.map_scores`)."""
    from setu.services.documents.maps import node_row, stage_row

    supply_map = _service().load(map_id)
    nodes, by_stage = _service().vulnerabilities(supply_map)
    return json.loads(json.dumps({
        "name": supply_map.name,
        "nodes": [node_row(v) for v in nodes],
        "stages": [stage_row(s) for s in by_stage],
        "warnings": [[v.node, list(v.warnings)] for v in nodes if v.warnings],
    }, default=str))


@app.command()
def chokepoints(
    map_id: MapArgument,
    product: ProductOption = None,
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 20,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Node-country pairs whose loss removes the largest share of an end product."""
    service = _service()
    report = service.product(service.load(map_id), product)
    rows = [
        {
            "node": c.node,
            "country": c.country,
            "loss_share": c.loss_share,
            "share": c.share_text,
            "basis": c.basis,
            "measure": c.measure,
            "tier": c.tier,
            "single_source": c.single_source,
            "near_single": c.near_single,
            "structural_cut": c.structural_cut,
            "betweenness": c.betweenness,
        }
        for c in report.chokepoints[:limit]
    ]
    extra = {
        "product": report.product,
        "structural_cuts": " ".join(report.structural_cuts),
        "single_points_of_failure": " ".join(
            f"{p.node}:{p.country}" + ("" if p.basis == "world supply" else f" ({p.basis}, {p.share_text})")
            for p in report.single_points),
        "bases": "each row's shares are of its `basis`: world supply, or one importer's imports (the loss is "
        "then of that importer's supply of the product)",
    }
    _emit(rows, f"Chokepoints of {report.product}", as_json, as_csv, extra)


@app.command()
def exposure(
    map_id: MapArgument,
    product: ProductOption = None,
    country: Annotated[str | None, typer.Option(help="ISO3: show this country's supply per unit of product.")] = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Each country's exposure through all tiers (weakest link W, any-stage dependence D); with --country,
    that country's supply of every upstream node per unit of product, through the input coefficients."""
    service = _service()
    supply_map = service.load(map_id)
    if country is not None:
        product_id, requirements = service.country_requirements(supply_map, product, country)
        rows = [
            {
                "node": r.node,
                "tier": r.tier,
                "unit": r.unit,
                "requirement_per_unit": r.requirement,
                "country_share": r.share,
                "from_country_per_unit": r.from_country,
            }
            for r in requirements
        ]
        _emit(rows, f"{country.upper()} in {product_id}", as_json, as_csv, {"product": product_id})
        return
    report = service.product(supply_map, product)
    rows = [
        {
            "country": e.country,
            "weakest_link": e.weakest_link,
            "weakest_node": e.weakest_node,
            "any_stage_dependence": e.any_stage,
            "nodes_supplied": e.nodes_supplied,
        }
        for e in report.exposure.countries
    ]
    extra = {
        "product": report.product,
        "nodes_without_shares": " ".join(report.exposure.nodes_without_shares),
        "weakest_stage": report.weakest_stage.stage if report.weakest_stage else None,
    }
    _emit(rows, f"Country exposure of {report.product}", as_json, as_csv, extra)


@app.command()
def dependence(
    map_id: MapArgument,
    country: Annotated[str, typer.Argument(help="ISO3 code, e.g. JPN or IND.")],
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """The stages a country depends on others for, and on whom."""
    service = _service()
    rows = [
        {
            "node": r.node,
            "stage": r.stage,
            "own_share": r.own_share,
            "outside_share": r.outside_share,
            "top_other_country": r.top_other_country,
            "top_other_share": r.top_other_share,
            "basis": r.basis,
            "source": r.source,
        }
        for r in service.dependence(service.load(map_id), country)
    ]
    _emit(rows, f"Dependence of {country.upper()}", as_json, as_csv)


@app.command()
def report(
    map_id: MapArgument,
    out: Annotated[Path, typer.Option("--out", help="HTML file to write.")] = Path("map-report.html"),
) -> None:
    """Write a self-contained HTML report: risk-coloured graph, ranked tables and sources (opens offline)."""
    from setu.maps import to_graph  # the graph and its drawing: only the report needs them
    from setu.web.map_report import render_report

    service = _service()
    supply_map = service.load(map_id)
    nodes, stages = service.vulnerabilities(supply_map)
    html = render_report(supply_map, to_graph(supply_map), nodes, stages, service.products(supply_map))
    out.write_text(html, encoding="utf-8")
    typer.echo(f"wrote {out} ({len(html):,} characters)")


@app.command()
def validate(
    path: Annotated[Path, typer.Argument(help="A setu-map/1 YAML file.")], as_json: JsonOption = False
) -> None:
    """Check a map file; prints the first problem with its file and line (exit code 2) or a summary."""
    summary = _service().validate(path)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "valid": True,
                    "id": summary.id,
                    "nodes": summary.nodes,
                    "edges": summary.edges,
                    "end_products": list(summary.end_products),
                }
            )
        )
        return
    typer.echo(f"{path}: valid setu-map/1 map {summary.id!r} with {summary.nodes} nodes and {summary.edges} edges")
