"""The scenario page's document: run a bundled or edited scenario and shape the run for the page.

The run itself is :class:`setu.services.scenarios.ScenarioService` with the same defaults as
``setu scenario run``, and :func:`setu.services.documents.scenarios.run_document` is the JSON both return, so
the page, its twin and the CLI agree figure for figure. An edited scenario is the YAML text of a
``setu-scenario/1`` file; the service parses it with the same reader as a file given on the command line.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from setu.services.scenario_runs import MAX_SCENARIO_BYTES, bundled_scenario_files
from setu.web import charts

if TYPE_CHECKING:
    from setu.services.scenarios import ScenarioService

__all__ = ["MAX_SCENARIO_BYTES", "figures", "run_scenario", "scenario_text"]


def scenario_text(scenario_id: str) -> str:
    """The YAML of a bundled scenario, to start an edit from."""
    files = bundled_scenario_files()
    return files[scenario_id].read_text(encoding="utf-8") if scenario_id in files else ""


def run_scenario(service: ScenarioService, scenario_id: str | None = None, text: str | None = None,
                 allocation: str | None = None) -> dict[str, Any]:
    """Run a bundled scenario by id, or the edited YAML ``text``; returns the run document with figures."""
    from setu.services.documents.scenarios import run_document

    if text is not None and text.strip():
        result = service.run_text(text, allocation=allocation)
    else:
        result = service.run(scenario_id or "china-gallium", allocation=allocation)
    document = run_document(result)
    document["figures"] = figures(document)
    document["page"] = "scenario"
    return document


def _source(document: dict[str, Any]) -> str:
    cited = sorted({(s["source"], s["year"]) for s in document["sources"]}, key=lambda s: (s[1], s[0]))
    return "; ".join(f"{source} ({year})" for source, year in cited[:4]) + (
        f"; and {len(cited) - 4} more (see Sources)" if len(cited) > 4 else "")


ZERO_NOTE = " (0 % throughout)"
BEYOND = "#BBBBBB"


def unmet_lines(document: dict[str, Any]) -> list[tuple[str, list[int], list[float]]]:
    """One line per importer and product; lines at 0 % all along come last, so they are drawn on top of the
    others and stay visible, and say so in their name."""
    lines: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for row in document["series"]:
        lines[row["importer"], row["product"]][row["month"]] = row["unmet_share"]
    drawn = [(f"{importer} – {product}", sorted(months), [months[m] for m in sorted(months)])
             for (importer, product), months in sorted(lines.items())]
    flat = [(name + ZERO_NOTE, x, y) for name, x, y in drawn if not any(y)]
    return [line for line in drawn if any(line[2])] + flat


def figures(document: dict[str, Any]) -> dict[str, Any]:
    source = f"Scenario {document['scenario']}: {_source(document)}"
    unmet = charts.lines(unmet_lines(document), "Unmet demand by month (share of baseline)", source,
                         x_axis="month of the scenario", y_axis="unmet share of demand", percent=True, whole_x=True)
    for trace in unmet["data"]:
        if trace["name"].endswith(ZERO_NOTE):  # dashed and wider, above the lines it would hide under
            trace["line"] |= {"dash": "dash", "width": 3}
            trace["mode"] = "lines+markers"
    ends = [s for s in document["survival"] if s["end_product"]] or document["survival"]
    labels = [f"{s['importer']} – {s['node']}" for s in ends]
    horizon = document["months"]
    survive = [s["time_to_survive"] for s in ends]
    tts_ttr = charts.grouped_bars(labels, [("time to survive (months)", survive),
                                           ("time to recover (months)", [s["time_to_recover"] for s in ends])],
                                  "Time to survive against time to recover", source, axis="months")
    beyond = [horizon if value is None else None for value in survive]
    if any(value is not None for value in beyond):
        # a stock that outlasts the horizon has no time to survive within it: a hatched, grey bar up to the
        # horizon, in the same slot as the time to survive, labelled, never a bar of that height
        tts_ttr["data"][0]["offsetgroup"] = "survive"
        tts_ttr["data"][1]["offsetgroup"] = "recover"
        tts_ttr["data"].insert(1, {
            "type": "bar", "name": f"time to survive beyond the horizon (over {horizon} months)",
            "x": labels, "y": beyond, "offsetgroup": "survive", "text": ["beyond horizon" if v else "" for v in beyond],
            "textposition": "inside", "marker": {"color": BEYOND, "pattern": {"shape": "/", "fgcolor": "#555555"}},
            "hovertemplate": "%{x}: stock lasts beyond the " + str(horizon) + "-month horizon<extra></extra>"})
        tts_ttr["alt"] += f" Hatched grey bars: time to survive beyond the {horizon}-month horizon."
    result = {"unmet": unmet, "tts_ttr": tts_ttr}
    cooperation = document.get("cooperation")
    if cooperation:
        result["cooperation"] = charts.ranked_bars(
            ["simulated (allocation rule)", "each country alone (autarky)", "coordinated"],
            [cooperation["simulated"], cooperation["autarky"], cooperation["coordinated"]],
            "Weighted unmet demand: alone against coordinated", source, axis=cooperation["unit"])
    return result
