"""Pages: team, audit log, settings."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from palabre.core.deps import PageUser
from palabre.core.templating import render

router = APIRouter()

for _name, _path in [
    ("team_page", "/team"),
    ("audit_page", "/audit"),
    ("settings_page", "/settings"),
]:

    def _page(request: Request, user: PageUser, _n: str = _name) -> Response:
        return render(request, "error.html", {"message": _n})

    router.add_api_route(_path, _page, methods=["GET"], name=_name)
