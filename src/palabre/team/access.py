"""Who may come in: signing in (throttled), browser sessions and API tokens."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from palabre.core.db import Database, utcnow
from palabre.core.errors import NotFound, TooManyAttempts
from palabre.core.security import new_token, token_digest, verify_password
from palabre.team import audit
from palabre.team.models import ApiToken, Role, SignInFailure, User, UserSession
from palabre.team.services import normalise_email, require


# -- signing in -----------------------------------------------------------------------
def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    ip: str,
    max_failures: int,
    window_seconds: int,
    now: datetime | None = None,
) -> User | None:
    """The user if the password is right; None otherwise. Throttled per email and per IP."""
    now = now or utcnow()
    email = normalise_email(email)
    since = now - timedelta(seconds=window_seconds)
    session.execute(delete(SignInFailure).where(SignInFailure.at < since))
    recent = _failures(session, or_(SignInFailure.email == email, SignInFailure.ip == ip), since)
    per_email = _failures(session, SignInFailure.email == email, since)
    if per_email >= max_failures or recent >= max_failures * 4:
        raise TooManyAttempts(
            "Too many failed attempts. Wait %(minutes)s minutes and try again.",
            minutes=max(1, window_seconds // 60),
        )
    user = session.scalar(select(User).where(User.email == email))
    if user is not None and user.active and verify_password(user.password_hash, password):
        session.execute(delete(SignInFailure).where(SignInFailure.email == email))
        return user
    if user is None:
        verify_password(None, password)  # same cost as a real check
    session.add(SignInFailure(email=email, ip=ip, at=now))
    session.flush()
    return None


def _failures(session: Session, who: ColumnElement[bool], since: datetime) -> int:
    """Failed sign-ins matching ``who`` since ``since``."""
    query = select(func.count()).select_from(SignInFailure).where(who, SignInFailure.at >= since)
    return session.scalar(query) or 0


# -- browser sessions -----------------------------------------------------------------
def start_session(session: Session, user: User, *, days: int) -> tuple[str, UserSession]:
    token = new_token()
    row = UserSession(
        token_hash=token_digest(token),
        user_id=user.id,
        csrf_token=new_token(24),
        expires_at=utcnow() + timedelta(days=days),
    )
    session.add(row)
    audit.record(
        session,
        workspace_id=user.workspace_id,
        actor=user,
        action="user.signed_in",
        object_type="user",
        object_id=user.id,
    )
    session.flush()
    return token, row


def session_for(session: Session, token: str | None) -> UserSession | None:
    if not token:
        return None
    row = session.scalar(select(UserSession).where(UserSession.token_hash == token_digest(token)))
    if row is None or row.expires_at < utcnow() or not row.user.active:
        return None
    return row


def end_session(session: Session, token: str) -> None:
    row = session.scalar(select(UserSession).where(UserSession.token_hash == token_digest(token)))
    if row is not None:
        audit.record(
            session,
            workspace_id=row.user.workspace_id,
            actor=row.user,
            action="user.signed_out",
            object_type="user",
            object_id=row.user_id,
        )
        session.delete(row)
        session.flush()


# -- API tokens -----------------------------------------------------------------------
def create_api_token(session: Session, user: User, *, name: str = "") -> str:
    token = "plb_" + new_token()
    session.add(ApiToken(token_hash=token_digest(token), user_id=user.id, name=name[:100]))
    audit.record(
        session,
        workspace_id=user.workspace_id,
        actor=user,
        action="token.created",
        object_type="user",
        object_id=user.id,
        name=name,
    )
    session.flush()
    return token


def token_for(session: Session, token: str) -> ApiToken | None:
    """The API token row, if the token is known and its owner active."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(token)))
    if row is None or not row.user.active:
        return None
    return row


def user_for_token(session: Session, token: str) -> User | None:
    row = token_for(session, token)
    return row.user if row else None


def list_api_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_api_token(session: Session, token_id: int, *, actor: User) -> ApiToken:
    """A person revokes their own token; a manager may revoke any token of the workspace."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user.workspace_id != actor.workspace_id:
        raise NotFound("No such API token.")
    if row.user_id != actor.id:
        require(actor, Role.manager)
    audit.record(
        session,
        workspace_id=actor.workspace_id,
        actor=actor,
        action="token.revoked",
        object_type="user",
        object_id=row.user_id,
        name=row.name,
    )
    session.delete(row)
    session.flush()
    return row


TOKEN_USE_PRECISION = timedelta(minutes=5)


def token_use_is_stale(row: ApiToken) -> bool:
    """Whether the 'last used' time shown on the settings page needs a write."""
    return row.last_used_at is None or row.last_used_at < utcnow() - TOKEN_USE_PRECISION


def note_token_use(db: Database, token: str, *, every_seconds: int = 300) -> None:
    """Remember when a token was last used (shown on the settings page).

    Its own short write, at most once per ``every_seconds`` per token, so that read-only
    API calls stay reads. Meant to be called once a Bearer token has been accepted.
    """
    now = utcnow()
    with db.transaction() as session:
        session.execute(
            update(ApiToken)
            .where(
                ApiToken.token_hash == token_digest(token),
                or_(
                    ApiToken.last_used_at.is_(None),
                    ApiToken.last_used_at < now - timedelta(seconds=every_seconds),
                ),
            )
            .values(last_used_at=now)
        )
