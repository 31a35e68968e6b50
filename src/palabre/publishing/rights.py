"""Who may do what with a post, now: the checks the services make, and what the pages
and the API show (buttons, actions)."""

from __future__ import annotations

from palabre.core.errors import Conflict, Forbidden
from palabre.publishing.models import Post, PostState
from palabre.team.models import Role, User

EDITABLE = {PostState.draft, PostState.awaiting_approval, PostState.scheduled}


def can_publish(user: User) -> bool:
    """Members and above schedule without approval; contributors propose."""
    return user.can(Role.member)


def check_can_edit(post: Post, actor: User) -> None:
    if post.state not in EDITABLE:
        raise Conflict("This post can no longer be edited.")
    if actor.can(Role.manager):
        return
    if not actor.can(Role.contributor) or post.author_id != actor.id:
        raise Forbidden("You can only edit your own posts.")
    if post.state == PostState.scheduled and not can_publish(actor):
        raise Forbidden("This post is approved: ask a manager to change it.")


def can_edit(post: Post, user: User) -> bool:
    """Whether ``user`` may change this post now (pages use it to show or hide buttons)."""
    try:
        check_can_edit(post, user)
    except (Conflict, Forbidden):
        return False
    return True


def allowed_actions(post: Post, user: User) -> set[str]:
    """What ``user`` may do with ``post`` right now: a page shows exactly these buttons."""
    actions: set[str] = set()
    editable = can_edit(post, user)
    if editable:
        actions |= {"edit", "cancel"}
        if post.state == PostState.draft:
            actions.add("submit")
            if can_publish(user):
                actions.add("schedule")
    if post.state == PostState.awaiting_approval and user.can(Role.manager):
        actions |= {"approve", "reject"}
    if can_publish(user) and any(d.state == "failed" for d in post.deliveries):
        actions.add("retry")
    return actions
