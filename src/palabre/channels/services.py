"""Every change to channels, and building an adapter for a channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.channels.base import (
    Account,
    Capabilities,
    ChannelAdapter,
    ChannelConfig,
    ChannelError,
    RateLimit,
    TransientError,
)
from palabre.channels.forms import secret_names
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.preview.models import PreviewRecord
from palabre.channels.registry import UnknownChannelKind, get_adapter_class
from palabre.channels.sync_models import ChannelSync
from palabre.core.db import Database, utcnow
from palabre.core.errors import FieldErrors, Invalid, NotFound
from palabre.core.i18n import N_
from palabre.core.netpolicy import NetPolicy, URLRefused
from palabre.core.security import SecretBox
from palabre.team import audit, notices
from palabre.team.models import Role, User, Workspace
from palabre.team.services import require

# pydantic error types → a message a person understands (msgid, from the error's context)
FRIENDLY = {
    "missing": N_("This field is required."),
    "int_parsing": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "bool_parsing": N_("Choose yes or no."),
    "greater_than_equal": N_("Enter a number of at least %(ge)s."),
    "greater_than": N_("Enter a number greater than %(gt)s."),
    "less_than_equal": N_("Enter a number of at most %(le)s."),
    "less_than": N_("Enter a number less than %(lt)s."),
    "literal_error": N_("Choose one of: %(expected)s."),
    "string_too_short": N_("Enter at least %(min_length)s characters."),
    "string_too_long": N_("Enter at most %(max_length)s characters."),
    "url_parsing": N_("Enter a full web address, starting with https://"),
    "url_scheme": N_("Enter a full web address, starting with https://"),
    "extra_forbidden": N_("Unknown setting."),
}


def validation_to_invalid(exc: ValidationError, prefix: str = "") -> Invalid:
    errors = FieldErrors()
    for err in exc.errors():
        field = (
            prefix + ".".join(str(p) for p in err["loc"]) if err["loc"] else prefix or "settings"
        )
        friendly = FRIENDLY.get(err["type"])
        params = {k: str(v) for k, v in (err.get("ctx") or {}).items()}
        if friendly:
            try:
                friendly % params
            except (KeyError, TypeError, ValueError):
                friendly = None
        if friendly:
            errors.add(field, friendly, **params)
        else:
            errors.add(field, "%(detail)s", detail=err["msg"])
    return Invalid(errors.errors)


@dataclass
class Connected:
    """A channel's settings checked and its account reached: ready to be stored."""

    adapter_cls: type[ChannelAdapter]
    plain: dict[str, Any]
    secret: dict[str, Any]
    account: Account | None


def check_settings(
    kind: str, settings: dict[str, Any], net: NetPolicy
) -> tuple[type[ChannelAdapter], dict[str, Any], dict[str, Any]]:
    """Validate settings with the adapter's model; split them into plain and secret."""
    try:
        adapter_cls = get_adapter_class(kind)
    except UnknownChannelKind:
        raise Invalid({"kind": (N_("Unknown channel kind: %(kind)s"), {"kind": kind})}) from None
    try:
        validated = adapter_cls.settings_model.model_validate(settings or {}, context={"net": net})
    except ValidationError as exc:
        raise validation_to_invalid(exc, "settings.") from exc
    data = validated.model_dump(mode="json")
    hidden = secret_names(adapter_cls.settings_model, adapter_cls.secret_fields)
    secret = {
        k: v.get_secret_value() if isinstance(v, SecretStr) else data[k]
        for k, v in validated
        if k in hidden and v is not None
    }
    plain = {k: v for k, v in data.items() if k not in hidden}
    return adapter_cls, plain, secret


def refused_by_network(field: str, exc: Exception) -> Invalid:
    """What went wrong when reaching a server, next to ``field``: the adapter's own message
    (a wrong password, not that kind of server…), or "try again" for a passing failure."""
    errors = FieldErrors()
    if isinstance(exc, ChannelError | URLRefused):
        errors.add(field, exc.message, **exc.params)
    else:
        errors.add(
            field,
            N_("The server did not answer properly (%(detail)s). Try again in a moment."),
            detail=str(exc),
        )
    return Invalid(errors.errors)


def connect(
    kind: str, settings: dict[str, Any], net: NetPolicy, *, channel_id: int = 0
) -> Connected:
    """Check the settings, then reach the account on its network: what it says about
    itself (its limits) joins the settings. Talks to the network — call it outside a
    writing transaction. A problem the person must fix is an ``Invalid`` saying what."""
    adapter_cls, plain, secret = check_settings(kind, settings, net)
    adapter = adapter_cls(ChannelConfig(channel_id, dict(plain), dict(secret), None, net))
    try:
        account = adapter.verify()
        learnt = adapter.server_settings()
    except (ChannelError, TransientError) as exc:
        raise refused_by_network("settings", exc) from exc
    plain.update(learnt)
    secret.update(adapter.config.secrets)  # e.g. a session opened while checking
    return Connected(adapter_cls, plain, secret, account)


def create_channel(
    session: Session,
    workspace: Workspace,
    *,
    kind: str,
    name: str,
    settings: dict[str, Any],
    actor: User,
    box: SecretBox,
    net: NetPolicy | None = None,
    connected: Connected | None = None,
) -> Channel:
    """Add a channel. Unless already ``connected``, its account is reached first (on the
    network: views end their transaction before, so no lock waits on a server)."""
    require(actor, Role.manager)
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", "Give the channel a name.")
    errors.raise_if_any()
    if connected is None:
        connected = connect(kind, settings, net or NetPolicy())
    channel = Channel(
        workspace_id=workspace.id,
        kind=kind,
        name=name.strip(),
        settings=connected.plain,
        secrets_encrypted=box.encrypt(connected.secret) if connected.secret else None,
        status=ChannelStatus.active,
    )
    _set_account(channel, connected.account)
    session.add(channel)
    session.flush()
    session.add(ChannelSync(channel_id=channel.id, state="polling", next_attempt_at=utcnow()))
    audit.record(
        session,
        workspace_id=workspace.id,
        actor=actor,
        action="channel.created",
        object_type="channel",
        object_id=channel.id,
        kind=kind,
        name=channel.name,
        account=channel.account_handle,
    )
    return channel


def reconnect_channel(
    session: Session, channel: Channel, connected: Connected, *, actor: User, box: SecretBox
) -> Channel:
    """New credentials for a channel (a token pasted again, an OAuth flow gone through):
    it becomes active, and what waited goes out."""
    require(actor, Role.manager)
    if connected.adapter_cls.kind != channel.kind:
        raise Invalid({"kind": (N_("This is not the same kind of channel."), {})})
    previous = channel.account_id
    if previous and connected.account and connected.account.id != previous:
        message = N_(
            "These credentials are for another account (%(handle)s); "
            "add it as a new channel instead."
        )
        raise Invalid({"settings": (message, {"handle": connected.account.handle})})
    channel.settings = {**(channel.settings or {}), **connected.plain}
    channel.secrets_encrypted = box.encrypt(connected.secret) if connected.secret else None
    _set_account(channel, connected.account)
    was_broken = channel.status == ChannelStatus.needs_reconnection
    channel.status = ChannelStatus.active
    from palabre.publishing.delivery import wake_deliveries  # (publishing imports us)

    wake_deliveries(session, channel.id)
    _wake_sync(session, channel.id)
    audit.record(
        session,
        workspace_id=channel.workspace_id,
        actor=actor,
        action="channel.reconnected",
        object_type="channel",
        object_id=channel.id,
        was_broken=was_broken,
    )
    session.flush()
    return channel


def stored_settings(channel: Channel) -> dict[str, Any]:
    """The channel's plain settings its adapter's model knows (not what was learnt from
    the server), to be completed with new secrets when reconnecting."""
    fields = get_adapter_class(channel.kind).settings_model.model_fields
    return {k: v for k, v in (channel.settings or {}).items() if k in fields}


def _set_account(channel: Channel, account: Account | None) -> None:
    if account is not None:
        channel.account_id = account.id[:255]
        channel.account_handle = account.handle[:255]
        channel.account_url = account.url


def _wake_sync(session: Session, channel_id: int) -> None:
    sync = session.scalar(select(ChannelSync).where(ChannelSync.channel_id == channel_id))
    if sync is None:
        session.add(ChannelSync(channel_id=channel_id, state="polling", next_attempt_at=utcnow()))
    elif sync.locked_until is None or sync.locked_until < utcnow():
        sync.next_attempt_at = utcnow()
        sync.attempts = 0


def set_paused(session: Session, channel: Channel, *, paused: bool, actor: User) -> Channel:
    """Pause a channel (its deliveries wait), or make it active again — which also ends a
    "needs reconnection" — and then its waiting deliveries are due at once."""
    require(actor, Role.manager)
    channel.status = ChannelStatus.paused if paused else ChannelStatus.active
    if not paused:
        from palabre.publishing.delivery import wake_deliveries  # (publishing imports us)

        wake_deliveries(session, channel.id)
        _wake_sync(session, channel.id)
    audit.record(
        session,
        workspace_id=channel.workspace_id,
        actor=actor,
        action="channel.paused" if paused else "channel.resumed",
        object_type="channel",
        object_id=channel.id,
    )
    session.flush()
    return channel


def list_channels(session: Session, workspace_id: int) -> list[Channel]:
    return list(
        session.scalars(
            select(Channel).where(Channel.workspace_id == workspace_id).order_by(Channel.name)
        )
    )


def get_channel(session: Session, workspace_id: int, channel_id: int) -> Channel:
    channel = session.get(Channel, channel_id)
    if channel is None or channel.workspace_id != workspace_id:
        raise NotFound("No such channel in this workspace.")
    return channel


def adapter_for(
    channel: Channel,
    *,
    box: SecretBox | None,
    db: Database | None,
    net: NetPolicy | None = None,
) -> ChannelAdapter:
    """The channel's adapter; with the box and the database, secrets it changes (a
    refreshed session) are saved, encrypted, at once."""
    cls = get_adapter_class(channel.kind)
    secrets = box.decrypt(channel.secrets_encrypted) if box and channel.secrets_encrypted else {}
    save = None
    if box is not None and db is not None:
        channel_id = channel.id

        def save(new: dict[str, Any]) -> None:
            merged = {**secrets, **new}
            secrets.clear()
            secrets.update(merged)
            with db.transaction() as session:
                row = session.get(Channel, channel_id)
                if row is not None:
                    row.secrets_encrypted = box.encrypt(merged)

    config = ChannelConfig(
        channel.id, dict(channel.settings or {}), secrets, db, net or NetPolicy()
    )
    config.save_secrets = save
    return cls(config)


def capabilities(channel: Channel) -> Capabilities:
    """What a channel accepts; needs no secret."""
    return adapter_for(channel, box=None, db=None).capabilities()


def record_success(session: Session, channel_id: int) -> None:
    channel = session.get(Channel, channel_id)
    if channel is not None:
        channel.last_success_at = utcnow()


def record_error(session: Session, channel_id: int, message: str, *, needs_reconnect: bool) -> None:
    """A channel's last error; a dead token also marks it "needs reconnection" and tells
    the managers (once, when it happens)."""
    channel = session.get(Channel, channel_id)
    if channel is None:
        return
    channel.last_error = message[:2000]
    channel.last_error_at = utcnow()
    if needs_reconnect and channel.status != ChannelStatus.needs_reconnection:
        channel.status = ChannelStatus.needs_reconnection
        notices.tell_managers(
            session,
            channel.workspace_id,
            kind="channel.needs_reconnection",
            message=N_("The channel “%(name)s” needs to be reconnected: its posts wait."),
            params={"name": channel.name},
            link=f"/channels/{channel.id}",
        )
        audit.record(
            session,
            workspace_id=channel.workspace_id,
            actor=None,
            action="channel.needs_reconnection",
            object_type="channel",
            object_id=channel.id,
        )


def record_rate_limit(session: Session, channel_id: int, limit: RateLimit | None) -> None:
    if limit is None:
        return
    channel = session.get(Channel, channel_id)
    if channel is not None:
        channel.rate_limit_limit = limit.limit
        channel.rate_limit_remaining = limit.remaining
        channel.rate_limit_reset_at = limit.reset_at


# -- reads for the pages ----------------------------------------------------------------
def recent_notifications(session: Session, channel_id: int, limit: int = 10) -> list[Any]:
    """What people said to this channel lately, newest first (the inbox comes next)."""
    from palabre.inbox.models import Notification

    return list(
        session.scalars(
            select(Notification)
            .where(Notification.channel_id == channel_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def sync_of(session: Session, channel_id: int) -> ChannelSync | None:
    return session.scalar(select(ChannelSync).where(ChannelSync.channel_id == channel_id))


def needing_reconnection(channels: list[Channel]) -> list[Channel]:
    return [c for c in channels if c.status == ChannelStatus.needs_reconnection]


def preview_records(
    session: Session, channel: Channel, *, before_id: int | None = None, limit: int = 20
) -> list[PreviewRecord]:
    """What a preview channel would have published, newest first."""
    query = select(PreviewRecord).where(PreviewRecord.channel_id == channel.id)
    if before_id is not None:
        query = query.where(PreviewRecord.id < before_id)
    return list(session.scalars(query.order_by(PreviewRecord.id.desc()).limit(limit)))
