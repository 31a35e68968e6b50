"""Pages: automations (list, editor with a live preview, dry run), channels' guardrails.
The suggestion queue's pages are in ``queue_views.py``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.automations import queries, services
from palabre.automations.calendar import month_weeks
from palabre.automations.dryrun import dry_run
from palabre.automations.forms import AutomationForm
from palabre.automations.models import Automation, Kind
from palabre.automations.planner import guardrails_of
from palabre.automations.preview import preview_samples
from palabre.automations.queue_views import router as queue_router
from palabre.automations.rendering import TemplateProblem
from palabre.automations.share import shares
from palabre.automations.webutil import KIND_LABELS, page
from palabre.channels.services import get_channel, list_channels
from palabre.core.db import utcnow
from palabre.core.deps import PageUser, SessionDep
from palabre.core.errors import Invalid
from palabre.publishing.pages import FormDep, PageManager, messages, translator
from palabre.sources.models import Source
from palabre.team.models import Role, User

router = APIRouter()
router.include_router(queue_router)


def _done(request: Request, name: str, done: str, **params: Any) -> Response:
    url = request.url_for(name, **params).include_query_params(done=done)
    return RedirectResponse(str(url), status_code=303)


@router.get("/automations", name="automations_page")
def automations_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    ws = user.workspace_id
    return page(
        request,
        "automations/list.html",
        {
            "automations": services.list_automations(session, ws),
            "pending": queries.pending_by_automation(session, ws),
            "shares": shares(session, ws, utcnow()),
            "guardrails": {c.id: guardrails_of(session, c.id) for c in list_channels(session, ws)},
            "kinds": list(Kind),
            "is_manager": user.can(Role.manager),
        },
    )


def _editor(
    request: Request,
    session: Session,
    user: User,
    data: AutomationForm,
    *,
    row: Automation | None = None,
    errors: dict[str, tuple[str, dict[str, Any]]] | None = None,
    status_code: int = 200,
) -> Response:
    ws = user.workspace_id
    sources = session.scalars(select(Source).where(Source.workspace_id == ws).order_by(Source.name))
    run = queries.run_of(session, row.id) if row else None
    return page(
        request,
        "automations/edit.html",
        {
            "data": data,
            "row": row,
            "run": run,
            "sources": list(sources),
            "channels": list_channels(session, ws),
            "errors": messages(translator(request), errors or {}),
            "is_manager": user.can(Role.manager),
            "pending": queries.pending_by_automation(session, ws).get(row.id, 0) if row else 0,
        },
        status_code=status_code,
    )


@router.get("/automations/new", name="automation_new_page")
def automation_new_page(request: Request, session: SessionDep, user: PageManager) -> Response:
    kind = request.query_params.get("kind", "news")
    return _editor(
        request, session, user, AutomationForm.default(kind if kind in KIND_LABELS else "news")
    )


@router.post("/automations/new", name="automation_create")
def automation_create(
    request: Request, session: SessionDep, user: PageManager, form: FormDep
) -> Response:
    data = AutomationForm.read(form)
    try:
        row = services.create_automation(
            session,
            user.workspace,
            kind=data.kind,
            name=data.name or translator(request).gettext(KIND_LABELS.get(data.kind, "")),
            source_ids=data.source_ids,
            channel_ids=data.channel_ids,
            mode=data.mode,
            settings=data.settings,
            enabled=False,  # the team reads the dry run first, then switches it on
            actor=user,
        )
    except Invalid as exc:
        session.rollback()
        return _editor(request, session, user, data, errors=exc.errors, status_code=422)
    session.commit()
    return _done(request, "automation_page", "created", automation_id=row.id)


@router.get("/automations/{automation_id}", name="automation_page")
def automation_page(
    request: Request, automation_id: int, session: SessionDep, user: PageUser
) -> Response:
    row = services.get_automation(session, user.workspace_id, automation_id)
    return _editor(request, session, user, AutomationForm.of(row), row=row)


@router.post("/automations/{automation_id}", name="automation_update")
def automation_update(
    request: Request, automation_id: int, session: SessionDep, user: PageManager, form: FormDep
) -> Response:
    row = services.get_automation(session, user.workspace_id, automation_id)
    data = AutomationForm.read(form, kind=row.kind)
    try:
        services.update_automation(
            session,
            row,
            actor=user,
            name=data.name,
            mode=data.mode,
            settings=data.settings,
            source_ids=data.source_ids,
            channel_ids=data.channel_ids,
        )
    except Invalid as exc:
        session.rollback()
        row = services.get_automation(session, user.workspace_id, automation_id)
        return _editor(request, session, user, data, row=row, errors=exc.errors, status_code=422)
    session.commit()
    return _done(request, "automation_page", "saved", automation_id=row.id)


ACTIONS = {"pause": services.pause, "resume": services.resume}


@router.post("/automations/{automation_id}/{action}", name="automation_action")
def automation_action(
    request: Request, automation_id: int, action: str, session: SessionDep, user: PageUser
) -> Response:
    """pause, resume (managers), run (members and above), delete (managers)."""
    row = services.get_automation(session, user.workspace_id, automation_id)
    if action == "delete":
        services.delete_automation(session, row, actor=user)
        session.commit()
        return _done(request, "automations_page", "deleted")
    if action == "run":
        try:
            made = services.run_now(session, row, actor=user)
        except TemplateProblem as problem:
            raise Invalid({"template": (problem.message, problem.params)}) from problem
        session.commit()
        return _done(request, "automation_page", f"run_{min(made, 1)}", automation_id=row.id)
    change = ACTIONS.get(action)
    if change is None:
        raise Invalid({"action": ("Unknown action.", {})})
    done = "switched_on" if action == "resume" and not row.enabled else action + "d"
    change(session, row, actor=user)
    session.commit()
    return _done(request, "automation_page", done, automation_id=row.id)


@router.post("/automations-preview", name="automation_preview")
def automation_preview(
    request: Request, session: SessionDep, user: PageManager, form: FormDep
) -> Response:
    """The template on the sources' latest real items (the editor asks as one types).
    Managers only: they are the ones who may edit automations."""
    data = AutomationForm.read(form)
    samples, problem = preview_samples(session, user.workspace, data)
    tr = translator(request)
    message = tr.gettext(problem.message, **problem.params) if problem else None
    return page(request, "automations/_preview.html", {"samples": samples, "problem": message})


@router.get("/automations/{automation_id}/dry-run", name="automation_dry_run_page")
def automation_dry_run_page(
    request: Request, automation_id: int, session: SessionDep, user: PageUser
) -> Response:
    row = services.get_automation(session, user.workspace_id, automation_id)
    now = utcnow()
    problem = None
    try:
        result = dry_run(session, row, now)
    except TemplateProblem as exc:
        result, problem = None, translator(request).gettext(exc.message, **exc.params)
    tz = user.workspace.timezone
    return page(
        request,
        "automations/dry_run.html",
        {
            "row": row,
            "result": result,
            "problem": problem,
            "weeks": month_weeks(result, tz) if result else [],
            "channels": {c.id: c for c in row.channels},
        },
    )


@router.get("/guardrails/{channel_id}", name="guardrails_page")
def guardrails_page(
    request: Request, channel_id: int, session: SessionDep, user: PageUser
) -> Response:
    channel = get_channel(session, user.workspace_id, channel_id)
    return page(
        request,
        "automations/guardrails.html",
        {
            "channel": channel,
            "rails": guardrails_of(session, channel.id),
            "is_manager": user.can(Role.manager),
        },
    )


@router.post("/guardrails/{channel_id}", name="guardrails_save")
def guardrails_save(
    request: Request, channel_id: int, session: SessionDep, user: PageManager, form: FormDep
) -> Response:
    channel = get_channel(session, user.workspace_id, channel_id)
    values: dict[str, Any] = {}
    for name in ("daily_cap", "min_spacing_minutes", "share_warning", "share_ceiling"):
        text = str(form.get(name) or "").strip()
        values[name] = int(text) if text.isdigit() else -1
    for name in ("quiet_start", "quiet_end"):
        values[name] = str(form.get(name) or "")
    try:
        services.update_guardrails(session, channel, actor=user, **values)
    except Invalid as exc:
        session.rollback()
        return page(
            request,
            "automations/guardrails.html",
            {
                "channel": channel,
                "rails": guardrails_of(session, channel.id),
                "form": {k: str(form.get(k) or "") for k in values},
                "errors": messages(translator(request), exc.errors),
                "is_manager": True,
            },
            status_code=422,
        )
    session.commit()
    return _done(request, "guardrails_page", "saved", channel_id=channel.id)
