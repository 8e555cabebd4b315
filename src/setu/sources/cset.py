"""Build the semiconductor map from CSET/ETO Chip Explorer CSV files (CC BY-NC 4.0).

The ETO "Advanced Semiconductor Supply Chain Dataset" describes the supply chain of an advanced logic
chip: three stages (design, fabrication, assembly-test-packaging), 126 inputs (processes, tools,
materials, design resources), a sequence graph (``goes_into`` and ``is_type_of``) and the market shares
of countries and firms (``provision.csv``). This module turns those tables into a ``setu-map/1`` document
without editing a figure:

* each input becomes a node; CSET's ``goes_into`` and ``is_type_of`` rows become edges (a type of a tool
  category feeds the category; its edge note says so);
* the stage shares (design sales, fab capacity by location, ATP capacity) become the supply of the
  design process and of two stage nodes put where the wafer leaves the fab and the chip leaves test;
* country shares become ``shares``; "EUR" (Europe) and "Various countries" are aggregates, not
  countries, and go under ``others``; firm shares go under ``firms``; where CSET names providers without
  any share (photoresists, electronic gases, wet chemicals ...) they become the node's ``providers:`` (each
  firm with its home country), shown with "no share figure"; where it names some without a share beside
  shares, they are listed in the node's notes; a node with neither says so under ``no_figure``;
* shares are percentages in CSET and fractions here (divided by 100); CSET rounds shares below 1 % up
  to 1 %, so totals may exceed 100 % by a few points (technical notes), hence ``share_sum_tolerance``.

Raw-material links (germanium, tungsten, rare earths, helium, fluorspar) are not in CSET; they are added
from ``MINERAL_LINKS`` with their reason and refer to USGS series, or carry a cited figure where USGS has no
country figures (germanium). Wafers start from electronic-grade (chip-grade, 9N-11N) polysilicon, not from
silicon metal: ``POLYSILICON`` adds that node, which has no public country shares and says so (the USGS
silicon series is ferrosilicon and silicon metal, so it is not linked).

The chip is an *advanced logic* chip, but CSET's fabrication-stage shares are fab capacity for all nodes
(China first). CSET's own stage text says advanced logic capacity (<10 nm) was located solely in Taiwan and
South Korea, so the fabrication stage node takes the leading-edge split of ``LEADING_EDGE`` (SIA & BCG,
2024) as its supply and keeps CSET's all-node shares as a ``proxy:`` (shown, never ranked).

Run ``python -m setu.sources.cset CSET_DIR OUT.yaml`` to rebuild the bundled map.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

from setu.errors import DataFormatError

COMMIT = "46e010644c2399c812fd89c62cd6297e9cf58525"
REPOSITORY = "https://github.com/georgetown-cset/eto-chip-explorer"
AGGREGATES = {"EUR": "Europe", "Various countries": "various countries", "Various": "various countries"}
TOLERANCE = 0.025  # CSET rounds shares in (0, 1 %) up to 1 %; the largest total in the data is 102 %

KIND = {
    "process": "intermediate",
    "design_resource": "intermediate",
    "tool_resource": "component",
    "material_resource": "refined",
    "ultimate_output": "end-product",
}

# Stage nodes that carry CSET's stage-level shares, and where they sit in the sequence.
STAGE_NODES = {
    "S2": {
        "id": "fabricated-wafer",
        "name": "Fabricated wafer (fabrication stage)",
        "after": "N57",
        "before": "N69",
        "measure": "fab capacity by site location",
    },
    "S3": {
        "id": "tested-chip",
        "name": "Packaged and tested chip (ATP stage)",
        "after": "N78",
        "before": "N99",
        "measure": "ATP capacity by site location",
    },
}

# Leading-edge logic capacity for the fabrication stage (CSET gives only all-node capacity; see the docstring).
LEADING_EDGE_SOURCE = {
    "source": "Semiconductor Industry Association and Boston Consulting Group, Emerging Resilience in the "
    "Semiconductor Supply Chain, May 2024: share of global logic capacity below 10 nm by region, 2022 (Taiwan "
    "69 %, South Korea 31 %; as reported by Chosun Ilbo, 10 May 2024, and others; not checked in the report itself)",
    "year": 2024,
    "url": "https://www.semiconductors.org/emerging-resilience-in-the-semiconductor-supply-chain/",
    "confirmed": False,
}
LEADING_EDGE = {
    "S2": {
        "year": 2022,
        "measure": "share of logic wafer fabrication capacity below 10 nm by site location",
        "source": "sia-bcg-2024",
        "shares": {"TWN": 0.69, "KOR": 0.31},
    }
}

# (node id, name, material slug, USGS series, year, unit, CSET input it feeds, why)
MINERAL_LINKS: tuple[tuple[str, str, str, str, int, str, str, str], ...] = (
    (
        "tungsten",
        "Tungsten",
        "tungsten",
        "mine",
        2023,
        "t",
        "N88",
        "Tungsten hexafluoride (WF6) deposits the tungsten contacts and plugs of logic chips.",
    ),
    (
        "rare-earths",
        "Rare earths",
        "rare-earths",
        "mine",
        2023,
        "t",
        "N90",
        "Cerium oxide (ceria) slurries polish dielectric layers in chemical mechanical planarization.",
    ),
    (
        "helium",
        "Helium",
        "helium",
        "mine",
        2023,
        "million m3",
        "N91",
        "Helium is a carrier and cooling gas in etch, deposition and lithography.",
    ),
    (
        "fluorspar",
        "Fluorspar",
        "fluorspar",
        "mine",
        2023,
        "t",
        "N91",
        "Fluorspar is the feedstock of the fluorinated etch and cleaning gases (NF3, CF4, WF6) and of HF.",
    ),
)


# Germanium: USGS publishes no country production figures (NA/withheld), so the node carries the EU's figure.
GERMANIUM = {
    "id": "germanium",
    "name": "Germanium (refined)",
    "kind": "raw",
    "sector": "critical-minerals",
    "stage": "Raw materials",
    "unit": "kg",
    "material": "germanium",
    "feeds": "N88",
    "notes": "Germane (GeH4) deposits the silicon-germanium layers of advanced logic transistors. USGS publishes no "
    "country production figures for germanium (NA/withheld); the EU's assessment names China as the major "
    "global supplier of processed germanium.",
    "supply": {
        "year": 2020,
        "measure": "global supply, processing stage (major supplier only)",
        "source": "eu-crm-2023",
        "shares": {"CHN": 0.83},
        "note": "Only the major supplier is given; the rest is not attributed, so the HHI is a lower bound.",
    },
}
EU_CRM_2023_SOURCE = {
    "source": "European Commission (2023), Study on the Critical Raw Materials for the EU 2023, Final Report, "
    "doi:10.2873/725585, Table A (major global supplier and share by stage); as transcribed in a public "
    "repository's extract, not checked in the report itself",
    "year": 2023,
    "url": "https://doi.org/10.2873/725585",
    "confirmed": False,
}

# Shares CSET does not give, from a cited report; the node keeps the producers CSET names beside the figure.
NIKKEI_2025_SOURCE = {
    "source": "Nikkei, on Japanese photoresist makers' investment plans (as reported by TrendForce News, 6 Nov "
    "2025): Tokyo Ohka Kogyo together with other Japanese producers such as JSR accounts for about 91 % of the "
    "global photoresist market; not checked in the Nikkei article itself",
    "year": 2025,
    "url": "https://www.trendforce.com/news/?p=47920",
    "confirmed": False,
}
SHARE_FIGURES = {
    "photoresists": {
        "year": 2025,
        "measure": "market share of Japanese producers (by the firms' home country, as CSET counts market share)",
        "source": "nikkei-2025",
        "shares": {"JPN": 0.91},
        "note": "\"about 91%\" of the global market; only Japan's share is given, so the HHI is a lower bound. "
        "The year of the figure is not stated, so the year of publication is given.",
    },
}

POLYSILICON = {
    "id": "electronic-grade-polysilicon",
    "name": "Electronic-grade polysilicon (9N-11N, chip grade)",
    "kind": "refined",
    "sector": "critical-minerals",
    "stage": "Raw materials",
    "unit": "t",
    "hs": [{"code": "280461", "revision": "HS2017"}],
    "feeds": "N26",
    "notes": "Wafers are cut from single crystals pulled from electronic-grade polysilicon, a small, separate "
    "market from solar-grade polysilicon. Silicon metal, which USGS reports, is its feedstock but is not "
    "chip-grade and is not the constraint, so it is not linked.",
    "no_figure": "no public country shares of electronic-grade polysilicon production were found (CSET gives "
    "none; the USGS silicon series is ferrosilicon and silicon metal; the IEA's polysilicon shares are of "
    "solar-grade capacity)",
}


def _slug(name: str) -> str:
    """Readable node id from a CSET input name: 'EUV lithography tools' -> 'euv-lithography-tools'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _read(directory: Path, name: str) -> list[dict[str, str]]:
    path = directory / name
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as error:
        raise DataFormatError(f"cannot read CSET table: {error.strerror}", file=str(path)) from error


def build_document(directory: Path) -> dict[str, Any]:
    """The semiconductor map as a plain dict in ``setu-map/1`` layout."""
    stages = {row["stage_id"]: row for row in _read(directory, "stages.csv")}
    inputs = _read(directory, "inputs.csv")
    sequence = _read(directory, "sequence.csv")
    providers = {row["provider_id"]: row for row in _read(directory, "providers.csv")}
    provision = _read(directory, "provision.csv")

    stage_of = _stage_of(inputs, sequence, stages)
    by_node: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in provision:
        by_node[row["provided_id"]].append(row)

    ids = {row["input_id"]: _slug(row["input_name"]) for row in inputs}
    if len(set(ids.values())) != len(ids):
        raise DataFormatError("two CSET inputs have the same name", file=str(directory / "inputs.csv"))
    nodes: list[dict[str, Any]] = []
    for row in inputs:
        node_id = row["input_id"]
        supply_rows = by_node.get(node_id, [])
        if node_id == "N0":  # the design process carries the design stage's shares
            supply_rows = by_node.get("S1", []) + supply_rows
        nodes.append(
            _node(
                ids[node_id],
                row["input_name"],
                KIND[row["type"]],
                stage_of.get(node_id, "Finished product"),
                row["description"],
                supply_rows,
                providers,
                row.get("market_share_chart_source", ""),
            )
        )
        nodes[-1]["notes"] = f"CSET input {node_id}. " + nodes[-1]["notes"]
        if ids[node_id] in SHARE_FIGURES and "supply" not in nodes[-1]:
            nodes[-1]["supply"] = dict(SHARE_FIGURES[ids[node_id]])
    for stage_id, spec in STAGE_NODES.items():
        stage = stages[stage_id]
        nodes.append(
            _node(
                spec["id"],
                spec["name"],
                "intermediate",
                stage["stage_name"],
                stage["description"],
                by_node.get(stage_id, []),
                providers,
                stage["market_share_chart_source"],
                measure=spec["measure"],
            )
        )
        nodes[-1]["notes"] = f"CSET stage {stage_id}. " + nodes[-1]["notes"]
        if stage_id in LEADING_EDGE:  # all-node capacity stands in for leading-edge logic only as a proxy
            proxy = nodes[-1].pop("supply")
            proxy["measure"] += ", all nodes (a proxy for advanced logic)"
            nodes[-1]["supply"] = dict(LEADING_EDGE[stage_id])
            nodes[-1]["proxy"] = proxy

    edges: list[dict[str, Any]] = []
    replaced = {(spec["after"], spec["before"]) for spec in STAGE_NODES.values()}
    for row in sequence:
        source = row["input_id"]
        if row["goes_into_id"]:
            if (source, row["goes_into_id"]) in replaced:
                continue
            edges.append({"input": ids[source], "output": ids[row["goes_into_id"]], "substitutes": "no"})
        if row["is_type_of_id"]:
            edges.append(
                {
                    "input": ids[source],
                    "output": ids[row["is_type_of_id"]],
                    "substitutes": "unknown",
                    "note": f"is a type of {row['is_type_of_name']} (CSET is_type_of); whether another type "
                    "can stand in depends on the process step",
                }
            )
    for spec in STAGE_NODES.values():
        edges.append({"input": ids[spec["after"]], "output": spec["id"], "substitutes": "no"})
        edges.append({"input": spec["id"], "output": ids[spec["before"]], "substitutes": "no"})
    for extra in (POLYSILICON, GERMANIUM):
        node = {key: value for key, value in extra.items() if key != "feeds"}
        nodes.append(node)
        edges.append({"input": node["id"], "output": ids[extra["feeds"]], "substitutes": "no"})
    for node_id, name, material, series, year, unit, feeds, why in MINERAL_LINKS:
        nodes.append(
            {
                "id": node_id,
                "name": name,
                "kind": "raw",
                "sector": "critical-minerals",
                "stage": "Raw materials",
                "unit": unit,
                "material": material,
                "notes": why,
                "supply": {"usgs": {"material": material, "series": series, "year": year}},
            }
        )
        edges.append({"input": node_id, "output": ids[feeds], "substitutes": "no", "note": why})

    return {
        "format": "setu-map/1",
        "id": "semiconductors",
        "name": "Advanced logic chip (CSET/ETO Chip Explorer)",
        "sector": "semiconductors",
        "version": f"eto-chip-explorer@{COMMIT[:7]}",
        "description": "Stages, inputs and provider market shares of an advanced logic chip from the ETO Advanced "
        "Semiconductor Supply Chain Dataset, with links to the raw materials in the catalog.",
        "licence": "CC BY-NC 4.0 (non-commercial use; attribution required)",
        "attribution": "Emerging Technology Observatory (Georgetown CSET), Advanced Semiconductor Supply Chain "
        f"Dataset (Chip Explorer), {REPOSITORY} commit {COMMIT}; based on S. Khan, A. Mann, "
        "D. Peterson, The Semiconductor Supply Chain: Assessing National Competitiveness (CSET, 2021). "
        "Licensed under CC BY-NC 4.0, https://creativecommons.org/licenses/by-nc/4.0/",
        "share_sum_tolerance": TOLERANCE,
        "sources": {
            "cset": {
                "source": "Georgetown CSET / ETO Chip Explorer, data/provision.csv",
                "year": 2025,
                "url": f"{REPOSITORY}/blob/{COMMIT}/data/provision.csv",
            },
            "sia-bcg-2024": LEADING_EDGE_SOURCE,
            "eu-crm-2023": EU_CRM_2023_SOURCE,
            "nikkei-2025": NIKKEI_2025_SOURCE,
        },
        "nodes": nodes,
        "edges": edges,
    }


def _stage_of(
    inputs: list[dict[str, str]], sequence: list[dict[str, str]], stages: dict[str, dict[str, str]]
) -> dict[str, str]:
    """Stage name of each input: its own stage, else the stage of the first process it reaches."""
    own = {row["input_id"]: stages[row["stage_id"]]["stage_name"] for row in inputs if row["stage_id"] in stages}
    targets: dict[str, list[str]] = defaultdict(list)
    for row in sequence:
        for target in (row["goes_into_id"], row["is_type_of_id"]):
            if target:
                targets[row["input_id"]].append(target)
    result = dict(own)
    for row in inputs:
        frontier, seen = list(targets[row["input_id"]]), set()
        while frontier and row["input_id"] not in result:
            current = frontier.pop(0)
            if current in seen:
                continue
            seen.add(current)
            if current in own:
                result[row["input_id"]] = own[current]
            frontier.extend(targets[current])
    return result


def _node(
    node_id: str,
    name: str,
    kind: str,
    stage: str,
    description: str,
    rows: list[dict[str, str]],
    providers: dict[str, dict[str, str]],
    chart_source: str,
    measure: str = "market share",
) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "name": name, "kind": kind, "stage": stage, "unit": "unit"}
    shares: dict[str, float] = {}
    others: dict[str, float] = {}
    firms: list[dict[str, Any]] = []
    unquantified: list[str] = []
    named: list[dict[str, str]] = []
    no_share_year = 0
    firm_rest: list[str] = []
    years: Counter[int] = Counter()
    sources: Counter[str] = Counter()
    for row in rows:
        provider = providers[row["provider_id"]]
        if not row["share_provided"]:
            unquantified.append(row["provider_name"])
            entry = {"country": row["provider_name"]} if provider["provider_type"] == "country" else (
                {"firm": row["provider_name"], "country": provider["country"]} if len(provider["country"]) == 3
                else {"firm": row["provider_name"]})
            aggregate = entry.get("country") in AGGREGATES or row["provider_name"].startswith("Various")
            if not aggregate and entry not in named:
                named.append(entry)
                no_share_year = max(no_share_year, int(row["year"]))
            continue
        value = round(float(row["share_provided"]) / 100, 6)
        years[int(row["year"])] += 1
        if row["source"]:
            sources[row["source"]] += 1
        if provider["provider_type"] == "country":
            if row["provider_name"] in AGGREGATES:
                label = AGGREGATES[row["provider_name"]]
                others[label] = round(others.get(label, 0.0) + value, 6)
            else:
                shares[row["provider_name"]] = value
        elif len(provider["country"]) == 3:
            firms.append({"firm": row["provider_name"], "country": provider["country"], "share": value})
        else:  # "Various companies": a firm-level remainder, not a country
            firm_rest.append(f"{row['provider_name']} {value:.1%}")
    notes = [description.strip()] if description.strip() else []
    if unquantified and (shares or firms):
        notes.append("CSET names these providers without a share: " + ", ".join(sorted(set(unquantified))) + ".")
    if firm_rest:
        notes.append("Firm shares not attributed to a named firm: " + ", ".join(firm_rest) + ".")
    if shares or firms:
        year = years.most_common(1)[0][0]
        supply: dict[str, Any] = {"year": year, "measure": measure, "source": "cset"}
        table = sources.most_common(1)[0][0] if sources else chart_source
        if table:
            supply["table"] = table
        if shares:
            supply["shares"] = dict(sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])))
        if others:
            supply["others"] = others
        if firms:
            supply["firms"] = sorted(firms, key=lambda f: (-f["share"], f["firm"]))
        if len(years) > 1:
            supply["note"] = "shares dated " + ", ".join(str(y) for y in sorted(years))
        node["supply"] = supply
    elif named:
        node["providers"] = {
            "year": no_share_year,
            "source": "cset",
            "names": sorted(named, key=lambda e: ("firm" in e, e.get("country") or "~", e.get("firm", ""))),
            "note": "CSET names these producers without market shares",
        }
    else:
        node["no_figure"] = "CSET gives no market shares for this input"
    node["notes"] = " ".join(notes)
    return node


def write_map(directory: Path, out: Path) -> None:
    document = build_document(directory)
    header = (
        "# Generated by `python -m setu.sources.cset` from the ETO Chip Explorer CSV files in "
        "src/setu/data/maps/cset/.\n# Do not edit by hand. " + document["attribution"] + "\n"
    )
    out.write_text(header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=110), encoding="utf-8")


if __name__ == "__main__":
    write_map(Path(sys.argv[1]), Path(sys.argv[2]))
