"""REST API: automations, their dry run, channels' guardrails and the automated share.
The suggestion queue is in ``suggestions_api.py``."""

from __future__ import annotations

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from palabre.automations import queries, services
from palabre.automations.dryrun import dry_run
from palabre.automations.models import Automation
from palabre.automations.planner import guardrails_of
from palabre.automations.rendering import TemplateProblem
from palabre.automations.schemas import (
    AutomationCreate,
    AutomationOut,
    AutomationUpdate,
    DryRunOut,
    GuardrailsIn,
    GuardrailsOut,
    ShareOut,
    WouldOut,
)
from palabre.automations.share import shares
from palabre.automations.webutil import KIND_LABELS
from palabre.channels import services as channels
from palabre.channels.schemas import ChannelRef
from palabre.core.db import utcnow
from palabre.core.deps import ApiManager, ApiUser, SessionDep
from palabre.core.errors import Invalid
from palabre.core.i18n import translator_for
from palabre.team.api import API_DEPENDENCIES
from palabre.team.models import User
from palabre.team.schemas import error_responses

router = APIRouter(tags=["automations"], dependencies=API_DEPENDENCIES)


def automation_out(session: Session, row: Automation, pending: int | None = None) -> AutomationOut:
    run = queries.run_of(session, row.id)
    if pending is None:
        pending = queries.pending_by_automation(session, row.workspace_id).get(row.id, 0)
    return AutomationOut(
        id=row.id,
        kind=row.kind,
        name=row.name,
        mode=row.mode,
        enabled=row.enabled,
        paused_reason=row.paused_reason,
        paused_at=row.paused_at,
        settings=row.settings,
        sources=row.source_ids,
        channels=[ChannelRef(id=c.id, name=c.name, kind=c.kind) for c in row.channels],
        pending=pending,
        last_run_at=row.last_run_at,
        last_error=run.last_error if run else None,
        created_at=row.created_at,
    )


def _get(session: Session, user: User, automation_id: int) -> Automation:
    return services.get_automation(session, user.workspace_id, automation_id)


ERR = error_responses(403, 404, 409, 422)


@router.get("/automations", response_model=list[AutomationOut], responses=error_responses())
def list_automations(session: SessionDep, user: ApiUser) -> list[AutomationOut]:
    """Every automation of the workspace (everyone may read them)."""
    pending = queries.pending_by_automation(session, user.workspace_id)
    return [
        automation_out(session, row, pending.get(row.id, 0))
        for row in services.list_automations(session, user.workspace_id)
    ]


@router.post(
    "/automations",
    response_model=AutomationOut,
    status_code=status.HTTP_201_CREATED,
    responses=error_responses(403, 422),
)
def create_automation(
    body: AutomationCreate, session: SessionDep, user: ApiManager
) -> AutomationOut:
    """Set up an automation (managers). Suggest mode is the default: each suggestion
    waits in `GET /api/v1/suggestions` for a person. It starts switched off unless
    `"enabled": true` is given: read `GET …/dry-run`, then `POST …/resume` switches it on."""
    row = services.create_automation(
        session,
        user.workspace,
        kind=body.kind,
        name=body.name or translator_for(user.workspace.language).gettext(KIND_LABELS[body.kind]),
        source_ids=body.sources,
        channel_ids=body.channels,
        mode=body.mode,
        settings=body.all_settings(),
        enabled=body.enabled,
        actor=user,
    )
    session.commit()
    return automation_out(session, row, 0)


@router.get("/automations/{automation_id}", response_model=AutomationOut, responses=ERR)
def get_automation(automation_id: int, session: SessionDep, user: ApiUser) -> AutomationOut:
    return automation_out(session, _get(session, user, automation_id))


@router.patch("/automations/{automation_id}", response_model=AutomationOut, responses=ERR)
def update_automation(
    automation_id: int, body: AutomationUpdate, session: SessionDep, user: ApiManager
) -> AutomationOut:
    changes = body.model_dump(exclude_unset=True)
    if "sources" in changes:
        changes["source_ids"] = changes.pop("sources")
    if "channels" in changes:
        changes["channel_ids"] = changes.pop("channels")
    row = services.update_automation(
        session, _get(session, user, automation_id), actor=user, **changes
    )
    session.commit()
    return automation_out(session, row)


@router.delete(
    "/automations/{automation_id}", status_code=status.HTTP_204_NO_CONTENT, responses=ERR
)
def delete_automation(automation_id: int, session: SessionDep, user: ApiManager) -> Response:
    """Its pending suggestions go with it; the posts it made stay."""
    services.delete_automation(session, _get(session, user, automation_id), actor=user)
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/automations/{automation_id}/pause", response_model=AutomationOut, responses=ERR)
def pause_automation(automation_id: int, session: SessionDep, user: ApiManager) -> AutomationOut:
    row = services.pause(session, _get(session, user, automation_id), actor=user)
    session.commit()
    return automation_out(session, row)


@router.post("/automations/{automation_id}/resume", response_model=AutomationOut, responses=ERR)
def resume_automation(automation_id: int, session: SessionDep, user: ApiManager) -> AutomationOut:
    """Resume a paused automation (also one paused because the automated share passed
    its ceiling: the share is not judged again for a day)."""
    row = services.resume(session, _get(session, user, automation_id), actor=user)
    session.commit()
    return automation_out(session, row)


@router.post("/automations/{automation_id}/run", response_model=AutomationOut, responses=ERR)
def run_automation(automation_id: int, session: SessionDep, user: ApiUser) -> AutomationOut:
    """Look at the sources now instead of at the worker's next visit (members and above)."""
    row = _get(session, user, automation_id)
    try:
        services.run_now(session, row, actor=user)
    except TemplateProblem as problem:
        raise Invalid({"template": (problem.message, problem.params)}) from problem
    session.commit()
    return automation_out(session, row)


@router.get("/automations/{automation_id}/dry-run", response_model=DryRunOut, responses=ERR)
def automation_dry_run(automation_id: int, session: SessionDep, user: ApiUser) -> DryRunOut:
    """What the automation would have posted over the last 30 days of what its sources
    brought, at the times the guardrails allowed. Nothing is stored or published."""
    row = _get(session, user, automation_id)
    try:
        result = dry_run(session, row, utcnow())
    except TemplateProblem as problem:
        raise Invalid({"template": (problem.message, problem.params)}) from problem
    return DryRunOut(
        start=result.start,
        end=result.end,
        posts=[WouldOut(**p.__dict__) for p in result.posts],
        skipped=result.skipped,
        unplaced=result.unplaced,
    )


@router.get("/channels/{channel_id}/guardrails", response_model=GuardrailsOut, responses=ERR)
def get_guardrails(channel_id: int, session: SessionDep, user: ApiUser) -> GuardrailsOut:
    channel = channels.get_channel(session, user.workspace_id, channel_id)
    return GuardrailsOut.model_validate(guardrails_of(session, channel.id))


@router.patch("/channels/{channel_id}/guardrails", response_model=GuardrailsOut, responses=ERR)
def update_guardrails(
    channel_id: int, body: GuardrailsIn, session: SessionDep, user: ApiManager
) -> GuardrailsOut:
    """Daily cap of automated posts, minimum spacing, quiet hours (workspace time) and the
    automated share's warning level and ceiling (managers)."""
    channel = channels.get_channel(session, user.workspace_id, channel_id)
    row = services.update_guardrails(
        session, channel, actor=user, **body.model_dump(exclude_none=True)
    )
    session.commit()
    return GuardrailsOut.model_validate(row)


@router.get("/automation-share", response_model=list[ShareOut], responses=error_responses())
def automation_share(session: SessionDep, user: ApiUser) -> list[ShareOut]:
    """Per channel: automated posts over everything it published in the last 7 and 30
    days, and the level reached (ok, warning, ceiling)."""
    kinds = {c.id: c.kind for c in channels.list_channels(session, user.workspace_id)}
    return [
        ShareOut(
            channel=ChannelRef(id=s.channel_id, name=s.channel_name, kind=kinds[s.channel_id]),
            automated_7=s.automated_7,
            total_7=s.total_7,
            percent_7=s.percent_7,
            automated_30=s.automated_30,
            total_30=s.total_30,
            percent_30=s.percent_30,
            level=s.level,
        )
        for s in shares(session, user.workspace_id, utcnow())
    ]
