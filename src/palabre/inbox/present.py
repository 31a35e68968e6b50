"""Conversations and messages as the API shows them (pages use the reasons' text too)."""

from __future__ import annotations

from typing import Any

from palabre.channels.schemas import ChannelRef
from palabre.core.i18n import Translator
from palabre.inbox.conversation_models import (
    Conversation,
    Message,
    MessageState,
    Note,
    TriageCorrection,
)
from palabre.inbox.queries import Thread
from palabre.inbox.schemas import (
    ConversationDetail,
    ConversationOut,
    CorrectionOut,
    MessageOut,
    NoteOut,
    TriageOut,
)
from palabre.inbox.triage import MESSAGES, Reason
from palabre.team.schemas import UserRef


def reason_texts(reasons: list[dict[str, Any]] | None, tr: Translator) -> list[str]:
    texts = []
    for item in reasons or []:
        code = str(item.get("code", ""))
        if code in MESSAGES:
            texts.append(Reason(code, tuple(item.get("words") or ())).text(tr))
    return texts


def _user(u: Any) -> UserRef | None:
    return UserRef(id=u.id, name=u.name) if u is not None else None


def conversation_out(
    conv: Conversation, channel: ChannelRef, *, awaiting: bool = False
) -> ConversationOut:
    return ConversationOut(**_conversation_fields(conv, channel), awaiting_approval=awaiting)


def _conversation_fields(conv: Conversation, channel: ChannelRef) -> dict[str, Any]:
    return {
        "id": conv.id,
        "channel": channel,
        "status": conv.status,
        "direct": conv.direct,
        "contact_handle": conv.contact_handle,
        "contact_name": conv.contact_name,
        "snippet": conv.snippet,
        "root_url": conv.root_url,
        "subject_post_id": conv.subject_post_id,
        "assignee": _user(conv.assignee),
        "triage": TriageOut(category=conv.category, urgency=conv.urgency, important=conv.important),
        "priority": conv.priority,
        "unread": conv.unread,
        "message_count": conv.message_count,
        "first_message_at": conv.first_message_at,
        "last_message_at": conv.last_message_at,
        "last_inbound_at": conv.last_inbound_at,
        "first_response_at": conv.first_response_at,
        "first_response_due_at": conv.first_response_due_at,
        "version": conv.version,
    }


def _correction(c: TriageCorrection) -> CorrectionOut:
    return CorrectionOut(by=_user(c.user), old=c.old, new=c.new, at=c.created_at)


def message_out(m: Message, tr: Translator, corrections: list[TriageCorrection]) -> MessageOut:
    triage = None
    if m.direction == "in":
        triage = TriageOut(
            category=m.category,
            urgency=m.urgency,
            important=m.important,
            reasons=reason_texts(m.reasons, tr),
            corrected=m.triage_corrected,
        )
    return MessageOut(
        id=m.id,
        direction="in" if m.direction == "in" else "out",
        state=m.state,
        kind=m.kind,
        author_handle=m.author_handle,
        author_name=m.author_name,
        text=m.text,
        html=m.html,
        remote_url=m.remote_url,
        reply_to_id=m.reply_to_id,
        sent_by=_user(m.sent_by),
        review_comment=m.review_comment,
        last_error=tr.gettext(m.last_error) if m.last_error else None,
        created_at=m.created_at,
        triage=triage,
        corrections=[_correction(c) for c in corrections],
    )


def note_out(n: Note) -> NoteOut:
    return NoteOut(
        id=n.id, author=_user(n.author), text=n.text, mentions=n.mentions, created_at=n.created_at
    )


def detail_out(t: Thread, channel: ChannelRef, tr: Translator) -> ConversationDetail:
    return ConversationDetail(
        **_conversation_fields(t.conversation, channel),
        awaiting_approval=any(m.state == MessageState.proposed for m in t.messages),
        messages=[message_out(m, tr, t.corrections.get(m.id, [])) for m in t.messages],
        notes=[note_out(n) for n in t.notes],
    )
