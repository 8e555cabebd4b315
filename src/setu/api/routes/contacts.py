"""REST routes for contacts (see :mod:`setu.register.contacts`)."""

from setu.api.routes.resource import record_router
from setu.register.contacts import CONTACTS

router = record_router(CONTACTS)
