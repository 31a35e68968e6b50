"""Pages: channels, adding one (a form made from its adapter's settings), a channel's
health and, for a preview channel, what it would have published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from palabre.channels import forms, services
from palabre.channels.base import Capabilities, ChannelAdapter
from palabre.channels.models import Channel, ChannelStatus
from palabre.channels.registry import UnknownChannelKind, adapters, get_adapter_class
from palabre.core.deps import PageManager, PageUser, RuntimeDep, SessionDep
from palabre.core.errors import Invalid, PalabreError
from palabre.core.i18n import N_
from palabre.core.params import whole
from palabre.core.templating import render
from palabre.team.models import Role, User
from palabre.team.webutil import done_redirect, flashes_for, refused

router = APIRouter()

CHANNEL_DONE = {
    "created": N_("The channel was added."),
    "paused": N_("The channel is paused: nothing will be published on it until you resume it."),
    "resumed": N_("The channel is active again: waiting posts will now be published."),
    "reconnected": N_("The channel is reconnected: waiting posts will now be published."),
}
HEARD_LABELS = {
    "mention": N_("mentioned the account"),
    "reply": N_("replied"),
    "quote": N_("quoted a post"),
    "follow": N_("followed the account"),
    "like": N_("liked a post"),
    "repost": N_("reposted a post"),
    "direct_message": N_("wrote a direct message"),
}
STATUS_LABELS = {
    ChannelStatus.active: N_("active"),
    ChannelStatus.paused: N_("paused"),
    ChannelStatus.needs_reconnection: N_("needs reconnection"),
}
RECORDS_PAGE_SIZE = 20


@dataclass
class ChannelView:
    """A channel as the pages show it: its adapter, limits and health."""

    channel: Channel
    adapter: type[ChannelAdapter] | None
    caps: Capabilities | None

    @property
    def kind_label(self) -> str:
        return self.adapter.label if self.adapter else self.channel.kind


def view_of(channel: Channel) -> ChannelView:
    try:
        cls = get_adapter_class(channel.kind)
    except UnknownChannelKind:
        return ChannelView(channel, None, None)
    try:
        caps = services.capabilities(channel)
    except Exception:  # an adapter's own bug must not break the page
        caps = None
    return ChannelView(channel, cls, caps)


def _common(user: User) -> dict[str, Any]:
    return {"status_labels": STATUS_LABELS, "is_manager": user.can(Role.manager)}


@router.get("/channels", name="channels_page")
def channels_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    channels = services.list_channels(session, user.workspace_id)
    return render(
        request,
        "channels/list.html",
        {
            "channels": [view_of(c) for c in channels],
            "broken": services.needing_reconnection(channels),
            "flashes": flashes_for(request, CHANNEL_DONE),
            **_common(user),
        },
    )


def _new_form(
    request: Request,
    user: User,
    kind: str,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    flashes: list[tuple[str, str]] | None = None,
) -> Response:
    available = adapters()
    cls = available.get(kind)
    specs = forms.describe(cls.settings_model, cls.secret_fields) if cls else []
    return render(
        request,
        "channels/new.html",
        {
            "available": available,
            "kind": kind if cls else "",
            "adapter": cls,
            "specs": specs,
            "form": form if form is not None else forms.initial_values(specs),
            "errors": errors or {},
            "flashes": flashes or [],
            **_common(user),
        },
        status_code=status,
    )


@router.get("/channels/new", name="channel_new_page")
def channel_new_page(request: Request, user: PageManager, kind: str = "") -> Response:
    available = adapters()
    if not kind and len(available) == 1:
        kind = next(iter(available))
    return _new_form(request, user, kind)


async def submitted_form(request: Request) -> dict[str, str]:
    """The whole form: its field names come from the adapter, so are not known up front."""
    data = await request.form()
    return {k: v for k, v in data.items() if isinstance(v, str)}


@router.post("/channels", name="channel_create")
def channel_create(
    request: Request,
    session: SessionDep,
    user: PageManager,
    rt: RuntimeDep,
    submitted: Annotated[dict[str, str], Depends(submitted_form)],
) -> Response:
    kind = submitted.get("kind", "")
    name = submitted.get("name", "")
    cls = adapters().get(kind)
    specs = forms.describe(cls.settings_model, cls.secret_fields) if cls else []
    try:
        settings = forms.parse(specs, submitted)
        if not name.strip():
            raise Invalid({"name": (N_("Give the channel a name."), {})})
        session.commit()  # no transaction waits while the network is asked
        connected = services.connect(kind, settings, rt.net)
        channel = services.create_channel(
            session,
            user.workspace,
            kind=kind,
            name=name,
            settings=settings,
            actor=user,
            box=rt.box,
            connected=connected,
        )
    except PalabreError as exc:
        session.rollback()
        kept = forms.kept_values(specs, submitted) | {"name": name}
        return _new_form(request, user, kind, **refused(request, exc, kept))
    session.commit()
    return done_redirect(request, "channel_page", "created", channel_id=channel.id)


def _settings_shown(view: ChannelView) -> list[tuple[str, str, bool]]:
    """(label msgid, value, is_secret) for each setting; a secret's value is never shown."""
    channel = view.channel
    stored = dict(channel.settings or {})
    if view.adapter is None:
        return [(key, str(value), False) for key, value in stored.items()]
    shown = []
    for spec in forms.describe(view.adapter.settings_model, view.adapter.secret_fields):
        if spec.secret:
            shown.append((spec.label, "", True))
        elif spec.name in stored:
            value = stored[spec.name]
            shown.append((spec.label, "" if value is None else str(value), False))
    return shown


def _channel(
    request: Request,
    session: Session,
    user: User,
    channel_id: int,
    before_id: int | None,
    *,
    flashes: list[tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    channel = services.get_channel(session, user.workspace_id, channel_id)
    view = view_of(channel)
    records = []
    older = None
    if channel.kind == "preview":
        records = services.preview_records(
            session, channel, before_id=before_id, limit=RECORDS_PAGE_SIZE + 1
        )
        if len(records) > RECORDS_PAGE_SIZE:
            records = records[:RECORDS_PAGE_SIZE]
            older = request.url_for("channel_page", channel_id=channel.id).include_query_params(
                before_id=records[-1].id
            )
    return render(
        request,
        "channels/detail.html",
        {
            "view": view,
            "channel": channel,
            "settings_shown": _settings_shown(view),
            "has_secrets": bool(channel.secrets_encrypted),
            "records": records,
            "older": str(older) if older else None,
            "paged": before_id is not None,
            "flashes": flashes if flashes is not None else flashes_for(request, CHANNEL_DONE),
            "errors": errors or {},
            "reconnect_specs": _secret_specs(view),
            "sync": services.sync_of(session, channel.id),
            "heard": services.recent_notifications(session, channel.id),
            "heard_labels": HEARD_LABELS,
            **_common(user),
        },
        status_code=status,
    )


def _secret_specs(view: ChannelView) -> list[forms.FieldSpec]:
    """The fields to type again to reconnect: the secret ones (token, app password)."""
    if view.adapter is None:
        return []
    specs = forms.describe(view.adapter.settings_model, view.adapter.secret_fields)
    return [spec for spec in specs if spec.secret]


@router.get("/channels/{channel_id}", name="channel_page")
def channel_page(
    request: Request, session: SessionDep, user: PageUser, channel_id: int, before_id: str = ""
) -> Response:
    before = whole(before_id)
    return _channel(request, session, user, channel_id, before)


def _pause(session: Session, user: User, channel_id: int, *, paused: bool) -> None:
    channel = services.get_channel(session, user.workspace_id, channel_id)
    services.set_paused(session, channel, paused=paused, actor=user)
    session.commit()


@router.post("/channels/{channel_id}/pause", name="channel_pause")
def channel_pause(
    request: Request, session: SessionDep, user: PageManager, channel_id: int
) -> Response:
    _pause(session, user, channel_id, paused=True)
    return done_redirect(request, "channel_page", "paused", channel_id=channel_id)


@router.post("/channels/{channel_id}/resume", name="channel_resume")
def channel_resume(
    request: Request, session: SessionDep, user: PageManager, channel_id: int
) -> Response:
    _pause(session, user, channel_id, paused=False)
    return done_redirect(request, "channel_page", "resumed", channel_id=channel_id)
