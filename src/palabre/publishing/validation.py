"""Checks a post's content against every target network before it may be scheduled."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.channels import text as textcount
from palabre.channels.models import Channel
from palabre.channels.services import capabilities
from palabre.core.db import utcnow
from palabre.core.errors import FieldErrors
from palabre.core.i18n import N_

MAX_TEXT = 100_000
MAX_PARTS = 24
# A time a little in the past (the form took a minute to fill) still counts as "now".
PAST_GRACE = timedelta(minutes=2)


@dataclass
class Draft:
    """What a composer or the API gives: the post's content before it is stored."""

    text: str
    channel_ids: list[int]
    variants: dict[int, str] = field(default_factory=dict)
    scheduled_at: datetime | None = None
    alt_texts: list[str] = field(default_factory=list)  # one per image, in order
    # (content type, size in bytes) per image, in order, when known
    image_files: list[tuple[str, int]] = field(default_factory=list)
    # Follow-up parts: a thread, each part a reply to the one before (on every channel).
    thread: list[str] = field(default_factory=list)
    content_warning: str = ""


def load_channels(session: Session, workspace_id: int, ids: list[int]) -> dict[int, Channel]:
    if not ids:
        return {}
    rows = session.scalars(
        select(Channel).where(Channel.id.in_(ids), Channel.workspace_id == workspace_id)
    )
    return {c.id: c for c in rows}


def check(
    session: Session,
    workspace_id: int,
    draft: Draft,
    *,
    for_schedule: bool,
    now: datetime | None = None,
) -> FieldErrors:
    """Every reason the draft cannot be saved (or, with ``for_schedule``, scheduled)."""
    errors = FieldErrors()
    if len(draft.text) > MAX_TEXT:
        errors.add("text", "The text is too long to be stored.")
    unique_ids = list(dict.fromkeys(draft.channel_ids))
    channels = load_channels(session, workspace_id, unique_ids)
    unknown = [cid for cid in unique_ids if cid not in channels]
    if unknown:
        errors.add("channels", "Unknown channel: %(ids)s", ids=", ".join(map(str, unknown)))
    for index, alt in enumerate(draft.alt_texts):
        if not alt.strip():
            errors.add(f"alt_{index}", "Describe this image (alternative text is required).")
    if len(draft.thread) > MAX_PARTS:
        errors.add("thread", N_("A thread has at most %(n)s follow-up posts."), n=MAX_PARTS)
    if len(draft.content_warning) > 500:
        errors.add("content_warning", N_("A content warning has at most 500 characters."))
    if not for_schedule:
        return errors
    if not unique_ids:
        errors.add("channels", "Choose at least one channel.")
    for channel in channels.values():
        _check_channel(errors, channel, draft)
    if draft.scheduled_at is not None and draft.scheduled_at < (now or utcnow()) - PAST_GRACE:
        errors.add("scheduled_at", "This time is in the past. Choose a time to come.")
    return errors


def _check_channel(errors: FieldErrors, channel: Channel, draft: Draft) -> None:
    caps = capabilities(channel)
    own = draft.variants.get(channel.id)
    text = own if own else draft.text
    where = f"variant_{channel.id}" if own else "text"
    if not text.strip() and not draft.alt_texts:
        errors.add(where, "Write something to publish on %(channel)s.", channel=channel.name)
        return
    length = textcount.count(text, caps)
    if length > caps.text_limit:
        errors.add(
            where,
            "Too long for %(channel)s: %(count)s characters, the limit is %(limit)s.",
            channel=channel.name,
            count=length,
            limit=caps.text_limit,
        )
    if draft.thread and not caps.threads:
        errors.add("thread", N_("%(channel)s does not publish threads."), channel=channel.name)
    for number, part in enumerate(draft.thread, start=2):
        length = textcount.count(part, caps)
        if length > caps.text_limit:
            errors.add(
                "thread",
                N_(
                    "Post %(n)s of the thread is too long for %(channel)s: %(count)s characters, "
                    "the limit is %(limit)s."
                ),
                n=number,
                channel=channel.name,
                count=length,
                limit=caps.text_limit,
            )
    if draft.content_warning.strip() and not caps.content_warnings:
        errors.add(
            "content_warning",
            N_("%(channel)s has no content warnings: remove it, or publish there separately."),
            channel=channel.name,
        )
    if len(draft.alt_texts) > caps.max_images:
        errors.add(
            "images",
            "%(channel)s accepts at most %(n)s images.",
            channel=channel.name,
            n=caps.max_images,
        )
    for index, (content_type, size) in enumerate(draft.image_files):
        if size > caps.image_max_bytes:
            errors.add(
                f"alt_{index}",
                N_("This image is too large for %(channel)s (%(size)s; at most %(limit)s)."),
                channel=channel.name,
                size=_megabytes(size),
                limit=_megabytes(caps.image_max_bytes),
            )
        elif content_type not in caps.image_types:
            errors.add(
                f"alt_{index}",
                N_("%(channel)s does not accept this kind of image (%(type)s)."),
                channel=channel.name,
                type=content_type,
            )
    for index, alt in enumerate(draft.alt_texts):
        if len(alt) > caps.alt_text_limit:
            errors.add(
                f"alt_{index}",
                "Alternative text too long for %(channel)s (limit %(n)s).",
                channel=channel.name,
                n=caps.alt_text_limit,
            )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
