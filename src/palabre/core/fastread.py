"""Who is asking, checked in one query on the event loop: for pages served from the cache.

A cached page needs the browser session checked (it exists, has not expired, its person is
active), the person's role and language, and their workspace's data version. ``SessionDep``
and ``PageUser`` get these through the ORM in three queries and two hops to the thread
pool; a cache hit then costs more around the cache than in it. ``Reads.reader`` gets them in
**one** Core query on one connection the process keeps, without leaving the event loop
(a few tens of microseconds on SQLite; one round trip on PostgreSQL).

Nothing is kept between requests: each one reads the session, the person and the version
again, so signing out, a deactivated person or a changed role take effect at once, in every
process. Anything unusual (no cookie, an unknown session, the database unreachable, the
connection busy in another thread) gives ``None``: the caller then takes the ordinary path,
which decides (sign-in page, error page) as for any other page.
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, Select, bindparam, func, select
from sqlalchemy.exc import SQLAlchemyError

from palabre.core.db import utcnow
from palabre.core.security import token_digest
from palabre.team.models import Notice, Role, User, UserSession, Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reader:
    """A signed-in person as one query saw them (see the module's docstring)."""

    id: int  # the person's
    role: str
    name: str
    language: str | None
    csrf_token: str
    workspace_id: int
    workspace_name: str
    timezone: str
    workspace_language: str
    version: int  # workspaces.content_version
    unread: int  # unread notices (the header's badge)
    suggestions: int  # waiting in the automations' queue (the menu's badge)
    inbox: int  # conversations to handle (the menu's badge, from the inbox's counters)

    @property
    def badges(self) -> tuple[int, int, int]:
        return (self.unread, self.suggestions, self.inbox)

    def can(self, minimum: Role) -> bool:
        return Role(self.role).at_least(minimum)


@lru_cache(maxsize=1)
def _query() -> Select[Any]:
    """Built at first use: the badges' tables belong to packages that import this one."""
    from palabre.automations.models import Suggestion, SuggestionState
    from palabre.inbox.conversation_models import TO_HANDLE, InboxCount

    s, u, w, n = (m.__table__ for m in (UserSession, User, Workspace, Notice))
    g, c = Suggestion.__table__, InboxCount.__table__
    unread = (
        select(func.count())
        .select_from(n)
        .where(n.c.user_id == u.c.id, n.c.read_at.is_(None))
        .scalar_subquery()
    )
    waiting = (
        select(func.count())
        .select_from(g)
        .where(g.c.workspace_id == w.c.id, g.c.state == str(SuggestionState.pending))
        .scalar_subquery()
    )
    to_handle = (
        select(func.coalesce(func.sum(c.c.n), 0))
        .where(c.c.workspace_id == w.c.id, c.c.status.in_([str(t) for t in TO_HANDLE]))
        .scalar_subquery()
    )
    return (
        select(
            s.c.expires_at,
            s.c.csrf_token,
            u.c.id,
            u.c.role,
            u.c.name,
            u.c.language,
            u.c.active,
            w.c.id,
            w.c.name,
            w.c.timezone,
            w.c.language,
            w.c.content_version,
            unread,
            waiting,
            to_handle,
        )
        .select_from(s.join(u, u.c.id == s.c.user_id).join(w, w.c.id == u.c.workspace_id))
        .where(s.c.token_hash == bindparam("digest"))
    )


class Reads:
    """One connection per process for ``reader``; used by one thread at a time (the event
    loop's), never held inside a transaction between requests."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def reader(self, token: str | None) -> Reader | None:
        if not token or not self._lock.acquire(blocking=False):
            return None
        try:
            return self._read(token_digest(token))
        except SQLAlchemyError:
            log.warning("fast session check failed; the ordinary path answers", exc_info=True)
            self._drop()
            return None
        finally:
            self._lock.release()

    def _read(self, digest: str) -> Reader | None:
        conn = self._conn
        if conn is None:
            conn = self._engine.connect()
            if conn.dialect.name != "sqlite":  # one statement: no BEGIN / ROLLBACK round trips
                conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            self._conn = conn
        try:
            row = conn.execute(_query(), {"digest": digest}).first()
        finally:
            conn.rollback()  # SQLite: ends the read transaction (a WAL snapshot held open
            # would keep the log from being checkpointed)
        if row is None:
            return None
        expires, csrf, uid, role, name, lang, active, ws, ws_name, tz, ws_lang, *counts = row
        if not active or expires < utcnow():
            return None
        version, *badges = (int(n) for n in counts)
        return Reader(uid, role, name, lang, csrf, ws, ws_name, tz, ws_lang, version, *badges)

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(SQLAlchemyError):  # already broken
                conn.invalidate()

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()
