"""Guardrails against the database: a channel's rules and the posts it already has."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from palabre.automations.guardrails import HORIZON, Rules, next_slot, parse_hhmm
from palabre.automations.models import ChannelGuardrails
from palabre.publishing.models import Delivery, Post

PLANNED = ("scheduled", "publishing", "published")
MARGIN = timedelta(days=2)


def guardrails_of(session: Session, channel_id: int) -> ChannelGuardrails:
    """The channel's guardrails (the defaults while nobody changed them; not stored)."""
    row = session.get(ChannelGuardrails, channel_id)
    if row is None:
        row = ChannelGuardrails(
            channel_id=channel_id,
            daily_cap=3,
            min_spacing_minutes=120,
            quiet_start="21:00",
            quiet_end="08:00",
            share_warning=50,
            share_ceiling=70,
        )
    return row


def rules_of(row: ChannelGuardrails, tz: str) -> Rules:
    return Rules(
        daily_cap=row.daily_cap,
        min_spacing=timedelta(minutes=row.min_spacing_minutes),
        quiet_start=parse_hhmm(row.quiet_start),
        quiet_end=parse_hhmm(row.quiet_end),
        tz=tz,
    )


def planned_times(
    session: Session, channel_id: int, start: datetime, end: datetime
) -> tuple[list[datetime], list[datetime]]:
    """(every post's time, automated posts' times) on the channel between start and end."""
    when = func.coalesce(Delivery.published_at, Delivery.next_attempt_at)
    rows = session.execute(
        select(when, Post.origin)
        .join(Post, Post.id == Delivery.post_id)
        .where(
            Delivery.channel_id == channel_id,
            Delivery.state.in_(PLANNED),
            when >= start,
            when < end,
        )
    ).all()
    every = sorted(r[0] for r in rows if r[0] is not None)
    automated = sorted(r[0] for r in rows if r[0] is not None and r[1] is not None)
    return every, automated


class Planner:
    """Slots for a set of channels: every channel's rules at once. Slots handed out are
    remembered, so one run planning several posts keeps them apart."""

    def __init__(self, session: Session, channel_ids: list[int], tz: str) -> None:
        self.session, self.tz = session, tz
        self.rules = {cid: rules_of(guardrails_of(session, cid), tz) for cid in channel_ids}
        self.extra: dict[int, list[datetime]] = {cid: [] for cid in channel_ids}
        self._loaded: dict[int, tuple[list[datetime], list[datetime]]] = {}
        self._window: tuple[datetime, datetime] | None = None
        # Times from which nothing was free: slots are only ever taken, so still none.
        self._full: set[datetime] = set()

    def _times(self, cid: int, when: datetime) -> tuple[list[datetime], list[datetime]]:
        start, end = self._cover(when - MARGIN, when + 2 * HORIZON)
        if cid not in self._loaded:
            self._loaded[cid] = planned_times(self.session, cid, start, end)
        every, automated = self._loaded[cid]
        return every + self.extra[cid], automated + self.extra[cid]

    def _cover(self, start: datetime, end: datetime) -> tuple[datetime, datetime]:
        """Widen what was read from the database, never reading a range twice: the posts
        this planner reserved (and that were then made) lie inside what was read before,
        so none is counted twice."""
        if self._window is None:
            self._window = (start, end)
            return self._window
        have_start, have_end = self._window
        for cid, (every, automated) in self._loaded.items():
            more: list[tuple[datetime, datetime]] = []
            if start < have_start:
                more.append((start, have_start))
            if end > have_end:
                more.append((have_end, end))
            for low, high in more:
                extra_every, extra_auto = planned_times(self.session, cid, low, high)
                every, automated = sorted(every + extra_every), sorted(automated + extra_auto)
            self._loaded[cid] = (every, automated)
        self._window = (min(start, have_start), max(end, have_end))
        return self._window

    def reserve(self, when: datetime) -> None:
        for cid in self.rules:
            self.extra[cid].append(when)

    def slot(self, after: datetime, *, reserve: bool = True) -> datetime | None:
        """The first time every channel allows, at or after ``after``."""
        if not self.rules:
            return after
        if after in self._full:
            return None
        candidate = after
        for _ in range(100):
            proposals = []
            for cid, rules in self.rules.items():
                taken, automated = self._times(cid, candidate)
                found = next_slot(candidate, rules, taken=taken, automated=automated)
                if found is None:
                    self._full.add(after)
                    return None
                proposals.append(found)
            latest = max(proposals)
            if latest == candidate:
                if reserve:
                    self.reserve(candidate)
                return candidate
            candidate = latest
        return None


def planner_for(session: Session, channel_ids: list[int], tz: str) -> Planner:
    """One planner per session and set of channels: the slots a run (or a bulk approval)
    hands out are remembered, and the channels' posts are read once."""
    key = ("palabre.automations.planner", tuple(sorted(channel_ids)), tz)
    found = session.info.get(key)
    if found is None:
        found = session.info[key] = Planner(session, channel_ids, tz)
    return found
