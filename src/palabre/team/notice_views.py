"""The notices page: what a person was told (a channel to reconnect…), newest first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from palabre.core.deps import PageUser, SessionDep
from palabre.core.i18n import N_
from palabre.core.templating import render
from palabre.team import notices
from palabre.team.webutil import done_redirect, flashes_for

router = APIRouter()
DONE = {"read": N_("All notices are marked as read.")}


@router.get("/notices", name="notices_page")
def notices_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    return render(
        request,
        "team/notices.html",
        {"notices": notices.recent(session, user.id), "flashes": flashes_for(request, DONE)},
    )


@router.post("/notices/read", name="notices_read")
def notices_read(request: Request, session: SessionDep, user: PageUser) -> Response:
    notices.mark_all_read(session, user.id)
    session.commit()
    return done_redirect(request, "notices_page", "read")
