"""The catalog reader answers from one read of a material's rows; every answer must equal the SQL query it
replaces (the independent peer here), for every material, series, measure and year of the bundled catalog."""

from __future__ import annotations

from pathlib import Path

from setu.store.catalog import connect, records
from setu.store.catalog_reader import _TIES, CatalogReader


def _sql_series(con, material_id):
    return records(con, """
        SELECT series, any_value(stage) AS stage, bool_and(comparable) AS comparable,
               list(DISTINCT measure ORDER BY measure) AS measures,
               list(DISTINCT year ORDER BY year) FILTER (WHERE value IS NOT NULL) AS years
        FROM current_observations WHERE material_id = ? GROUP BY series ORDER BY series""", [material_id])


def test_reader_answers_equal_the_sql_queries(built_catalog: Path) -> None:
    with connect(built_catalog) as con:
        reader = CatalogReader(con)
        materials = [r["material_id"] for r in records(con, "SELECT DISTINCT material_id FROM current_observations")]
        assert len(materials) > 50
        checked = 0
        for material in materials:
            assert reader.series_of(material) == _sql_series(con, material), material
            keys = records(con, """SELECT DISTINCT series, measure, year FROM current_observations
                                   WHERE material_id = ?""", [material])
            for key in keys:
                series, measure, year = key["series"], key["measure"], key["year"]
                latest = con.execute("""SELECT max(year) FROM current_observations WHERE material_id = ? AND series = ?
                                        AND measure = ? AND value IS NOT NULL AND entity = 'country'""",
                                     [material, series, measure]).fetchone()[0]
                assert reader.latest_year(material, series, measure) == latest
                rows = records(con, """SELECT * FROM current_observations WHERE material_id = ? AND series = ?
                                       AND measure = ? AND year = ? ORDER BY file, line, """ + _TIES,
                               [material, series, measure, year])
                assert reader.observations(material, series, measure, year) == rows
                for qualifier in {r["qualifier"] for r in rows if r["qualifier"] is not None}:
                    assert reader.observations(material, series, measure, year, qualifier) == \
                        [r for r in rows if r["qualifier"] == qualifier]
                factor = con.execute("""SELECT any_value(factor_to_base) FROM current_observations WHERE material_id = ?
                                        AND series = ? AND measure = 'production' AND year = ?""",
                                     [material, series, year]).fetchone()[0]
                assert reader.production_factor_to_base(material, series, year) == (1.0 if factor is None else factor)
                checked += 1
            for series in {k["series"] for k in keys}:
                assert reader.reserves(material, series) == records(con, """
                    SELECT * FROM current_observations WHERE material_id = ? AND series = ? AND measure = 'reserves'
                    AND entity = 'country' AND value IS NOT NULL ORDER BY value DESC, iso3, file, line, """ + _TIES,
                    [material, series])  # ties (one country listed twice) in file order
        assert checked > 400  # (material, series, measure, year) keys of the bundled catalog


def test_unknown_material_has_no_series(built_catalog: Path) -> None:
    with connect(built_catalog) as con:
        reader = CatalogReader(con)
        assert reader.series_of("unobtainium") == []
        assert reader.latest_year("unobtainium", "mine", "production") is None
        assert reader.production_factor_to_base("unobtainium", "mine", 2022) == 1.0
