"""Newest-first search pages on SQLite: the FTS5 index read newest first, by one
statement read lazily.

FTS5 keeps each word's matches in message-id order, so reading the matches newest first
costs what is read, whatever the words' frequencies. Each match comes with whether its
conversation passes the list's filters, checked in the same statement (a subquery per
match, not a list of ids sent back), and the statement's rows are taken one at a time:
reading stops as soon as the page is full (at most ``SEARCH_SCAN`` matches a page). Each
conversation is placed by its newest matching message, once; on a later page, those that
matched above ``before`` are left out (then reading goes on from where it stopped). When
the filters keep few, a page can be short and continue below what was read.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    String,
    bindparam,
    column,
    exists,
    select,
    table,
    text,
)

from palabre.inbox import search
from palabre.inbox.conversation_models import Conversation, Message

SEARCH_SCAN = 5_000  # matching messages read for one page, at most (then a short page)

_FTS = table(search.FTS_TABLE, column("rowid"))
_M = Message.__table__


def newest_page(
    conn: Connection,
    workspace_id: int,
    words: Sequence[str],
    criteria: ColumnElement[bool] | None,
    before: int | None,
    n: int,
) -> tuple[list[tuple[int, int]], int | None]:
    """Up to ``n`` (message id, conversation id), newest first, below ``before``; and,
    when fewer than ``n`` were found but more may be below, where to continue."""
    picked: dict[int, int] = {}  # conversation → the message that places it
    last, scanned, exhausted = before, 0, False
    while len(picked) < n and scanned < SEARCH_SCAN and not exhausted:
        fresh, read, exhausted, last = _read(
            conn, workspace_id, words, criteria, last, SEARCH_SCAN - scanned, n - len(picked),
            picked.keys(),
        )  # fmt: skip
        scanned += read
        if before is not None and fresh:  # placed on an earlier page
            above = search.matched_since(conn, words, sorted(fresh), before)
            fresh = {cid: mid for cid, mid in fresh.items() if cid not in above}
        picked.update(fresh)
    found = [(mid, cid) for cid, mid in picked.items()]
    more = len(found) < n and not exhausted and last is not None and last != before
    return found, (last if more else None)


def _read(
    conn: Connection,
    workspace_id: int,
    words: Sequence[str],
    criteria: ColumnElement[bool] | None,
    before: int | None,
    scan: int,
    want: int,
    placed: Collection[int],
) -> tuple[dict[int, int], int, bool, int | None]:
    """Read matches below ``before`` until ``want`` new conversations pass the filters
    (or ``scan`` matches were read): (those conversations → their message, matches read,
    whether the matches ran out, the last message read)."""
    fresh: dict[int, int] = {}
    read, last = 0, before
    result = conn.execute(_matches(workspace_id, words, before, scan, criteria))
    try:
        for mid, cid, ok in result:
            read, last = read + 1, mid
            if ok and cid not in placed and cid not in fresh:
                fresh[cid] = mid
                if len(fresh) == want:
                    return fresh, read, False, last
    finally:
        result.close()
    return fresh, read, read < scan, last


def _matches(
    workspace_id: int,
    words: Sequence[str],
    before: int | None,
    n: int,
    criteria: ColumnElement[bool] | None,
) -> Any:
    """(message id, conversation id, passes the filters) of the newest ``n`` matches."""
    passes = exists().where(Conversation.id == _M.c.conversation_id)
    if criteria is not None:
        passes = passes.where(criteria)
    q = bindparam("q", search.fts5_query(words), type_=String)
    return (
        select(_FTS.c.rowid, _M.c.conversation_id, passes)
        .select_from(_FTS.join(_M, _M.c.id == _FTS.c.rowid))
        .where(text(f"{search.FTS_TABLE} MATCH :q").bindparams(q))
        .where(_FTS.c.rowid < (before if before is not None else 2**62))
        .where(_M.c.workspace_id == workspace_id)
        .order_by(_FTS.c.rowid.desc())
        .limit(n)
    )
