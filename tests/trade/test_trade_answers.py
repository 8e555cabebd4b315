"""The everyday trade answers kept in the derived store (setu.services.trade_answers): the stored document is
the computed one byte for byte, a new import or another reference catalog is another key (and another answer),
another option is another entry, and an asking whose computing changed its own inputs is not kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from setu.cli.main import app
from setu.services import trade_answers
from setu.settings import Settings
from .trade_samples import BACI_2021, BACI_2022, write

runner = CliRunner()


@pytest.fixture
def data_dir(built_catalog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The session's reference catalog copied, no trade data; the bundled extract off unless a test turns it on."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy2(built_catalog / "catalog.duckdb", folder / "catalog.duckdb")
    monkeypatch.setenv("SETU_DATA_DIR", str(folder))
    monkeypatch.setenv("SETU_BUNDLED_TRADE", "0")
    monkeypatch.delenv("SETU_ENGINE", raising=False)
    return folder


def _setu(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _entries(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "derived" / trade_answers.NAMESPACE).glob("*.json"))


def _no_trade_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any computing from here on fails: what is printed after this comes from the store."""
    from setu.services import trade

    def refuse(*args, **kwargs):
        raise AssertionError("the trade service was opened for a stored answer")

    monkeypatch.setattr(trade.TradeService, "__init__", refuse)


def _import(tmp_path: Path, text: str, name: str = "BACI_HS17_Y2022_V202301.csv") -> None:
    folder = tmp_path / f"in-{len(list(tmp_path.glob('in-*')))}"
    folder.mkdir()
    _setu("import", "baci", str(write(folder, name, text)))


def test_the_stored_document_is_the_computed_one_byte_for_byte(data_dir, tmp_path, monkeypatch):
    _import(tmp_path, BACI_2022)
    question = ("dependence", "IND", "--product", "811292", "--json")
    computed = _setu(*question)
    assert len(_entries(data_dir)) == 1
    _no_trade_service(monkeypatch)
    assert _setu(*question) == computed
    # hand-worked from the sample: IND's 811292 imports CHN 250, JPN 150, KOR 100 thousand USD
    document = json.loads(computed)
    assert document["total_value"] == 500_000.0 and document["hhi"] == pytest.approx(3800.0)
    assert [s["country"] for s in document["suppliers"]] == ["CHN", "JPN", "KOR"]


@pytest.mark.parametrize("fmt", ["--csv", None])
def test_table_and_csv_are_drawn_from_the_stored_document_too(data_dir, tmp_path, monkeypatch, fmt):
    _import(tmp_path, BACI_2022)
    question = ("dependence", "IND", "--product", "811292", *([fmt] if fmt else []))
    computed = _setu(*question)
    _no_trade_service(monkeypatch)
    assert _setu(*question) == computed and "CHN" in computed


def test_a_new_import_is_another_key_and_another_answer(data_dir, tmp_path):
    _import(tmp_path, BACI_2022)
    question = ("dependence", "IND", "--product", "811292", "--json")
    first = json.loads(_setu(*question))
    # the same year imported again with CHN's flow doubled (250 -> 500 thousand USD): the manifest changes
    _import(tmp_path, BACI_2022.replace("2022,156,699,811292,   250.000", "2022,156,699,811292,   500.000"))
    second = json.loads(_setu(*question))
    assert first["total_value"] == 500_000.0
    assert second["total_value"] == 750_000.0
    # (500² + 150² + 100²) / 750² x 10,000 = 5,022.2
    assert second["hhi"] == pytest.approx(10_000 * (500**2 + 150**2 + 100**2) / 750**2)
    assert len(_entries(data_dir)) == 2


def test_another_option_is_another_entry(data_dir, tmp_path):
    _import(tmp_path, BACI_2022)
    _import(tmp_path, BACI_2021, "BACI_HS17_Y2021_V202301.csv")
    latest = json.loads(_setu("dependence", "JPN", "--product", "810420", "--json"))
    earlier = json.loads(_setu("dependence", "JPN", "--product", "810420", "--year", "2021", "--json"))
    grouped = json.loads(_setu("dependence", "JPN", "--product", "810420", "--group", "CHN", "--json"))
    assert (latest["year"], latest["total_value"]) == (2022, 1_000_000.0)
    assert (earlier["year"], earlier["total_value"]) == (2021, 1_000_000.0)
    assert earlier["hhi"] == pytest.approx(5000.0) and latest["hhi"] == pytest.approx(4600.0)
    assert grouped["group"]["share"] == pytest.approx(0.6) and "group" not in latest
    assert len(_entries(data_dir)) == 3
    _setu("dependence", "JPN", "--json")
    _setu("dependence", "JPN", "--json", "--exclude-flagged")
    assert len(_entries(data_dir)) == 5


def test_every_input_file_is_in_the_key(data_dir, tmp_path):
    _import(tmp_path, BACI_2022)
    settings = Settings.from_env()
    before = trade_answers._key(settings, "q", {"a": 1})
    assert trade_answers._key(settings, "q", {"a": 2}) != before
    assert trade_answers._key(settings, "other", {"a": 1}) != before
    for path in (settings.trade_dir / "manifest.json", data_dir / "catalog.duckdb", data_dir / "groups.yaml",
                 settings.trade_dir / "bundled.json"):
        saved = path.read_bytes() if path.exists() else None
        path.write_bytes((saved or b"") + b"\n")
        assert trade_answers._key(settings, "q", {"a": 1}) != before, path
        if saved is None:
            path.unlink()
        else:
            path.write_bytes(saved)
        assert trade_answers._key(settings, "q", {"a": 1}) == before, path


def test_a_rebuilt_reference_catalog_is_another_key(data_dir, tmp_path, monkeypatch):
    """`setu import production` rebuilds catalog.duckdb with the user's figures: the answer is computed
    again from it (another entry), never read back from the catalog it replaced."""
    monkeypatch.setenv("SETU_BUNDLED_TRADE", "1")
    question = ("supply-risk", "gallium", "--for", "JPN", "--json")
    _setu(*question)
    _setu(*question)
    assert len(_entries(data_dir)) == 1
    path = tmp_path / "my-gallium.csv"
    path.write_text("material,country,year,measure,value,unit,source,series\n"
                    "gallium,JPN,2024,production,4000,kg,Example ministry yearbook 2025 table 3,primary\n"
                    "gallium,China,2024,production,650000,kg,Example ministry yearbook 2025 table 3,primary\n"
                    "gallium,World total,2024,production,660000,kg,Example ministry yearbook 2025 table 3,primary\n",
                    encoding="utf-8")
    before = (data_dir / "catalog.duckdb").read_bytes()
    _setu("import", "production", str(path))
    assert (data_dir / "catalog.duckdb").read_bytes() != before
    _setu(*question)
    assert len(_entries(data_dir)) == 2


def test_an_asking_that_loads_the_bundled_extract_is_not_kept(data_dir, monkeypatch):
    """The first asking loads the bundled extract (its inputs change while it computes): kept only from the
    next asking on, under the key of the catalog as it then is."""
    monkeypatch.setenv("SETU_BUNDLED_TRADE", "1")
    question = ("dependence", "JPN", "--product", "850511", "--json")
    first = _setu(*question)
    assert _entries(data_dir) == []
    assert _setu(*question) == first
    assert len(_entries(data_dir)) == 1
    _no_trade_service(monkeypatch)
    assert _setu(*question) == first


def test_the_bundled_extract_switch_is_part_of_the_question(data_dir):
    settings = Settings.from_env()
    off = trade_answers._key(settings, "q", {})
    on = trade_answers._key(Settings(data_dir=data_dir, bundled_trade=True), "q", {})
    assert off != on
