"""REST API: the inbox's conversations, their replies, assignment, status, notes, triage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy.orm import Session

from palabre.channels import services as channels
from palabre.channels.schemas import ChannelRef
from palabre.core.db import utcnow
from palabre.core.deps import ApiContributor, ApiManager, ApiUser, SessionDep, api_role
from palabre.core.errors import Forbidden, Invalid, NotFound
from palabre.core.i18n import N_, Translator
from palabre.inbox import counters, proposals, queries, replies, services
from palabre.inbox.conversation_models import TO_HANDLE, Conversation, Status
from palabre.inbox.present import conversation_out, detail_out, message_out, note_out
from palabre.inbox.schemas import (
    AssignIn,
    ConversationDetail,
    ConversationList,
    CountsOut,
    MessageOut,
    NoteIn,
    NoteOut,
    ProposalApproveIn,
    ProposalRejectIn,
    ReplyIn,
    TriageIn,
)
from palabre.team.api import API_DEPENDENCIES
from palabre.team.models import Role, User
from palabre.team.schemas import error_responses

router = APIRouter(tags=["inbox"], dependencies=API_DEPENDENCIES)
ApiMember = Annotated[User, Depends(api_role(Role.member))]
StatusFilter = Literal["todo", "new", "open", "waiting", "closed", "all"]


def _refs(session: Session, workspace_id: int) -> dict[int, ChannelRef]:
    return {
        c.id: ChannelRef(id=c.id, name=c.name, kind=c.kind)
        for c in channels.list_channels(session, workspace_id)
    }


def _tr(request: Request) -> Translator:
    tr: Translator = request.state.tr
    return tr


def _detail(request: Request, session: Session, user: User, conv_id: int) -> ConversationDetail:
    session.expire_all()
    conv = services.get_conversation(session, user.workspace_id, conv_id)
    refs = _refs(session, user.workspace_id)
    return detail_out(queries.thread(session, conv), refs[conv.channel_id], _tr(request))


def _change(
    request: Request,
    session: Session,
    user: User,
    conv_id: int,
    change: Callable[[Conversation], object],
) -> ConversationDetail:
    conv = services.get_conversation(session, user.workspace_id, conv_id, lock=True)
    change(conv)
    session.commit()
    return _detail(request, session, user, conv_id)


@router.get(
    "/conversations",
    response_model=ConversationList,
    summary="List conversations",
    description="By priority: urgent and important first, then the one waiting longest. "
    "Page with `after` (the previous page's `next_cursor`). `q` searches the messages "
    "and who wrote them (every word, accents and case ignored): the conversations by their "
    "newest matching message, or by relevance with `sort=relevance` (among the newest "
    "2,000 matching messages). `urgent` and `important` (true/false) give a quadrant of "
    "the urgent/important view; `awaiting_approval=true` those holding a volunteer's reply "
    "awaiting a manager; `since` those received since: a number of hours back (`24`, "
    "1 to 8760) or an ISO 8601 date and time with its offset (`2026-05-01T08:00:00+02:00`).",
    responses=error_responses(422),
)
def list_conversations(
    session: SessionDep,
    user: ApiUser,
    status_: Annotated[StatusFilter, Query(alias="status")] = "todo",
    assignee: Annotated[
        str | None, Query(pattern=r"^(me|nobody|\d+)$", description="me, nobody, or a person's id")
    ] = None,
    channel: Annotated[int | None, Query(ge=1)] = None,
    category: Annotated[str | None, Query(max_length=16)] = None,
    urgent: bool | None = None,
    important: bool | None = None,
    overdue: Annotated[
        bool, Query(description="Only those not answered past their first-response due time")
    ] = False,
    awaiting_approval: Annotated[
        bool, Query(description="Only those with a proposed reply awaiting a manager")
    ] = False,
    since: Annotated[
        str | None,
        Query(max_length=40, description="Hours back (24) or an ISO 8601 time with offset"),
    ] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: Literal["newest", "relevance"] = "newest",
    after: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ConversationList:
    received_since = None
    if since is not None:
        received_since = queries.since_of(since, utcnow())
        if received_since is None:
            message = N_("Give a number of hours (1 to 8760) or an ISO 8601 time with its offset.")
            raise Invalid({"since": (message, {})})
    filters = queries.Filters(
        status_, assignee, channel, category, urgent, important, q, received_since, sort=sort
    )
    filters.overdue, filters.awaiting = overdue, awaiting_approval
    page = queries.list_conversations(
        session, user.workspace_id, filters, user_id=user.id, after=after, limit=limit
    )
    refs = _refs(session, user.workspace_id)
    awaiting = proposals.pending_among(session, [c.id for c in page.rows])
    return ConversationList(
        conversations=[
            conversation_out(c, refs[c.channel_id], awaiting=c.id in awaiting) for c in page.rows
        ],
        next_cursor=page.next_cursor,
    )


@router.get(
    "/conversations/counts",
    response_model=CountsOut,
    summary="Badge counts",
    description="Read from counters kept up to date on every change (no count over the table).",
    responses=error_responses(),
)
def counts(session: SessionDep, user: ApiUser) -> CountsOut:
    conn = session.connection()
    table = counters.counts(conn, user.workspace_id)
    return CountsOut(
        to_handle=sum(n for (_, s), n in table.items() if s in TO_HANDLE),
        mine=sum(n for (a, s), n in table.items() if a == user.id and s in TO_HANDLE),
        by_status=counters.by_status(table, [s.value for s in Status]),
    )


@router.get(
    "/conversations/{conversation_id}",
    response_model=ConversationDetail,
    summary="Get a conversation",
    description="Its messages (ours and theirs, oldest first, with triage and the reasons "
    "in your language, corrections), internal notes, assignee and response times.",
    responses=error_responses(404, 422),
)
def get_conversation(
    conversation_id: int, request: Request, session: SessionDep, user: ApiUser
) -> ConversationDetail:
    return _detail(request, session, user, conversation_id)


@router.post(
    "/conversations/{conversation_id}/reply",
    response_model=MessageOut,
    status_code=status.HTTP_201_CREATED,
    summary="Reply in the thread",
    description="Members and above: sent through the channel's reply, threaded under the "
    "message answered, once. Contributors: proposed, for a manager to approve. 409 if a "
    "teammate replied after `seen_message_id` (or, without it, to the same message), "
    "unless `force`. 422 when the text is empty or too long for the network.",
    responses=error_responses(403, 404, 409, 422),
)
def reply(
    conversation_id: int, body: ReplyIn, request: Request, session: SessionDep, user: ApiContributor
) -> MessageOut:
    conv = services.get_conversation(session, user.workspace_id, conversation_id, lock=True)
    message = replies.reply(
        session,
        conv,
        body.text,
        actor=user,
        reply_to_id=body.reply_to_id,
        seen_message_id=body.seen_message_id,
        force=body.force,
        close=body.close,
        saved_reply_id=body.saved_reply_id,
    )
    session.commit()
    session.refresh(message)
    return message_out(message, _tr(request), [])


@router.post(
    "/conversations/{conversation_id}/assign",
    response_model=ConversationDetail,
    summary="Assign a conversation",
    description="Members and above give it to anyone on the team (or nobody, or "
    "`round_robin` to whoever on duty has the fewest); contributors take it for themselves.",
    responses=error_responses(403, 404, 409, 422),
)
def assign(
    conversation_id: int,
    body: AssignIn,
    request: Request,
    session: SessionDep,
    user: ApiContributor,
) -> ConversationDetail:
    def change(conv: Conversation) -> None:
        if body.round_robin:
            if not user.can(Role.member):
                raise Forbidden("Your role does not allow this.")
            services.assign_round_robin(session, conv, actor=user)
            return
        person = None
        if body.assignee_id is not None:
            person = session.get(User, body.assignee_id)
            if person is None:
                raise NotFound("No such person in this workspace.")
        services.assign(session, conv, person, actor=user)

    return _change(request, session, user, conversation_id, change)


def _status_route(name: str, target: Status, summary: str, description: str) -> None:
    def route(
        conversation_id: int, request: Request, session: SessionDep, user: ApiMember
    ) -> ConversationDetail:
        return _change(
            request,
            session,
            user,
            conversation_id,
            lambda conv: services.set_status(session, conv, target, actor=user),
        )

    router.add_api_route(
        f"/conversations/{{conversation_id}}/{name}",
        route,
        methods=["POST"],
        response_model=ConversationDetail,
        summary=summary,
        description=description,
        responses=error_responses(403, 404, 422),
        name=f"conversation_{name}",
    )


_status_route(
    "close",
    Status.closed,
    "Close a conversation",
    "Members and above. It opens again by itself when the person writes again.",
)
_status_route("reopen", Status.open, "Reopen a conversation", "Members and above.")
_status_route(
    "waiting", Status.waiting, "Mark as waiting on the other person", "Members and above."
)


@router.post(
    "/conversations/{conversation_id}/notes",
    response_model=NoteOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add an internal note",
    description="Never sent out. `@name` (a first name, a name without spaces or the "
    "e-mail's name) notifies that teammate.",
    responses=error_responses(403, 404, 422),
)
def add_note(
    conversation_id: int, body: NoteIn, session: SessionDep, user: ApiContributor
) -> NoteOut:
    conv = services.get_conversation(session, user.workspace_id, conversation_id)
    note = services.add_note(session, conv, body.text, actor=user, field="text")
    session.commit()
    return note_out(note)


@router.post(
    "/conversations/{conversation_id}/messages/{message_id}/triage",
    response_model=ConversationDetail,
    summary="Correct a message's triage",
    description="Anyone on the team but viewers; the correction is kept and shown.",
    responses=error_responses(403, 404, 422),
)
def correct_triage(
    conversation_id: int,
    message_id: int,
    body: TriageIn,
    request: Request,
    session: SessionDep,
    user: ApiContributor,
) -> ConversationDetail:
    def change(conv: Conversation) -> None:
        message = services.get_message(session, conv, message_id)
        services.correct_triage(
            session,
            conv,
            message,
            actor=user,
            category=body.category,
            urgency=body.urgency,
            important=body.important,
        )

    return _change(request, session, user, conversation_id, change)


@router.post(
    "/conversations/{conversation_id}/messages/{message_id}/approve",
    response_model=ConversationDetail,
    summary="Approve a proposed reply",
    description="Managers and owners; `text` sends an edited version, checked like any "
    "reply (422: too long, a saved reply's placeholder left, the same saved text sent to "
    "someone else today). 409 if a teammate replied since the proposal, unless `force`.",
    responses=error_responses(403, 404, 409, 422),
)
def approve(
    conversation_id: int,
    message_id: int,
    request: Request,
    session: SessionDep,
    user: ApiManager,
    body: ProposalApproveIn | None = None,
) -> ConversationDetail:
    def change(conv: Conversation) -> None:
        message = services.get_message(session, conv, message_id)
        replies.approve_proposal(
            session,
            conv,
            message,
            actor=user,
            text=body.text if body else None,
            force=body.force if body else False,
        )

    return _change(request, session, user, conversation_id, change)


@router.post(
    "/conversations/{conversation_id}/messages/{message_id}/reject",
    response_model=ConversationDetail,
    summary="Reject a proposed reply",
    description="Managers and owners; the comment is shown to the volunteer.",
    responses=error_responses(403, 404, 409, 422),
)
def reject(
    conversation_id: int,
    message_id: int,
    body: ProposalRejectIn,
    request: Request,
    session: SessionDep,
    user: ApiManager,
) -> ConversationDetail:
    def change(conv: Conversation) -> None:
        message = services.get_message(session, conv, message_id)
        replies.reject_proposal(session, conv, message, actor=user, comment=body.comment)

    return _change(request, session, user, conversation_id, change)


@router.post(
    "/conversations/{conversation_id}/messages/{message_id}/retry",
    response_model=ConversationDetail,
    summary="Try a failed reply again",
    description="Members and above.",
    responses=error_responses(403, 404, 409, 422),
)
def retry(
    conversation_id: int, message_id: int, request: Request, session: SessionDep, user: ApiMember
) -> ConversationDetail:
    def change(conv: Conversation) -> None:
        message = services.get_message(session, conv, message_id)
        replies.retry_reply(session, conv, message, actor=user)

    return _change(request, session, user, conversation_id, change)
