"""Pages for connecting accounts: through the server (OAuth), and reconnecting a channel
whose token died (a new token or app password, or the OAuth flow again).

Each view ends its transaction before the network is asked (no lock waits on a server).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from palabre.channels import forms, oauth, services
from palabre.channels.registry import adapters
from palabre.channels.views import _channel, _new_form, submitted_form
from palabre.core.deps import PageManager, RuntimeDep, SessionDep
from palabre.core.errors import Invalid, PalabreError
from palabre.core.i18n import N_
from palabre.core.templating import render
from palabre.team.models import User
from palabre.team.webutil import done_redirect, refused

router = APIRouter()


def _channel_refused(
    request: Request, session: Session, user: User, channel_id: int, exc: PalabreError
) -> Response:
    shown = refused(request, exc, {})
    return _channel(
        request,
        session,
        user,
        channel_id,
        None,
        flashes=shown["flashes"],
        errors=shown["errors"],
        status=shown["status"],
    )


def _leave_for(request: Request, url: str) -> Response:
    """Off to the server to approve Palabre. A page that moves on by itself rather than a
    redirect: the Content-Security-Policy lets forms go only to Palabre (``form-action
    'self'``), and browsers apply that to the redirect that follows a form too."""
    return render(request, "channels/leaving.html", {"url": url, "server": urlsplit(url).netloc})


def _callback_url(request: Request) -> str:
    return str(request.url_for("channel_oauth_callback"))


@router.post("/channels/connect", name="channel_oauth_start")
def oauth_start(
    request: Request,
    session: SessionDep,
    user: PageManager,
    rt: RuntimeDep,
    submitted: Annotated[dict[str, str], Depends(submitted_form)],
) -> Response:
    kind = submitted.get("kind", "")
    server, name = submitted.get("server", ""), submitted.get("name", "")
    session.commit()  # no transaction waits while the server is asked
    try:
        url = oauth.start(
            session,
            user,
            kind=kind,
            server=server,
            name=name,
            redirect_uri=_callback_url(request),
            net=rt.net,
            box=rt.box,
        )
    except PalabreError as exc:
        session.rollback()
        return _new_form(
            request, user, kind, **refused(request, exc, {"server": server, "name": name})
        )
    session.commit()
    return _leave_for(request, url)


@router.get("/channels/connected", name="channel_oauth_callback")
def oauth_callback(
    request: Request,
    session: SessionDep,
    user: PageManager,
    rt: RuntimeDep,
    state: str = "",
    code: str = "",
    error: str = "",
) -> Response:
    pending = oauth.pending_for(session, user, state)
    if error or not code:
        kind, channel_id = pending.kind, pending.channel_id
        session.delete(pending)
        session.commit()
        exc = Invalid(
            {
                "server": (
                    N_("The server did not give Palabre access (%(reason)s)."),
                    {"reason": error or "no code"},
                )
            }
        )
        if channel_id is not None:
            return _channel_refused(request, session, user, channel_id, exc)
        return _new_form(request, user, kind, **refused(request, exc, {}))
    kind, channel_id = pending.kind, pending.channel_id
    try:
        channel = oauth.finish(
            session,
            user,
            pending,
            code=code,
            redirect_uri=_callback_url(request),
            net=rt.net,
            box=rt.box,
        )
    except PalabreError as exc:
        session.rollback()
        if channel_id is not None:
            return _channel_refused(request, session, user, channel_id, exc)
        return _new_form(request, user, kind, **refused(request, exc, {}))
    session.commit()
    done = "reconnected" if channel_id is not None else "created"
    return done_redirect(request, "channel_page", done, channel_id=channel.id)


@router.post("/channels/{channel_id}/reconnect", name="channel_reconnect")
def reconnect(
    request: Request,
    session: SessionDep,
    user: PageManager,
    rt: RuntimeDep,
    channel_id: int,
    submitted: Annotated[dict[str, str], Depends(submitted_form)],
) -> Response:
    channel = services.get_channel(session, user.workspace_id, channel_id)
    cls = adapters().get(channel.kind)
    if cls is not None and cls.oauth and submitted.get("via") == "server":
        server = str((channel.settings or {}).get(cls.oauth_server_field, ""))
        session.commit()
        try:
            url = oauth.start(
                session,
                user,
                kind=channel.kind,
                server=server,
                name=channel.name,
                redirect_uri=_callback_url(request),
                net=rt.net,
                box=rt.box,
                channel=channel,
            )
        except PalabreError as exc:
            session.rollback()
            return _channel_refused(request, session, user, channel_id, exc)
        session.commit()
        return _leave_for(request, url)
    specs = (
        [s for s in forms.describe(cls.settings_model, cls.secret_fields) if s.secret]
        if cls
        else []
    )
    try:
        settings = {**services.stored_settings(channel), **forms.parse(specs, submitted)}
        session.commit()  # no transaction waits while the network is asked
        connected = services.connect(channel.kind, settings, rt.net, channel_id=channel.id)
        services.reconnect_channel(session, channel, connected, actor=user, box=rt.box)
    except PalabreError as exc:
        session.rollback()
        shown = refused(request, exc, {})
        return _channel(
            request,
            session,
            user,
            channel_id,
            None,
            flashes=shown["flashes"],
            errors=shown["errors"],
            status=shown["status"],
        )
    session.commit()
    return done_redirect(request, "channel_page", "reconnected", channel_id=channel_id)
