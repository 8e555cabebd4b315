"""The compiled DuckDB questions (setu.store.trade_sql) against Ibis executing the same expressions, and Spark:
the same answers; the kept SQL binds its parameters, is kept per catalog state and written atomically."""

from __future__ import annotations

import dataclasses
import math
import threading
from pathlib import Path

import pytest

from setu.errors import NotFoundError
from setu.metrics import trade_questions as questions
from setu.services.complementarity import partner_complementarity
from setu.services.import_dependence import country_imports
from setu.services.trade import TradeService
from setu.settings import Settings
from setu.store import trade_sql
from setu.store.catalog_reader import open_catalog
from .trade_samples import BACI_2022, write


def _same(left, right, path: str = "") -> None:
    """Equal documents; floats equal to 1e-12 relative (the engines add in their own order)."""
    if dataclasses.is_dataclass(left) and dataclasses.is_dataclass(right):
        left, right = dataclasses.asdict(left), dataclasses.asdict(right)
    if isinstance(left, float) and isinstance(right, float):
        assert math.isclose(left, right, rel_tol=1e-12, abs_tol=1e-12), path
    elif isinstance(left, dict) and isinstance(right, dict):
        assert sorted(left) == sorted(right), path
        for key in left:
            _same(left[key], right[key], f"{path}.{key}")
    elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
        assert len(left) == len(right), path
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            _same(a, b, f"{path}[{index}]")
    else:
        assert left == right, path


def _by(rows: list[dict], *keys: str) -> list[dict]:
    return sorted(rows, key=lambda r: tuple(r[k] for k in keys))


@pytest.fixture(scope="module")
def bundled(built_catalog: Path):
    """The bundled extract asked twice: through the compiled SQL and through Ibis at question time."""
    settings = Settings.from_env()
    compiled, ibis_path = TradeService(settings), TradeService(settings, compiled=False)
    yield settings, compiled, ibis_path
    compiled.close()
    ibis_path.close()


def test_dependence_and_unit_values_agree_with_ibis(bundled) -> None:
    _, compiled, ibis_path = bundled
    for product in ("850511", "811292", "283691"):
        _same(compiled.dependence("JPN", product, group=["CHN"]), ibis_path.dependence("JPN", product, group=["CHN"]))
        year = compiled.dependence("JPN", product).year
        _same(compiled.unit_values("JPN", product, year=year), ibis_path.unit_values("JPN", product, year=year))
    dependence = compiled.dependence("JPN", "850511")
    assert dependence.hhi == pytest.approx(10_000 * sum(s.share ** 2 for s in dependence.suppliers), abs=1e-6)
    _same(compiled.import_figures("JPN", "811292", year=2022), ibis_path.import_figures("JPN", "811292", year=2022))


@pytest.mark.parametrize("exclude_flagged", [False, True])
def test_a_countrys_every_product_agrees_with_ibis(bundled, built_catalog: Path, exclude_flagged: bool) -> None:
    _, compiled, ibis_path = bundled
    documents = []
    for service in (compiled, ibis_path):
        with open_catalog(built_catalog) as reader:
            documents.append(country_imports(service, reader, "IND", group=["CHN", "RUS"], group_label="CHN,RUS",
                                             exclude_flagged=exclude_flagged))
    _same(*documents)
    assert documents[0]["products"], "the bundled extract holds India's imports"


def test_complementarity_and_group_trade_agree_with_ibis(bundled) -> None:
    _, compiled, ibis_path = bundled
    _same(partner_complementarity(compiled, "JPN", "IND", concentrated_only=False),
          partner_complementarity(ibis_path, "JPN", "IND", concentrated_only=False))
    answers = []
    for service in (compiled, ibis_path):
        datasets, _, _ = service.choose(year=None, source=None, hs_revision=None)
        asked = {"year": datasets[0].year, "products": ["811292", "282590"], "members": ["DEU", "FRA"]}
        answers.append((_by(service.ask(questions.group_imports, datasets, **asked), "exporter", "product"),
                        _by(service.ask(questions.group_exports, datasets, **asked), "product")))
    _same(*answers)
    assert answers[0][0] and all(r["exporter"] not in ("DEU", "FRA") for r in answers[0][0])


def test_the_kept_sql_binds_the_asked_values_as_parameters(bundled) -> None:
    settings, compiled, _ = bundled
    compiled.dependence("KOR", "850511")
    kept = [p.read_text(encoding="utf-8") for p in (settings.trade_dir / trade_sql.CACHE_DIR).glob("*.sql")]
    one_product = [sql for sql in kept if "$importer" in sql and "$product" in sql]
    assert one_product, "the dependence question is kept with its importer and product as parameters"
    assert not any("'850511'" in sql for sql in one_product)
    assert not any("'KOR'" in sql or "setu:param" in sql for sql in kept)


@pytest.mark.spark
def test_compiled_questions_agree_with_spark(loaded_settings: Settings, spark_service) -> None:
    duckdb_service = TradeService(loaded_settings)
    try:
        answers = []
        for service in (duckdb_service, spark_service):
            datasets, _, _ = service.choose(year=2022, source=None, hs_revision="HS2017")
            answers.append((
                service.dependence("JPN", "810420", year=2022, hs_revision="HS2017", group=["CHN", "TWN"]),
                service.unit_values("JPN", "810420", year=2022, hs_revision="HS2017"),
                _by(service.ask(questions.partner_complementarity, datasets, exporter="JPN", importer="IND",
                                year=2022, codes=["811292", "810420"]), "product"),
                _by(service.ask(questions.group_imports, datasets, year=2022, products=["810420"],
                                members=["JPN"]), "exporter"),
                _by(service.ask(questions.country_suppliers, datasets, importer="IND", year=2022,
                                codes=["811292", "10121"], screened=["10121"], exclude_flagged=True),
                    "product", "rank"),
            ))
        _same(*answers)
        dependence = answers[0][0]
        assert (dependence.total_value, dependence.hhi) == (1_000_000.0, 4600.0)  # 600, 300, 100 thousand USD
    finally:
        duckdb_service.close()


def test_an_import_compiles_again_and_the_answer_follows_it(tmp_path: Path, monkeypatch) -> None:
    settings = Settings(data_dir=tmp_path / "data", bundled_trade=False)
    service = TradeService(settings)
    service.import_baci([write(tmp_path, "BACI_HS17_Y2022_V202301.csv", BACI_2022)])
    assert service.dependence("JPN", "810420").total_value == 1_000_000.0
    service.close()

    compiled: list[str] = []
    real = trade_sql.compile_sql
    monkeypatch.setattr(trade_sql, "compile_sql", lambda question, *a: compiled.append(question.__name__)
                        or real(question, *a))
    again = TradeService(settings)  # a new process would read the kept SQL: nothing compiled
    assert again.dependence("JPN", "810420").total_value == 1_000_000.0 and compiled == []
    again.import_baci([write(tmp_path, "BACI_HS17_Y2022_V202302.csv",
                             "t,i,j,k,v,q\n2022,156,392,810420,250.000,1\n2022,842,392,810420,750.000,1\n")])
    replaced = again.dependence("JPN", "810420")  # the same year imported again: the catalog changed
    assert compiled == ["dependence"]
    assert (replaced.total_value, [s.country for s in replaced.suppliers]) == (1_000_000.0, ["USA", "CHN"])
    assert replaced.hhi == pytest.approx(10_000 * (0.75 ** 2 + 0.25 ** 2))
    again.import_baci([write(tmp_path, "BACI_HS17_Y2023_V202401.csv", "t,i,j,k,v,q\n2023,410,392,810420,5.000,1\n")])
    latest = again.dependence("JPN", "810420")  # the newest year is the default: 2023 answers now
    assert (latest.year, latest.total_value, latest.hhi) == (2023, 5_000.0, 10_000.0)
    with pytest.raises(NotFoundError):
        again.dependence("JPN", "811292")
    again.close()


def test_concurrent_compilations_write_one_complete_file(tmp_path: Path) -> None:
    results: list[str] = []
    errors: list[BaseException] = []

    def compile_once() -> None:
        try:
            results.append(trade_sql.cached_sql(tmp_path, questions.dependence, "M",
                                                {"importer": "JPN", "product": "850511", "year": 2024},
                                                {"group": []}, "state"))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=compile_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(set(results)) == 1
    kept = list((tmp_path / trade_sql.CACHE_DIR).iterdir())
    assert [p.suffix for p in kept] == [".sql"] and kept[0].read_text(encoding="utf-8") == results[0]
    assert "$importer" in results[0] and "$year" in results[0]


def test_a_parameter_that_cannot_be_bound_is_refused(tmp_path: Path) -> None:
    def baked(flows, *, importer: str):  # a question that turns its parameter into something else
        return flows.filter(flows.importer == importer.upper()).select("exporter")

    with pytest.raises(RuntimeError, match="could not be bound"):
        trade_sql.compile_sql(baked, "M", {"importer": "JPN"}, {})
