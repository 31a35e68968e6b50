"""REST API: channels."""

from __future__ import annotations

from fastapi import APIRouter, status

from palabre.channels import services as channels
from palabre.channels.models import Channel
from palabre.channels.registry import UnknownChannelKind, adapters
from palabre.channels.schemas import (
    CapabilitiesOut,
    ChannelCreate,
    ChannelList,
    ChannelOut,
    Health,
)
from palabre.core.deps import ApiManager, ApiUser, RuntimeDep, SessionDep
from palabre.team.api import API_DEPENDENCIES
from palabre.team.schemas import error_responses

router = APIRouter(tags=["channels"], dependencies=API_DEPENDENCIES)


def channel_out(channel: Channel) -> ChannelOut:
    try:
        caps = CapabilitiesOut.model_validate(channels.capabilities(channel))
    except UnknownChannelKind:
        caps = None
    return ChannelOut(
        id=channel.id,
        kind=channel.kind,
        name=channel.name,
        status=channel.status,
        settings=dict(channel.settings or {}),
        account=channel.account_handle,
        health=Health(
            last_success_at=channel.last_success_at,
            last_error=channel.last_error,
            last_error_at=channel.last_error_at,
            rate_limit_remaining=channel.rate_limit_remaining,
            rate_limit_limit=channel.rate_limit_limit,
            rate_limit_reset_at=channel.rate_limit_reset_at,
        ),
        capabilities=caps,
        created_at=channel.created_at,
    )


@router.get(
    "/channels",
    response_model=ChannelList,
    summary="List channels",
    description="Every channel of the workspace, by name, with its health and capabilities.",
    responses=error_responses(),
)
def list_channels(session: SessionDep, user: ApiUser) -> ChannelList:
    rows = channels.list_channels(session, user.workspace_id)
    return ChannelList(channels=[channel_out(c) for c in rows])


@router.post(
    "/channels",
    response_model=ChannelOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a channel",
    description="Managers and owners. The settings are checked by the adapter of `kind` "
    "(installed kinds: " + ", ".join(sorted(adapters())) + "); secret settings are "
    "stored encrypted and never returned.",
    responses=error_responses(400, 403, 422),
)
def create_channel(
    body: ChannelCreate, session: SessionDep, user: ApiManager, rt: RuntimeDep
) -> ChannelOut:
    session.commit()  # no transaction waits while the network is asked
    connected = channels.connect(body.kind, body.settings, rt.net)
    channel = channels.create_channel(
        session,
        user.workspace,
        kind=body.kind,
        name=body.name,
        settings=body.settings,
        actor=user,
        box=rt.box,
        connected=connected,
    )
    session.commit()
    return channel_out(channel)


@router.get(
    "/channels/{channel_id}",
    response_model=ChannelOut,
    summary="Get a channel",
    description="Its kind, status, health (last success, last error) and what it accepts.",
    responses=error_responses(404, 422),
)
def get_channel(channel_id: int, session: SessionDep, user: ApiUser) -> ChannelOut:
    return channel_out(channels.get_channel(session, user.workspace_id, channel_id))
