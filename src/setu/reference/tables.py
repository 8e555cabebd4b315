"""Read the bundled reference tables into domain objects."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources
from pathlib import Path


from setu.domain.countries import Country, CountryGroup, CountryRegistry
from setu.domain.materials import Material, MaterialRegistry
from setu.errors import DataFormatError
from setu.reference import concordance
from setu.sources.line_yaml import load_marked, read_text
from setu.domain.usgs import CountryName, Series

#: Series shown by default for materials whose tables hold several (the others stay available).
DEFAULT_SERIES: dict[str, str] = {
    "abrasives": "fused-aluminum-oxide-capacity",
    "bauxite": "bauxite",
    "cement": "cement",
    "clays": "kaolin",
    "copper": "mine",
    "iron-ore": "iron-content",
    "iron-and-steel": "raw-steel",
    "mica": "scrap-and-flake",
    "platinum-group-metals": "platinum",
    "silicon": "silicon-metal",
    "soda-ash": "natural",
    "titanium-minerals": "ilmenite",
}


def data_path(*parts: str) -> Path:
    """Path of a bundled data file (inside the installed package)."""
    return Path(str(resources.files("setu").joinpath("data", *parts)))


def _rows(*parts: str) -> list[dict[str, str]]:
    text = data_path(*parts).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def usgs_country_names() -> dict[str, CountryName]:
    return {
        row["name"]: CountryName(iso3=row["iso3"] or None, entity=row["kind"], note=row["note"])
        for row in _rows("reference", "usgs_country_names.csv")
    }


@cache
def usgs_series() -> dict[tuple[str, str], Series]:
    return {
        (row["usgs_code"], row["type"]): Series(
            series=row["series"], stage=row["stage"], comparable=row["comparable"] == "yes", note=row["note"]
        )
        for row in _rows("reference", "usgs_series.csv")
    }

#: Names that mean one series of a material's table, not the whole table (also synonyms of the material).
SERIES_SYNONYMS: dict[str, dict[str, str]] = {
    "platinum-group-metals": {"platinum": "platinum", "Pt": "platinum", "palladium": "palladium", "Pd": "palladium"},
    "bauxite": {"alumina": "alumina"},
    "silicon": {"silicon metal": "silicon-metal", "ferrosilicon": "ferrosilicon"},
}


@cache
def materials() -> MaterialRegistry:
    series_by_material: dict[str, set[str]] = {}
    for row in _rows("reference", "usgs_series.csv"):
        series_by_material.setdefault(row["material_id"], set()).add(row["series"])
    result = {}
    for row in _rows("reference", "materials.csv"):
        material_id = row["material_id"]
        options = series_by_material.get(material_id, set())
        default = DEFAULT_SERIES.get(material_id)
        if default is None:
            default = "mine" if "mine" in options else (sorted(options)[0] if options else "")
        result[material_id] = Material(
            material_id=material_id,
            name=row["name"],
            usgs_code=row["usgs_code"],
            synonyms=tuple(s for s in row["synonyms"].split(";") if s),
            hs6_hs2017=concordance.codes_of(material_id),
            default_series=default,
            series_synonyms=SERIES_SYNONYMS.get(material_id, {}),
        )
    return MaterialRegistry(result)


@cache
def country_table() -> dict[str, Country]:
    """ISO3 -> Country from ``countries.csv`` (names and synonyms, no groups); read once per process."""
    return {
        row["iso3"]: Country(row["iso3"], row["name"], tuple(s for s in row["synonyms"].split(";") if s))
        for row in _rows("reference", "countries.csv")
    }


@cache
def countries() -> CountryRegistry:
    return CountryRegistry(country_table()).with_groups(parse_groups(data_path("reference", "groups.yaml")))


def material_slugs() -> list[str]:
    """Material slugs in the order of ``materials.csv``."""
    return list(materials().materials)


def load_yaml(path: Path):
    """A YAML file as plain values; not UTF-8, not YAML, a key given twice or nesting past reason is a
    located :class:`DataFormatError`."""
    return load_marked(read_text(path, what="YAML file"), file=str(path))


def parse_groups(path: Path, *, user_defined: bool = False) -> list[CountryGroup]:
    """Read a groups file (``format: setu-groups/1``). Users keep their own in the data directory."""
    document = load_yaml(path) or {}
    if not isinstance(document, dict):
        raise DataFormatError(f"expected a mapping with 'format: setu-groups/1' and 'groups', not a "
                              f"{type(document).__name__}", file=str(path), line=1)
    if document.get("format") != "setu-groups/1":
        raise DataFormatError("expected 'format: setu-groups/1'", file=str(path), line=1, field="format")
    if not isinstance(document.get("groups") or {}, dict):
        raise DataFormatError("'groups' must map group ids to groups", file=str(path), field="groups")
    groups = []
    for group_id, body in (document.get("groups") or {}).items():
        if not isinstance(body, dict) or not isinstance(body.get("members"), list):
            raise DataFormatError("a group needs a list of ISO3 'members'", file=str(path), field=f"groups.{group_id}")
        if not body.get("source"):
            raise DataFormatError(
                "a group needs a 'source' (who defines its membership)", file=str(path), field=f"groups.{group_id}.source"
            )
        groups.append(
            CountryGroup(
                group_id=str(group_id).upper(),
                name=str(body.get("name", group_id)),
                members=frozenset(str(m).upper() for m in body["members"]),
                source=str(body["source"]),
                as_of=str(body.get("as_of", "")),
                url=str(body.get("url", "")),
                organisations=tuple(body.get("organisations", ())),
                user_defined=user_defined,
            )
        )
    return groups


@cache
def wgi_risk() -> dict[str, float]:
    """Governance risk per ISO3 on the EU CRM 0.1–10 scale (10 = worst governance).

    The bundled WGI file holds, per economy, the mean of the six WGI 2022 estimates min–max rescaled to
    0–1 (1 = best). The EU methodology (European Commission 2017, *Methodology for establishing the EU
    list of critical raw materials*, section on supply risk) rescales WGI to 0.1–10 with higher values
    for poorer governance; we apply the same linear map to the 0–1 index: ``risk = 10 − 9.9 · index``.
    """
    names = {row["name"]: row["iso3"] for row in _rows("reference", "wgi_country_names.csv")}
    result = {}
    for line, row in enumerate(_rows("wgi", "worldbank_governence_indicator_2022_normalised.csv"), start=2):
        name = row["Country/Territory"]
        if name not in names:
            raise DataFormatError(
                f"WGI name {name!r} is not in wgi_country_names.csv", file="wgi", line=line, field="Country/Territory"
            )
        index = float(row["2022"])
        result[names[name]] = 10.0 - 9.9 * index
    return result


def wgi_risk_fraction() -> dict[str, float]:
    """The governance risk of :func:`wgi_risk` divided by 10 (0.01–1, 1 = worst governance).

    The supply maps weight HHIs with a 0–1 risk so that a governance-weighted HHI stays on the HHI's
    0–10,000 scale; this equals the catalog's ``gw_hhi_scaled`` (EU HHI_WGI / 10).
    """
    return {iso3: value / 10.0 for iso3, value in wgi_risk().items()}
