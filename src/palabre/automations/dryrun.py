"""Dry run: what an automation would have posted over the last 30 days of what its sources
(or channels) brought, with the guardrails applied — nothing is stored.

Items are taken when they were published (their first sighting when the feed gives no
date) — those of a source's first fetch too: a new automation on a new source answers
"what would it have posted over the last 30 days of its sources" — filtered as the
automation would have filtered them then, and placed at the first time the channels'
guardrails allowed, next to the posts those channels really had.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.automations import agenda, curation, news, people
from palabre.automations.events import deadline, reminder_time
from palabre.automations.filters import item_time, passes
from palabre.automations.models import Automation
from palabre.automations.planner import Planner
from palabre.automations.settings import (
    AgendaSettings,
    CurationSettings,
    NewsSettings,
    PeopleSettings,
)
from palabre.automations.suggestions import text_hash
from palabre.automations.texts import event_variables, item_variables, texts_for
from palabre.core.timeutil import utc_to_local
from palabre.inbox.models import Notification
from palabre.sources.models import AgendaOccurrence, Source, SourceItem
from palabre.team.models import Workspace

DAYS = 30


@dataclass
class Would:
    """One post the automation would have made."""

    title: str
    texts: dict[str, str]
    arrived: datetime  # when what it comes from arrived (or the reminder was due)
    when: datetime | None = None  # the slot the guardrails gave; None: no room left
    score: float | None = None


@dataclass
class DryRun:
    start: datetime
    end: datetime
    posts: list[Would] = field(default_factory=list)
    skipped: int = 0  # items filtered out

    def by_day(self, tz: str) -> dict[date, list[Would]]:
        days: dict[date, list[Would]] = defaultdict(list)
        for post in self.posts:
            if post.when is not None:
                days[utc_to_local(post.when, tz).date()].append(post)
        return dict(days)

    @property
    def unplaced(self) -> int:
        return sum(1 for p in self.posts if p.when is None)


def dry_run(session: Session, automation: Automation, now: datetime, days: int = DAYS) -> DryRun:
    ws = session.get(Workspace, automation.workspace_id)
    assert ws is not None
    result = DryRun(now - timedelta(days=days), now)
    planner = Planner(session, automation.channel_ids, ws.timezone)
    if automation.kind == "news":
        _news(session, automation, result)
    elif automation.kind == "curation":
        _curation(session, automation, result, ws.timezone)
    elif automation.kind == "agenda":
        _agenda(session, automation, result, ws)
    else:
        _people(session, automation, result)
    result.posts.sort(key=lambda p: p.arrived)
    for post in result.posts:
        post.when = planner.slot(post.arrived)
    return result


def _items(session: Session, automation: Automation, result: DryRun) -> list[SourceItem]:
    """Its sources' items of the period, backlog included, duplicates not, oldest first."""
    return news.recent_items(session, automation, result.start, result.end, backlog=True)


def _would_item(
    automation: Automation, item: SourceItem, template: str, names: dict[int, str]
) -> Would:
    texts = texts_for(
        template, item_variables(item, names.get(item.source_id, "")), automation.channels
    )
    return Would(item.title, texts, item_time(item))


def _news(session: Session, automation: Automation, result: DryRun) -> None:
    rules = NewsSettings.model_validate(automation.settings or {})
    names = news.source_names(session, automation)
    for item in _items(session, automation, result):
        if passes(item, rules, item_time(item)):
            result.posts.append(_would_item(automation, item, rules.template, names))
        else:
            result.skipped += 1


def _curation(session: Session, automation: Automation, result: DryRun, tz: str) -> None:
    rules = CurationSettings.model_validate(automation.settings or {})
    names = news.source_names(session, automation)
    weights = {
        r.id: r.weight
        for r in session.execute(
            select(Source.id, Source.weight).where(Source.id.in_(automation.source_ids))
        )
    }
    per_day: dict[date, list[tuple[float, SourceItem]]] = defaultdict(list)
    for item in _items(session, automation, result):
        if not passes(item, rules, item_time(item)):
            result.skipped += 1
            continue
        value = curation.score(
            item, rules.keywords, weights.get(item.source_id, 1.0), item_time(item)
        )
        per_day[utc_to_local(item_time(item), tz).date()].append((value, item))
    seen: set[str] = set()
    for _day, scored in sorted(per_day.items()):
        picked = 0
        for value, item in sorted(scored, key=lambda p: (-p[0], p[1].id)):
            link = item.canonical_link or f"id:{item.id}"
            if value <= 0 or picked >= rules.per_day or link in seen:
                result.skipped += 1
                continue
            seen.add(link)
            picked += 1
            would = _would_item(automation, item, rules.template, names)
            would.score = round(value, 3)
            result.posts.append(would)


def _agenda(session: Session, automation: Automation, result: DryRun, ws: Workspace) -> None:
    rules = AgendaSettings.model_validate(automation.settings or {})
    offsets = agenda.offsets_of(rules)
    occurrences = session.scalars(
        select(AgendaOccurrence).where(
            AgendaOccurrence.source_id.in_(automation.source_ids),
            AgendaOccurrence.starts_at >= result.start,
            AgendaOccurrence.starts_at < result.end + agenda.horizon(offsets),
            AgendaOccurrence.status != "cancelled",
        )
    )
    for occ in occurrences:
        variables = event_variables(occ, ws.timezone, ws.language)
        for _text, offset in offsets:
            due = reminder_time(occ, offset, ws.timezone)
            if result.start <= due < min(result.end, deadline(occ)):
                texts = texts_for(rules.template, variables, automation.channels)
                result.posts.append(Would(occ.title, texts, due))


def _people(session: Session, automation: Automation, result: DryRun) -> None:
    rules = PeopleSettings.model_validate(automation.settings or {})
    ws = session.get(Workspace, automation.workspace_id)
    assert ws is not None
    seen: set[str] = set()
    used: set[str] = set()
    rows = session.scalars(
        select(Notification)
        .where(
            Notification.channel_id.in_(automation.channel_ids),
            Notification.kind.in_(people.KINDS[automation.kind]),
            Notification.created_at >= result.start,
        )
        .order_by(Notification.created_at)
    )
    for n in rows:
        key = f"{n.channel_id}:{n.author_id}"
        if key in seen:
            result.skipped += 1
            continue
        seen.add(key)
        variables = people.person_variables(n)
        text = people.write(people.phrasings(rules, n.kind, ws.language), n, variables, used)
        if text is None:
            result.skipped += 1
            continue
        used.add(text_hash(text))
        result.posts.append(Would(variables["name"], {str(n.channel_id): text}, n.created_at))
