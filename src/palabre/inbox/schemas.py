"""API shapes for the inbox: conversations, their messages, notes and triage."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from palabre.channels.schemas import ChannelRef
from palabre.team.schemas import Model, UserRef, UtcTime


class TriageOut(BaseModel):
    category: str | None = Field(
        description="question, complaint, praise, suggestion, "
        "incident, spam, other; null: not triaged yet"
    )
    urgency: str | None = Field(description="urgent, normal or low")
    important: bool | None
    reasons: list[str] = Field(default_factory=list, description="Why, in your language")
    corrected: bool = Field(default=False, description="Someone on the team corrected it")


class CorrectionOut(BaseModel):
    by: UserRef | None
    old: dict[str, str | bool | None]
    new: dict[str, str | bool | None]
    at: UtcTime


class MessageOut(BaseModel):
    id: int
    direction: Literal["in", "out"]
    state: str = Field(description="received; ours: proposed, rejected, sending, sent, failed")
    kind: str
    author_handle: str = Field(description="Theirs: who wrote it; ours: empty")
    author_name: str | None
    text: str = Field(description="Plain text")
    html: str | None = Field(description="The network's HTML, sanitised (Mastodon)")
    remote_url: str | None = Field(description="The message on its network")
    reply_to_id: int | None = Field(description="Ours: the message answered")
    sent_by: UserRef | None = Field(description="Ours: who wrote the reply")
    review_comment: str | None
    last_error: str | None
    created_at: UtcTime
    triage: TriageOut | None = Field(description="Theirs only")
    corrections: list[CorrectionOut] = Field(default_factory=list)


class NoteOut(BaseModel):
    id: int
    author: UserRef | None
    text: str
    mentions: list[int] = Field(description="Ids of the teammates mentioned")
    created_at: UtcTime


class ConversationOut(BaseModel):
    id: int
    channel: ChannelRef
    status: str = Field(description="new, open, waiting (on the other person) or closed")
    direct: bool = Field(description="A private conversation (direct messages)")
    contact_handle: str = Field(description="Who wrote last")
    contact_name: str | None
    snippet: str
    root_url: str | None
    subject_post_id: int | None = Field(description="Our post the thread answers")
    assignee: UserRef | None
    triage: TriageOut = Field(description="Of the latest message received")
    priority: int = Field(description="4 urgent and important … 0 low")
    unread: int
    message_count: int
    first_message_at: UtcTime
    last_message_at: UtcTime
    last_inbound_at: UtcTime
    first_response_at: UtcTime | None
    first_response_due_at: UtcTime | None
    version: int
    awaiting_approval: bool = Field(
        default=False, description="Holds a volunteer's reply awaiting a manager's approval"
    )


class ConversationList(BaseModel):
    conversations: list[ConversationOut]
    next_cursor: str | None = Field(description="Pass as `after` for the next page")


class ConversationDetail(ConversationOut):
    messages: list[MessageOut]
    notes: list[NoteOut]


class ReplyIn(BaseModel):
    text: str = Field(max_length=20_000, description="Counted by the network's own rule")
    reply_to_id: int | None = Field(
        default=None, description="The message answered (default: the latest received)"
    )
    seen_message_id: int | None = Field(
        default=None,
        description="The newest message you saw: if a teammate replied after it, 409 "
        "tells you who and when, instead of sending a duplicate",
    )
    force: bool = Field(default=False, description="Send even though a teammate replied")
    close: bool = Field(default=False, description="Close the conversation once answered")
    saved_reply_id: int | None = Field(
        default=None,
        description="The saved reply the text comes from: refused (422) while a placeholder "
        "is not filled in, or if the same text went to someone else today",
    )


class AssignIn(BaseModel):
    assignee_id: int | None = Field(default=None, description="null: to nobody")
    round_robin: bool = Field(default=False, description="To whoever on duty has the fewest")


class NoteIn(BaseModel):
    text: str = Field(max_length=5000, description="`@name` notifies that teammate")


class TriageIn(BaseModel):
    category: str
    urgency: str
    important: bool


class ProposalApproveIn(BaseModel):
    text: str | None = Field(default=None, max_length=20_000, description="Edited text, if any")
    force: bool = Field(
        default=False, description="Send even though a teammate replied since the proposal"
    )


class ProposalRejectIn(BaseModel):
    comment: str = Field(max_length=2000, description="Why, shown to the volunteer")


class CountsOut(Model):
    to_handle: int = Field(description="New and open conversations")
    mine: int = Field(description="New and open conversations assigned to you")
    by_status: dict[str, int]
