"""REST API: saved replies. Everyone reads them; managers create, change and delete."""

from __future__ import annotations

from fastapi import APIRouter, status

from palabre.core.deps import ApiManager, ApiUser, SessionDep
from palabre.inbox import saved
from palabre.inbox.saved_models import SavedReply
from palabre.inbox.settings_schemas import SavedReplyIn, SavedReplyOut, SavedReplyPatch
from palabre.team.api import API_DEPENDENCIES
from palabre.team.schemas import error_responses

router = APIRouter(tags=["inbox"], dependencies=API_DEPENDENCIES)


def _out(s: SavedReply) -> SavedReplyOut:
    return SavedReplyOut(
        id=s.id,
        name=s.name,
        text=s.text,
        placeholders=saved.placeholders(s.text),
        uses=s.uses,
        version=s.version,
        updated_at=s.updated_at,
    )


@router.get(
    "/saved-replies",
    response_model=list[SavedReplyOut],
    summary="Saved replies",
    description="Texts prepared by managers. Placeholders are written in square brackets "
    "(`[first name]`); a reply is refused until each is filled in.",
    responses=error_responses(),
)
def list_saved(session: SessionDep, user: ApiUser) -> list[SavedReplyOut]:
    out = [_out(s) for s in saved.listing(session, user.workspace_id)]
    session.commit()
    return out


@router.post(
    "/saved-replies",
    response_model=SavedReplyOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a saved reply",
    description="Managers only.",
    responses=error_responses(403, 422),
)
def create_saved(body: SavedReplyIn, session: SessionDep, user: ApiManager) -> SavedReplyOut:
    s = saved.create(session, user, body.name, body.text)
    session.commit()
    return _out(s)


@router.patch(
    "/saved-replies/{saved_reply_id}",
    response_model=SavedReplyOut,
    summary="Change a saved reply",
    description="Managers only; `version` (optional) refuses a change made from a stale copy.",
    responses=error_responses(403, 404, 409, 422),
)
def update_saved(
    saved_reply_id: int, body: SavedReplyPatch, session: SessionDep, user: ApiManager
) -> SavedReplyOut:
    s = saved.get(session, user.workspace_id, saved_reply_id)
    saved.update(session, user, s, name=body.name, text=body.text, version=body.version)
    session.commit()
    return _out(s)


@router.delete(
    "/saved-replies/{saved_reply_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a saved reply",
    description="Managers only. Replies already sent from it stay as they are.",
    responses=error_responses(403, 404, 422),
)
def delete_saved(saved_reply_id: int, session: SessionDep, user: ApiManager) -> None:
    saved.delete(session, user, saved.get(session, user.workspace_id, saved_reply_id))
    session.commit()
