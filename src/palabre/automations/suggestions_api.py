"""REST API: the suggestion queue — read, edit, approve (a post), skip, in bulk too."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from palabre.automations import queries
from palabre.automations import suggestions as services
from palabre.automations.models import Suggestion
from palabre.automations.schemas import (
    ApproveIn,
    BulkIn,
    BulkResult,
    EditIn,
    SuggestionList,
    SuggestionOut,
)
from palabre.core.deps import ApiContributor, ApiUser, SessionDep
from palabre.core.errors import PalabreError
from palabre.core.i18n import Translator
from palabre.team.api import API_DEPENDENCIES
from palabre.team.models import User
from palabre.team.schemas import error_responses

router = APIRouter(tags=["suggestions"], dependencies=API_DEPENDENCIES)
ERR = error_responses(403, 404, 409, 422)
STATES = "pending, approved, skipped, expired, cancelled (empty: all)"


def suggestion_out(row: Suggestion, tr: Translator) -> SuggestionOut:
    return SuggestionOut(
        id=row.id,
        automation_id=row.automation_id,
        automation_name=row.automation.name,
        kind=row.kind,
        state=row.state,
        texts=row.texts,
        planned_at=row.planned_at,
        source_item_id=row.source_item_id,
        occurrence_id=row.occurrence_id,
        reminder_offset=row.reminder_offset,
        person_handle=row.person_handle,
        person_name=row.person_name,
        quote=row.quote,
        score=row.score,
        note=tr.gettext(row.note) if row.note else None,
        post_id=row.post_id,
        decided_by_id=row.decided_by_id,
        decided_at=row.decided_at,
        created_at=row.created_at,
    )


def _tr(request: Request) -> Translator:
    tr: Translator = request.state.tr
    return tr


@router.get("/suggestions", response_model=SuggestionList, responses=error_responses(422))
def list_suggestions(
    request: Request,
    session: SessionDep,
    user: ApiUser,
    state: Annotated[str, Query(description=STATES)] = "pending",
    automation: Annotated[int | None, Query(description="Only this automation's")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> SuggestionList:
    """What the automations suggest, soonest first (pending ones by default)."""
    rows, total = queries.suggestions(
        session,
        user.workspace_id,
        state=state or None,
        automation_id=automation,
        limit=limit,
        offset=offset,
    )
    return SuggestionList(items=[suggestion_out(r, _tr(request)) for r in rows], total=total)


def _get(session: Session, user: User, suggestion_id: int) -> Suggestion:
    return services.get_suggestion(session, user.workspace_id, suggestion_id)


@router.get("/suggestions/{suggestion_id}", response_model=SuggestionOut, responses=ERR)
def get_suggestion(
    request: Request, suggestion_id: int, session: SessionDep, user: ApiUser
) -> SuggestionOut:
    return suggestion_out(_get(session, user, suggestion_id), _tr(request))


@router.patch("/suggestions/{suggestion_id}", response_model=SuggestionOut, responses=ERR)
def edit_suggestion(
    request: Request, suggestion_id: int, body: EditIn, session: SessionDep, user: ApiUser
) -> SuggestionOut:
    """Change the suggested texts before deciding (contributors and above)."""
    row = _get(session, user, suggestion_id)
    services.edit(session, row, texts={str(k): v for k, v in body.texts.items()}, actor=user)
    session.commit()
    return suggestion_out(row, _tr(request))


def _texts(row: Suggestion, body: ApproveIn) -> dict[str, str] | None:
    if body.text is not None:
        return {cid: body.text for cid in row.texts}
    if body.texts:
        return {str(k): v for k, v in body.texts.items()}
    return None


@router.post("/suggestions/{suggestion_id}/approve", response_model=SuggestionOut, responses=ERR)
def approve_suggestion(
    request: Request,
    suggestion_id: int,
    session: SessionDep,
    user: ApiUser,
    body: ApproveIn | None = None,
) -> SuggestionOut:
    """Make it a post, at the next time the channels' guardrails allow. A contributor's
    approval asks a manager (the post awaits approval); a member's schedules it."""
    row = _get(session, user, suggestion_id)
    services.approve(session, row, actor=user, texts=_texts(row, body or ApproveIn()))
    session.commit()
    return suggestion_out(row, _tr(request))


@router.post("/suggestions/{suggestion_id}/skip", response_model=SuggestionOut, responses=ERR)
def skip_suggestion(
    request: Request, suggestion_id: int, session: SessionDep, user: ApiUser
) -> SuggestionOut:
    """Decide not to publish it (members and above)."""
    row = _get(session, user, suggestion_id)
    services.skip(session, row, actor=user)
    session.commit()
    return suggestion_out(row, _tr(request))


@router.post("/suggestions/bulk", response_model=BulkResult, responses=error_responses(403, 422))
def bulk_suggestions(
    request: Request, body: BulkIn, session: SessionDep, user: ApiContributor
) -> BulkResult:
    """Approve or skip several at once; each is done or refused on its own."""
    done, failed = bulk(session, user, body.ids, body.action)
    return BulkResult(
        done=done, failed={k: _tr(request).gettext(m, **p) for k, (m, p) in failed.items()}
    )


def bulk(
    session: Session, user: User, ids: list[int], action: str
) -> tuple[list[int], dict[int, tuple[str, dict[str, object]]]]:
    """Each suggestion in its own transaction: one refusal does not undo the others."""
    done: list[int] = []
    failed: dict[int, tuple[str, dict[str, object]]] = {}
    for sid in dict.fromkeys(ids):
        try:
            row = _get(session, user, sid)
            if action == "approve":
                services.approve(session, row, actor=user)
            else:
                services.skip(session, row, actor=user)
            session.commit()
            done.append(sid)
        except (PalabreError, StaleDataError) as exc:
            session.rollback()
            if isinstance(exc, PalabreError):
                failed[sid] = (exc.message, exc.params)
            else:
                failed[sid] = ("This suggestion was already dealt with.", {})
    return done, failed
