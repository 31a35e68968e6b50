"""Pages: the inbox (by priority, filters, search, four quadrants) and a conversation
(thread, reply box, notes, assignment, status, triage corrections, proposals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from palabre.channels.services import capabilities, list_channels
from palabre.core.config import get_settings
from palabre.core.deps import PageUser, RuntimeDep, SessionDep
from palabre.core.errors import Conflict, Forbidden, Invalid, NotFound
from palabre.core.params import whole
from palabre.core.runtime import Runtime
from palabre.core.templating import render
from palabre.inbox import (
    counters,
    list_params,
    proposals,
    queries,
    replies,
    saved,
    services,
)
from palabre.inbox.conversation_models import TO_HANDLE, Conversation, Status
from palabre.inbox.page_render import render_page, tr_of
from palabre.inbox.present import reason_texts
from palabre.inbox.sanitise import sanitise
from palabre.inbox.triage import CATEGORIES, URGENCIES
from palabre.publishing.models import Post
from palabre.publishing.pages import FormDep
from palabre.team.models import Role, User

router = APIRouter()
PER_PAGE = 30
QUADRANT_ROWS = 10  # shown in each quadrant; its count and link give the rest
QUADRANTS = (
    ("urgent_important", True, True),
    ("urgent", True, False),
    ("important", False, True),
    ("rest", False, False),
)


def _quadrants(
    request: Request, session: Session, user: User, filters: queries.Filters
) -> list[dict[str, Any]]:
    """The four quadrants: the first rows of each, how many (counted up to a cap), and
    the address of the whole list of that quadrant."""
    ws, shown = user.workspace_id, []
    base = list_params.address_of(request, filters)
    for name, urgent, important in QUADRANTS:
        quadrant = replace(filters, urgent=urgent, important=important)
        rows = queries.list_conversations(
            session, ws, quadrant, user_id=user.id, limit=QUADRANT_ROWS
        ).rows
        count = len(rows)
        if count == QUADRANT_ROWS:
            count = queries.count_capped(session, ws, quadrant, user_id=user.id)
        params = {**base, "urgent": "1" if urgent else "0", "important": "1" if important else "0"}
        url = request.url_for("inbox_page").include_query_params(**params)
        shown.append({"name": name, "rows": rows, "count": count, "url": str(url)})
    return shown


def _load(session: Session, workspace_id: int) -> dict[int, int]:
    """Conversations to handle per person (0: nobody), from the counters."""
    table = counters.counts(session.connection(), workspace_id)
    load: dict[int, int] = {}
    for (assignee, status), n in table.items():
        if status in TO_HANDLE and n:
            load[assignee] = load.get(assignee, 0) + n
    return load


@router.get("/inbox", name="inbox_page")
def inbox_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    filters = list_params.filters_of(request)
    ws = user.workspace_id
    channels = {c.id: c for c in list_channels(session, ws)}
    params = list_params.address_of(request, filters)
    quadrant_view = request.query_params.get("view") == "quadrants"
    context: dict[str, Any] = {
        "filters": filters,
        "since_choice": params.get("since", ""),
        "channels": channels,
        "team": queries.team(session, ws),
        "categories": CATEGORIES,
        "quadrants": None,
        "load": _load(session, ws),
        "list_url": str(request.url_for("inbox_page").include_query_params(**params)),
        "quadrants_url": str(
            request.url_for("inbox_page").include_query_params(**params, view="quadrants")
        ),
    }
    if quadrant_view:
        context["quadrants"] = _quadrants(request, session, user, filters)
        shown = [c.id for quadrant in context["quadrants"] for c in quadrant["rows"]]
    else:
        page = queries.list_conversations(
            session,
            ws,
            filters,
            user_id=user.id,
            after=request.query_params.get("after"),
            limit=PER_PAGE,
        )
        context["rows"] = page.rows
        if page.next_cursor:
            after = request.url_for("inbox_page").include_query_params(
                **params, after=page.next_cursor
            )
            context["next_url"] = str(after)
        shown = [c.id for c in page.rows]
    context["awaiting"] = proposals.pending_among(session, shown)
    return render_page(request, "inbox/list.html", context)


# ---- A conversation


def _conversation_context(
    request: Request, session: Session, user: User, conv: Conversation, others: list[User]
) -> dict[str, Any]:
    tr = tr_of(request)
    thread = queries.thread(session, conv)
    channels = {c.id: c for c in list_channels(session, user.workspace_id)}
    channel = channels.get(conv.channel_id)
    caps = capabilities(channel) if channel else None
    latest_in = next((m for m in reversed(thread.messages) if m.direction == "in"), None)
    prefill = ""
    if channel is not None and channel.kind == "mastodon" and latest_in is not None:
        prefill = f"@{latest_in.author_handle} "
    by_id = {m.id: m for m in thread.messages}
    saved_list = saved.listing(session, user.workspace_id)
    chosen = next((r for r in saved_list if str(r.id) == request.query_params.get("saved")), None)
    if chosen is not None:
        prefill = f"{prefill}{chosen.text}"
    return {
        "saved_replies": saved_list,
        "saved_chosen": chosen,
        "saved_placeholders": sorted({p for r in saved_list for p in saved.placeholders(r.text)}),
        "conv": conv,
        "thread": thread,
        "by_id": by_id,
        "channel": channel,
        "caps": caps,
        "subject": session.get(Post, conv.subject_post_id) if conv.subject_post_id else None,
        "reasons": {m.id: reason_texts(m.reasons, tr) for m in thread.messages},
        "team": queries.team(session, user.workspace_id),
        "others": others,
        "latest_id": thread.messages[-1].id if thread.messages else 0,
        "prefill": prefill,
        "categories": CATEGORIES,
        "urgencies": URGENCIES,
        "can_act": user.can(Role.contributor),
        "can_send": user.can(Role.member),
        "can_review": user.can(Role.manager),
        "presence_every": get_settings().inbox_presence_seconds,
        "clean": sanitise,  # stored sanitised; cleaned again as it is shown
        "neighbours": queries.neighbours(
            session, user.workspace_id, conv, list_params.filters_of(request), user_id=user.id
        ),
    }


def _seen(rt: Runtime, user: User, conv_id: int) -> list[User]:
    """Mark the conversation read and the reader present (its own short write)."""
    with rt.db.transaction() as session:
        conv = services.get_conversation(session, user.workspace_id, conv_id)
        person = session.get(User, user.id)
        assert person is not None
        others = services.mark_seen(session, conv, person)
        session.expunge_all()
    return others


@router.get("/inbox/{conversation_id}", name="conversation_page")
def conversation_page(
    conversation_id: int, request: Request, session: SessionDep, user: PageUser, rt: RuntimeDep
) -> Response:
    conv = services.get_conversation(session, user.workspace_id, conversation_id)
    others = _seen(rt, user, conversation_id)
    context = _conversation_context(request, session, user, conv, others)
    return render_page(request, "inbox/conversation.html", context)


@router.get("/inbox/{conversation_id}/presence", name="conversation_presence")
def conversation_presence(
    conversation_id: int, request: Request, user: PageUser, rt: RuntimeDep
) -> Response:
    """Who else has the conversation open (the page asks again every 20 seconds,
    ``PALABRE_INBOX_PRESENCE_SECONDS``)."""
    others = _seen(rt, user, conversation_id)
    return render(request, "inbox/_presence.html", {"others": others})


def _act(
    request: Request,
    session: Session,
    user: User,
    conversation_id: int,
    change: Callable[[Conversation], str],
    form: dict[str, Any],
) -> Response:
    """Run ``change`` (which returns what to confirm), commit and go back to the
    conversation; on a refusal, show the page again with the message and what was typed."""
    conv = services.get_conversation(session, user.workspace_id, conversation_id, lock=True)
    try:
        done = change(conv)
        session.commit()
    except (Invalid, Conflict) as exc:
        session.rollback()
        tr = tr_of(request)
        conv = services.get_conversation(session, user.workspace_id, conversation_id)
        context = _conversation_context(request, session, user, conv, [])
        errors = {}
        if isinstance(exc, Invalid):
            errors = {f: tr.gettext(m, **p) for f, (m, p) in exc.errors.items()}
        context.update(
            errors=errors,
            form=form,
            flashes=[("error", tr.gettext(exc.message, **exc.params))],
        )
        return render_page(request, "inbox/conversation.html", context, status_code=exc.status)
    url = request.url_for("conversation_page", conversation_id=conversation_id)
    return RedirectResponse(str(url.include_query_params(done=done)), status_code=303)


@router.post("/inbox/{conversation_id}/reply", name="conversation_reply")
def reply(
    conversation_id: int, request: Request, session: SessionDep, user: PageUser, form: FormDep
) -> Response:
    text = str(form.get("text") or "")

    def change(conv: Conversation) -> str:
        message = replies.reply(
            session,
            conv,
            text,
            actor=user,
            reply_to_id=whole(form.get("reply_to_id")),
            seen_message_id=whole(form.get("seen_message_id")),
            force=form.get("force") == "1",
            close=form.get("close") == "1",
            saved_reply_id=whole(form.get("saved_reply_id")),
        )
        return "proposed" if message.state == "proposed" else "replied"

    return _act(request, session, user, conversation_id, change, dict(form))


@router.post("/inbox/{conversation_id}/assign", name="conversation_assign")
def assign(
    conversation_id: int, request: Request, session: SessionDep, user: PageUser, form: FormDep
) -> Response:
    value = str(form.get("assignee") or "")

    def change(conv: Conversation) -> str:
        if value == "round_robin":
            if not user.can(Role.member):
                raise Forbidden("Your role does not allow this.")
            services.assign_round_robin(session, conv, actor=user)
            return "assigned"
        person = None
        if value == "me":
            person = user
        elif (person_id := whole(value)) is not None:
            person = session.get(User, person_id)
            if person is None:
                raise NotFound("No such person in this workspace.")
        services.assign(session, conv, person, actor=user)
        return "assigned"

    return _act(request, session, user, conversation_id, change, dict(form))


@router.post("/inbox/{conversation_id}/status", name="conversation_status")
def set_status(
    conversation_id: int, request: Request, session: SessionDep, user: PageUser, form: FormDep
) -> Response:
    value = str(form.get("status") or "")
    if value not in {s.value for s in Status} or value == "new":
        raise NotFound("This action is not available at this address.")

    def change(conv: Conversation) -> str:
        services.set_status(session, conv, Status(value), actor=user)
        return "status"

    return _act(request, session, user, conversation_id, change, dict(form))


@router.post("/inbox/{conversation_id}/notes", name="conversation_note")
def add_note(
    conversation_id: int, request: Request, session: SessionDep, user: PageUser, form: FormDep
) -> Response:
    def change(conv: Conversation) -> str:
        services.add_note(session, conv, str(form.get("note") or ""), actor=user)
        return "noted"

    return _act(request, session, user, conversation_id, change, dict(form))


@router.post("/inbox/{conversation_id}/messages/{message_id}/triage", name="message_triage")
def correct_triage(
    conversation_id: int,
    message_id: int,
    request: Request,
    session: SessionDep,
    user: PageUser,
    form: FormDep,
) -> Response:
    def change(conv: Conversation) -> str:
        message = services.get_message(session, conv, message_id)
        services.correct_triage(
            session,
            conv,
            message,
            actor=user,
            category=str(form.get("category") or ""),
            urgency=str(form.get("urgency") or ""),
            important=form.get("important") == "1",
        )
        return "triaged"

    return _act(request, session, user, conversation_id, change, dict(form))


@router.post("/inbox/{conversation_id}/messages/{message_id}/review", name="message_review")
def review(
    conversation_id: int,
    message_id: int,
    request: Request,
    session: SessionDep,
    user: PageUser,
    form: FormDep,
) -> Response:
    """A manager approves (possibly edited), rejects (with a comment) or retries a reply."""
    decision = str(form.get("decision") or "")

    def change(conv: Conversation) -> str:
        message = services.get_message(session, conv, message_id)
        if decision == "approve":
            text = form.get("text")
            replies.approve_proposal(
                session,
                conv,
                message,
                actor=user,
                text=str(text) if text is not None else None,
                force=form.get("force") == "1",
            )
            return "approved"
        if decision == "reject":
            replies.reject_proposal(
                session, conv, message, actor=user, comment=str(form.get("comment") or "")
            )
            return "rejected"
        if decision == "retry":
            replies.retry_reply(session, conv, message, actor=user)
            return "retried"
        raise NotFound("This action is not available at this address.")

    return _act(request, session, user, conversation_id, change, dict(form))
