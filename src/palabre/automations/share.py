"""The automated share: automated posts and replies over everything an account said
(published deliveries, and the replies sent from the inbox: a person's count as human, a
thank-you an automation made counts as automated) in the last 7 and 30 days. Above the
channel's warning level the dashboard warns; above its ceiling every auto-mode automation
of the channel pauses until a manager resumes it (then it is not paused again for the
share for a day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palabre.automations.holding import hold_scheduled
from palabre.automations.models import Automation, SentText
from palabre.automations.planner import guardrails_of
from palabre.automations.suggestions import text_hash
from palabre.channels.models import Channel
from palabre.core.i18n import N_
from palabre.inbox.conversation_models import Message, MessageSend
from palabre.publishing.models import Delivery, Post
from palabre.team import audit, notices

MIN_POSTS = 5  # below this many posts in the week, no judgement (one post is 100 %)
ACK = timedelta(days=1)


@dataclass(frozen=True)
class Share:
    channel_id: int
    channel_name: str
    automated_7: int
    total_7: int
    automated_30: int
    total_30: int
    warning: int
    ceiling: int

    @staticmethod
    def percent(part: int, total: int) -> int:
        return round(100 * part / total) if total else 0

    @property
    def percent_7(self) -> int:
        return self.percent(self.automated_7, self.total_7)

    @property
    def percent_30(self) -> int:
        return self.percent(self.automated_30, self.total_30)

    @property
    def level(self) -> str:
        """ "ok", "warning" or "ceiling" (last 7 days, once there are enough posts)."""
        if self.total_7 < MIN_POSTS:
            return "ok"
        if self.percent_7 > self.ceiling:
            return "ceiling"
        return "warning" if self.percent_7 > self.warning else "ok"


def counts(session: Session, channel_id: int, since: datetime) -> tuple[int, int]:
    """(automated, everything) the channel said since ``since``: posts and replies."""
    posts_automated, posts = _post_counts(session, channel_id, since)
    replies_automated, replies = _reply_counts(session, channel_id, since)
    return posts_automated + replies_automated, posts + replies


def _reply_counts(session: Session, channel_id: int, since: datetime) -> tuple[int, int]:
    """Replies sent from the inbox; automated: a thank-you's text an automation recorded
    (each thank-you's text is unique: ``automation_sent_texts``)."""
    texts = session.scalars(
        select(Message.text)
        .join(MessageSend, MessageSend.message_id == Message.id)
        .where(
            MessageSend.channel_id == channel_id,
            MessageSend.state == "sent",
            MessageSend.sent_at >= since,
        )
    ).all()
    if not texts:
        return 0, 0
    hashes = [text_hash(t) for t in texts]
    recorded = set(
        session.scalars(
            select(SentText.text_hash)
            .join(Automation, Automation.id == SentText.automation_id)
            .join(Channel, Channel.workspace_id == Automation.workspace_id)
            .where(Channel.id == channel_id, SentText.text_hash.in_(set(hashes)))
        )
    )
    return sum(1 for h in hashes if h in recorded), len(hashes)


def _post_counts(session: Session, channel_id: int, since: datetime) -> tuple[int, int]:
    row = session.execute(
        select(func.count(Delivery.id), func.count(Post.origin))
        .join(Post, Post.id == Delivery.post_id)
        .where(
            Delivery.channel_id == channel_id,
            Delivery.state == "published",
            Delivery.published_at >= since,
        )
    ).one()
    return int(row[1]), int(row[0])


def share_of(session: Session, channel: Channel, now: datetime) -> Share:
    a7, t7 = counts(session, channel.id, now - timedelta(days=7))
    a30, t30 = counts(session, channel.id, now - timedelta(days=30))
    rails = guardrails_of(session, channel.id)
    return Share(
        channel.id, channel.name, a7, t7, a30, t30, rails.share_warning, rails.share_ceiling
    )


def shares(session: Session, workspace_id: int, now: datetime) -> list[Share]:
    channels = session.scalars(
        select(Channel).where(Channel.workspace_id == workspace_id).order_by(Channel.name)
    )
    return [share_of(session, c, now) for c in channels]


def over_ceiling(session: Session, automation: Automation, now: datetime) -> Share | None:
    if automation.share_ack_until is not None and now < automation.share_ack_until:
        return None
    for channel in automation.channels:
        found = share_of(session, channel, now)
        if found.level == "ceiling":
            return found
    return None


def pause_for_share(session: Session, automation: Automation, found: Share, now: datetime) -> None:
    automation.paused_reason = "share"
    automation.paused_at = now
    held = hold_scheduled(session, automation, None)
    audit.record(
        session,
        workspace_id=automation.workspace_id,
        actor=None,
        action="automation.paused",
        object_type="automation",
        object_id=automation.id,
        name=automation.name,
        reason="share",
        channel_id=found.channel_id,
        percent=found.percent_7,
        held=held,
    )
    notices.tell_managers(
        session,
        automation.workspace_id,
        kind="automation.share",
        message=N_(
            "The automation “%(name)s” is paused: automated posts are %(percent)s%% of what "
            "“%(channel)s” said this week (ceiling %(ceiling)s%%). The posts it had scheduled "
            "on its own await approval. Resume it once you have looked."
        ),
        params={
            "name": automation.name,
            "percent": found.percent_7,
            "channel": found.channel_name,
            "ceiling": found.ceiling,
        },
        link=f"/automations/{automation.id}",
    )
