"""The main menu: a few sections, as a community manager thinks of the work, each with
its pages, and what the reader's role lets them open (base.html draws it).

Which page is the current one is worked out from the route that answers (its name and its
path pattern), never from the address asked for: a layout cached per route
(``publishing/cached.py``) then marks the same entry for every address of that route.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi import Request

from palabre.core.i18n import N_

if TYPE_CHECKING:
    from palabre.team.models import User


def _everyone(user: User) -> bool:
    return True


def _writers(user: User) -> bool:
    return user.role != "viewer"


def _auditors(user: User) -> bool:
    return user.can_see_audit


@dataclass(frozen=True, slots=True)
class Entry:
    endpoint: str
    label: str  # English msgid, translated by the template
    badge: str | None = None  # the ``Alerts`` count shown on it (and on its section)
    shown: Callable[[User], bool] = _everyone
    also: tuple[str, ...] = ()  # other path prefixes whose pages belong to it


@dataclass(frozen=True, slots=True)
class Section:
    key: str  # in the HTML ids
    label: str
    entries: tuple[Entry, ...]


SECTIONS = (
    Section(
        "conversations",
        N_("Conversations"),
        (
            Entry("inbox_page", N_("Inbox"), badge="inbox"),
            Entry("suggestions_page", N_("Suggestions"), badge="suggestions"),
        ),
    ),
    Section(
        "publish",
        N_("Publish"),
        (
            Entry("compose_page", N_("Compose"), shown=_writers),
            Entry("calendar_page", N_("Calendar")),
            Entry("approvals_page", N_("Approvals")),
            Entry("posts_page", N_("Posts")),
        ),
    ),
    Section(
        "automate",
        N_("Automate"),
        (
            Entry("sources_page", N_("Sources")),
            Entry("automations_page", N_("Automations")),
        ),
    ),
    Section(
        "workspace",
        N_("Workspace"),
        (
            Entry("channels_page", N_("Channels"), also=("/guardrails/",)),
            Entry("team_page", N_("Team")),
            Entry("audit_page", N_("Audit log"), shown=_auditors),
            Entry("settings_page", N_("Settings")),
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class Link:
    entry: Entry
    current: str | None  # aria-current: "page" (this page), "true" (a page under it)


@dataclass(frozen=True, slots=True)
class MenuSection:
    section: Section
    links: tuple[Link, ...]

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)

    def badges(self, alerts: Any) -> list[tuple[str, int]]:
        """The counts of its entries that are not zero, to show on the section's label."""
        names = [link.entry.badge for link in self.links if link.entry.badge]
        counts = [(name, getattr(alerts, name, 0)) for name in names]
        return [(name, n) for name, n in counts if n]


def _path_of(request: Request, endpoint: str) -> str:
    """An entry's path, worked out once per process (``url_path_for`` walks the routes)."""
    state = request.app.state
    paths: dict[str, str] | None = getattr(state, "palabre_menu_paths", None)
    if paths is None:
        paths = state.palabre_menu_paths = {}
    path = paths.get(endpoint)
    if path is None:
        path = paths[endpoint] = str(request.app.url_path_for(endpoint))
    return path


def _current(request: Request, entry: Entry, name: str | None, pattern: str) -> str | None:
    if name == entry.endpoint:
        return "page"
    prefixes = (_path_of(request, entry.endpoint) + "/", *entry.also)
    return "true" if pattern.startswith(prefixes) else None


def main_menu(request: Request, user: User) -> list[MenuSection]:
    """The sections ``user`` sees (entries their role may open), the current page marked."""
    route = request.scope.get("route")
    name, pattern = getattr(route, "name", None), getattr(route, "path", "")
    menu = []
    for section in SECTIONS:
        links = tuple(
            Link(e, _current(request, e, name, pattern)) for e in section.entries if e.shown(user)
        )
        if links:
            menu.append(MenuSection(section, links))
    return menu
