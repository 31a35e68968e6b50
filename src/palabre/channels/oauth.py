"""Connecting a channel by OAuth: the person types their server's address, Palabre
registers itself there and sends them to approve; the server sends them back with a code.

What is kept in between (the app's client id and secret) is encrypted, tied to the
person who started, and to a ``state`` only their browser knows (stored hashed). A flow
not finished within 30 minutes is void. The network is asked outside any writing
transaction: the caller ends its transaction before calling these functions.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from palabre.channels import services
from palabre.channels.base import ChannelError, TransientError
from palabre.channels.models import Channel
from palabre.channels.oauth_models import OAuthPending
from palabre.channels.registry import UnknownChannelKind, get_adapter_class
from palabre.core.db import utcnow
from palabre.core.errors import FieldErrors, NotFound
from palabre.core.i18n import N_
from palabre.core.netpolicy import NetPolicy, URLRefused
from palabre.core.security import SecretBox, new_token, token_digest
from palabre.team.models import Role, User
from palabre.team.services import require

VALID_FOR = timedelta(minutes=30)


def start(
    session: Session,
    actor: User,
    *,
    kind: str,
    server: str,
    name: str,
    redirect_uri: str,
    net: NetPolicy,
    box: SecretBox,
    channel: Channel | None = None,
) -> str:
    """Register Palabre on the server (network), remember the flow; returns the address
    to send the person to."""
    require(actor, Role.manager)
    errors = FieldErrors()
    if channel is None and not name.strip():
        errors.add("name", "Give the channel a name.")
    try:
        cls = get_adapter_class(kind)
    except UnknownChannelKind:
        errors.add("kind", N_("Unknown channel kind: %(kind)s"), kind=kind)
        errors.raise_if_any()
        raise
    if not cls.oauth:
        errors.add("kind", N_("This kind of channel does not connect through its server."))
    try:
        server = net.check_url(server)
    except URLRefused as exc:
        errors.add("server", exc.message, **exc.params)
    errors.raise_if_any()
    state = new_token()
    try:
        begun = cls.oauth_start(server, redirect_uri, state, net)
    except (ChannelError, TransientError) as exc:
        raise services.refused_by_network("server", exc) from exc
    session.execute(delete(OAuthPending).where(OAuthPending.created_at < utcnow() - VALID_FOR))
    session.add(
        OAuthPending(
            state_hash=token_digest(state),
            workspace_id=actor.workspace_id,
            user_id=actor.id,
            kind=kind,
            name=(channel.name if channel else name.strip())[:200],
            server=server,
            channel_id=channel.id if channel else None,
            data_encrypted=box.encrypt(begun.state_data),
        )
    )
    return begun.authorize_url


def pending_for(session: Session, actor: User, state: str) -> OAuthPending:
    """The flow this ``state`` belongs to, started by this person, still valid."""
    row = session.scalar(select(OAuthPending).where(OAuthPending.state_hash == token_digest(state)))
    if row is None or row.user_id != actor.id or row.created_at < utcnow() - VALID_FOR:
        raise NotFound(
            N_("This connection link is not valid any more. Start connecting the channel again.")
        )
    return row


def finish(
    session: Session,
    actor: User,
    pending: OAuthPending,
    *,
    code: str,
    redirect_uri: str,
    net: NetPolicy,
    box: SecretBox,
) -> Channel:
    """Exchange the code for a token, reach the account, then add the channel (or
    reconnect the one the flow was started for). The network first; then the writes."""
    require(actor, Role.manager)
    cls = get_adapter_class(pending.kind)
    data = box.decrypt(pending.data_encrypted)
    kind, name, channel_id = pending.kind, pending.name, pending.channel_id
    session.delete(pending)  # a code is used once
    session.commit()
    try:
        settings = cls.oauth_finish(data, code, redirect_uri, net)
    except (ChannelError, TransientError) as exc:
        raise services.refused_by_network("server", exc) from exc
    if channel_id is not None:
        channel = services.get_channel(session, actor.workspace_id, channel_id)
        settings = {**services.stored_settings(channel), **settings}
        connected = services.connect(kind, settings, net, channel_id=channel.id)
        return services.reconnect_channel(session, channel, connected, actor=actor, box=box)
    connected = services.connect(kind, settings, net)
    return services.create_channel(
        session,
        actor.workspace,
        kind=kind,
        name=name,
        settings=settings,
        actor=actor,
        box=box,
        connected=connected,
    )
