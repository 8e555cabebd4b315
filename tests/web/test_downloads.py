"""Chart rows and CSVs: the rows a figure draws (by hand), the CSV with its provenance, the twin's ``?csv=``."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from setu.web import charts, downloads


def test_bars_rows_are_listed_top_first_with_the_axis_titles():
    figure = charts.ranked_bars(["China", "Russia"], [0.9, 0.1], "Gallium", "Mineral Commodity Summaries 2024",
                                axis="share of world total", percent=True)
    assert downloads.table_of(figure) == {"columns": ["label", "share of world total"],
                                          "rows": [["China", 0.9], ["Russia", 0.1]]}


def test_several_traces_get_a_series_column_and_map_gaps_are_left_out():
    figure = charts.lines([("HHI", [2020, 2021], [5000.0, 5100.0]), ("GW-HHI", [2020, 2021], [6000.0, None])],
                          "t", "s", x_axis="year", y_axis="HHI")
    assert downloads.table_of(figure) == {"columns": ["series", "year", "HHI"], "rows": [
        ["HHI", 2020, 5000.0], ["HHI", 2021, 5100.0], ["GW-HHI", 2020, 6000.0], ["GW-HHI", 2021, None]]}
    geo = {"data": [{"type": "scattergeo", "lon": [1.0, 2.0, None, 3.0], "lat": [4.0, 5.0, None, 6.0],
                     "text": "FEA", "name": "FEA"}], "layout": {}}
    assert downloads.table_of(geo)["rows"] == [["FEA", 4.0, 1.0], ["FEA", 5.0, 2.0], ["FEA", 6.0, 3.0]]


def test_csv_ends_every_row_with_source_edition_and_licence():
    figure = charts.ranked_bars(["Gallium"], [5497.56], "risk", "USGS Mineral Commodity Summaries (production, "
                                "2023); World Bank WGI 2023 (2022 data)", axis="risk")
    header, *rows = list(csv.reader(io.StringIO(downloads.csv_text(figure))))
    assert header == ["label", "risk", "source", "edition", "licence"]
    assert rows[0][:2] == ["Gallium", "5497.56"]
    # an unqualified "Mineral Commodity Summaries" may rest on either bundled edition: both are named
    assert rows[0][3] == "usgs-mcs2024: 2024; usgs-mcs2023: 2023; wgi-2023: 2023"
    assert "Public domain" in rows[0][4] and "CC BY 4.0" in rows[0][4]
    unknown = downloads.provenance("an authored scenario")
    assert unknown["licence"] == downloads.NOT_LISTED


def test_compact_and_readable_figures_never_use_exponents():
    assert [charts.compact(v) for v in (24_637_483_661, 1_250_000, 5_500, 12.5, 999.99, None)] == [
        "24.6 bn", "1.25 m", "5.5 k", "12.5", "999.99", "n/a"]
    assert [charts.readable(v) for v in (5497.56, 999.999, 0.25, 0.0004, 0)] == ["5,498", "1,000", "0.25",
                                                                                "under 0.001", "0"]
    figure = charts.ranked_bars(["Gallium"], [5497.56], "risk", "s", axis="risk")
    assert "5,498" in figure["alt"] and "e+" not in figure["alt"]
    assert ":,.4~r" in figure["data"][0]["hovertemplate"]


@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.floats(0, 1e12)), min_size=1, max_size=20))
def test_bar_rows_are_the_bars(pairs):
    labels, values = zip(*pairs, strict=True)
    figure = charts.ranked_bars(labels, values, "t", "s", axis="v")
    rows = downloads.table_of(figure)["rows"]
    assert rows == [list(p) for p in pairs]
    text = downloads.csv_text(figure)
    assert len(list(csv.reader(io.StringIO(text, newline="")))) == len(pairs) + 1


def test_twin_answers_a_chart_as_csv_and_names_the_charts_it_has(site):
    twin = site.client.get("/api/views/materials/gallium").json()
    assert twin["figures"]["map"]["part"] == "figures.map"
    response = site.client.get("/api/views/materials/gallium?csv=figures.map")
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="material-gallium-figures.map.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    shares = twin["report"]["shares"]
    assert rows[0][:4] == ["series", "country", "name", "% of world"]  # producers, then those reporting 0
    ordered = [s for s in shares if s["share"] > 0] + [s for s in shares if s["share"] == 0]
    assert [r[1] for r in rows[1:]] == [s["country"] for s in ordered]
    assert [float(r[3]) for r in rows[1:]] == pytest.approx([round(100 * s["share"], 2) for s in ordered])
    assert {r[0] for r in rows[1:]} == {"share of world", "reports production 0"}
    missing = site.client.get("/api/views/materials/gallium?csv=figures.nope")
    assert missing.status_code == 404 and "figures.map" in missing.text
