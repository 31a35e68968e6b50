"""REST API: who is asking. Also the bearer scheme every API router declares."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.security import HTTPBearer

from palabre.core.deps import ApiUser
from palabre.team.models import Role
from palabre.team.schemas import MeOut, WorkspaceOut, error_responses

# Declares the scheme in the OpenAPI document (the "Authorize" button of /api/docs);
# the token itself is checked by core.deps.api_user.
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A personal API token, from `palabre token create --email you@example.org`.",
)
API_DEPENDENCIES = [Depends(bearer)]

router = APIRouter(tags=["team"], dependencies=API_DEPENDENCIES)


@router.get(
    "/me",
    response_model=MeOut,
    summary="Who am I",
    description="The person the token belongs to, their role and their workspace.",
    responses=error_responses(),
)
def me(user: ApiUser) -> MeOut:
    return MeOut(
        id=user.id,
        email=user.email,
        name=user.name,
        role=user.role,
        language=user.language,
        workspace=WorkspaceOut.model_validate(user.workspace),
        can_publish=user.can(Role.member),
        can_approve=user.can(Role.manager),
    )
