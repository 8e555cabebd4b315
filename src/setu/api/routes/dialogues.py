"""REST routes for dialogues (see :mod:`setu.register.dialogues`)."""

from setu.api.routes.resource import record_router
from setu.register.dialogues import DIALOGUES

router = record_router(DIALOGUES)
