"""Read the reference catalog: the only place that knows its tables and writes SQL against them.

Services ask for what they need (a source's metadata, the series of a material, the observations of one
series, measure and year) and get plain rows back; they never see a connection or a query. Rows are
dictionaries keyed by the column names of ``setu.store.catalog.OBSERVATION_COLUMNS`` and the ``sources``,
``materials`` and ``build_info`` tables written by :func:`setu.store.catalog.build`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from setu.store.catalog import connect, records

Row = dict[str, object]
#: after file and line, what tells apart the observations one line of a file gives (so that order is stable)
_TIES = "measure, qualifier, year, series, country_name, entity, source_id"


class CatalogReader:
    """Queries on one open, read-only catalog connection."""

    def __init__(self, connection: duckdb.DuckDBPyConnection):
        self._con = connection
        self._rows: dict[str, list[Row]] = {}

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

    def _material(self, material_id: str) -> list[Row]:
        """Every current row of one material in file order (then ``_TIES``), read once per reader. A look-up asks several
        questions of one material (its series, latest year, one year's rows, reserves) and a ranking asks
        them of every material: one query each instead of four keeps a look-up in milliseconds."""
        if material_id not in self._rows:
            self._rows[material_id] = records(
                self._con, "SELECT * FROM current_observations WHERE material_id = ? ORDER BY file, line, " + _TIES,
                [material_id])
        return self._rows[material_id]

    def series_of(self, material_id: str) -> list[Row]:
        """The series of one material: stage, comparability, measures and the years with figures."""
        by_series: dict[str, list[Row]] = {}
        for row in self._material(material_id):
            by_series.setdefault(str(row["series"]), []).append(row)
        found = []
        for series in sorted(by_series):
            rows = by_series[series]
            stages = [r["stage"] for r in rows if r["stage"] is not None]
            flags = [bool(r["comparable"]) for r in rows if r["comparable"] is not None]
            years = sorted({r["year"] for r in rows if r["value"] is not None})
            found.append({"series": series, "stage": stages[0] if stages else None,
                          "comparable": all(flags) if flags else None,
                          "measures": sorted({str(r["measure"]) for r in rows if r["measure"] is not None}),
                          "years": years or None})
        return found

    def latest_year(self, material_id: str, series: str, measure: str) -> int | None:
        """The latest year with a country figure for the series and measure (None when there is none)."""
        years = [r["year"] for r in self._material(material_id)
                 if r["series"] == series and r["measure"] == measure and r["value"] is not None
                 and r["entity"] == "country"]
        return int(max(years)) if years else None  # type: ignore[call-overload]

    def observations(self, material_id: str, series: str, measure: str, year: int,
                     qualifier: str | None = None) -> list[Row]:
        """The current (latest-edition) rows of one series, measure and year, in file order."""
        return [dict(r) for r in self._material(material_id)
                if r["series"] == series and r["measure"] == measure and r["year"] == year
                and (qualifier is None or r["qualifier"] == qualifier)]

    def reserves(self, material_id: str, series: str) -> list[Row]:
        """Countries' reserves of the series, largest first (ties by ISO3)."""
        rows = [dict(r) for r in self._material(material_id)
                if r["series"] == series and r["measure"] == "reserves" and r["entity"] == "country"
                and r["value"] is not None]
        return sorted(rows, key=lambda r: (-float(r["value"]), str(r["iso3"])))  # type: ignore[arg-type]

    def production_factor_to_base(self, material_id: str, series: str, year: int) -> float:
        """The factor from the production table's unit to its base unit (1 when the year has no rows)."""
        for r in self._material(material_id):
            if (r["series"] == series and r["measure"] == "production" and r["year"] == year
                    and r["factor_to_base"] is not None):
                return float(r["factor_to_base"])  # type: ignore[arg-type]
        return 1.0


@contextmanager
def open_catalog(data_dir: Path) -> Iterator[CatalogReader]:
    """A reader on the catalog of ``data_dir`` (built first if it does not exist yet)."""
    with connect(data_dir) as con:
        yield CatalogReader(con)
