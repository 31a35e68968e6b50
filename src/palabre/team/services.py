"""Every change to workspaces, people, sessions and tokens."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from palabre.core.db import Database, utcnow
from palabre.core.errors import (
    Conflict,
    FieldErrors,
    Forbidden,
    Invalid,
    NotFound,
    TooManyAttempts,
)
from palabre.core.i18n import LANGUAGES
from palabre.core.security import hash_password, new_token, token_digest, verify_password
from palabre.core.timeutil import is_valid_timezone
from palabre.team import audit
from palabre.team.models import (
    ApiToken,
    AuditEntry,
    Role,
    SignInFailure,
    User,
    UserSession,
    Workspace,
)

MIN_PASSWORD = 10


def create_workspace(session: Session, *, name: str, timezone: str = "Europe/Paris") -> Workspace:
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", "Give the workspace a name.")
    if not is_valid_timezone(timezone):
        errors.add("timezone", "Unknown time zone: %(tz)s", tz=timezone)
    errors.raise_if_any()
    workspace = Workspace(name=name.strip(), timezone=timezone)
    session.add(workspace)
    session.flush()
    audit.record(
        session,
        workspace_id=workspace.id,
        actor=None,
        action="workspace.created",
        object_type="workspace",
        object_id=workspace.id,
        name=workspace.name,
    )
    return workspace


def update_workspace(
    session: Session,
    workspace: Workspace,
    *,
    name: str,
    timezone: str,
    language: str,
    actor: User,
) -> Workspace:
    require(actor, Role.manager)
    errors = FieldErrors()
    if not name.strip():
        errors.add("name", "Give the workspace a name.")
    if not is_valid_timezone(timezone):
        errors.add("timezone", "Unknown time zone: %(tz)s", tz=timezone)
    if language not in LANGUAGES:
        errors.add("language", "Unknown language.")
    errors.raise_if_any()
    changes = {
        k: v
        for k, v in {"name": name.strip(), "timezone": timezone, "language": language}.items()
        if getattr(workspace, k) != v
    }
    for key, value in changes.items():
        setattr(workspace, key, value)
    if changes:
        audit.record(
            session,
            workspace_id=workspace.id,
            actor=actor,
            action="workspace.updated",
            object_type="workspace",
            object_id=workspace.id,
            **changes,
        )
    session.flush()
    return workspace


def require(user: User, minimum: Role) -> None:
    if not user.can(minimum):
        raise Forbidden("Your role does not allow this.")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_password(errors: FieldErrors, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        errors.add("password", "The password needs at least %(n)s characters.", n=MIN_PASSWORD)


def create_user(
    session: Session,
    workspace: Workspace,
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    actor: User | None,
) -> User:
    """Add a person to the workspace. ``actor`` None means the command line."""
    if actor is not None:
        require(actor, Role.manager)
        if role == Role.owner and not actor.can(Role.owner):
            raise Forbidden("Only an owner can make someone an owner.")
    email = normalise_email(email)
    errors = FieldErrors()
    if "@" not in email or len(email) > 254 or " " in email:
        errors.add("email", "This does not look like an email address.")
    if role not in Role.__members__:
        errors.add("role", "Unknown role: %(role)s", role=role)
    validate_password(errors, password)
    errors.raise_if_any()
    if session.scalar(select(User.id).where(User.email == email)):
        raise Conflict("Someone already uses this email address.", field="email")
    user = User(
        workspace_id=workspace.id,
        email=email,
        name=name.strip() or email.split("@")[0],
        role=role,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        workspace_id=workspace.id,
        actor=actor,
        action="user.created",
        object_type="user",
        object_id=user.id,
        email=email,
        role=role,
    )
    return user


def change_role(session: Session, user: User, *, role: str, actor: User) -> User:
    require(actor, Role.manager)
    if role not in Role.__members__:
        raise Invalid({"role": ("Unknown role: %(role)s", {"role": role})})
    if Role.owner in (role, user.role) and not actor.can(Role.owner):
        raise Forbidden("Only an owner can give or take the owner role.")
    if role == user.role:
        return user  # nothing changes, nothing to record
    if user.role == Role.owner and role != Role.owner:
        _keep_one_owner(session, user)
    old, user.role = user.role, role
    audit.record(
        session,
        workspace_id=user.workspace_id,
        actor=actor,
        action="user.role_changed",
        object_type="user",
        object_id=user.id,
        old=old,
        new=role,
    )
    session.flush()
    return user


def set_active(session: Session, user: User, *, active: bool, actor: User) -> User:
    require(actor, Role.manager)
    if user.role == Role.owner and not actor.can(Role.owner):
        raise Forbidden("Only an owner can deactivate an owner.")
    if user.id == actor.id and not active:
        raise Conflict("You cannot deactivate yourself.")
    if user.role == Role.owner and not active:
        _keep_one_owner(session, user)
    user.active = active
    if not active:
        session.execute(delete(UserSession).where(UserSession.user_id == user.id))
        session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    audit.record(
        session,
        workspace_id=user.workspace_id,
        actor=actor,
        action="user.activated" if active else "user.deactivated",
        object_type="user",
        object_id=user.id,
    )
    session.flush()
    return user


def _keep_one_owner(session: Session, user: User) -> None:
    owners = session.scalar(
        select(func.count())
        .select_from(User)
        .where(
            User.workspace_id == user.workspace_id,
            User.role == Role.owner,
            User.active,
        )
    )
    if (owners or 0) <= 1:
        raise Conflict("A workspace needs at least one owner.")


def set_language(session: Session, user: User, language: str) -> None:
    if language not in LANGUAGES:
        raise Invalid({"language": ("Unknown language.", {})})
    if user.language != language:
        user.language = language
        audit.record(
            session,
            workspace_id=user.workspace_id,
            actor=user,
            action="user.language_changed",
            object_type="user",
            object_id=user.id,
            language=language,
        )
    session.flush()


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
    recent = (
        session.scalar(
            select(func.count())
            .select_from(SignInFailure)
            .where(
                or_(SignInFailure.email == email, SignInFailure.ip == ip),
                SignInFailure.at >= since,
            )
        )
        or 0
    )
    per_email = (
        session.scalar(
            select(func.count())
            .select_from(SignInFailure)
            .where(
                SignInFailure.email == email,
                SignInFailure.at >= since,
            )
        )
        or 0
    )
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


def get_user(session: Session, workspace_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.workspace_id != workspace_id:
        raise NotFound("No such person in this workspace.")
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


# -- people, tokens and the audit log, as the pages show them --------------------------
PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105


def generate_password(length: int = 16) -> str:
    """A random initial password, without look-alike characters (l, 1, O, 0)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def list_users(session: Session, workspace_id: int) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.workspace_id == workspace_id)
            .order_by(User.active.desc(), func.lower(User.name), User.id)
        )
    )


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


def audit_entries(
    session: Session,
    workspace_id: int,
    *,
    object_type: str | None = None,
    user_id: int | None = None,
    worker_only: bool = False,
    before_id: int | None = None,
    limit: int = 50,
) -> list[AuditEntry]:
    """Newest first. ``worker_only`` keeps what Palabre itself did (no person)."""
    query = select(AuditEntry).where(AuditEntry.workspace_id == workspace_id)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if worker_only:
        query = query.where(AuditEntry.user_id.is_(None))
    elif user_id is not None:
        query = query.where(AuditEntry.user_id == user_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))


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
