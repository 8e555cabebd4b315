"""Use cases on the policy library and investment screening.

The service owns the I/O boundary: it finds the bundled library, vocabulary and rules (plus any user files),
loads the supply maps through ``MapService`` to check node links and to build the economic-security context,
and resolves user input (country names, sector names, HS codes, map nodes) into a ``Transaction`` for the pure
engine in ``setu.policy``. An optional ``concentration`` mapping (material -> ``MaterialConcentration``, e.g.
from the catalog's production shares) takes precedence over what the maps provide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from setu.domain.countries import CountryRegistry
from setu.domain.supply_map import SupplyMap
from setu.errors import UnknownNameError, ValidationError
from setu.maps import concentration as node_concentration
from setu.policy.compare import MaterialComparison, MaterialConcentration, compare_lists
from setu.policy.context import NodeContext, node_contexts
from setu.policy.library import NOTICE, Citation, Instrument, PolicyLibrary
from setu.policy.screening import NotApplicable, Regime, RegimeDecision, screen
from setu.policy.sectors import SectorVocabulary, closest, normalise
from setu.policy.transaction import Basis, BeneficialOwner, Transaction
from setu.reference import tables
from setu.services.maps import MapService, bundled_map_files
from setu.sources.policy import check_nodes, load_library, load_regime, load_sectors
from setu.sources.policy_yaml import read_yaml


def _data_folder(package: str) -> Path:
    return Path(str(resources.files(package)))


def bundled_library_files() -> list[Path]:
    return sorted(p for p in _data_folder("setu.data.policy").glob("*.yaml") if p.name != "sectors.yaml")


def bundled_rule_files() -> list[Path]:
    return sorted(_data_folder("setu.data.policy.screening").glob("*.yaml"))


def country_registry() -> CountryRegistry:
    return CountryRegistry(tables.country_table())


def material_names() -> dict[str, str]:
    return {slug: material.name for slug, material in tables.materials().materials.items()}


@dataclass(frozen=True)
class ScreeningReport:
    transaction: Transaction
    decisions: tuple[RegimeDecision, ...]
    not_applicable: tuple[NotApplicable, ...]
    context: tuple[NodeContext, ...]
    nodes: tuple[str, ...]
    instruments: tuple[Instrument, ...] = ()  # the target country's programmes touching the same nodes


@dataclass
class PolicyService:
    library_files: Sequence[Path] = field(default_factory=bundled_library_files)
    rule_files: Sequence[Path] = field(default_factory=bundled_rule_files)
    maps: MapService = field(default_factory=MapService)
    concentration: Mapping[str, MaterialConcentration] | None = None

    @cached_property
    def library(self) -> PolicyLibrary:
        return load_library(self.library_files)

    @cached_property
    def sectors(self) -> SectorVocabulary:
        return load_sectors(_data_folder("setu.data.policy") / "sectors.yaml")

    @cached_property
    def regimes(self) -> tuple[Regime, ...]:
        return tuple(load_regime(path, self.sectors.ids()) for path in self.rule_files)

    @cached_property
    def countries(self) -> CountryRegistry:
        return country_registry()

    @cached_property
    def supply_maps(self) -> dict[str, SupplyMap]:
        return {map_id: self.maps.load(map_id) for map_id in sorted(bundled_map_files())}

    # -- library ------------------------------------------------------------------------------------
    def node_problems(self) -> list[str]:
        """Links to map nodes that do not resolve (empty when every link resolves)."""
        refs = [(f"{c.source_file}: list {c.id}, entry {e.id}", n) for c in self.library.lists for e in c.entries
                for n in e.nodes]
        refs += [(f"{i.source_file}: instrument {i.id}", n) for i in self.library.instruments for n in i.nodes]
        refs += [(f"sectors.yaml: sector {s.id}", n) for s in self.sectors.sectors for n in s.nodes]

        def has_node(map_id: str, node_id: str) -> bool | None:
            supply_map = self.supply_maps.get(map_id)
            return None if supply_map is None else supply_map.has_node(node_id)

        return check_nodes(refs, has_node)

    def validate(self, path: Path) -> str:
        """Check a user's library or rules file; returns a one-line summary or raises a located error."""
        document, _file = read_yaml(path)
        fmt = document.get("format") if isinstance(document, dict) else None
        if fmt == "setu-screening/1":
            regime = load_regime(path, self.sectors.ids())
            return f"valid setu-screening/1 regime {regime.id!r} with {len(regime.rules)} rules"
        library = load_library([path])
        problems = check_nodes([(str(path), n) for c in library.lists for e in c.entries for n in e.nodes]
                               + [(str(path), n) for i in library.instruments for n in i.nodes],
                               lambda m, n: self.supply_maps[m].has_node(n) if m in self.supply_maps else None)
        if problems:
            raise ValidationError(problems[0])
        entries = sum(len(c.entries) for c in library.lists)
        return (f"valid setu-policy/1 file with {len(library.lists)} lists ({entries} entries) and "
                f"{len(library.instruments)} instruments")

    # -- screening ----------------------------------------------------------------------------------
    def country(self, name: str) -> str:
        """ISO3 for a code or name, any case, with hyphens or underscores for spaces ("south_korea")."""
        try:
            return self.countries.resolve(name)
        except UnknownNameError:
            spaced = normalise(name)
            if spaced == name.strip().casefold():
                raise
            return self.countries.resolve(spaced)

    def transaction(self, *, acquirer: str, target: str, owners: Iterable[str] = (), sectors: Iterable[str] = (),
                    hs: Iterable[str] = (), nodes: Iterable[str] = (), stake_pct: float, listed: bool,
                    day: dt.date, flags: Iterable[str] = ()) -> tuple[Transaction, tuple[str, ...]]:
        """Resolve user input into a transaction and the map nodes it concerns."""
        sector_ids = {self.sectors.resolve(name) for name in sectors}
        for code in hs:
            sector_ids.update(self.sectors.by_hs(code))
        node_refs = list(nodes)
        for ref in node_refs:
            sector_ids.update(self.sectors.by_node(ref))
        if not sector_ids:
            raise ValidationError("name the target's activity with --sector, --hs or --node")
        if not 0 <= stake_pct <= 100:
            raise ValidationError(f"stake {stake_pct} must be a percentage in 0-100")
        known_flags = {normalise(f): f for regime in self.regimes for f in regime.flags}
        resolved_flags = set()
        for flag in flags:
            if normalise(flag) not in known_flags:
                raise UnknownNameError("flag", flag, closest(flag, sorted(known_flags.values())))
            resolved_flags.add(known_flags[normalise(flag)])
        tx = Transaction(acquirer=self.country(acquirer), target=self.country(target), sectors=frozenset(sector_ids),
                         stake=stake_pct / 100, date=day, listed=listed,
                         owners=tuple(self.owner(text) for text in owners), flags=frozenset(resolved_flags))
        return tx, tuple(dict.fromkeys(node_refs + self.sectors.nodes_of(sector_ids)))

    def owner(self, text: str) -> BeneficialOwner:
        """``COUNTRY[:PCT][:control][:situated]``, e.g. ``CHN``, ``CHN:15``, ``China:30:control``."""
        parts = [p.strip() for p in text.split(":")]
        country, share, control, basis = self.country(parts[0]), None, False, Basis.CITIZEN
        for part in parts[1:]:
            if part.casefold() == "control":
                control = True
            elif part.casefold() in {"situated", "resident"}:
                basis = Basis.SITUATED
            else:
                try:
                    share = float(part.rstrip("%")) / 100
                except ValueError:
                    raise ValidationError(f"owner {text!r}: {part!r} is not a percentage, 'control' or 'situated'; "
                                          "write e.g. CHN:15:control") from None
                if not 0 <= share <= 1:
                    raise ValidationError(f"owner {text!r}: share {part} must be a percentage in 0-100")
        return BeneficialOwner(country, share, control, basis)

    def screen(self, tx: Transaction, nodes: Sequence[str] = ()) -> ScreeningReport:
        decisions, skipped = screen(self.regimes, tx)
        context = node_contexts(self.supply_maps, nodes, tx.acquirer, [o.country for o in tx.owners], self.library)
        wanted = set(nodes)
        instruments = tuple(i for i in self.library.instruments
                            if i.jurisdiction == tx.target and wanted & set(i.nodes)
                            and i.in_force.possibly_in_force(tx.date))
        return ScreeningReport(tx, tuple(decisions), tuple(skipped), tuple(context), tuple(nodes), instruments)

    # -- comparison ---------------------------------------------------------------------------------
    def material_concentration(self) -> dict[str, MaterialConcentration]:
        """Each material's most concentrated map node (by the node's own material or a list entry's link),
        overridden by the injected ``concentration``."""
        material_of: dict[str, set[str]] = {}
        for critical in self.library.lists:
            for entry in critical.entries:
                exact = [link.material for link in entry.materials if link.relation.value in {"exact", "part"}]
                for node in entry.nodes:
                    material_of.setdefault(node, set()).update(exact[:1] if len(exact) == 1 else [])
        found: dict[str, MaterialConcentration] = {}
        for map_id, supply_map in self.supply_maps.items():
            for node in supply_map.nodes:
                ref = f"{map_id}:{node.id}"
                slugs = ({node.material} if node.material else set()) | material_of.get(ref, set())
                conc = node_concentration(node.supply.shares) if node.supply is not None else None
                if conc is None:
                    continue
                for slug in slugs:
                    basis = f"{ref} ({node.supply.measure}, {node.supply.year}: {node.supply.citation.source})"
                    if slug not in found or conc.hhi > found[slug].hhi:
                        found[slug] = MaterialConcentration(conc.hhi, conc.top1_country, conc.top1_share, basis)
        found.update(self.concentration or {})
        return found

    def compare(self, first: str, second: str, day: dt.date) -> list[MaterialComparison]:
        jurisdictions = {c.jurisdiction for c in self.library.lists}
        resolved = []
        for code in (first, second):
            if code.upper() in jurisdictions:
                resolved.append(code.upper())
            else:
                iso3 = self.country(code)
                if iso3 not in jurisdictions:
                    raise UnknownNameError("jurisdiction with critical lists", code, sorted(jurisdictions))
                resolved.append(iso3)
        return compare_lists(self.library, resolved[0], resolved[1], day, material_names(),
                             self.material_concentration())


def citation_document(citation: Citation) -> dict[str, Any]:
    return {"title": citation.title, "number": citation.number, "publisher": citation.publisher,
            "date": str(citation.date), "article": citation.article, "url": citation.url,
            "confirmed": citation.confirmed, "note": citation.note}


def report_document(report: ScreeningReport) -> dict[str, Any]:
    """The JSON document of a screening: what `setu screen --json`, the /screen page and its twin show."""
    tx = report.transaction
    return {
        "transaction": {"acquirer": tx.acquirer, "owners": [{"country": o.country, "share": o.share,
                                                            "control": o.control, "basis": o.basis.value}
                                                           for o in tx.owners],
                        "target": tx.target, "sectors": sorted(tx.sectors), "stake": tx.stake, "listed": tx.listed,
                        "date": tx.date.isoformat(), "flags": sorted(tx.flags), "nodes": list(report.nodes)},
        "regimes": [{"regime": d.regime, "name": d.name, "requirement": d.outcome, "route": d.route,
                     "not_covered": list(d.not_covered),
                     "at_least": d.at_least.value if d.at_least is not None and d.requirement is None else None,
                     "basis": list(d.basis),
                     "rules": [{"id": f.id, "requirement": f.requirement.value, "text": f.text,
                                "facts": list(f.facts), "unconfirmed": f.unconfirmed, "readings": list(f.readings),
                                "citation": citation_document(f.citation)} for f in d.rules],
                     "would_change": [{"if": c.description, "requirement": c.requirement.value} for c in d.changes],
                     "caveats": list(d.caveats)} for d in report.decisions],
        "not_applicable": [{"regime": n.regime, "reason": n.reason} for n in report.not_applicable],
        "context": [{"node": c.node, "name": c.name, "hhi": c.hhi, "top_country": c.top_country,
                     "top_share": c.top_share, "acquirer_share": c.acquirer_share,
                     "owner_shares": dict(c.owner_shares), "essential_for": list(c.essential_for),
                     "chokepoint": c.chokepoint, "critical_list_entries": list(c.listed_in),
                     "supply_source": c.supply_source} for c in report.context],
        "instruments": [{"id": i.id, "name": i.name, "kind": i.kind.value, "body": i.body,
                         "in_force": str(i.in_force), "citation": citation_document(i.citation)} for i in report.instruments],
        "notice": NOTICE,
    }
