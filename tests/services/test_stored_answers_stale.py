"""Stored answers that a user can make stale: each test changes one input the answer depends on and compares the
answer read back with one computed afresh, which must be equal."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from setu.cli.main import app
from setu.services import catalog_admin, scenario_runs, watch_digest
from setu.settings import Settings

runner = CliRunner()


def _run_json(*args: str) -> object:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_scenario_run_follows_a_map_in_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SETU_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "mine"
    (folder / "maps").mkdir(parents=True)
    bundled_map = Path(str(resources.files("setu.data.maps").joinpath("ict.yaml"))).read_text(encoding="utf-8")
    (folder / "maps" / "ict.yaml").write_text(bundled_map, encoding="utf-8")
    text = scenario_runs.bundled_scenario_files()["china-gallium"].read_text(encoding="utf-8")
    assert "\nmap: ict\n" in text
    scenario = folder / "scenario.yaml"
    scenario.write_text(text.replace("\nmap: ict\n", "\nmap: maps/ict.yaml\n"), encoding="utf-8")
    first = _run_json("scenario", "run", str(scenario), "--json")
    gallium = "    stage: raw materials\n    unit: kg\n    material: gallium\n"
    assert gallium in bundled_map
    (folder / "maps" / "ict.yaml").write_text(bundled_map.replace(gallium, gallium.replace("unit: kg", "unit: g")),
                                              encoding="utf-8")
    again = _run_json("scenario", "run", str(scenario), "--json")
    shutil.rmtree(tmp_path / "data" / "derived")
    fresh = _run_json("scenario", "run", str(scenario), "--json")
    assert fresh != first  # the edit is one the answer shows (units in kg -> g)
    assert again == fresh


def test_overview_follows_a_production_import_while_serving(built_catalog: Path, tmp_path: Path):
    from setu.web.views import Views

    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(built_catalog / "catalog.duckdb", data / "catalog.duckdb")
    settings = Settings(data_dir=data, bundled_trade=False)
    views = Views(settings)
    before = views.overview("JPN")
    production = tmp_path / "ministry.csv"
    production.write_text("material,country,year,measure,value,unit,source,series\n"
                          "gallium,JPN,2023,production,900,t,Test ministry table 1,primary\n"
                          "gallium,World total,2023,production,1000,t,Test ministry table 1,primary\n",
                          encoding="utf-8")
    catalog_admin.import_production(settings, production)
    served = views.overview("JPN")
    fresh = Views(settings).overview("JPN")  # a restarted server: the derived store follows the catalog
    assert fresh != before
    assert served == fresh


_MODULES_USED = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from setu.store import derived
    before = set(sys.modules)
    {compute}
    keyed = {{p.resolve() for p in derived.code_files(CODE)}}
    used = sorted(name for name, module in sys.modules.items()
                  if name.startswith(("setu.metrics", "setu.domain", "setu.reference", "setu.sources", "setu.maps",
                                      "setu.watch", "setu.cables"))
                  and name not in before and getattr(module, "__file__", None)
                  and Path(module.__file__).name != "__init__.py"
                  and Path(module.__file__).resolve() not in keyed)
    print(json.dumps(used))
""")


def _unkeyed_modules(compute: str, data_dir: Path) -> list[str]:
    script = _MODULES_USED.format(compute=compute)
    env = {"SETU_DATA_DIR": str(data_dir), "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


COMPUTATIONS = {  # namespace module -> a computation it keys
    "map_scores": "from setu.cli.maps import _vulnerabilities_document\n_vulnerabilities_document('batteries')",
    "watch_digest": "from setu.services import watch\nwatch.digest(last_month='2023-06')",
}


@pytest.mark.parametrize("namespace", list(COMPUTATIONS))
def test_the_key_covers_the_code_that_computes_the_answer(namespace: str, built_catalog: Path):
    compute = f"from setu.services.{namespace} import CODE\n" + COMPUTATIONS[namespace]
    assert _unkeyed_modules(compute, built_catalog) == []


def test_watch_digest_changed_during_computation_is_not_kept_under_the_old_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from setu.services import watch

    register = tmp_path / "mine.yaml"
    register.write_text("format: setu-measures/1\nmeasures: []\n", encoding="utf-8")
    original = register.read_text(encoding="utf-8")

    calls: list[int] = []

    def digest(**options: object) -> str:
        if not calls:  # a concurrent save, during the first computation only
            register.write_text(original + "# edited while the digest ran\n", encoding="utf-8")
        calls.append(1)
        return register.read_text(encoding="utf-8")  # the answer is what was read

    monkeypatch.setattr(watch, "digest", digest)
    watch_digest.digest(tmp_path / "data", last_month="2023-06", registers=[register])
    register.write_text(original, encoding="utf-8")  # the edit undone
    assert watch_digest.digest(tmp_path / "data", last_month="2023-06", registers=[register]) == original
