"""REST routes for decisions (see :mod:`setu.register.decisions`)."""

from setu.api.routes.resource import record_router
from setu.register.decisions import DECISIONS

router = record_router(DECISIONS)
