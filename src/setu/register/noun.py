"""What the generic record service needs to know about one kind of record (a *noun*).

Each noun module (projects, milestones, ...) declares its input model and list filters and builds a
:class:`Noun` with :func:`define`; the service, the store, the API and export/import all work from it,
so adding a field is one edit in one module (plus a migration).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Optional

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, create_model

from setu.register.fields import Actor, RecordId, SearchText, Strict, Tier

SYSTEM_FIELDS = ("id", "version", "created_at", "updated_at", "created_by", "updated_by")


@dataclass(frozen=True)
class Condition:
    """``field <op> value``, rendered as SQL by the store. Operators: "eq", "has" (list membership),
    "node" (linked node id), "lt" (less than), "null" (True: is null; False: is not null), "in"."""

    field: str
    op: str
    value: Any


class ListQuery(Strict):
    """Paging, sorting and free-text search, common to every list endpoint."""

    limit: int = Field(50, ge=1, le=200, description="page size")
    offset: int = Field(0, ge=0, le=1_000_000, description="records to skip")
    sort: str | None = Field(
        None, max_length=64, pattern=r"^-?[a-z_]{1,60}$", description="field to sort by; prefix '-' for descending"
    )
    q: SearchText | None = Field(None, description="case-insensitive substring search")


class TieredQuery(ListQuery):
    owner_org_id: RecordId | None = None
    tier: Tier | None = None


@dataclass(frozen=True)
class Noun:
    """One kind of record. ``name`` is the plural used as table name and URL segment."""

    name: str
    label: str
    create: type[BaseModel]
    update: type[BaseModel]
    public: type[BaseModel]
    query: type[ListQuery]
    tiered: bool = True
    admin_writes: bool = False
    #: field holding one record id -> the noun it names (checked to exist and be visible)
    references: Mapping[str, str] = field(default_factory=dict)
    #: reference fields naming the record this one belongs to (a milestone's project): writing the child is
    #: a write to the parent, so it follows the parent's ownership (same owner; only the parent's editors)
    parents: tuple[str, ...] = ()
    #: field holding a list of record ids -> the noun they name
    list_references: Mapping[str, str] = field(default_factory=dict)
    #: query parameter -> (field, operator); operators: "eq", "has" (list membership), "node" (linked node)
    filters: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    text_fields: tuple[str, ...] = ()
    sortable: tuple[str, ...] = ()
    #: cross-field checks on a whole record (create, or current merged with a patch)
    check: Callable[[dict[str, Any]], None] | None = None

    @property
    def input_fields(self) -> tuple[str, ...]:
        return tuple(self.create.model_fields)

    @property
    def all_fields(self) -> tuple[str, ...]:
        return SYSTEM_FIELDS + self.input_fields


def _partial(model: type[BaseModel], name: str) -> type[BaseModel]:
    """The PATCH model: every field of ``model`` optional, constraints kept; unset means unchanged."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        inner = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        fields[field_name] = (Optional[inner], None)  # noqa: UP045 - built at run time
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)


def _public(model: type[BaseModel], name: str) -> type[BaseModel]:
    return create_model(
        name,
        __base__=model,
        id=(RecordId, ...),
        version=(int, Field(..., ge=1, le=2**31 - 1)),
        created_at=(AwareDatetime, ...),
        updated_at=(AwareDatetime, ...),
        created_by=(Actor, ...),
        updated_by=(Actor, ...),
    )


def define(name: str, label: str, create: type[BaseModel], query: type[ListQuery], **options: Any) -> Noun:
    title = "".join(part.capitalize() for part in label.split())
    return Noun(
        name=name,
        label=label,
        create=create,
        update=_partial(create, f"{title}Update"),
        public=_public(create, f"{title}Public"),
        query=query,
        **options,
    )
