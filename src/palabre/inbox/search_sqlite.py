"""Newest-first search pages on SQLite: the FTS5 index read newest first, by one
statement read lazily.

FTS5 keeps each word's matches in message-id order, so reading the matches newest first
costs what is read, whatever the words' frequencies. Each match comes with whether its
conversation passes the list's filters, checked in the same statement (a subquery per
match, not a list of ids sent back), and the statement's rows are taken one at a time:
reading stops as soon as the page is full (at most ``SEARCH_SCAN`` matches a page). Each
conversation is placed by its newest matching message, once; on a later page, those that
matched above ``before`` are left out (then reading goes on from where it stopped). When
the filters keep few, a page can be short and continue below what was read. A search
within the conversations to handle reads the index of their messages only
(``search_todo.py``): the same words, a tenth of the matches to check.
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

from palabre.inbox import search, search_todo
from palabre.inbox.conversation_models import Conversation, Message

SEARCH_SCAN = 5_000  # matching messages read for one page, at most (then a short page)

_INDEXES = {False: search.FTS_TABLE, True: search_todo.FTS_TODO}
_M = Message.__table__


def newest_page(
    conn: Connection,
    workspace_id: int,
    words: Sequence[str],
    criteria: ColumnElement[bool] | None,
    before: int | None,
    n: int,
    todo: bool = False,
) -> tuple[list[tuple[int, int]], int | None]:
    """Up to ``n`` (message id, conversation id), newest first, below ``before``; and,
    when fewer than ``n`` were found but more may be below, where to continue. ``todo``:
    the filters keep only conversations to handle (their own index is read)."""
    picked: dict[int, int] = {}  # conversation → the message that places it
    last, scanned, exhausted = before, 0, False
    while len(picked) < n and scanned < SEARCH_SCAN and not exhausted:
        scan = SEARCH_SCAN - scanned
        matches = _matches(_INDEXES[todo], workspace_id, words, last, scan, criteria)
        fresh, read, exhausted, last = _read(conn, matches, last, scan, n - len(picked), picked)
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
    matches: Any,
    before: int | None,
    scan: int,
    want: int,
    placed: Collection[int],
) -> tuple[dict[int, int], int, bool, int | None]:
    """Read ``matches`` (below ``before``, at most ``scan``) until ``want`` new
    conversations pass the filters: (those conversations → their message,
    matches read, whether the matches ran out, the last message read)."""
    fresh: dict[int, int] = {}
    read, last = 0, before
    result = conn.execute(matches)
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
    index: str,
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
    fts = table(index, column("rowid"))
    return (
        select(fts.c.rowid, _M.c.conversation_id, passes)
        .select_from(fts.join(_M, _M.c.id == fts.c.rowid))
        .where(text(f"{index} MATCH :q").bindparams(q))
        .where(fts.c.rowid < (before if before is not None else 2**62))
        .where(_M.c.workspace_id == workspace_id)
        .order_by(fts.c.rowid.desc())
        .limit(n)
    )
