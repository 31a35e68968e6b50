"""Every change to channels, and building an adapter for a channel."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.channels.base import Capabilities, ChannelAdapter, ChannelConfig
from palabre.channels.forms import secret_names
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.preview.models import PreviewRecord
from palabre.channels.registry import UnknownChannelKind, get_adapter_class
from palabre.core.db import Database, utcnow
from palabre.core.errors import FieldErrors, Invalid, NotFound
from palabre.core.i18n import N_
from palabre.core.security import SecretBox
from palabre.team import audit
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


def create_channel(
    session: Session,
    workspace: Workspace,
    *,
    kind: str,
    name: str,
    settings: dict[str, Any],
    actor: User,
    box: SecretBox,
) -> Channel:
    require(actor, Role.manager)
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", "Give the channel a name.")
    try:
        adapter_cls = get_adapter_class(kind)
    except UnknownChannelKind:
        errors.add("kind", "Unknown channel kind: %(kind)s", kind=kind)
        errors.raise_if_any()
        raise
    errors.raise_if_any()
    try:
        validated = adapter_cls.settings_model.model_validate(settings or {})
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
    channel = Channel(
        workspace_id=workspace.id,
        kind=kind,
        name=name.strip(),
        settings=plain,
        secrets_encrypted=box.encrypt(secret) if secret else None,
        status=ChannelStatus.active,
    )
    session.add(channel)
    session.flush()
    audit.record(
        session,
        workspace_id=workspace.id,
        actor=actor,
        action="channel.created",
        object_type="channel",
        object_id=channel.id,
        kind=kind,
        name=channel.name,
    )
    return channel


def set_paused(session: Session, channel: Channel, *, paused: bool, actor: User) -> Channel:
    """Pause a channel (its deliveries wait), or make it active again — which also ends a
    "needs reconnection" — and then its waiting deliveries are due at once."""
    require(actor, Role.manager)
    channel.status = ChannelStatus.paused if paused else ChannelStatus.active
    if not paused:
        from palabre.publishing.delivery import wake_deliveries  # (publishing imports us)

        wake_deliveries(session, channel.id)
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


def adapter_for(channel: Channel, *, box: SecretBox | None, db: Database | None) -> ChannelAdapter:
    cls = get_adapter_class(channel.kind)
    secrets = box.decrypt(channel.secrets_encrypted) if box and channel.secrets_encrypted else {}
    return cls(ChannelConfig(channel.id, dict(channel.settings or {}), secrets, db))


def capabilities(channel: Channel) -> Capabilities:
    """What a channel accepts; needs no secret."""
    return adapter_for(channel, box=None, db=None).capabilities()


def record_success(session: Session, channel_id: int) -> None:
    channel = session.get(Channel, channel_id)
    if channel is not None:
        channel.last_success_at = utcnow()


def record_error(session: Session, channel_id: int, message: str, *, needs_reconnect: bool) -> None:
    channel = session.get(Channel, channel_id)
    if channel is None:
        return
    channel.last_error = message[:2000]
    channel.last_error_at = utcnow()
    if needs_reconnect:
        channel.status = ChannelStatus.needs_reconnection


# -- reads for the pages ----------------------------------------------------------------
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
