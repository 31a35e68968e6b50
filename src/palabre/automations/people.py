"""Welcome (new followers) and thank-you (mentions, reposts, quotes): suggestions, not
broadcasts. Each is written for one person — their name, their handle, what they said —
in one of several phrasings, so the same text never goes to two people (a hash of every
text sent is kept), and nobody is welcomed or thanked twice (one row per person).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from palabre.automations.models import (
    Automation,
    Mode,
    SentText,
    Suggestion,
    SuggestionState,
)
from palabre.automations.news import already_made
from palabre.automations.rendering import TemplateProblem, fit, render, shorten
from palabre.automations.settings import PeopleSettings
from palabre.automations.suggestions import offer, sharing_channels, text_hash
from palabre.channels.services import capabilities
from palabre.core.i18n import N_
from palabre.core.timeutil import day_bounds, utc_to_local
from palabre.inbox.models import Notification
from palabre.team.models import Workspace

KINDS = {"welcome": ("follow",), "thanks": ("mention", "repost", "quote")}
QUOTE_LENGTH = 80
RESCAN = timedelta(hours=1)
PERSONAL_TOUCH = N_(
    "Needs a personal touch: every phrasing would repeat a text already sent to someone "
    "else. Write it for this person before approving."
)

# Several phrasings per language; {{ name }}, {{ handle }} and {{ quote }} are filled in.
PHRASINGS: dict[str, dict[str, list[str]]] = {
    "fr": {
        "follow": [
            "Bienvenue {{ name }} ! Ravis de vous compter parmi nous, {{ handle }}.",
            "{{ handle }}, merci de nous suivre ! Au plaisir d'échanger avec vous, {{ name }}.",
            "Bonjour {{ name }} ({{ handle }}) et bienvenue : n'hésitez pas à nous écrire.",
            "Merci {{ name }} de votre abonnement ! {{ handle }}, nos portes vous sont ouvertes.",
            "Quel plaisir de vous voir ici, {{ name }} ! Bienvenue {{ handle }}.",
        ],
        "mention": [
            "Merci {{ name }} pour votre message{% if quote %} : « {{ quote }} »{% endif %} {{ handle }}",  # noqa: E501
            "{{ handle }}, merci de parler de nous, {{ name }}{% if quote %} (« {{ quote }} »){% endif %} !",  # noqa: E501
            "Un grand merci {{ name }} ! {% if quote %}« {{ quote }} » : {% endif %}ça nous touche. {{ handle }}",  # noqa: E501
        ],
        "repost": [
            "Merci {{ name }} pour le partage ! {{ handle }}",
            "{{ handle }}, merci d'avoir relayé notre message, {{ name }} !",
            "Merci pour le coup de pouce, {{ name }} ({{ handle }}) !",
        ],
    },
    "en": {
        "follow": [
            "Welcome {{ name }}! Glad to have you with us, {{ handle }}.",
            "{{ handle }}, thank you for following us! Happy to talk with you, {{ name }}.",
            "Hello {{ name }} ({{ handle }}) and welcome: feel free to write to us.",
            "Thanks for following, {{ name }}! {{ handle }}, our doors are open.",
            "So glad to see you here, {{ name }}! Welcome {{ handle }}.",
        ],
        "mention": [
            "Thank you {{ name }} for your message{% if quote %}: “{{ quote }}”{% endif %} {{ handle }}",  # noqa: E501
            "{{ handle }}, thanks for talking about us, {{ name }}{% if quote %} (“{{ quote }}”){% endif %}!",  # noqa: E501
            "Many thanks {{ name }}! {% if quote %}“{{ quote }}”: {% endif %}that means a lot. {{ handle }}",  # noqa: E501
        ],
        "repost": [
            "Thanks for sharing, {{ name }}! {{ handle }}",
            "{{ handle }}, thank you for passing our message on, {{ name }}!",
            "Thanks for the boost, {{ name }} ({{ handle }})!",
        ],
    },
}


def phrasings(rules: PeopleSettings, kind: str, lang: str) -> list[str]:
    if rules.phrasings:
        return rules.phrasings
    table = PHRASINGS.get(lang, PHRASINGS["en"])
    return table["mention" if kind == "quote" else kind]


def person_variables(n: Notification) -> dict[str, Any]:
    handle = n.author_handle if n.author_handle.startswith("@") else f"@{n.author_handle}"
    name = (n.author_name or "").strip() or n.author_handle.split("@")[0].split(".")[0]
    quote = shorten(" ".join(n.text.split()), QUOTE_LENGTH) if n.text else ""
    return {"name": name, "handle": handle, "quote": quote}


def write(
    choices: list[str], n: Notification, variables: dict[str, Any], used: set[str]
) -> str | None:
    """The first phrasing (starting from one picked by the person) whose text was never
    used; None when every phrasing gives a text already sent."""
    start = int(hashlib.sha256(n.author_id.encode()).hexdigest(), 16) % len(choices)
    for i in range(len(choices)):
        text = render(choices[(start + i) % len(choices)], variables)
        if text and text_hash(text) not in used:
            return text
    return None


def key_of(n: Notification) -> str:
    return f"person:{n.channel_id}:{n.author_id}"


def used_hashes(session: Session, automation: Automation) -> set[str]:
    """Texts sent or suggested to someone on the automation's channels, by any automation
    of the workspace (a welcome and a thank-you on one channel never say the same)."""
    sharing = sharing_channels(automation.channel_ids)
    sent = set(
        session.scalars(select(SentText.text_hash).where(SentText.automation_id.in_(sharing)))
    )
    for texts in session.scalars(
        select(Suggestion.texts).where(
            Suggestion.automation_id.in_(sharing), Suggestion.kind.in_(list(KINDS))
        )
    ):
        sent |= {text_hash(t) for t in texts.values()}
    return sent


def new_notifications(
    session: Session, automation: Automation, now: datetime
) -> list[Notification]:
    """What happened on the automation's channels since it was made (no thanks for the
    past), of the kinds it answers: after the last one it made a suggestion of, and
    whatever arrived in the last hour (two channels' readers may commit out of order)."""
    last = session.scalar(
        select(func.max(Suggestion.notification_id)).where(
            Suggestion.automation_id == automation.id
        )
    )
    return list(
        session.scalars(
            select(Notification)
            .where(
                Notification.channel_id.in_(automation.channel_ids),
                Notification.kind.in_(KINDS[automation.kind]),
                Notification.received_at >= automation.created_at,
                or_(Notification.id > (last or 0), Notification.received_at >= now - RESCAN),
            )
            .order_by(Notification.created_at, Notification.id)
        )
    )


def auto_left_today(
    session: Session, automation: Automation, rules: PeopleSettings, now: datetime
) -> int:
    ws = session.get(Workspace, automation.workspace_id)
    assert ws is not None
    start, end = day_bounds(utc_to_local(now, ws.timezone).date(), ws.timezone)
    done = session.scalar(
        select(func.count(Suggestion.id)).where(
            Suggestion.automation_id == automation.id,
            Suggestion.state == SuggestionState.approved,
            Suggestion.decided_by_id.is_(None),
            Suggestion.decided_at >= start,
            Suggestion.decided_at < end,
        )
    )
    return rules.daily_cap - (done or 0)


def run(session: Session, automation: Automation, now: datetime) -> int:
    rules = PeopleSettings.model_validate(automation.settings or {})
    ws = session.get(Workspace, automation.workspace_id)
    assert ws is not None
    channels = {c.id: c for c in automation.channels}
    notes = new_notifications(session, automation, now)
    made_keys = already_made(session, automation, [key_of(n) for n in notes])
    notes = [n for n in notes if key_of(n) not in made_keys and n.channel_id in channels]
    if not notes:
        return 0
    used = used_hashes(session, automation)
    made = 0
    for n in notes:
        key = key_of(n)
        if key in made_keys:
            continue  # the same person twice in this batch
        variables = person_variables(n)
        choices = phrasings(rules, n.kind, ws.language)
        text = write(choices, n, variables, used)
        personal = text is None  # every phrasing repeats a text sent: a person writes it
        if text is None:
            text = render(choices[0], variables)
        text = fit("{{ summary }}", {"summary": text}, capabilities(channels[n.channel_id]))
        used.add(text_hash(text))
        made_keys.add(key)
        auto = (
            not personal
            and automation.mode == Mode.auto
            and auto_left_today(session, automation, rules, now) > 0
        )
        row = offer(
            session,
            automation,
            key=key,
            kind=automation.kind,
            texts={str(n.channel_id): text},
            now=now,
            auto=auto,
            notification_id=n.id,
            person_handle=variables["handle"],
            person_name=variables["name"],
            quote=variables["quote"] or None,
        )
        if row is not None:
            made += 1
            if personal:
                row.note = PERSONAL_TOUCH
    return made


__all__ = ["TemplateProblem", "run"]
