"""Organisations: ministries, agencies, companies, industry bodies and research institutes.

The organisation directory is readable by every account (it is what the tiers refer to) and written
by admins only.
"""

from __future__ import annotations

from pydantic import Field

from setu.register.fields import Country, Name, OrganisationKind, ShortText, Strict
from setu.register.noun import ListQuery, define


class OrganisationCreate(Strict):
    name: Name
    kind: OrganisationKind
    country: Country = Field(description="ISO 3166-1 alpha-3")
    website: ShortText = ""


class OrganisationQuery(ListQuery):
    kind: OrganisationKind | None = None
    country: Country | None = None


ORGANISATIONS = define(
    "organisations",
    "organisation",
    OrganisationCreate,
    OrganisationQuery,
    tiered=False,
    admin_writes=True,
    filters={"kind": ("kind", "eq"), "country": ("country", "eq")},
    text_fields=("name",),
    sortable=("name", "kind", "country", "created_at", "updated_at"),
)
