"""Settings › "Try a message": how Palabre would triage a message, and why. Nothing is
stored; every role may use it (it reads nothing of the workspace)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from palabre.core.deps import PageUser
from palabre.core.errors import Invalid
from palabre.core.i18n import LANGUAGES
from palabre.core.templating import render
from palabre.inbox.triage import Triage
from palabre.inbox.triage.checks import MAX_INPUT, checked_triage
from palabre.inbox.triage.reasons import CATEGORY_LABELS, URGENCY_LABELS
from palabre.team.webutil import field_errors

router = APIRouter()
PAGE = "inbox/triage_try.html"
FRAGMENT = "inbox/_triage_try.html"


def _show(
    request: Request,
    *,
    text: str = "",
    lang: str = "",
    result: Triage | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    tr = request.state.tr
    context: dict[str, Any] = {
        "form": {"text": text, "lang": lang},
        "errors": errors or {},
        "result": result,
        "reasons": [r.text(tr) for r in result.reasons] if result else [],
        "category_labels": {k: tr.gettext(v) for k, v in CATEGORY_LABELS.items()},
        "urgency_labels": {k: tr.gettext(v) for k, v in URGENCY_LABELS.items()},
        "languages": LANGUAGES,
        "max_input": MAX_INPUT,
    }
    # An HTMX request gets the form and its result only; htmx swaps 2xx answers only,
    # so a refused message comes back as 200 with the field's message in the fragment.
    if request.headers.get("hx-request"):
        return render(request, FRAGMENT, context)
    return render(request, PAGE, context, status_code=status)


@router.get("/settings/triage", name="triage_try_page")
def triage_try_page(request: Request, user: PageUser) -> Response:
    return _show(request)


@router.post("/settings/triage", name="triage_try")
def triage_try(
    request: Request,
    user: PageUser,
    text: Annotated[str, Form()] = "",
    lang: Annotated[str, Form()] = "",
) -> Response:
    try:
        result = checked_triage(text, lang or None)
    except Invalid as exc:
        errors = field_errors(request, exc)
        return _show(request, text=text, lang=lang, errors=errors, status=422)
    return _show(request, text=text, lang=lang, result=result)


def _include() -> None:
    from palabre.inbox import settings_views

    router.include_router(settings_views.router)


_include()
