"""What the publishing pages share: confirmations after a redirect, labels, permissions."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse

from palabre.channels.models import Channel
from palabre.channels.services import list_channels
from palabre.core import pagecache
from palabre.core.db import utcnow
from palabre.core.deps import LANG_COOKIE, SESSION_COOKIE, fast_reads, page_role
from palabre.core.errors import Forbidden, NotFound
from palabre.core.fastread import Reader
from palabre.core.i18n import N_, Translator, pick_language
from palabre.core.pagecache import PageCache
from palabre.core.templating import render, template_context, templates, url_builder
from palabre.publishing import queries, rights
from palabre.publishing.models import Post, PostState
from palabre.team.models import Role, User

# Shown after a redirect (?done=...): the confirmation of what just happened.
DONE = {
    "draft": N_("Draft saved."),
    "submitted": N_("Sent for approval. A manager will review it."),
    "scheduled": N_("Scheduled. It will be published at the chosen time."),
    "saved": N_("Changes saved."),
    "approved": N_("Approved: the post is scheduled."),
    "rejected": N_("Sent back to its author with your comment."),
    "cancelled": N_("The post is cancelled; nothing more will be published."),
    "retried": N_("The delivery will be tried again in a moment."),
}

STATE_LABELS = {
    PostState.draft: N_("Draft"),
    PostState.awaiting_approval: N_("Awaiting approval"),
    PostState.scheduled: N_("Scheduled"),
    PostState.published: N_("Published"),
    PostState.failed: N_("Failed"),
    PostState.cancelled: N_("Cancelled"),
}

DELIVERY_LABELS = {
    "scheduled": N_("Waiting for its time"),
    "publishing": N_("Publishing"),
    "published": N_("Published"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
}

HISTORY_LABELS = {
    "post.created": N_("created the post"),
    "post.edited": N_("edited the post"),
    "post.submitted": N_("submitted it for approval"),
    "post.approved": N_("approved it"),
    "post.rejected": N_("sent it back for changes"),
    "post.scheduled": N_("scheduled it"),
    "post.rescheduled": N_("moved it in time"),
    "post.cancelled": N_("cancelled it"),
    "post.retried": N_("asked for a new try"),
    "post.delivery_published": N_("published it"),
    "post.delivery_failed": N_("could not publish it"),
}


async def form_data(request: Request) -> FormData:
    """The posted form (already read once by the CSRF check, so read from cache)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]
PageContributor = Annotated[User, Depends(page_role(Role.contributor))]
PageMember = Annotated[User, Depends(page_role(Role.member))]
PageManager = Annotated[User, Depends(page_role(Role.manager))]


def translator(request: Request) -> Translator:
    tr: Translator = request.state.tr
    return tr


def page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render a publishing page, with the confirmation named by ``?done=`` if any."""
    flashes = _flashes(request, context)
    ctx = {**_labels(request), **context, **flashes}
    return render(request, name, ctx, status_code=status_code)


def _flashes(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    flashes = list(context.pop("flashes", []))
    done = request.query_params.get("done")
    if done in DONE:
        flashes.insert(0, ("success", translator(request).gettext(DONE[done])))
    return {"flashes": flashes}


def _labels(request: Request) -> dict[str, Any]:
    tr = translator(request)
    user = getattr(request.state, "user", None)
    return {
        "can_write": bool(user and user.can(Role.contributor)),
        "state_labels": {k.value: tr.gettext(v) for k, v in STATE_LABELS.items()},
        "delivery_labels": {k: tr.gettext(v) for k, v in DELIVERY_LABELS.items()},
    }


# Where the reader's CSRF token, the page's title and its content go in the cached HTML
# (the token is never stored in the cache); random, so that no post's text can name them.
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(12)}"
TITLE_SLOT = f"title-slot-{secrets.token_hex(12)}"
CONTENT_SLOT = f"content-slot-{secrets.token_hex(12)}"

# A cached piece of HTML, encoded, cut where the reader's CSRF token goes.
Pieces = tuple[bytes, ...]


def page_cache(request: Request) -> PageCache:
    """This process's cache of rendered fragments (one per app)."""
    state = request.app.state
    cache: PageCache | None = getattr(state, "palabre_page_cache", None)
    if cache is None:
        cache = state.palabre_page_cache = PageCache()
    return cache


def _pieces(html: str) -> Pieces:
    return tuple(part.encode() for part in html.split(CSRF_SLOT))


def _content_key(
    request: Request, name: str, ws: int, tz: str, lang: str, key: tuple[Hashable, ...]
) -> tuple[Hashable, ...]:
    return (name, ws, tz, lang, str(request.base_url), *key)


def _layout_key(
    request: Request, lang: str, who: tuple[Hashable, ...], unread: int
) -> tuple[Hashable, ...]:
    """The layout around a cached page shows the person (``who``: id, role, name, their
    workspace's name), their unread notices, the menu with this page marked, and for
    managers the channels to reconnect (which change the workspace's data version)."""
    route = request.scope.get("route")
    return ("layout", getattr(route, "name", None), lang, str(request.base_url), *who, unread)


def _html(layout: tuple[Pieces, ...], content: tuple[Pieces, ...], csrf_token: str) -> Response:
    token = str(escape(csrf_token)).encode()
    head, middle, tail = layout
    title, body = content
    parts = (head, title, middle, body, tail)
    return Response(b"".join(token.join(p) for p in parts), media_type="text/html")


def cached_page(
    request: Request,
    session: Session,
    user: User,
    name: str,
    key: tuple[Hashable, ...],
    build: Callable[[], dict[str, Any]],
) -> Response:
    """Page ``name`` whose title and content blocks come from the cache while the
    workspace's data version is unchanged; ``build`` makes their context on a miss.

    ``key`` names what the content depends on besides the workspace's data, its time zone,
    the reading language and the site's address (always part of the key); the reader's
    CSRF token is put in after. The layout around it is cached too, per person (see
    ``_layout_key``), unless it shows a confirmation (``?done=``). ``cached_hit`` serves
    the same bytes without this function's queries.
    """
    version = pagecache.data_version(session, user.workspace_id)  # before the page's data
    tr = translator(request)
    ws = user.workspace
    cache = page_cache(request)
    content_key = _content_key(request, name, ws.id, ws.timezone, tr.lang, key)
    content = cache.get(content_key, version)
    if content is None:
        content = _render_content(request, name, build)
        cache.put(content_key, version, content)
    from palabre.team.alerts import alerts_for  # (team imports core)

    alerts = alerts_for(user)  # read after the version: as new as it, or newer
    plain = "done" not in request.query_params
    who = (user.id, user.role, user.name, ws.name)
    layout_key = _layout_key(request, tr.lang, who, alerts.unread)
    layout = cache.get(layout_key, version) if plain else None
    if layout is None:
        layout = _render_layout(request, alerts)
        if plain:
            cache.put(layout_key, version, layout)
    return _html(layout, content, getattr(request.state, "csrf_token", ""))


def _render_content(
    request: Request, name: str, build: Callable[[], dict[str, Any]]
) -> tuple[Pieces, Pieces]:
    template = templates.get_template(name)
    ctx = template_context(request, {**_labels(request), **build(), "csrf_token": CSRF_SLOT})
    title, content = (
        "".join(template.blocks[block](template.new_context(ctx))) for block in ("title", "content")
    )
    return _pieces(title), _pieces(content)


def _render_layout(request: Request, alerts: Any) -> tuple[Pieces, Pieces, Pieces]:
    """base.html around slots for the title and the content (and the CSRF token)."""
    slots = {
        "cached_title": Markup(TITLE_SLOT),  # noqa: S704 (a constant)
        "cached_content": Markup(CONTENT_SLOT),  # noqa: S704 (a constant)
        "csrf_token": CSRF_SLOT,
        "alerts": alerts,
    }
    ctx = template_context(request, {**_labels(request), **_flashes(request, {}), **slots})
    html = templates.get_template("publishing/_cached.html").render(ctx)
    head, _, rest = html.partition(TITLE_SLOT)
    middle, _, tail = rest.partition(CONTENT_SLOT)
    return _pieces(head), _pieces(middle), _pieces(tail)


def cached_hit(
    request: Request, name: str, key: Callable[[Reader, str], tuple[Hashable, ...]]
) -> Response | None:
    """Page ``name`` from the cache, on the event loop, with the one query of
    ``core.fastread`` (the session checked, the data version read); ``None`` when it is not
    there in full (the ordinary path then renders and stores it). ``key(reader, tz)`` is
    what the page's ``cached_page`` call is given as its key."""
    if "done" in request.query_params:
        return None
    reader = fast_reads(request).reader(request.cookies.get(SESSION_COOKIE))
    if reader is None:
        return None
    lang = pick_language(
        reader.language, request.cookies.get(LANG_COOKIE), reader.workspace_language
    )
    cache = page_cache(request)
    tz = reader.timezone
    content_key = _content_key(request, name, reader.workspace_id, tz, lang, key(reader, tz))
    content = cache.get(content_key, reader.version)
    if content is None:
        return None
    who = (reader.id, reader.role, reader.name, reader.workspace_name)
    layout = cache.get(_layout_key(request, lang, who, reader.unread), reader.version)
    if layout is None:
        return None
    return _html(layout, content, reader.csrf_token)


def url_pattern(request: Request, name: str, param: str) -> str:
    """The URL of route ``name`` with ``{id}`` in place of its parameter ``param``, to be
    filled in with ``.replace("{id}", ...)``: cheap, for pages with many links to one route."""
    return url_builder(request)(name, **{param: "{id}"})


def done(request: Request, endpoint: str, what: str, **params: Any) -> RedirectResponse:
    """Post/Redirect/Get: back to a page that confirms ``what`` happened."""
    url = request.url_for(endpoint, **params).include_query_params(done=what)
    return RedirectResponse(str(url), status_code=303)


def messages(tr: Translator, errors: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, str]:
    return {name: tr.gettext(msg, **params) for name, (msg, params) in errors.items()}


def refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise Forbidden("Your role does not allow this.")


# ---- Renderers shared by the page routes and the action routes (re-displays on error).


@dataclass
class HistoryLine:
    at: datetime
    who: str
    what: str
    comment: str | None
    detail: str | None = None
    link: str | None = None


def channel_map(session: Session, workspace_id: int) -> dict[int, Channel]:
    return {c.id: c for c in list_channels(session, workspace_id)}


def history_lines(
    session: Session, post: Post, tr: Translator, tz: str, channels: dict[int, Channel]
) -> list[HistoryLine]:
    lines = []
    for entry in queries.history(session, post.id):
        details = entry.details or {}
        label = HISTORY_LABELS.get(entry.action)
        line = HistoryLine(
            at=entry.at,
            who=entry.user.name if entry.user else tr.gettext("Palabre"),
            what=tr.gettext(label) if label else entry.action,
            comment=entry.comment,
            link=details.get("remote_url"),
        )
        channel = channels.get(details.get("channel_id") or 0)
        if channel is not None:
            line.detail = channel.name
        if entry.action == "post.rescheduled":
            line.detail = _moment(details.get("new"), tr, tz) or tr.gettext("as soon as possible")
        lines.append(line)
    return lines


def _moment(value: object, tr: Translator, tz: str) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return tr.datetime(datetime.fromisoformat(value), tz, "short")
    except ValueError:
        return None


def render_post(
    request: Request,
    session: Session,
    user: User,
    post_id: int,
    *,
    flashes: list[tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
    fragment: bool = False,
) -> HTMLResponse:
    """The post's page, or with ``fragment`` only its deliveries (refreshed by HTMX)."""
    post = queries.post_detail(session, user.workspace_id, post_id)
    if post is None:
        raise NotFound("No such post in this workspace.")
    tz = user.workspace.timezone
    channels = channel_map(session, user.workspace_id)
    to_preview = [
        d
        for d in post.deliveries
        if d.channel_id in channels and channels[d.channel_id].kind == "preview"
    ]
    context = {
        "post": post,
        "channels": channels,
        "actions": rights.allowed_actions(post, user),
        "previews": queries.preview_records(session, to_preview),
        "in_flight": deliveries_in_flight(post),
        "flashes": flashes or [],
        "errors": errors or {},
        "form": form or {},
    }
    if fragment:
        return page(request, "publishing/_deliveries.html", context)
    context["history"] = history_lines(session, post, translator(request), tz, channels)
    return page(request, "publishing/post.html", context, status_code=status_code)


def deliveries_in_flight(post: Post) -> bool:
    """A delivery is publishing, or due within a few minutes: worth watching live."""
    soon = utcnow() + timedelta(minutes=5)
    return any(
        d.state == "publishing"
        or (d.state == "scheduled" and (d.next_attempt_at is None or d.next_attempt_at <= soon))
        for d in post.deliveries
    )


APPROVALS_PER_PAGE = 20


def _cursor(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() else None


def approvals_key(request: Request, who: Reader | User, _tz: str) -> tuple[Hashable, ...]:
    """What a cached page of the approval queue depends on (see ``cached_page``)."""
    return (_cursor(request, "after"), _cursor(request, "before"), who.can(Role.manager))


def render_approvals(
    request: Request,
    session: Session,
    user: User,
    *,
    flashes: list[tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """One page of the approval queue (``?after=`` / ``?before=`` a post's id). A review
    form sent back with an error shows the page that starts with its post."""

    cursor = partial(_cursor, request)
    reviewed = request.path_params.get("post_id") if request.method == "POST" else None

    def build() -> dict[str, Any]:
        queue = queries.approval_queue(
            session,
            user.workspace_id,
            per_page=APPROVALS_PER_PAGE,
            after=cursor("after"),
            before=cursor("before"),
            start_at=int(reviewed) if reviewed is not None and str(reviewed).isdigit() else None,
        )
        return {
            "queue": queue,
            "posts": queue.posts,
            "channels": channel_map(session, user.workspace_id),
            "can_review": user.can(Role.manager),
        }

    if reviewed is None and not (flashes or errors or form):  # a plain page: from the cache
        key = approvals_key(request, user, user.workspace.timezone)
        return cached_page(request, session, user, "publishing/approvals.html", key, build)
    shown = {"flashes": flashes or [], "errors": errors or {}, "form": form or {}}
    return page(request, "publishing/approvals.html", build() | shown, status_code=status_code)
