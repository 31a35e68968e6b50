"""Newest-first search pages on PostgreSQL: one statement finds a page, the list's filters
inside it, so that a search narrowed to "mine, to handle" costs no more round trips than
a search of everything.

A message is a result when it matches every word, its conversation passes the filters,
and no newer message of that conversation matches (each conversation is placed by its
newest matching message, once; on a later page, ``before`` excludes the ones placed above).

How the matches are found depends on the words (``search.is_common``, from the column's
statistics):
- all frequent: the newest messages are walked by primary key, in a window of at most
  ``WINDOW`` message ids a statement, and the walk stops as soon as the page is full (a
  frequent word matches every few rows). When the window ends before the page is full:
  - if the words met there often enough (``ENOUGH`` results, or else that many matches
    counted again in the window), the filters are what keeps results out: the page is
    short and its cursor continues below the window (each page has a bounded cost,
    whatever the filters);
  - otherwise the words are rarely together ("horaires" and "dimanche" each in 5 % of the
    messages, together in 0.2 %): the rest comes from the GIN index, whose intersection
    of the two words is then small;
- a rarer word: every match from the GIN index (a ``MATERIALIZED`` CTE), then the newest.

The planner is told which of the two (``search.plan``: without bitmap scans it cannot take
the GIN index, and with them it prefers intersecting the words' whole lists to a walk
of a window: 12 ms instead of 8 for "horaires dimanche" at 5,000,000 messages), sees
each statement with its values (``plan_cache_mode``: a generic plan guesses a word's
frequency) and uses no parallel workers (their start costs more than these walks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    String,
    bindparam,
    exists,
    func,
    literal,
    literal_column,
    select,
)

from palabre.inbox import search
from palabre.inbox.conversation_models import Conversation, Message

WINDOW = 30_000  # message ids walked by one statement, at most (a few milliseconds)
ENOUGH = 20  # matches in a window from which the words are not "rarely together"


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
    if not search.is_common(conn, words):
        search.plan(conn, walk=False)
        return _run(conn, _from_index(workspace_id, words, before), words, criteria, n), None
    next_id = search.plan(conn, walk=True)
    top = before if before is not None else next_id
    floor = max(top - WINDOW, 0)
    hits = _run(conn, _walk(workspace_id, words, top, floor), words, criteria, n)
    if len(hits) == n or floor == 0:
        return hits, None
    if len(hits) >= ENOUGH or _met_in_window(conn, workspace_id, words, top, floor) >= ENOUGH:
        return hits, floor  # the filters keep them out: continue below, next page
    search.plan(conn, walk=False)
    rest = _run(conn, _from_index(workspace_id, words, floor), words, criteria, n - len(hits))
    return hits + rest, None


# Made once: an alias builds a proxy of each of the table's columns (3 ms a search when
# made at each call).
_M = Message.__table__.alias("m")
_NEWER = Message.__table__.alias("newer")


def _matches(alias: str, words: Sequence[str]) -> ColumnElement[bool]:
    q = bindparam("q", " ".join(words), type_=String)
    query = func.plainto_tsquery(
        literal_column("'simple'"), func.translate(func.lower(q), search.ACCENTED, search.PLAIN)
    )
    return literal_column(f"{alias}.search_vector").op("@@")(query)


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


def _from_index(workspace_id: int, words: Sequence[str], before: int | None) -> Any:
    m = _M
    found = select(m.c.id, m.c.conversation_id).where(
        _matches("m", words), m.c.workspace_id == workspace_id
    )
    if before is not None:
        found = found.where(m.c.id < before)
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
