"""The register's routers, in the order they appear in the OpenAPI document.

Other capabilities add their (read-only) routers to :data:`setu.api.app.ROUTERS` or pass them to
:func:`setu.app.create_app`.
"""

from fastapi import APIRouter

from setu.api.routes import (
    accounts,
    action_items,
    audit,
    auth,
    contacts,
    decisions,
    dialogues,
    followup,
    health,
    jcm,
    meetings,
    milestones,
    organisations,
    people,
    projects,
    transfer,
)

REGISTER_ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    auth.router,
    accounts.router,
    organisations.router,
    people.router,
    contacts.router,
    projects.router,
    milestones.router,
    dialogues.router,
    meetings.router,
    decisions.router,
    action_items.router,
    followup.router,
    transfer.router,
    audit.router,
    jcm.router,
)
