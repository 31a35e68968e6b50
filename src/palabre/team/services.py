"""Every change to workspaces and the people in them, and what the team pages list."""

from __future__ import annotations

import secrets

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from palabre.core.errors import (
    Conflict,
    FieldErrors,
    Forbidden,
    Invalid,
    NotFound,
)
from palabre.core.i18n import LANGUAGES
from palabre.core.security import hash_password
from palabre.core.timeutil import is_valid_timezone
from palabre.team import audit
from palabre.team.models import (
    ApiToken,
    AuditEntry,
    Role,
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


def get_user(session: Session, workspace_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.workspace_id != workspace_id:
        raise NotFound("No such person in this workspace.")
    return user


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


# -- people and the audit log, as the pages show them ---------------------------------
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
