"""The investment-screening page (``/screen``) and its JSON twin (``/api/views/screen``): the use case of
`setu screen`, for a signed-in official or anyone reading the public rules.

Both take the same query (repeatable ``sector``, ``hs``, ``owner`` and ``flag``; empty values are ignored, so a
form may offer several boxes) and return the document of :func:`setu.services.policy.report_document`. A page
with no query shows the empty form; a bad name or value is a Setu error, shown with its 4xx status and the
closest valid names.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from setu.errors import ValidationError
from setu.web.pages import render

if TYPE_CHECKING:  # the policy library, its rules and the catalog: with the first screening
    from setu.services.policy import PolicyService

router = APIRouter(include_in_schema=False)
twin = APIRouter(prefix="/views", tags=["views"])

Names = Annotated[list[str] | None, Query(max_length=80)]


@lru_cache(maxsize=4)
def policy_service(data_dir: Path) -> PolicyService:
    """One service per catalog: the bundled rules and library, maps resolved against the catalog's USGS figures."""
    from setu.services.maps import MapService
    from setu.services.policy import PolicyService
    from setu.services.production import usgs_supply_resolver

    return PolicyService(maps=MapService(resolver=usgs_supply_resolver(data_dir)))


def screening(request: Request, acquirer: str, target: str, stake: float, sectors: list[str] | None,
              hs: list[str] | None, owners: list[str] | None, flags: list[str] | None, listed: bool,
              date: str | None) -> dict[str, Any]:
    from setu.services.policy import report_document

    try:
        day = dt.date.fromisoformat(date) if date else dt.date.today()
    except ValueError:
        raise ValidationError(f"date {date!r} must be written YYYY-MM-DD") from None
    service = policy_service(request.app.state.settings.data_dir)
    kept = [[value.strip() for value in values or [] if value.strip()] for values in (sectors, hs, owners, flags)]
    tx, nodes = service.transaction(acquirer=acquirer, target=target, sectors=kept[0], hs=kept[1], owners=kept[2],
                                    flags=kept[3], stake_pct=stake, listed=listed, day=day)
    return report_document(service.screen(tx, nodes))


@twin.get("/screen", operation_id="view_screen")
def screen_twin(request: Request, acquirer: Annotated[str, Query(max_length=60)],
                target: Annotated[str, Query(max_length=60)], stake: Annotated[float, Query(ge=0, le=100)],
                sector: Names = None, hs: Names = None, owner: Names = None, flag: Names = None,
                listed: bool = False, date: Annotated[str | None, Query(max_length=10)] = None) -> dict[str, Any]:
    """Screen a proposed investment: per regime the requirement or "not covered" with what the encoded rules
    lack, the rules that fired (facts, citation, unconfirmed notes, readings), what would change the outcome,
    and the supply-map context. Informs; not legal advice."""
    return screening(request, acquirer, target, stake, sector, hs, owner, flag, listed, date)


@router.get("/screen", response_class=HTMLResponse)
def screen_page(request: Request, acquirer: Annotated[str | None, Query(max_length=60)] = None,
                target: Annotated[str, Query(max_length=60)] = "IND",
                stake: Annotated[float | None, Query(ge=0, le=100)] = None,
                sector: Names = None, hs: Names = None, owner: Names = None, flag: Names = None,
                listed: bool = False, date: Annotated[str | None, Query(max_length=10)] = None) -> HTMLResponse:
    query = {"acquirer": acquirer or "", "target": target, "stake": "" if stake is None else f"{stake:g}",
             "sector": sector or [], "hs": hs or [], "owner": owner or [], "flag": flag or [], "listed": listed,
             "date": date or ""}
    doc = None
    if acquirer and stake is not None:
        doc = screening(request, acquirer, target, stake, sector, hs, owner, flag, listed, date)
    twin_url = str(request.url).replace(str(request.base_url).rstrip("/") + "/screen", "/api/views/screen", 1)
    return render(request, "screen.html", doc=doc, query=query, twin_url=twin_url if doc else None,
                  title="Investment screening")
