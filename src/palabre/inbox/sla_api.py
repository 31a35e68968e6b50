"""REST API: the workspace's response-time policy (SLA) in business hours, and
round-robin on arrival."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from palabre.core.deps import ApiManager, ApiUser, SessionDep
from palabre.inbox import arrival, sla
from palabre.inbox.settings_schemas import SlaIn, SlaOut
from palabre.team.api import API_DEPENDENCIES
from palabre.team.models import User, Workspace
from palabre.team.schemas import error_responses

router = APIRouter(tags=["inbox"], dependencies=API_DEPENDENCIES)


def _out(session: Session, user: User) -> SlaOut:
    p = sla.policy(session, user.workspace_id, create=False)
    ws = session.get(Workspace, user.workspace_id)
    return SlaOut(
        **sla.policy_data(p),
        round_robin_on_arrival=p.round_robin_on_arrival,
        timezone=ws.timezone if ws else "UTC",
    )


@router.get(
    "/inbox/sla",
    response_model=SlaOut,
    summary="Response times",
    description="The first response expected per urgency, in business minutes, and the "
    "business hours (in the workspace's timezone) and closed days they count in.",
    responses=error_responses(),
)
def get_sla(session: SessionDep, user: ApiUser) -> SlaOut:
    out = _out(session, user)
    session.commit()
    return out


@router.put(
    "/inbox/sla",
    response_model=SlaOut,
    summary="Change the response times",
    description="Managers only. The due times of the conversations not answered yet are "
    "computed again. `round_robin_on_arrival` turns round-robin on arrival on or off.",
    responses=error_responses(403, 422),
)
def put_sla(body: SlaIn, session: SessionDep, user: ApiManager) -> SlaOut:
    data = body.model_dump()
    on_arrival = data.pop("round_robin_on_arrival")
    sla.update_policy(session, user, data)
    if on_arrival is not None:
        arrival.set_round_robin_on_arrival(session, user, on_arrival)
    session.commit()
    return _out(session, user)
