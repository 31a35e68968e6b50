"""Pages: dashboard, composer, calendar, approvals, posts and their detail.

The buttons that change a post (approve, submit, retry, calendar moves…) are in
``actions.py``; both modules share their helpers through ``pages.py``.
"""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from palabre.automations.share import shares as automated_shares
from palabre.channels.registry import adapters
from palabre.core.db import utcnow
from palabre.core.deps import PageUser, RuntimeDep, SessionDep, signed_in
from palabre.core.errors import Conflict, Forbidden, Invalid, NotFound
from palabre.core.timeutil import utc_to_local
from palabre.publishing import actions, queries, rights, services
from palabre.publishing import calendar as cal
from palabre.publishing.approvals import approvals_key, render_approvals
from palabre.publishing.cached import cached_hit, cached_page
from palabre.publishing.compose import ComposeForm, channel_choices, remove_images
from palabre.publishing.models import Post, PostState
from palabre.publishing.pages import (
    STATE_LABELS,
    FormDep,
    PageContributor,
    channel_map,
    done,
    messages,
    page,
    render_post,
    translator,
    url_pattern,
)
from palabre.team.models import User

router = APIRouter()

POSTS_PER_PAGE = 30
INTENT_DONE = {"draft": "draft", "submit": "submitted", "schedule": "scheduled", "keep": "saved"}


@router.get("/", name="dashboard")
def dashboard(request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = user.workspace_id
    return page(
        request,
        "publishing/dashboard.html",
        {
            "counts": queries.counts(session, ws),
            "upcoming": queries.upcoming(session, ws, utcnow(), limit=8),
            "awaiting": queries.awaiting_approval(session, ws, limit=8),
            "failed": queries.failed_deliveries(session, ws, limit=10),
            "channels": channel_map(session, ws),
            "can_retry": rights.can_publish(user),
            "shares": automated_shares(session, ws, utcnow()),
        },
    )


# ---- Composer and editor


def _composer(
    request: Request,
    session: Session,
    user: User,
    data: ComposeForm,
    *,
    post: Post | None = None,
    conflict: str | None = None,
    status_code: int = 200,
) -> Response:
    tr = translator(request)
    return page(
        request,
        "publishing/compose.html",
        {
            "data": data,
            "post": post,
            "choices": channel_choices(session, user.workspace_id),
            "errors": messages(tr, data.errors.errors),
            "files_dropped": bool(data.uploads) and bool(data.errors.errors),
            "can_publish": rights.can_publish(user),
            "conflict": conflict,
            "kind_labels": {kind: cls.label for kind, cls in adapters().items()},
        },
        status_code=status_code,
    )


@router.get("/compose", name="compose_page")
def compose_page(request: Request, session: SessionDep, user: PageContributor) -> Response:
    return _composer(request, session, user, ComposeForm())


@router.post("/compose", name="compose_submit")
def compose_submit(
    request: Request,
    session: SessionDep,
    user: PageContributor,
    form: FormDep,
    runtime: RuntimeDep,
) -> Response:
    data = ComposeForm.read(form)
    intent = data.action if data.action in {"draft", "submit", "schedule"} else "draft"
    if intent == "schedule" and not rights.can_publish(user):
        raise Forbidden("Contributors cannot schedule: submit the post for approval instead.")
    draft = data.draft(user.workspace.timezone)
    data.validate(session, user.workspace_id, draft, intent)
    images = [] if data.errors.errors else data.store_images(runtime.media_dir)
    if data.errors.errors:
        return _composer(request, session, user, data, status_code=422)
    try:
        post = services.create_post(
            session, user.workspace, draft, author=user, intent=intent, images=images
        )
        post_id = post.id
        session.commit()
    except Invalid as exc:
        session.rollback()
        remove_images(runtime.media_dir, images)
        data.absorb(exc.errors)
        return _composer(request, session, user, data, status_code=422)
    except BaseException:
        remove_images(runtime.media_dir, images)
        raise
    return done(request, "post_page", INTENT_DONE[intent], post_id=post_id)


def _editable(session: Session, user: User, post_id: int) -> Post:
    post = services.get_post(session, user.workspace_id, post_id)
    if not rights.can_edit(post, user):
        if post.state not in rights.EDITABLE:
            raise Conflict("This post can no longer be edited.")
        raise Forbidden("You can only edit your own posts.")
    return post


@router.get("/posts/{post_id}/edit", name="edit_page")
def edit_page(
    request: Request, post_id: int, session: SessionDep, user: PageContributor
) -> Response:
    post = _editable(session, user, post_id)
    data = ComposeForm.from_post(post, user.workspace.timezone)
    data.action = "keep"
    return _composer(request, session, user, data, post=post)


@router.post("/posts/{post_id}/edit", name="edit_submit")
def edit_submit(
    request: Request, post_id: int, session: SessionDep, user: PageContributor, form: FormDep
) -> Response:
    post = _editable(session, user, post_id)
    data = ComposeForm.read(form)
    intent = data.action if data.action in {"keep", "submit", "schedule"} else "keep"
    draft = data.draft(user.workspace.timezone)
    if data.version is None:
        data.errors.add("version", "This form is incomplete. Reload the page and try again.")
    if data.errors.errors or data.version is None:
        return _composer(request, session, user, data, post=post, status_code=422)
    tr = translator(request)
    try:
        services.update_post(session, post, draft, version=data.version, actor=user, intent=intent)
        session.commit()
    except Invalid as exc:
        session.rollback()
        data.absorb(exc.errors)
        return _composer(request, session, user, data, post=post, status_code=422)
    except (Conflict, StaleDataError) as exc:
        session.rollback()
        message = (
            tr.gettext(exc.message, **exc.params)
            if isinstance(exc, Conflict)
            else tr.gettext(
                "Someone changed this post while you were editing it. "
                "Reload it to see their changes."
            )
        )
        post = services.get_post(session, user.workspace_id, post_id)
        return _composer(request, session, user, data, post=post, conflict=message, status_code=409)
    return done(request, "post_page", INTENT_DONE[intent], post_id=post_id)


# ---- Calendar


@router.get("/calendar", name="calendar_page")
async def calendar_page(request: Request) -> Response:
    """``?view=day|week|month&date=YYYY-MM-DD``: from the cache on the event loop when it
    can (``cached.cached_hit``), else rendered in the thread pool. (The two parameters are
    read here rather than declared: FastAPI's parsing of them cost a fifth of a cache hit.)"""
    view = request.query_params.get("view", "week")
    date = request.query_params.get("date")
    key = partial(_calendar_key, view, date)
    hit = cached_hit(request, "publishing/calendar.html", key)
    if hit is not None:
        return hit
    return await run_in_threadpool(_calendar_page, request, view, date)


def _grid(view: str, date: str | None, tz: str) -> cal.Grid:
    today = utc_to_local(utcnow(), tz).date()
    return cal.grid_for(view if view in cal.VIEWS else "week", cal.parse_day(date, today), today)


def _calendar_key(view: str, date: str | None, who: cal.Reader, tz: str) -> tuple[object, ...]:
    grid = _grid(view, date, tz)
    return (grid.view, grid.anchor, grid.today, cal.mover_key(who))


def _calendar_page(request: Request, view: str, date: str | None) -> Response:
    with signed_in(request) as (session, user):
        tz = user.workspace.timezone
        tr = translator(request)
        grid = _grid(view, date, tz)

        def build() -> dict[str, object]:
            start, end = cal.utc_range(grid, tz)
            entries = queries.calendar_entries(session, user.workspace_id, start, end)
            cal.place(grid, entries, tz, user)
            return {
                "grid": grid,
                "movable": grid.any_movable,
                "noon": partial(cal.noon, tz=tz),
                "entry": cal.EntryLinks(
                    post=url_pattern(request, "post_page", "post_id"),
                    edit=url_pattern(request, "edit_page", "post_id"),
                    move_label=tr.gettext("Move to…"),
                    state_labels={k.value: tr.gettext(v) for k, v in STATE_LABELS.items()},
                ).html,
            }

        key = _calendar_key(view, date, user, tz)
        return cached_page(request, session, user, "publishing/calendar.html", key, build)


# ---- Approvals, posts, one post


@router.get("/approvals", name="approvals_page")
async def approvals_page(request: Request) -> Response:
    """From the cache on the event loop when it can, else rendered in the thread pool."""
    hit = cached_hit(request, "publishing/approvals.html", partial(approvals_key, request))
    if hit is not None:
        return hit
    return await run_in_threadpool(_approvals_page, request)


def _approvals_page(request: Request) -> Response:
    with signed_in(request) as (session, user):
        return render_approvals(request, session, user)


@router.get("/posts", name="posts_page")
def posts_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    state: str | None = None,
    before_id: int | None = None,
) -> Response:
    state = state if state in PostState.__members__ else None
    posts = queries.list_posts(
        session, user.workspace_id, state=state, before_id=before_id, limit=POSTS_PER_PAGE + 1
    )
    more = len(posts) > POSTS_PER_PAGE
    posts = posts[:POSTS_PER_PAGE]
    return page(
        request,
        "publishing/posts.html",
        {
            "posts": posts,
            "state": state,
            "states": list(PostState),
            "next_before": posts[-1].id if more and posts else None,
            "channels": channel_map(session, user.workspace_id),
        },
    )


@router.get("/posts/{post_id}", name="post_page")
def post_page(request: Request, post_id: int, session: SessionDep, user: PageUser) -> Response:
    return render_post(request, session, user, post_id)


@router.get("/posts/{post_id}/deliveries", name="post_deliveries")
def post_deliveries(
    request: Request, post_id: int, session: SessionDep, user: PageUser
) -> Response:
    """The deliveries of a post, as an HTMX fragment."""
    return render_post(request, session, user, post_id, fragment=True)


@router.get("/posts/{post_id}/images/{image_id}", name="post_image")
def post_image(
    post_id: int, image_id: int, session: SessionDep, user: PageUser, runtime: RuntimeDep
) -> Response:
    post = services.get_post(session, user.workspace_id, post_id)
    image = next((i for i in post.images if i.id == image_id), None)
    path = runtime.media_dir / image.stored_name if image else None
    if image is None or path is None or not path.is_file():
        raise NotFound("This image is no longer available.")
    return FileResponse(
        path,
        media_type=image.content_type,
        headers={"Cache-Control": "private, max-age=86400"},
    )


# The buttons' routes after the pages' (routes are tried in order: the calendar and the
# approval queue, read most, are found sooner).
router.include_router(actions.router)
