"""Every bundled library entry and rule validates, cites an official document, and links to things that exist."""

from __future__ import annotations

from setu.policy.library import NOTICE, Relation
from setu.services.policy import bundled_library_files, bundled_rule_files, material_names


def test_list_sizes_match_the_official_documents(service):
    sizes = {c.id: len(c.entries) for c in service.library.lists}
    assert sizes["ind-critical-minerals-2023"] == 30  # Ministry of Mines (2023): 30 critical minerals
    assert sizes["ind-mmdr-part-d-2023"] == 24  # MMDR Act, First Schedule Part D
    assert sizes["eu-crma-strategic-2024"] == 17  # Regulation (EU) 2024/1252, Annex I
    assert sizes["eu-crma-critical-2024"] == 34  # Annex II
    assert sizes["usa-usgs-critical-minerals-2022"] == 50  # 87 FR 10381
    assert sizes["jpn-specified-critical-products"] == 16  # 11 (2022) + 1 (2024) + 4 (2025)


def test_every_entry_and_instrument_cites_an_official_document(service):
    for critical in service.library.lists:
        for entry in critical.entries:
            citation = entry.citation
            assert citation.title and citation.publisher and citation.date and citation.article, entry.id
    for instrument in service.library.instruments:
        assert instrument.citation.title and instrument.citation.article and instrument.body, instrument.id


def test_unconfirmed_entries_say_why(service):
    for critical in service.library.lists:
        for entry in critical.entries:
            if not entry.confirmed:
                assert entry.note or critical.note or entry.citation.note, (critical.id, entry.id)


def test_every_map_node_link_resolves_in_the_bundled_maps(service):
    assert service.node_problems() == []
    linked = {n for c in service.library.lists for e in c.entries for n in e.nodes}
    assert {"batteries:lithium-chemicals", "magnets:rare-earth-oxides", "ict:gallium"} <= linked


def test_material_links_are_catalog_slugs_and_hs_codes_carry_revisions(service):
    slugs = set(material_names())
    for critical in service.library.lists:
        for entry in critical.entries:
            assert {link.material for link in entry.materials} <= slugs
            assert all(len(code.code) == 6 and code.revision.startswith("HS") for code in entry.hs)


def test_india_list_links_the_expected_materials(service):
    india = service.library.critical_list("ind-critical-minerals-2023")
    assert india.entry("ree").materials[0].material == "rare-earths"
    assert india.entry("hafnium").materials[0].relation is Relation.PART
    assert india.entry("phosphorous").materials[0].relation is Relation.RELATED


def test_rules_cover_both_regimes_with_citations(service):
    ids = {regime.id for regime in service.regimes}
    assert ids == {"IND-FDI", "JPN-FEFTA"}
    for regime in service.regimes:
        for rule in regime.rules:
            assert rule.citation.title and rule.citation.article and rule.text, rule.id


def test_every_data_file_says_it_is_not_legal_advice():
    assert "not legal advice" in NOTICE
    for path in [*bundled_library_files(), *bundled_rule_files()]:
        assert "not legal advice" in path.read_text(encoding="utf-8"), path.name
