"""The backtest's bookkeeping on planted events: held-out recall and lag, a finer code read when imported,
placebo windows and the basket rule."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from setu.cli.watch import app
from setu.services.watch import measures as bundled
from setu.sources.comtrade_monthly import bundled_path
from setu.sources.baskets import load_baskets
from setu.sources.measures import known_material_slugs, validate_text
from setu.watch.backtest import backtest
from setu.watch.baskets import cannot_show
from setu.watch.scan import scan

SEASON = np.array([1.0, 0.8, 1.1, 1.0, 1.05, 0.95, 0.9, 1.0, 1.1, 1.15, 1.0, 0.95])
REGISTER = """\
format: setu-measures/1
measures:
  - id: xx-2021-tuned
    title: Planted event used for tuning
    issuer: CHN
    kind: licensing
    goods: [{hs6: ["250410"], hs_revision: HS2022, materials: [graphite], description: natural graphite}]
    dates: {announced: {date: "2021-05-01"}, effective: {date: "2021-06-01"}}
    official: {issuer: Ministry, notice: "No. 1", date: "2021-05-01"}
    secondary: [{publisher: Press, title: Report}]
  - id: xx-2022-held-out
    title: Planted event held out
    issuer: CHN
    kind: licensing
    goods: [{hs6: ["380110"], hs_revision: HS2022, materials: [graphite], description: artificial graphite}]
    dates: {announced: {date: "2022-02-01"}, effective: {date: "2022-03-01"}}
    official: {issuer: Ministry, notice: "No. 2", date: "2022-02-01"}
    secondary: [{publisher: Press, title: Report}]
"""


def flows() -> pd.DataFrame:
    """Two products, 2018-01 .. 2023-12: 250410 falls 80 % from 2021-06, 380110 from 2022-03."""
    rng = np.random.default_rng(3)
    months = [str(p) for p in pd.period_range("2018-01", "2023-12", freq="M")]
    rows = []
    for code, drop in (("250410", months.index("2021-06")), ("380110", months.index("2022-03"))):
        level = 1e6 * np.tile(SEASON, 6) * np.exp(rng.normal(0, 0.04, len(months)))
        level[drop:] *= 0.2
        rows += [(m, "CHN", "JPN", code, float(v), float(v) / 2) for m, v in zip(months, level, strict=True)]
    return pd.DataFrame(rows, columns=["period", "reporter", "partner", "hs6", "value_usd", "quantity_kg"])


def test_held_out_recall_lag_and_placebos():
    register = validate_text(REGISTER, file="r.yaml", known_materials=known_material_slugs())
    report = backtest(scan(flows(), measures=register, include_partners=False), register,
                      tuning=frozenset({"xx-2021-tuned"}))
    status = {e.label: (e.status, e.flagged, e.lag_months) for e in report.events}
    # A level shift is known one month after its onset (two months beyond the threshold).
    assert status == {"xx-2021-tuned:250410": ("tuning", True, 1), "xx-2022-held-out:380110": ("held_out", True, 1)}
    assert (report.recall.count, report.recall.base) == (1, 1)
    assert report.recall.low == pytest.approx(0.2065, abs=1e-4)  # Wilson, 1 of 1: z^2 / (1 + z^2) = 0.7935 off 1
    assert report.lead_time.value == -1  # flagged one month after entry into force
    assert report.first_evaluated == "2020-01" and report.product_years == 8.0  # 2 codes x 48 months
    # Placebos: the held-out window (2022-03 .. 2022-06) in 2020, 2021 and 2023 on 380110 and on 250410 (but
    # 2021 on 250410 and 2022 on 380110 hold their own events); the tuning window likewise.
    assert {p.kind for p in report.placebos} == {"other year", "other product"}
    assert all(not p.alerted for p in report.placebos)
    assert report.false_alerts.count == 0


def test_a_finer_national_line_is_read_and_evaluated(tmp_path: Path):
    # HS 811292 cannot show the gallium and germanium licensing; China's germanium line 8112921010 can.
    months = [str(p) for p in pd.period_range("2019-01", "2023-12", freq="M")]
    lines = ["period,reporter,partner,hs6,value,quantity"]
    for t, month in enumerate(months):
        value = 2e6 * SEASON[t % 12] * (1.0 if month < "2023-08" else 0.02)
        lines.append(f"{month},CHN,JPN,8112921010,{value:.0f},{value / 1000:.0f}")
    file = tmp_path / "germanium.csv"
    file.write_text("\n".join(lines) + "\n")
    result = CliRunner().invoke(app, ["backtest", "--file", str(file), "--json"])
    assert result.exit_code == 0, result.output
    events = {e["label"]: e for e in json.loads(result.output)["events"]}
    germanium = events["cn-2023-gallium-germanium-licensing:8112921010"]
    assert germanium["status"] == "held_out" and germanium["flagged"] and germanium["lag_months"] == 1
    assert events["cn-2024-dual-use-ban-usa:8112921010"]["status"] == "outside"


def test_the_basket_rule_names_only_the_hidden_materials():
    register = {m.id: m for m in validate_text(REGISTER, file="r.yaml", known_materials=known_material_slugs())}
    by_id = {m.id: m for m in bundled()}
    baskets = load_baskets()
    assert cannot_show(by_id["cn-2023-gallium-germanium-licensing"], "811292", baskets) is not None
    # Indium is in the basket too, but nothing says the code cannot show it: evaluated, not excused.
    assert cannot_show(by_id["cn-2025-tungsten-tellurium-bismuth-molybdenum-indium"], "811292", baskets) is None
    assert cannot_show(by_id["cn-2023-gallium-germanium-licensing"], "8112921010", baskets) is None
    assert cannot_show(register["xx-2021-tuned"], "250410", baskets) is None


def test_register_finds_samarium_cobalt_magnets_and_scan_reads_the_bundled_columns():
    runner = CliRunner()
    found = json.loads(runner.invoke(app, ["measures", "--hs6", "850511", "--json"]).output)
    assert [m["id"] for m in found] == ["cn-2025-medium-heavy-rare-earths"]
    result = runner.invoke(app, ["scan", "--file", str(bundled_path()), "--since", "2024-01", "-d", "level_shift",
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert ("2024-01", "2023-12", "ALL", "250410", "value_usd") in {
        (a["as_of"], a["period"], a["partner"], a["hs6"], a["variable"]) for a in json.loads(result.output)["alerts"]}


def test_a_measure_whose_window_overlaps_the_tuning_event_is_not_held_out():
    # A second measure on 250410 entering into force two months after the tuned one: the digest entry that
    # flags it is the tuned event's own, so counting it as a held-out success would reuse the tuning data.
    extra = REGISTER + """\
  - id: xx-2021-follow-up
    title: Planted follow-up on the tuned code
    issuer: CHN
    kind: licensing
    goods: [{hs6: ["250410"], hs_revision: HS2022, materials: [graphite], description: natural graphite}]
    dates: {announced: {date: "2021-07-01"}, effective: {date: "2021-08-01"}}
    official: {issuer: Ministry, notice: "No. 3", date: "2021-07-01"}
    secondary: [{publisher: Press, title: Report}]
"""
    register = validate_text(extra, file="r.yaml", known_materials=known_material_slugs())
    report = backtest(scan(flows(), measures=register, include_partners=False), register,
                      tuning=frozenset({"xx-2021-tuned"}))
    status = {e.label: (e.status, e.flagged) for e in report.events}
    assert status["xx-2021-follow-up:250410"][0] == "tuning"
    assert "xx-2021-tuned:250410" in next(e.reason for e in report.events if e.measure_id == "xx-2021-follow-up")
    assert status["xx-2022-held-out:380110"] == ("held_out", True)
    assert (report.recall.count, report.recall.base) == (1, 1)
