"""Helpers shared by the REST API tests (no tests here): a workspace with one person of
each role and their tokens, and ways to put a post in a given state."""

from __future__ import annotations

from dataclasses import dataclass

from palabre.channels.models import Channel
from palabre.core.runtime import Runtime
from palabre.publishing.models import Post
from palabre.team.models import User
from tests import factories as f

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class Team:
    workspace_id: int
    user_ids: dict[str, int]
    tokens: dict[str, str]
    channel_ids: list[int]

    def auth(self, role: str) -> dict[str, str]:
        return f.bearer(self.tokens[role])


def make_team(rt: Runtime, *, imitates: tuple[str, ...] = ("mastodon",)) -> Team:
    """One person per role (reading English), each with a token, and preview channels
    made by the owner."""
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        users = {role: f.user(s, ws, role) for role in f.ROLES}
        for u in users.values():
            u.language = "en"  # messages asserted below are the English ones
        tokens = {role: f.token(s, u) for role, u in users.items()}
        chans = [
            f.preview_channel(rt, s, ws, users["owner"], name=f"{kind.title()} {n}", imitates=kind)
            for n, kind in enumerate(imitates, 1)
        ]
        return Team(ws.id, {r: u.id for r, u in users.items()}, tokens, [c.id for c in chans])


def make_post(rt: Runtime, team: Team, author: str, intent: str, text: str = "Bonjour !") -> int:
    """A post by ``author`` (a role) made through the services: draft, submit or schedule."""
    with rt.db.transaction() as s:
        user = s.get(User, team.user_ids[author])
        assert user is not None
        chans = [s.get(Channel, cid) for cid in team.channel_ids]
        post = f.post(s, user.workspace, user, chans, text=text, intent=intent)
        return post.id


def fail_deliveries(rt: Runtime, post_id: int, error: str = "The network said no.") -> list[int]:
    """Mark a scheduled post's deliveries failed, as the worker would after a hard error."""
    with rt.db.transaction() as s:
        post = s.get(Post, post_id)
        assert post is not None
        for d in post.deliveries:
            d.state, d.next_attempt_at, d.last_error = "failed", None, error
        post.state = "failed"
        return [d.id for d in post.deliveries]
