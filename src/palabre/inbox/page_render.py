"""How the inbox's pages are rendered: the reader's translator, the labels every inbox
template shows (statuses, categories, urgencies…), the "done" flashes, due-time labels."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from palabre.core.i18n import Translator
from palabre.core.templating import render
from palabre.inbox import labels
from palabre.inbox.due import due_label


def tr_of(request: Request) -> Translator:
    tr: Translator = request.state.tr
    return tr


def labels_of(tr: Translator) -> dict[str, Any]:
    def t(table: dict[str, str]) -> dict[str, str]:
        return {k: tr.gettext(v) for k, v in table.items()}

    return {
        "status_labels": t(labels.STATUS),
        "filter_labels": t(labels.STATUS_FILTERS),
        "category_labels": t(labels.CATEGORY),
        "urgency_labels": t(labels.URGENCY),
        "state_labels": t(labels.MESSAGE_STATE),
        "kind_labels": t(labels.KIND),
    }


def render_page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    tr = tr_of(request)
    flashes = list(context.pop("flashes", []))
    done = request.query_params.get("done")
    if done in labels.DONE:
        flashes.insert(0, ("success", tr.gettext(labels.DONE[done])))
    ctx = {**labels_of(tr), **context, "flashes": flashes}
    ctx["due_label"] = lambda c: due_label(tr, c.first_response_due_at, c.first_response_at)
    return render(request, name, ctx, status_code=status_code)
