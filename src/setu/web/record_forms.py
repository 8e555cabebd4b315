"""One form machinery for every kind of register record, read from the record's own input schema.

The fields of a form are those of the noun's ``XCreate`` model (``setu.register.<noun>``): their types decide
the widget (an enumeration is a list to choose from, a reference to another record a list of the records the
user may see, by name; a date a date field, long text a text area; supply-chain links one per line), their
constraints the browser's limits, and the model itself validates what comes back. So a field added to a
schema appears in its form, and the rules are the API's: the page calls the same ``RecordService``.

What the user typed travels back unchanged when a form fails (``FormState.raw``), with each error beside its
field; nothing is ever defaulted silently: a visibility tier has to be chosen, and a list left empty stays
empty.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

import pydantic
from annotated_types import MaxLen
from pydantic.fields import FieldInfo

from setu.errors import SetuError
from setu.register.fields import Visibility
from setu.register.noun import Noun

#: labels where the field name does not read well
LABELS = {
    "owner_org_id": "Owner organisation", "organisation_id": "Organisation", "person_id": "Person",
    "project_id": "Project", "dialogue_id": "Dialogue", "meeting_id": "Meeting", "decision_id": "Decision",
    "owner_person_id": "Owner (person)", "partner_ids": "Partner organisations", "shared_with": "Shared with",
    "tier": "Visibility tier", "links": "Supply-chain links", "funding_usd": "Public funding (USD)",
    "infrastructure_ref": "Submarine cable or landing station", "held_on": "Held on", "kind": "Kind",
    "completed_on": "Completed on", "country": "Country (ISO3)", "text": "Decision",
}
HELP = {
    "links": "One per line: a node id or material (e.g. gallium), optionally followed by ' = ' and the "
             "vulnerability it addresses.",
    "tier": "government: government organisations; shared: the owner and the organisations it is shared "
            "with; public: every account.",
    "infrastructure_ref": "cable:<id> or station:<id>",
    "country": "e.g. JPN, IND",
}
#: reference fields whose list is organisations (lists of ids, or the owner)
ORGANISATION_LISTS = ("partner_ids", "shared_with")
LONG_TEXT = 1000


@dataclass(frozen=True)
class FormField:
    """One field of a record form: its name, label and widget, and the noun a reference names."""

    name: str
    label: str
    widget: str  # text, textarea, date, number, email, tel, select, reference, multi, links
    required: bool
    choices: tuple[str, ...] = ()
    target: str | None = None  # the noun named by a reference
    max_length: int | None = None
    help: str = ""
    empty: Any = None  # the value an empty optional field stands for ("" for text with an empty default)


def _unwrap(annotation: Any) -> tuple[Any, bool, bool]:
    """(inner type, optional, list) of an annotation such as ``list[X]`` or ``X | None``."""
    optional = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0], optional, True
    return annotation, optional, False


def _max_length(info: FieldInfo) -> int | None:
    for item in info.metadata:
        limit = getattr(item, "max_length", None)
        if isinstance(item, MaxLen):
            limit = item.max_length
        if limit:
            return int(limit)
    return None


def noun_fields(noun: Noun) -> tuple[FormField, ...]:
    """The form of a register record, from its noun's create model: its own fields, then who may read it."""
    fields = form_fields(noun.create, {**noun.references, "owner_org_id": "organisations"},
                         {**noun.list_references, **dict.fromkeys(ORGANISATION_LISTS, "organisations")})
    visibility = set(Visibility.model_fields)
    return tuple(f for f in fields if f.name not in visibility) + tuple(f for f in fields if f.name in visibility)


def form_fields(model: type[pydantic.BaseModel], references: dict[str, str],
                list_references: dict[str, str]) -> tuple[FormField, ...]:
    """The form of ``model`` in its field order; ``references`` name the noun each id field points to."""
    result = []
    for name, info in model.model_fields.items():
        inner, _, is_list = _unwrap(info.annotation)
        label = LABELS.get(name, name.replace("_", " ").capitalize())
        required = info.is_required() or name == "tier"
        empty = info.default if isinstance(info.default, str | Enum) and name != "tier" else None
        common = {"name": name, "label": label, "required": required, "help": HELP.get(name, ""), "empty": empty}
        if name in references:
            result.append(FormField(widget="reference", target=references[name], **common))
        elif is_list and name in list_references:
            result.append(FormField(widget="multi", target=list_references[name], **common))
        elif is_list:
            result.append(FormField(widget="links", **common))
        elif isinstance(inner, type) and issubclass(inner, Enum):
            common["empty"] = str(common["empty"].value) if isinstance(common["empty"], Enum) else None
            result.append(FormField(widget="select", choices=tuple(str(m.value) for m in inner), **common))
        elif inner is date:
            result.append(FormField(widget="date", **common))
        elif inner is int:
            result.append(FormField(widget="number", **common))
        else:
            limit = _max_length(info)
            widget = {"email": "email", "phone": "tel", "password": "password"}.get(name) or (
                "textarea" if limit and limit > LONG_TEXT else "text")
            result.append(FormField(widget=widget, max_length=limit, **common))
    return tuple(result)


@dataclass
class FormState:
    """A form as shown: the raw text of each field, the errors by field, and an error for the whole form."""

    raw: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def failed(self) -> bool:
        return bool(self.errors or self.error)


def blank_raw(fields: tuple[FormField, ...]) -> dict[str, Any]:
    """The text of a new form: the schema's stated defaults (a status of "proposed"), never a tier."""
    return {f.name: [] if f.widget == "multi" else (f.empty or "") for f in fields}


def parse_submission(model: type[pydantic.BaseModel], fields: tuple[FormField, ...],
                     form: Any) -> tuple[FormState, dict[str, Any], pydantic.BaseModel | None]:
    """What was typed, the model's input made from it, and the validated model (None when anything failed:
    then every problem found is in the state, beside its field)."""
    state = FormState(raw=raw_from_form(fields, form))
    values = values_from_raw(fields, state.raw, state, {f.name for f in fields})
    data = None
    try:
        data = model.model_validate(values)
    except pydantic.ValidationError as error:
        record_pydantic_errors(error, state, set(values))
    return state, values, None if state.failed else data


def raw_from_record(fields: tuple[FormField, ...], record: dict[str, Any]) -> dict[str, Any]:
    """The form's text for an existing record (the edit form starts from it)."""
    raw: dict[str, Any] = {}
    for f in fields:
        value = record.get(f.name)
        if f.widget == "multi":
            raw[f.name] = list(value or [])
        elif f.widget == "links":
            raw[f.name] = "\n".join(link["node_id"] + (f" = {link['vulnerability']}" if link.get("vulnerability") else "")
                                    for link in value or [])
        else:
            raw[f.name] = "" if value is None else str(value.value if isinstance(value, Enum) else value)
    return raw


def raw_from_form(fields: tuple[FormField, ...], form: Any) -> dict[str, Any]:
    """The submitted text of every field (a multi-valued form: ``getlist`` for the lists)."""
    return {f.name: [v for v in form.getlist(f.name) if v] if f.widget == "multi" else str(form.get(f.name, ""))
            for f in fields}


def _links(text: str) -> list[dict[str, str]]:
    links = []
    for line in text.splitlines():
        node, _, vulnerability = line.partition("=")
        if node.strip():
            links.append({"node_id": node.strip(), "vulnerability": vulnerability.strip()})
    return links


def values_from_raw(fields: tuple[FormField, ...], raw: dict[str, Any], state: FormState,
                    shown: set[str]) -> dict[str, Any]:
    """The model's input from the form's text; an empty optional field is absent (None), an empty required
    choice an error beside it (never the model's default). Only the ``shown`` fields are sent."""
    values: dict[str, Any] = {}
    for f in fields:
        if f.name not in shown:
            continue
        text = raw.get(f.name, "")
        if f.widget == "multi":
            values[f.name] = list(text)
        elif f.widget == "links":
            values[f.name] = _links(text)
        elif isinstance(text, str) and not text.strip():
            if f.required:
                article = "an" if f.label[:1].lower() in "aeiou" else "a"
                state.errors[f.name] = f"choose {article} {f.label.lower()}" if f.widget in ("select", "reference") \
                    else f"{f.label} is required"
            else:
                values[f.name] = f.empty
        else:
            values[f.name] = text
    return values


def record_pydantic_errors(error: pydantic.ValidationError, state: FormState, names: set[str]) -> None:
    """Put each of a model's validation errors beside its field (the first per field)."""
    for item in error.errors():
        where = str(item["loc"][0]) if item["loc"] else ""
        message = item["msg"][:1].lower() + item["msg"][1:]
        if where in names:
            state.errors.setdefault(where, message)
        else:
            state.error = state.error or message


def record_service_error(error: SetuError, state: FormState, names: set[str]) -> None:
    """A service's refusal beside the field it names (``links: no supply-chain node 'galium' ...``, or a
    check that starts with the field's name), else for the whole form."""
    last = None
    for part in str(error).split("; "):
        head = part.split(" ", 1)[0].split(":", 1)[0].split(".", 1)[0]
        if head in names:
            last = head
            text = part.split(": ", 1)[1] if part.startswith(f"{head}:") else part
            state.errors[head] = f"{state.errors[head]}; {text}" if head in state.errors else text
        elif last is not None:  # the same field's next problem ("no node 'a'; no node 'b'")
            state.errors[last] = f"{state.errors[last]}; {part}"
        else:
            state.error = part if state.error is None else f"{state.error}; {part}"
