"""Commands on the reference catalog: build, sources, materials, concentration, rankings, dependence,
groups, the briefing, and importing production data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from setu.cli import trade as trade_commands
from setu.cli.options import CsvOption, JsonOption
from setu.cli.render import emit_json, emit_rows, output_format, percent
from setu.errors import NotFoundError
from setu.settings import Settings

# The services, the reference tables and the catalogs (DuckDB, YAML) are imported inside each command: a
# stored answer (`setu dependence`, see setu.services.trade_answers) is printed without any of them.

catalog_app = typer.Typer(help="Build and inspect the embedded catalog.", no_args_is_help=True)
groups_app = typer.Typer(help="Country groups (G7, G20, QUAD, OECD, EU27, ASEAN and your own).", no_args_is_help=True)
import_app = typer.Typer(help="Import data you bring (production CSV, trade files).", no_args_is_help=True)


def _settings() -> Settings:
    return Settings.from_env()


def _producers(value: object) -> str:
    return ", ".join(f"{p['country']} {100 * p['share']:.0f}%" for p in value or [])  # type: ignore[union-attr]


@catalog_app.command("build")
def build_command(force: Annotated[bool, typer.Option(help="Rebuild even if the inputs are unchanged.")] = False) -> None:
    """Build the catalog from the bundled data (and your imports); atomic and idempotent."""
    from setu.store import catalog

    report = catalog.build(_settings().data_dir, force=force)
    state = "built" if report.rebuilt else "up to date"
    typer.echo(f"catalog {state}: {report.path} ({report.observations} observations, {report.materials} materials)")


@catalog_app.command("info")
def info_command(as_json: JsonOption = False) -> None:
    """Where the catalog is and what it was built from."""
    from setu.store.catalog_reader import open_catalog

    settings = _settings()
    with open_catalog(settings.data_dir) as reader:
        info = reader.build_info()
    info["path"] = str(settings.catalog_path)
    if as_json:
        emit_json(info)
    else:
        for key, value in info.items():
            typer.echo(f"{key}: {value}")


def sources(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List the data sources with their editions, years and licences."""
    from setu.store.catalog_reader import open_catalog

    with open_catalog(_settings().data_dir) as reader:
        rows = reader.sources()
    emit_rows(rows, ["source_id", "title", "publisher", "edition", "years", "licence", "files"], output_format(as_json, as_csv), title="Data sources")


def materials(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List the materials, their default series and the years with figures."""
    from setu.store.catalog_reader import open_catalog

    with open_catalog(_settings().data_dir) as reader:
        rows = reader.material_summaries()
    emit_rows(rows, ["material_id", "name", "default_series", "series", "first_year", "last_year", "synonyms"], output_format(as_json, as_csv), title="Materials")


def concentration(
    material: Annotated[str, typer.Argument(help="Material id, name or synonym (e.g. gallium, 'rare earths', REE).")],
    series: Annotated[str | None, typer.Option(help="Production series (e.g. mine, refinery, platinum).")] = None,
    stage: Annotated[str | None, typer.Option(help="Stage (mine, refinery, smelter, plant).")] = None,
    year: Annotated[int | None, typer.Option(help="Year (default: latest with figures).")] = None,
    measure: Annotated[str, typer.Option(help="production, capacity or reserves.")] = "production",
    group: Annotated[list[str] | None, typer.Option(help="Country group(s) whose share to report.")] = None,
    engine: trade_commands.EngineOption = trade_commands.Engine.duckdb,
    spark_master: trade_commands.MasterOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Concentration of a material's supply (shares, HHI, top shares, governance-weighted HHI), or of world
    exports of an HS6 product (give the 6-digit code; uses the trade catalog and --engine)."""
    from setu.reference import tables
    from setu.services import production
    from setu.services.documents.production import concentration_document
    from setu.store.catalog_reader import open_catalog

    if material.strip().isdigit():
        trade_commands.exporters(
            product=material.strip(), year=year, source=None, hs=None, top=None, as_hs=None,
            engine=engine, spark_master=spark_master, as_json=as_json, as_csv=as_csv,
        )
        return
    fmt = output_format(as_json, as_csv)
    groups = tuple(group) if group else production.DEFAULT_GROUPS
    try:
        with open_catalog(_settings().data_dir) as reader:
            report = concentration_document(production.concentration_report(
                reader, material, series=series, stage=stage, year=year, measure=measure, groups=groups))
    except NotFoundError as error:
        if series is not None or stage is not None or measure != "production":
            raise
        _trade_based_answer(tables.materials().resolve(material), error, year, fmt)
        return
    if fmt.value == "json":
        emit_json(report)
        return
    caption = (
        f"world total {report['world_total']:,.0f} {report['unit']} ({report['world_total_basis']}); "
        f"HHI {report['hhi']:,.0f}; GW-HHI {report['gw_hhi_scaled']:,.0f}; top-1 {percent(report['top1_share'])}; "
        f"top-3 {percent(report['top3_share'])}; groups: "
        + ", ".join(f"{k} {percent(v)}" for k, v in report["group_shares"].items())  # type: ignore[union-attr]
        + "\nsources: " + "; ".join(f"{s['source_id']} {', '.join(s.get('files') or [])}" for s in report["sources"])  # type: ignore[union-attr]
        + "\n" + "\n".join(report["notes"])  # type: ignore[arg-type]
    )
    emit_rows(
        report["shares"],  # type: ignore[arg-type]
        ["country", "name", "value", "share", "is_estimate"],
        fmt,
        title=f"{report['material_name']} — {report['series']} {report['measure']} {report['year']} ({report['unit']})",
        caption=caption,
        formatters={"share": percent},
    )


def _trade_based_answer(material_id: str, missing: NotFoundError, year: int | None, fmt) -> None:
    """Where USGS has no country production (germanium: only NA/W), answer from trade: the world exporters of
    the bundled product(s) the material is traded under."""
    from setu.reference import tables

    from setu.reference import trade_products
    from setu.services.trade import TradeService

    products = trade_products.for_material(material_id)
    if not products:
        raise missing
    service = TradeService(_settings())
    try:
        answers = [(product, service.exporters(product.hs6, year=year, top=15)) for product in products]
    finally:
        service.close()
    document = {
        "material": material_id, "production": None, "production_missing": str(missing),
        "basis": "trade-based: world exporters of the HS6 code(s) the material is traded under",
        "trade": [{"product": p.hs6, "product_name": p.name, "note": p.note, "rows": answer.rows,
                   "source": trade_commands.source_json(answer.source)} for p, answer in answers],
    }
    if fmt.value == "json":
        emit_json(document)
        return
    rows = [{"product": p.hs6, **row} for p, answer in answers for row in answer.rows]
    first = answers[0][1].source
    emit_rows(rows, ["product", "exporter", "value_usd", "share"], fmt,
              title=f"{tables.materials().materials[material_id].name}: no country production in USGS; world exporters",
              caption=(f"{missing}.\nAnswer {document['basis']}. "
                       + " ".join(p.note for p in products if p.note)
                       + f"\nSource: {first.dataset} {first.edition}, {first.hs_revision}, "
                       f"{', '.join(map(str, first.years))} ({first.attribution})"),
              formatters={"share": percent})


def rank(
    by: Annotated[str, typer.Option(help="hhi, gw_hhi, or gw_exposure (needs --country): GW-HHI x (1 - own share) on the bottleneck stage; not the EU supply risk (see `setu supply-risk`).")] = "gw_hhi",
    country: Annotated[str | None, typer.Option(help="Country (ISO3 or name) for own share and gw_exposure.")] = None,
    top: Annotated[int, typer.Option(min=1)] = 20,
    critical_only: Annotated[bool, typer.Option("--critical-only/--all", help="Only the five sectors' critical materials.")] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Rank materials by concentration, or by a country's governance-weighted exposure on the bottleneck stage."""
    from setu.services import production
    from setu.store.catalog_reader import open_catalog

    with open_catalog(_settings().data_dir) as reader:
        ranked = production.rank_materials(reader, by=by, country=country, materials=production.CRITICAL_FOCUS if critical_only else None)[:top]
    columns = ["material", "series", "year", "hhi", "gw_hhi_scaled", "top_producers", "source"]
    if country:
        columns[5:5] = ["own_share", "gw_exposure", "bottleneck_stage"]
    emit_rows(ranked, columns, output_format(as_json, as_csv), title=f"Materials ranked by {by}",
              caption=production.EXPOSURE_METHOD if country else None,
              formatters={"top_producers": _producers, "own_share": percent})


def dependence(
    country: Annotated[str, typer.Argument(help="Country: ISO3 code or name (JPN, India...).")],
    product: Annotated[str | None, typer.Option("--product", help="HS6 code: import dependence from trade data.")] = None,
    year: trade_commands.YearOption = None,
    group: Annotated[str | None, typer.Option("--group", help="Countries or groups whose combined share to report, e.g. QUAD, G7, CHN,RUS or a group of your own.")] = None,
    exclude_flagged: Annotated[bool, typer.Option("--exclude-flagged", help="Leave out the flows whose unit value (USD/kg) the screen flags as far outside the product's world distribution.")] = False,
    engine: trade_commands.EngineOption = trade_commands.Engine.duckdb,
    spark_master: trade_commands.MasterOption = None,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """A country's dependence: its imports of every bundled critical-material product (suppliers, HHI, group share, production concentration and upstream exposure beside it), or (--product) the suppliers of one product."""
    settings = _settings()
    tokens = [m.strip() for m in (group or "").split(",") if m.strip()]
    if product is not None:
        members: list[str] = []
        if tokens:
            from setu.services import catalog_admin

            members = sorted(catalog_admin.country_registry(settings).resolve_many(tokens))
        trade_commands.dependence(
            importer=country, product=product, year=year, source=None, hs=None, group=",".join(members) or None,
            top=None, as_hs=None, engine=engine, spark_master=spark_master, as_json=as_json, as_csv=as_csv,
        )
        return
    fmt = output_format(as_json, as_csv)

    def compute() -> dict[str, object]:
        return _dependence_answer(settings, country, year=year, tokens=tokens, group=group,
                                  exclude_flagged=exclude_flagged, engine=engine, spark_master=spark_master)

    if engine is trade_commands.Engine.duckdb:  # the embedded default, kept in the derived store
        from setu.services import trade_answers

        answer = trade_answers.stored(settings, "dependence-all", {
            "country": country, "year": year, "group": group, "exclude_flagged": exclude_flagged}, compute)
    else:
        answer = compute()
    if answer["kind"] == "imports":
        from setu.cli import import_dependence as import_view

        import_view.emit(answer["document"], fmt)  # type: ignore[arg-type]
        return
    result = answer["document"]
    if fmt.value == "json":
        emit_json(result)
        return
    emit_rows(
        result["materials"],  # type: ignore[index]
        ["material", "series", "year", "own_share", "top_producers", "hhi", "gw_exposure", "bottleneck_stage", "source"],
        fmt,
        title=f"Dependence of {result['name']} ({result['country']})",  # type: ignore[index]
        caption=str(result["basis"]),  # type: ignore[index]
        formatters={"top_producers": _producers, "own_share": percent},
    )


def _dependence_answer(settings: Settings, country: str, *, year: int | None, tokens: list[str], group: str | None,
                       exclude_flagged: bool, engine: trade_commands.Engine,
                       spark_master: str | None) -> dict[str, object]:
    """What `setu dependence COUNTRY` prints: the import list with the production screen beside it
    (``kind`` "imports"), or the production screen alone where there is no trade data at all ("production")."""
    from setu.services import catalog_admin, production
    from setu.services.import_dependence import country_imports
    from setu.services.trade import TradeService
    from setu.store.catalog_reader import open_catalog

    members = sorted(catalog_admin.country_registry(settings).resolve_many(tokens)) if tokens else []
    service = TradeService(settings, engine=engine.value, spark_master=spark_master)
    try:
        with open_catalog(settings.data_dir) as reader:
            document = country_imports(service, reader, country, year=year, group=members,
                                       group_label=group.upper() if group else None, exclude_flagged=exclude_flagged)
            # the production-side screen beside it (materials the country does not import too)
            screen = production.country_dependence(reader, document["country"])
        return {"kind": "imports",
                "document": {**document, "materials": screen["materials"], "materials_basis": screen["basis"]}}
    except NotFoundError:
        if year is not None:
            raise
    finally:
        service.close()
    with open_catalog(settings.data_dir) as reader:  # no trade data at all (SETU_BUNDLED_TRADE=0, no import)
        return {"kind": "production", "document": production.country_dependence(reader, country)}


def briefing(
    country: Annotated[list[str] | None, typer.Option(help="Countries (default: JPN and IND).")] = None,
    top: Annotated[int, typer.Option(min=1)] = 10,
    as_json: JsonOption = False,
) -> None:
    """Build the catalog if needed and print the dependence briefing for Japan and India."""
    from setu.services import briefing as briefing_service
    from setu.services import catalog_admin
    from setu.store import catalog
    from setu.store.catalog_reader import open_catalog

    from setu.cli import import_dependence as import_view
    from setu.services.import_dependence import country_imports
    from setu.services.trade import TradeService

    settings = _settings()
    catalog.build(settings.data_dir)
    quad = sorted(catalog_admin.country_registry(settings).group("QUAD").members)
    service = TradeService(settings)
    try:
        with open_catalog(settings.data_dir) as reader:
            result = briefing_service.briefing(
                reader, country or ["JPN", "IND"], top=top,
                imports=lambda iso3: country_imports(service, reader, iso3, group=quad, group_label="QUAD"))
    finally:
        service.close()
    if as_json:
        emit_json(result)
        return
    from rich.console import Console

    console = Console(width=160)
    console.print(f"[bold]{result['title']}[/bold]\n{result['method']}\n")
    for section in result["countries"]:  # type: ignore[union-attr]
        if section.get("imports"):
            import_view.emit(section["imports"], output_format(False, False), limit=top)
        emit_rows(
            section["materials"],
            ["material", "top_producers", "hhi", "gw_hhi_scaled", "own_share", "gw_exposure", "bottleneck_stage",
             "source"],
            output_format(False, False),
            title=f"{section['name']} ({section['country']}): top {top} critical materials by governance-weighted "
                  "exposure (bottleneck stage; a screen, not the EU supply risk)",
            formatters={"top_producers": _producers, "own_share": percent},
        )
    console.print("[bold]Sources[/bold]")
    for source in result["sources"]:  # type: ignore[union-attr]
        console.print(f"- {source['source_id']}: {source['citation'] or source['title']} — {source['licence']}")


@groups_app.command("list")
def groups_list(as_json: JsonOption = False, as_csv: CsvOption = False) -> None:
    """List country groups with their members and sources."""
    from setu.services import catalog_admin

    registry = catalog_admin.country_registry(_settings())
    rows = [
        {"group": g.group_id, "name": g.name, "members": sorted(g.members), "count": len(g.members), "source": g.source, "as_of": g.as_of, "user_defined": g.user_defined}
        for g in registry.groups.values()
    ]
    emit_rows(rows, ["group", "name", "count", "members", "as_of", "source", "user_defined"], output_format(as_json, as_csv), title="Country groups")


@groups_app.command("add")
def groups_add(
    group_id: Annotated[str, typer.Argument(help="Short id, e.g. PARTNERS.")],
    members: Annotated[list[str], typer.Argument(help="Countries (ISO3 or names) or existing groups.")],
    source: Annotated[str, typer.Option(help="Who defines this group (required).")],
    name: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Define (or replace) a user group, stored in the data directory's groups.yaml."""
    from setu.services import catalog_admin

    group = catalog_admin.add_group(_settings(), group_id, members, source=source, name=name)
    typer.echo(f"group {group.group_id}: {', '.join(sorted(group.members))}")


@import_app.command("production")
def import_production(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV in Setu's production schema.")]) -> None:
    """Validate and import a production/capacity/reserves CSV (see docs/data-formats.md)."""
    from setu.services import catalog_admin

    report = catalog_admin.import_production(_settings(), path)
    typer.echo(f"imported {report['rows']} rows from {path.name} as source {report['source_id']}; catalog rebuilt")

