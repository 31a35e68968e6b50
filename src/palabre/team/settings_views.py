"""The settings page: the workspace, the person's language, their API tokens."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from palabre.core.deps import LANG_COOKIE, PageManager, PageUser, RuntimeDep, SessionDep
from palabre.core.errors import PalabreError
from palabre.core.i18n import N_
from palabre.core.templating import render
from palabre.core.timeutil import is_valid_timezone
from palabre.team import access, services
from palabre.team.models import Role, User
from palabre.team.webutil import done_redirect, flashes_for, refused, set_once, show_once

router = APIRouter()

SETTINGS_DONE = {
    "workspace": N_("The workspace settings were saved."),
    "language": N_("Your language was saved."),
    "token": N_("The API token was created."),
    "revoked": N_("The API token was revoked: it no longer works."),
}
COMMON_TIMEZONES = [
    "Europe/Paris",
    "Europe/Brussels",
    "Europe/Zurich",
    "Europe/Luxembourg",
    "Europe/Monaco",
    "America/Montreal",
    "America/Toronto",
    "Africa/Dakar",
    "Africa/Abidjan",
    "Africa/Casablanca",
    "Africa/Tunis",
    "Africa/Algiers",
    "Indian/Reunion",
    "Indian/Mayotte",
    "America/Martinique",
    "America/Guadeloupe",
    "America/Cayenne",
    "Pacific/Noumea",
    "Pacific/Tahiti",
    "Europe/London",
    "UTC",
]


@lru_cache
def timezone_choices() -> tuple[list[str], list[str]]:
    """The common zones first, then every other IANA zone, alphabetically."""
    from zoneinfo import available_timezones

    common = [tz for tz in COMMON_TIMEZONES if is_valid_timezone(tz)]
    others = sorted(
        tz for tz in available_timezones() if tz not in common and "/" in tz and "Etc/" not in tz
    )
    return common, others


def _settings(
    request: Request,
    session: Session,
    user: User,
    *,
    status: int = 200,
    flashes: list[tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, Any] | None = None,
    once: dict[str, Any] | None = None,
) -> Response:
    common, others = timezone_choices()
    ws = user.workspace
    return render(
        request,
        "team/settings.html",
        {
            "can_edit_workspace": user.can(Role.manager),
            "common_timezones": common,
            "other_timezones": others,
            "tokens": access.list_api_tokens(session, user),
            "flashes": flashes if flashes is not None else flashes_for(request, SETTINGS_DONE),
            "errors": errors or {},
            "form": {"name": ws.name, "timezone": ws.timezone, "language": ws.language}
            | (form or {}),
            "once": once,
            "api_base": str(request.url_for("dashboard")).rstrip("/") + "/api/v1",
        },
        status_code=status,
    )


@router.get("/settings", name="settings_page")
def settings_page(
    request: Request, session: SessionDep, user: PageUser, rt: RuntimeDep
) -> Response:
    return show_once(
        request,
        rt.box,
        user_id=user.id,
        kind="token",
        page=lambda once: _settings(request, session, user, once=once),
    )


@router.post("/settings/workspace", name="settings_workspace")
def settings_workspace(
    request: Request,
    session: SessionDep,
    user: PageManager,
    name: Annotated[str, Form()] = "",
    timezone: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
) -> Response:
    try:
        services.update_workspace(
            session, user.workspace, name=name, timezone=timezone, language=language, actor=user
        )
    except PalabreError as exc:
        session.rollback()
        form = {"name": name, "timezone": timezone, "language": language}
        return _settings(request, session, user, **refused(request, exc, form))
    session.commit()
    return done_redirect(request, "settings_page", "workspace")


@router.post("/settings/language", name="settings_language")
def settings_language(
    request: Request,
    session: SessionDep,
    user: PageUser,
    language: Annotated[str, Form()] = "",
) -> Response:
    try:
        services.set_language(session, user, language)
    except PalabreError as exc:
        session.rollback()
        return _settings(request, session, user, **refused(request, exc))
    session.commit()
    response = done_redirect(request, "settings_page", "language")
    response.set_cookie(LANG_COOKIE, language, httponly=True, samesite="lax", max_age=365 * 86400)
    return response


@router.post("/settings/tokens", name="settings_create_token")
def settings_create_token(
    request: Request,
    session: SessionDep,
    user: PageUser,
    rt: RuntimeDep,
    name: Annotated[str, Form()] = "",
) -> Response:
    name = name.strip()
    if not name or len(name) > 100:
        message = request.state.tr.gettext(
            "Give the token a name (up to 100 characters), e.g. the tool that will use it."
        )
        return _settings(
            request,
            session,
            user,
            status=422,
            errors={"token_name": message},
            form={"token_name": name},
            flashes=[("error", message)],
        )
    token = access.create_api_token(session, user, name=name)
    session.commit()
    response = done_redirect(request, "settings_page", "token", anchor="new-token")
    set_once(response, rt.box, user_id=user.id, kind="token", name=name, token=token)
    return response


@router.post("/settings/tokens/{token_id}/revoke", name="settings_revoke_token")
def settings_revoke_token(
    request: Request, session: SessionDep, user: PageUser, token_id: int
) -> Response:
    access.revoke_api_token(session, token_id, actor=user)
    session.commit()
    return done_redirect(request, "settings_page", "revoked")
