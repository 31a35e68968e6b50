"""A thank-you for what someone wrote is a reply in their thread, not a broadcast.

A mention or a quote is threaded into the inbox as a message (``inbox/threads.py``); the
thank-you answers that message through the inbox's own replies (``inbox/replies.py``):
the worker sends it once as a reply to their post (``PublishRequest.reply_to``), it shows
in the conversation, and a contributor's approval proposes it to a manager as any reply.
A thank-you for a repost, and a welcome for a new follower, have no message of theirs to
answer: they stay posts that mention the person.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.automations.models import Suggestion
from palabre.core.errors import Conflict
from palabre.core.i18n import N_
from palabre.inbox import replies
from palabre.inbox.conversation_models import Conversation, Message
from palabre.team.models import User

ALREADY_ANSWERED = N_("Someone already answered this person in the inbox: read it there.")


def answered_message(session: Session, row: Suggestion) -> Message | None:
    """The person's own message this thank-you answers, when it has one to reply to."""
    if row.kind != "thanks" or row.notification_id is None:
        return None
    return session.scalar(
        select(Message)
        .where(
            Message.notification_id == row.notification_id,
            Message.direction == "in",
            Message.remote_id.is_not(None),
        )
        .limit(1)
    )


def reply_in_thread(session: Session, row: Suggestion, answered: Message, actor: User) -> Message:
    """The thank-you as the inbox's reply to ``answered`` (sent by the inbox worker)."""
    conv = session.get(Conversation, answered.conversation_id)
    assert conv is not None
    text = next(iter(row.texts.values()))
    try:
        return replies.reply(session, conv, text, actor=actor, reply_to_id=answered.id)
    except Conflict as exc:
        if exc.message.startswith("%(name)s"):  # a person answered (or proposed) first
            raise Conflict(ALREADY_ANSWERED) from exc
        raise
