"""Round-robin on arrival: when the workspace asks for it (Settings › Inbox), each new
conversation is given, as it is threaded, to the next person on duty — the same choice
as "the next one on duty" by hand (``services.next_on_duty``).

Runs inside the ingestion's transaction: who is on duty and their load are read once per
batch (one query, only when the setting is on) and counted on as the batch gives
conversations out; the audit rows and the assignees' notices are written with the batch.
A notification read twice makes no new conversation, so it is never assigned twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from palabre.core.errors import Forbidden
from palabre.core.i18n import N_
from palabre.inbox import services
from palabre.inbox.conversation_models import Conversation
from palabre.inbox.sla import policy
from palabre.team import audit
from palabre.team.models import Role, User

GIVEN = N_("A new conversation with %(contact)s is yours (round-robin)")


@dataclass
class Dispatcher:
    """A batch's assignments on arrival, per workspace."""

    loads: dict[int, dict[User, int]] = field(default_factory=dict)
    given: list[tuple[Conversation, User]] = field(default_factory=list)

    def choose(self, session: Session, workspace_id: int) -> User | None:
        if workspace_id not in self.loads:
            self.loads[workspace_id] = services.duty_loads(session, workspace_id)
        loads = self.loads[workspace_id]
        chosen = services.next_on_duty(loads)
        if chosen is not None:
            loads[chosen] += 1
        return chosen

    def give(self, conv: Conversation, person: User) -> None:
        self.given.append((conv, person))

    def record(self, session: Session) -> None:
        """The audit rows and notices of the batch (after its conversations have ids)."""
        for conv, person in self.given:
            audit.record(
                session,
                workspace_id=conv.workspace_id,
                actor=None,
                action="conversation.assigned",
                object_type="conversation",
                object_id=conv.id,
                assignee_id=person.id,
                round_robin="on_arrival",
            )
            session.add(services.notice_about(conv, person.id, "inbox.assigned", GIVEN))
        self.given.clear()


def set_round_robin_on_arrival(session: Session, actor: User, on: bool) -> None:
    """Managers turn round-robin on arrival on or off."""
    if not actor.can(Role.manager):
        raise Forbidden("Only managers change how conversations are given out.")
    p = policy(session, actor.workspace_id)
    if p.round_robin_on_arrival == on:
        return
    p.round_robin_on_arrival = on
    audit.record(
        session,
        workspace_id=actor.workspace_id,
        actor=actor,
        action="inbox.round_robin_on_arrival",
        object_type="sla_policy",
        object_id=p.id,
        new=on,
    )
