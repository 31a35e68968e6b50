"""Pausing holds what the automation already scheduled on its own.

Auto mode plans posts up to 60 days ahead. When it pauses — by hand, or because the
automated share passed the ceiling — the posts it scheduled by itself (approved by no
person) and not yet gone out go back to *awaiting approval*: a manager decides on each
(the approvals page), and resuming the automation does not send them again on its own.
Posts a person approved from the queue stay scheduled: a person chose them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from palabre.automations.models import Automation, Suggestion, SuggestionState
from palabre.publishing import services as publishing
from palabre.publishing.models import Post, PostState
from palabre.team.models import User


def hold_scheduled(session: Session, automation: Automation, actor: User | None) -> int:
    """The number of posts held."""
    posts = session.scalars(
        select(Post)
        .join(Suggestion, Suggestion.post_id == Post.id)
        .where(
            Suggestion.automation_id == automation.id,
            Suggestion.state == SuggestionState.approved,
            Suggestion.decided_by_id.is_(None),  # approved by the automation itself
            Post.state == PostState.scheduled,
        )
        .order_by(Post.id)
    ).all()
    return sum(publishing.hold_post(session, post, actor=actor) for post in posts)
