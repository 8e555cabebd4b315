"""The `setu` command: a registry of every command and group, loaded only when run (see setu.cli.lazy).

Adding a command is one line in COMMANDS: its name, where it lives ("module:function" for a command,
"module:app" for a Typer group) and the first paragraph of its help (tests/cli/test_lazy.py checks they agree).
"""

from __future__ import annotations

import sys

import typer

from setu.cli.lazy import Entry, LazyGroup, Subgroup
from setu.errors import InputError, NotFoundError, SetuError

COMMANDS: dict[str, Entry | Subgroup] = {
    "sources": Entry("setu.cli.catalog:sources", "List the data sources with their editions, years and licences."),
    "materials": Entry("setu.cli.catalog:materials", "List the materials, their default series and the years with figures."),
    "concentration": Entry("setu.cli.catalog:concentration", "Concentration of a material's supply (shares, HHI, top shares, governance-weighted HHI), or of world exports of an HS6 product (give the 6-digit code; uses the trade catalog and --engine)."),
    "rank": Entry("setu.cli.catalog:rank", "Rank materials by concentration, or by a country's governance-weighted exposure on the bottleneck stage."),
    "dependence": Entry("setu.cli.catalog:dependence", "A country's dependence: its imports of every bundled critical-material product (suppliers, HHI, group share, production concentration and upstream exposure beside it), or (--product) the suppliers of one product."),
    "complementarity": Entry("setu.cli.complementarity:complementarity", "Japan–India complementarity: per product, where one partner is a net exporter of what the other imports from a concentrated supplier, and how much of that supplier's share its net exports could cover at today's volumes."),
    "supply-risk": Entry("setu.cli.supply_risk:supply_risk", "EU CRM supply risk (SR) of a material for an importer, each input with its source; missing inputs named."),
    "briefing": Entry("setu.cli.catalog:briefing", "Build the catalog if needed and print the dependence briefing for Japan and India."),
    "screen": Entry("setu.cli.policy:screen", "Screen a proposed investment: for each regime the requirement (prohibited, approval, notification, report, none) or \"not covered\" with what the encoded rules lack, the rules that fired with the facts and citations, what would change the outcome, and the supply-map context of the target's products. Informs; not legal advice."),
    "serve": Entry("setu.cli.serve:serve", "Serve the Setu API (OpenAPI at /api/openapi.json)."),
    "catalog": Entry("setu.cli.catalog:catalog_app", "Build and inspect the embedded catalog."),
    "groups": Entry("setu.cli.catalog:groups_app", "Country groups (G7, G20, QUAD, OECD, EU27, ASEAN and your own)."),
    "import": Subgroup("Import data you bring (production CSV, trade files).", {
        "production": Entry("setu.cli.catalog:import_production", "Validate and import a production/capacity/reserves CSV (see docs/data-formats.md)."),
        "baci": Entry("setu.cli.trade:import_baci", "Import CEPII BACI yearly CSVs (BACI_HS17_Y2022_V202301.csv) or the zip that holds them."),
        "comtrade": Entry("setu.cli.trade:import_comtrade", "Import UN Comtrade bulk CSV/TSV files (annual or monthly) or zips of them."),
    }),
    "maps": Entry("setu.cli.maps:app", "Supply-chain maps: stages, vulnerabilities, chokepoints and country exposure."),
    "trade": Entry("setu.cli.trade:app", "Trade dependence and concentration from the trade catalog (DuckDB or Spark)."),
    "scenario": Entry("setu.cli.scenarios:app", "Disruption scenarios: export restrictions propagated down supply-chain maps, time-to-survive, and the best response of partners."),
    "economy": Entry("setu.cli.economy:app", "Economy-wide effects through input-output tables (Leontief, Ghosh, IIM)."),
    "watch": Entry("setu.cli.watch:app", "Export-restriction measures and early-warning alerts on trade flows."),
    "policy": Entry("setu.cli.policy:app", "Policy library (critical lists, laws, programmes), investment screening and list comparison. Informs; not legal advice."),
    "register": Entry("setu.cli.register:app", "The cooperation register: projects, Points of Contact, dialogues, follow-up."),
    "jcm": Entry("setu.cli.jcm:app", "The Joint Crediting Mechanism: records, unit ledger and Article 6.2 (AEF) report."),
    "cables": Entry("setu.cli.cables:app", "Submarine cables (TeleGeography late-2022, CC BY-NC-SA 3.0 data pack): routes, suppliers, single points of failure, cut scenarios."),
    "data": Entry("setu.cli.data:app", "Optional data packs with their own licences (e.g. submarine-cables)."),
}


class SetuCommands(LazyGroup):
    entries = COMMANDS


app = typer.Typer(
    name="setu",
    cls=SetuCommands,
    help="Setu: critical-material dependence, supply-chain maps, disruption scenarios, cooperation register.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def setu() -> None:
    """The group's own step before any command: none (the callback makes Typer build a group)."""


def run() -> None:
    """Console entry point: Typer handles usage errors (exit 2); Setu's errors become a one-line
    message and exit code 2 (bad input, unknown name) or 1 (anything else Setu reports)."""
    try:
        app()
    except (InputError, NotFoundError) as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(2)
    except SetuError as error:
        typer.echo(f"error: {error}", err=True)
        sys.exit(1)
