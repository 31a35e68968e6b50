"""REST API: who is asking. Also the route class every API router uses."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer

from palabre.core.deps import ApiUser
from palabre.core.errors import PalabreError
from palabre.team.models import Role
from palabre.team.schemas import MeOut, WorkspaceOut, error_responses


class ApiRoute(APIRoute):
    """A body that is not JSON at all is a malformed request (400), not a wrong field."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                broken = [e for e in exc.errors() if e.get("type") == "json_invalid"]
                if not broken:
                    raise
                detail = broken[0].get("ctx", {}).get("error", "")
                raise PalabreError(
                    "The request body is not valid JSON: %(detail)s.", detail=detail
                ) from exc

        return route


# Declares the scheme in the OpenAPI document (the "Authorize" button of /api/docs);
# the token itself is checked by core.deps.api_user.
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A personal API token, from `palabre token create --email you@example.org`.",
)
API_DEPENDENCIES = [Depends(bearer)]

router = APIRouter(route_class=ApiRoute, tags=["team"], dependencies=API_DEPENDENCIES)


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
