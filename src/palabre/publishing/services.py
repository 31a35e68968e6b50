"""Every change to posts and deliveries. One call, one transaction, one audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from typing import Protocol

from sqlalchemy.orm import Session

from palabre.core import pagecache
from palabre.core.db import utcnow
from palabre.core.errors import Conflict, Forbidden, Invalid, NotFound
from palabre.core.i18n import N_
from palabre.publishing.media import sniff, store_image
from palabre.publishing.models import Delivery, Post, PostImage, PostState, PostVariant
from palabre.publishing.rights import can_publish, check_can_edit
from palabre.publishing.validation import Draft, check
from palabre.stator.runner import transition_now
from palabre.team import audit
from palabre.team.models import Role, User, Workspace

pagecache.install()  # every change made through a session bumps its workspace's pages

STALE = "Someone changed this post while you were editing it. Reload it to see their changes."


class PostChange(Protocol):
    """What the services that change one post look like to the pages and the API
    (``submit_post``, ``cancel_post``, ``approve_post`` with its comment bound…)."""

    def __call__(self, session: Session, post: Post, *, actor: User) -> object: ...


@dataclass
class NewImage:
    filename: str
    stored_name: str
    content_type: str
    size: int
    alt_text: str


def get_post(session: Session, workspace_id: int, post_id: int) -> Post:
    post = session.get(Post, post_id)
    if post is None or post.workspace_id != workspace_id:
        raise NotFound("No such post in this workspace.")
    return post


def _log(
    session: Session,
    post: Post,
    actor: User | None,
    action: str,
    comment: str | None = None,
    **details: object,
) -> None:
    audit.record(
        session,
        workspace_id=post.workspace_id,
        actor=actor,
        action=f"post.{action}",
        object_type="post",
        object_id=post.id,
        comment=comment,
        **details,
    )


def create_post(
    session: Session,
    workspace: Workspace,
    draft: Draft,
    *,
    author: User,
    intent: str = "auto",
    images: list[NewImage] | None = None,
) -> Post:
    """``intent``: "draft" keeps it a draft; "submit" asks for approval; "schedule"
    schedules (members and above); "auto" schedules when allowed, else submits."""
    if not author.can(Role.contributor):
        raise Forbidden("Your role does not allow this.")
    intent = _resolve_intent(author, intent)
    images = images or []
    draft.alt_texts = [img.alt_text for img in images]
    draft.image_files = [(img.content_type, img.size) for img in images]
    check(session, workspace.id, draft, for_schedule=intent != "draft").raise_if_any()
    post = Post(
        workspace_id=workspace.id,
        author_id=author.id,
        text=draft.text,
        scheduled_at=draft.scheduled_at,
        state=PostState.draft,
        thread=[part for part in draft.thread if part.strip()] or None,
        content_warning=draft.content_warning.strip() or None,
    )
    _set_targets(post, draft)
    for position, img in enumerate(images):
        post.images.append(PostImage(position=position, **img.__dict__))
    session.add(post)
    session.flush()
    _log(session, post, author, "created", channels=list(dict.fromkeys(draft.channel_ids)))
    if intent == "submit":
        _move(session, post, PostState.awaiting_approval, author, "submitted")
    elif intent == "schedule":
        _schedule(session, post, author, "scheduled")
    return post


def _resolve_intent(user: User, intent: str) -> str:
    if intent not in {"auto", "draft", "submit", "schedule"}:
        raise Conflict("Unknown action.")
    if intent == "auto":
        return "schedule" if can_publish(user) else "submit"
    if intent == "schedule" and not can_publish(user):
        raise Forbidden("Contributors cannot schedule: submit the post for approval instead.")
    return intent


def _set_targets(post: Post, draft: Draft) -> None:
    wanted = list(dict.fromkeys(draft.channel_ids))
    existing = {v.channel_id: v for v in post.variants}
    post.variants = [existing.get(cid) or PostVariant(channel_id=cid) for cid in wanted]
    for variant in post.variants:
        text = draft.variants.get(variant.channel_id) or None
        variant.text = text if text and text != draft.text else None


def update_post(
    session: Session,
    post: Post,
    draft: Draft,
    *,
    version: int,
    actor: User,
    intent: str = "keep",
) -> Post:
    """Save an edit made from copy ``version``; a stale copy is refused, never merged."""
    check_can_edit(post, actor)
    if version != post.version:
        raise Conflict(STALE)
    draft.alt_texts = [img.alt_text for img in post.images]
    draft.image_files = [(img.content_type, img.size) for img in post.images]
    # What a reviewer sees, or what is scheduled, must be publishable as it stands.
    scheduling = post.state != PostState.draft or intent in {"submit", "schedule"}
    check(session, post.workspace_id, draft, for_schedule=scheduling).raise_if_any()
    post.text = draft.text
    post.scheduled_at = draft.scheduled_at
    post.thread = [part for part in draft.thread if part.strip()] or None
    post.content_warning = draft.content_warning.strip() or None
    _set_targets(post, draft)
    post.updated_at = utcnow()
    session.flush()
    _log(session, post, actor, "edited")
    if post.state == PostState.scheduled:
        _sync_deliveries(session, post)
    elif intent == "submit":
        _move(session, post, PostState.awaiting_approval, actor, "submitted")
    elif intent == "schedule":
        if not can_publish(actor):
            raise Forbidden("Contributors cannot schedule: submit the post for approval instead.")
        _schedule(session, post, actor, "scheduled")
    return post


def add_image(
    session: Session,
    post: Post,
    *,
    data: bytes,
    filename: str,
    alt_text: str,
    media_dir: Path,
    actor: User,
    version: int | None = None,
) -> PostImage:
    """Attach an image to a post that can still be edited; every image is described."""
    check_can_edit(post, actor)
    if version is not None and version != post.version:
        raise Conflict(STALE)
    if not alt_text.strip():
        raise Invalid({"alt_text": (N_("Describe this image (alternative text is required)."), {})})
    draft = draft_of(post)
    draft.alt_texts.append(alt_text.strip())
    kind = sniff(data)
    if kind is not None:
        draft.image_files.append((kind[0], len(data)))
    found = check(session, post.workspace_id, draft, for_schedule=True).errors
    mine = {f"alt_{len(draft.alt_texts) - 1}": "alt_text", "images": "images"}
    errors = {mine[k]: v for k, v in found.items() if k in mine}
    if errors:
        raise Invalid(errors)
    stored, content_type = store_image(media_dir, data, "file")
    image = PostImage(
        position=len(post.images),
        filename=PurePath(filename or "image").name[:255] or "image",
        stored_name=stored,
        content_type=content_type,
        size=len(data),
        alt_text=alt_text.strip(),
    )
    post.images.append(image)
    post.updated_at = utcnow()
    session.flush()
    _log(session, post, actor, "image_added", filename=image.filename)
    return image


def submit_post(session: Session, post: Post, *, actor: User) -> Post:
    check_can_edit(post, actor)
    if post.state != PostState.draft:
        raise Conflict("Only a draft can be submitted for approval.")
    check(session, post.workspace_id, draft_of(post), for_schedule=True).raise_if_any()
    _move(session, post, PostState.awaiting_approval, actor, "submitted")
    return post


def approve_post(session: Session, post: Post, *, actor: User, comment: str | None = None) -> Post:
    if not actor.can(Role.manager):
        raise Forbidden("Only managers and owners approve posts.")
    if post.state != PostState.awaiting_approval:
        raise Conflict("This post is not awaiting approval.")
    check(session, post.workspace_id, draft_of(post), for_schedule=True).raise_if_any()
    post.review_comment = comment or None
    post.reviewed_by_id = actor.id
    _schedule(session, post, actor, "approved", comment)
    return post


def reject_post(session: Session, post: Post, *, actor: User, comment: str) -> Post:
    if not actor.can(Role.manager):
        raise Forbidden("Only managers and owners approve posts.")
    if post.state != PostState.awaiting_approval:
        raise Conflict("This post is not awaiting approval.")
    if not comment or not comment.strip():
        from palabre.core.errors import Invalid

        raise Invalid({"comment": (N_("Tell the author why, so they can improve it."), {})})
    post.review_comment = comment.strip()
    post.reviewed_by_id = actor.id
    _move(session, post, PostState.draft, actor, "rejected", comment.strip())
    return post


def schedule_post(session: Session, post: Post, *, actor: User) -> Post:
    if not can_publish(actor):
        raise Forbidden("Contributors cannot schedule: submit the post for approval instead.")
    check_can_edit(post, actor)
    if post.state != PostState.draft:
        raise Conflict("Only a draft can be scheduled.")
    check(session, post.workspace_id, draft_of(post), for_schedule=True).raise_if_any()
    _schedule(session, post, actor, "scheduled")
    return post


def reschedule_post(
    session: Session, post: Post, *, when: datetime | None, actor: User, version: int | None = None
) -> Post:
    """Move a post in time (the calendar's drag and drop)."""
    check_can_edit(post, actor)
    if version is not None and version != post.version:
        raise Conflict("Someone changed this post meanwhile. Reload to see the change.")
    draft = draft_of(post)
    draft.scheduled_at = when
    check(session, post.workspace_id, draft, for_schedule=True).raise_if_any()
    old = post.scheduled_at
    post.scheduled_at = when
    post.updated_at = utcnow()
    session.flush()
    _log(
        session,
        post,
        actor,
        "rescheduled",
        old=old.isoformat() if old else None,
        new=when.isoformat() if when else None,
    )
    if post.state == PostState.scheduled:
        _sync_deliveries(session, post)
    return post


def cancel_post(session: Session, post: Post, *, actor: User) -> Post:
    check_can_edit(post, actor)
    if any(d.state == "publishing" for d in post.deliveries):
        raise Conflict("This post is being published right now and cannot be cancelled.")
    for delivery in post.deliveries:
        if delivery.state == "scheduled":
            transition_now(session, delivery, "cancelled")
    _move(session, post, PostState.cancelled, actor, "cancelled")
    return post


def hold_post(session: Session, post: Post, *, actor: User | None) -> bool:
    """A scheduled post back to awaiting approval (the automation that made it paused):
    nothing goes out until a manager approves it again. False when nothing was held
    (not scheduled, or already going out)."""
    if post.state != PostState.scheduled:
        return False
    if any(d.state in ("publishing", "published") for d in post.deliveries):
        return False
    for delivery in post.deliveries:
        if delivery.state == "scheduled":
            transition_now(session, delivery, "cancelled")
    _move(session, post, PostState.awaiting_approval, actor, "held")
    return True


def retry_delivery(session: Session, delivery: Delivery, *, actor: User) -> Delivery:
    if not can_publish(actor):
        raise Forbidden("Your role does not allow this.")
    if delivery.state != "failed":
        raise Conflict("Only a failed delivery can be retried.")
    delivery.round += 1
    delivery.last_error = None
    transition_now(session, delivery, "scheduled")
    post = delivery.post
    if post.state == PostState.failed:
        post.state = PostState.scheduled
    _log(session, post, actor, "retried", channel_id=delivery.channel_id)
    session.flush()
    return delivery


def draft_of(post: Post) -> Draft:
    """The post's stored content, as the validation sees it."""
    return Draft(
        text=post.text,
        channel_ids=[v.channel_id for v in post.variants],
        variants={v.channel_id: v.text for v in post.variants if v.text},
        scheduled_at=post.scheduled_at,
        alt_texts=[img.alt_text for img in post.images],
        image_files=[(img.content_type, img.size) for img in post.images],
        thread=list(post.thread or []),
        content_warning=post.content_warning or "",
    )


def _move(
    session: Session,
    post: Post,
    state: PostState,
    actor: User | None,
    action: str,
    comment: str | None = None,
) -> None:
    post.state = state
    post.updated_at = utcnow()
    session.flush()
    _log(session, post, actor, action, comment)


def _schedule(
    session: Session, post: Post, actor: User, action: str, comment: str | None = None
) -> None:
    _move(session, post, PostState.scheduled, actor, action, comment)
    _sync_deliveries(session, post)


def _sync_deliveries(session: Session, post: Post) -> None:
    """One delivery per target channel, due at the post's time."""
    due = post.scheduled_at or utcnow()
    targets = {v.channel_id for v in post.variants}
    by_channel = {d.channel_id: d for d in post.deliveries}
    for cid, delivery in by_channel.items():
        if cid not in targets and delivery.state == "scheduled":
            transition_now(session, delivery, "cancelled")
    for cid in targets:
        found = by_channel.get(cid)
        if found is None:
            delivery = Delivery(channel_id=cid, state="scheduled", attempts=0)
            post.deliveries.append(delivery)
        else:
            delivery = found
            if delivery.state == "cancelled":
                transition_now(session, delivery, "scheduled")
        if delivery.state == "scheduled":
            delivery.next_attempt_at = due
    session.flush()
