"""REST API: the inbox. For now, triage: how a message would be triaged."""

from __future__ import annotations

from fastapi import APIRouter, Request

from palabre.core.deps import ApiUser, SessionDep
from palabre.inbox.triage.checks import checked_triage
from palabre.inbox.triage.schemas import TriageIn, TriageOut
from palabre.team.api import API_DEPENDENCIES
from palabre.team.schemas import error_responses

router = APIRouter(tags=["inbox"], dependencies=API_DEPENDENCIES)


@router.post(
    "/triage",
    response_model=TriageOut,
    summary="Triage a message",
    description="How a message would be triaged: its category, urgency, importance and "
    "the reasons, in your language. Nothing is stored and nothing of the workspace is "
    "read, so every role may call it. HTML is stripped before reading; only the first "
    "5,000 characters of a long message are read (`truncated` says so).",
    responses=error_responses(422),
)
def triage_message(
    body: TriageIn, request: Request, session: SessionDep, user: ApiUser
) -> TriageOut:
    result = checked_triage(body.text, body.lang)
    session.commit()  # only the token's "last used" time, if it was due
    return TriageOut.of(result, request.state.tr)


def _include() -> None:
    from palabre.inbox import saved_api, sla_api

    router.include_router(sla_api.router)
    router.include_router(saved_api.router)


_include()
