"""Read the reference catalog: the only place that knows its tables and writes SQL against them.

Services ask for what they need (a source's metadata, the series of a material, the observations of one
series, measure and year) and get plain rows back; they never see a connection or a query. Rows are
dictionaries keyed by the column names of ``setu.store.catalog.OBSERVATION_SCHEMA`` and the ``sources``,
``materials`` and ``build_info`` tables written by :func:`setu.store.catalog.build`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from setu.store.catalog import connect, records

Row = dict[str, object]


class CatalogReader:
    """Queries on one open, read-only catalog connection."""

    def __init__(self, connection: duckdb.DuckDBPyConnection):
        self._con = connection

    def build_info(self) -> Row:
        """The build's fingerprint, time and Setu version, with the number of observations."""
        info = records(self._con, "SELECT * FROM build_info")[0]
        info["observations"] = self._con.execute("SELECT count(*) FROM observations").fetchone()[0]
        return info

    def sources(self) -> list[Row]:
        """Every source of the catalog (bundled and user-imported), ordered by id."""
        return records(self._con, "SELECT source_id, title, publisher, edition, years, licence, url, files "
                                  "FROM sources ORDER BY source_id")

    def source(self, source_id: str) -> Row | None:
        """All metadata of one source, or None when the catalog does not hold it."""
        rows = records(self._con, "SELECT * FROM sources WHERE source_id = ?", [source_id])
        return rows[0] if rows else None

    def material_summaries(self) -> list[Row]:
        """Each material with its default series, the series with figures and the first and last year."""
        return records(
            self._con,
            """SELECT m.material_id, m.name, m.default_series, m.synonyms, m.hs6_hs2017,
                      string_agg(DISTINCT o.series, ', ' ORDER BY o.series) AS series,
                      min(o.year) FILTER (WHERE o.value IS NOT NULL) AS first_year,
                      max(o.year) FILTER (WHERE o.value IS NOT NULL) AS last_year
               FROM materials m LEFT JOIN current_observations o USING (material_id)
               GROUP BY ALL ORDER BY m.material_id""",
        )

    def series_of(self, material_id: str) -> list[Row]:
        """The series of one material: stage, comparability, measures and the years with figures."""
        return records(
            self._con,
            """
            SELECT series, any_value(stage) AS stage, bool_and(comparable) AS comparable,
                   list(DISTINCT measure ORDER BY measure) AS measures,
                   list(DISTINCT year ORDER BY year) FILTER (WHERE value IS NOT NULL) AS years
            FROM current_observations WHERE material_id = ? GROUP BY series ORDER BY series
            """,
            [material_id],
        )

    def latest_year(self, material_id: str, series: str, measure: str) -> int | None:
        """The latest year with a country figure for the series and measure (None when there is none)."""
        row = self._con.execute(
            """SELECT max(year) FROM current_observations
               WHERE material_id = ? AND series = ? AND measure = ? AND value IS NOT NULL AND entity = 'country'""",
            [material_id, series, measure],
        ).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def observations(self, material_id: str, series: str, measure: str, year: int,
                     qualifier: str | None = None) -> list[Row]:
        """The current (latest-edition) rows of one series, measure and year, in file order."""
        sql = """SELECT * FROM current_observations
                 WHERE material_id = ? AND series = ? AND measure = ? AND year = ?"""
        parameters: list[object] = [material_id, series, measure, year]
        if qualifier is not None:
            sql += " AND qualifier = ?"
            parameters.append(qualifier)
        return records(self._con, sql + " ORDER BY file, line", parameters)

    def reserves(self, material_id: str, series: str) -> list[Row]:
        """Countries' reserves of the series, largest first (ties by ISO3)."""
        return records(
            self._con,
            """SELECT * FROM current_observations WHERE material_id = ? AND series = ? AND measure = 'reserves'
               AND entity = 'country' AND value IS NOT NULL ORDER BY value DESC, iso3""",
            [material_id, series],
        )

    def production_factor_to_base(self, material_id: str, series: str, year: int) -> float:
        """The factor from the production table's unit to its base unit (1 when the year has no rows)."""
        row = self._con.execute(
            """SELECT any_value(factor_to_base) FROM current_observations
               WHERE material_id = ? AND series = ? AND measure = 'production' AND year = ?""",
            [material_id, series, year],
        ).fetchone()
        return float(row[0]) if row and row[0] is not None else 1.0


@contextmanager
def open_catalog(data_dir: Path) -> Iterator[CatalogReader]:
    """A reader on the catalog of ``data_dir`` (built first if it does not exist yet)."""
    with connect(data_dir) as con:
        yield CatalogReader(con)
