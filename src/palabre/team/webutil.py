"""Small helpers shared by the team and channel pages: confirmations after a redirect,
secrets shown exactly once, and errors shown on the page they came from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from palabre.core.errors import Invalid, PalabreError
from palabre.core.i18n import Translator
from palabre.core.security import KeyMismatch, SecretBox

ONCE_COOKIE = "palabre_once"


def tr_of(request: Request) -> Translator:
    tr: Translator = request.state.tr
    return tr


def done_redirect(
    request: Request, route: str, done: str, *, anchor: str = "main", **path: Any
) -> RedirectResponse:
    """After a change: back to a page (303) that confirms it with ``?done=<key>``.

    The anchor is explicit: otherwise the browser keeps the form's own (``#tokens``) and
    the confirmation at the top of the page would be out of sight.
    """
    url = request.url_for(route, **path).include_query_params(done=done)
    return RedirectResponse(f"{url}#{anchor}", status_code=303)


def flashes_for(request: Request, messages: dict[str, str]) -> list[tuple[str, str]]:
    """The confirmation named by ``?done=``; unknown keys show nothing (no text injection)."""
    key = request.query_params.get("done", "")
    if key in messages:
        return [("success", tr_of(request).gettext(messages[key]))]
    return []


def error_flash(request: Request, exc: PalabreError) -> list[tuple[str, str]]:
    return [("error", tr_of(request).gettext(exc.message, **exc.params))]


def refused(
    request: Request, exc: PalabreError, form: dict[str, Any] | None = None
) -> dict[str, Any]:
    """What a page shows after refusing a change: the status and the message on top; given
    the form as typed, that form again with each field's message beside it."""
    shown: dict[str, Any] = {"status": exc.status, "flashes": error_flash(request, exc)}
    if form is not None:
        shown |= {"form": form, "errors": field_errors(request, exc)}
    return shown


def field_errors(request: Request, exc: PalabreError) -> dict[str, str]:
    """Messages by field name, translated, to show next to each field."""
    tr = tr_of(request)
    if isinstance(exc, Invalid):
        return {field: tr.gettext(msg, **params) for field, (msg, params) in exc.errors.items()}
    if exc.field:
        return {exc.field: tr.gettext(exc.message, **exc.params)}
    return {}


# -- a secret (a new password, a new API token) shown once after the redirect ------------
def set_once(response: Response, box: SecretBox, *, user_id: int, kind: str, **data: Any) -> None:
    """Encrypted with the instance key, HttpOnly, for a few minutes: read once, then gone."""
    value = box.encrypt({"uid": user_id, "kind": kind, **data})
    response.set_cookie(ONCE_COOKIE, value, max_age=300, httponly=True, samesite="strict")


def show_once(
    request: Request,
    box: SecretBox,
    *,
    user_id: int,
    kind: str,
    page: Callable[[dict[str, Any] | None], Response],
) -> Response:
    """Render ``page`` with the secret ``set_once`` left for this person, if any; once
    shown, it is forgotten and the page is not cached."""
    once = pop_once(request, box, user_id=user_id, kind=kind)
    response = page(once)
    forget_once(response, shown=once is not None)
    return response


def pop_once(request: Request, box: SecretBox, *, user_id: int, kind: str) -> dict[str, Any] | None:
    raw = request.cookies.get(ONCE_COOKIE)
    if not raw:
        return None
    try:
        data = box.decrypt(raw)
    except (KeyMismatch, ValueError):
        return None
    if data.get("uid") != user_id or data.get("kind") != kind:
        return None
    return data


def forget_once(response: Response, *, shown: bool) -> None:
    if shown:
        response.delete_cookie(ONCE_COOKIE)
        response.headers["Cache-Control"] = "no-store"
