"""`setu complementarity [A B]`: where one partner exports what the other imports from a concentrated supplier."""

from __future__ import annotations

from typing import Annotated

import typer

from setu.cli.options import CsvOption, JsonOption
from setu.cli.render import emit_json, emit_rows, output_format, percent
from setu.settings import Settings

COLUMNS = ["priority", "exporter", "importer", "product", "product_name", "import_value_usd", "hhi", "top_supplier",
           "top_share", "net_export_value_usd", "available_value_usd", "reexport_share", "cover_top_share_value",
           "covered_value_usd", "small"]  # tonnes, partner share and the rest: --json / --csv of the document


def _not_offered(rows: list[dict]) -> str:
    """One line per direction and reason: the products the partner is never offered for, and why."""
    pairs: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        pairs.setdefault((row["exporter"], row["importer"], row["reason"]), []).append(row["product"])
    return "".join(f"\nnot offered, {exporter} for {importer} ({reason}): " + ", ".join(codes)
                   for (exporter, importer, reason), codes in sorted(pairs.items()))


def complementarity(
    first: Annotated[str, typer.Argument(help="One partner (ISO3 or name).")] = "JPN",
    second: Annotated[str, typer.Argument(help="The other partner.")] = "IND",
    year: Annotated[int | None, typer.Option("--year", help="Year (default: latest in the catalog)")] = None,
    include_all: Annotated[bool, typer.Option("--all", help="Also products whose imports are not highly concentrated.")] = False,
    as_json: JsonOption = False,
    as_csv: CsvOption = False,
) -> None:
    """Japan–India complementarity: per product, where one partner is a net exporter of what the other imports from a concentrated supplier, and how much of that supplier's share its net exports could cover at today's volumes."""
    fmt = output_format(as_json, as_csv)
    settings = Settings.from_env()

    def compute() -> dict:
        from setu.services.complementarity import partner_complementarity
        from setu.services.trade import TradeService

        service = TradeService(settings)
        try:
            return partner_complementarity(service, first, second, year=year, concentrated_only=not include_all)
        finally:
            service.close()

    from setu.services import trade_answers  # kept in the derived store on the embedded DuckDB (Spark computes)

    document = compute() if settings.engine != "duckdb" else trade_answers.stored(
        settings, "complementarity", {"first": first, "second": second, "year": year, "all": include_all}, compute)
    if fmt.value == "json":
        emit_json(document)
        return
    source = document["source"]
    a, b = document["partners"]
    rows = [{**r, "product_name": r["product_name"] + (f" [{r['basket_label']}]" if r["basket"] else "")}
            for r in document["rows"]]
    emit_rows(rows, COLUMNS, fmt,
              title=f"Complementarity of {document['names'][a]} and {document['names'][b]}, {document['year']}",
              caption=(f"Source: {source['dataset']} {source['edition']}, {source['hs_revision']} "
                       f"({source['attribution']}).\n" + "\n".join(f"{k}: {v}" for k, v in document["method"].items())
                       + _not_offered(document["not_offered"])),
              formatters={"top_share": percent, "partner_share": percent, "cover_top_share_value": percent,
                          "cover_top_share_tonnes": percent,
                          "import_value_usd": lambda v: f"{v:,.0f}", "covered_value_usd": lambda v: f"{v:,.0f}",
                          "net_export_value_usd": lambda v: f"{v:,.0f}",
                          "available_value_usd": lambda v: f"{v:,.0f}",
                          "available_tonnes": lambda v: "" if v is None else f"{v:,.1f}",
                          "reexport_share": percent, "small": lambda v: "too small" if v else "",
                          "hhi": lambda v: f"{v:,.0f}"})
