"""The EU CRM supply-risk score of a material for an importing country or group, from bundled data.

Inputs and where they come from (each is named in the result with its source and year):

* global shares: the catalog's USGS world production by country (the material's series, latest year);
* governance: World Bank WGI 2022 on the EU 0.1-10 scale (``tables.wgi_risk``);
* the importer's production: the same USGS table (each member of a group);
* imports by partner and exports, in tonnes: the trade catalog (the bundled CEPII BACI extract or the user's
  own BACI years), summed over the material's HS6 codes (or ``products``); a group counts only trade
  with countries outside it;
* EoL_RIR and SI_SR: not bundled (the EC factsheets are not shipped with Setu); given by the caller with
  their source, else reported missing and the score left uncomputed;
* the trade term t: per supplier, given by the caller with its source, else 1 for every supplier (stated);
  the register's export restrictions in force at the end of the trade year on the material (or its HS6
  codes) that reach the importer are listed beside it, as the suppliers whose t the method raises.

Tonnes of traded product (HS6) and tonnes of USGS production are both converted to tonnes but need not be of
the same content (ore vs metal); the result says so. The formula itself is ``setu.metrics.supply_risk``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from setu.errors import NotFoundError, ValidationError
from setu.metrics.supply_risk import (
    Input,
    import_reliance,
    sourcing_shares,
    supply_risk,
)
from setu.reference import tables
from setu.services import production
from setu.services.documents.production import concentration_document
from setu.settings import Settings
from setu.sources.measures import load_register
from setu.store.catalog_reader import open_catalog

WGI_SOURCE = "World Bank, Worldwide Governance Indicators 2022, rescaled 0.1-10 (EU CRM 2017 methodology)"
METHOD = ("European Commission (2017), Methodology for establishing the EU list of critical raw materials, "
          "doi:10.2873/769526, section 4: SR = [HHI_WGI,t(GS) IR/2 + HHI_WGI,t(sourcing) (1 - IR/2)] "
          "(1 - EoL_RIR) SI_SR")


def members_of(name: str) -> tuple[str, tuple[str, ...]]:
    """An importer: one country (ISO3 or name) or a group (EU27, QUAD...), as (label, member ISO3 codes)."""
    countries = tables.countries()
    if name.strip().upper() in countries.groups:
        group = countries.group(name)
        return group.group_id, tuple(sorted(group.members))
    iso3 = countries.resolve(name)
    return iso3, (iso3,)


def trade_tonnes(settings: Settings, members: Sequence[str], products: Sequence[str], year: int | None,
                 engine: str | None = None) -> dict[str, Any]:
    """Imports by partner and exports, tonnes and USD, of ``members`` (trade inside the group left out)."""
    from setu.services.trade import (
        TradeService,  # the trade stack (Ibis) loads only for this question
    )

    service = TradeService(settings, engine=engine)
    try:
        flows, datasets, info = service.flows(year=year, source=None, hs_revision=None)
        chosen = flows.filter(flows["product"].isin(list(products)) & (flows["year"] == datasets[0].year))
        inside = list(members)
        imports = chosen.filter(chosen["importer"].isin(inside) & ~chosen["exporter"].isin(inside))
        exports = chosen.filter(chosen["exporter"].isin(inside) & ~chosen["importer"].isin(inside))
        by_partner = service.engine.execute(imports.group_by("exporter").aggregate(
            tonnes=imports["quantity_tonnes"].sum(), value_usd=imports["value_usd"].sum(),
            flows_without_quantity=imports["quantity_tonnes"].isnull().sum())).to_pylist()
        out = service.engine.execute(exports.aggregate(
            tonnes=exports["quantity_tonnes"].sum(), value_usd=exports["value_usd"].sum(),
            flows_without_quantity=exports["quantity_tonnes"].isnull().sum())).to_pylist()
        present = {r["product"] for r in service.engine.execute(chosen.select("product").distinct()).to_pylist()}
    finally:
        service.close()
    unquantified = sum(int(r["flows_without_quantity"] or 0) for r in by_partner) + int(
        out[0]["flows_without_quantity"] or 0) if out else 0
    return {
        "year": datasets[0].year,
        "source": f"{datasets[0].dataset} {datasets[0].hs_revision} {datasets[0].year}",
        "imports_by_partner_tonnes": {r["exporter"]: float(r["tonnes"] or 0.0) for r in by_partner},
        "imports_by_partner_usd": {r["exporter"]: float(r["value_usd"] or 0.0) for r in by_partner},
        "exports_tonnes": float(out[0]["tonnes"] or 0.0) if out else 0.0,
        "flows_without_quantity": unquantified,
        "absent_products": [code for code in products if code not in present],
        "quantities_known": not (unquantified and not any(r["tonnes"] for r in by_partner)),
        "info": info,
    }


def supply_risk_report(settings: Settings, material: str, importer: str, *, series: str | None = None,
                       year: int | None = None, trade_year: int | None = None, products: Sequence[str] = (),
                       eol_rir: float | None = None, si_sr: float | None = None, factors_source: str | None = None,
                       trade_terms: Mapping[str, float] | None = None, trade_terms_source: str | None = None,
                       engine: str | None = None) -> dict[str, Any]:
    """SR for ``importer`` (a country or group) and ``material``, every input with its source."""
    if (eol_rir is not None or si_sr is not None) and not factors_source:
        raise ValidationError("--eol-rir and --si-sr need --factors-source (e.g. 'EC CRM 2023 factsheet, cobalt')")
    if trade_terms and not trade_terms_source:
        raise ValidationError("--trade-term needs --trade-terms-source (the measure or agreement it reflects)")
    label, members = members_of(importer)
    registry = tables.materials()
    with open_catalog(settings.data_dir) as reader:
        report = concentration_document(
            production.concentration_report(reader, material, series=series, year=year, groups=(), detail=False))
    factor = tonnes_per_unit(report)
    material_id = str(report["material"])
    codes = tuple(products) or tuple(registry.materials[material_id].hs6_hs2017)
    if not codes:
        raise NotFoundError(f"{material_id} has no HS6 codes in materials.csv; give --product")
    rows = report["shares"]  # type: ignore[assignment]
    global_shares = {str(r["country"]): float(r["share"]) for r in rows}  # type: ignore[index]
    domestic = {str(r["country"]): float(r["value"]) * factor for r in rows  # type: ignore[index]
                if r["country"] in members and r["value"] is not None}  # type: ignore[index]
    trade = trade_tonnes(settings, members, codes, trade_year, engine)
    imports_total = sum(trade["imports_by_partner_tonnes"].values())
    production_tonnes = sum(domestic.values())
    ir_value = import_reliance(production_tonnes, imports_total, trade["exports_tonnes"]) \
        if trade["quantities_known"] else None
    risk = tables.wgi_risk()
    sourcing = sourcing_shares(domestic, trade["imports_by_partner_tonnes"]) if trade["quantities_known"] else None
    result = supply_risk(
        label, global_shares, sourcing, risk,
        Input("IR", ir_value, f"{trade['source']} (tonnes) and USGS production {report['year']}",
              None if ir_value is not None else "imports minus exports not positive, or quantities missing"),
        Input("EoL_RIR", eol_rir, factors_source if eol_rir is not None else None),
        Input("SI_SR", si_sr, factors_source if si_sr is not None else None),
        dict(trade_terms or {}),
    )
    notes = list(result.notes)
    notes.append(f"traded tonnes are of HS6 {', '.join(codes)} (product weight); USGS production is in "
                 f"{report['unit']} of {report['series']} converted to tonnes: the two need not share a content basis")
    if trade["absent_products"]:
        notes.append(f"HS6 {', '.join(trade['absent_products'])} has no flows in {trade['source']}: its trade is "
                     "not counted (import that BACI year in full to include it)")
    if trade["flows_without_quantity"]:
        notes.append(f"{trade['flows_without_quantity']} trade flows have no quantity and are left out")
    if abs(sum(global_shares.values()) - 1) > 0.005:
        notes.append(f"listed producers hold {sum(global_shares.values()):.1%} of the reported world total")
    restrictions = restrictions_in_force(material_id, codes, members, dt.date(int(trade["year"]), 12, 31))
    if restrictions and not trade_terms:
        notes.append("the register holds export restrictions in force on this material from "
                     + ", ".join(sorted({r["issuer"] for r in restrictions}))
                     + ": the method raises their t above 1; give it with --trade-term (its value is not bundled)")
    missing = list(result.missing)
    return {
        "material": material_id,
        "material_name": report["material_name"],
        "importer": label,
        "members": list(members),
        "score": result.score,
        "before_recycling_and_substitution": result.before_recycling_and_substitution,
        "method": METHOD,
        "inputs": [
            {"name": "HHI_WGI,t (global supply)", "value": result.global_hhi.value,
             "source": f"USGS {report['series']} production {report['year']} ("
                       + "; ".join(str(s["source_id"]) for s in report["sources"])  # type: ignore[union-attr]
                       + f"); {WGI_SOURCE}",
             "missing_governance": list(result.global_hhi.missing_governance)},
            {"name": f"HHI_WGI,t ({label} sourcing)",
             "value": result.sourcing_hhi.value if result.sourcing_hhi else None,
             "source": f"{trade['source']}; USGS production {report['year']}; {WGI_SOURCE}",
             "missing_governance": list(result.sourcing_hhi.missing_governance) if result.sourcing_hhi else []},
            {"name": "IR", **_plain(result.import_reliance),
             "production_tonnes": production_tonnes, "imports_tonnes": imports_total,
             "exports_tonnes": trade["exports_tonnes"]},
            {"name": "EoL_RIR", **_plain(result.eol_rir)},
            {"name": "SI_SR", **_plain(result.si_sr)},
            {"name": "t (trade term)", "value": dict(trade_terms or {}) or None,
             "source": trade_terms_source if trade_terms else "not given: t = 1 for every supplier"},
        ],
        "export_restrictions_in_force": restrictions,
        "sourcing_shares": dict(sorted((sourcing or {}).items(), key=lambda kv: -kv[1])),
        "imports_by_partner_usd": trade["imports_by_partner_usd"],
        "years": {"production": report["year"], "trade": trade["year"]},
        "missing": missing,
        "notes": notes,
    }


def restrictions_in_force(material_id: str, codes: Sequence[str], members: Sequence[str],
                          day: dt.date) -> list[dict[str, Any]]:
    """Register measures in force on ``day`` on the material or its HS6 codes that reach the importer."""
    rows = []
    for measure in load_register():
        if material_id not in measure.materials and not measure.hs6 & set(codes):
            continue
        if measure.targets and not set(measure.targets) & set(members):
            continue
        if measure.in_force_on(day):
            effective = measure.dates.effective or measure.dates.announced
            rows.append({"issuer": measure.issuer, "measure": measure.id, "kind": measure.kind.value,
                         "effective": effective.date, "targets": list(measure.targets) or ["all"]})
    return rows


#: Tonnes per unit of the catalog's mass units (the units of the USGS tables).
TONNES_PER_UNIT = {"kg": 0.001, "t": 1.0, "kt": 1_000.0, "Mt": 1_000_000.0}


def tonnes_per_unit(report: Mapping[str, Any]) -> float:
    """Tonnes per unit of the production table; other bases (carats, cubic metres) cannot enter IR."""
    if report["unit"] not in TONNES_PER_UNIT:
        raise ValidationError(f"{report['material']} is reported in {report['unit']}, not a mass: import reliance "
                              "in tonnes cannot be formed")
    return TONNES_PER_UNIT[str(report["unit"])]


def _plain(item: Input) -> dict[str, Any]:
    return {k: v for k, v in asdict(item).items() if k != "name"}
