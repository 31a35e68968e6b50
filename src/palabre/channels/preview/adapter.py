"""The preview channel: publishes nothing, records exactly what would have been published.

It behaves like a remote network: each publish is its own statement, committed on its
own, separate from the delivery's transaction, and honours an idempotency key as Mastodon
does — so crash tests against it exercise the same recovery path as a real network.

A publish is one round trip to the database: ``INSERT … ON CONFLICT (idempotency_key) DO
NOTHING RETURNING`` in autocommit mode (a single statement is atomic); only when the key
is already there is the existing record read.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Engine, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from palabre.channels.base import (
    Account,
    Capabilities,
    ChannelAdapter,
    Media,
    Metrics,
    NotificationPage,
    PublishRequest,
    PublishResult,
    RemoteRef,
)
from palabre.channels.preview.models import PreviewRecord
from palabre.core.db import Database, utcnow
from palabre.core.i18n import N_

# The preview honours idempotency keys whichever network it imitates.
RULES = {
    "mastodon": Capabilities(
        text_limit=500,
        counting="mastodon",
        max_images=4,
        threads=True,
        content_warnings=True,
        idempotent_publish=True,
    ),
    "bluesky": Capabilities(
        text_limit=300,
        counting="graphemes",
        max_images=4,
        image_max_bytes=1_000_000,  # Bluesky's blob limit for images
        threads=True,
        link_cards=True,
        idempotent_publish=True,
    ),
}
_RETURNING = (PreviewRecord.id, PreviewRecord.published_at)
_FIND = select(*_RETURNING).where(PreviewRecord.idempotency_key == bindparam("key"))
_COLUMNS = ("channel_id", "idempotency_key", "text", "attachments", "details", "published_at")


def _insert_for(dialect: str) -> Any:
    """The record's insert, built once per dialect (the values are bound at each call)."""
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    table: Any = PreviewRecord.__table__
    return (
        insert(table)
        .values({c: bindparam(c, type_=table.c[c].type) for c in _COLUMNS})
        .on_conflict_do_nothing(index_elements=["idempotency_key"])
        .returning(table.c.id, table.c.published_at)
    )


_INSERT = {name: _insert_for(name) for name in ("sqlite", "postgresql")}


class PreviewSettings(BaseModel):
    imitates: Literal["mastodon", "bluesky"] = Field(
        default="mastodon",
        title=N_("Imitates"),
        description=N_("Which network's counting rule and limit the preview applies"),
    )
    text_limit: int | None = Field(
        default=None,
        ge=1,
        le=100_000,
        title=N_("Text limit"),
        description=N_("Another limit than the network's usual one (optional)"),
    )


class PreviewAdapter(ChannelAdapter):
    kind = "preview"
    label = N_("Preview")
    description = N_("Publishes nothing; records what would have been published.")
    settings_model = PreviewSettings

    @property
    def db(self) -> Database:
        assert self.config.db is not None, "the preview channel needs the database"
        return self.config.db

    @cached_property
    def _writer(self) -> Engine:
        """The write engine without an enclosing transaction on PostgreSQL (one statement
        is atomic; this saves BEGIN and COMMIT). SQLite's ``BEGIN IMMEDIATE`` stays: it is
        how writers queue there, and costs no round trip."""
        engine = self.db.write_engine
        if engine.dialect.name == "sqlite":
            return engine
        return engine.execution_options(isolation_level="AUTOCOMMIT")

    def capabilities(self) -> Capabilities:
        settings = PreviewSettings.model_validate(self.config.settings)
        caps = RULES[settings.imitates]
        if settings.text_limit:
            caps = Capabilities(**{**caps.__dict__, "text_limit": settings.text_limit})
        return caps

    def verify(self) -> Account:
        return Account(id=f"preview-{self.config.channel_id}", handle="preview")

    def publish(self, request: PublishRequest) -> PublishResult:
        """A thread is one record per part, each keyed ``<key>`` then ``<key>#2``…, each
        naming the record it replies to — as a network would thread them."""
        details: dict[str, Any] = {
            k: v
            for k, v in (
                ("reply_to", request.reply_to.id if request.reply_to else None),
                ("content_warning", request.content_warning),
                ("language", request.language),
            )
            if v
        }
        first = self._record(request.idempotency_key, request.text, request.media, details)
        parts = [first]
        for number, part in enumerate(request.thread, start=2):
            details = {"reply_to": parts[-1].remote_id, "thread_part": number}
            key = f"{request.idempotency_key}#{number}"
            parts.append(self._record(key, part.text, part.media, details))
        return PublishResult(
            first.remote_id,
            None,
            first.published_at,
            parts=tuple(RemoteRef(p.remote_id) for p in parts),
        )

    def _record(
        self, key: str, text: str, media: list[Media], details: dict[str, Any]
    ) -> PublishResult:
        attachments = [
            {"path": m.path.name, "content_type": m.content_type, "alt_text": m.alt_text}
            for m in media
        ]
        values = {
            "channel_id": self.config.channel_id,
            "idempotency_key": key,
            "text": text,
            "attachments": attachments,
            "details": details or None,
            "published_at": utcnow(),
        }
        engine = self._writer
        with engine.begin() as conn:
            row = conn.execute(_INSERT[engine.dialect.name], values).first()
            if row is None:  # the key is already there: what it made the first time
                row = conn.execute(_FIND, {"key": key}).one()
        return _result(row)

    def find_published(self, request: PublishRequest) -> PublishResult | None:
        keys = [request.idempotency_key] + [
            f"{request.idempotency_key}#{n}" for n in range(2, len(request.thread) + 2)
        ]
        found = []
        with self.db.read_engine.connect() as conn:
            for key in keys:
                row = conn.execute(_FIND, {"key": key}).first()
                if row is None:
                    return None
                found.append(_result(row))
        return PublishResult(
            found[0].remote_id,
            None,
            found[0].published_at,
            parts=tuple(RemoteRef(p.remote_id) for p in found),
        )

    def delete(self, remote_id: str) -> None:
        with self.db.write_engine.begin() as conn:
            conn.execute(delete(PreviewRecord).where(PreviewRecord.id == int(remote_id)))

    def fetch_notifications(self, cursor: str | None, limit: int = 100) -> NotificationPage:
        return NotificationPage([], cursor)  # nobody reads a preview

    def fetch_metrics(self, refs: list[RemoteRef]) -> dict[str, Metrics]:
        return {}


def _result(row: Any) -> PublishResult:
    return PublishResult(remote_id=str(row.id), remote_url=None, published_at=row.published_at)
