"""The preview channel: publishes nothing, records exactly what would have been published.

It behaves like a remote network: each publish is its own transaction, separate from the
delivery's, and honours an idempotency key as Mastodon does — so crash tests against it
exercise the same recovery path as a real network.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from palabre.channels.base import (
    Capabilities,
    ChannelAdapter,
    PublishRequest,
    PublishResult,
)
from palabre.channels.preview.models import PreviewRecord
from palabre.core.db import Database, utcnow

RULES = {
    "mastodon": Capabilities(text_limit=500, counting="mastodon", max_images=4),
    "bluesky": Capabilities(text_limit=300, counting="graphemes", max_images=4),
}


class PreviewSettings(BaseModel):
    imitates: Literal["mastodon", "bluesky"] = Field(
        default="mastodon",
        description="Which network's counting rule and limit the preview applies",
    )
    text_limit: int | None = Field(default=None, ge=1, le=100_000)


class PreviewAdapter(ChannelAdapter):
    kind = "preview"
    label = "Preview"
    description = "Publishes nothing; records what would have been published."
    settings_model = PreviewSettings

    @property
    def db(self) -> Database:
        assert self.config.db is not None, "the preview channel needs the database"
        return self.config.db

    def capabilities(self) -> Capabilities:
        settings = PreviewSettings.model_validate(self.config.settings)
        caps = RULES[settings.imitates]
        if settings.text_limit:
            caps = Capabilities(**{**caps.__dict__, "text_limit": settings.text_limit})
        return caps

    def verify(self) -> str:
        return "preview"

    def publish(self, request: PublishRequest) -> PublishResult:
        media = [
            {"path": m.path.name, "content_type": m.content_type, "alt_text": m.alt_text}
            for m in request.media
        ]
        record = PreviewRecord(
            channel_id=self.config.channel_id,
            idempotency_key=request.idempotency_key,
            text=request.text,
            attachments=media,
            published_at=utcnow(),
        )
        try:
            with self.db.transaction() as session:
                session.add(record)
        except IntegrityError:
            existing = self.find_published(request.idempotency_key)
            assert existing is not None
            return existing
        return self._result(record)

    def find_published(self, idempotency_key: str) -> PublishResult | None:
        with self.db.transaction(write=False) as session:
            record = session.scalar(
                select(PreviewRecord).where(PreviewRecord.idempotency_key == idempotency_key)
            )
            return self._result(record) if record else None

    def delete(self, remote_id: str) -> None:
        with self.db.transaction() as session:
            record = session.get(PreviewRecord, int(remote_id))
            if record is not None:
                session.delete(record)

    def _result(self, record: PreviewRecord) -> PublishResult:
        return PublishResult(
            remote_id=str(record.id), remote_url=None, published_at=record.published_at
        )
