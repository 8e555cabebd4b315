"""Read the basket-code table (``data/watch/baskets.yaml``) into :class:`~setu.watch.baskets.Basket` records.

A malformed record raises :class:`~setu.errors.DataFormatError` naming the file and the field.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from setu.errors import DataFormatError
from setu.watch.baskets import Basket, FinerCode

FORMAT_VERSION = "setu-baskets/1"


def bundled_path() -> Path:
    return Path(str(resources.files("setu").joinpath("data", "watch", "baskets.yaml")))


@cache
def load_baskets() -> tuple[Basket, ...]:
    """The bundled basket records."""
    path = bundled_path()
    return parse_baskets(path.read_text(encoding="utf-8"), file=str(path))


def parse_baskets(text: str, *, file: str) -> tuple[Basket, ...]:
    document = yaml.safe_load(text) or {}
    if document.get("format") != FORMAT_VERSION:
        raise DataFormatError(f"expected format {FORMAT_VERSION!r}", file=file, field="format")
    baskets = []
    for index, record in enumerate(document.get("baskets") or []):
        where = f"baskets.{index}"
        try:
            source = record["source"]
            baskets.append(Basket(
                hs6=str(record["hs6"]), hs_revision=str(record["hs_revision"]),
                holds=tuple(record["holds"]), description=str(record["description"]),
                cannot_show=frozenset(record["cannot_show"]), evidence=str(record["evidence"]).strip(),
                source=f"{source['publisher']}, \"{source['title']}\", {source['date']}"
                + ("" if source.get("confirmed", True) else f" ({source['note']})"),
                finer_codes=tuple(FinerCode(str(f["code"]), str(f["what"])) for f in record.get("finer_codes") or []),
            ))
        except (KeyError, TypeError) as error:
            raise DataFormatError(f"missing or malformed {error}", file=file, field=where) from None
    return tuple(baskets)
