"""What the header shows on every page: unread notices, and for managers the channels
that need reconnection (a banner on every page until it is done), how many
suggestions wait in the automations' queue, and the inbox's badge (read from its
counters). Indexed queries, made only when a page is drawn for a signed-in person."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import object_session

from palabre.team import notices
from palabre.team.models import Role, User


@dataclass
class Alerts:
    unread: int = 0
    broken: list[tuple[int, str]] = field(default_factory=list)  # (channel id, name)
    suggestions: int = 0  # waiting in the automations' queue
    inbox: int = 0  # conversations new or open (the inbox's counters, not a COUNT)

    @property
    def badges(self) -> tuple[int, int, int]:
        return (self.unread, self.suggestions, self.inbox)


def alerts_for(user: User | None) -> Alerts:
    session = object_session(user) if user is not None else None
    if user is None or session is None:
        return Alerts()
    from palabre.channels.models import Channel, ChannelStatus  # (channels imports team)

    broken: list[tuple[int, str]] = []
    if user.can(Role.manager):
        broken = [
            (row.id, row.name)
            for row in session.execute(
                select(Channel.id, Channel.name)
                .where(
                    Channel.workspace_id == user.workspace_id,
                    Channel.status == ChannelStatus.needs_reconnection,
                )
                .order_by(Channel.name)
            )
        ]
    from palabre.automations.queries import pending_count  # (automations imports team)
    from palabre.inbox.counters import to_handle  # (inbox imports team)

    return Alerts(
        notices.unread_count(session, user.id),
        broken,
        pending_count(session, user.workspace_id),
        to_handle(session.connection(), user.workspace_id),
    )
