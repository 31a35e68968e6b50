"""Which conversations hold a volunteer's reply awaiting a manager's approval: the list's
marker and its "awaiting approval" filter.

The partial index ``ix_inbox_messages_proposed (workspace_id, conversation_id) WHERE
state = 'proposed'`` (migration 0011) holds the proposals only: finding them costs the
same after a hundred thousand replies sent as on the first day.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.inbox.conversation_models import Message, MessageState


def pending(session: Session, workspace_id: int) -> list[int]:
    """The workspace's conversations awaiting approval (ids, lowest first)."""
    return list(
        session.scalars(
            select(Message.conversation_id)
            .where(
                Message.workspace_id == workspace_id,
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
