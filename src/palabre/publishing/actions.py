"""The buttons of the publishing pages: approve, reject, submit, schedule, cancel, retry,
and the calendar's drag-and-drop. Each one: role check, one service call, commit, then a
redirect to a page that says what happened (or the same page again with the reason)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from palabre.core.deps import PageUser, SessionDep
from palabre.core.errors import Conflict, Invalid, PalabreError
from palabre.core.timeutil import utc_to_local
from palabre.publishing import calendar as cal
from palabre.publishing import queries, services
from palabre.publishing.approvals import render_approvals
from palabre.publishing.pages import (
    FormDep,
    PageContributor,
    PageManager,
    PageMember,
    done,
    messages,
    refuse_unless,
    render_post,
    translator,
)
from palabre.team.models import Role, User

router = APIRouter()

STALE = "Someone changed this post meanwhile. Reload to see the change."


def _text(form: Any, key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def _back(
    request: Request,
    session: Session,
    user: User,
    post_id: int,
    origin: str,
    exc: PalabreError,
    form: dict[str, str],
) -> Response:
    """Show the page the button was on again, with the reason it did not work."""
    session.rollback()
    tr = translator(request)
    errors: dict[str, str] = {}
    flashes = [("error", tr.gettext(exc.message, **exc.params))]
    if isinstance(exc, Invalid):
        for field, text in messages(tr, exc.errors).items():
            errors[f"{field}_{post_id}"] = text
        if set(exc.errors) == {"comment"}:
            flashes = []  # the message is next to the comment field
    shown: dict[str, Any] = {
        "flashes": flashes,
        "errors": errors,
        "form": form,
        "status_code": exc.status,
    }
    if origin == "approvals":
        return render_approvals(request, session, user, **shown)
    return render_post(request, session, user, post_id, **shown)


def _act(
    request: Request,
    session: Session,
    user: User,
    post_id: int,
    form: Any,
    what: str,
    change: services.PostChange,
) -> Response:
    """Apply ``change`` to the post, then say ``what`` happened on the page the button
    was on (or show that page again with the reason it did not work)."""
    post = services.get_post(session, user.workspace_id, post_id)
    origin = "approvals" if _text(form, "origin") == "approvals" else "post"
    try:
        change(session, post, actor=user)
        session.commit()
    except StaleDataError:
        return _back(request, session, user, post_id, origin, Conflict(STALE), {})
    except PalabreError as exc:
        # What was typed in a review comment is kept, in the box it was typed in.
        box = "approve" if what == "approved" else "comment"
        kept = {f"{box}_{post_id}": _text(form, "comment")}
        return _back(request, session, user, post_id, origin, exc, kept)
    if origin == "approvals":
        return done(request, "approvals_page", what)
    return done(request, "post_page", what, post_id=post_id)


@router.post("/posts/{post_id}/approve", name="approve_post")
def approve(
    request: Request, post_id: int, session: SessionDep, user: PageManager, form: FormDep
) -> Response:
    change = partial(services.approve_post, comment=_text(form, "comment") or None)
    return _act(request, session, user, post_id, form, "approved", change)


@router.post("/posts/{post_id}/reject", name="reject_post")
def reject(
    request: Request, post_id: int, session: SessionDep, user: PageManager, form: FormDep
) -> Response:
    change = partial(services.reject_post, comment=_text(form, "comment"))
    return _act(request, session, user, post_id, form, "rejected", change)


@router.post("/posts/{post_id}/submit", name="submit_post")
def submit(
    request: Request, post_id: int, session: SessionDep, user: PageContributor, form: FormDep
) -> Response:
    return _act(request, session, user, post_id, form, "submitted", services.submit_post)


@router.post("/posts/{post_id}/schedule", name="schedule_post")
def schedule(
    request: Request, post_id: int, session: SessionDep, user: PageMember, form: FormDep
) -> Response:
    return _act(request, session, user, post_id, form, "scheduled", services.schedule_post)


@router.post("/posts/{post_id}/cancel", name="cancel_post")
def cancel(
    request: Request, post_id: int, session: SessionDep, user: PageContributor, form: FormDep
) -> Response:
    return _act(request, session, user, post_id, form, "cancelled", services.cancel_post)


@router.post("/deliveries/{delivery_id}/retry", name="retry_delivery")
def retry(
    request: Request, delivery_id: int, session: SessionDep, user: PageMember, form: FormDep
) -> Response:
    delivery = queries.get_delivery(session, user.workspace_id, delivery_id)
    post_id = delivery.post_id
    try:
        services.retry_delivery(session, delivery, actor=user)
        session.commit()
    except PalabreError as exc:
        return _back(request, session, user, post_id, "post", exc, {})
    if _text(form, "origin") == "dashboard":
        return done(request, "dashboard", "retried")
    return done(request, "post_page", "retried", post_id=post_id)


# ---- The calendar's drag and drop (answers JSON for app.js)


async def move_payload(request: Request) -> dict[str, str]:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in body.items()} if isinstance(body, dict) else {}
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


MovePayload = Annotated[dict[str, str], Depends(move_payload)]


@router.post("/calendar/move", name="calendar_move")
def calendar_move(
    request: Request, session: SessionDep, user: PageUser, payload: MovePayload
) -> Response:
    tr = translator(request)
    tz = user.workspace.timezone
    try:
        refuse_unless(user.can(Role.contributor))
        try:
            post_id = int(payload.get("post_id", ""))
            version = int(payload["version"]) if payload.get("version") else None
        except ValueError:
            raise Invalid({"post_id": ("Some values are missing or wrong.", {})}) from None
        post = services.get_post(session, user.workspace_id, post_id)
        when = cal.move_target(post, tz, day=payload.get("date"), moment=payload.get("datetime"))
        services.reschedule_post(session, post, when=when, actor=user, version=version)
        new_version = post.version
        session.commit()
    except StaleDataError:
        session.rollback()
        return JSONResponse({"ok": False, "message": tr.gettext(STALE)}, status_code=409)
    except PalabreError as exc:
        session.rollback()
        message = tr.gettext(exc.message, **exc.params)
        return JSONResponse({"ok": False, "message": message}, status_code=exc.status)
    local = utc_to_local(when, tz)
    return JSONResponse(
        {
            "ok": True,
            "post_id": post_id,
            "version": new_version,
            "local": local.strftime("%Y-%m-%dT%H:%M"),
            "time": tr.pattern(when, tz, "HH:mm"),
            "message": tr.gettext("Moved to %(when)s.", when=tr.datetime(when, tz, "short")),
        }
    )
