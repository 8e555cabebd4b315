"""The CEPII BACI extract bundled with Setu: every bilateral flow of 30 critical-material HS6 codes.

``setu/data/baci/baci_critical_materials_V202601.zip`` holds two files in BACI's own layout (``t,i,j,k,v,q``,
CEPII's numeric country codes; see ``data/baci/SOURCE.md`` and ``scripts/derive_baci_extract.py``):

* ``BACI_HS17_Y2024_V202601_critical.csv``: 2024, value (thousand USD) and quantity (tonnes), 21,723 flows;
* ``BACI_HS17_Y2022_V202601_critical.csv``: 2022, value only, 23,167 flows.

They are complete for their 30 products — every exporter, every importer — so shares and HHIs computed
from them equal those of the full BACI year. They are read by :mod:`setu.sources.baci`, the reader a user's
BACI download goes through, with the same validation. The 2002–2024 "top-6" history is a different thing
(partial by construction) and is read by :mod:`setu.sources.baci_history`, never into the trade catalog.

Attribution: CEPII BACI, Gaulier & Zignago 2010 (Etalab Open Licence 2.0).
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from setu.reference import tables

if TYPE_CHECKING:  # the reader (PyArrow) loads when the extract is read, not when its checksum is checked
    from setu.sources import baci

ARCHIVE = "baci_critical_materials_V202601.zip"
DATASET = "CEPII BACI extract (30 critical-material HS6 codes, every flow)"
EDITION = "V202601"
HS_REVISION = "HS2017"
ATTRIBUTION = "CEPII BACI, Gaulier & Zignago 2010; Etalab Open Licence 2.0"
MEMBER = re.compile(r"^BACI_HS17_Y(?P<year>\d{4})_V202601_critical\.csv$")


def archive_path() -> Path:
    return tables.data_path("baci", ARCHIVE)


@cache
def archive_sha256() -> str:
    return hashlib.sha256(archive_path().read_bytes()).hexdigest()


def files() -> list[baci.BaciFile]:
    """The bundled years, described as :func:`setu.sources.baci.describe` describes a user's file."""
    from setu.sources import baci
    from setu.sources.trade_csv import expand_inputs

    sources = expand_inputs([archive_path()], member=lambda name: bool(MEMBER.match(name)))
    return [baci.describe(source, hs_revision=HS_REVISION, year=int(MEMBER.match(source.name)["year"]),
                          edition=EDITION) for source in sources]
