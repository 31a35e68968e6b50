"""The editor's live preview: the template on the sources' latest real items, per channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palabre.automations.forms import AutomationForm
from palabre.automations.people import KINDS, PHRASINGS, person_variables
from palabre.automations.rendering import TemplateProblem, fit, render
from palabre.automations.settings import SETTINGS
from palabre.automations.texts import event_variables, item_variables
from palabre.channels import text as textcount
from palabre.channels.models import Channel
from palabre.channels.services import capabilities
from palabre.core.db import utcnow
from palabre.inbox.models import Notification
from palabre.sources.models import AgendaOccurrence, Source, SourceItem
from palabre.team.models import Workspace

SAMPLES = 3


@dataclass
class Sample:
    title: str
    channel: str
    text: str
    count: int
    limit: int


def _variables(
    session: Session, ws: Workspace, data: AutomationForm
) -> list[tuple[str, dict[str, Any]]]:
    names = {
        s.id: s.name
        for s in session.scalars(
            select(Source).where(Source.id.in_(data.source_ids), Source.workspace_id == ws.id)
        )
    }
    sources = list(names)
    if data.kind == "agenda":
        occs = session.scalars(
            select(AgendaOccurrence)
            .where(AgendaOccurrence.source_id.in_(sources), AgendaOccurrence.starts_at >= utcnow())
            .order_by(AgendaOccurrence.starts_at)
            .limit(SAMPLES)
        )
        return [(o.title, event_variables(o, ws.timezone, ws.language)) for o in occs]
    if data.kind in KINDS:
        notes = session.scalars(
            select(Notification)
            .where(
                Notification.workspace_id == ws.id,
                Notification.channel_id.in_(data.channel_ids),
                Notification.kind.in_(KINDS[data.kind]),
            )
            .order_by(Notification.created_at.desc())
            .limit(SAMPLES)
        )
        return [(n.author_handle, person_variables(n)) for n in notes]
    when = func.coalesce(SourceItem.published_at, SourceItem.first_seen_at)
    items = session.scalars(
        select(SourceItem)
        .where(SourceItem.source_id.in_(sources))
        .order_by(when.desc())
        .limit(SAMPLES)
    )
    return [(i.title, item_variables(i, names.get(i.source_id, ""))) for i in items]


def preview_samples(
    session: Session, ws: Workspace, data: AutomationForm
) -> tuple[list[Sample], TemplateProblem | None]:
    model = SETTINGS.get(data.kind, SETTINGS["news"])
    default = model().model_dump()
    template = str(data.settings.get("template") or default.get("template") or "")
    if data.kind in KINDS:
        kind = "follow" if data.kind == "welcome" else "mention"
        builtin = PHRASINGS.get(ws.language, PHRASINGS["en"])[kind]
        template = (data.settings.get("phrasings") or builtin)[0]
    channels = list(
        session.scalars(
            select(Channel).where(Channel.id.in_(data.channel_ids), Channel.workspace_id == ws.id)
        )
    )
    samples: list[Sample] = []
    try:
        for title, variables in _variables(session, ws, data):
            if not channels:
                text = render(template, variables)
                samples.append(Sample(title, "", text, len(text), 0))
            for channel in channels:
                caps = capabilities(channel)
                text = fit(template, variables, caps)
                count = textcount.count(text, caps)
                samples.append(Sample(title, channel.name, text, count, caps.text_limit))
    except TemplateProblem as problem:
        return [], problem
    return samples, None
