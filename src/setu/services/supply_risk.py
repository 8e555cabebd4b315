"""The EU CRM supply-risk score of a material for an importing country or group, from bundled data.

Inputs and where they come from (each is named in the result with its source and year):

* global shares: the catalog's USGS world production by country (the material's series, latest year);
* governance: World Bank WGI 2022 on the EU 0.1-10 scale (``tables.wgi_risk``);
* the importer's production: the same USGS table (each member of a group);
* imports by partner and exports, in tonnes: the trade catalog (the bundled CEPII BACI extract or the user's
  own BACI years), summed over the material's HS6 codes (or ``products``); a group counts only trade
  with countries outside it;
* EoL_RIR and SI_SR: the confirmed values of ``data/reference/sr_factors.csv`` (document, table and page:
  :mod:`setu.reference.sr_factors`), or given by the caller with their source; else reported missing, with
  where the figure is published, and the score left uncomputed;
* the trade term t: per supplier, given by the caller with its source, else 1 for every supplier (stated);
  the register's export restrictions in force at the end of the trade year on the material (or its HS6
  codes) that reach the importer are listed beside it, as the suppliers whose t the method raises.

Tonnes of traded product (HS6) and tonnes of USGS production are both converted to tonnes but need not be of
the same content (ore vs metal); the result says so. The formula itself is ``setu.metrics.supply_risk``.

Unknown is not zero: an HS6 code with no flow anywhere in the chosen trade data (a code the bundled extract
does not hold) leaves imports and exports unknown, so IR and the sourcing term are missing and no SR is
given; a member whose USGS figure is withheld leaves production unknown likewise. A group's production counts
the members USGS names; the rest of its output, if any, sits in USGS's "Other countries", so the result
states the named members and the least share of the group's output they can hold.
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
from setu.reference import concordance, sr_factors, tables
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
                 engine: str | None = None, content: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Imports by partner and exports, tonnes and USD, of ``members`` (trade inside the group left out).

    ``content``: tonnes of the production series' content per tonne of each HS6 code (the concordance's
    factors); the tonnes are then of content, else of product weight."""
    from setu.metrics import trade_questions as questions
    from setu.services.trade import TradeService  # the trade service loads only for this question

    service = TradeService(settings, engine=engine)
    try:
        datasets, info, _ = service.choose(year=year, source=None, hs_revision=None)
        asked = {"year": datasets[0].year, "products": list(products)}
        by_partner = service.ask(questions.group_imports, datasets, members=list(members), **asked)
        out = service.ask(questions.group_exports, datasets, members=list(members), **asked)
        present = {r["product"] for r in service.ask(questions.products_present, datasets, **asked)}
    finally:
        service.close()

    def weight(row: Mapping[str, Any]) -> float:
        return float(row["tonnes"] or 0.0) * (content[row["product"]] if content else 1.0)

    tonnes: dict[str, float] = {}
    values: dict[str, float] = {}
    for row in by_partner:
        tonnes[row["exporter"]] = tonnes.get(row["exporter"], 0.0) + weight(row)
        values[row["exporter"]] = values.get(row["exporter"], 0.0) + float(row["value_usd"] or 0.0)
    unquantified = sum(int(r["flows_without_quantity"] or 0) for r in [*by_partner, *out])
    return {
        "year": datasets[0].year,
        "source": f"{datasets[0].dataset} {datasets[0].hs_revision} {datasets[0].year}",
        "imports_by_partner_tonnes": tonnes,
        "imports_by_partner_usd": values,
        "exports_tonnes": sum(weight(r) for r in out),
        "flows_without_quantity": unquantified,
        "absent_products": [code for code in products if code not in present],
        "bundled": all(d.bundled for d in datasets),
        "quantities_known": not (unquantified and not any(r["tonnes"] for r in by_partner)),
        "info": info,
    }


def supply_risk_report(settings: Settings, material: str, importer: str, *, series: str | None = None,
                       year: int | None = None, trade_year: int | None = None, products: Sequence[str] = (),
                       eol_rir: float | None = None, si_sr: float | None = None, factors_source: str | None = None,
                       trade_terms: Mapping[str, float] | None = None, trade_terms_source: str | None = None,
                       engine: str | None = None,
                       factors: Mapping[tuple[str, str], sr_factors.Factor] | None = None) -> dict[str, Any]:
    """SR for ``importer`` (a country or group) and ``material``, every input with its source.

    ``factors``: the EoL_RIR / SI_SR table to read (default: the bundled one); a value given by the caller
    wins over it."""
    if (eol_rir is not None or si_sr is not None) and not factors_source:
        raise ValidationError("--eol-rir and --si-sr need --factors-source (e.g. 'EC CRM 2023 factsheet, cobalt')")
    if trade_terms and not trade_terms_source:
        raise ValidationError("--trade-term needs --trade-terms-source (the measure or agreement it reflects)")
    label, members = members_of(importer)
    registry = tables.materials()
    material_id = registry.resolve(material)
    named_series = registry.series_named(material)  # "palladium": one series of the PGM table, and its codes
    codes = _codes(material_id, named_series, products)
    if not codes:
        raise NotFoundError(f"{material_id} has no HS6 code in the concordance; give --product")
    links = {code: _link(code, material_id) for code in codes}
    with open_catalog(settings.data_dir) as reader:
        chosen_series = series or named_series or _traded_stage(reader, material_id, links)
        report = concentration_document(production.concentration_report(
            reader, material, series=chosen_series, year=year, groups=(), detail=False))
    factor = tonnes_per_unit(report)
    content = _content_factors(links, str(report["series"]))
    baskets = sorted(code for code, link in links.items() if link is not None and link.basket)
    rows = report["shares"]  # type: ignore[assignment]
    global_shares = {str(r["country"]): float(r["share"]) for r in rows}  # type: ignore[index]
    domestic = {str(r["country"]): float(r["value"]) * factor for r in rows  # type: ignore[index]
                if r["country"] in members and r["value"] is not None}  # type: ignore[index]
    withheld = sorted(str(m["country"]) for m in report["missing"] if m["country"] in members)  # type: ignore[index]
    coverage = production_coverage(report, members, domestic, factor, withheld)
    trade = trade_tonnes(settings, members, codes, trade_year, engine, content)
    imports_total = sum(trade["imports_by_partner_tonnes"].values())
    production_tonnes = None if withheld else sum(domestic.values())
    # a basket code holds several materials: its trade is not this one's, unless the caller chose the code
    trade["baskets"] = [] if products else baskets
    trade_known = trade["quantities_known"] and not trade["absent_products"] and not trade["baskets"]
    ir_value = import_reliance(production_tonnes, imports_total, trade["exports_tonnes"]) if trade_known else None
    risk = tables.wgi_risk()
    sourcing = sourcing_shares(domestic, trade["imports_by_partner_tonnes"]) \
        if trade_known and not withheld else None
    # the factors of what is computed: the series where a name picks one (palladium), else the material
    named = registry.materials[material_id].series_synonyms.values()
    member = str(report["series"]) if str(report["series"]) in named else None
    factor_notes: list[str] = []
    eol, si = (_factor_input(name, given, factors_source, material_id, member, factors, factor_notes)
               for name, given in (("EoL_RIR", eol_rir), ("SI_SR", si_sr)))
    result = supply_risk(
        label, global_shares, sourcing, risk,
        Input("IR", ir_value, f"{trade['source']} (tonnes) and USGS production {report['year']}",
              None if ir_value is not None else _why_no_ir(trade, withheld, production_tonnes)),
        eol, si, dict(trade_terms or {}),
    )
    notes = list(result.notes) + factor_notes
    if series is None and report["series"] != registry.materials[material_id].default_series:
        notes.append(f"production series {report['series']}: the stage of the traded codes (concordance)")
    if content:
        notes.append(f"traded tonnes of HS6 {', '.join(codes)} converted to the content of USGS {report['series']} "
                     "with the concordance's factors (" + "; ".join(
                         f"{code}: {content[code]:g} t per t, {links[code].content_source}"  # type: ignore[union-attr]
                         for code in codes) + ")")
    else:
        notes.append(f"traded tonnes are of HS6 {', '.join(codes)} (product weight); USGS production is in "
                     f"{report['unit']} of {report['series']} converted to tonnes: the two need not share a content "
                     "basis (the concordance holds no content factor of this series for every code)")
    for code in baskets:
        notes.append(f"HS6 {code} is {concordance.basket_label(code)}: its flows are not {material_id}'s alone"
                     + (", counted as given with --product: IR and the sourcing term are an upper bound"
                        if products else ", so IR and the sourcing term are missing (give --product "
                        f"{code} to count the whole basket, an upper bound)"))
    if trade["absent_products"]:
        absent = [code for code in trade["absent_products"] if links.get(code) and not links[code].bundled]
        notes.append(f"HS6 {', '.join(trade['absent_products'])} has no flows in {trade['source']}"
                     + (" (the bundled extract does not hold it)" if trade["bundled"] and absent else "")
                     + ": its trade is unknown, not zero, so IR and the sourcing term are missing; import that "
                       "BACI year in full, or give --product with the codes held to score those forms only")
    if trade["flows_without_quantity"]:
        notes.append(f"{trade['flows_without_quantity']} trade flows have no quantity and are left out")
    if trade_known and trade["exports_tonnes"] > imports_total:
        notes.append(f"{label} exports more than it imports: IR = 0, as the EC method sets it for a net exporter")
    notes.append(coverage["note"])
    if abs(sum(global_shares.values()) - 1) > 0.005:
        notes.append(f"listed producers hold {sum(global_shares.values()):.1%} of the reported world total")
    for item in (eol, si):
        if item.value is None and item.note:
            notes.append(item.note)
    editions = _editions(material_id, member, factors, given=eol_rir is not None or si_sr is not None)
    if len(set(editions.values())) > 1:
        notes.append("EoL_RIR and SI_SR come from different assessments ("
                     + ", ".join(f"{name}: {edition}" for name, edition in editions.items())
                     + "): the method takes both from one edition, so the score mixes two")
    restrictions = restrictions_in_force(material_id, codes, members, dt.date(int(trade["year"]), 12, 31))
    if restrictions and not trade_terms:
        notes.append("the register holds export restrictions in force on this material from "
                     + ", ".join(sorted({r["issuer"] for r in restrictions}))
                     + ": the method raises their t above 1; give it with --trade-term (its value is not bundled)")
    return {
        "material": material_id,
        "material_name": report["material_name"],
        "computed_for": member or material_id,  # the series whose shares and factors are used (palladium)
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
             "basis": f"content of USGS {report['series']}" if content else "product weight of the HS6 codes",
             "baskets": trade["baskets"],
             "production_tonnes": production_tonnes,
             "imports_tonnes": imports_total if trade_known else None,
             "exports_tonnes": trade["exports_tonnes"] if trade_known else None,
             "products_not_held": list(trade["absent_products"])},
            {"name": "EoL_RIR", **_plain(result.eol_rir)},
            {"name": "SI_SR", **_plain(result.si_sr)},
            {"name": "t (trade term)", "value": dict(trade_terms or {}) or None,
             "source": trade_terms_source if trade_terms else "not given: t = 1 for every supplier"},
        ],
        "production_coverage": {k: v for k, v in coverage.items() if k != "note"},
        "export_restrictions_in_force": restrictions,
        "sourcing_shares": dict(sorted((sourcing or {}).items(), key=lambda kv: -kv[1])),
        "imports_by_partner_usd": trade["imports_by_partner_usd"],
        "years": {"production": report["year"], "trade": trade["year"]},
        "missing": list(result.missing),
        "notes": notes,
    }


def _codes(material_id: str, named_series: str | None, products: Sequence[str]) -> tuple[str, ...]:
    """The codes given, else the material's codes in the concordance (those of the named series only, where a
    name picks one series: palladium's codes, not platinum's)."""
    if products:
        return tuple(products)
    codes = concordance.codes_of(material_id)
    if named_series is None:
        return codes
    own = tuple(c for c in codes if (link := _link(c, material_id)) is not None and link.usgs_series == named_series)
    return own or codes


def _link(code: str, material_id: str) -> concordance.Link | None:
    """The concordance row of one code for one material (None for a code given that is not this material's)."""
    return next((link for link in concordance.links() if link.hs6 == code and link.material_id == material_id), None)


def _traded_stage(reader, material_id: str, links: Mapping[str, concordance.Link | None]) -> str | None:
    """The production series of the stage the traded codes are (copper cathodes: refinery), where the codes
    the trade data can hold share one and the catalog has it; else None (the material's default series)."""
    stages = {link.usgs_series for link in links.values() if link is not None and link.bundled and link.usgs_series}
    held = {str(option["series"]) for option in reader.series_of(material_id)}
    return stages.pop() if len(stages) == 1 and stages <= held else None


def _content_factors(links: Mapping[str, concordance.Link | None], series: str) -> dict[str, float] | None:
    """Content per tonne of each code for the production series, where every code has one; else None."""
    if all(link is not None and link.content_factor and link.usgs_series == series and not link.basket
           for link in links.values()):
        return {code: float(link.content_factor) for code, link in links.items()}  # type: ignore[union-attr, arg-type]
    return None


def _why_no_ir(trade: Mapping[str, Any], withheld: Sequence[str], production_tonnes: float | None) -> str:
    if trade["baskets"]:
        return (f"HS6 {', '.join(trade['baskets'])} is a customs basket of several materials: not this material's "
                "trade alone")
    if trade["absent_products"]:
        return (f"HS6 {', '.join(trade['absent_products'])} not held in {trade['source']}: imports and exports "
                "unknown, not zero")
    if withheld:
        return f"production of {', '.join(withheld)} withheld or not available in USGS: production unknown"
    if not trade["quantities_known"]:
        return "trade quantities (tonnes) missing"
    return "no apparent consumption and no net trade (0/0)" if production_tonnes == 0 else "not computable"


def _factor_input(name: str, given: float | None, given_source: str | None, material_id: str, member: str | None,
                  factors: Mapping[tuple[str, str], sr_factors.Factor] | None, notes: list[str]) -> Input:
    """A factor given by the caller, else the bundled confirmed value of what is computed (the member's own
    row, or the document's group value, said so in ``notes``) with its table and page, else missing with
    where the figure is published."""
    if given is not None:
        return Input(name, given, given_source)
    row, group_note, of = sr_factors.lookup(material_id, name, member, factors)
    if row is not None and row.value is not None:
        if group_note:
            notes.append(group_note)
        return Input(name, row.value, row.citation)
    return Input(name, None, None, sr_factors.why_missing(of, name, row))


def _editions(material_id: str, member: str | None, factors: Mapping[tuple[str, str], sr_factors.Factor] | None,
              given: bool) -> dict[str, str]:
    """The assessment edition of each bundled factor that enters the score (none when the caller gave one)."""
    if given:
        return {}
    rows = {name: sr_factors.lookup(material_id, name, member, factors)[0] for name in sr_factors.FACTORS}
    return {name: row.edition for name, row in rows.items() if row is not None and row.value is not None}


def production_coverage(report: Mapping[str, Any], members: Sequence[str], domestic: Mapping[str, float],
                        factor: float, withheld: Sequence[str] = ()) -> dict[str, Any]:
    """Which members USGS names for the material, their tonnes, and the least share of the importer's own
    output they can hold: USGS lists major producers and puts the rest in "Other countries", so
    named / (named + other countries) is a floor, not an estimate; no floor where a member's figure is
    withheld (its output is unknown)."""
    named = sum(domestic.values())
    world = float(report["world_total"]) * factor
    listed = sum(float(r["value"]) for r in report["shares"] if r["value"] is not None) * factor  # type: ignore[union-attr]
    other = max(float(report["unattributed_value"]) * factor, world - listed, 0.0)
    floor = named / (named + other) if named + other > 0 and not withheld else None
    names = sorted(domestic)
    if withheld:
        note = (f"production of {', '.join(withheld)} is withheld or not available in USGS: the output of "
                + ("the group" if len(members) > 1 else withheld[0]) + " is unknown, so IR is missing"
                + (f" (named members {', '.join(names)}: {named:,.0f} t)" if names else ""))
    elif len(members) > 1:
        note = (f"production counts only the members USGS names ({', '.join(names) or 'none'}: {named:,.0f} t of "
                f"{len(members)} members); the rest of the group's output, if any, is inside USGS's 'Other "
                f"countries' ({other:,.0f} t worldwide), so the named members hold at least "
                + (f"{floor:.0%}" if floor is not None else "an unknown share") + " of the group's production")
    elif names:
        note = f"production of {names[0]}: {named:,.0f} t (USGS {report['series']} {report['year']})"
    else:
        note = (f"{members[0]} is not named in USGS's {report['series']} table: its production is counted as 0 "
                f"(at most the {other:,.0f} t USGS gives for 'Other countries'), so IR is an upper bound")
    return {"named_members": names, "named_tonnes": named, "other_countries_tonnes": other,
            "withheld_members": list(withheld), "group_size": len(members), "named_share_at_least": floor,
            "note": note}


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
