"""Reading the inbox: the list by priority (keyset pages), a conversation with its
thread, notes and corrections, the team's load.

The list's order is ``priority`` (urgent and important first), then the conversation
waiting longest (``last_inbound_at`` oldest first), then ``id``: a page continues after
the last row of the one before (``after`` = that row's cursor), never with OFFSET.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from palabre.core.db import utcnow
from palabre.core.params import whole
from palabre.inbox import proposals, search, search_pg, search_sqlite
from palabre.inbox.conversation_models import (
    Conversation,
    Message,
    Note,
    Status,
    TriageCorrection,
    priority_of,
)
from palabre.team.models import User

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PRIORITIES = (4, 3, 2, 1, 0)  # see conversation_models.priority_of
STATUS_FILTERS = ("todo", "new", "open", "waiting", "closed", "all")
SORTS = ("newest", "relevance")  # of search results
RANK_WINDOW = 2_000  # relevance ranks the newest this many matching messages
MAX_SINCE_HOURS = 8_760  # a year
COUNT_CAP = 999  # the quadrants count up to this many, then say "999+"


@dataclass
class Filters:
    status: str = "todo"  # new and open
    assignee: str | None = None  # "me", "nobody" or a user id
    channel_id: int | None = None
    category: str | None = None
    urgent: bool | None = None
    important: bool | None = None
    q: str | None = None
    since: datetime | None = None  # received since (the last 24 hours…)
    overdue: bool = False  # not answered and past its first-response due time
    awaiting: bool = False  # with a volunteer's reply awaiting a manager's approval
    sort: str = "newest"  # search results: "newest" (by matching message) or "relevance"
    pending: tuple[int, ...] | None = None  # resolved: the conversations awaiting approval

    @property
    def narrowed(self) -> bool:
        """Whether anything more than the default list is asked (to explain an empty one)."""
        return replace(self, sort="newest", pending=None) != Filters()


@dataclass
class Page:
    rows: list[Conversation]
    next_cursor: str | None


@dataclass
class Thread:
    conversation: Conversation
    messages: list[Message]
    notes: list[Note]
    corrections: dict[int, list[TriageCorrection]] = field(default_factory=dict)


def since_of(text: str, now: datetime) -> datetime | None:
    """``since`` as given: a number of hours back (1 to 8,760: ``24`` = the last 24
    hours) or an ISO 8601 date and time with its offset; None if it is neither."""
    hours = whole(text)
    if hours is not None:
        return now - timedelta(hours=hours) if 1 <= hours <= MAX_SINCE_HOURS else None
    try:
        when = datetime.fromisoformat(text)
        return when.astimezone(UTC) if when.tzinfo is not None else None
    except (ValueError, OverflowError):  # not a time; or before year 1 in UTC
        return None


def cursor_of(conv: Conversation) -> str:
    micros = (conv.last_inbound_at - EPOCH) // timedelta(microseconds=1)  # exact, no float
    return f"{conv.priority}.{micros}.{conv.id}"


def parse_cursor(text: str | None) -> tuple[int, datetime, int] | None:
    if not text:
        return None
    try:
        p, micros, i = (int(x) for x in text.split("."))
        return p, EPOCH + timedelta(microseconds=micros), i
    except (ValueError, OverflowError, OSError):
        return None


def _filtered(
    stmt: Select[Any], workspace_id: int, filters: Filters, user_id: int, c: Any = Conversation
) -> Select[Any]:
    stmt = stmt.where(c.workspace_id == workspace_id)
    if filters.status == "todo":
        stmt = stmt.where(c.to_handle.is_(True))
    elif filters.status in {s.value for s in Status}:
        stmt = stmt.where(c.status == filters.status)
    if filters.assignee == "me":
        stmt = stmt.where(c.assignee_id == user_id)
    elif filters.assignee == "nobody":
        stmt = stmt.where(c.assignee_id.is_(None))
    elif (assignee_id := whole(filters.assignee)) is not None:
        stmt = stmt.where(c.assignee_id == assignee_id)
    if filters.channel_id:
        stmt = stmt.where(c.channel_id == filters.channel_id)
    if filters.category:
        stmt = stmt.where(c.category == filters.category)
    if filters.urgent is not None:
        urgent = c.urgency == "urgent"
        stmt = stmt.where(urgent if filters.urgent else or_(c.urgency.is_(None), ~urgent))
    if filters.important is not None:
        stmt = stmt.where(c.important.is_(True) if filters.important else c.important.is_not(True))
    if filters.since is not None:
        stmt = stmt.where(c.last_inbound_at >= filters.since)
    if filters.overdue:
        stmt = stmt.where(c.first_response_at.is_(None), c.first_response_due_at <= utcnow())
    if filters.awaiting:
        stmt = stmt.where(c.id.in_(filters.pending or ()))
    return stmt


def priorities(filters: Filters) -> list[int]:
    """The priorities a conversation may have under the urgent/important filters (the
    list reads one index range per priority: the others are not read at all)."""
    allowed = {
        priority_of(urgency, important)
        for urgency in ("urgent", "normal", "low")
        for important in (True, False)
        if filters.urgent in (None, urgency == "urgent") and filters.important in (None, important)
    }
    return [p for p in PRIORITIES if p in allowed]


def _as_ranges(filters: Filters) -> Filters:
    """Without the urgent/important filters, for a query that reads only the priorities
    they allow (``priorities``): a priority says both, so the list indexes' ranges decide
    and no row is read to check them (a quadrant's count read 766 rows for nothing)."""
    return replace(filters, urgent=None, important=None)


def resolved(session: Session, workspace_id: int, filters: Filters) -> Filters:
    """``filters`` with the conversations awaiting approval looked up first (a short
    list, read from an index: see ``proposals.pending``) when it asks for them."""
    if filters.awaiting and filters.pending is None:
        return replace(filters, pending=tuple(proposals.pending(session, workspace_id)))
    return filters


def _source(filters: Filters) -> Any:
    """Where a list reads its conversations: the table through its list indexes, or,
    for those awaiting approval, only those few, fetched by their ids first (a derived
    table the planner cannot merge, so that it never walks an index range checking
    each id; the rest is filtered and ordered in memory)."""
    if not filters.awaiting:
        return Conversation
    ids = list(filters.pending or ())
    few = select(Conversation).where(Conversation.id.in_(ids)).limit(len(ids) or 1)
    return aliased(Conversation, few.subquery("awaiting"))


def count_capped(
    session: Session, workspace_id: int, filters: Filters, *, user_id: int, cap: int = COUNT_CAP
) -> int:
    """How many conversations the filters select, counting at most ``cap + 1`` (an
    index range each; the badges' counters do not split by urgency)."""
    filters = resolved(session, workspace_id, filters)
    c = _source(filters)
    chosen = _filtered(select(c.id), workspace_id, _as_ranges(filters), user_id, c)
    inner = chosen.where(c.priority.in_(priorities(filters))).limit(cap + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(inner)) or 0)


def list_conversations(
    session: Session,
    workspace_id: int,
    filters: Filters,
    *,
    user_id: int,
    after: str | None = None,
    limit: int = 50,
) -> Page:
    """One page: a priority at a time, from the highest (an index range each, at most
    five queries), continuing after the ``after`` cursor. With a search (``filters.q``):
    see ``_search_page``."""
    if filters.q and filters.q.strip():
        return _search_page(session, workspace_id, filters, user_id, after, limit)
    filters = resolved(session, workspace_id, filters)
    c = _source(filters)
    point = parse_cursor(after)
    if filters.awaiting:  # a few rows by id: one statement, sorted in memory
        base = _filtered(select(c), workspace_id, filters, user_id, c)
        if point is not None:
            later = tuple_(c.last_inbound_at, c.id) > tuple_(point[1], point[2])
            base = base.where(or_(c.priority < point[0], and_(c.priority == point[0], later)))
        order = (c.priority.desc(), c.last_inbound_at, c.id)
        rows = list(session.scalars(base.order_by(*order).limit(limit + 1)))
        more = len(rows) > limit
        return Page(rows[:limit], cursor_of(rows[limit - 1]) if more else None)
    top = point[0] if point else PRIORITIES[0]
    rows = []
    base = _filtered(select(c), workspace_id, _as_ranges(filters), user_id, c)
    for priority in [p for p in priorities(filters) if p <= top]:
        stmt = base.where(c.priority == priority)
        if point is not None and priority == point[0]:
            stmt = stmt.where(tuple_(c.last_inbound_at, c.id) > tuple_(point[1], point[2]))
        stmt = stmt.order_by(c.last_inbound_at, c.id).limit(limit + 1 - len(rows))
        rows += session.scalars(stmt)
        if len(rows) > limit:
            break
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, cursor_of(rows[-1]) if more and rows else None)


def neighbours(
    session: Session, workspace_id: int, conv: Conversation, filters: Filters, *, user_id: int
) -> tuple[int | None, int | None]:
    """The conversations before and after ``conv`` in the list's order (keyboard j/k;
    in the list without its search)."""
    filters = resolved(session, workspace_id, replace(filters, q=None))
    after = list_conversations(
        session, workspace_id, filters, user_id=user_id, after=cursor_of(conv), limit=1
    ).rows
    c = _source(filters)
    base = _filtered(select(c.id), workspace_id, filters, user_id, c)
    before = session.scalar(
        base.where(
            c.priority == conv.priority,
            tuple_(c.last_inbound_at, c.id) < tuple_(conv.last_inbound_at, conv.id),
        )
        .order_by(c.last_inbound_at.desc(), c.id.desc())
        .limit(1)
    )
    for priority in reversed([p for p in priorities(filters) if p > conv.priority]):
        if before is not None:
            break
        before = session.scalar(
            base.where(c.priority == priority)
            .order_by(c.last_inbound_at.desc(), c.id.desc())
            .limit(1)
        )
    return before, after[0].id if after else None


def thread(session: Session, conv: Conversation) -> Thread:
    messages = list(
        session.scalars(
            select(Message)
            .where(Message.conversation_id == conv.id)
            .order_by(Message.created_at, Message.id)
        )
    )
    notes = list(
        session.scalars(select(Note).where(Note.conversation_id == conv.id).order_by(Note.id))
    )
    corrections: dict[int, list[TriageCorrection]] = {}
    ids = [m.id for m in messages if m.triage_corrected]
    if ids:
        for row in session.scalars(
            select(TriageCorrection)
            .where(TriageCorrection.message_id.in_(ids))
            .order_by(TriageCorrection.id)
        ):
            corrections.setdefault(row.message_id, []).append(row)
    return Thread(conv, messages, notes, corrections)


def team(session: Session, workspace_id: int) -> list[User]:
    """Who can be given conversations: active contributors and above."""
    from palabre.team.models import Role

    return [
        u
        for u in session.scalars(
            select(User)
            .where(User.workspace_id == workspace_id, User.active.is_(True))
            .order_by(User.name)
        )
        if u.can(Role.contributor)
    ]


def _search_page(
    session: Session,
    workspace_id: int,
    filters: Filters,
    user_id: int,
    after: str | None,
    limit: int,
) -> Page:
    """Conversations with a message matching every word of ``filters.q``: newest first
    (placed by their newest matching message; ``after`` = that message's id, a keyset),
    or by relevance (``after`` = a position in the ranking)."""
    words = search.terms(filters.q or "")
    if not words:
        return Page([], None)
    plain = resolved(session, workspace_id, replace(filters, q=None))
    ids = _filtered(select(Conversation.id), workspace_id, plain, user_id)
    if filters.sort == "relevance":
        return _ranked_page(session, workspace_id, words, ids, after, limit)
    conn = session.connection()
    newest = search_sqlite if conn.dialect.name == "sqlite" else search_pg
    todo = plain.status == "todo"  # the index of the messages to handle is enough
    hits, floor = newest.newest_page(
        conn, workspace_id, words, ids.whereclause, whole(after), limit + 1, todo
    )
    more = len(hits) > limit
    cursor = str(hits[limit - 1][0]) if more else (str(floor) if floor else None)
    return Page(_load(session, [cid for _, cid in hits[:limit]]), cursor)


def _ranked_page(
    session: Session,
    workspace_id: int,
    words: list[str],
    ids: Select[Any],
    after: str | None,
    limit: int,
) -> Page:
    hits = search.ranked(session.connection(), workspace_id, words, RANK_WINDOW)
    order = list(dict.fromkeys(cid for _, cid, _score in hits))  # by each one's best message
    allowed = set(session.scalars(ids.where(Conversation.id.in_(order)))) if order else set()
    order = [cid for cid in order if cid in allowed]
    start = whole(after) or 0
    more = len(order) > start + limit
    return Page(_load(session, order[start : start + limit]), str(start + limit) if more else None)


def _load(session: Session, order: list[int]) -> list[Conversation]:
    if not order:
        return []
    found = {
        c.id: c for c in session.scalars(select(Conversation).where(Conversation.id.in_(order)))
    }
    return [found[cid] for cid in order if cid in found]
