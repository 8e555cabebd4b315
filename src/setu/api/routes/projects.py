"""REST routes for projects (see :mod:`setu.register.projects`)."""

from setu.api.routes.resource import record_router
from setu.register.projects import PROJECTS

router = record_router(PROJECTS)
