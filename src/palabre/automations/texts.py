"""What a template sees for a news item or an agenda occurrence, and the text it makes for
each target channel (each fits that network's limit)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palabre.automations.rendering import fit, hashtags
from palabre.channels.models import Channel
from palabre.channels.services import capabilities
from palabre.core.i18n import translator_for
from palabre.sources.models import AgendaOccurrence, SourceItem

# The variables each kind offers (the editor lists them).
NEWS_VARIABLES = ("title", "link", "summary", "hashtags", "categories", "source", "author")
AGENDA_VARIABLES = ("event", "title", "link", "summary")
EVENT_FIELDS = ("title", "date", "time", "when", "place", "link", "ends")


def item_variables(item: SourceItem, source_name: str = "") -> dict[str, Any]:
    return {
        "title": item.title or "",
        "link": item.link or item.canonical_link or "",
        "summary": item.summary_text or "",
        "hashtags": hashtags(list(item.categories or [])),
        "categories": list(item.categories or []),
        "source": source_name,
        "author": item.author or "",
    }


def event_variables(occ: AgendaOccurrence, tz: str, lang: str) -> dict[str, Any]:
    """Dates in the workspace's zone and language: 'samedi 3 mai' / 'Saturday 3 May'."""
    tr = translator_for(lang)
    date = tr.pattern(occ.starts_at, tz, "EEEE d MMMM")
    hour = "" if occ.all_day else tr.pattern(occ.starts_at, tz, "HH:mm")
    when = date if occ.all_day else tr.gettext("%(date)s at %(time)s", date=date, time=hour)
    event = {
        "title": occ.title or "",
        "date": date,
        "time": hour,
        "when": when,
        "place": occ.location or "",
        "link": occ.url or "",
        "ends": tr.pattern(occ.ends_at, tz, "HH:mm") if occ.ends_at and not occ.all_day else "",
    }
    return {
        "event": event,
        "title": event["title"],
        "link": event["link"],
        "summary": occ.description or "",
    }


def texts_for(
    template: str, variables: Mapping[str, Any], channels: list[Channel]
) -> dict[str, str]:
    """{channel id: text}, each fitted to its channel. Raises TemplateProblem."""
    return {str(c.id): fit(template, variables, capabilities(c)) for c in channels}
