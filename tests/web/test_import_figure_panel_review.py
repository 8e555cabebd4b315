"""Review finding: a node scored from `imports:` must show the import figure it is scored from (shares, measure,
bound), never "No country figures for this node"."""

from __future__ import annotations


def test_the_node_panel_shows_the_import_figure_it_is_scored_from(site):
    page = site.client.get("/supply-chains/pharmaceuticals/nodes/beta-lactam-raw-materials-japan")
    assert page.status_code == 200
    assert "No country figures for this node" not in page.text
    assert "upper bound" in page.text
