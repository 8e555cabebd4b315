"""JSON output is strict JSON: a figure that is not finite is written as null, never NaN or Infinity."""

from __future__ import annotations

import json
import math

from setu.services.documents.json_text import finite, json_text


def test_non_finite_floats_become_null_everywhere():
    value = {"share": math.nan, "rows": [{"value": math.inf}, {"value": -math.inf}, (1.5, math.nan)], "n": 3}
    assert finite(value) == {"share": None, "rows": [{"value": None}, {"value": None}, [1.5, None]], "n": 3}
    text = json_text(value)
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text, parse_constant=lambda name: (_ for _ in ()).throw(ValueError(name)))["n"] == 3
