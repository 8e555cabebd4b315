"""The main parameters of a bundled scenario as form fields that live in the URL.

A bundled ``setu-scenario/1`` file states each restriction (the share cut, the month it starts, how long it
lasts) and each response (stockpiles in days, partners' spare capacity and recycling in units a month). The
scenario page shows them as fields of a GET form, so an edited run is a link a colleague can open and see the
same result; the run itself is the bundled file with those values replaced, read by the same parser as any
edited scenario (so its checks apply). Values are checked here first, each beside its field, and a run
lists what differs from the bundled file. An edited run leaves out the file's ``uncertainty`` section: its
ranges are stated around the bundled values, and the page runs one deterministic case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from setu.web.scenario_view import scenario_text


@dataclass(frozen=True)
class Parameter:
    """One field: ``name`` in the URL, the place in the scenario document, and its bounds as shown."""

    name: str
    label: str
    path: tuple[str | int, ...]
    bundled: float
    minimum: float
    maximum: float | None
    integer: bool
    scale: float = 1.0  # shown = stored * scale (a share cut is shown in per cent)

    def shown(self, stored: float) -> str:
        value = stored * self.scale
        return str(round(value)) if self.integer else f"{value:.10g}"


def bundled_document(scenario_id: str) -> dict[str, Any]:
    text = scenario_text(scenario_id)
    document = yaml.safe_load(text) if text else None
    return document if isinstance(document, dict) else {}


def _where(entry: Mapping[str, Any]) -> str:
    return f"{entry.get('node', '')} in {entry.get('country', '')}"


def parameters(document: Mapping[str, Any]) -> list[Parameter]:
    """The editable parameters of a scenario document, in the order of the file."""
    months = int(document.get("months") or 1)
    result = []
    for n, shock in enumerate(document.get("shocks") or [], start=1):
        label = shock.get("label") or f"restriction {n}"
        path = ("shocks", n - 1)
        result += [
            Parameter(f"cut{n}", f"{label}: share cut (%)", (*path, "cut"), float(shock.get("cut", 0)), 0, 100,
                      False, 100.0),
            Parameter(f"start{n}", f"{label}: starts in month", (*path, "start_month"),
                      float(shock.get("start_month", 1)), 1, months, True),
            Parameter(f"duration{n}", f"{label}: lasts (months)", (*path, "duration_months"),
                      float(shock.get("duration_months", 1)), 1, None, True),
        ]
    responses = document.get("responses") or {}
    for key, prefix, what, field, unit in (("stockpiles", "stock", "Stockpile of", "days", "days"),
                                           ("spare_capacity", "spare", "Spare capacity of", "units_per_month",
                                            "units a month"),
                                           ("recycling", "recycling", "Recycling of", "units_per_month",
                                            "units a month")):
        for n, entry in enumerate(responses.get(key) or [], start=1):
            if field in entry:
                result.append(Parameter(f"{prefix}{n}", f"{what} {_where(entry)} ({unit})",
                                        ("responses", key, n - 1, field), float(entry[field]), 0, None, False))
    return result


def _parse(parameter: Parameter, text: str) -> tuple[float | None, str | None]:
    try:
        value = float(text.strip())
    except ValueError:
        return None, "enter a number"
    if value != value or value in (float("inf"), float("-inf")):
        return None, "enter a finite number"
    if parameter.integer and value != int(value):
        return None, "enter a whole number of months"
    if value < parameter.minimum or (parameter.maximum is not None and value > parameter.maximum):
        upper = "" if parameter.maximum is None else f" to {parameter.shown(parameter.maximum / parameter.scale)}"
        return None, (f"enter a value from {parameter.shown(parameter.minimum / parameter.scale)}{upper}" if upper
                      else f"enter a value of at least {parameter.shown(parameter.minimum / parameter.scale)}")
    return value / parameter.scale, None


@dataclass
class Edit:
    """The parameters as typed, the errors beside them, what differs from the bundled file, and the edited text
    (None when nothing differs or something is wrong)."""

    raw: dict[str, str]
    errors: dict[str, str]
    changes: list[tuple[Parameter, str, str]]
    text: str | None


def edit(scenario_id: str, query: Mapping[str, str]) -> tuple[list[Parameter], Edit]:
    """Read the parameters given in ``query`` against the bundled scenario ``scenario_id``."""
    document = bundled_document(scenario_id)
    fields = parameters(document)
    raw = {p.name: query.get(p.name, p.shown(p.bundled)) for p in fields}
    errors: dict[str, str] = {}
    changes = []
    for parameter in fields:
        if parameter.name not in query:
            continue
        value, problem = _parse(parameter, raw[parameter.name])
        if problem:
            errors[parameter.name] = problem
        elif value is not None and abs(value - parameter.bundled) > 1e-12 * max(1.0, abs(parameter.bundled)):
            target: Any = document
            for step in parameter.path[:-1]:
                target = target[step]
            target[parameter.path[-1]] = int(value) if parameter.integer else value
            changes.append((parameter, parameter.shown(parameter.bundled), parameter.shown(value)))
    if changes:  # the bundled ranges are stated around the bundled values; a page run is one deterministic run
        document.pop("uncertainty", None)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True) if changes and not errors else None
    return fields, Edit(raw=raw, errors=errors, changes=changes, text=text)
