"""What the publishing pages share: confirmations after a redirect, labels, permissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse

from palabre.channels.models import Channel
from palabre.channels.services import list_channels
from palabre.core.db import utcnow
from palabre.core.deps import page_role
from palabre.core.errors import Forbidden, NotFound
from palabre.core.i18n import N_, Translator
from palabre.core.templating import render, url_builder
from palabre.publishing import queries, rights
from palabre.publishing.models import Post, PostState
from palabre.team.models import Role, User

# Shown after a redirect (?done=...): the confirmation of what just happened.
DONE = {
    "draft": N_("Draft saved."),
    "submitted": N_("Sent for approval. A manager will review it."),
    "scheduled": N_("Scheduled. It will be published at the chosen time."),
    "saved": N_("Changes saved."),
    "approved": N_("Approved: the post is scheduled."),
    "rejected": N_("Sent back to its author with your comment."),
    "cancelled": N_("The post is cancelled; nothing more will be published."),
    "retried": N_("The delivery will be tried again in a moment."),
}

STATE_LABELS = {
    PostState.draft: N_("Draft"),
    PostState.awaiting_approval: N_("Awaiting approval"),
    PostState.scheduled: N_("Scheduled"),
    PostState.published: N_("Published"),
    PostState.failed: N_("Failed"),
    PostState.cancelled: N_("Cancelled"),
}

DELIVERY_LABELS = {
    "scheduled": N_("Waiting for its time"),
    "publishing": N_("Publishing"),
    "published": N_("Published"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
}

HISTORY_LABELS = {
    "post.created": N_("created the post"),
    "post.edited": N_("edited the post"),
    "post.submitted": N_("submitted it for approval"),
    "post.approved": N_("approved it"),
    "post.rejected": N_("sent it back for changes"),
    "post.scheduled": N_("scheduled it"),
    "post.rescheduled": N_("moved it in time"),
    "post.cancelled": N_("cancelled it"),
    "post.held": N_("held it for approval: its automation paused"),
    "post.retried": N_("asked for a new try"),
    "post.delivery_published": N_("published it"),
    "post.delivery_failed": N_("could not publish it"),
}


async def form_data(request: Request) -> FormData:
    """The posted form (already read once by the CSRF check, so read from cache)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]
PageContributor = Annotated[User, Depends(page_role(Role.contributor))]
PageMember = Annotated[User, Depends(page_role(Role.member))]
PageManager = Annotated[User, Depends(page_role(Role.manager))]


def translator(request: Request) -> Translator:
    tr: Translator = request.state.tr
    return tr


def page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a publishing page, with the confirmation named by ``?done=`` if any."""
    flashes = flashes_of(request, context)
    ctx = {**labels(request), **context, **flashes}
    return render(request, name, ctx, status_code=status_code)


def flashes_of(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    flashes = list(context.pop("flashes", []))
    done = request.query_params.get("done")
    if done in DONE:
        flashes.insert(0, ("success", translator(request).gettext(DONE[done])))
    return {"flashes": flashes}


def labels(request: Request) -> dict[str, Any]:
    tr = translator(request)
    user = getattr(request.state, "user", None)
    return {
        "can_write": bool(user and user.can(Role.contributor)),
        "state_labels": {k.value: tr.gettext(v) for k, v in STATE_LABELS.items()},
        "delivery_labels": {k: tr.gettext(v) for k, v in DELIVERY_LABELS.items()},
    }


def url_pattern(request: Request, name: str, param: str) -> str:
    """The URL of route ``name`` with ``{id}`` in place of its parameter ``param``, to be
    filled in with ``.replace("{id}", ...)``: cheap, for pages with many links to one route."""
    return url_builder(request)(name, **{param: "{id}"})


def done(request: Request, endpoint: str, what: str, **params: Any) -> RedirectResponse:
    """Post/Redirect/Get: back to a page that confirms ``what`` happened."""
    url = request.url_for(endpoint, **params).include_query_params(done=what)
    return RedirectResponse(str(url), status_code=303)


def messages(tr: Translator, errors: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, str]:
    return {name: tr.gettext(msg, **params) for name, (msg, params) in errors.items()}


def refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise Forbidden("Your role does not allow this.")


# ---- Renderers shared by the page routes and the action routes (re-displays on error).


@dataclass
class HistoryLine:
    at: datetime
    who: str
    what: str
    comment: str | None
    detail: str | None = None
    link: str | None = None


def channel_map(session: Session, workspace_id: int) -> dict[int, Channel]:
    return {c.id: c for c in list_channels(session, workspace_id)}


def history_lines(
    session: Session, post: Post, tr: Translator, tz: str, channels: dict[int, Channel]
) -> list[HistoryLine]:
    lines = []
    for entry in queries.history(session, post.id):
        details = entry.details or {}
        label = HISTORY_LABELS.get(entry.action)
        line = HistoryLine(
            at=entry.at,
            who=entry.user.name if entry.user else tr.gettext("Palabre"),
            what=tr.gettext(label) if label else entry.action,
            comment=entry.comment,
            link=details.get("remote_url"),
        )
        channel = channels.get(details.get("channel_id") or 0)
        if channel is not None:
            line.detail = channel.name
        if entry.action == "post.rescheduled":
            line.detail = _moment(details.get("new"), tr, tz) or tr.gettext("as soon as possible")
        lines.append(line)
    return lines


def _moment(value: object, tr: Translator, tz: str) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return tr.datetime(datetime.fromisoformat(value), tz, "short")
    except ValueError:
        return None


def render_post(
    request: Request,
    session: Session,
    user: User,
    post_id: int,
    *,
    flashes: list[tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
    fragment: bool = False,
) -> HTMLResponse:
    """The post's page, or with ``fragment`` only its deliveries (refreshed by HTMX)."""
    post = queries.post_detail(session, user.workspace_id, post_id)
    if post is None:
        raise NotFound("No such post in this workspace.")
    tz = user.workspace.timezone
    channels = channel_map(session, user.workspace_id)
    to_preview = [
        d
        for d in post.deliveries
        if d.channel_id in channels and channels[d.channel_id].kind == "preview"
    ]
    context = {
        "post": post,
        "channels": channels,
        "actions": rights.allowed_actions(post, user),
        "previews": queries.preview_records(session, to_preview),
        "in_flight": deliveries_in_flight(post),
        "flashes": flashes or [],
        "errors": errors or {},
        "form": form or {},
    }
    if fragment:
        return page(request, "publishing/_deliveries.html", context)
    context["history"] = history_lines(session, post, translator(request), tz, channels)
    return page(request, "publishing/post.html", context, status_code=status_code)


def deliveries_in_flight(post: Post) -> bool:
    """A delivery is publishing, or due within a few minutes: worth watching live."""
    soon = utcnow() + timedelta(minutes=5)
    return any(
        d.state == "publishing"
        or (d.state == "scheduled" and (d.next_attempt_at is None or d.next_attempt_at <= soon))
        for d in post.deliveries
    )
