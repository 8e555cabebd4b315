"""Strict JSON of a document: what every shell prints or stores (the CLI's ``--json``, stored answers).

JSON has no NaN or Infinity (``json`` would write them, and no JSON reader accepts them), and a figure that
is not finite is not known: it is written ``null``."""

from __future__ import annotations

import json
import math
from typing import Any


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float as None, through dicts, lists and tuples."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(item) for item in value]
    return value


def json_text(value: Any, **options: Any) -> str:
    """Strict JSON (no NaN or Infinity) of ``value``; values JSON has no type for are written as text."""
    return json.dumps(finite(value), allow_nan=False, **{"ensure_ascii": False, "default": str, **options})
