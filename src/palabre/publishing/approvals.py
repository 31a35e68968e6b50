"""The approval queue's page: from the cache, or with a review form sent back."""

from __future__ import annotations

from collections.abc import Hashable
from functools import partial
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from palabre.core.fastread import Reader
from palabre.core.params import whole
from palabre.publishing import queries
from palabre.publishing.cached import cached_page
from palabre.publishing.pages import channel_map, page
from palabre.team.models import Role, User

APPROVALS_PER_PAGE = 20


def _cursor(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return whole(value)


def approvals_key(request: Request, who: Reader | User, _tz: str) -> tuple[Hashable, ...]:
    """What a cached page of the approval queue depends on (see ``cached_page``)."""
    return (_cursor(request, "after"), _cursor(request, "before"), who.can(Role.manager))


def render_approvals(
    request: Request,
    session: Session,
    user: User,
    *,
    flashes: list[tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """One page of the approval queue (``?after=`` / ``?before=`` a post's id). A review
    form sent back with an error shows the page that starts with its post."""

    cursor = partial(_cursor, request)
    reviewed = request.path_params.get("post_id") if request.method == "POST" else None

    def build() -> dict[str, Any]:
        queue = queries.approval_queue(
            session,
            user.workspace_id,
            per_page=APPROVALS_PER_PAGE,
            after=cursor("after"),
            before=cursor("before"),
            start_at=whole(str(reviewed)) if reviewed is not None else None,
        )
        return {
            "queue": queue,
            "posts": queue.posts,
            "channels": channel_map(session, user.workspace_id),
            "can_review": user.can(Role.manager),
        }

    if reviewed is None and not (flashes or errors or form):  # a plain page: from the cache
        key = approvals_key(request, user, user.workspace.timezone)
        return cached_page(request, session, user, "publishing/approvals.html", key, build)
    shown = {"flashes": flashes or [], "errors": errors or {}, "form": form or {}}
    return page(request, "publishing/approvals.html", build() | shown, status_code=status_code)
