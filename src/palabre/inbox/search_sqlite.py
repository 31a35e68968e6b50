"""Newest-first search pages on SQLite: the FTS5 index read newest first, in batches.

FTS5 keeps each word's matches in message-id order, so reading the matches newest first
costs what is read, whatever the words' frequencies. A batch of ``SEARCH_BATCH`` matches
(then twice as many, up to ``SEARCH_SCAN`` a page) comes with, for each, whether its
conversation passes the list's filters, checked in the same statement (a subquery per
match, not a list of ids sent back). Each conversation is placed by its newest matching
message, once; on a later page, those that matched above ``before`` are left out. When the
filters keep few, a page can be short and continue below what was read.
"""

from __future__ import annotations

from collections.abc import Sequence

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

SEARCH_BATCH = 200  # matching messages read at a time
SEARCH_SCAN = 5_000  # at most, for one page (a page may then be short, with a cursor)

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
    last, scanned, exhausted, batch = before, 0, False, SEARCH_BATCH
    while len(picked) < n and scanned < SEARCH_SCAN and not exhausted:
        hits = _matches(conn, workspace_id, words, last, batch, criteria)
        scanned, exhausted = scanned + len(hits), len(hits) < batch
        batch = min(batch * 2, SEARCH_SCAN - scanned) or 1  # few pass the filters: read more
        fresh = {cid for _, cid, ok in hits if ok} - picked.keys()
        if before is not None and fresh:  # placed on an earlier page
            fresh -= search.matched_since(conn, words, sorted(fresh), before)
        for mid, cid, _ok in hits:
            last = mid
            if cid in fresh and cid not in picked:
                picked[cid] = mid
                if len(picked) == n:
                    break
    found = [(mid, cid) for cid, mid in picked.items()]
    more = len(found) < n and not exhausted and last is not None and last != before
    return found, (last if more else None)


def _matches(
    conn: Connection,
    workspace_id: int,
    words: Sequence[str],
    before: int | None,
    n: int,
    criteria: ColumnElement[bool] | None,
) -> list[tuple[int, int, bool]]:
    """(message id, conversation id, passes the filters) of the newest ``n`` matches."""
    passes = exists().where(Conversation.id == _M.c.conversation_id)
    if criteria is not None:
        passes = passes.where(criteria)
    q = bindparam("q", search.fts5_query(words), type_=String)
    stmt = (
        select(_FTS.c.rowid, _M.c.conversation_id, passes)
        .select_from(_FTS.join(_M, _M.c.id == _FTS.c.rowid))
        .where(text(f"{search.FTS_TABLE} MATCH :q").bindparams(q))
        .where(_FTS.c.rowid < (before if before is not None else 2**62))
        .where(_M.c.workspace_id == workspace_id)
        .order_by(_FTS.c.rowid.desc())
        .limit(n)
    )
    return [(r[0], r[1], bool(r[2])) for r in conn.execute(stmt)]
