"""REST routes for organisations (see :mod:`setu.register.organisations`)."""

from setu.api.routes.resource import record_router
from setu.register.organisations import ORGANISATIONS

router = record_router(ORGANISATIONS)
