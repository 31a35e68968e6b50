"""Pages: channels."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from palabre.core.deps import PageUser
from palabre.core.templating import render

router = APIRouter()


@router.get("/channels", name="channels_page")
def channels_page(request: Request, user: PageUser) -> Response:
    return render(request, "error.html", {"message": "channels"})
