"""Pages: team, audit log, settings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from palabre.core.deps import PageManager, PageUser, RuntimeDep, SessionDep
from palabre.core.errors import Forbidden, PalabreError
from palabre.core.i18n import N_
from palabre.core.params import whole
from palabre.core.templating import render
from palabre.team import services
from palabre.team.audit_text import OBJECT_TYPES, ROLE_HELP, ROLE_LABELS, Describer
from palabre.team.models import Role, User
from palabre.team.settings_views import router as settings_router
from palabre.team.webutil import done_redirect, flashes_for, refused, set_once, show_once, tr_of

router = APIRouter()
router.include_router(settings_router)

TEAM_DONE = {
    "added": N_("The person was added."),
    "role": N_("The role was changed."),
    "duty": N_("Who is on duty was changed."),
    "deactivated": N_("The person was deactivated: they can no longer sign in."),
    "activated": N_("The person was reactivated: they can sign in again."),
}
AUDIT_PAGE_SIZE = 50


# -- team ------------------------------------------------------------------------------
def assignable_roles(actor: User) -> list[str]:
    """The roles this person may give: only owners give the owner role."""
    roles = [r.value for r in Role]
    return roles if actor.can(Role.owner) else [r for r in roles if r != Role.owner]


def can_manage(actor: User, person: User) -> bool:
    """Whether the page offers to change this person's role or status."""
    if not actor.can(Role.manager):
        return False
    return person.role != Role.owner or actor.can(Role.owner)


def _team(
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
    return render(
        request,
        "team/team.html",
        {
            "people": services.list_users(session, user.workspace_id),
            "roles": [r.value for r in Role],
            "role_labels": ROLE_LABELS,
            "role_help": ROLE_HELP,
            "assignable": assignable_roles(user),
            "can_manage": can_manage,
            "is_manager": user.can(Role.manager),
            "min_password": services.MIN_PASSWORD,
            "flashes": flashes if flashes is not None else flashes_for(request, TEAM_DONE),
            "errors": errors or {},
            "form": form or {"role": "contributor"},
            "once": once,
        },
        status_code=status,
    )


@router.get("/team", name="team_page")
def team_page(request: Request, session: SessionDep, user: PageUser, rt: RuntimeDep) -> Response:
    return show_once(
        request,
        rt.box,
        user_id=user.id,
        kind="password",
        page=lambda once: _team(request, session, user, once=once),
    )


@router.post("/team/users", name="team_add_user")
def team_add_user(
    request: Request,
    session: SessionDep,
    user: PageManager,
    rt: RuntimeDep,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "contributor",
    password: Annotated[str, Form()] = "",
) -> Response:
    generated = not password
    initial = services.generate_password() if generated else password
    try:
        person = services.create_user(
            session,
            user.workspace,
            email=email,
            name=name,
            role=role,
            password=initial,
            actor=user,
        )
    except PalabreError as exc:
        session.rollback()
        form = {"email": email, "name": name, "role": role}
        return _team(request, session, user, **refused(request, exc, form))
    session.commit()
    response = done_redirect(request, "team_page", "added")
    if generated:
        set_once(
            response,
            rt.box,
            user_id=user.id,
            kind="password",
            name=person.name,
            email=person.email,
            password=initial,
        )
    return response


@router.post("/team/users/{person_id}/role", name="team_change_role")
def team_change_role(
    request: Request,
    session: SessionDep,
    user: PageManager,
    person_id: int,
    role: Annotated[str, Form()] = "",
) -> Response:
    try:
        person = services.get_user(session, user.workspace_id, person_id)
        services.change_role(session, person, role=role, actor=user)
    except PalabreError as exc:
        session.rollback()
        return _team(request, session, user, **refused(request, exc))
    session.commit()
    return done_redirect(request, "team_page", "role")


@router.post("/team/users/{person_id}/active", name="team_set_active")
def team_set_active(
    request: Request,
    session: SessionDep,
    user: PageManager,
    person_id: int,
    active: Annotated[str, Form()] = "",
) -> Response:
    wanted = active in {"1", "true", "on", "yes"}
    try:
        person = services.get_user(session, user.workspace_id, person_id)
        services.set_active(session, person, active=wanted, actor=user)
    except PalabreError as exc:
        session.rollback()
        return _team(request, session, user, **refused(request, exc))
    session.commit()
    return done_redirect(request, "team_page", "activated" if wanted else "deactivated")


# -- audit log -------------------------------------------------------------------------
@router.get("/audit", name="audit_page")
def audit_page(
    request: Request,
    session: SessionDep,
    user: PageUser,
    type: str = "",
    person: str = "",
    before_id: str = "",
) -> Response:
    if not user.can_see_audit:
        raise Forbidden("Only managers and owners can read the audit log.")
    object_type = type if type in OBJECT_TYPES else None
    entries = services.audit_entries(
        session,
        user.workspace_id,
        object_type=object_type,
        user_id=whole(person),
        worker_only=person == "palabre",
        before_id=whole(before_id),
        limit=AUDIT_PAGE_SIZE + 1,
    )
    more = len(entries) > AUDIT_PAGE_SIZE
    entries = entries[:AUDIT_PAGE_SIZE]
    describer = Describer(session, tr_of(request), entries)
    older = None
    if more:
        params = {k: v for k, v in {"type": type, "person": person}.items() if v}
        older = request.url_for("audit_page").include_query_params(
            **params, before_id=entries[-1].id
        )
    return render(
        request,
        "team/audit.html",
        {
            "lines": [describer.line(e) for e in entries],
            "object_types": OBJECT_TYPES,
            "people": services.list_users(session, user.workspace_id),
            "selected_type": object_type or "",
            "selected_person": person,
            "older": str(older) if older else None,
            "paged": bool(before_id),
        },
    )
