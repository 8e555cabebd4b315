"""Consequences of an alert and the period digest, on hand-made flows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from setu.sources.measures import known_material_slugs, validate_text
from setu.watch.consequences import consequence, materials_by_hs6
from setu.watch.digest import build_digest, to_html, to_markdown
from setu.watch.scan import match_measures
from setu.watch.series import Alert, MonthlySeries, SeriesKey, Variable

MEASURE = """\
format: setu-measures/1
measures:
  - id: xx-2024-graphite
    title: Test graphite licensing
    issuer: CHN
    kind: licensing
    goods:
      - hs6: ["250410"]
        hs_revision: HS2022
        materials: [graphite]
        nodes: [anode-material]
        description: natural graphite
    dates:
      announced: {date: "2024-01-10"}
      effective: {date: "2024-03-01"}
    official: {issuer: Ministry, notice: "No. 1 of 2024", date: "2024-01-10"}
    secondary:
      - {publisher: Press, title: Report}
"""


def flows():
    rows = []
    for month in [str(p) for p in pd.period_range("2023-01", "2024-04", freq="M")]:
        for partner, value in (("KOR", 60.0), ("JPN", 30.0), ("USA", 10.0)):
            rows.append((month, "CHN", partner, "250410", value, np.nan))
    return pd.DataFrame(rows, columns=["period", "reporter", "partner", "hs6", "value_usd", "quantity_kg"])


def alert(period="2024-03", partner=None):
    return Alert("level_shift", SeriesKey("CHN", partner, "250410", Variable.VALUE), period, "down", -1.0,
                 "log_points", -9.0, {"threshold": 4.0}, "test")


def test_measure_matching_lags():
    measures = validate_text(MEASURE, file="m.yaml", known_materials=known_material_slugs())
    matches = match_measures(alert("2024-03"), measures)
    assert [(m.event, m.lag_months) for m in matches] == [("effective", 0), ("announced", 2)]
    assert match_measures(alert("2024-08"), measures) == ()
    other_code = Alert("slump", SeriesKey("CHN", None, "380110", Variable.VALUE), "2024-03", "down", -1.0,
                       "log_points", -9.0, {}, "test")
    assert match_measures(other_code, measures) == ()


def test_consequence_lists_materials_nodes_and_japan_india_first():
    measures = validate_text(MEASURE, file="m.yaml", known_materials=known_material_slugs())
    hit = alert()
    hit = Alert(**{**hit.__dict__, "measures": match_measures(hit, measures)})
    result = consequence(hit, flows(), measures, materials_by_hs6([{"material_id": "graphite", "hs6_hs2017": "250410;250490"}]))
    assert result.materials == ("graphite",)
    assert result.nodes == ("anode-material",)
    # Trailing 12 months 2023-03 .. 2024-02: shares 0.3 JPN, 0.0 IND (no trade), then KOR 0.6, USA 0.1.
    assert [(e.country, round(e.share, 6)) for e in result.exposed] == [("JPN", 0.3), ("IND", 0.0), ("KOR", 0.6), ("USA", 0.1)]
    assert result.window == ("2023-03", "2024-02")
    assert math.isclose(sum(e.share for e in result.exposed), 1.0)
    assert "not the destination's import dependence" in result.basis


def test_digest_markdown_and_self_contained_html():
    measures = validate_text(MEASURE, file="m.yaml", known_materials=known_material_slugs())
    values = [100.0] * 14 + [10.0, 10.0]
    series = MonthlySeries.from_values(SeriesKey("CHN", None, "250410", Variable.VALUE), "2023-01", values)
    hit = alert()
    hit = Alert(**{**hit.__dict__, "measures": match_measures(hit, measures)})
    digest = build_digest([series], [hit], measures, first_month="2024-02", last_month="2024-04", source="test data")
    markdown = to_markdown(digest)
    assert "| 2024-03-01 | effective | xx-2024-graphite |" in markdown
    assert "xx-2024-graphite (effective +0 m)" in markdown
    page = to_html(digest)
    assert page.count("<svg") == 1 and "<script" not in page
    assert "src=" not in page and "href=" not in page  # nothing fetched when opened offline
    assert "xx-2024-graphite effective 2024-03-01" in page
