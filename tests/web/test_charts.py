"""The figure builders: provenance on every figure, order and text alternatives, from plain inputs."""

from __future__ import annotations

from hypothesis import given, strategies as st

from setu.web import charts

SOURCE = "USGS Mineral Commodity Summaries 2024; figures for 2023"


def test_choropleth_uses_iso3_percentages_and_names_the_largest():
    shares = [{"country": "CHN", "name": "China", "share": 0.984}, {"country": "JPN", "name": "Japan", "share": 0.005}]
    figure = charts.choropleth(shares, "Gallium", SOURCE)
    trace = figure["data"][0]
    assert trace["locations"] == ["CHN", "JPN"] and trace["z"] == [98.4, 0.5]
    assert figure["layout"]["meta"]["source"] == SOURCE == figure["source"]
    assert "China 98%" in figure["alt"]


@given(st.lists(st.tuples(st.text(min_size=1, max_size=8), st.floats(0, 1e6)), min_size=1, max_size=30))
def test_ranked_bars_put_the_first_label_on_top(pairs):
    labels, values = [p[0] for p in pairs], [p[1] for p in pairs]
    figure = charts.ranked_bars(labels, values, "t", SOURCE, axis="x")
    trace = figure["data"][0]
    assert trace["y"] == labels[::-1] and trace["x"] == values[::-1]  # plotly draws the last bar on top
    assert figure["layout"]["height"] >= 260 and figure["source"] == SOURCE


def test_lines_carry_markers_and_dated_lines():
    marker = {"type": "scatter", "mode": "markers", "x": ["2023-08"], "y": [1.0]}
    figure = charts.lines([("a", ["2023-07", "2023-08"], [2.0, 1.0])], "t", SOURCE, x_axis="month",
                          y_axis="US$", markers=[marker], shapes=[charts.vertical_line("2023-08", "effective")])
    assert figure["data"][-1] is marker
    shape = figure["layout"]["shapes"][0]
    assert shape["x0"] == shape["x1"] == "2023-08" and shape["yref"] == "paper"
    assert "1 dated events marked" in figure["alt"]
