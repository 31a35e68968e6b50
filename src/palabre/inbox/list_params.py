"""The inbox list's filters, read from the address and written back into the links
(the next page, a quadrant's whole list, the other view) so that none is lost."""

from __future__ import annotations

from fastapi import Request

from palabre.core.db import utcnow
from palabre.core.params import is_whole, whole
from palabre.inbox import queries
from palabre.inbox.triage import CATEGORIES


def _flag(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


def filters_of(request: Request) -> queries.Filters:
    q = request.query_params
    status = q.get("status", "todo")
    assignee = q.get("assignee") or None
    channel = q.get("channel", "")
    category = q.get("category") or None
    return queries.Filters(
        status=status if status in queries.STATUS_FILTERS else "todo",
        assignee=assignee if assignee in ("me", "nobody") or is_whole(assignee) else None,
        channel_id=whole(channel),
        category=category if category in CATEGORIES else None,
        urgent=_flag(q.get("urgent")),
        important=_flag(q.get("important")),
        q=(q.get("q") or "")[:200] or None,
        since=queries.since_of(q.get("since") or "", utcnow()) if q.get("since") else None,
        overdue=q.get("overdue") == "1",
        awaiting=q.get("awaiting") == "1",
        sort="relevance" if q.get("sort") == "relevance" else "newest",
    )


def address_of(request: Request, filters: queries.Filters) -> dict[str, str]:
    """The list's filters as they go in an address (a page, a quadrant, the other view)."""
    flag = {True: "1", False: "0", None: None}
    params = {
        "status": filters.status,
        "q": filters.q,
        "sort": filters.sort if filters.q else None,
        "channel": str(filters.channel_id) if filters.channel_id else None,
        "assignee": filters.assignee,
        "category": filters.category,
        "urgent": flag[filters.urgent],
        "important": flag[filters.important],
        "since": request.query_params.get("since") if filters.since else None,
        "overdue": "1" if filters.overdue else None,
        "awaiting": "1" if filters.awaiting else None,
    }
    return {k: v for k, v in params.items() if v}
