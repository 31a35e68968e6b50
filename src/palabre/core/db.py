"""Database engine and sessions.

SQLite (WAL, foreign keys on) is the embedded default; PostgreSQL when
``PALABRE_DATABASE_URL`` is set. On SQLite, writers take the write lock at BEGIN
(``BEGIN IMMEDIATE``) so that two processes never deadlock on a lock upgrade;
readers use plain deferred transactions and never block thanks to WAL.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; always returns aware UTC datetimes (SQLite too)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_engine(url: str, *, immediate: bool, **kwargs: Any) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        # Up to 32 MiB of pages kept per connection (the default, 2 MiB, holds too little of
        # a large inbox: a search narrowed by filters looks up thousands of messages and
        # conversations, 2 to 3 times slower from the operating system's cache).
        cur.execute("PRAGMA cache_size=-32768")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@dataclass
class Database:
    """The write engine, the read engine (same on PostgreSQL) and their session factories."""

    url: str
    write_engine: Engine
    read_engine: Engine

    def __post_init__(self) -> None:
        self._writer = sessionmaker(self.write_engine, expire_on_commit=False)
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    def session(self, *, write: bool = True) -> Session:
        return (self._writer if write else self._reader)()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on error."""
        session = self.session(write=write)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()


def make_database(url: str, *, pool_size: int = 10, pre_ping: bool = True) -> Database:
    if url.startswith("sqlite"):
        writer = _sqlite_engine(url, immediate=True)
        reader = _sqlite_engine(url, immediate=False)
        return Database(url, writer, reader)
    # Web processes ping a connection before using it, so a PostgreSQL restart never shows
    # anyone an error page. A worker does not (``pre_ping=False``): the ping costs a round
    # trip per checkout (the preview channel checks out one per publish); a connection
    # found dead raises once, SQLAlchemy discards the pool, and the runner claims again on
    # a fresh one. pool_recycle renews connections an idle timeout may have cut.
    engine = create_engine(
        url, pool_size=pool_size, max_overflow=20, pool_recycle=1800, pool_pre_ping=pre_ping
    )
    return Database(url, engine, engine)
