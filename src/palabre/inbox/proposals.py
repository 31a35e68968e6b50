"""Which conversations hold a volunteer's reply awaiting a manager's approval: the list's
marker and its "awaiting approval" filter.

A proposal is one of our messages not on the network yet, so it has no ``remote_id``:
``ix_inbox_messages_remote (channel_id, remote_id)`` reads the workspace's messages
without one (proposals, replies sent back or on their way or failed, a rare notification
without a post) as one short index range per channel, never the table.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.channels.models import Channel
from palabre.inbox.conversation_models import Message, MessageState


def pending(session: Session, workspace_id: int) -> list[int]:
    """The workspace's conversations awaiting approval (ids, lowest first)."""
    channels = select(Channel.id).where(Channel.workspace_id == workspace_id)
    return list(
        session.scalars(
            select(Message.conversation_id)
            .where(
                Message.channel_id.in_(channels),
                Message.remote_id.is_(None),
                Message.state == MessageState.proposed,
            )
            .distinct()
            .order_by(Message.conversation_id)
        )
    )


def pending_among(session: Session, conversation_ids: Iterable[int]) -> set[int]:
    """Those of ``conversation_ids`` (a page of the list) awaiting approval: their
    messages read through ``ix_inbox_messages_conversation``."""
    ids = list(conversation_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Message.conversation_id).where(
                Message.conversation_id.in_(ids), Message.state == MessageState.proposed
            )
        )
    )
