"""REST routes for action items (see :mod:`setu.register.action_items`)."""

from setu.api.routes.resource import record_router
from setu.register.action_items import ACTION_ITEMS

router = record_router(ACTION_ITEMS)
