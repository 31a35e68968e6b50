"""Calendar and approval pages kept rendered (``core/pagecache.py``): their content per
workspace data version, and the layout around it per person; served by ``cached_hit`` on
the event loop with one query when both are there, else by ``cached_page``."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from palabre.core import pagecache
from palabre.core.deps import LANG_COOKIE, SESSION_COOKIE, fast_reads
from palabre.core.fastread import Reader
from palabre.core.i18n import pick_language
from palabre.core.pagecache import PageCache
from palabre.core.templating import template_context, templates
from palabre.publishing.pages import flashes_of, labels, translator
from palabre.team.models import User

# Where the reader's CSRF token, the page's title and its content go in the cached HTML
# (the token is never stored in the cache); random, so that no post's text can name them.
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(12)}"
TITLE_SLOT = f"title-slot-{secrets.token_hex(12)}"
CONTENT_SLOT = f"content-slot-{secrets.token_hex(12)}"

# A cached piece of HTML, encoded, cut where the reader's CSRF token goes.
Pieces = tuple[bytes, ...]


def page_cache(request: Request) -> PageCache:
    """This process's cache of rendered fragments (one per app)."""
    state = request.app.state
    cache: PageCache | None = getattr(state, "palabre_page_cache", None)
    if cache is None:
        cache = state.palabre_page_cache = PageCache()
    return cache


def _pieces(html: str) -> Pieces:
    return tuple(part.encode() for part in html.split(CSRF_SLOT))


def _content_key(
    request: Request, name: str, ws: int, tz: str, lang: str, key: tuple[Hashable, ...]
) -> tuple[Hashable, ...]:
    return (name, ws, tz, lang, str(request.base_url), *key)


def _layout_key(
    request: Request, lang: str, who: tuple[Hashable, ...], badges: tuple[int, int, int]
) -> tuple[Hashable, ...]:
    """The layout around a cached page shows the person (``who``: id, role, name, their
    workspace's name), the menu's badges (unread notices, suggestions waiting, conversations
    to handle: written by the worker without changing any page's data), the menu with this
    page marked, and for managers the channels to reconnect (which change the workspace's
    data version)."""
    route = request.scope.get("route")
    return ("layout", getattr(route, "name", None), lang, str(request.base_url), *who, *badges)


def _html(layout: tuple[Pieces, ...], content: tuple[Pieces, ...], csrf_token: str) -> Response:
    token = str(escape(csrf_token)).encode()
    head, middle, tail = layout
    title, body = content
    parts = (head, title, middle, body, tail)
    return Response(b"".join(token.join(p) for p in parts), media_type="text/html")


def cached_page(
    request: Request,
    session: Session,
    user: User,
    name: str,
    key: tuple[Hashable, ...],
    build: Callable[[], dict[str, Any]],
) -> Response:
    """Page ``name`` whose title and content blocks come from the cache while the
    workspace's data version is unchanged; ``build`` makes their context on a miss.

    ``key`` names what the content depends on besides the workspace's data, its time zone,
    the reading language and the site's address (always part of the key); the reader's
    CSRF token is put in after. The layout around it is cached too, per person (see
    ``_layout_key``), unless it shows a confirmation (``?done=``). ``cached_hit`` serves
    the same bytes without this function's queries.
    """
    version = pagecache.data_version(session, user.workspace_id)  # before the page's data
    tr = translator(request)
    ws = user.workspace
    cache = page_cache(request)
    content_key = _content_key(request, name, ws.id, ws.timezone, tr.lang, key)
    content = cache.get(content_key, version)
    if content is None:
        content = _render_content(request, name, build)
        cache.put(content_key, version, content)
    from palabre.team.alerts import alerts_for  # (team imports core)

    alerts = alerts_for(user)  # read after the version: as new as it, or newer
    plain = "done" not in request.query_params
    who = (user.id, user.role, user.name, ws.name)
    layout_key = _layout_key(request, tr.lang, who, alerts.badges)
    layout = cache.get(layout_key, version) if plain else None
    if layout is None:
        layout = _render_layout(request, alerts)
        if plain:
            cache.put(layout_key, version, layout)
    return _html(layout, content, getattr(request.state, "csrf_token", ""))


def _render_content(
    request: Request, name: str, build: Callable[[], dict[str, Any]]
) -> tuple[Pieces, Pieces]:
    template = templates.get_template(name)
    ctx = template_context(request, {**labels(request), **build(), "csrf_token": CSRF_SLOT})
    title, content = (
        "".join(template.blocks[block](template.new_context(ctx))) for block in ("title", "content")
    )
    return _pieces(title), _pieces(content)


def _render_layout(request: Request, alerts: Any) -> tuple[Pieces, Pieces, Pieces]:
    """base.html around slots for the title and the content (and the CSRF token)."""
    slots = {
        "cached_title": Markup(TITLE_SLOT),  # noqa: S704 (a constant)
        "cached_content": Markup(CONTENT_SLOT),  # noqa: S704 (a constant)
        "csrf_token": CSRF_SLOT,
        "alerts": alerts,
    }
    ctx = template_context(request, {**labels(request), **flashes_of(request, {}), **slots})
    html = templates.get_template("publishing/_cached.html").render(ctx)
    head, found, rest = html.partition(TITLE_SLOT)
    middle, found_too, tail = rest.partition(CONTENT_SLOT)
    if not (found and found_too):  # base.html lost its title or content block
        raise RuntimeError("the layout has no place for a cached page's title or content")
    return _pieces(head), _pieces(middle), _pieces(tail)


def cached_hit(
    request: Request, name: str, key: Callable[[Reader, str], tuple[Hashable, ...]]
) -> Response | None:
    """Page ``name`` from the cache, on the event loop, with the one query of
    ``core.fastread`` (the session checked, the data version read); ``None`` when it is not
    there in full (the ordinary path then renders and stores it). ``key(reader, tz)`` is
    what the page's ``cached_page`` call is given as its key."""
    if "done" in request.query_params:
        return None
    reader = fast_reads(request).reader(request.cookies.get(SESSION_COOKIE))
    if reader is None:
        return None
    lang = pick_language(
        reader.language, request.cookies.get(LANG_COOKIE), reader.workspace_language
    )
    cache = page_cache(request)
    tz = reader.timezone
    content_key = _content_key(request, name, reader.workspace_id, tz, lang, key(reader, tz))
    content = cache.get(content_key, reader.version)
    if content is None:
        return None
    who = (reader.id, reader.role, reader.name, reader.workspace_name)
    layout = cache.get(_layout_key(request, lang, who, reader.badges), reader.version)
    if layout is None:
        return None
    return _html(layout, content, reader.csrf_token)
