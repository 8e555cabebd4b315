"""Trade use cases: import files into the catalog, and answer dependence and concentration questions.

The service resolves names (countries by ISO3 or name with CEPII's table; HS codes padded to six
characters), picks the dataset (source, year, HS revision) from the catalog's manifest, builds the
analytic from :mod:`setu.metrics.trade` and has the chosen engine execute it. Results are plain
dataclasses that name their source, edition and HS revision, ready for the CLI to render.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import json
import os
import re
from typing import TYPE_CHECKING

from setu.domain.trade_figures import TradeFigures
from setu.errors import NotFoundError, ValidationError
from setu.metrics import trade_questions as questions
from setu.settings import Settings
from setu.sources import trade_codes
from setu.store.spark import check_catalog_url, check_master
from setu.store.trade import Dataset, ImportedPart, InputRecord, TradeCatalog, TradeEngine

if TYPE_CHECKING:
    from setu.sources import baci

# Ibis, PyArrow and the file readers load where a path needs them (imports, Spark, HS conversion, the
# questions not yet compiled): the everyday DuckDB answers run compiled SQL (setu.store.trade_sql).
BACI_SOURCE = "baci"  # setu.sources.baci.SOURCE
BUNDLE_ATTRIBUTION = "CEPII BACI, Gaulier & Zignago 2010; Etalab Open Licence 2.0"  # setu.sources.baci_bundle

ProgressCallback = Callable[[str, int, int], None]  # (file name, bytes read, total bytes)
BUNDLE_MARKER = "bundled.json"


@dataclass(frozen=True)
class SourceInfo:
    """Which data a figure comes from."""

    source: str
    dataset: str
    edition: str
    hs_revision: str
    years: tuple[int, ...]
    files: tuple[str, ...]
    converted_to: str | None = None  # HS revision the figures were converted to (UNSD conversion table)
    bundled: bool = False  # the extract bundled with Setu (30 critical-material HS6 codes)
    attribution: str | None = None

    @classmethod
    def of(cls, datasets: Sequence[Dataset], converted_to: str | None = None) -> SourceInfo:
        first = datasets[0]
        return cls(first.source, first.dataset, ", ".join(sorted({d.edition for d in datasets})),
                   first.hs_revision, tuple(sorted({d.year for d in datasets})),
                   tuple(sorted({i.name for d in datasets for i in d.inputs})), converted_to,
                   bundled=all(d.bundled for d in datasets),
                   attribution=BUNDLE_ATTRIBUTION if first.source == BACI_SOURCE else None)


@dataclass(frozen=True)
class Supplier:
    country: str
    name: str
    value: float
    share: float


@dataclass(frozen=True)
class Dependence:
    importer: str
    product: str
    year: int
    total_value: float
    hhi: float | None
    suppliers: list[Supplier]
    source: SourceInfo
    group: list[str] = field(default_factory=list)
    group_value: float | None = None
    group_share: float | None = None
    supplier_count: int = 0
    unit: str = "USD"


@dataclass(frozen=True)
class Table:
    """A result table with its source: rows as dicts, columns in display order."""

    columns: list[str]
    rows: list[dict]
    source: SourceInfo


def normalise_product(product: str) -> str:
    try:
        return trade_codes.normalise_hs6(product)
    except ValidationError as error:
        raise ValidationError(f"{error}; give the product as an HS6 code such as 811292") from None


class TradeService:
    def __init__(self, settings: Settings, *, engine: str | None = None, spark_master: str | None = None,
                 compiled: bool = True):
        self.settings = settings
        self.compiled = compiled  # DuckDB: compiled SQL (False: Ibis at question time, as Spark)
        self.catalog = TradeCatalog(settings.trade_dir)
        self.engine_name = engine or settings.engine
        self.spark_master = spark_master or settings.spark_master
        if self.engine_name == "spark":  # a bad address is refused at once (exit 2), before any data is read
            check_master(self.spark_master)
            check_catalog_url(settings.spark_catalog_url)
        self._engine: TradeEngine | None = None
        self.catalog.clean()  # what a killed import left (skipped while another import runs)
        self.countries = trade_codes.baci_country_codes()

    @property
    def engine(self) -> TradeEngine:
        if self._engine is None:
            self._engine = TradeEngine(self.catalog, self.engine_name, self.spark_master,
                                       spark_catalog_url=self.settings.spark_catalog_url,
                                       spark_timeout_s=self.settings.spark_timeout_s, compiled=self.compiled)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()

    # -- imports ---------------------------------------------------------------------------------
    def import_baci(self, paths: Sequence[Path], *, hs_revision: str | None = None, year: int | None = None,
                    edition: str | None = None, on_progress: ProgressCallback | None = None) -> list[Dataset]:
        """Import BACI yearly CSVs (or zips of them); all or nothing (the bundled extract loads on the
        first question instead, so that a failed import leaves the catalog exactly as it was)."""
        from setu.sources import baci
        from setu.sources.trade_csv import expand_inputs

        files = [baci.describe(source, hs_revision=hs_revision, year=year, edition=edition)
                 for source in expand_inputs(list(paths), member=lambda name: bool(baci.FILE_NAME.match(name)))]
        return self._write_baci(files, on_progress=on_progress)

    def ensure_bundled(self) -> list[Dataset]:
        """Load the bundled BACI extract into the catalog once (first run), through the BACI importer.

        A marker (``bundled.json``: the archive's sha256) records the load, so later runs cost one small
        file read. Years the user has imported themselves are never replaced by the extract; a newer
        extract (another archive checksum) replaces only the partitions the bundle loaded.
        """
        if not self.settings.bundled_trade:
            return []
        from setu.sources import baci_bundle

        marker = self.catalog.root / BUNDLE_MARKER
        digest = baci_bundle.archive_sha256()
        if _marked(marker, digest):
            return []
        # the server's warm-up and a first request may both arrive here (threads), or two servers (processes)
        with self.catalog.once_lock():
            if _marked(marker, digest):
                return []
            return self._load_bundled(marker, digest)

    def _load_bundled(self, marker: Path, digest: str) -> list[Dataset]:
        # a shortcut only (no need to read years the user holds): the catalog decides again under its writer
        # lock, where an import that lands between this line and the write is seen
        from setu.sources import baci, baci_bundle

        held = {d.key: d for d in self.catalog.datasets()}
        files = [f for f in baci_bundle.files()
                 if held.get((baci.SOURCE, f.hs_revision, f.year, None)) is None
                 or held[(baci.SOURCE, f.hs_revision, f.year, None)].bundled]
        datasets = self._write_baci(files, dataset=baci_bundle.DATASET, bundled=True) if files else []
        self.catalog.root.mkdir(parents=True, exist_ok=True)
        temporary = marker.with_name(f".{marker.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"archive": baci_bundle.ARCHIVE, "sha256": digest,
                                         "years": [d.year for d in datasets]}), encoding="utf-8")
        os.replace(temporary, marker)
        return datasets

    def _write_baci(self, files: list[baci.BaciFile], *, dataset: str | None = None, bundled: bool = False,
                    on_progress: ProgressCallback | None = None) -> list[Dataset]:
        from setu.sources import baci
        from setu.sources.trade_csv import sha256_of

        dataset = dataset or baci.DATASET
        seen: dict[tuple[str, int], str] = {}
        for file in files:
            key = (file.hs_revision, file.year)
            if key in seen:
                raise ValidationError(f"{seen[key]} and {file.source.display_name} are both BACI {key[0]} {key[1]}; "
                                      "import one of them")
            seen[key] = file.source.display_name

        def parts():
            for file in files:
                record = InputRecord(file.source.name, sha256_of(file.source))
                part = ImportedPart(baci.SOURCE, dataset, file.edition, file.hs_revision, (record,), keyed=True,
                                    bundled=bundled)
                yield part, baci.read(file, _bind(on_progress, file.source.name))

        return self.catalog.write_import(parts())

    def import_comtrade(self, paths: Sequence[Path], *, hs_revision: str | None = None,
                        edition: str | None = None, on_progress: ProgressCallback | None = None) -> list[Dataset]:
        """Import UN Comtrade bulk CSVs (or zips of them); all or nothing."""
        from setu.sources import comtrade
        from setu.sources.trade_csv import expand_inputs, sha256_of

        sources = expand_inputs(list(paths))

        def parts():
            for source in sources:
                file = comtrade.describe(source, hs_revision=hs_revision, edition=edition)
                digest = sha256_of(source)
                for revision in file.revisions:  # a download mixes H5 (to 2021) and H6 (from 2022) years
                    skipped: dict[str, int] = {}
                    record = InputRecord(source.name, digest, skipped_rows=skipped)
                    part = ImportedPart(comtrade.SOURCE, comtrade.DATASET, file.edition, revision, (record,),
                                        accumulate=True)
                    yield part, comtrade.read(file, skipped, _bind(on_progress, source.name), revision)

        return self.catalog.write_import(parts())

    def sources(self) -> list[Dataset]:
        self.ensure_bundled()
        return self.catalog.datasets()

    # -- questions -------------------------------------------------------------------------------
    def choose(self, *, year: int | None, source: str | None, hs_revision: str | None, flow: str = "M",
               as_hs: str | None = None):
        """The datasets a question reads, their source info, and the converted flows (an Ibis table) where
        ``as_hs`` differs from their revision, else None: ask with :meth:`ask`."""
        self.ensure_bundled()
        datasets = self.catalog.select(source=source, year=year, hs_revision=hs_revision)
        target = trade_codes.hs_revision(as_hs) if as_hs else None
        if target is not None and target != datasets[0].hs_revision:
            from setu.metrics import trade as metrics

            flows = metrics.as_reported(self.engine.flows(datasets), flow)
            return datasets, SourceInfo.of(datasets, target), self.convert(flows, datasets[0].hs_revision, target)
        return datasets, SourceInfo.of(datasets), None

    def ask(self, question, datasets: list[Dataset], converted=None, *, flow: str = "M", **params) -> list[dict]:
        """Rows of one question of :mod:`setu.metrics.trade_questions` over ``datasets`` (see :meth:`choose`)."""
        return self.engine.ask(question, datasets, flow=flow, flows=converted, **params).to_pylist()

    def flows(self, *, year: int | None, source: str | None, hs_revision: str | None, flow: str = "M",
               as_hs: str | None = None):
        """The chosen datasets' flows, converted to ``as_hs`` when that differs from their revision."""
        from setu.metrics import trade as metrics

        self.ensure_bundled()
        datasets = self.catalog.select(source=source, year=year, hs_revision=hs_revision)
        flows = metrics.as_reported(self.engine.flows(datasets), flow)
        target = trade_codes.hs_revision(as_hs) if as_hs else None
        if target is not None and target != datasets[0].hs_revision:
            flows = self.convert(flows, datasets[0].hs_revision, target)
            return flows, datasets, SourceInfo.of(datasets, target)
        return flows, datasets, SourceInfo.of(datasets)

    def dependence(self, importer: str, product: str, *, year: int | None = None, source: str | None = None,
                   hs_revision: str | None = None, group: Sequence[str] = (), top: int | None = None,
                   as_hs: str | None = None) -> Dependence:
        """A country's imports of one product: suppliers' values and shares, HHI, share from a group."""
        iso3 = self.countries.resolve(importer)
        code = normalise_product(product)
        members = [self.countries.resolve(member) for member in group]
        datasets, info, converted = self.choose(year=year, source=source, hs_revision=hs_revision, as_hs=as_hs)
        chosen_year = datasets[0].year
        rows = self.ask(questions.dependence, datasets, converted, importer=iso3, product=code, year=chosen_year,
                        group=members)
        if not rows:
            hint = ("; the bundled extract holds 30 critical-material HS6 codes (`setu trade sources`): "
                    "import a full BACI year for others") if datasets[0].bundled else ""
            raise NotFoundError(f"no imports of {code} by {iso3} in {chosen_year} in "
                                f"{datasets[0].dataset} {datasets[0].hs_revision}{hint}")
        first = rows[0]
        suppliers = [Supplier(r["exporter"], self.countries.name_of(r["exporter"]), r["value_usd"], r["share"])
                     for r in rows]
        return Dependence(iso3, code, chosen_year, first["total_value_usd"], first["hhi"],
                          suppliers[:top] if top else suppliers, info, members,
                          first["group_value_usd"] if members else None, first["group_share"] if members else None,
                          supplier_count=first["supplier_count"])

    def unit_values(self, importer: str, product: str, *, year: int, source: str | None = None,
                    hs_revision: str | None = None, as_hs: str | None = None) -> dict:
        """The unit-value screen of one importer's suppliers of one product (:mod:`setu.metrics.unit_values`):
        the product's world median USD/kg that year and, per supplier with a quantity, its tonnes, unit
        value and, where flagged, why. Kept apart from :meth:`dependence` (whose figures every engine must
        return identically) because it reads logs and medians."""
        from setu.metrics import unit_values

        from setu.reference import concordance

        iso3 = self.countries.resolve(importer)
        code = normalise_product(product)
        basket = any(link.basket for link in concordance.links() if link.hs6 == code)
        datasets, _info, converted = self.choose(year=year, source=source, hs_revision=hs_revision, as_hs=as_hs)
        # the engines return the flows in no order: listed by importer and exporter, so every path prints one text
        rows = sorted(self.ask(questions.product_unit_values, datasets, converted, product=code, year=year),
                      key=lambda r: (r["importer"], r["exporter"]))
        if basket:  # goods of unlike prices under one code: values shown, nothing screened or flagged
            rows = [{**r, "screened": False, "flagged": False} for r in rows]
        first = rows[0] if rows else None
        median = first["world_median_usd_per_kg"] if first else None
        return {
            "product": code, "year": year,
            # a median of logs taken back to USD/kg: to 1e-9, so engines that sum in another order print one figure
            "world_median_usd_per_kg": None if median is None else round(median, 9),
            "quantified_flows": first["product_flows"] if first else 0,
            "screened": bool(first and first["screened"]),
            "basket": basket,
            "suppliers": {r["exporter"]: {"tonnes": r["quantity_tonnes"], "unit_value_usd_per_kg":
                                          None if r["unit_value_usd_per_kg"] is None else round(r["unit_value_usd_per_kg"], 9),
                                          "flagged": r["flagged"],
                                          "reason": unit_values.reason(r) if r["flagged"] else None}
                          for r in rows if r["importer"] == iso3},
        }

    def import_figures(self, importer: str, product: str, *, year: int, source: str | None = None) -> TradeFigures:
        """One importer's tonnes of one product in one year and each supplier's share of those tonnes, for a
        scenario baseline (annual/12). Flows without a reported quantity are left out; the share of the import
        value they carry is returned so that the baseline can say so."""
        iso3 = self.countries.resolve(importer)
        code = normalise_product(product)
        datasets, info, converted = self.choose(year=year, source=source, hs_revision=None)
        rows = [r for r in self.ask(questions.importer_suppliers, datasets, converted, importer=iso3, year=year)
                if r["product"] == code]
        if not rows:
            raise NotFoundError(f"no imports of {code} by {iso3} in {year} in {info.dataset} {info.hs_revision}")
        tonnes = {r["exporter"]: float(r["quantity_tonnes"]) for r in rows
                  if r["quantity_tonnes"] is not None and r["quantity_tonnes"] > 0}
        total = sum(tonnes.values())
        value = sum(r["value_usd"] for r in rows)
        without = sum(r["value_usd"] for r in rows if r["exporter"] not in tonnes)
        shares = tuple(sorted(((c, q / total) for c, q in tonnes.items()), key=lambda p: (-p[1], p[0]))) if total else ()
        from setu.domain.supply_map import Citation

        name = f"{info.dataset} {info.hs_revision} {info.edition}"
        release = re.search(r"V(\d{4})\d{2}", info.edition)  # BACI releases are named V<year><month>
        citation = Citation(name + (f"; {info.attribution}" if info.attribution else ""),
                            int(release.group(1)) if release else year,
                            f"imports of HS {code} by {iso3}, {year}, tonnes by supplier")
        return TradeFigures(iso3, code, year, total, shares, citation, without / value if value else 0.0)

    def exporters(self, product: str, *, year: int | None = None, source: str | None = None,
                  hs_revision: str | None = None, top: int | None = None, as_hs: str | None = None) -> Table:
        """Exporters' world market shares of one product."""
        from setu.metrics import trade as metrics

        code = normalise_product(product)
        flows, datasets, info = self.flows(year=year, source=source, hs_revision=hs_revision, as_hs=as_hs)
        shares = metrics.exporter_shares(flows, code, datasets[0].year)
        if top:
            shares = shares.filter(shares["rank"] < top)
        rows = self.engine.execute(shares.select("product", "year", "exporter", "value_usd", "share")).to_pylist()
        return Table(["product", "year", "exporter", "value_usd", "share"], rows, info)

    def import_concentration(self, *, year: int | None = None, source: str | None = None,
                             hs_revision: str | None = None, as_hs: str | None = None):
        """The (unexecuted) import concentration of every (importer, product) pair, and its source."""
        from setu.metrics import trade as metrics

        flows, datasets, info = self.flows(year=year, source=source, hs_revision=hs_revision, as_hs=as_hs)
        keyed = len(datasets) == 1 and datasets[0].keyed and info.converted_to is None
        return metrics.import_concentration(flows, keyed=keyed), info

    def concentration(self, *, year: int | None = None, importer: str | None = None, product: str | None = None,
                      source: str | None = None, hs_revision: str | None = None, min_hhi: float | None = None,
                      limit: int | None = None, as_hs: str | None = None) -> Table:
        """Import concentration of every (importer, product) pair, most concentrated first."""
        result, info = self.import_concentration(year=year, source=source, hs_revision=hs_revision, as_hs=as_hs)
        if importer is not None:
            result = result.filter(result.importer == self.countries.resolve(importer))
        if product is not None:
            result = result.filter(result["product"] == normalise_product(product))
        if min_hhi is not None:
            result = result.filter(result.hhi >= min_hhi)
        result = result.order_by([result.hhi.desc(), result.total_value_usd.desc(), "importer", "product"])
        if limit:
            result = result.limit(limit)
        columns = ["importer", "product", "year", "total_value_usd", "supplier_count", "hhi", "top_supplier",
                   "top_share"]
        return Table(columns, self.engine.execute(result.select(columns)).to_pylist(), info)

    def monthly(self, product: str, *, exporter: str | None = None, importer: str | None = None,
                source: str = "comtrade", flow: str = "M") -> Table:
        """Monthly value and quantity of a product, optionally for one partner pair."""
        from setu.metrics import trade as metrics

        code = normalise_product(product)
        datasets = [d for d in self.catalog.datasets() if d.source == source and d.month is not None]
        if not datasets:
            raise NotFoundError(f"no monthly {source} data in the catalog")
        flows = metrics.as_reported(self.engine.flows(datasets), flow)
        series = metrics.monthly_series(flows, code,
                                        exporter=self.countries.resolve(exporter) if exporter else None,
                                        importer=self.countries.resolve(importer) if importer else None)
        return Table(["year", "month", "value_usd", "quantity_tonnes"],
                     self.engine.execute(series).to_pylist(), SourceInfo.of(datasets))

    def history(self, importer: str, product: str, *, top: int = 3) -> dict:
        """The bundled 2002–2024 top-6 history of one importer's suppliers: a PARTIAL series, with coverage.

        Per year: the value of the *listed* flows (never called a total), the largest suppliers and their
        shares of the listed value, and the coverage (listed / complete imports) wherever the catalog holds a
        complete year (the bundled 2022 and 2024, or the user's own BACI years).
        """
        from setu.metrics import trade as metrics
        from setu.sources import baci_bundle, baci_history

        iso3 = self.countries.resolve(importer)
        code = normalise_product(product)
        flows = self.engine.table(baci_history.read())
        rows = self.engine.execute(metrics.supplier_shares_by_year(flows, iso3, code)).to_pylist()
        if not rows:
            raise NotFoundError(f"the bundled history lists no imports of {code} by {iso3} (it covers the "
                                f"extract's 30 HS6 title codes; partial by construction)")
        complete: dict[int, float] = {}
        self.ensure_bundled()
        for year in sorted({r["year"] for r in rows}):
            try:
                complete[year] = self.dependence(iso3, code, year=year).total_value
            except NotFoundError:
                continue
        years = []
        for year in sorted({r["year"] for r in rows}):
            listed = [r for r in rows if r["year"] == year]
            value = listed[0]["total_value_usd"]
            years.append({
                "year": year, "listed_value_usd": value, "listed_suppliers": len(listed),
                "top_suppliers": [{"country": r["exporter"], "share_of_listed": r["share"]} for r in listed[:top]],
                "complete_value_usd": complete.get(year),
                "coverage": value / complete[year] if complete.get(year) else None,
            })
        return {"importer": iso3, "product": code, "series": "partial", "complete": False,
                "coverage_note": baci_history.COVERAGE_NOTE, "years": years,
                "source": {"dataset": "CEPII BACI V202601 top-6 history (HS 2002 to 2016, HS 2017 from 2017)",
                           "attribution": baci_bundle.ATTRIBUTION}}

    def convert(self, flows, source_revision: str, target_revision: str):
        """Flows re-expressed in ``target_revision`` through UNSD's bundled conversion table."""
        import pyarrow as pa

        from setu.metrics import trade as metrics

        mapping = trade_codes.hs_conversion(source_revision, target_revision)
        concordance = self.engine.table(pa.table({"source_code": list(mapping), "target_code": list(mapping.values())}))
        return metrics.convert_hs(flows, concordance)


def _marked(marker: Path, digest: str) -> bool:
    """Whether the bundle marker records this archive checksum (the extract is loaded)."""
    try:
        return json.loads(marker.read_text(encoding="utf-8")).get("sha256") == digest
    except (OSError, json.JSONDecodeError):
        return False


def _bind(on_progress: ProgressCallback | None, name: str):
    if on_progress is None:
        return None
    return lambda done, total: on_progress(name, done, total)
