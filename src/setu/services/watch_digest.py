"""`setu watch digest` answered from the data directory when the same question was asked of the same inputs.

A digest replays every detector over every series for the period's months (seasonal fits, change points,
share shifts; numpy, pandas, ruptures, statsmodels): seconds of work whose answer depends only on the flows
file, the register's files, the bundled reference tables, the code and the options. It is kept in the
derived store (:mod:`setu.store.derived`) under a key of all of these and read back without importing any
detector. The no-hindsight rule is untouched: what is stored is exactly what
:func:`setu.services.watch.digest` computes (the scan cuts the flows at the period's last month, every alert
from the data up to its own month), and any change to the flows file, before or after that month, is
another key, so a stored digest is never reused for other data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from setu.errors import InputError
from setu.sources.watch_files import bundled_register_paths, bundled_series_path, expand
from setu.store import derived

NAMESPACE = "watch-digest"
#: the code a digest is computed by (see :func:`setu.store.derived.key`)
CODE = derived.ALL_CODE


def inputs(file: Path | None, registers: Sequence[Path]) -> list[Path]:
    """Every file a digest reads: the flows, the bundled and the user's measures files, the reference tables."""
    return [file if file is not None else bundled_series_path(), *bundled_register_paths(), *expand(registers),
            *derived.bundled_files(["reference"])]


def digest(
    data_dir: Path | None, *, last_month: str, months: int = 3, file: Path | None = None,
    registers: Sequence[Path] = (), html: bool = False, near_measures_only: bool = True, as_json: bool = False,
    limit: int = 10,
) -> str:
    """The digest text of :func:`setu.services.watch.digest`, from the store when it holds this question on
    these inputs, else computed and stored (``data_dir=None``: computed, not stored)."""
    if months < 1:
        raise InputError("--months must be at least 1")
    options = {"last_month": last_month, "months": months, "html": html, "near_measures_only": near_measures_only,
               "as_json": as_json, "limit": limit, "file": None if file is None else str(file),
               "registers": [str(r) for r in registers]}
    def entry() -> str:
        return derived.key(NAMESPACE, inputs=inputs(file, registers), code=CODE, parameters=options)

    def compute() -> str:
        from setu.services import watch

        return watch.digest(last_month=last_month, months=months, file=file, registers=registers, html=html,
                            near_measures_only=near_measures_only, as_json=as_json, limit=limit)

    return derived.cached(data_dir, NAMESPACE, entry, compute)


def parse_month(text: str | None, *, option: str) -> str | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:7] + "-01").isoformat()[:7]
    except ValueError:
        raise InputError(f"{option}: expected a month as YYYY-MM, got {text!r}") from None
