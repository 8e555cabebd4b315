"""Rendering of the import-dependence list (``setu dependence COUNTRY``) and the briefing's trade section:
one flat row per product for the table and CSV; the service's document as is for --json."""

from __future__ import annotations

from typing import Any

from setu.cli.render import Format, emit_json, emit_rows, percent

COLUMNS = ["product", "product_name", "import_value_usd", "import_tonnes", "supplier_count", "hhi",
           "supplier_gw_hhi", "top_suppliers", "group_share", "production", "upstream_stage", "upstream_top",
           "pass_through_share", "upstream_fallback", "unit_value_flags"]


def _pairs(items: list[dict[str, Any]] | None) -> str:
    return "; ".join(f"{i['country']} {100 * i['share']:.1f}%" for i in items or [])


RELATION = {"own": "", "upstream": "stage it is made from", "fallback": "earlier stage"}


def _fallback(upstream: dict[str, Any]) -> str:
    """The fallbacks in a few words for the table (every one in full under --json and --csv's notes)."""
    parts = [RELATION[upstream["stage_relation"]]]
    if upstream["world_mix_share"] >= 0.005:
        parts.append(f"world mix {100 * upstream['world_mix_share']:.0f}%")
    if upstream["suppliers_without_production"]:
        parts.append("not producing: " + ", ".join(upstream["suppliers_without_production"][:3]))
    return "; ".join(p for p in parts if p)


def _suppliers(items: list[dict[str, Any]]) -> str:
    """Top suppliers with their share and unit value (USD/kg) where the flow reports a quantity."""
    return "; ".join(f"{i['country']} {100 * i['share']:.1f}%"
                     + (f" ${i['unit_value_usd_per_kg']:,.2f}/kg" if i.get("unit_value_usd_per_kg") else "")
                     for i in items)


def _flags(screen: dict[str, Any] | None) -> str:
    """The flagged flows of a product: exporter, tonnes and how far from the world median."""
    if not screen or not screen.get("screened"):
        return "not screened (a basket)" if screen and screen.get("not_screened") else "not screened"
    flagged = screen["flagged"]
    text = "; ".join(f"{f['exporter']} {f['tonnes']:,.{1 if f['tonnes'] >= 1 else 3}f} t at "
                     f"${f['unit_value_usd_per_kg']:,.2f}/kg "
                     f"({f['ratio_to_median']:.2g}x median)" for f in flagged)
    return (("left out: " if screen.get("left_out") else "") + text) if flagged else ""


def flat_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for row in document["products"]:
        produced, upstream = row["production"], row["upstream"]
        computed = upstream is not None and "not_computed" not in upstream
        rows.append({
            "product": row["product"],
            "product_name": row["product_name"] + (f" [{row['basket_label']}]" if row.get("basket") else ""),
            "import_value_usd": round(row["import_value_usd"]),
            "import_tonnes": None if row["import_tonnes"] is None else round(row["import_tonnes"], 1),
            "supplier_count": row["supplier_count"], "hhi": round(row["hhi"]),
            "supplier_gw_hhi": round(row["supplier_gw_hhi"]),
            "top_suppliers": _suppliers(row["top_suppliers"]),
            "group_share": row["group_share"],
            "production": "" if produced is None else
            f"{produced['material']} {produced['series']} {produced['year']}: HHI {produced['hhi']:,.0f}, "
            + _pairs(produced["top_producers"][:1]),
            "upstream_stage": "" if upstream is None else
            (f"{upstream['stage']} ({upstream['production_source'].split(' ')[0]} {upstream['production_year']})"
             if computed else "not computed: " + upstream["not_computed"]),
            "upstream_top": _pairs(upstream["exposure"][:1]) if computed else "",
            "pass_through_share": upstream["pass_through_share"] if computed else None,
            "upstream_fallback": _fallback(upstream) if computed else "",
            "unit_value_flags": _flags(row.get("unit_values")),
        })
    return rows


def caption(document: dict[str, Any]) -> str:
    source = document["trade_source"]
    group = document["group"]
    return ((f"Rows {document['ordered_by']}.\n" if document.get("ordered_by") else "")
            + f"Imports: {source['dataset']} {source['edition']}, {source['hs_revision']}, {document['year']} "
            f"({source['attribution']}); values USD, quantities tonnes. Production beside it: "
            f"{document['production_source']}.\n"
            + (f"Group share: {group['label']} ({', '.join(group['members'])}).\n" if group else "")
            + f"Upstream: {document['method']['upstream']} Each row's stage, source and fallbacks in full: --json.\n"
            + f"Unit values: {document['method']['unit_values']}"
            + ("; flagged flows are LEFT OUT of every figure" if document.get("unit_value_flags_left_out") else
               "; flagged flows are counted (leave them out with --exclude-flagged)"))


def emit(document: dict[str, Any], fmt: Format, *, limit: int | None = None) -> None:
    if fmt is Format.json:
        emit_json(document)
        return
    rows = flat_rows(document)[:limit] if limit else flat_rows(document)
    columns = COLUMNS if document["group"] else [c for c in COLUMNS if c != "group_share"]
    emit_rows(rows, columns, fmt, title=f"Import dependence of {document['name']} ({document['country']}), "
              f"{document['year']}", caption=caption(document),
              formatters={"group_share": percent, "pass_through_share": percent,
                          "import_value_usd": lambda v: f"{v:,.0f}",
                          "import_tonnes": lambda v: "" if v is None else f"{v:,.1f}"})
