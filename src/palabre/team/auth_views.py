"""Signing in and out, and choosing the interface language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from palabre.core.deps import (
    LANG_COOKIE,
    SESSION_COOKIE,
    CsrfFailed,
    PageUser,
    RuntimeDep,
    SessionDep,
)
from palabre.core.errors import TooManyAttempts
from palabre.core.i18n import LANGUAGES, Translator
from palabre.core.security import new_token, same
from palabre.core.templating import render
from palabre.team import access, services

router = APIRouter()
SIGNIN_CSRF_COOKIE = "palabre_signin_csrf"


def _safe_next(value: str | None) -> str:
    """Only a path on this site; never an absolute URL (no open redirect)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def _signin_form(
    request: Request,
    *,
    status: int = 200,
    error: str | None = None,
    email: str = "",
    next_url: str = "/",
) -> Response:
    token = request.cookies.get(SIGNIN_CSRF_COOKIE) or new_token(24)
    response = render(
        request,
        "team/signin.html",
        {"signin_csrf": token, "error": error, "email": email, "next": _safe_next(next_url)},
        status_code=status,
    )
    response.set_cookie(
        SIGNIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/signin", name="signin_page")
def signin_page(request: Request, next: str = "/") -> Response:
    return _signin_form(request, next_url=next)


@router.post("/signin", name="signin")
def signin(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    tr: Translator = request.state.tr
    cookie = request.cookies.get(SIGNIN_CSRF_COOKIE, "")
    if not cookie or not same(cookie, csrf_token):
        return _signin_form(
            request,
            status=403,
            email=email,
            next_url=next,
            error=tr.gettext("This form has expired. Please try again."),
        )
    settings = runtime.settings
    ip = request.client.host if request.client else "?"
    try:
        user = access.authenticate(
            session,
            email=email,
            password=password,
            ip=ip,
            max_failures=settings.signin_max_failures,
            window_seconds=settings.signin_window_seconds,
        )
    except TooManyAttempts as exc:
        session.commit()
        return _signin_form(
            request,
            status=429,
            email=email,
            next_url=next,
            error=tr.gettext(exc.message, **exc.params),
        )
    if user is None:
        session.commit()  # keep the failure for the throttle
        return _signin_form(
            request,
            status=401,
            email=email,
            next_url=next,
            error=tr.gettext("Wrong email or password."),
        )
    token, _row = access.start_session(session, user, days=settings.session_days)
    session.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies or request.url.scheme == "https",
        max_age=settings.session_days * 86400,
    )
    response.delete_cookie(SIGNIN_CSRF_COOKIE)
    return response


@router.post("/signout", name="signout")
def signout(request: Request, session: SessionDep, user: PageUser) -> Response:
    access.end_session(session, request.cookies.get(SESSION_COOKIE, ""))
    session.commit()
    response = RedirectResponse(str(request.url_for("signin_page")), status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/language", name="set_language")
def set_language(
    request: Request,
    session: SessionDep,
    language: Annotated[str, Form()] = "fr",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Works signed in (saved on the person) or not (a cookie, from the sign-in page)."""
    row = access.session_for(session, request.cookies.get(SESSION_COOKIE))
    expected = row.csrf_token if row else request.cookies.get(SIGNIN_CSRF_COOKIE, "")
    if not expected or not same(expected, csrf_token):
        raise CsrfFailed()
    language = language if language in LANGUAGES else "fr"
    if row is not None:
        services.set_language(session, row.user, language)
        session.commit()
    back = request.headers.get("referer") or "/"
    target = _safe_next("/" + back.split("/", 3)[3] if back.count("/") >= 3 else "/")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANG_COOKIE, language, httponly=True, samesite="lax", max_age=365 * 86400)
    return response
