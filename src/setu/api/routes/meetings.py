"""REST routes for meetings (see :mod:`setu.register.meetings`)."""

from setu.api.routes.resource import record_router
from setu.register.meetings import MEETINGS

router = record_router(MEETINGS)
