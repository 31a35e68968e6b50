"""The audit log in sentences a person can read: "approved post #12"."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.channels.models import Channel
from palabre.channels.registry import adapters
from palabre.core.i18n import LANGUAGES, N_, Translator
from palabre.core.params import whole
from palabre.sources.models import Source
from palabre.team.models import AuditEntry, User

ROLE_LABELS = {
    "owner": N_("Owner"),
    "manager": N_("Manager"),
    "member": N_("Member"),
    "contributor": N_("Contributor"),
    "viewer": N_("Viewer"),
}
ROLE_HELP = {
    "owner": N_(
        "Everything a manager does, and makes or removes other owners. "
        "A workspace always keeps at least one owner."
    ),
    "manager": N_(
        "Approves or rejects posts, connects channels, adds people and changes their roles, "
        "reads the audit log, changes the workspace settings."
    ),
    "member": N_("Writes posts and schedules them directly, without approval."),
    "contributor": N_(
        "A volunteer: writes drafts and proposes them; a manager approves before anything "
        "is published."
    ),
    "viewer": N_("Reads everything, changes nothing. May use a read-only API token."),
}
OBJECT_TYPES = {
    "post": N_("Posts"),
    "channel": N_("Channels"),
    "user": N_("People"),
    "workspace": N_("Workspace"),
    "automation": N_("Automations"),
    "suggestion": N_("Suggestions"),
    "source": N_("Sources"),
}

# action -> msgid; placeholders: post, channel, person, name, role, old, new, kind, language
SENTENCES = {
    "workspace.created": N_("created the workspace %(name)s"),
    "workspace.updated": N_("changed the workspace settings"),
    "user.created": N_("added %(person)s as %(role)s"),
    "user.role_changed": N_("changed the role of %(person)s from %(old)s to %(new)s"),
    "user.activated": N_("reactivated %(person)s"),
    "user.deactivated": N_("deactivated %(person)s"),
    "user.signed_in": N_("signed in"),
    "user.signed_out": N_("signed out"),
    "user.language_changed": N_("chose the language %(language)s"),
    "token.created": N_("created the API token “%(name)s”"),
    "token.revoked": N_("revoked the API token “%(name)s”"),
    "channel.created": N_("created channel %(channel)s (%(kind)s)"),
    "channel.paused": N_("paused channel %(channel)s"),
    "channel.resumed": N_("resumed channel %(channel)s"),
    "post.created": N_("created post #%(post)s"),
    "post.edited": N_("edited post #%(post)s"),
    "post.submitted": N_("submitted post #%(post)s for approval"),
    "post.approved": N_("approved post #%(post)s"),
    "post.rejected": N_("rejected post #%(post)s"),
    "post.scheduled": N_("scheduled post #%(post)s"),
    "post.rescheduled": N_("rescheduled post #%(post)s"),
    "post.cancelled": N_("cancelled post #%(post)s"),
    "post.held": N_("held post #%(post)s for approval (its automation paused)"),
    "post.retried": N_("retried the delivery of post #%(post)s to %(channel)s"),
    "post.delivery_published": N_("published post #%(post)s on %(channel)s"),
    "post.delivery_failed": N_("could not publish post #%(post)s on %(channel)s"),
    "automation.created": N_("created the automation “%(name)s”"),
    "automation.edited": N_("changed the automation “%(name)s”"),
    "automation.deleted": N_("deleted the automation “%(name)s”"),
    "automation.paused": N_("paused the automation “%(name)s”"),
    "automation.resumed": N_("resumed the automation “%(name)s”"),
    "automation.switched_on": N_("switched on the automation “%(name)s”"),
    "automation.run": N_("checked the automation “%(name)s” now"),
    "suggestion.offered": N_("suggested #%(post)s"),
    "suggestion.edited": N_("edited suggestion #%(post)s"),
    "suggestion.approved": N_("approved suggestion #%(post)s"),
    "suggestion.skipped": N_("skipped suggestion #%(post)s"),
    "suggestion.expired": N_("suggestion #%(post)s expired"),
    "suggestion.cancelled": N_("suggestion #%(post)s was cancelled with its event"),
    "channel.guardrails": N_("changed the guardrails of %(channel)s"),
    "source.created": N_("added the source %(source)s"),
    "source.updated": N_("changed the source %(source)s"),
    "source.paused": N_("paused the source %(source)s"),
    "source.resumed": N_("resumed the source %(source)s"),
    "source.refreshed": N_("asked to check the source %(source)s now"),
    "source.deleted": N_("removed the source %(source)s"),
    "source.moved": N_("followed the source %(source)s to its new address"),
    "source.feed_chosen": N_("chose the feed the source %(source)s now reads"),
}
# Details already said by the sentence are not repeated below it.
SAID = {"name", "role", "old", "new", "kind", "language", "channel_id", "email"}


@dataclass
class Line:
    entry: AuditEntry
    who: str
    sentence: str
    link: tuple[str, dict[str, int]] | None  # route name and path parameters
    details: list[tuple[str, str]]


def role_label(tr: Translator, role: str) -> str:
    return tr.gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def kind_label(tr: Translator, kind: str) -> str:
    cls = adapters().get(kind)
    return tr.gettext(cls.label) if cls else kind


class Describer:
    """Turns entries into lines, looking up the names of people and channels once."""

    def __init__(self, session: Session, tr: Translator, entries: list[AuditEntry]) -> None:
        self.tr = tr
        user_ids = {e.object_id for e in entries if e.object_type == "user" and e.object_id}
        channel_ids = {e.object_id for e in entries if e.object_type == "channel" and e.object_id}
        for e in entries:
            details = e.details if isinstance(e.details, dict) else {}
            mentioned = [details.get("channel_id"), *(details.get("channels") or [])]
            channel_ids |= {n for c in mentioned if (n := whole(str(c))) is not None}
        self.people = dict(
            session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all()
            if user_ids
            else []
        )
        self.channels = dict(
            session.execute(
                select(Channel.id, Channel.name).where(Channel.id.in_(channel_ids))
            ).all()
            if channel_ids
            else []
        )
        source_ids = {e.object_id for e in entries if e.object_type == "source" and e.object_id}
        self.sources = dict(
            session.execute(select(Source.id, Source.name).where(Source.id.in_(source_ids))).all()
            if source_ids
            else []
        )

    def line(self, entry: AuditEntry) -> Line:
        tr = self.tr
        details: dict[str, Any] = entry.details if isinstance(entry.details, dict) else {}
        who = entry.user.name if entry.user else "Palabre"
        params = self._params(entry, details)
        msgid = SENTENCES.get(entry.action)
        sentence = tr.gettext(msgid, **params) if msgid else entry.action
        return Line(entry, who, sentence, self._link(entry), self._details(entry, details))

    def _params(self, entry: AuditEntry, details: dict[str, Any]) -> dict[str, Any]:
        tr = self.tr
        oid = entry.object_id
        channel_id = details.get("channel_id", oid if entry.object_type == "channel" else None)
        channel_name = details.get("name") if entry.object_type == "channel" else None
        person = self.people.get(oid or 0) or details.get("email") or f"#{oid}"
        return {
            "post": oid,
            "person": person,
            "channel": self.channels.get(int(channel_id or 0)) or channel_name or f"#{channel_id}",
            "name": details.get("name") or "",
            "source": self.sources.get(oid or 0) or details.get("name") or f"#{oid}",
            "kind": kind_label(tr, str(details.get("kind", ""))),
            "role": role_label(tr, str(details.get("role", ""))),
            "old": role_label(tr, str(details.get("old", ""))),
            "new": role_label(tr, str(details.get("new", ""))),
            "language": LANGUAGES.get(str(details.get("language")), details.get("language")),
        }

    def _link(self, entry: AuditEntry) -> tuple[str, dict[str, int]] | None:
        if entry.object_id is None:
            return None
        routes: dict[str, Callable[[int], tuple[str, dict[str, int]]]] = {
            "post": lambda i: ("post_page", {"post_id": i}),
            "channel": lambda i: ("channel_page", {"channel_id": i}),
            "automation": lambda i: ("automation_page", {"automation_id": i}),
            "source": lambda i: ("source_page", {"source_id": i}),
        }
        make = routes.get(entry.object_type)
        return make(entry.object_id) if make else None

    def _details(self, entry: AuditEntry, details: dict[str, Any]) -> list[tuple[str, str]]:
        shown = []
        for key, value in details.items():
            if key in SAID and entry.action in SENTENCES and entry.action != "workspace.updated":
                continue
            if key == "channels" and isinstance(value, list):
                key = self.tr.gettext("channels")
                value = ", ".join(self.channels.get(int(v), f"#{v}") for v in value)
            elif isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            shown.append((key, str(value)))
        return shown
