"""The concentration document: a :class:`~setu.services.production.ConcentrationReport` as JSON-ready data.

``setu concentration MATERIAL --json`` prints it and the material page (and its twin under
``/api/views/materials``) embeds it as ``report``, so both show the same figures with the same provenance.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from setu.services.production import ConcentrationReport

METHODOLOGY = {
    "hhi": "sum over countries of (100 x share)^2, 0-10,000; shares of the reported world total",
    "gw_hhi": "sum of (100 x share)^2 x WGI risk (0.1-10), EU CRM methodology 2017; gw_hhi_scaled = gw_hhi/10",
    "governance": "World Bank WGI 2023 update (2022 data), mean of six estimates",
}


def concentration_document(report: ConcentrationReport) -> dict[str, Any]:
    """Every field of the report, shares and missing figures as rows, the methodology and the sources."""
    document: dict[str, Any] = {
        "material": report.material,
        "material_name": report.material_name,
        "series": report.series,
        "stage": report.stage,
        "measure": report.measure,
        "year": report.year,
        "unit": report.unit,
        "world_total": report.world_total,
        "world_total_basis": report.world_total_basis,
        "world_total_label": report.world_total_label,
        "hhi": report.hhi,
        "top1_share": report.top1_share,
        "top3_share": report.top3_share,
        "countries_share": report.countries_share,
        "unattributed_value": report.unattributed_value,
        "gw_hhi": report.gw_hhi,
        "gw_hhi_scaled": report.gw_hhi_scaled,
        "gw_missing_governance": list(report.gw_missing_governance),
        "shares": [asdict(share) for share in report.shares],
        "missing": [asdict(missing) for missing in report.missing],
        "group_shares": dict(report.group_shares),
        "notes": list(report.notes),
        "methodology": dict(METHODOLOGY),
        "sources": [dict(source) for source in report.sources],
    }
    if report.capacity_headroom is not None:
        document["capacity_headroom"] = [asdict(row) for row in report.capacity_headroom]
    if report.reserves is not None:
        document["reserves"] = [asdict(row) for row in report.reserves]
    return document
