"""REST API: posts, their approval and their deliveries."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile, status
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from palabre.channels import services as channels
from palabre.channels.schemas import ChannelRef
from palabre.core.deps import ApiContributor, ApiManager, ApiUser, RuntimeDep, SessionDep, api_role
from palabre.core.errors import Conflict, FieldErrors, NotFound
from palabre.core.timeutil import local_to_utc, utc_to_local
from palabre.publishing import media, queries, rights, services
from palabre.publishing.models import Delivery, Post, PostState
from palabre.publishing.schemas import (
    ApproveIn,
    DeliveryOut,
    ImageOut,
    PostCreate,
    PostList,
    PostOut,
    PostUpdate,
    RejectIn,
)
from palabre.publishing.validation import Draft
from palabre.team.api import API_DEPENDENCIES
from palabre.team.models import Role, User
from palabre.team.schemas import UserRef, error_responses

router = APIRouter(tags=["posts"], dependencies=API_DEPENDENCIES)
ApiMember = Annotated[User, Depends(api_role(Role.member))]

# ---------------------------------------------------------------- shaping answers


def _channel_refs(session: Session, workspace_id: int) -> dict[int, ChannelRef]:
    return {
        c.id: ChannelRef(id=c.id, name=c.name, kind=c.kind)
        for c in channels.list_channels(session, workspace_id)
    }


def _delivery_out(d: Delivery, refs: dict[int, ChannelRef]) -> DeliveryOut:
    return DeliveryOut(
        id=d.id,
        post_id=d.post_id,
        channel=refs[d.channel_id],
        state=d.state,
        attempts=d.attempts,
        last_error=d.last_error,
        next_attempt_at=d.next_attempt_at,
        remote_id=d.remote_id,
        remote_url=d.remote_url,
        remote_parts=d.remote_parts,
        metrics=d.metrics,
        metrics_at=d.metrics_at,
        published_at=d.published_at,
    )


def post_out(post: Post, refs: dict[int, ChannelRef], tz: str) -> PostOut:
    when = post.scheduled_at
    return PostOut(
        id=post.id,
        state=PostState(post.state),
        text=post.text,
        channels=[refs[v.channel_id] for v in post.variants],
        variants={v.channel_id: v.text for v in post.variants if v.text},
        thread=list(post.thread or []),
        content_warning=post.content_warning,
        scheduled_at=when,
        scheduled_at_local=utc_to_local(when, tz).isoformat() if when else None,
        author=UserRef.model_validate(post.author) if post.author else None,
        review_comment=post.review_comment,
        reviewed_by=UserRef.model_validate(post.reviewed_by) if post.reviewed_by else None,
        version=post.version,
        images=[ImageOut.model_validate(i) for i in post.images],
        deliveries=[_delivery_out(d, refs) for d in post.deliveries],
        published_at=post.published_at,
        created_at=post.created_at,
        updated_at=post.updated_at,
    )


def _detail(session: Session, user: User, post_id: int) -> PostOut:
    post = queries.post_detail(session, user.workspace_id, post_id)
    if post is None:
        raise NotFound("No such post in this workspace.")
    return post_out(post, _channel_refs(session, user.workspace_id), user.workspace.timezone)


def _change(session: Session, user: User, post_id: int, change: services.PostChange) -> PostOut:
    """Apply ``change`` to the post, commit, and answer with the post as it now is."""
    post = services.get_post(session, user.workspace_id, post_id)
    with _saving(session):
        change(session, post, actor=user)
    return _detail(session, user, post_id)


@contextmanager
def _saving(session: Session) -> Iterator[None]:
    """Commit the change; two edits racing on one post end in 409 for the second."""
    try:
        yield
        session.commit()
    except StaleDataError as exc:
        session.rollback()
        raise Conflict(services.STALE) from exc
    session.expire_all()


# ---------------------------------------------------------------- reading input


def _utc(value: datetime | None, tz: str) -> datetime | None:
    return None if value is None else local_to_utc(value, tz)


def _check_variants(draft: Draft) -> None:
    errors = FieldErrors()
    for cid in draft.variants:
        if cid not in draft.channel_ids:
            errors.add(f"variant_{cid}", "This channel is not among the post's channels.")
    errors.raise_if_any()


# ---------------------------------------------------------------- routes

ERR_POST = error_responses(400, 403, 404, 409, 422)


@router.post(
    "/posts",
    response_model=PostOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a post",
    description="A member's, manager's or owner's post is scheduled at once; a "
    "contributor's awaits approval. `draft: true` keeps it a draft, `submit: true` asks "
    "for approval. The text (or each variant) is checked against every target network's "
    "own limit and counting rule.",
    responses=error_responses(400, 403, 422),
)
def create_post(body: PostCreate, session: SessionDep, user: ApiContributor) -> PostOut:
    draft = Draft(
        text=body.text,
        channel_ids=body.channels,
        variants=body.variants,
        scheduled_at=_utc(body.scheduled_at, user.workspace.timezone),
        thread=body.thread,
        content_warning=body.content_warning,
    )
    _check_variants(draft)
    with _saving(session):
        post = services.create_post(session, user.workspace, draft, author=user, intent=body.intent)
    return _detail(session, user, post.id)


@router.get(
    "/posts",
    response_model=PostList,
    summary="List posts",
    description="Newest first. Page with `before_id` (the previous page's `next_before_id`).",
    responses=error_responses(422),
)
def list_posts(
    session: SessionDep,
    user: ApiUser,
    state: Annotated[PostState | None, Query(description="Only posts in this state")] = None,
    mine: Annotated[bool, Query(description="Only the posts I wrote")] = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before_id: Annotated[int | None, Query(ge=1, description="Posts older than this id")] = None,
) -> PostList:
    rows = queries.list_posts(
        session,
        user.workspace_id,
        state=state.value if state else None,
        author_id=user.id if mine else None,
        limit=limit,
        before_id=before_id,
    )
    refs = _channel_refs(session, user.workspace_id)
    return PostList(
        posts=[post_out(p, refs, user.workspace.timezone) for p in rows],
        next_before_id=rows[-1].id if len(rows) == limit else None,
    )


@router.get(
    "/posts/{post_id}",
    response_model=PostOut,
    summary="Get a post",
    description="Its state, texts, images, review comment and each delivery with its "
    "channel, state, attempts, last error and remote id.",
    responses=error_responses(404, 422),
)
def get_post(post_id: int, session: SessionDep, user: ApiUser) -> PostOut:
    return _detail(session, user, post_id)


@router.patch(
    "/posts/{post_id}",
    response_model=PostOut,
    summary="Edit a post",
    description="Send the `version` you read; if someone changed the post since, the edit "
    "is refused with 409 instead of overwriting theirs. Only the fields present change. "
    "Contributors edit their own posts until they are approved; managers edit any.",
    responses=error_responses(400, 403, 404, 409, 422),
)
def update_post(
    post_id: int, body: PostUpdate, session: SessionDep, user: ApiContributor
) -> PostOut:
    post = services.get_post(session, user.workspace_id, post_id)
    draft = services.draft_of(post)
    given = body.model_fields_set
    if body.text is not None:
        draft.text = body.text
    if body.channels is not None:
        draft.channel_ids = body.channels
        draft.variants = {c: t for c, t in draft.variants.items() if c in body.channels}
    if "variants" in given:
        draft.variants = body.variants or {}
    if "scheduled_at" in given:
        draft.scheduled_at = _utc(body.scheduled_at, user.workspace.timezone)
    if body.thread is not None:
        draft.thread = body.thread
    if body.content_warning is not None:
        draft.content_warning = body.content_warning
    if body.version == post.version:  # a stale copy gets its 409 from the service first
        rights.check_can_edit(post, user)
        _check_variants(draft)
    with _saving(session):
        services.update_post(session, post, draft, version=body.version, actor=user)
    return _detail(session, user, post_id)


@router.post(
    "/posts/{post_id}/submit",
    response_model=PostOut,
    summary="Submit a draft for approval",
    description="The draft is checked as for scheduling, then awaits a manager's approval.",
    responses=error_responses(403, 404, 409, 422),
)
def submit_post(post_id: int, session: SessionDep, user: ApiContributor) -> PostOut:
    return _change(session, user, post_id, services.submit_post)


@router.post(
    "/posts/{post_id}/approve",
    response_model=PostOut,
    summary="Approve a post",
    description="Managers and owners. The post is scheduled; the comment is shown to its author.",
    responses=ERR_POST,
)
def approve_post(
    post_id: int, session: SessionDep, user: ApiManager, body: ApproveIn | None = None
) -> PostOut:
    comment = body.comment if body else None
    return _change(session, user, post_id, partial(services.approve_post, comment=comment))


@router.post(
    "/posts/{post_id}/reject",
    response_model=PostOut,
    summary="Reject a post",
    description="Managers and owners. The post goes back to its author as a draft with "
    "the comment, which is required.",
    responses=error_responses(400, 403, 404, 409, 422),
)
def reject_post(post_id: int, body: RejectIn, session: SessionDep, user: ApiManager) -> PostOut:
    return _change(session, user, post_id, partial(services.reject_post, comment=body.comment))


@router.post(
    "/posts/{post_id}/cancel",
    response_model=PostOut,
    summary="Cancel a post",
    description="Deliveries not yet made are cancelled; 409 while one is being published.",
    responses=error_responses(403, 404, 409, 422),
)
def cancel_post(post_id: int, session: SessionDep, user: ApiContributor) -> PostOut:
    return _change(session, user, post_id, services.cancel_post)


@router.post(
    "/deliveries/{delivery_id}/retry",
    response_model=DeliveryOut,
    summary="Retry a failed delivery",
    description="Members, managers and owners. The delivery is due again at once.",
    responses=error_responses(403, 404, 409, 422),
)
def retry_delivery(delivery_id: int, session: SessionDep, user: ApiMember) -> DeliveryOut:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None or delivery.post.workspace_id != user.workspace_id:
        raise NotFound("No such delivery in this workspace.")
    with _saving(session):
        services.retry_delivery(session, delivery, actor=user)
    session.refresh(delivery)
    return _delivery_out(delivery, _channel_refs(session, user.workspace_id))


# ---------------------------------------------------------------- images


@router.post(
    "/posts/{post_id}/images",
    response_model=PostOut,
    status_code=status.HTTP_201_CREATED,
    summary="Attach an image",
    description="Multipart form: `file` (PNG, JPEG, GIF or WebP, up to 10 MB) and "
    "`alt_text` (required: every image is described). Optional `version` is checked like "
    "an edit's. Only while the post can still be edited.",
    responses=error_responses(403, 404, 409, 422),
)
def add_image(
    post_id: int,
    session: SessionDep,
    user: ApiContributor,
    rt: RuntimeDep,
    file: Annotated[UploadFile, File(description="The image")],
    alt_text: Annotated[str, Form(description="What the image shows, for blind readers")],
    version: Annotated[int | None, Form(description="The version you read")] = None,
) -> PostOut:
    change = partial(
        services.add_image,
        data=file.file.read(media.MAX_IMAGE_BYTES + 1),
        filename=file.filename or "image",
        alt_text=alt_text,
        media_dir=rt.media_dir,
        version=version,
    )
    return _change(session, user, post_id, change)
