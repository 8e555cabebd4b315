"""`setu supply-risk`: the EU CRM supply-risk score of a material for an importing country or group."""

from __future__ import annotations

from typing import Annotated

import typer

from setu.cli.render import emit_json, emit_rows, output_format
from setu.errors import ValidationError
from setu.settings import Settings


def _computed(report: dict) -> str:
    """The metal computed, then its table where a name picks one series of it: "palladium (Platinum-group
    metals)"."""
    if report.get("computed_for") and report["computed_for"] != report["material"]:
        return f"{report['computed_for']} ({report['material_name']})"
    return str(report["material_name"])


def _terms(values: list[str] | None) -> dict[str, float]:
    terms = {}
    for value in values or []:
        country, _, number = value.partition("=")
        try:
            terms[country.strip().upper()] = float(number)
        except ValueError:
            raise ValidationError(f"--trade-term {value!r}: write ISO3=factor, e.g. CHN=1.1") from None
    return terms


def supply_risk(
    material: Annotated[str, typer.Argument(help="Material id, name or synonym (gallium, cobalt, REE...).")],
    importer: Annotated[str, typer.Option("--for", help="Importing country (ISO3 or name) or group (EU27, QUAD).")],
    series: Annotated[str | None, typer.Option(help="Production series (default: the material's).")] = None,
    year: Annotated[int | None, typer.Option(help="Production year (default: latest).")] = None,
    trade_year: Annotated[int | None, typer.Option(help="Trade year (default: latest in the trade catalog).")] = None,
    product: Annotated[list[str] | None, typer.Option(help="HS6 code(s) of the traded form (default: the material's).")] = None,
    eol_rir: Annotated[float | None, typer.Option(help="End-of-life recycling input rate, 0-1 (EC factsheet).")] = None,
    si_sr: Annotated[float | None, typer.Option(help="Substitution index for supply risk, 0-1 (EC factsheet).")] = None,
    factors_source: Annotated[str | None, typer.Option(help="Where EoL_RIR and SI_SR come from.")] = None,
    trade_term: Annotated[list[str] | None, typer.Option(help="Trade term t of a supplier, ISO3=factor (export restriction > 1).")] = None,
    trade_terms_source: Annotated[str | None, typer.Option(help="The measure or agreement the trade terms reflect.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the inputs as CSV.")] = False,
) -> None:
    """EU CRM supply risk (SR) of a material for an importer, each input with its source; missing inputs named."""
    settings = Settings.from_env()
    products, terms = tuple(product or ()), _terms(trade_term)

    def compute() -> dict:
        from setu.services.supply_risk import supply_risk_report

        return supply_risk_report(
            settings, material, importer, series=series, year=year, trade_year=trade_year,
            products=products, eol_rir=eol_rir, si_sr=si_sr, factors_source=factors_source,
            trade_terms=terms, trade_terms_source=trade_terms_source,
        )

    from setu.services import trade_answers  # kept in the derived store on the embedded DuckDB (Spark computes)

    report = compute() if settings.engine != "duckdb" else trade_answers.stored(settings, "supply-risk", {
        "material": material, "importer": importer, "series": series, "year": year, "trade_year": trade_year,
        "products": products, "eol_rir": eol_rir, "si_sr": si_sr, "factors_source": factors_source,
        "trade_terms": terms, "trade_terms_source": trade_terms_source}, compute)
    fmt = output_format(as_json, as_csv)
    if fmt.value == "json":
        emit_json(report)
        return
    score = report["score"]
    headline = (f"SR = {score:.2f}" if score is not None else
                f"SR not computed: missing {', '.join(report['missing'])}"
                + (f" (bracket before recycling and substitution = {report['before_recycling_and_substitution']:.2f})"
                   if report["before_recycling_and_substitution"] is not None else ""))
    rows = [{"input": i["name"],
             "value": i["value"] if i["value"] is not None else "1 (every supplier)" if i["name"].startswith("t ")
             else "MISSING",
             "source": (i.get("note") if i["value"] is None else None) or i.get("source") or "not given"}
            for i in report["inputs"]]
    emit_rows(rows, ["input", "value", "source"], fmt,
              title=f"Supply risk of {_computed(report)} for {report['importer']}",
              caption=headline + f"\nproduction {report['years']['production']}, trade {report['years']['trade']}; "
              + report["method"] + "\n" + "\n".join(report["notes"]))
