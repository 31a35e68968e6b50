"""API shapes for posts, their deliveries and images."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, model_validator

from palabre.channels.schemas import ChannelRef
from palabre.publishing.models import PostState
from palabre.team.schemas import Model, UserRef, UtcTime

WHEN_DOC = (
    "ISO-8601. Without an offset (`2027-03-28T10:00`) it is read in the workspace's time "
    "zone: a time skipped by a daylight-saving change is moved forward by the gap, a "
    "repeated one is the first of the two. With an offset it is converted. "
    "Absent or null: as soon as possible."
)


class PostCreate(BaseModel):
    text: str = Field(default="", description="The text for every channel without a variant")
    channels: list[int] = Field(description="Target channel ids", examples=[[1, 2]])
    scheduled_at: datetime | None = Field(default=None, description=WHEN_DOC)
    variants: dict[int, str] = Field(
        default_factory=dict,
        description="A text of its own for some target channels, keyed by channel id",
        examples=[{"2": "Shorter text for Bluesky"}],
    )
    thread: list[str] = Field(
        default_factory=list,
        description="Follow-up posts: a thread, each part replying to the one before",
        examples=[["2/2 Entrée libre."]],
    )
    content_warning: str = Field(
        default="", max_length=500, description="Shown before the text (Mastodon)"
    )
    draft: bool = Field(default=False, description="Keep it as a draft (checked loosely)")
    submit: bool = Field(
        default=False,
        description="Ask for approval even when your role could schedule it directly",
    )

    @model_validator(mode="after")
    def _one_intent(self) -> PostCreate:
        if self.draft and self.submit:
            raise ValueError("`draft` and `submit` cannot both be true")
        return self

    @property
    def intent(self) -> str:
        return "draft" if self.draft else "submit" if self.submit else "auto"


class PostUpdate(BaseModel):
    """Only the fields present change. ``version`` is the one you read."""

    version: int = Field(description="The post's `version` your edit starts from")
    text: str | None = None
    channels: list[int] | None = None
    variants: dict[int, str] | None = Field(
        default=None, description="Replaces every variant; `{}` removes them all"
    )
    scheduled_at: datetime | None = Field(default=None, description=WHEN_DOC)
    thread: list[str] | None = Field(default=None, description="Replaces the follow-ups")
    content_warning: str | None = Field(default=None, max_length=500)


class ApproveIn(BaseModel):
    comment: str | None = Field(default=None, description="Shown to the author")


class RejectIn(BaseModel):
    comment: str = Field(description="Why, so the author can improve the post (required)")


class DeliveryOut(Model):
    id: int
    post_id: int
    channel: ChannelRef
    state: str = Field(description="scheduled, publishing, published, failed or cancelled")
    attempts: int = Field(description="Attempts made in the current state")
    last_error: str | None
    next_attempt_at: UtcTime | None
    remote_id: str | None = Field(description="The post's id on the network")
    remote_url: str | None
    remote_parts: list[dict[str, str | None]] | None = Field(
        description="For a thread: every post made ({id, url, cid}), the first included"
    )
    metrics: dict[str, int | None] | None = Field(
        description="likes, reposts, replies, quotes — as last read from the network"
    )
    metrics_at: UtcTime | None
    published_at: UtcTime | None


class ImageOut(Model):
    id: int
    position: int
    filename: str
    content_type: str
    size: int
    alt_text: str


class PostOut(Model):
    id: int
    state: PostState
    text: str
    channels: list[ChannelRef] = Field(description="Target channels")
    variants: dict[int, str] = Field(description="Channels with a text of their own")
    thread: list[str] = Field(description="Follow-up posts of a thread")
    content_warning: str | None
    scheduled_at: UtcTime | None = Field(description="None: as soon as possible")
    scheduled_at_local: str | None = Field(
        description="The same time in the workspace's zone, ISO-8601 with its offset"
    )
    author: UserRef | None
    review_comment: str | None = Field(description="The reviewer's comment, seen by the author")
    reviewed_by: UserRef | None
    version: int = Field(description="Send it back with an edit; a stale one gets 409")
    images: list[ImageOut]
    deliveries: list[DeliveryOut]
    published_at: UtcTime | None
    created_at: UtcTime
    updated_at: UtcTime


class PostList(BaseModel):
    posts: list[PostOut]
    next_before_id: int | None = Field(
        description="Pass it as `before_id` for the next page; null on the last page"
    )
