"""REST routes for people (see :mod:`setu.register.people`)."""

from setu.api.routes.resource import record_router
from setu.register.people import PEOPLE

router = record_router(PEOPLE)
