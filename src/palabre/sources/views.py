"""Pages: sources with their health light, adding one (an address or a file; the feeds a
web page offers to choose from), a source with its latest items or coming occurrences,
and its actions (check now, pause, resume, rename, remove)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from palabre.core.db import utcnow
from palabre.core.deps import PageUser, RuntimeDep, SessionDep
from palabre.core.errors import Invalid, PalabreError
from palabre.core.i18n import N_
from palabre.core.templating import render
from palabre.sources import services
from palabre.sources.fetch_models import SourceFetch
from palabre.sources.health import EXPLAINED, LABELS, Health, health_of
from palabre.sources.models import Source, SourceKind
from palabre.sources.queries import latest_items, latest_occurrences
from palabre.sources.refresh import refresh_now
from palabre.team.models import User
from palabre.team.services import require
from palabre.team.webutil import done_redirect, flashes_for, refused

router = APIRouter()
ITEMS_SHOWN = 30
SOURCE_DONE = {
    "created": N_("The source was added."),
    "paused": N_("The source is paused: Palabre will not check it until you resume it."),
    "resumed": N_("The source is active again: it will be checked shortly."),
    "renamed": N_("The source was saved."),
    "deleted": N_("The source was removed."),
    "refreshed": N_("The source was checked."),
    "unchanged": N_("The source was checked: nothing changed since the last time."),
    "failed": N_("The check failed: see the last error below."),
    "feed_chosen": N_("The source now reads the feed you chose; it was checked at once."),
}
KIND_LABELS = {SourceKind.feed: N_("News feed"), SourceKind.agenda: N_("Agenda")}


@dataclass
class SourceView:
    source: Source
    health: Health


def _view(source: Source, row: SourceFetch | None) -> SourceView:
    return SourceView(source, health_of(source, row, utcnow()))


def _common(user: User) -> dict[str, Any]:
    return {
        "may_manage": user.can(services.MANAGE),
        "may_remove": user.can(services.REMOVE),
        "labels": LABELS,
        "explained": EXPLAINED,
        "kind_labels": KIND_LABELS,
    }


@router.get("/sources", name="sources_page")
def sources_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    sources = services.list_sources(session, user.workspace_id)
    rows = services.fetch_rows(session, sources)
    views = [_view(s, rows.get(s.id)) for s in sources]
    context = {"views": views, "flashes": flashes_for(request, SOURCE_DONE), **_common(user)}
    return render(request, "sources/list.html", context)


def _new_form(
    request: Request,
    user: User,
    *,
    status: int = 200,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    flashes: list[tuple[str, str]] | None = None,
    feeds: list[Any] | None = None,
) -> Response:
    context = {
        "form": form or {"kind": request.query_params.get("kind", SourceKind.feed)},
        "errors": errors or {},
        "flashes": flashes or [],
        "feeds": feeds or [],
        **_common(user),
    }
    return render(request, "sources/new.html", context, status_code=status)


@router.get("/sources/new", name="source_new_page")
def source_new_page(request: Request, user: PageUser) -> Response:
    require(user, services.MANAGE)
    return _new_form(request, user)


@dataclass
class Submitted:
    fields: dict[str, str]
    content: bytes | None
    file_name: str | None


async def submitted_source(request: Request) -> Submitted:
    data = await request.form()
    fields = {k: v for k, v in data.items() if isinstance(v, str)}
    upload = data.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        content = await upload.read(services.MAX_FILE + 1)
        return Submitted(fields, content, upload.filename)
    return Submitted(fields, None, None)


@router.post("/sources", name="source_create")
def source_create(
    request: Request,
    session: SessionDep,
    user: PageUser,
    rt: RuntimeDep,
    sent: Annotated[Submitted, Depends(submitted_source)],
) -> Response:
    require(user, services.MANAGE)
    fields = sent.fields
    kind, url, name = fields.get("kind", ""), fields.get("url", ""), fields.get("name", "")
    form = {"kind": kind, "url": url, "name": name}
    try:
        session.commit()  # no transaction waits while the network is asked
        if sent.content is not None:
            probe = services.probe_file(kind, sent.content, sent.file_name, user.workspace.timezone)
        else:
            probe = services.probe_url(
                rt.net, kind, url, user.workspace.timezone, limits=rt.fetch_limits
            )
        source = services.create_source(session, user.workspace, probe=probe, name=name, actor=user)
    except services.FeedsFound as exc:
        session.rollback()
        shown = refused(request, exc, form)
        return _new_form(request, user, feeds=exc.feeds, **shown)
    except PalabreError as exc:
        session.rollback()
        return _new_form(request, user, **refused(request, exc, form))
    session.commit()
    return done_redirect(request, "source_page", "created", source_id=source.id)


def _source_page(
    request: Request,
    session: Session,
    user: User,
    source_id: int,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    flashes: list[tuple[str, str]] | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    source = services.get_source(session, user.workspace_id, source_id)
    agenda = source.kind == SourceKind.agenda
    context = {
        "view": _view(source, services.fetch_row(session, source.id)),
        "source": source,
        "items": [] if agenda else latest_items(session, source.id, ITEMS_SHOWN),
        "occurrences": latest_occurrences(session, source.id, ITEMS_SHOWN) if agenda else [],
        "errors": errors or {},
        "form": form or {"name": source.name, "weight": f"{source.weight:g}"},
        "flashes": flashes if flashes is not None else flashes_for(request, SOURCE_DONE),
        **_common(user),
    }
    return render(request, "sources/detail.html", context, status_code=status)


@router.get("/sources/{source_id}", name="source_page")
def source_page(request: Request, source_id: int, session: SessionDep, user: PageUser) -> Response:
    return _source_page(request, session, user, source_id)


@router.post("/sources/{source_id}/refresh", name="source_refresh")
def source_refresh(
    request: Request, source_id: int, session: SessionDep, user: PageUser, rt: RuntimeDep
) -> Response:
    source = services.get_source(session, user.workspace_id, source_id)
    try:
        services.note_refresh(session, source, actor=user)
    except Invalid as exc:
        session.rollback()
        return _source_page(request, session, user, source_id, **refused(request, exc))
    session.commit()
    checked = refresh_now(rt.db, rt.net, source_id, utcnow(), rt.fetch_limits)
    done = "failed" if checked.error else "unchanged" if checked.not_modified else "refreshed"
    return done_redirect(request, "source_page", done, source_id=source_id)


@router.post("/sources/{source_id}/use-feed", name="source_use_feed")
def source_use_feed(
    request: Request,
    source_id: int,
    session: SessionDep,
    user: PageUser,
    rt: RuntimeDep,
    url: Annotated[str, Form()] = "",
) -> Response:
    source = services.get_source(session, user.workspace_id, source_id)
    try:
        services.use_offered_feed(session, source, url.strip(), actor=user)
    except Invalid as exc:
        session.rollback()
        return _source_page(request, session, user, source_id, **refused(request, exc))
    session.commit()
    checked = refresh_now(rt.db, rt.net, source_id, utcnow(), rt.fetch_limits)
    done = "failed" if checked.error else "feed_chosen"
    return done_redirect(request, "source_page", done, source_id=source_id)


@router.post("/sources/{source_id}/pause", name="source_pause")
def source_pause(request: Request, source_id: int, session: SessionDep, user: PageUser) -> Response:
    return _set_paused(request, session, user, source_id, True)


@router.post("/sources/{source_id}/resume", name="source_resume")
def source_resume(
    request: Request, source_id: int, session: SessionDep, user: PageUser
) -> Response:
    return _set_paused(request, session, user, source_id, False)


def _set_paused(
    request: Request, session: Session, user: User, source_id: int, paused: bool
) -> Response:
    source = services.get_source(session, user.workspace_id, source_id)
    services.update_source(session, source, actor=user, paused=paused)
    session.commit()
    done = "paused" if paused else "resumed"
    return done_redirect(request, "source_page", done, source_id=source_id)


async def _form(request: Request) -> dict[str, str]:
    data = await request.form()
    return {k: v for k, v in data.items() if isinstance(v, str)}


@router.post("/sources/{source_id}/edit", name="source_edit")
def source_edit(
    request: Request,
    source_id: int,
    session: SessionDep,
    user: PageUser,
    fields: Annotated[dict[str, str], Depends(_form)],
) -> Response:
    source = services.get_source(session, user.workspace_id, source_id)
    form = {"name": fields.get("name", ""), "weight": fields.get("weight", "")}
    weight, bad_weight = _number(form["weight"])
    try:
        services.update_source(session, source, actor=user, name=form["name"], weight=weight)
        if bad_weight:
            raise Invalid(bad_weight)
    except PalabreError as exc:
        session.rollback()
        if isinstance(exc, Invalid):
            exc.errors.update(bad_weight)
        return _source_page(request, session, user, source_id, **refused(request, exc, form))
    session.commit()
    return done_redirect(request, "source_page", "renamed", source_id=source_id)


def _number(text: str) -> tuple[float | None, dict[str, tuple[str, dict[str, Any]]]]:
    """The weight typed (a French comma accepted), or the field's error."""
    if not text.strip():
        return None, {}
    try:
        return float(text.replace(",", ".")), {}
    except ValueError:
        return None, {"weight": (N_("Enter a number between 0 and 10."), {})}


@router.post("/sources/{source_id}/delete", name="source_delete")
def source_delete(
    request: Request, source_id: int, session: SessionDep, user: PageUser
) -> Response:
    source = services.get_source(session, user.workspace_id, source_id)
    services.delete_source(session, source, actor=user)
    session.commit()
    return done_redirect(request, "sources_page", "deleted")
