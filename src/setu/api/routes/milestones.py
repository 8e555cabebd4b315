"""REST routes for milestones (see :mod:`setu.register.milestones`)."""

from setu.api.routes.resource import record_router
from setu.register.milestones import MILESTONES

router = record_router(MILESTONES)
