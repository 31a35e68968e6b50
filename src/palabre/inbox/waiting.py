"""A conversation's triage: the most urgent of the messages still waiting for an answer.

"URGENT : une fuite d'eau…" followed by "voici une photo" stays urgent: the conversation
takes the highest urgency and importance among the messages received since our last
reply, and the category of the most urgent of them (the latest among equals). Once we
answer, the next message starts afresh.

The same step folds the messages one by one when they arrive (``threads._received``, on
the conversation's summary, no query) and when a triage correction recomputes it from the
thread (:func:`recompute`, one query), so both give the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.inbox.conversation_models import Conversation, Message, MessageState, priority_of

# Ours that answer: a reply queued, sent, or failed (a member tries it again).
ANSWERS = (MessageState.sending, MessageState.sent, MessageState.failed)
_RANK = {"urgent": 2, "normal": 1, None: 1, "low": 0}


class Triaged(Protocol):
    @property
    def category(self) -> str | None: ...
    @property
    def urgency(self) -> str | None: ...
    @property
    def important(self) -> bool | None: ...


@dataclass(frozen=True)
class Summary:
    category: str | None
    urgency: str | None
    important: bool | None

    @property
    def priority(self) -> int:
        return priority_of(self.urgency, self.important)

    @classmethod
    def of(cls, item: Triaged) -> Summary:
        return cls(item.category, item.urgency, item.important)

    def apply_to(self, conv: Conversation) -> None:
        conv.category, conv.urgency, conv.important = self.category, self.urgency, self.important
        conv.priority = self.priority


def step(current: Summary | None, message: Triaged) -> Summary:
    """``current`` (the messages waiting so far) with one more."""
    if current is None:
        return Summary.of(message)
    urgency = current.urgency
    if _RANK.get(message.urgency, 1) > _RANK.get(urgency, 1) or (
        urgency is None and message.urgency == "normal"
    ):
        urgency = message.urgency
    important = current.important
    if message.important is not None and not important:
        important = message.important
    category = current.category
    own = priority_of(message.urgency, message.important)
    if message.category is not None and (own >= current.priority or category is None):
        category = message.category
    return Summary(category, urgency, important)


def on_arrival(conv: Conversation, message: Message, first: bool) -> None:
    """A message of theirs arrived (before the conversation's times are moved): fold it
    into what is waiting, or start afresh if we answered since the last one."""
    at: datetime = message.created_at
    answered_at = conv.last_message_at if conv.last_message_at > conv.last_inbound_at else None
    if first or (answered_at is not None and at > answered_at):
        Summary.of(message).apply_to(conv)
    elif answered_at is None:
        step(Summary.of(conv), message).apply_to(conv)
    # else: an older message arriving late, before our reply: already answered.


def recompute(session: Session, conv: Conversation) -> None:
    """From the thread (after a triage correction): the messages received since the last
    reply before the latest of them."""
    rows = session.execute(
        select(
            Message.direction,
            Message.state,
            Message.category,
            Message.urgency,
            Message.important,
        )
        .where(Message.conversation_id == conv.id)
        .order_by(Message.created_at, Message.id)
    )
    summary: Summary | None = None
    answered = False
    for row in rows:
        if row.direction == "out":
            answered = answered or row.state in ANSWERS
            continue
        summary = step(None if answered else summary, row)
        answered = False
    if summary is not None:
        summary.apply_to(conv)
