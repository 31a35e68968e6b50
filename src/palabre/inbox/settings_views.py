"""Settings › Inbox: response times in business hours, round-robin on arrival and saved
replies. Everyone reads them; managers change them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from palabre.core.deps import PageManager, PageUser, SessionDep
from palabre.core.errors import NotFound, PalabreError
from palabre.core.i18n import N_
from palabre.core.params import whole
from palabre.core.templating import render
from palabre.inbox import arrival, saved, services, sla
from palabre.publishing.pages import FormDep
from palabre.team.models import Role, User
from palabre.team.webutil import done_redirect, flashes_for, refused

router = APIRouter()
DONE = {
    "sla": N_("Response times saved."),
    "assignment": N_("Assignment saved."),
    "saved": N_("Saved reply saved."),
    "deleted": N_("Saved reply deleted."),
}
DAY_LABELS = {
    "mon": N_("Monday"),
    "tue": N_("Tuesday"),
    "wed": N_("Wednesday"),
    "thu": N_("Thursday"),
    "fri": N_("Friday"),
    "sat": N_("Saturday"),
    "sun": N_("Sunday"),
}


def _hours_of(minutes: int) -> str:
    return f"{minutes / 60:g}"


def _show(request: Request, session: Session, user: User, **extra: Any) -> Response:
    p = sla.policy(session, user.workspace_id, create=False)
    data = sla.policy_data(p)
    form = {
        **{f"{u}_hours": _hours_of(getattr(p, f"{u}_minutes")) for u in sla.URGENCIES},
        **{f"{d}_opens": (data["hours"][d] or ["", ""])[0] for d in sla.DAYS},
        **{f"{d}_closes": (data["hours"][d] or ["", ""])[1] for d in sla.DAYS},
        "closed_days": " ".join(data["closed_days"]),
    }
    status = extra.pop("status", 200)
    context = {
        "form": {**form, **extra.pop("form", {})},
        "errors": extra.pop("errors", {}),
        "flashes": extra.pop("flashes", None) or flashes_for(request, DONE),
        "days": [(d, request.state.tr.gettext(DAY_LABELS[d])) for d in sla.DAYS],
        "saved_replies": [
            (r, saved.placeholders(r.text)) for r in saved.listing(session, user.workspace_id)
        ],
        "can_manage": user.can(Role.manager),
        "round_robin_on_arrival": p.round_robin_on_arrival,
        **extra,
    }
    return render(request, "inbox/settings.html", context, status_code=status)


@router.get("/settings/inbox", name="inbox_settings_page")
def inbox_settings_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    return _show(request, session, user)


def _minutes(value: Any) -> int | None:
    try:
        return round(float(str(value).replace(",", ".")) * 60)
    except ValueError:
        return None


@router.post("/settings/inbox/sla", name="inbox_settings_sla")
def save_sla(request: Request, session: SessionDep, user: PageManager, form: FormDep) -> Response:
    data = {
        **{f"{u}_minutes": _minutes(form.get(f"{u}_hours")) for u in sla.URGENCIES},
        "hours": {
            d: [str(form.get(f"{d}_opens") or ""), str(form.get(f"{d}_closes") or "")]
            for d in sla.DAYS
        },
        "closed_days": str(form.get("closed_days") or "").replace(",", " ").split(),
    }
    try:
        sla.update_policy(session, user, data)
    except PalabreError as exc:
        session.rollback()
        shown = refused(request, exc, dict(form))
        shown["errors"] = {
            k.replace("_minutes", "_hours").replace("hours.", ""): v
            for k, v in shown["errors"].items()
        }
        return _show(request, session, user, **shown)
    session.commit()
    return done_redirect(request, "inbox_settings_page", "sla", anchor="sla")


@router.post("/settings/inbox/assignment", name="inbox_settings_assignment")
def save_assignment(
    request: Request, session: SessionDep, user: PageManager, form: FormDep
) -> Response:
    arrival.set_round_robin_on_arrival(session, user, form.get("round_robin_on_arrival") == "1")
    session.commit()
    return done_redirect(request, "inbox_settings_page", "assignment", anchor="assignment")


@router.post("/settings/inbox/saved", name="inbox_saved_create")
def create_saved(
    request: Request, session: SessionDep, user: PageManager, form: FormDep
) -> Response:
    name, text = str(form.get("name") or ""), str(form.get("text") or "")
    try:
        saved.create(session, user, name, text)
    except PalabreError as exc:
        session.rollback()
        return _show(request, session, user, **refused(request, exc, dict(form)))
    session.commit()
    return done_redirect(request, "inbox_settings_page", "saved", anchor="saved")


@router.post("/settings/inbox/saved/{saved_reply_id}", name="inbox_saved_update")
def update_saved(
    saved_reply_id: int, request: Request, session: SessionDep, user: PageManager, form: FormDep
) -> Response:
    try:
        s = saved.get(session, user.workspace_id, saved_reply_id)
        if form.get("delete") == "1":
            saved.delete(session, user, s)
        else:
            version = str(form.get("version") or "")
            saved.update(
                session,
                user,
                s,
                name=str(form.get("name") or ""),
                text=str(form.get("text") or ""),
                version=whole(version),
            )
    except PalabreError as exc:
        session.rollback()
        shown = refused(
            request, exc, {"edit_id": saved_reply_id, **{f"edit_{k}": v for k, v in form.items()}}
        )
        return _show(request, session, user, **shown)
    session.commit()
    done = "deleted" if form.get("delete") == "1" else "saved"
    return done_redirect(request, "inbox_settings_page", done, anchor="saved")


@router.post("/team/users/{person_id}/on-duty", name="team_set_on_duty")
def set_on_duty(
    person_id: int, request: Request, session: SessionDep, user: PageUser, form: FormDep
) -> Response:
    """The team page's toggle: a manager, or the person themself."""
    person = session.get(User, person_id)
    if person is None or person.workspace_id != user.workspace_id:
        raise NotFound("This person is not in your workspace.")
    services.set_on_duty(session, person, form.get("on_duty") == "1", actor=user)
    session.commit()
    return done_redirect(request, "team_page", "duty", anchor=f"person-{person_id}")
