"""Response-time policies (SLA): when a conversation's first response is due, in the
team's business hours, and how managers change the policy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from palabre.core.db import utcnow
from palabre.core.errors import FieldErrors, Forbidden
from palabre.inbox import business_time
from palabre.inbox.business_time import Schedule
from palabre.inbox.conversation_models import Conversation, Message
from palabre.inbox.sla_models import DEFAULT_HOURS, DEFAULT_MINUTES, SlaPolicy
from palabre.team import audit
from palabre.team.models import Role, User, Workspace

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
URGENCIES = ("urgent", "normal", "low")
MAX_MINUTES = 30 * 24 * 60


def ensure(conn: Connection, workspace_id: int) -> None:
    """The workspace's policy row (the defaults), created once, safely from two workers."""
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    now = utcnow()
    conn.execute(
        dialect.insert(SlaPolicy.__table__)
        .values(
            workspace_id=workspace_id,
            state="watching",
            next_attempt_at=now,
            state_changed_at=now,
            updated_at=now,
            attempts=0,
            breaches=0,
            urgent_minutes=DEFAULT_MINUTES["urgent"],
            normal_minutes=DEFAULT_MINUTES["normal"],
            low_minutes=DEFAULT_MINUTES["low"],
            hours=dict(DEFAULT_HOURS),
            closed_days=[],
            round_robin_on_arrival=False,
        )
        .on_conflict_do_nothing(index_elements=["workspace_id"])
    )


def policy(session: Session, workspace_id: int, *, create: bool = True) -> SlaPolicy:
    """The workspace's policy; without ``create``, the defaults (not stored) if it has none."""
    found = session.scalar(select(SlaPolicy).where(SlaPolicy.workspace_id == workspace_id))
    if found is None and not create:
        return SlaPolicy(
            workspace_id=workspace_id,
            urgent_minutes=DEFAULT_MINUTES["urgent"],
            normal_minutes=DEFAULT_MINUTES["normal"],
            low_minutes=DEFAULT_MINUTES["low"],
            hours=dict(DEFAULT_HOURS),
            closed_days=[],
            round_robin_on_arrival=False,
        )
    if found is None:
        ensure(session.connection(), workspace_id)
        found = session.scalar(select(SlaPolicy).where(SlaPolicy.workspace_id == workspace_id))
    assert found is not None
    return found


def schedule_of(p: SlaPolicy, timezone: str) -> Schedule:
    closed = set()
    for text in p.closed_days or []:
        try:
            closed.add(date.fromisoformat(text))
        except ValueError:
            continue
    hours = {int(k): (int(v[0]), int(v[1])) for k, v in (p.hours or {}).items() if v}
    return Schedule(timezone=timezone, hours=hours, closed=frozenset(closed))


class Clock:
    """A workspace's policy and schedule, read once for a batch of conversations."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.policy = policy(session, workspace_id)
        ws = session.get(Workspace, workspace_id)
        self.schedule = schedule_of(self.policy, ws.timezone if ws else "UTC")

    def due(self, start: datetime, urgency: str | None) -> datetime:
        amount = timedelta(minutes=self.policy.minutes_for(urgency))
        try:
            return business_time.add(self.schedule, start, amount)
        except ValueError:  # never open (within years): calendar time
            return start + amount


def recompute(session: Session, conv: Conversation, clock: Clock | None = None) -> None:
    """The first response's due time from the most urgent message received (after a
    triage correction or a change of policy); nothing once someone has answered."""
    if conv.first_response_at is not None:
        return
    clock = clock or Clock(session, conv.workspace_id)
    urgencies = set(
        session.scalars(
            select(Message.urgency).where(
                Message.conversation_id == conv.id, Message.direction == "in"
            )
        )
    )
    dues = [clock.due(conv.first_message_at, u) for u in urgencies or {None}]
    conv.first_response_due_at = min(dues)


def _minutes(value: str) -> int | None:
    try:
        hh, mm = value.split(":")
        minutes = int(hh) * 60 + int(mm)
    except (ValueError, AttributeError):
        return None
    return minutes if 0 <= minutes <= 24 * 60 and 0 <= int(mm) < 60 else None


def parse_hours(
    days: Mapping[str, Sequence[str] | None], errors: FieldErrors
) -> dict[str, list[int]]:
    hours: dict[str, list[int]] = {}
    for index, day in enumerate(DAYS):
        span = days.get(day)
        if not span or not any(span):
            continue
        opens, closes = (_minutes(span[0]), _minutes(span[1])) if len(span) == 2 else (None, None)
        if opens is None or closes is None or closes <= opens:
            errors.add(f"hours.{day}", "Give an opening and a later closing time (HH:MM).")
            continue
        hours[str(index)] = [opens, closes]
    if not hours:
        errors.add("hours", "Open on at least one day of the week.")
    return hours


def update_policy(session: Session, actor: User, data: Mapping[str, Any]) -> SlaPolicy:
    """Managers change the response times and business hours; the due times of the
    conversations not answered yet follow."""
    if not actor.can(Role.manager):
        raise Forbidden("Only managers change response times.")
    errors = FieldErrors()
    minutes: dict[str, int] = {}
    for urgency in URGENCIES:
        value = data.get(f"{urgency}_minutes")
        if not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
            errors.add(f"{urgency}_minutes", "Between 1 minute and 30 days.")
        minutes[urgency] = value if isinstance(value, int) else 0
    hours = parse_hours(data.get("hours") or {}, errors)
    closed: list[str] = []
    for text in data.get("closed_days") or []:
        try:
            closed.append(date.fromisoformat(str(text)).isoformat())
        except ValueError:
            errors.add("closed_days", "Dates as YYYY-MM-DD.")
    errors.raise_if_any()
    p = policy(session, actor.workspace_id)
    old = policy_data(p)
    p.urgent_minutes, p.normal_minutes, p.low_minutes = (
        minutes["urgent"],
        minutes["normal"],
        minutes["low"],
    )
    p.hours, p.closed_days, p.updated_at = hours, sorted(set(closed)), utcnow()
    session.flush()
    clock = Clock(session, actor.workspace_id)
    for conv in session.scalars(
        select(Conversation).where(
            Conversation.workspace_id == actor.workspace_id,
            Conversation.to_handle.is_(True),
            Conversation.first_response_at.is_(None),
        )
    ):
        recompute(session, conv, clock)
    audit.record(
        session,
        workspace_id=actor.workspace_id,
        actor=actor,
        action="inbox.sla_changed",
        object_type="sla_policy",
        object_id=p.id,
        old=old,
        new=policy_data(p),
    )
    return p


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def policy_data(p: SlaPolicy) -> dict[str, Any]:
    hours = p.hours or {}
    return {
        "urgent_minutes": p.urgent_minutes,
        "normal_minutes": p.normal_minutes,
        "low_minutes": p.low_minutes,
        "hours": {
            day: [_hhmm(hours[str(i)][0]), _hhmm(hours[str(i)][1])] if str(i) in hours else None
            for i, day in enumerate(DAYS)
        },
        "closed_days": list(p.closed_days or []),
    }
