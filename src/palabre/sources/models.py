"""Sources (a feed or an agenda), the items they brought and the agenda's occurrences.

A source is fetched by the worker (conditional GET through the guarded fetcher) and its
health is shown to the team. Items and occurrences are stored once: a feed replayed, or the
same news brought by two sources, is recognised (``duplicate_of_id``) and never becomes a
second post.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from palabre.core.db import Base, UTCDateTime, utcnow


class SourceKind:
    feed = "feed"
    agenda = "agenda"


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    # Where it is fetched from; NULL for a file uploaded once.
    url: Mapped[str | None] = mapped_column(String(2000))
    # How much curation trusts this source (1.0 = normal).
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Health, as the team sees it.
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(1000))  # plain words
    # The values the message names (a host, an HTTP status), kept apart to translate it.
    last_error_params: Mapped[dict[str, str] | None] = mapped_column(JSON)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    # A check that worked, with something to say (events of an agenda that could not be
    # read): a msgid and its values, cleared by the next check that has nothing to say.
    notice: Mapped[str | None] = mapped_column(String(1000))
    notice_params: Mapped[dict[str, str] | None] = mapped_column(JSON)
    # The feeds a web page advertises, when the source's address started serving that page
    # ([{"url", "title", "type"}]): the team picks one ("use this feed").
    offered_feeds: Mapped[list[dict[str, str | None]] | None] = mapped_column(JSON)
    # Conditional GET.
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(500))  # as the feed names itself
    # On the first fetch, only this many of the newest items are new; the rest are backlog.
    first_fetch_keep: Mapped[int] = mapped_column(Integer, default=1)
    # The site the feed belongs to (its <link>), shown beside the source.
    site_url: Mapped[str | None] = mapped_column(String(2000))
    # An uploaded file's name (for a source that is not fetched).
    file_name: Mapped[str | None] = mapped_column(String(300))


class SourceItem(Base):
    """One entry of a feed, stored once per source and guid."""

    __tablename__ = "source_items"
    __table_args__ = (
        UniqueConstraint("source_id", "guid"),
        Index("ix_source_items_ws_link", "workspace_id", "canonical_link"),
        Index("ix_source_items_ws_print", "workspace_id", "fingerprint"),
        Index("ix_source_items_source_time", "source_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str] = mapped_column(String(1000), default="")
    link: Mapped[str | None] = mapped_column(String(2000))
    # The link with tracking parameters removed (utm_*, fbclid...): dedupe across sources.
    canonical_link: Mapped[str | None] = mapped_column(String(2000))
    summary_html: Mapped[str] = mapped_column(Text, default="")  # sanitised (nh3)
    summary_text: Mapped[str] = mapped_column(Text, default="")  # plain text for posts
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    author: Mapped[str | None] = mapped_column(String(300))
    image_url: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A near-duplicate-text fingerprint (64-bit simhash) of title + summary.
    fingerprint: Mapped[int | None] = mapped_column(BigInteger)
    # The same news already brought (by this or another source of the workspace).
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_items.id", ondelete="SET NULL")
    )
    # Seen on the first fetch of a new source: recorded, never turned into a post.
    backlog: Mapped[bool] = mapped_column(Boolean, default=False)


class AgendaOccurrence(Base):
    """One occurrence of an agenda event, kept up to date with the agenda."""

    __tablename__ = "agenda_occurrences"
    __table_args__ = (
        UniqueConstraint("source_id", "uid", "occurrence_key"),
        Index("ix_agenda_occurrences_ws_start", "workspace_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(1000))
    occurrence_key: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    timezone: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(1000), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str | None] = mapped_column(String(1000))
    url: Mapped[str | None] = mapped_column(String(2000))
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    # A hash of what a reminder shows (title, times, place, status): a change is noticed.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the agenda no longer has this occurrence (removed, not cancelled).
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
