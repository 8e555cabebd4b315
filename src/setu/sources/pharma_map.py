"""Build the pharmaceutical map at molecule level from ``data/maps/pharma/molecules.csv``.

The map covers the medicines both governments name: the 41 products of India's PLI scheme for bulk drugs
(Department of Pharmaceuticals, 2020: four target segments - I key fermentation-based KSMs/drug
intermediates, II fermentation-based niche KSMs/intermediates/APIs, III key chemical-synthesis KSMs/
intermediates, IV other chemical-synthesis KSMs/intermediates/APIs), the members of Japan's list of
stable-supply medicines, category A (MHLW, 2021) that the documents checked name (4 of its 21: cefazolin
sodium, ciclosporin, adrenaline, acetaminophen for rectal use; ``CATEGORY_A_FOUND``), and Japan's four
beta-lactam antibacterials designated specified critical materials (cefazolin, cefmetazole, ampicillin/
sulbactam, tazobactam/piperacillin), which MHLW counts among category A's 21 (so three more members are
inferred, not read in the list), each as a chain key starting material (KSM) -> intermediate -> API ->
finished dose. A listed product sits at its own
stage (penicillin G is a KSM, 7-ACA an intermediate, atorvastatin an API); the other stages of its chain are
named where the route is public (PAP -> paracetamol) and generic ("key starting materials of X") where it
is not. A route made in one step from its KSM (paracetamol from PAP, metformin from DCDA) has no separate
intermediate node, and its API says so.

No public document gives country shares of production for any of these molecules, so every molecule node
carries ``no_figure`` with its reason, and API nodes carry the FDA count of API-manufacturing sites for all
APIs only as a labelled ``proxy`` (never ranked). The cited figures are importer-level, on aggregate nodes:
China's share of India's bulk-drug imports (Lok Sabha), of Japan's API imports for generics (JGA), and of
the raw materials of Japan's four beta-lactam antibacterials ("almost 100 %", MHLW), the one figure that
names molecules; MHLW surveyed the raw-material sources of all 21 category A ingredients but publishes them
by ingredient for none (24 Jan 2025), so the other Japanese chain nodes say so in their ``no_figure``.
Each molecule's notes say where its list membership was read (document, issuer, date, address), and whether
that was checked.

Run ``python -m setu.sources.pharma_map CSV OUT.yaml`` to rebuild the bundled map.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from setu.errors import DataFormatError

SEGMENTS = {
    "I": "target segment I (key fermentation-based KSMs/drug intermediates)",
    "II": "target segment II (fermentation-based niche KSMs/drug intermediates/APIs)",
    "III": "target segment III (key chemical-synthesis-based KSMs/drug intermediates)",
    "IV": "target segment IV (other chemical-synthesis-based KSMs/drug intermediates/APIs)",
}
LISTS = {
    "IND-PLI": "India's PLI scheme for bulk drugs (Department of Pharmaceuticals, 2020), {segment}",
    "JPN-A": "Japan's stable-supply medicines, category A (MHLW, 2021)",
    "JPN-SCM": "Japan's specified critical materials (antibacterial preparations, Economic Security Promotion Act, "
    "designated Dec 2022)",
}
# Why a specified critical material is not counted in category A although it probably belongs to it.
INFERRED_A = ("It is one of the four beta-lactam antibacterials designated specified critical materials, which MHLW "
              "counts among the 21 ingredients of category A (stable-supply meeting, 24 Jan 2025, 資料1 pp.2, 4); "
              "its category A membership is therefore inferred, not read in the list, and not counted.")
# Japan's category A (MHLW, Mar 2021): how many ingredients it has, and how many the documents checked name.
CATEGORY_A_TOTAL = 21
CATEGORY_A_FOUND = 4
# Where each product's list membership was read (the `seen_in` column), with how far it was checked.
SEEN_IN = {
    "dop-press-2021": "Department of Pharmaceuticals press note of 22 Jan 2021 on approvals for penicillin G, "
    "7-ACA, erythromycin thiocyanate and clavulanic acid (read in a reprint)",
    "dop-press-2021b": "Department of Pharmaceuticals press note on wait-listed approvals (read in Medical "
    "Dialogues, 1 Jun 2021)",
    "dop-approvals-2021": "Ministry of Chemicals and Fertilizers approvals of 16 applicants under target segment IV "
    "(valsartan, losartan, levofloxacin, ofloxacin, levetiracetam and others; read in Medical Dialogues, 2021)",
    "ifci-portal": "the scheme portal of IFCI Ltd, its project management agency (plibulkdrugs.ifciltd.com)",
    "businesstoday-2020": "the 53 products of the scheme's notification of 2 Jun 2020 (Business Today, 3 Jun "
    "2020), before the guidelines' 41-product list",
    "dop-notice-2022": "a Department of Pharmaceuticals notice inviting applications for unfilled slots (read "
    "in a reprint)",
    "indianexpress-2021": "The Indian Express, 9 Feb 2021",
    "financialexpress-2026": "a Department of Pharmaceuticals notification re-opening applications (Financial "
    "Express, 23 Feb 2026)",
    "pib-2024": "the annexure of approved projects in a PIB release of 9 Aug 2024 (read in a reprint)",
    "not-seen": "not seen in a document checked for this map; membership as commonly reported for the "
    "scheme guidelines, to be confirmed in the guidelines' annex",
    "mhlw-draft-2021": "MHLW (Health Policy Bureau), draft list of stable-supply medicines (安定確保医薬品 案), "
    "published 26 Feb 2021 for comment until 12 Mar 2021, category A (最も優先して取り組みを行う, 21 "
    "ingredients); its table was not seen: the four named here were read in QLifePro, 1 Mar 2021 "
    "(https://qlifepro.com/news/20210301/medicine.html: 'セファゾリンナトリウム(セファゾリンナトリウム水和物)、"
    "シクロスポリン、アドレナリン、アセトアミノフェン(坐剤)など21品目') and Yakuji Nippo English edition "
    "(https://www.yakuji.co.jp/entry85191.html); the list adopted in Mar 2021 kept 21 in category A (MHLW, "
    "stable-supply meeting of 24 Jan 2025, 資料1 p.13)",
    "shionogi-2023": "Shionogi & Co. news release in Japanese of 31 Jul 2023 (its English version is dated 1 Aug "
    "2023): specified critical materials セファゾリンナトリウム and セフメタゾールナトリウム, supply plan certified by "
    "MHLW on 28 Jul 2023; the names were read in the Japanese release "
    "(https://www.shionogi.com/jp/ja/news/2023/7/20230731_7.html)",
    "yakuji-meiji": "Yakuji Nippo on Meiji Seika Pharma's certified supply plan "
    "(https://www.yakuji.co.jp/entry104222.html, date not shown in the text read): '特定重要物資に指定された抗菌薬4成分"
    "のうちアンピシリン・スルバクタム ... タゾバクタム・ピペラシリン'",
}
JAPANESE = {"JPN-A", "JPN-SCM"}

SOURCES: dict[str, dict[str, Any]] = {
    "fda-decrs-2025": {
        "source": "U.S. FDA, Drug Establishments Current Registration Site (DECRS) list, 2025: sites registering "
        "API MANUFACTURE, by country of the site address (counted by Setu from the bundled extract)",
        "year": 2025,
        "url": "https://www.accessdata.fda.gov/cder/drls_reg.zip",
    },
    "loksabha-2019": {
        "source": "Lok Sabha, reply of the Minister of Chemicals and Fertilizers, 9 Jul 2019, citing DGCI&S "
        "Kolkata (as reported by Business Standard / PTI, 9-10 Jul 2019)",
        "year": 2019,
        "confirmed": False,
    },
    "loksabha-2018": {
        "source": "Lok Sabha, written reply of the Minister of State for Chemicals and Fertilizers, 2018, "
        "Annexure A: raw materials for allopathic medicines imported in 2015 by country, share of value, from "
        "CDSCO port offices (read in a transcription of the reply)",
        "year": 2018,
        "confirmed": False,
    },
    "jga-2023": {
        "source": "Japan Generic Medicines Association, survey of API sourcing for generic medicines, 2023 (as "
        "reported by Nikkan Gendai)",
        "year": 2023,
        "confirmed": False,
    },
    "mhlw-2025-supply-chain": {
        "source": "MHLW, 医療用医薬品の安定確保策に関する関係者会議 (meeting on the stable supply of medicines), 19th "
        "meeting, 24 Jan 2025, 資料1 サプライチェーン調査について: p.12 (from the 7th meeting of 17 Mar 2023, 資料2-2) "
        "beta-lactam antibacterials, mostly injectables, depend on China for almost 100 % of their raw materials "
        "(raw materials, nucleus and side chains almost all from overseas; the API; formulation in Japan); p.4 of "
        "the 21 category A ingredients, the raw materials of the API come from a single country for 8, two "
        "countries for 5 and three or more for 8; China supplies at least part of them for 5 of the 8, among "
        "them the 4 beta-lactam antibacterials designated specified critical materials; names and sources are "
        "not published by ingredient (read in the MC plus "
        "text of the PDF pages, wic-net.com/material/document/18393/4 and /12)",
        "year": 2025,
        "table": "資料1, pp.4 and 12",
        "url": "https://www.mhlw.go.jp/stf/newpage_49702.html",
    },
    "shionogi-2023": {
        "source": "Shionogi & Co., Toward the Establishment of a Supply-Chain System to Secure a Stable Domestic "
        "Supply of Antibacterial Drugs, news release, English version of 1 Aug 2023 (the Japanese release is "
        "dated 31 Jul 2023): almost 100 % of the raw materials of beta-lactam antibacterials (cefazolin sodium "
        "among them) are imported; China is the largest supplier (read in the English version)",
        "year": 2023,
        "url": "https://www.shionogi.com/global/en/news/2023/8/20230801.html",
    },
}

FDA_PROXY: dict[str, Any] = {
    "year": 2025,
    "measure": "share of FDA-registered API-manufacturing sites, all APIs (site count, a proxy; not specific to "
    "this API)",
    "source": "fda-decrs-2025",
    "shares": {"USA": 0.2198, "IND": 0.2149, "CHN": 0.2035, "DEU": 0.0371, "ITA": 0.0367, "JPN": 0.0343,
               "FRA": 0.0265, "ESP": 0.0241, "GBR": 0.0184, "KOR": 0.0184, "CAN": 0.0175, "CHE": 0.0175,
               "IRL": 0.0139, "NLD": 0.0102, "MEX": 0.0094, "ISR": 0.0086, "DNK": 0.0082, "TWN": 0.0082},
    "others": {"41 other countries with fewer than 20 sites each": 0.0726, "address without an ISO3 code": 0.0004},
    "note": "2,452 sites. FDA testified on 30 Oct 2019 that 28 % of API sites supplying the U.S. were in the U.S. "
    "and 13 % in China (Aug 2019). A count of sites, not of output, for all APIs: not ranked.",
}

HS = {
    "para-aminophenol": "292229", "paracetamol-api": "292429", "paracetamol-tablets": "300490",
    "penicillin-g": "294110", "6-apa": "294110", "amoxicillin-api": "294110", "amoxicillin-capsules": "300410",
    "7-aca": "294190", "cefazolin-api": "294190", "cefazolin-injection": "300420",
}

# What the cited documents say about a node, beyond "no figure" (kept with the node's notes).
STATEMENTS = {
    "para-aminophenol": "PLI approvals for PAP went to Meghmani LLP and Sadhana Nitro Chem (Ministry of Chemicals "
    "and Fertilizers, Feb 2021).",
    "penicillin-g": "India's Ministry of Chemicals and Fertilizers said on 22 Jan 2021 that penicillin G, 7-ACA, "
    "erythromycin thiocyanate and clavulanic acid were then entirely imported, and approved PLI projects for "
    "15,000 t/y of penicillin G (Aurobindo, through Lyfius Pharma).",
    "7-aca": "India approved PLI projects for 7-ACA (Aurobindo 2,000 t/y; Karnataka Antibiotics & "
    "Pharmaceuticals 1,000 t/y; Ministry of Chemicals and Fertilizers, 22 Jan 2021).",
    "cefazolin-api": "Almost 100 % of the raw materials of beta-lactam antibacterials used in Japan, cefazolin "
    "sodium among them, are imported, China being the largest supplier (Shionogi news release, English version "
    "of 1 Aug 2023; Japanese release of 31 Jul 2023); "
    "the 2019 cefazolin shortage in Japan followed a plant failure in China.",
    "amoxicillin-api": "India's Ministry of Chemicals and Fertilizers said on 22 Jan 2021 that penicillin G, its "
    "key starting material, was then entirely imported (see penicillin-g).",
}

# Japan's beta-lactam antibacterials designated specified critical materials: their APIs take the raw materials
# whose origin MHLW gives (the aggregate node `beta-lactam-raw-materials-japan`).
BETA_LACTAM_APIS = ("cefazolin-api", "cefmetazole-api", "ampicillin-sulbactam-api", "tazobactam-piperacillin-api")
BETA_LACTAM_NOTE = ("One of Japan's four beta-lactam antibacterials designated specified critical materials: MHLW's "
                    "2024 survey counts it among the 8 category A ingredients whose API raw materials come from a "
                    "single country and among the 5 of those 8 in which China is involved in at least part of the "
                    "raw materials (MHLW, 24 Jan 2025, 資料1 p.4; no share is given by ingredient; see "
                    "beta-lactam-raw-materials-japan).")
PENICILLIN_NOTE = ("Yakuji Nippo (entry 104222) reports Meiji Seika Pharma's share of Japan's market as 79 % for "
                   "ampicillin/sulbactam and 49 % for tazobactam/piperacillin, and that the penicillin API both need is "
                   "held by overseas makers (company statement; not a country share).")
STATEMENTS["ampicillin-sulbactam-api"] = STATEMENTS["tazobactam-piperacillin-api"] = PENICILLIN_NOTE
# Piperacillin is ampicillin acylated at its amino group (its chemical name: (2S,5R,6R)-6-[(2R)-2-[(4-ethyl-2,3-
# dioxopiperazine-1-carbonyl)amino]-2-phenylacetamido]-3,3-dimethyl-7-oxo-4-thia-1-azabicyclo[3.2.0]heptane-2-
# carboxylic acid, the D-phenylglycyl side chain of ampicillin with the dioxopiperazine acyl on it).
PIPERACILLIN_ROUTE = ("Piperacillin is made by acylating ampicillin (itself made from 6-APA) with "
                      "4-ethyl-2,3-dioxopiperazine-1-carbonyl chloride, so its route runs 6-APA -> ampicillin -> "
                      "piperacillin; ampicillin is not a separate node here (the ampicillin/sulbactam API node is "
                      "a combination product), and tazobactam, made by a separate synthesis from 6-APA, is not "
                      "drawn either.")
CICLOSPORIN_ROUTE = ("Ciclosporin is a fermentation product (Tolypocladium inflatum): the API is extracted and "
                     "purified from the fermentation broth, so its chain has a fermentation stage and no chemical "
                     "KSM or drug-intermediate node.")
# Why a Japanese chain node has no country figure although MHLW surveyed it.
MHLW_WITHHELD = ("; MHLW surveyed the supply countries of the raw materials of all 21 category A ingredients (2024) "
                 "but does not publish them by ingredient (stable-supply meeting, 24 Jan 2025, 資料1 p.4)")

# The edges from the aggregate to the four APIs: the same materials as their 7-ACA / 6-APA inputs, as Japan buys them.
BETA_LACTAM_EDGE = ("Japan's sourcing of the same 7-ACA / 6-APA and side chains that the API's chain input stands "
                    "for (MHLW's figure); not an extra material")

# Finished-dose nodes that stand for more than their id says (kept so that scenarios on them keep their meaning).
FORMS = {"paracetamol-tablets": "Paracetamol finished doses (tablets; suppositories for rectal use)"}

STAGES = ("key starting material", "intermediate", "API", "finished dose")
PRODUCT_STAGE = {"KSM": "key starting material", "intermediate": "intermediate", "API": "API"}


@dataclass(frozen=True)
class Molecule:
    """One listed product and the chain it belongs to (ids of its KSM, intermediate, API and finished dose;
    ``intermediate`` is None for a one-step route)."""

    list: str
    segment: str
    product: str
    product_stage: str
    molecule: str
    chain: tuple[tuple[str, str], ...]  # (node id, name) per stage present, in stage order
    stages: tuple[str, ...]
    seen_in: str
    name_ja: str = ""  # the ingredient's name as Japan's list or the document gives it


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def read_molecules(path: Path) -> list[Molecule]:
    """The listed products with their chains; generic ids where the table names no specific material."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise DataFormatError(f"cannot read the molecule table: {error.strerror}", file=str(path)) from error
    result = []
    for line, row in enumerate(rows, start=2):
        if row["list"] not in LISTS or (row["list"] == "IND-PLI" and row["segment"] not in SEGMENTS):
            raise DataFormatError("unknown list or segment", file=str(path), line=line, field="list")
        if row["list"] in JAPANESE and not row.get("name_ja"):
            raise DataFormatError("a Japanese list member needs its Japanese name", file=str(path), line=line,
                                  field="name_ja")
        if row["seen_in"] not in SEEN_IN:
            raise DataFormatError(f"unknown seen_in {row['seen_in']!r}", file=str(path), line=line, field="seen_in")
        base = _slug(row["molecule"].split(" (")[0])
        title = row["molecule"][0].upper() + row["molecule"][1:]
        chain = [
            (row["ksm_id"] or f"{base}-ksm", row["ksm_name"] or f"Key starting materials of {row['molecule']}"),
            (row["intermediate_id"] or f"{base}-intermediates",
             row["intermediate_name"] or f"Drug intermediates of {row['molecule']}"),
            (row["api_id"] or f"{base}-api", row["api_name"] or f"{title} API"),
            (row["formulation_id"] or f"{base}-formulations",
             row["formulation_name"] or f"{title} finished doses"),
        ]
        stages = list(STAGES)
        if row["intermediate_id"] == "-":  # one-step route: no isolated intermediate
            del chain[1], stages[1]
        result.append(Molecule(row["list"], row["segment"], row["product"], row["product_stage"],
                               row["molecule"], tuple(chain), tuple(stages), row["seen_in"], row.get("name_ja") or ""))
    return result


def _lower(name: str) -> str:
    """'Para-aminophenol (PAP)' -> 'para-aminophenol (PAP)'; '2-MNI' and 'DCDA' stay as they are."""
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def _membership(molecule: Molecule) -> str:
    listed = LISTS[molecule.list].format(segment=SEGMENTS.get(molecule.segment, ""))
    article = "an" if molecule.product_stage in ("API", "intermediate") else "a"
    named = f"{molecule.product} ({molecule.name_ja})" if molecule.name_ja else molecule.product
    inferred = f" {INFERRED_A}" if molecule.list == "JPN-SCM" else ""
    return (f"{named} is on {listed} as {article} {molecule.product_stage}; list membership read in: "
            f"{SEEN_IN[molecule.seen_in]}.{inferred}")


def _short_name(name: str) -> str:
    """The name without a trailing qualifier after a comma outside brackets: '7-ACA (...), KSM of cephalosporins'
    -> '7-ACA (...)'. Commas inside a chemical name ('1,1-cyclohexane ...') or inside brackets ('(fermentation,
    crude)') are part of the name."""
    depth = 0
    for position, char in enumerate(name):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0 and name[position + 1:position + 2] == " ":
            return _lower(name[:position])
    return _lower(name)


def _no_figure(stage: str, name: str, japanese: bool = False) -> str:
    """The reason a molecule node has no figure; a node of a Japanese list member adds that MHLW holds the
    figures but withholds them by ingredient."""
    name = _short_name(name)
    withheld = MHLW_WITHHELD if japanese else ""
    if stage == "API":
        return (f"no molecule-level country shares of {name} production were found{withheld}; the FDA count of "
                "API-manufacturing sites covers all APIs and is shown only as a proxy")
    if stage == "finished dose":
        return "country shares of finished-dose production are not published"
    return f"no public country shares of {name} production were found{withheld}"


def build_document(path: Path) -> dict[str, Any]:
    """The pharmaceutical map as a plain dict in ``setu-map/1`` layout."""
    nodes: dict[str, dict[str, Any]] = {}
    notes: dict[str, list[str]] = {}
    edges: list[tuple[str, str]] = []
    molecules = read_molecules(path)
    japanese = {node_id for m in molecules if m.list in JAPANESE for node_id, _name in m.chain}
    for molecule in molecules:
        for position, ((node_id, name), stage) in enumerate(zip(molecule.chain, molecule.stages, strict=True)):
            if node_id not in nodes:
                node: dict[str, Any] = {
                    "id": node_id, "name": FORMS.get(node_id, name),
                    "kind": {"key starting material": "refined", "finished dose": "end-product"}.get(
                        stage, "intermediate"),
                    "stage": stage, "unit": "unit" if stage == "finished dose" else "t",
                }
                if node_id in HS:
                    node["hs"] = [{"code": HS[node_id], "revision": "HS2017"}]
                if stage == "API":
                    node["proxy"] = FDA_PROXY  # one object: the YAML writes it once and refers to it
                node["no_figure"] = _no_figure(stage, name, node_id in japanese)
                nodes[node_id] = node
                notes[node_id] = [STATEMENTS[node_id]] if node_id in STATEMENTS else []
            if stage == PRODUCT_STAGE[molecule.product_stage]:
                notes[node_id].append(_membership(molecule))
            if position:
                edge = (molecule.chain[position - 1][0], node_id)
                if edge not in edges:
                    edges.append(edge)
        if len(molecule.chain) == len(STAGES) - 1:
            notes[molecule.chain[1][0]].append(
                f"Made from {_short_name(molecule.chain[0][1])} in one step; the route has no isolated "
                "intermediate.")
    edges.append(("amoxicillin-api", "co-amoxiclav-tablets"))
    for node_id in BETA_LACTAM_APIS:
        notes[node_id].append(BETA_LACTAM_NOTE)
    notes["tazobactam-piperacillin-api"].append(PIPERACILLIN_ROUTE)
    notes["ciclosporin-fermentation"].insert(0, CICLOSPORIN_ROUTE)
    for node_id, node in nodes.items():
        if notes[node_id]:
            node["notes"] = " ".join(dict.fromkeys(notes[node_id]))
    aggregates = _aggregates()
    return {
        "format": "setu-map/1",
        "id": "pharmaceuticals",
        "name": "Essential medicines: India's PLI bulk drugs and Japan's stable-supply medicines",
        "sector": "pharmaceuticals",
        "version": "2026.1",
        "description": "The 41 products of India's PLI scheme for bulk drugs (four target segments, Department of "
        "Pharmaceuticals, 2020), the 4 of the 21 of Japan's category A stable-supply medicines named in the "
        "documents checked and Japan's four beta-lactam specified critical materials, each from key starting "
        "material to finished dose, with India's and Japan's import figures on aggregate nodes (the raw "
        "materials of the four beta-lactams: almost 100 % China, MHLW). No molecule has public country shares "
        "of production: each says so, and API nodes show the FDA all-API site count only as a proxy.",
        "sources": SOURCES,
        "nodes": [*nodes.values(), *aggregates],
        "edges": [{"input": a, "output": b, "substitutes": "no"} for a, b in edges] + [
            {"input": "bulk-drugs-india", "output": "formulations-india", "substitutes": "unknown"},
            {"input": "crude-api-japan", "output": "api-japan", "substitutes": "unknown"},
            {"input": "api-japan", "output": "generics-japan", "substitutes": "unknown"},
        ] + [{"input": "beta-lactam-raw-materials-japan", "output": api, "substitutes": "unknown",
              "note": BETA_LACTAM_EDGE} for api in BETA_LACTAM_APIS],
    }


def _aggregates() -> list[dict[str, Any]]:
    """India's and Japan's API imports for all products: the importer-level figures that exist."""
    return [
        {"id": "bulk-drugs-india", "name": "Bulk drugs and drug intermediates imported by India (all products)",
         "kind": "intermediate", "stage": "API", "unit": "USD",
         "imports": [{"importer": "IND", "year": 2019, "measure": "share of imports by value, FY2018-19",
                      "source": "loksabha-2019", "shares": {"CHN": 0.6756},
                      "note": "US$2,405.42m of US$3,560.35m; FY2017-18: 68.68 %.",
                      "history": [{"year": 2015, "measure": "share of imports of raw materials for allopathic "
                                   "medicines by value, 2015 (CDSCO port offices)", "source": "loksabha-2018",
                                   "shares": {"CHN": 0.6614, "ITA": 0.0479, "SGP": 0.0405, "FIN": 0.0381,
                                              "DNK": 0.0333, "CHE": 0.0243, "DEU": 0.0208, "ESP": 0.0187,
                                              "USA": 0.0182, "KOR": 0.0149}}]}]},
        {"id": "formulations-india", "name": "Finished formulations made in India (all products)",
         "kind": "end-product", "stage": "finished dose", "unit": "USD",
         "no_figure": "an aggregate node that receives India's bulk-drug imports; no country shares apply"},
        {"id": "crude-api-japan", "name": "Crude APIs imported for Japanese generic medicines",
         "kind": "intermediate", "stage": "intermediate", "unit": "JPY",
         "imports": [{"importer": "JPN", "year": 2023, "measure": "share of imports by value", "source": "jga-2023",
                      "shares": {"CHN": 0.631, "IND": 0.209, "KOR": 0.089}}]},
        {"id": "api-japan", "name": "Finished APIs imported for Japanese generic medicines",
         "kind": "intermediate", "stage": "API", "unit": "JPY",
         "imports": [{"importer": "JPN", "year": 2023, "measure": "share of imports by value", "source": "jga-2023",
                      "shares": {"CHN": 0.253, "ITA": 0.166, "KOR": 0.147, "IND": 0.138}}]},
        {"id": "generics-japan", "name": "Generic medicines sold in Japan (all products)",
         "kind": "end-product", "stage": "finished dose", "unit": "JPY",
         "no_figure": "an aggregate of all generics; no country shares of their manufacture are published",
         "notes": "MHLW's survey (Mar 2023, in a committee document of 31 Jul 2023) found that generics using "
         "imported APIs as they are made up 57.1 % of listed value in FY2021 (49.9 % in FY2019), and only 29.1 % "
         "used APIs made wholly in Japan (not confirmed in the primary document). MHLW's supply-chain survey of "
         "the 21 category A ingredients found the raw materials of the API coming from a single country for 8, "
         "from two for 5 and from three or more for 8 (stable-supply meeting, 24 Jan 2025, 資料1 p.4)."},
        {"id": "beta-lactam-raw-materials-japan",
         "name": "7-ACA, 6-APA and the other raw materials of the APIs of Japan's four beta-lactam specified "
         "critical materials, as sourced by Japan (nucleus, side chains and their starting materials)",
         "kind": "intermediate", "stage": "intermediate", "unit": "t",
         "imports": [{"importer": "JPN", "year": 2023, "measure": "share of the raw materials by supplying country "
                      "(a ministry's statement, \"almost 100 %\" from China, not a trade statistic)",
                      "source": "mhlw-2025-supply-chain",
                      "shares": {"CHN": {"share": 1.0, "bound": "upper", "as_written": "almost 100 % (ほぼ100%)"}},
                      "note": "Year: 2023 is the date of the meeting at which MHLW gave the figure (7th stable-supply "
                      "meeting, 17 Mar 2023, 資料2-2), reproduced on p.12 of the 19th meeting's 資料1 (24 Jan 2025); "
                      "the document does not date the data behind it, which is older than that meeting. "
                      "Recorded as 1.0 with an upper bound: China's share is at most 100 % and close to it. "
                      "The 2024 survey (p.4) counts 8 of the 21 category A ingredients whose API raw materials come "
                      "from a single country and China involved in at least part of the raw materials of 5 of those "
                      "8, the four beta-lactams among them; it gives no share by ingredient."}],
         "notes": "The same materials as the chains' 7-ACA and 6-APA nodes (and their side chains and starting "
         "materials), as sourced by Japan for cefazolin, cefmetazole, ampicillin/sulbactam and "
         "tazobactam/piperacillin, the four beta-lactam antibacterials designated specified critical materials "
         "(Economic Security Promotion Act, Dec 2022); MHLW counts them among category A's 21 (their membership is "
         "inferred here for three of them, not read in the list). It stays a node of its own, not a second "
         "material: the chains' 7-ACA and 6-APA nodes are world nodes shared with India's chains and carry no "
         "figure, while MHLW's figure is Japan's sourcing of all the raw materials of the four APIs together "
         "(nucleus, side chains, starting materials) and cannot be split by molecule; putting a Japan-only import "
         "share on the world nodes would give it to India's chains too. No figure is counted twice: the world "
         "nodes have none. In 2019 the supply of API from China stopped after a manufacturing problem and some "
         "hospitals postponed operations (MHLW, same p.12). One figure for these four molecules together, not one "
         "for each."},
    ]


def write_map(path: Path, out: Path) -> None:
    header = ("# Generated by `python -m setu.sources.pharma_map` from src/setu/data/maps/pharma/molecules.csv.\n"
              "# Do not edit by hand: edit the table or the module and rebuild.\n")
    text = yaml.safe_dump(build_document(path), sort_keys=False, allow_unicode=True, width=110)
    out.write_text(header + text, encoding="utf-8")


if __name__ == "__main__":
    write_map(Path(sys.argv[1]), Path(sys.argv[2]))
