"""The early-warning document: one monthly export series, the dated export-control measures that cover it,
and the anomalies the watch detectors flag on it. The page (``setu.web.watch_view``) draws its figure from
this document and its twin under ``/api/views/watch`` returns both.

Detection is the watch package's (documented in docs/watch.md): a level shift is a trailing robust
z-score (median and MAD, Iglewicz & Hoaglin 1993) of the seasonally adjusted log series (monthly factors from a running median);
change points are PELT on the same series; surges and slumps are transient departures. Here the
detectors run on the chosen series only, so the page is fast; ``setu watch scan`` runs them on all.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pandas as pd

from setu.errors import NotFoundError, UnknownNameError
from setu.reference import concordance, tables
from setu.services import watch as watch_service
from setu.services.trade import TradeService
from setu.settings import Settings
from setu.sources.baskets import load_baskets
from setu.sources.trade_codes import hs6_descriptions
from setu.watch.baskets import cannot_show, finer_codes
from setu.watch.scan import SERIES_DETECTORS, match_measures
from setu.watch.series import ALL_PARTNERS, MonthlySeries, Variable, build_series

#: Stand-ins for "every exporter" / "every importer" in series keys of loaded trade data (never ISO3 codes).
ANY_EXPORTER = "any exporter"
ANY_IMPORTER = "any importer"
VARIABLES = {Variable.VALUE.value: "US$", Variable.QUANTITY.value: "kg"}
VARIABLE_LABELS = {Variable.VALUE.value: "Value (US$)", Variable.QUANTITY.value: "Quantity (kg)"}


@lru_cache(maxsize=1)
def _flows() -> tuple[pd.DataFrame, str]:
    return watch_service.load_flows(None)


def _hs_labels(codes: list[str]) -> dict[str, str]:
    """'HS 811292 (Gallium, Germanium, ...; one customs basket)': the materials from the one concordance, or
    the HS 2017 product description where the concordance names no material for the code."""
    registry = tables.materials().materials
    descriptions = hs6_descriptions()
    labels = {}
    for code in codes:
        try:
            rows = concordance.for_code(code)
        except UnknownNameError:
            rows = []
        names = [registry[r.material_id].name for r in rows if r.material_id in registry and r.role == "material"]
        basket = "; one customs basket" if any(r.basket for r in rows) else ""
        described = descriptions.get(code)
        labels[code] = f"HS {code}" + (f" ({', '.join(names)}{basket})" if names
                                       else f" ({described})" if described else "")
    return labels


def _basket_notes(series_key, covering) -> list[dict[str, Any]]:
    """The measures this code cannot show (setu.watch.baskets), with the evidence and the finer codes."""
    baskets = load_baskets()
    notes = []
    for measure in covering:
        basket = cannot_show(measure, series_key.hs6, baskets)
        if basket is not None:
            notes.append({"measure": measure.id, "hs6": series_key.hs6, "evidence": basket.evidence,
                          "source": basket.source, "finer_codes": list(finer_codes(measure, series_key.hs6, baskets))})
    return notes


def series_document(series: MonthlySeries, label: str) -> dict[str, Any]:
    """One series with the measures covering it (dated events inside its months) and its flagged anomalies."""
    hs6, variable = series.key.hs6, series.key.variable.value
    register = watch_service.measures()
    alerts = []
    for spec in SERIES_DETECTORS.values():
        if series.key.variable in spec.variables:
            for alert in spec.function(series):  # each computed from the series cut at its as_of month
                matched = match_measures(alert, register)
                alerts.append({**watch_service.alert_row(alert),
                               "measures": list(dict.fromkeys(m.measure_id for m in matched))})
    for number, alert in enumerate(sorted(alerts, key=lambda a: (a["as_of"], a["period"], a["detector"])), start=1):
        alert["id"] = f"alert-{number}"
    alerts.sort(key=lambda a: (a["as_of"], a["period"], a["detector"]))
    covering = [m for m in register if m.covers(reporter=series.key.reporter, partner=series.key.partner, hs6=hs6)]
    first, last = series.periods[0], series.periods[-1]
    events = [{"measure": m.id, "title": m.title, "event": name.value, "month": event.month,
               "confirmed": event.confirmed, "notice": m.official.notice}
              for m in covering for name, event in m.events() if first <= event.month <= last]
    values = [None if pd.isna(v) else float(v) for v in series.values]
    names = tables.countries()
    exporter = names.name_of(series.key.reporter) if series.key.reporter != ANY_EXPORTER else "all exporters"
    to = ("all partners" if not series.key.partner else "all importers" if series.key.partner == ANY_IMPORTER
          else names.name_of(series.key.partner))
    source = f"{label}; {first} to {last}"
    title = f"Exports of HS {hs6} from {exporter} to {to}"
    return {
        "page": "watch",
        "title": title,
        "series_name": f"{exporter} to {to}",
        "unit": VARIABLES[variable],
        "reporter": series.key.reporter,
        "hs6": hs6,
        "partner": series.key.partner,
        "variable": variable,
        "variable_options": list(VARIABLES),
        "variable_labels": VARIABLE_LABELS,
        "baskets": _basket_notes(series.key, covering),
        "periods": list(series.periods),
        "values": values,
        "measures": events,
        "alerts": alerts,
        "method": ("detectors from setu.watch: " + "; ".join(f"{s.name}: {s.summary}" for s in SERIES_DETECTORS.values()
                                                             if series.key.variable in s.variables)),
        "source": source,
    }


def trade_series(table: Any, hs6: str, exporter: str | None, importer: str | None, variable: str) -> MonthlySeries:
    """One monthly series from ``TradeService.monthly`` rows (year, month, value_usd, quantity_tonnes);
    months without rows inside the span count as no trade (0), as in the bundled series."""
    if not table.rows:
        raise NotFoundError(f"no monthly trade in HS {hs6} for {exporter or 'any exporter'} to "
                            f"{importer or 'any importer'} in the loaded data")
    frame = pd.DataFrame(table.rows)
    frame = pd.DataFrame({
        "period": [f"{int(y)}-{int(m):02d}" for y, m in zip(frame["year"], frame["month"], strict=True)],
        "reporter": exporter or ANY_EXPORTER,
        "partner": importer or ANY_IMPORTER,
        "hs6": hs6,
        "value_usd": frame["value_usd"].astype(float),
        "quantity_kg": frame["quantity_tonnes"].astype(float) * 1000.0,
    })
    built = build_series(frame, include_partners=True, include_total=False, min_active_months=1)
    return next(one for one in built if one.key.variable.value == variable)


def trade_watch_document(settings: Settings, hs6: str, exporter: str | None, importer: str | None,
                         variable: str = Variable.VALUE.value) -> dict[str, Any]:
    """The early-warning view of loaded monthly trade data (``setu import comtrade``): imports of ``hs6``
    as reported by ``importer`` from ``exporter`` (either may be left out for all)."""
    if variable not in VARIABLES:
        raise UnknownNameError("variable", variable, sorted(VARIABLES))
    names = tables.countries()
    exporter = names.resolve(exporter) if exporter else None
    importer = names.resolve(importer) if importer else None
    service = TradeService(settings, engine="duckdb")  # a page never starts Spark
    try:
        table = service.monthly(hs6, exporter=exporter, importer=importer)
    finally:
        service.close()
    info = table.source
    label = (f"{info.dataset} ({info.source}, edition {info.edition}, {info.hs_revision}), "
             f"years {', '.join(map(str, info.years))}; imports as reported")
    return {**series_document(trade_series(table, hs6, exporter, importer, variable), label),
            "exporter": exporter, "importer": importer, "loaded": True}


def _default_code(flows: pd.DataFrame, codes: list[str]) -> str:
    """The first code whose total export value has an alert near a registered measure (the page opens on an
    event the data can show), else the first code."""
    register = watch_service.measures()
    for code in codes:
        totals = build_series(flows[flows["hs6"] == code], include_partners=False, min_active_months=1)
        for one in totals:
            if one.key.variable is Variable.VALUE and any(
                    match_measures(alert, register) for spec in SERIES_DETECTORS.values()
                    if one.key.variable in spec.variables for alert in spec.function(one)):
                return code
    return codes[0]


def loaded_product_available(settings: Settings, hs6: str, exporter: str = "CHN") -> bool:
    """Whether the trade catalog holds monthly rows of ``hs6`` from ``exporter`` (so a link to them opens)."""
    service = TradeService(settings, engine="duckdb")  # a page never starts Spark
    try:
        return bool(service.monthly(hs6, exporter=exporter).rows)
    except NotFoundError:
        return False
    finally:
        service.close()


@lru_cache(maxsize=64)
def watch_document(hs6: str | None = None, partner: str | None = None,
                   variable: str = Variable.VALUE.value) -> dict[str, Any]:
    """The series of China's exports of ``hs6`` (to ``partner``, or to all), measures and flagged anomalies.

    Kept once computed (the bundled series and register do not change while the server runs); callers
    must not modify the returned document.
    """
    flows, label = _flows()
    codes = sorted(flows["hs6"].unique())
    hs6 = hs6 or _default_code(flows, codes)
    if hs6 not in codes:
        raise UnknownNameError("HS6 code in the bundled series", hs6, codes)
    if variable not in VARIABLES:
        raise UnknownNameError("variable", variable, sorted(VARIABLES))
    chosen = flows[flows["hs6"] == hs6]
    partners = sorted(chosen["partner"].unique())
    if partner and partner not in partners:
        raise UnknownNameError("partner", partner, partners)
    if partner:
        chosen = chosen[chosen["partner"] == partner]
    found = [s for s in build_series(chosen, include_partners=bool(partner), include_total=not partner,
                                     min_active_months=1)
             if s.key.variable.value == variable and s.key.partner == (partner or None)]
    if not found:
        raise UnknownNameError("series", f"{hs6} {partner or ALL_PARTNERS} {variable}", [])
    document = series_document(found[0], label)
    return {
        **document,
        "hs6_options": _hs_labels(codes),
        "partner_options": [{"code": p, "name": tables.countries().name_of(p)} for p in partners],
    }
