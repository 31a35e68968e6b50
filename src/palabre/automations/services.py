"""Every change to automations and to channels' guardrails. Managers set them up (an
automation speaks for the organisation); everyone else reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.automations import runs
from palabre.automations.guardrails import parse_hhmm
from palabre.automations.holding import hold_scheduled
from palabre.automations.models import (
    Automation,
    AutomationRun,
    ChannelGuardrails,
    Kind,
    Mode,
)
from palabre.automations.planner import guardrails_of
from palabre.automations.rendering import TemplateProblem, render
from palabre.automations.settings import SETTINGS
from palabre.automations.share import ACK
from palabre.channels.models import Channel
from palabre.core.db import utcnow
from palabre.core.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound
from palabre.core.i18n import N_
from palabre.sources.models import Source
from palabre.team import audit
from palabre.team.models import Role, User, Workspace

SOURCE_KINDS = {"news": "feed", "curation": "feed", "agenda": "agenda"}
SAMPLE = {
    "title": "Titre",
    "link": "https://example.org/a",
    "summary": "Résumé",
    "hashtags": "#Musée",
    "categories": ["Musée"],
    "source": "Site",
    "author": "",
    "event": {
        "title": "Visite",
        "date": "samedi 3 mai",
        "time": "14:00",
        "when": "samedi 3 mai à 14:00",
        "place": "Musée",
        "link": "https://example.org/e",
        "ends": "16:00",
    },
    "name": "Camille",
    "handle": "@camille@example.org",
    "quote": "Bravo !",
}


def check_manager(actor: User) -> None:
    if not actor.can(Role.manager):
        raise Forbidden("Only managers and owners set up automations.")


def get_automation(session: Session, workspace_id: int, automation_id: int) -> Automation:
    row = session.get(Automation, automation_id)
    if row is None or row.workspace_id != workspace_id:
        raise NotFound("No such automation in this workspace.")
    return row


def list_automations(session: Session, workspace_id: int) -> list[Automation]:
    return list(
        session.scalars(
            select(Automation)
            .where(Automation.workspace_id == workspace_id)
            .order_by(Automation.name)
        )
    )


def _log(
    session: Session, row: Automation, actor: User | None, action: str, **details: Any
) -> None:
    audit.record(
        session,
        workspace_id=row.workspace_id,
        actor=actor,
        action=f"automation.{action}",
        object_type="automation",
        object_id=row.id,
        **{"name": row.name, **details},
    )


def validate_settings(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The kind's settings, checked (and the template tried on sample values)."""
    try:
        model: BaseModel = SETTINGS[kind].model_validate(data)
    except ValidationError as exc:
        errors = FieldErrors()
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "settings"
            if err["type"] == "value_error":
                errors.add(field, str(err["ctx"]["error"]))
            elif err["type"] == "extra_forbidden":
                errors.add(field, N_("Unknown setting."))
            else:
                errors.add(field, N_("This value is not accepted: %(detail)s"), detail=err["msg"])
        raise Invalid(errors.errors) from exc
    values = model.model_dump()
    for name in ("template", "phrasings"):
        sources = values.get(name)
        for source in [sources] if isinstance(sources, str) else sources or []:
            try:
                render(source, SAMPLE)
            except TemplateProblem as problem:
                raise Invalid({name: (problem.message, problem.params)}) from problem
    return values


def _resolve(
    session: Session, ws: Workspace, kind: str, source_ids: list[int], channel_ids: list[int]
) -> tuple[list[Source], list[Channel]]:
    errors = FieldErrors()
    sources = list(
        session.scalars(
            select(Source).where(Source.id.in_(source_ids), Source.workspace_id == ws.id)
        )
    )
    channels = list(
        session.scalars(
            select(Channel).where(Channel.id.in_(channel_ids), Channel.workspace_id == ws.id)
        )
    )
    if len(sources) != len(set(source_ids)):
        errors.add("sources", N_("Unknown source in this workspace."))
    wanted = SOURCE_KINDS.get(kind)
    if wanted and not sources:
        errors.add("sources", N_("Choose at least one source."))
    if wanted and any(s.kind != wanted for s in sources):
        msg = N_("Choose feeds for this kind.") if wanted == "feed" else N_("Choose agendas.")
        errors.add("sources", msg)
    if not wanted and sources:
        errors.add("sources", N_("Welcome and thank-you automations read channels, not sources."))
    if len(channels) != len(set(channel_ids)):
        errors.add("channels", N_("Unknown channel in this workspace."))
    if not channels:
        errors.add("channels", N_("Choose at least one channel."))
    errors.raise_if_any()
    return sources, channels


def create_automation(
    session: Session,
    ws: Workspace,
    *,
    kind: str,
    name: str,
    source_ids: list[int],
    channel_ids: list[int],
    mode: str = Mode.suggest,
    settings: dict[str, Any] | None = None,
    enabled: bool = True,
    actor: User,
) -> Automation:
    """A new automation. The editor and the API make it switched off (``enabled=False``)
    so that the team reads its dry run first, then switches it on (:func:`resume`)."""
    check_manager(actor)
    if kind not in set(Kind):
        raise Invalid({"kind": (N_("Unknown kind of automation."), {})})
    if mode not in set(Mode):
        raise Invalid({"mode": (N_("The mode is suggest or auto."), {})})
    if not name.strip():
        raise Invalid({"name": (N_("Give the automation a name."), {})})
    values = validate_settings(kind, settings or {})
    sources, channels = _resolve(session, ws, kind, source_ids, channel_ids)
    row = Automation(
        workspace_id=ws.id,
        kind=kind,
        name=name.strip()[:200],
        mode=mode,
        settings=values,
        enabled=enabled,
        created_by_id=actor.id,
        sources=sources,
        channels=channels,
    )
    session.add(row)
    session.flush()
    session.add(AutomationRun(automation_id=row.id, state="watching", next_attempt_at=utcnow()))
    _log(session, row, actor, "created", kind=kind, mode=mode, enabled=enabled)
    return row


def update_automation(
    session: Session, row: Automation, *, actor: User, **changes: Any
) -> Automation:
    """Only the given fields change: name, mode, settings, source_ids, channel_ids, enabled."""
    check_manager(actor)
    ws = session.get(Workspace, row.workspace_id)
    assert ws is not None
    if "name" in changes:
        if not str(changes["name"] or "").strip():
            raise Invalid({"name": (N_("Give the automation a name."), {})})
        row.name = changes["name"].strip()[:200]
    if "mode" in changes:
        if changes["mode"] not in set(Mode):
            raise Invalid({"mode": (N_("The mode is suggest or auto."), {})})
        row.mode = changes["mode"]
    if "settings" in changes:
        row.settings = validate_settings(row.kind, {**row.settings, **changes["settings"]})
    if "source_ids" in changes or "channel_ids" in changes:
        row.sources, row.channels = _resolve(
            session,
            ws,
            row.kind,
            changes.get("source_ids", row.source_ids),
            changes.get("channel_ids", row.channel_ids),
        )
    if "enabled" in changes and bool(changes["enabled"]) != row.enabled:
        if changes["enabled"]:
            _switch_on(session, row, actor, utcnow())
        else:
            row.enabled = False
            hold_scheduled(session, row, actor)
    row.updated_at = utcnow()
    session.flush()
    _log(session, row, actor, "edited", fields=sorted(changes))
    _wake(session, row)
    return row


def delete_automation(session: Session, row: Automation, *, actor: User) -> None:
    """Pending suggestions go with it; posts it made stay (still counted as automated)."""
    check_manager(actor)
    _log(session, row, actor, "deleted")
    session.delete(row)
    session.flush()


def pause(session: Session, row: Automation, *, actor: User) -> Automation:
    check_manager(actor)
    if row.paused_reason is not None:
        raise Conflict("This automation is already paused.")
    row.paused_reason, row.paused_at = "manual", utcnow()
    held = hold_scheduled(session, row, actor)
    _log(session, row, actor, "paused", reason="manual", held=held)
    return row


def resume(
    session: Session, row: Automation, *, actor: User, now: datetime | None = None
) -> Automation:
    """Switch on a paused automation, or one not switched on yet."""
    check_manager(actor)
    if row.paused_reason is None and row.enabled:
        raise Conflict("This automation is not paused.")
    if not row.enabled:
        _switch_on(session, row, actor, now or utcnow())
    if row.paused_reason == "share":
        # The manager looked: a day before the share is judged again.
        row.share_ack_until = (now or utcnow()) + ACK
    if row.paused_reason is not None:
        row.paused_reason, row.paused_at = None, None
        _log(session, row, actor, "resumed")
    _wake(session, row)
    return row


def _switch_on(session: Session, row: Automation, actor: User, now: datetime) -> None:
    """On from now: what its sources or channels brought before is not relayed in auto
    mode, nor are people welcomed or thanked for what came before (``created_at``)."""
    row.enabled = True
    row.created_at = now
    _log(session, row, actor, "switched_on")


def run_now(session: Session, row: Automation, *, actor: User, now: datetime | None = None) -> int:
    """Run it at once (the "check now" button); the suggestions made."""
    if not actor.can(Role.member):
        raise Forbidden("Your role does not allow this.")
    made = runs.run_automation(session, row, now or utcnow())
    _log(session, row, actor, "run", made=made)
    return made


def _wake(session: Session, row: Automation) -> None:
    run = session.scalar(select(AutomationRun).where(AutomationRun.automation_id == row.id))
    if run is not None and run.state == "watching":
        run.next_attempt_at = utcnow()


GUARDRAIL_FIELDS = (
    "daily_cap",
    "min_spacing_minutes",
    "quiet_start",
    "quiet_end",
    "share_warning",
    "share_ceiling",
)


def update_guardrails(
    session: Session, channel: Channel, *, actor: User, **values: Any
) -> ChannelGuardrails:
    check_manager(actor)
    row = session.get(ChannelGuardrails, channel.id)
    if row is None:
        row = guardrails_of(session, channel.id)
        session.add(row)
    errors = FieldErrors()
    for field in ("quiet_start", "quiet_end"):
        if field in values:
            try:
                values[field] = parse_hhmm(str(values[field])).strftime("%H:%M")
            except ValueError:
                errors.add(field, N_("Write a time as HH:MM, for example 21:00."))
    limits = {
        "daily_cap": (0, 50),
        "min_spacing_minutes": (0, 24 * 60),
        "share_warning": (1, 100),
        "share_ceiling": (1, 100),
    }
    for field, (low, high) in limits.items():
        if field in values and not (low <= int(values[field]) <= high):
            errors.add(field, N_("Between %(low)s and %(high)s."), low=low, high=high)
    warning = int(values.get("share_warning", row.share_warning))
    if warning > int(values.get("share_ceiling", row.share_ceiling)):
        errors.add("share_ceiling", N_("The ceiling cannot be below the warning level."))
    errors.raise_if_any()
    for field in GUARDRAIL_FIELDS:
        if field in values:
            setattr(row, field, values[field])
    session.flush()
    audit.record(
        session,
        workspace_id=channel.workspace_id,
        actor=actor,
        action="channel.guardrails",
        object_type="channel",
        object_id=channel.id,
        **{k: values[k] for k in GUARDRAIL_FIELDS if k in values},
    )
    return row
