"""REST API: sources (feeds and agendas), their health and what they brought."""

from __future__ import annotations

import base64
import binascii

from fastapi import APIRouter, Request, Response, status
from sqlalchemy.orm import Session

from palabre.core.db import utcnow
from palabre.core.deps import ApiUser, RuntimeDep, SessionDep
from palabre.core.errors import Invalid
from palabre.core.i18n import N_, Translator
from palabre.core.runtime import Runtime
from palabre.sources import services
from palabre.sources.fetch_models import SourceFetch
from palabre.sources.health import EXPLAINED, health_of
from palabre.sources.models import Source, SourceKind
from palabre.sources.queries import latest_items, latest_occurrences
from palabre.sources.refresh import refresh_now
from palabre.sources.schemas import (
    FeedChoice,
    HealthOut,
    ItemList,
    ItemOut,
    OccurrenceOut,
    OfferedFeedOut,
    RefreshOut,
    SourceCreate,
    SourceList,
    SourceOut,
    SourceUpdate,
)
from palabre.team.api import API_DEPENDENCIES
from palabre.team.models import User
from palabre.team.schemas import error_responses
from palabre.team.services import require

router = APIRouter(tags=["sources"], dependencies=API_DEPENDENCIES)
ITEMS_LIMIT = 50


def source_out(session: Session, source: Source, tr: Translator) -> SourceOut:
    return source_with(source, services.fetch_row(session, source.id), tr)


def source_with(source: Source, row: SourceFetch | None, tr: Translator) -> SourceOut:
    health = health_of(source, row, utcnow())
    error = tr.gettext(health.last_error, **health.last_error_params) if health.last_error else None
    return SourceOut(
        id=source.id,
        kind=source.kind,
        name=source.name,
        url=source.url,
        file_name=source.file_name,
        title=source.title,
        site_url=source.site_url,
        weight=source.weight,
        paused=source.paused,
        first_fetch_keep=source.first_fetch_keep,
        created_at=source.created_at,
        health=HealthOut(
            state=health.state,
            summary=tr.gettext(EXPLAINED[health.state]),
            last_success_at=health.last_success_at,
            last_checked_at=health.last_checked_at,
            last_error=error,
            last_error_at=health.last_error_at,
            offered_feeds=[OfferedFeedOut.model_validate(f) for f in source.offered_feeds or []],
            notice=tr.gettext(health.notice, **(health.notice_params or {}))
            if health.notice
            else None,
            items_seen=health.items_seen,
            next_check_at=health.next_check_at,
        ),
    )


@router.get(
    "/sources",
    response_model=SourceList,
    summary="List sources",
    description="Every feed and agenda of the workspace, by name, with its health.",
    responses=error_responses(),
)
def list_sources(request: Request, session: SessionDep, user: ApiUser) -> SourceList:
    tr = request.state.tr
    sources = services.list_sources(session, user.workspace_id)
    rows = services.fetch_rows(session, sources)
    return SourceList(sources=[source_with(s, rows.get(s.id), tr) for s in sources])


@router.post(
    "/sources",
    response_model=SourceOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a source",
    description="Members, managers and owners. From a `url` (fetched at once, through the "
    "guarded fetcher: private addresses are refused unless the administrator allow-lists "
    "them) or from a file's `content` / `content_base64` (read once). When `url` is a web "
    "page offering feeds, the answer is 422 with `feeds` to choose from. The first fetch "
    "keeps only the newest item(s) as new (`first_fetch_keep`); older ones are backlog.",
    responses=error_responses(400, 403, 422),
)
def create_source(
    request: Request, body: SourceCreate, session: SessionDep, user: ApiUser, rt: RuntimeDep
) -> SourceOut:
    require(user, services.MANAGE)
    session.commit()  # no transaction waits while the network is asked
    content = _content(body)
    if content is not None:
        probe = services.probe_file(body.kind, content, body.file_name, user.workspace.timezone)
    else:
        probe = services.probe_url(
            rt.net, body.kind, body.url or "", user.workspace.timezone, limits=rt.fetch_limits
        )
    source = services.create_source(
        session,
        user.workspace,
        probe=probe,
        name=body.name,
        actor=user,
        first_fetch_keep=body.first_fetch_keep,
    )
    session.commit()
    return source_out(session, source, request.state.tr)


def _content(body: SourceCreate) -> bytes | None:
    if body.content_base64:
        try:
            return base64.b64decode(body.content_base64, validate=True)
        except (binascii.Error, ValueError):
            bad = N_("This is not valid base64: send the file's bytes encoded in base64.")
            raise Invalid({"content_base64": (bad, {})}) from None
    if body.content is not None:
        return body.content.encode()
    if not body.url:
        raise Invalid({"url": (N_("Enter the address of the feed or agenda."), {})})
    return None


@router.get(
    "/sources/{source_id}",
    response_model=SourceOut,
    summary="Get a source",
    description="Its health: state, last success, last error in plain words, items seen, "
    "next check.",
    responses=error_responses(404, 422),
)
def get_source(request: Request, source_id: int, session: SessionDep, user: ApiUser) -> SourceOut:
    source = services.get_source(session, user.workspace_id, source_id)
    return source_out(session, source, request.state.tr)


@router.patch(
    "/sources/{source_id}",
    response_model=SourceOut,
    summary="Rename, pause, resume or weight a source",
    description="Members, managers and owners. Only the fields present change; resuming "
    "makes the source due for a check at once.",
    responses=error_responses(400, 403, 404, 422),
)
def update_source(
    request: Request, source_id: int, body: SourceUpdate, session: SessionDep, user: ApiUser
) -> SourceOut:
    source = services.get_source(session, user.workspace_id, source_id)
    services.update_source(
        session,
        source,
        actor=user,
        name=body.name,
        paused=body.paused,
        weight=body.weight,
        first_fetch_keep=body.first_fetch_keep,
    )
    session.commit()
    return source_out(session, source, request.state.tr)


@router.delete(
    "/sources/{source_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a source",
    description="Managers and owners. Its items and occurrences go with it.",
    responses=error_responses(403, 404, 422),
)
def delete_source(source_id: int, session: SessionDep, user: ApiUser) -> Response:
    source = services.get_source(session, user.workspace_id, source_id)
    services.delete_source(session, source, actor=user)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/sources/{source_id}/refresh",
    response_model=RefreshOut,
    summary="Check a source now",
    description="Members, managers and owners. The source is fetched during the request "
    "(the worker's own steps: conditional GET, storing, health) and its next check set; "
    "the answer says what the check found. A failed check is not an HTTP error: "
    "`error` says why, and the source's health shows it.",
    responses=error_responses(403, 404, 422),
)
def refresh_source(
    request: Request, source_id: int, session: SessionDep, user: ApiUser, rt: RuntimeDep
) -> RefreshOut:
    source = services.get_source(session, user.workspace_id, source_id)
    services.note_refresh(session, source, actor=user)
    session.commit()
    return _checked_now(request, session, user, rt, source_id)


@router.post(
    "/sources/{source_id}/use-feed",
    response_model=RefreshOut,
    summary="Use one of the feeds a web page offers",
    description="Members, managers and owners. When a source's address starts serving a "
    "web page, its health lists the feeds the page offers (`offered_feeds`); this makes "
    "one of them the source's address (audited) and checks it at once, like `refresh`.",
    responses=error_responses(403, 404, 422),
)
def use_feed(
    request: Request,
    source_id: int,
    body: FeedChoice,
    session: SessionDep,
    user: ApiUser,
    rt: RuntimeDep,
) -> RefreshOut:
    source = services.get_source(session, user.workspace_id, source_id)
    services.use_offered_feed(session, source, body.url, actor=user)
    session.commit()
    return _checked_now(request, session, user, rt, source_id)


def _checked_now(
    request: Request, session: Session, user: User, rt: Runtime, source_id: int
) -> RefreshOut:
    checked = refresh_now(rt.db, rt.net, source_id, utcnow(), rt.fetch_limits)
    session.expire_all()
    tr: Translator = request.state.tr
    source = services.get_source(session, user.workspace_id, source_id)
    return RefreshOut(
        source=source_out(session, source, tr),
        not_modified=checked.not_modified,
        new=checked.result.new if checked.result else 0,
        error=tr.gettext(checked.error, **checked.params) if checked.error else None,
    )


@router.get(
    "/sources/{source_id}/items",
    response_model=ItemList,
    summary="What a source brought",
    description="A feed's latest items, newest first (`limit`, at most 200), or an "
    "agenda's occurrences from today on, soonest first.",
    responses=error_responses(404, 422),
)
def source_items(
    source_id: int, session: SessionDep, user: ApiUser, limit: int = ITEMS_LIMIT
) -> ItemList:
    source = services.get_source(session, user.workspace_id, source_id)
    limit = max(1, min(limit, 200))
    if source.kind == SourceKind.agenda:
        occurrences = latest_occurrences(session, source.id, limit)
        return ItemList(occurrences=[OccurrenceOut.model_validate(o) for o in occurrences])
    return ItemList(
        items=[ItemOut.model_validate(i) for i in latest_items(session, source.id, limit)]
    )
