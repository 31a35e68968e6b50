"""The demo shows every robot at work — whenever it is loaded."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from palabre import demo
from palabre.automations.models import Automation, Suggestion
from palabre.core.db import utcnow
from palabre.core.runtime import Runtime
from palabre.inbox.conversation_models import Conversation
from palabre.sources.models import AgendaOccurrence, SourceItem

KINDS = {"news", "agenda", "curation", "welcome", "thanks"}


@pytest.mark.parametrize("later", [timedelta(0), timedelta(days=365), timedelta(days=1000)])
def test_every_robot_of_the_demo_has_work_whenever_it_is_loaded(
    rt: Runtime, later: timedelta
) -> None:
    now = utcnow() + later
    demo.load(rt, now)
    with rt.db.transaction(write=False) as s:
        per_kind = dict(
            s.execute(
                select(Automation.kind, func.count(Suggestion.id))
                .join(Suggestion, Suggestion.automation_id == Automation.id)
                .group_by(Automation.kind)
            ).all()
        )
        newest = s.scalar(select(func.max(SourceItem.published_at)))
        coming = s.scalar(
            select(func.count(AgendaOccurrence.id)).where(
                AgendaOccurrence.starts_at > now,
                AgendaOccurrence.starts_at < now + timedelta(days=7),
            )
        )
        conversations = s.scalar(select(func.count(Conversation.id)))
    assert set(per_kind) == KINDS and all(per_kind.values())
    assert per_kind["welcome"] == 3 and per_kind["thanks"] == 3
    assert newest is not None and now - timedelta(hours=6) < newest <= now
    assert coming and coming >= 2
    assert conversations and conversations >= 2


def test_curation_does_not_suggest_the_news_the_relay_already_brought(rt: Runtime) -> None:
    demo.load(rt)
    with rt.db.transaction(write=False) as s:
        picked = s.scalars(
            select(SourceItem.canonical_link)
            .join(Suggestion, Suggestion.source_item_id == SourceItem.id)
            .join(Automation, Automation.id == Suggestion.automation_id)
            .where(Automation.kind.in_(("news", "curation")))
        ).all()
    assert len(picked) == len(set(picked)) >= 2
