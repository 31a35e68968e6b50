"""News relay: the sources' new items, filtered, become suggestions (or posts in auto mode).

Never relayed: an item seen on a source's first fetch (``backlog``), a duplicate of one
already brought (``duplicate_of_id``), one older than the maximum age, one another
automation already suggested for the same channel.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palabre.automations.filters import passes
from palabre.automations.models import Automation, Mode, Suggestion, automation_channels
from palabre.automations.settings import Filters, NewsSettings
from palabre.automations.suggestions import offer
from palabre.automations.texts import item_variables, texts_for
from palabre.sources.models import Source, SourceItem


def recent_items(
    session: Session,
    automation: Automation,
    since: datetime,
    until: datetime | None = None,
    *,
    backlog: bool = False,
) -> list[SourceItem]:
    """The automation's sources' items published (or first seen) since ``since``, not
    duplicates, oldest first; a source's first fetch (backlog) only when asked."""
    when = func.coalesce(SourceItem.published_at, SourceItem.first_seen_at)
    query = select(SourceItem).where(
        SourceItem.source_id.in_(automation.source_ids),
        SourceItem.duplicate_of_id.is_(None),
        when >= since,
    )
    if not backlog:
        query = query.where(SourceItem.backlog.is_(False))
    if until is not None:
        query = query.where(when < until)
    return list(session.scalars(query.order_by(when, SourceItem.id)))


def taken_elsewhere(session: Session, automation: Automation, item_ids: list[int]) -> set[int]:
    """Items another automation already suggested for one of this one's channels."""
    if not item_ids or not automation.channel_ids:
        return set()
    rows = session.scalars(
        select(Suggestion.source_item_id)
        .join(
            automation_channels,
            automation_channels.c.automation_id == Suggestion.automation_id,
        )
        .where(
            Suggestion.source_item_id.in_(item_ids),
            Suggestion.automation_id != automation.id,
            automation_channels.c.channel_id.in_(automation.channel_ids),
        )
    )
    return {r for r in rows if r is not None}


def already_made(session: Session, automation: Automation, keys: list[str]) -> set[str]:
    """Which of these keys the automation already made (its unique index answers)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found |= set(
            session.scalars(
                select(Suggestion.key).where(
                    Suggestion.automation_id == automation.id,
                    Suggestion.key.in_(keys[start : start + 500]),
                )
            )
        )
    return found


def source_names(session: Session, automation: Automation) -> dict[int, str]:
    rows = session.execute(
        select(Source.id, Source.name).where(Source.id.in_(automation.source_ids))
    )
    return {r.id: r.name for r in rows}


def wanted_items(
    session: Session, automation: Automation, rules: Filters, now: datetime
) -> list[SourceItem]:
    items = recent_items(session, automation, now - timedelta(days=rules.max_age_days))
    if automation.mode == Mode.auto:  # auto mode relays only what comes after it started
        items = [i for i in items if i.first_seen_at >= automation.created_at]
    made = already_made(session, automation, [f"item:{i.id}" for i in items])
    elsewhere = taken_elsewhere(session, automation, [i.id for i in items])
    return [
        i
        for i in items
        if f"item:{i.id}" not in made and i.id not in elsewhere and passes(i, rules, now)
    ]


def run(session: Session, automation: Automation, now: datetime) -> int:
    rules = NewsSettings.model_validate(automation.settings or {})
    names = source_names(session, automation)
    return sum(
        offer_item(session, automation, item, rules.template, names, now)
        for item in wanted_items(session, automation, rules, now)
    )


def offer_item(
    session: Session,
    automation: Automation,
    item: SourceItem,
    template: str,
    names: dict[int, str],
    now: datetime,
    score: float | None = None,
) -> bool:
    """Suggest (or, in auto mode, post) one item; False if it was already made."""
    variables = item_variables(item, names.get(item.source_id, ""))
    made = offer(
        session,
        automation,
        key=f"item:{item.id}",
        kind="post",
        texts=texts_for(template, variables, automation.channels),
        now=now,
        source_item_id=item.id,
        score=score,
    )
    return made is not None
