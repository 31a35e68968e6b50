"""FastAPI dependencies: the database session, who is asking, and what they may do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from palabre.core.db import utcnow
from palabre.core.errors import Forbidden, Unauthorized
from palabre.core.fastread import Reads
from palabre.core.i18n import pick_language, translator_for
from palabre.core.runtime import Runtime
from palabre.core.security import same
from palabre.team import access
from palabre.team.models import Role, User

SESSION_COOKIE = "palabre_session"
LANG_COOKIE = "palabre_lang"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class SignInRequired(Exception):
    """A page needs a signed-in person: they are sent to the sign-in page."""


class CsrfFailed(Exception):
    pass


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def db_session(request: Request, runtime: RuntimeDep) -> Iterator[Session]:
    """Views commit explicitly after calling a service; anything uncommitted is rolled back."""
    session = runtime.db.session(write=request.method not in SAFE_METHODS)
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(db_session)]


def fast_reads(request: Request) -> Reads:
    """This app's connection for checking sessions on the event loop (``core.fastread``)."""
    state = request.app.state
    reads: Reads | None = getattr(state, "palabre_fast_reads", None)
    if reads is None:
        reads = state.palabre_fast_reads = Reads(get_runtime(request).db.read_engine)
    return reads


@contextmanager
def signed_in(request: Request) -> Iterator[tuple[Session, User]]:
    """What ``SessionDep`` and ``PageUser`` give a page route, for the GET routes that
    first try the cache on the event loop and come here (in the thread pool) otherwise."""
    if request.method not in SAFE_METHODS:
        raise RuntimeError("signed_in is for pages read with GET; forms need the CSRF check")
    session = get_runtime(request).db.session(write=False)
    try:
        yield session, page_user(request, session)
    finally:
        session.close()


def _adopt(request: Request, user: User) -> None:
    request.state.user = user
    request.state.tr = translator_for(
        pick_language(user.language, request.cookies.get(LANG_COOKIE), user.workspace.language)
    )


def page_user(request: Request, session: SessionDep) -> User:
    row = access.session_for(session, request.cookies.get(SESSION_COOKIE))
    if row is None:
        raise SignInRequired()
    request.state.csrf_token = row.csrf_token
    _adopt(request, row.user)
    return row.user


async def csrf_protect(request: Request, user: Annotated[User, Depends(page_user)]) -> User:
    """Every form and HTMX request that changes something carries the session's token."""
    if request.method in SAFE_METHODS:
        return user
    sent = request.headers.get("x-csrf-token")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if not sent or not same(sent, request.state.csrf_token):
        raise CsrfFailed()
    return user


PageUser = Annotated[User, Depends(csrf_protect)]


def api_user(request: Request, session: SessionDep, runtime: RuntimeDep) -> User:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Send a personal API token: 'Authorization: Bearer <token>'.")
    row = access.token_for(session, token.strip())
    if row is None:
        raise Unauthorized("This API token is unknown or was revoked.")
    if access.token_use_is_stale(row):  # a write only every few minutes per token
        if request.method in SAFE_METHODS:
            access.note_token_use(runtime.db, token.strip())  # a read request: its own write
        else:
            row.last_used_at = utcnow()  # saved with the request's own changes
    _adopt(request, row.user)
    return row.user


ApiUser = Annotated[User, Depends(api_user)]


def at_least(role: Role) -> Callable[[User], None]:
    def check(user: User) -> None:
        if not user.can(role):
            raise Forbidden("Your role does not allow this.")

    return check


def page_role(role: Role) -> Callable[..., User]:
    def dependency(user: PageUser) -> User:
        at_least(role)(user)
        return user

    return dependency


def api_role(role: Role) -> Callable[..., User]:
    def dependency(user: ApiUser) -> User:
        at_least(role)(user)
        return user

    return dependency


PageManager = Annotated[User, Depends(page_role(Role.manager))]
PageContributor = Annotated[User, Depends(page_role(Role.contributor))]
ApiManager = Annotated[User, Depends(api_role(Role.manager))]
ApiContributor = Annotated[User, Depends(api_role(Role.contributor))]
