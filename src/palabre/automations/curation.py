"""Curation: many feeds on one theme; the day's best items become suggestions.

An item's score is its relevance to the theme's keywords (a word in the title weighs
twice a word in the summary) × its source's weight × its freshness (halved every two
days). The best ``per_day`` are picked once the day's ``pick_at`` time has come; an item
another source already brought (``duplicate_of_id``, or the same canonical link) is never
suggested twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palabre.automations.filters import count_word, item_time
from palabre.automations.guardrails import parse_hhmm
from palabre.automations.models import Automation, Suggestion
from palabre.automations.news import offer_item, source_names, wanted_items
from palabre.automations.settings import CurationSettings
from palabre.core.timeutil import day_bounds, utc_to_local
from palabre.sources.models import Source, SourceItem
from palabre.team.models import Workspace

HALF_LIFE = timedelta(days=2)


def score(item: SourceItem, keywords: list[str], weight: float, now: datetime) -> float:
    relevance = sum(
        2 * count_word(item.title or "", k) + count_word(item.summary_text or "", k)
        for k in keywords
    )
    age = max((now - item_time(item)).total_seconds(), 0.0)
    return relevance * weight * 0.5 ** (age / HALF_LIFE.total_seconds())


def suggested_links(session: Session, automation: Automation) -> set[str]:
    rows = session.scalars(
        select(SourceItem.canonical_link)
        .join(Suggestion, Suggestion.source_item_id == SourceItem.id)
        .where(Suggestion.automation_id == automation.id)
    )
    return {r for r in rows if r}


def made_since(session: Session, automation: Automation, start: datetime) -> int:
    return (
        session.scalar(
            select(func.count(Suggestion.id)).where(
                Suggestion.automation_id == automation.id, Suggestion.created_at >= start
            )
        )
        or 0
    )


def best(
    session: Session, automation: Automation, rules: CurationSettings, now: datetime, room: int
) -> list[tuple[float, SourceItem]]:
    """The ``room`` best items not yet suggested, one per canonical link."""
    rows = session.execute(
        select(Source.id, Source.weight).where(Source.id.in_(automation.source_ids))
    ).all()
    weights = {r.id: r.weight for r in rows}
    seen = suggested_links(session, automation)
    scored = [
        (score(i, rules.keywords, weights.get(i.source_id, 1.0), now), i)
        for i in wanted_items(session, automation, rules, now)
    ]
    picked: list[tuple[float, SourceItem]] = []
    for value, item in sorted(scored, key=lambda p: (-p[0], p[1].id)):
        if value <= 0 or len(picked) >= room:
            break
        if item.canonical_link and item.canonical_link in seen:
            continue
        if item.canonical_link:
            seen.add(item.canonical_link)
        picked.append((value, item))
    return picked


def run(session: Session, automation: Automation, now: datetime) -> int:
    rules = CurationSettings.model_validate(automation.settings or {})
    ws = session.get(Workspace, automation.workspace_id)
    assert ws is not None
    local = utc_to_local(now, ws.timezone)
    if local.time() < parse_hhmm(rules.pick_at):
        return 0  # the day's items are still coming in
    start, _ = day_bounds(local.date(), ws.timezone)
    room = rules.per_day - made_since(session, automation, start)
    if room <= 0:
        return 0
    names = source_names(session, automation)
    return sum(
        offer_item(session, automation, item, rules.template, names, now, round(value, 3))
        for value, item in best(session, automation, rules, now, room)
    )
