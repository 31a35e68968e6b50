"""The suggestion queue's pages: one by one or in bulk, from the keyboard too.

Welcome and thank-you suggestions are grouped by day (a daily digest); the others come
soonest first. Approving makes a post through the publishing services (a contributor's
approval asks a manager), at the next time the channels' guardrails allow.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from palabre.automations import queries, services
from palabre.automations import suggestions as sugg
from palabre.automations.models import Suggestion
from palabre.automations.suggestions_api import bulk
from palabre.automations.webutil import page
from palabre.channels.services import list_channels
from palabre.core.deps import PageUser, SessionDep
from palabre.core.errors import Invalid
from palabre.core.i18n import N_
from palabre.core.timeutil import utc_to_local
from palabre.inbox.conversation_models import Message
from palabre.publishing.pages import FormDep, translator
from palabre.publishing.rights import can_publish
from palabre.team.models import Role, User

router = APIRouter()
PEOPLE = {"welcome", "thanks"}


def digest(rows: list[Suggestion], tz: str) -> dict[date, list[Suggestion]]:
    days: dict[date, list[Suggestion]] = defaultdict(list)
    for row in rows:
        days[utc_to_local(row.created_at, tz).date()].append(row)
    return dict(sorted(days.items(), reverse=True))


@router.get("/suggestions", name="suggestions_page")
def suggestions_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    automation = request.query_params.get("automation", "")
    return _queue(
        request,
        session,
        user,
        state=request.query_params.get("state", "pending"),
        automation=int(automation) if automation.isdigit() else None,
    )


def _queue(
    request: Request,
    session: Session,
    user: User,
    *,
    state: str = "pending",
    automation: int | None = None,
    flashes: list[tuple[str, str]] | None = None,
) -> Response:
    ws = user.workspace_id
    rows, total = queries.suggestions(
        session, ws, state=state or None, automation_id=automation, limit=200
    )
    return page(
        request,
        "automations/queue.html",
        {
            "posts": [r for r in rows if r.kind not in PEOPLE],
            "people": digest([r for r in rows if r.kind in PEOPLE], user.workspace.timezone),
            "total": total,
            "state": state,
            "automation": automation,
            "automations": services.list_automations(session, ws),
            "channels": {c.id: c for c in list_channels(session, ws)},
            "can_approve": user.can(Role.contributor),
            "can_skip": can_publish(user),
            "proposes": not can_publish(user),
            "flashes": flashes or [],
        },
    )


def _back(request: Request, done: str) -> Response:
    url = request.url_for("suggestions_page").include_query_params(done=done)
    return RedirectResponse(str(url), status_code=303)


@router.post("/suggestions/{suggestion_id}/approve", name="suggestion_approve")
def suggestion_approve(
    request: Request, suggestion_id: int, session: SessionDep, user: PageUser, form: FormDep
) -> Response:
    row = sugg.get_suggestion(session, user.workspace_id, suggestion_id)
    texts = {
        key.removeprefix("text_"): str(value)
        for key, value in form.items()
        if key.startswith("text_") and isinstance(value, str)
    }
    made = sugg.approve(session, row, actor=user, texts=texts or None)
    session.commit()
    if isinstance(made, Message):  # a thank-you answered in the person's thread
        return _back(request, "reply_proposed" if made.state == "proposed" else "replied")
    return _back(request, "proposed" if made.state == "awaiting_approval" else "approved")


@router.post("/suggestions/{suggestion_id}/skip", name="suggestion_skip")
def suggestion_skip(
    request: Request, suggestion_id: int, session: SessionDep, user: PageUser
) -> Response:
    row = sugg.get_suggestion(session, user.workspace_id, suggestion_id)
    sugg.skip(session, row, actor=user)
    session.commit()
    return _back(request, "skipped")


@router.post("/suggestions-bulk", name="suggestions_bulk")
def suggestions_bulk(
    request: Request, session: SessionDep, user: PageUser, form: FormDep
) -> Response:
    ids = [int(v) for v in form.getlist("ids") if isinstance(v, str) and v.isdigit()]
    action = str(form.get("action") or "")
    if action not in {"approve", "skip"} or not ids:
        raise Invalid({"ids": (N_("Select suggestions, then choose what to do with them."), {})})
    done, failed = bulk(session, user, ids, action)
    if not failed:
        return _back(request, "bulk")
    tr = translator(request)
    flashes = [("error", f"#{sid} — {tr.gettext(m, **p)}") for sid, (m, p) in failed.items()]
    if done:
        flashes.insert(0, ("success", tr.gettext("Done for the selected suggestions.")))
    return _queue(request, session, user, flashes=flashes)
