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
from palabre.channels.models import Channel
from palabre.channels.registry import adapters
from palabre.channels.views import _channel, _new_form, _secret_specs, submitted_form, view_of
from palabre.core.deps import PageManager, RuntimeDep, SessionDep
from palabre.core.errors import Invalid, PalabreError
from palabre.core.i18n import N_
from palabre.core.runtime import Runtime
from palabre.core.templating import render
from palabre.team.models import User
from palabre.team.webutil import done_redirect, refused

router = APIRouter()


def _refused_on(
    request: Request, session: Session, user: User, exc: PalabreError, kind: str,
    channel_id: int | None, form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    """The page the person came from, with the reason: the channel's, or "add a channel"."""
    shown = refused(request, exc, form or {})
    if channel_id is None:
        return _new_form(request, user, kind, **shown)
    return _channel(
        request, session, user, channel_id, None,
        flashes=shown["flashes"], errors=shown["errors"], status=shown["status"],
    )  # fmt: skip


def _go_to_server(
    request: Request, session: Session, user: User, rt: Runtime, *,
    kind: str, server: str, name: str, channel: Channel | None = None,
) -> Response:  # fmt: skip
    """Register Palabre on the server, then off to it to approve. A page that moves on by
    itself rather than a redirect: the Content-Security-Policy lets forms go only to
    Palabre (``form-action 'self'``), and browsers apply that to the redirect that
    follows a form too."""
    session.commit()  # no transaction waits while the server is asked
    try:
        url = oauth.start(
            session, user, kind=kind, server=server, name=name,
            redirect_uri=str(request.url_for("channel_oauth_callback")),
            net=rt.net, box=rt.box, channel=channel,
        )  # fmt: skip
    except PalabreError as exc:
        session.rollback()
        channel_id = channel.id if channel else None
        return _refused_on(
            request, session, user, exc, kind, channel_id, {"server": server, "name": name}
        )
    session.commit()
    return render(request, "channels/leaving.html", {"url": url, "server": urlsplit(url).netloc})


@router.post("/channels/connect", name="channel_oauth_start")
def oauth_start(
    request: Request,
    session: SessionDep,
    user: PageManager,
    rt: RuntimeDep,
    submitted: Annotated[dict[str, str], Depends(submitted_form)],
) -> Response:
    return _go_to_server(
        request,
        session,
        user,
        rt,
        kind=submitted.get("kind", ""),
        server=submitted.get("server", ""),
        name=submitted.get("name", ""),
    )


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
    kind, channel_id = pending.kind, pending.channel_id
    if error or not code:
        session.delete(pending)
        session.commit()
        message = N_("The server did not give Palabre access (%(reason)s).")
        exc = Invalid({"server": (message, {"reason": error or "no code"})})
        return _refused_on(request, session, user, exc, kind, channel_id)
    try:
        channel = oauth.finish(
            session,
            user,
            pending,
            code=code,
            redirect_uri=str(request.url_for("channel_oauth_callback")),
            net=rt.net,
            box=rt.box,
        )
    except PalabreError as exc:
        session.rollback()
        return _refused_on(request, session, user, exc, kind, channel_id)
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
        return _go_to_server(
            request, session, user, rt, kind=channel.kind, server=server, name=channel.name,
            channel=channel,
        )  # fmt: skip
    secret_specs = _secret_specs(view_of(channel))
    try:
        settings = {**services.stored_settings(channel), **forms.parse(secret_specs, submitted)}
        session.commit()  # no transaction waits while the network is asked
        connected = services.connect(channel.kind, settings, rt.net, channel_id=channel.id)
        services.reconnect_channel(session, channel, connected, actor=user, box=rt.box)
    except PalabreError as exc:
        session.rollback()
        return _refused_on(request, session, user, exc, channel.kind, channel_id)
    session.commit()
    return done_redirect(request, "channel_page", "reconnected", channel_id=channel_id)
