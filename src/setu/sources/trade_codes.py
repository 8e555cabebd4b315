"""Publishers' code tables for trade data: countries (BACI/Comtrade numeric → ISO3) and HS revisions.

Everything here reads files bundled under ``setu/data/hs`` (see its SOURCE.md); nothing is downloaded.

* Country codes: CEPII's ``country_codes_V202301`` maps the numeric codes of BACI's ``i``/``j`` columns
  to ISO3. BACI's numeric codes are UN Comtrade's reporter/partner codes, so the same table resolves
  Comtrade bulk files. Three codes have no ISO3 in the publisher's table (``N/A``); Setu maps them
  explicitly (``setu_unassigned_codes.csv``) rather than dropping their trade: 490 "Other Asia, nes" is
  Taiwan (CEPII's V202601 list writes ``S19``) and becomes ``TWN``, so that Taiwan's trade meets its
  production figures; the other two take codes from ISO 3166-1's user-assigned range (``XEF``, ``XUP``).
* HS revisions: the six-digit codes of HS 2017 (UN Comtrade H5) and HS 2022 (H6) let an importer reject a
  file whose products do not belong to the revision it declares. Other revisions are accepted on form only.
* Concordance: UNSD's HS 2022 → HS 2017 conversion (each HS 2022 subheading to one HS 2017 subheading).
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from setu.errors import UnknownNameError, ValidationError

COUNTRY_TABLE_NAME = "CEPII BACI country_codes V202301"

#: Canonical HS revision names, and the spellings publishers use for them (BACI "HS17", Comtrade "H5").
HS_REVISIONS = {
    "HS1992": ("HS92", "H0", "HS1992", "1992"),
    "HS1996": ("HS96", "H1", "HS1996", "1996"),
    "HS2002": ("HS02", "H2", "HS2002", "2002"),
    "HS2007": ("HS07", "H3", "HS2007", "2007"),
    "HS2012": ("HS12", "H4", "HS2012", "2012"),
    "HS2017": ("HS17", "H5", "HS2017", "2017"),
    "HS2022": ("HS22", "H6", "HS2022", "2022"),
}
_REVISION_BY_SPELLING = {spelling: name for name, spellings in HS_REVISIONS.items() for spelling in spellings}
_CLASSIFICATION_FILES = {
    "HS2017": "comtrade_classificationH5_HS2017.json",
    "HS2022": "comtrade_classificationH6_HS2022.json",
}
_HS6 = re.compile(r"^\d{6}$")


def _data_file(name: str):
    return resources.files("setu").joinpath("data", "hs", name)


def hs_revision(text: str) -> str:
    """Canonical HS revision name ("HS2017") for a publisher's spelling ("HS17", "H5", "hs2017")."""
    name = _REVISION_BY_SPELLING.get(text.strip().upper())
    if name is None:
        raise UnknownNameError("HS revision", text, difflib.get_close_matches(text.upper(), list(HS_REVISIONS), n=3))
    return name


@cache
def hs_codes(revision: str) -> frozenset[str] | None:
    """The six-digit codes of an HS revision, or None where Setu bundles no list for it."""
    file_name = _CLASSIFICATION_FILES.get(hs_revision(revision))
    if file_name is None:
        return None
    results = json.loads(_data_file(file_name).read_text(encoding="utf-8"))["results"]
    return frozenset(entry["id"] for entry in results if _HS6.match(entry["id"]))


def which_revisions(code: str) -> list[str]:
    """The bundled HS revisions that contain ``code`` (used to explain a revision mismatch)."""
    return [revision for revision in _CLASSIFICATION_FILES if code in (hs_codes(revision) or ())]


@cache
def hs_conversion(source_revision: str, target_revision: str) -> dict[str, str]:
    """UNSD's conversion of ``source_revision`` codes to ``target_revision`` codes (newer → older only).

    UNSD's conversion tables assign every subheading of the newer revision to exactly one subheading of the
    older one, so trade values can be re-aggregated without weights; the other direction splits codes (1:n)
    and would need trade weights that Setu does not invent.
    """
    pair = (hs_revision(source_revision), hs_revision(target_revision))
    if pair != ("HS2022", "HS2017"):
        raise ValidationError(
            f"no bundled HS conversion from {pair[0]} to {pair[1]}; Setu converts HS2022 to HS2017 "
            "(UNSD conversion table)"
        )
    with _data_file("hs2022_to_hs2017_conversion.csv").open(encoding="utf-8", newline="") as handle:
        return {row["hs2022"]: row["hs2017"] for row in csv.DictReader(handle)}


def normalise_hs6(code: str) -> str:
    """A six-character HS code: BACI writes 10121 for 010121, so left-pad numeric codes of 5 digits."""
    text = code.strip()
    if not text.isdigit() or not 5 <= len(text) <= 6:
        raise ValidationError(f"{code!r} is not a six-digit HS code")
    return text.zfill(6)


@dataclass(frozen=True)
class Country:
    code: int
    iso3: str
    name: str
    full_name: str


@dataclass(frozen=True)
class CountryCodeTable:
    """A publisher's numeric country codes with their ISO3 codes and names."""

    name: str
    countries: tuple[Country, ...]

    @property
    def iso3_by_code(self) -> dict[int, str]:
        return {country.code: country.iso3 for country in self.countries}

    def name_of(self, iso3: str) -> str:
        for country in self.countries:
            if country.iso3 == iso3:
                return country.name
        return iso3

    def resolve(self, text: str) -> str:
        """ISO3 code for an ISO3 code or a country name (case-insensitive); close matches if unknown."""
        key = text.strip().casefold()
        lookup = self._lookup()
        if key in lookup:
            return lookup[key]
        candidates = sorted({country.name for country in self.countries} | {c.iso3 for c in self.countries})
        close = difflib.get_close_matches(text.strip(), candidates, n=5, cutoff=0.6)
        close += [c for c in difflib.get_close_matches(text.strip().title(), candidates, n=5) if c not in close]
        raise UnknownNameError("country", text, close[:5])

    def _lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for country in self.countries:
            for spelling in (country.name, country.full_name):
                lookup.setdefault(spelling.casefold(), country.iso3)
        for country in self.countries:  # an exact ISO3 code wins over a name
            lookup[country.iso3.casefold()] = country.iso3
        return lookup


@cache
def baci_country_codes() -> CountryCodeTable:
    """CEPII's country code table as bundled, with Setu's codes for the publisher's ``N/A`` entries."""
    with _data_file("setu_unassigned_codes.csv").open(encoding="utf-8", newline="") as handle:
        unassigned = {int(row["country_code"]): (row["setu_code"], row["name"]) for row in csv.DictReader(handle)}
    countries = []
    with _data_file("baci_country_codes_V202301.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            code = int(row["country_code"])
            iso3, name = row["iso_3digit_alpha"].strip(), row["country_name_abbreviation"].strip()
            if iso3 == "N/A":
                iso3, name = unassigned[code]
            countries.append(Country(code, iso3, name, row["country_name_full"].strip()))
    return CountryCodeTable(COUNTRY_TABLE_NAME, tuple(countries))


@cache
def hs6_descriptions() -> dict[str, str]:
    """Six-digit code -> product description of HS 2017 (CEPII BACI product list, bundled in ``data/hs``)."""
    with _data_file("product_codes_HS17_V202301.csv").open(encoding="utf-8") as handle:
        return {row["code"].zfill(6): row["description"] for row in csv.DictReader(handle)}
