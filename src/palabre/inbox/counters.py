"""The inbox's badges: conversations per workspace, assignee and status, kept in
``inbox_counts`` by the transaction that changes a conversation (never a COUNT over the
conversations table when a page is drawn)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from palabre.inbox.conversation_models import TO_HANDLE, Conversation, InboxCount

NOBODY = 0  # the assignee key of unassigned conversations


def _key(assignee_id: int | None) -> int:
    return assignee_id or NOBODY


def add(conn: Connection, workspace_id: int, assignee_id: int | None, status: str, n: int) -> None:
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    table = InboxCount.__table__
    stmt = dialect.insert(table).values(
        workspace_id=workspace_id, assignee_key=_key(assignee_id), status=status, n=n
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["workspace_id", "assignee_key", "status"],
        set_={"n": table.c.n + stmt.excluded.n},
    )
    conn.execute(stmt)


def move(
    conn: Connection,
    workspace_id: int,
    before: tuple[int | None, str] | None,
    after: tuple[int | None, str],
) -> None:
    """A conversation went from (assignee, status) ``before`` (None: it is new) to
    ``after``."""
    if before == after:
        return
    if before is not None:
        add(conn, workspace_id, before[0], before[1], -1)
    add(conn, workspace_id, after[0], after[1], 1)


def counts(conn: Connection, workspace_id: int) -> dict[tuple[int, str], int]:
    rows = conn.execute(
        select(InboxCount.assignee_key, InboxCount.status, InboxCount.n).where(
            InboxCount.workspace_id == workspace_id
        )
    )
    return {(r.assignee_key, r.status): r.n for r in rows}


def to_handle(conn: Connection, workspace_id: int, user_id: int | None = None) -> int:
    """Conversations new or open: all of them, or those assigned to ``user_id``."""
    stmt = select(func.coalesce(func.sum(InboxCount.n), 0)).where(
        InboxCount.workspace_id == workspace_id,
        InboxCount.status.in_([str(s) for s in TO_HANDLE]),
    )
    if user_id is not None:
        stmt = stmt.where(InboxCount.assignee_key == user_id)
    return int(conn.scalar(stmt) or 0)


def by_status(table: dict[tuple[int, str], int], statuses: Iterable[str]) -> dict[str, int]:
    return {s: sum(n for (_, st), n in table.items() if st == s) for s in statuses}


def recount(conn: Connection, workspace_id: int) -> None:
    """Rebuild a workspace's counters from the conversations (after a repair)."""
    conn.execute(delete(InboxCount).where(InboxCount.workspace_id == workspace_id))
    rows = conn.execute(
        select(Conversation.assignee_id, Conversation.status, func.count())
        .where(Conversation.workspace_id == workspace_id)
        .group_by(Conversation.assignee_id, Conversation.status)
    )
    for assignee_id, status, n in rows:
        add(conn, workspace_id, assignee_id, status, n)
