import pytest

from setu.errors import UnknownNameError
from setu.propagate import match_name

SECTORS = [
    "Basic Metals and Fabricated Metal",
    "Machinery, Nec",
    "Mining and Quarrying",
    "Manufacturing, Nec; Recycling",
]


def test_exact_case_insensitive_and_spaces():
    assert match_name("sector", "  machinery,   NEC ", SECTORS) == "Machinery, Nec"
    assert match_name("region", "jpn", ["JPN", "IND"], allow_prefix=False) == "JPN"


def test_unique_prefix():
    assert match_name("sector", "basic metals", SECTORS) == "Basic Metals and Fabricated Metal"


def test_ambiguous_prefix_lists_candidates():
    with pytest.raises(UnknownNameError) as error:
        match_name("sector", "m", SECTORS)
    assert set(error.value.suggestions) == {"Machinery, Nec", "Mining and Quarrying", "Manufacturing, Nec; Recycling"}


def test_typo_gets_a_suggestion():
    with pytest.raises(UnknownNameError) as error:
        match_name("sector", "Basic Metal and Fabricated Metals", SECTORS)
    assert error.value.suggestions[0] == "Basic Metals and Fabricated Metal"
    assert "did you mean" in str(error.value)


def test_prefix_not_allowed_for_regions():
    with pytest.raises(UnknownNameError) as error:
        match_name("region", "JP", ["JPN", "IND"], allow_prefix=False)
    assert error.value.kind == "region"


def test_misspelt_beginning_gets_a_suggestion():
    with pytest.raises(UnknownNameError) as error:
        match_name("sector", "Basic metalz", SECTORS)
    assert error.value.suggestions[0] == "Basic Metals and Fabricated Metal"


def test_nothing_alike_gets_no_suggestion():
    with pytest.raises(UnknownNameError) as error:
        match_name("sector", "zzzz", SECTORS)
    assert error.value.suggestions == []
