"""Jinja2 templates (autoescaped), rendered in the reader's language."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from palabre.core.i18n import LANGUAGES, Translator

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=select_autoescape(["html", "xml"], default_for_string=True),
    extensions=["jinja2.ext.i18n"],
    auto_reload=os.environ.get("PALABRE_DEBUG", "") not in ("", "0"),  # else no stat per render
)
_env.policies["ext.i18n.trimmed"] = True
_env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
templates = Jinja2Templates(env=_env)


def vendor_available(name: str) -> bool:
    return (STATIC_DIR / "vendor" / name).exists()


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    tr: Translator = getattr(request.state, "tr", None) or Translator("fr")
    user = getattr(request.state, "user", None)
    ctx: dict[str, Any] = {
        "request": request,
        "user": user,
        "workspace": user.workspace if user else None,
        "tz": user.workspace.timezone if user else "Europe/Paris",
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "lang": tr.lang,
        "languages": LANGUAGES,
        "tr": tr,
        "_": tr.gettext,
        "gettext": tr.gettext,
        "ngettext": tr.ngettext,
        "htmx": vendor_available("htmx.min.js"),
        "is_htmx": request.headers.get("hx-request") == "true",
        "errors": {},
        "form": {},
    }
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)
