"""Agenda reminders: one per occurrence and offset, never repeated, never too late.

An occurrence that changes (its ``content_hash``) updates its pending reminders and the
scheduled posts they became (text and time); one cancelled or removed cancels them; a
reminder already published gets a correction, drafted for a person to approve.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.automations.events import deadline, is_gone, reminder_time
from palabre.automations.models import Automation, Suggestion, SuggestionState
from palabre.automations.rendering import fit
from palabre.automations.settings import AgendaSettings, Offset
from palabre.automations.suggestions import close, offer, robot_actor
from palabre.automations.texts import event_variables, texts_for
from palabre.channels.services import capabilities
from palabre.core.errors import PalabreError
from palabre.core.i18n import translator_for
from palabre.publishing import services as publishing
from palabre.publishing.models import Post, PostState
from palabre.sources.models import AgendaOccurrence
from palabre.team.models import Workspace

CHANGEABLE = {PostState.draft, PostState.awaiting_approval, PostState.scheduled}


def _workspace(session: Session, automation: Automation) -> Workspace:
    ws = session.get(Workspace, automation.workspace_id)
    assert ws is not None
    return ws


def upcoming(
    session: Session, automation: Automation, start: datetime, end: datetime
) -> list[AgendaOccurrence]:
    return list(
        session.scalars(
            select(AgendaOccurrence)
            .where(
                AgendaOccurrence.source_id.in_(automation.source_ids),
                AgendaOccurrence.starts_at >= start,
                AgendaOccurrence.starts_at < end,
                AgendaOccurrence.removed_at.is_(None),
                AgendaOccurrence.status != "cancelled",
            )
            .order_by(AgendaOccurrence.starts_at, AgendaOccurrence.id)
        )
    )


def offsets_of(rules: AgendaSettings) -> list[tuple[str, Offset]]:
    return [(text, Offset.parse(text)) for text in rules.offsets]


def horizon(offsets: list[tuple[str, Offset]]) -> timedelta:
    days = max([-o.days for _, o in offsets] + [0])
    hours = max([o.hours for _, o in offsets] + [0])
    return timedelta(days=days + 2, hours=hours)


def run(session: Session, automation: Automation, now: datetime) -> int:
    rules = AgendaSettings.model_validate(automation.settings or {})
    ws = _workspace(session, automation)
    offsets = offsets_of(rules)
    made = 0
    for occ in upcoming(session, automation, now, now + horizon(offsets)):
        for text, offset in offsets:
            due = reminder_time(occ, offset, ws.timezone)
            if due < now or due >= deadline(occ):
                continue  # too late already, or after the event began
            variables = event_variables(occ, ws.timezone, ws.language)
            texts = texts_for(rules.template, variables, automation.channels)
            if offer(
                session,
                automation,
                key=f"occ:{occ.id}:{text}",
                kind="reminder",
                texts=texts,
                now=now,
                planned_at=due,
                occurrence_id=occ.id,
                reminder_offset=text,
                content_hash=occ.content_hash,
            ):
                made += 1
    return made


def follow_changes(session: Session, automation: Automation, now: datetime) -> None:
    """Bring reminders up to date with their occurrences."""
    rows = session.scalars(
        select(Suggestion).where(
            Suggestion.automation_id == automation.id,
            Suggestion.kind == "reminder",
            Suggestion.state.in_([SuggestionState.pending, SuggestionState.approved]),
        )
    ).all()
    for row in rows:
        occ = session.get(AgendaOccurrence, row.occurrence_id) if row.occurrence_id else None
        if is_gone(occ):
            _cancelled(session, automation, row, occ, now)
        elif occ is not None and occ.content_hash != row.content_hash:
            _changed(session, automation, row, occ, now)


def _post(session: Session, row: Suggestion) -> Post | None:
    return session.get(Post, row.post_id) if row.post_id else None


def _cancelled(
    session: Session,
    automation: Automation,
    row: Suggestion,
    occ: AgendaOccurrence | None,
    now: datetime,
) -> None:
    post = _post(session, row)
    if row.state == SuggestionState.pending or post is None:
        close(session, row, SuggestionState.cancelled, now)
        return
    if post.state in CHANGEABLE:
        actor = robot_actor(session, automation)
        if actor is not None and _safely(
            session, partial(publishing.cancel_post, session, post, actor=actor)
        ):
            close(session, row, SuggestionState.cancelled, now)  # (one being published: next run)
        return
    if post.state in {PostState.published, PostState.failed} and occ is not None:
        _correction(session, automation, row, occ, now, cancelled=True)
        row.content_hash = occ.content_hash


def _changed(
    session: Session, automation: Automation, row: Suggestion, occ: AgendaOccurrence, now: datetime
) -> None:
    rules = AgendaSettings.model_validate(automation.settings or {})
    ws = _workspace(session, automation)
    texts = texts_for(
        rules.template, event_variables(occ, ws.timezone, ws.language), automation.channels
    )
    due = reminder_time(occ, Offset.parse(row.reminder_offset or "0d@09:00"), ws.timezone)
    post = _post(session, row)
    if row.state == SuggestionState.pending:
        row.texts, row.planned_at, row.content_hash = texts, due, occ.content_hash
        if due < now or due >= deadline(occ):
            close(session, row, SuggestionState.expired, now)
        return
    if post is not None and post.state in CHANGEABLE and max(due, now) >= deadline(occ):
        # Moved so near that this reminder would come after the start: it goes.
        _cancelled(session, automation, row, None, now)
        return
    if post is not None and post.state in CHANGEABLE:
        _update_post(session, automation, post, texts, max(due, now))
    elif post is not None and post.state == PostState.published:
        _correction(session, automation, row, occ, now, cancelled=False)
    row.texts, row.planned_at, row.content_hash = texts, due, occ.content_hash


def _update_post(
    session: Session, automation: Automation, post: Post, texts: dict[str, str], when: datetime
) -> None:
    actor = robot_actor(session, automation)
    if actor is None or any(d.state == "publishing" for d in post.deliveries):
        return
    draft = publishing.draft_of(post)
    first = texts.get(str(draft.channel_ids[0]), post.text) if draft.channel_ids else post.text
    draft.text = first
    draft.variants = {int(c): t for c, t in texts.items() if t != first}
    draft.scheduled_at = when
    _safely(
        session,
        lambda: publishing.update_post(session, post, draft, version=post.version, actor=actor),
    )


def _safely(session: Session, change: Callable[[], object]) -> bool:
    """Apply a change to a post; refused (someone is editing it, it is being published),
    it is left for the next run or for a person — never half-made, never a failed run."""
    try:
        with session.begin_nested():
            change()
    except PalabreError:
        return False
    return True


def _correction(
    session: Session,
    automation: Automation,
    row: Suggestion,
    occ: AgendaOccurrence,
    now: datetime,
    *,
    cancelled: bool,
) -> None:
    """A correction for a person to approve (never published automatically): one per
    occurrence and change (or cancellation), however many of its reminders went out."""
    ws = _workspace(session, automation)
    tr = translator_for(ws.language)
    when = event_variables(occ, ws.timezone, ws.language)["event"]["when"]
    if cancelled:
        line = tr.gettext("Cancelled: %(title)s (%(when)s).", title=occ.title, when=when)
    else:
        line = tr.gettext("Change: %(title)s is now %(when)s.", title=occ.title, when=when)
    if occ.url:
        line += f"\n{occ.url}"
    texts = {
        str(c.id): fit("{{ summary }}", {"summary": line}, capabilities(c))
        for c in automation.channels
    }
    suffix = "cancel" if cancelled else occ.content_hash[:12]
    offer(
        session,
        automation,
        key=f"fix:{occ.id}:{suffix}",
        kind="correction",
        texts=texts,
        now=now,
        occurrence_id=occ.id,
        reminder_offset=row.reminder_offset,
        content_hash=occ.content_hash,
    )
