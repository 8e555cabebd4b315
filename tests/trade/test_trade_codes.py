"""Publishers' code tables: CEPII countries, HS revisions, UNSD conversion."""

from __future__ import annotations

import pytest

from setu.errors import UnknownNameError, ValidationError
from setu.sources import trade_codes


def test_country_codes_resolve_to_iso3_with_setu_codes_for_publisher_na():
    table = trade_codes.baci_country_codes()
    codes = table.iso3_by_code
    assert (codes[392], codes[699], codes[156], codes[842], codes[251]) == ("JPN", "IND", "CHN", "USA", "FRA")
    assert (codes[490], codes[697], codes[849]) == ("TWN", "XEF", "XUP")
    assert len(codes) == 238


@pytest.mark.parametrize(("text", "iso3"), [("JPN", "JPN"), ("japan", "JPN"), (" India ", "IND"),
                                             ("USA, Puerto Rico and US Virgin Islands", "USA"), ("ind", "IND")])
def test_country_names_and_codes_resolve(text, iso3):
    assert trade_codes.baci_country_codes().resolve(text) == iso3


def test_unknown_country_lists_close_matches():
    with pytest.raises(UnknownNameError) as error:
        trade_codes.baci_country_codes().resolve("Jpan")
    assert "Japan" in error.value.suggestions


def test_hs_revision_lists_and_spellings():
    assert trade_codes.hs_revision("HS17") == trade_codes.hs_revision("H5") == "HS2017"
    assert len(trade_codes.hs_codes("HS2017")) == 5388
    assert len(trade_codes.hs_codes("HS2022")) == 5613
    assert trade_codes.hs_codes("HS92") is None
    assert trade_codes.which_revisions("030910") == ["HS2022"]
    with pytest.raises(UnknownNameError):
        trade_codes.hs_revision("HS2019")


def test_unsd_conversion_maps_hs2022_to_one_hs2017_code_each():
    mapping = trade_codes.hs_conversion("HS2022", "HS2017")
    assert len(mapping) == 5613
    assert mapping["041010"] == mapping["041090"] == "041000"
    assert set(mapping.values()) <= trade_codes.hs_codes("HS2017")
    with pytest.raises(ValidationError):
        trade_codes.hs_conversion("HS2017", "HS2022")


def test_bundled_conversion_csv_matches_unsd_workbook():
    import csv
    from importlib import resources

    import openpyxl

    folder = resources.files("setu").joinpath("data", "hs")
    with folder.joinpath("HS2022_to_HS2017_UNSD.xlsx").open("rb") as handle:
        sheet = openpyxl.load_workbook(handle, read_only=True)["HS2022-HS2017 Conversions"]
        workbook = [(str(a).zfill(6), str(b).zfill(6)) for a, b, *_ in sheet.iter_rows(min_row=2, values_only=True)
                    if a is not None]
    with folder.joinpath("hs2022_to_hs2017_conversion.csv").open(encoding="utf-8") as handle:
        bundled = [(row["hs2022"], row["hs2017"]) for row in csv.DictReader(handle)]
    assert bundled == workbook


def test_normalise_hs6_pads_baci_codes():
    assert trade_codes.normalise_hs6("10121") == "010121"
    with pytest.raises(ValidationError):
        trade_codes.normalise_hs6("1012")
