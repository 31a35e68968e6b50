"""Newest-first search pages on PostgreSQL: one statement finds a page, the list's filters
inside it, so that a search narrowed to "mine, to handle" costs no more round trips than
a search of everything.

A message is a result when it matches every word, its conversation passes the filters,
and no newer message of that conversation matches (each conversation is placed by its
newest matching message, once; on a later page, ``before`` excludes the ones placed above).

How the matches are found depends on the words (``search.is_common``, from the column's
statistics):
- all frequent: the newest messages are walked by primary key (a frequent word matches
  every few rows), a first window of ``FIRST`` message ids, and the walk stops as soon as
  the page is full. When the first window ends before the page is full:
  - if the words met there often enough (``ENOUGH`` results, or else that many matches
    counted again in the window), the filters are what keeps results out: the walk goes
    on up to ``WINDOW`` ids, then the page is short and its cursor continues below (each
    page has a bounded cost, whatever the filters);
  - otherwise the words are rarely together ("horaires" and "dimanche" each in 5 % of the
    messages, together in 0.2 %): the GIN index intersects them block by block of 16,384
    ids (``search.pg_indexed``), the newest first, at most ``BLOCKS`` blocks a page; what
    is still missing then comes from the whole index when nothing was found yet (words
    that almost never meet: one statement ends the search), otherwise the page is short
    and continues below the blocks read;
- several frequent words whose frequencies multiplied (what they would share if they
  were independent, ``search.together``) are under 2 %: the blocks at once, the first
  statement as many as that share says the page needs;
- a rarer word: every match from the GIN index (a ``MATERIALIZED`` CTE), then the newest.

Within the conversations to handle (``todo``), the GIN index's part for their messages
(``search_todo.py``, a tenth of them) gives every match at once where the whole index
would be read (a rarer word, words rarely together).

The planner is told which of the two (``search.plan``: without bitmap scans it cannot take
the GIN index, and with them it prefers intersecting the words' whole lists to a walk
of a window: 12 ms instead of 8 for "horaires dimanche" at 5,000,000 messages), sees
each statement with its values (``plan_cache_mode``: a generic plan guesses a word's
frequency) and uses no parallel workers (their start costs more than these walks).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    bindparam,
    cast,
    exists,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import TSQUERY

from palabre.inbox import search
from palabre.inbox.conversation_models import Conversation, Message

FIRST = 5_000  # message ids walked first (a millisecond or two)
WINDOW = 30_000  # message ids walked for a page, at most (a few milliseconds)
ENOUGH = 20  # matches in the first window from which the words are not "rarely together"
BLOCKS = 8  # blocks of ids read through the index for a page, at most


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
    the filters keep only conversations to handle (their messages have their own index)."""
    if not search.is_common(conn, words):
        search.plan(conn, walk=False)
        found = _from_index(workspace_id, words, before, todo)
        return _run(conn, found, words, criteria, n), None
    share = search.together(conn, words)
    rarely = len(set(words)) > 1 and share < search.COMMON  # if they were independent
    next_id = search.plan(conn, walk=not rarely)
    top = before if before is not None else next_id
    if rarely and todo:  # few of the messages to handle: all their matches at once
        return _run(conn, _from_index(workspace_id, words, top, todo), words, criteria, n), None
    if rarely:
        return _by_blocks(conn, workspace_id, words, criteria, top, [], n, share)
    floor = max(top - min(FIRST, WINDOW), 0)
    hits = _run(conn, _walk(workspace_id, words, top, floor), words, criteria, n)
    if len(hits) == n or floor == 0:
        return hits, None
    if len(hits) >= ENOUGH or _met_in_window(conn, workspace_id, words, top, floor) >= ENOUGH:
        low = max(top - WINDOW, 0)  # the filters keep them out: walk on, a bounded page
        more = _walk(workspace_id, words, floor, low)
        hits += _run(conn, more, words, criteria, n - len(hits))
        return hits, (low if len(hits) < n and low > 0 else None)
    search.plan(conn, walk=False)
    if todo:
        rest = _run(
            conn, _from_index(workspace_id, words, floor, todo), words, criteria, n - len(hits)
        )
        return hits + rest, None
    return _by_blocks(conn, workspace_id, words, criteria, floor, hits, n, 0.0)


def _by_blocks(
    conn: Connection,
    workspace_id: int,
    words: Sequence[str],
    criteria: ColumnElement[bool] | None,
    floor: int,
    hits: list[tuple[int, int]],
    n: int,
    share: float,
) -> tuple[list[tuple[int, int]], int | None]:
    """Words rarely together, below ``floor``: block by block through the index, the
    first statement as many blocks as the words' ``share`` (of the messages they meet
    in, estimated) takes to fill the page, each next one twice as many."""
    if floor <= 0:
        return hits, None
    needed = (floor - 1) % (1 << search.BLOCK_BITS)  # ids above the top block's start
    wanted = 1.5 * (n - len(hits)) / share if share > 0 else 0.0
    budget = BLOCKS
    size = min(max(1, 1 + math.ceil((wanted - needed) / (1 << search.BLOCK_BITS))), budget)
    while budget > 0:
        top = (floor - 1) >> search.BLOCK_BITS
        blocks = list(range(top, max(top - size, -1), -1))
        found = _from_blocks(workspace_id, words, blocks, floor)
        hits += _run(conn, found, words, criteria, n - len(hits))
        floor = blocks[-1] << search.BLOCK_BITS
        if len(hits) == n or floor == 0:
            return hits, None
        budget -= len(blocks)
        size = min(size * 2, budget)
    if hits:  # a short page; the next one reads the blocks below
        return hits, floor
    rest = _run(conn, _from_index(workspace_id, words, floor), words, criteria, n)
    return rest, None


# Made once: an alias builds a proxy of each of the table's columns (3 ms a search when
# made at each call).
_M = Message.__table__.alias("m")
_NEWER = Message.__table__.alias("newer")


def _matches(
    alias: str, words: Sequence[str], *, indexed: bool = False, blocks: Sequence[int] = ()
) -> ColumnElement[bool]:
    """The message matches every word; ``indexed``: as the GIN index can tell (its
    expression), within one of ``blocks`` when given."""
    q = bindparam("q", " ".join(words), type_=String)
    query: ColumnElement[Any] = func.plainto_tsquery(
        literal_column("'simple'"), func.translate(func.lower(q), search.ACCENTED, search.PLAIN)
    )
    if blocks:
        within = bindparam("blocks", search.pg_blocks(blocks), type_=String)
        query = query.op("&&")(cast(within, TSQUERY))
    matched = search.pg_indexed(alias) if indexed or blocks else f"{alias}.search_vector"
    return literal_column(matched).op("@@")(query)


def _walk(workspace_id: int, words: Sequence[str], top: int, floor: int) -> Any:
    m = _M
    return (
        select(m.c.id, m.c.conversation_id)
        .where(_matches("m", words), m.c.workspace_id == workspace_id)
        .where(m.c.id < top, m.c.id >= floor)
        .order_by(m.c.id.desc())
        .limit(WINDOW)  # never reached: keeps the walk a subquery walked in order
        .subquery("h")
    )


def _from_index(
    workspace_id: int, words: Sequence[str], before: int | None, todo: bool = False
) -> Any:
    m = _M
    found = select(m.c.id, m.c.conversation_id).where(
        _matches("m", words, indexed=True), m.c.workspace_id == workspace_id
    )
    if before is not None:
        found = found.where(m.c.id < before)
    if todo:  # the partial index of the messages to handle (search_todo.py)
        found = found.where(literal_column("m.search_todo"))
    return found.cte("h").prefix_with("MATERIALIZED")


def _from_blocks(
    workspace_id: int, words: Sequence[str], blocks: Sequence[int], before: int
) -> Any:
    m = _M
    found = select(m.c.id, m.c.conversation_id).where(
        _matches("m", words, blocks=blocks), m.c.workspace_id == workspace_id, m.c.id < before
    )
    return found.cte("h").prefix_with("MATERIALIZED")


def _run(
    conn: Connection,
    h: Any,
    words: Sequence[str],
    criteria: ColumnElement[bool] | None,
    n: int,
) -> list[tuple[int, int]]:
    newer = _NEWER
    stmt: Select[Any] = select(h.c.id, h.c.conversation_id).where(
        ~exists().where(
            newer.c.conversation_id == h.c.conversation_id,
            newer.c.id > h.c.id,
            _matches("newer", words),
        )
    )
    if criteria is not None:
        # A subquery evaluated row by row (not a join the planner could turn into a hash
        # of every conversation of the filters), in the walk's order.
        passes = (
            select(literal(1))
            .select_from(Conversation)
            .where(Conversation.id == h.c.conversation_id, criteria)
            .limit(1)
            .scalar_subquery()
        )
        stmt = stmt.where(passes == 1)
    rows = conn.execute(stmt.order_by(h.c.id.desc()).limit(n))
    return [(r[0], r[1]) for r in rows]


def _met_in_window(
    conn: Connection, workspace_id: int, words: Sequence[str], top: int, floor: int
) -> int:
    m = _M
    some = (
        select(literal(1))
        .select_from(m)
        .where(_matches("m", words), m.c.workspace_id == workspace_id)
        .where(m.c.id < top, m.c.id >= floor)
        .order_by(m.c.id.desc())  # the walk again, stopped as soon as there are enough
        .limit(ENOUGH)
        .subquery()
    )
    return int(conn.scalar(select(func.count()).select_from(some)) or 0)
