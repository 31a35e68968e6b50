"""Pages: dashboard, composer, calendar, approvals, posts and their detail."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from palabre.core.db import utcnow
from palabre.core.deps import PageUser, SessionDep
from palabre.core.templating import render
from palabre.publishing import queries

router = APIRouter()


@router.get("/", name="dashboard")
def dashboard(request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = user.workspace_id
    return render(
        request,
        "publishing/dashboard.html",
        {
            "counts": queries.counts(session, ws),
            "upcoming": queries.upcoming(session, ws, utcnow()),
            "awaiting": queries.awaiting_approval(session, ws, limit=10),
            "failed": queries.failed_deliveries(session, ws),
        },
    )


def _todo(name: str, path: str) -> None:
    def page(request: Request, user: PageUser) -> Response:
        return render(request, "error.html", {"message": name})

    router.add_api_route(path, page, methods=["GET"], name=name)


for _name, _path in [
    ("compose_page", "/compose"),
    ("calendar_page", "/calendar"),
    ("approvals_page", "/approvals"),
    ("posts_page", "/posts"),
]:
    _todo(_name, _path)


@router.get("/posts/{post_id}", name="post_page")
def post_page(request: Request, post_id: int, user: PageUser) -> Response:
    return render(request, "error.html", {"message": str(post_id)})
