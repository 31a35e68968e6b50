"""Jinja2 templates (autoescaped), rendered in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse

from palabre.core.config import get_settings
from palabre.core.i18n import LANGUAGES, Translator, translator_for
from palabre.core.navigation import main_menu

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

_env = Environment(
    loader=FileSystemLoader(str(TEMPLATE_DIR)),
    autoescape=select_autoescape(["html", "xml"], default_for_string=True),
    extensions=["jinja2.ext.i18n"],
    # Templates are not re-read from disk on each render, unless developing.
    auto_reload=get_settings().debug,
)
_env.policies["ext.i18n.trimmed"] = True
_env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
_env.globals["main_menu"] = main_menu  # base.html's menu
templates = Jinja2Templates(env=_env)


@lru_cache
def vendor_available(name: str) -> bool:
    """Front-end files installed from the registry (looked up once per process)."""
    return (STATIC_DIR / "vendor" / name).exists()


def url_builder(request: Request) -> Callable[..., str]:
    """The templates' ``url_for``, without walking every route on each call.

    Starlette's ``url_for`` costs about 0.2 ms (it tries the app's routes one by one): a
    page with hundreds of links spent most of its time there. A route's path is worked out
    once per process with placeholder parameters, then filled in; routes whose parameters
    do not take a placeholder (typed convertors) keep the slow way.
    """
    state = request.app.state
    cache: dict[tuple[str, tuple[str, ...]], str | None] | None = getattr(
        state, "palabre_url_patterns", None
    )
    if cache is None:
        cache = state.palabre_url_patterns = {}
    base = str(request.base_url).rstrip("/")

    def url_for(name: str, /, **params: Any) -> str:
        key = (name, tuple(sorted(params)))
        pattern = cache.get(key, "")
        if pattern == "":
            try:
                path = request.app.router.url_path_for(
                    name, **{k: f"__palabre_{k}__" for k in params}
                )
                pattern = str(path)
            except Exception:  # a typed convertor refused the placeholder
                pattern = None
            cache[key] = pattern
        if pattern is None:
            return str(request.url_for(name, **params))
        for k, v in params.items():
            pattern = pattern.replace(f"__palabre_{k}__", str(v))
        return base + pattern

    return url_for


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    ctx = template_context(request, context)
    return templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)


def template_context(request: Request, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """What every template sees, and ``context`` on top."""
    tr: Translator = getattr(request.state, "tr", None) or translator_for("fr")
    user = getattr(request.state, "user", None)
    ctx: dict[str, Any] = {
        "request": request,
        "url_for": url_builder(request),
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
    if user is not None:
        from palabre.team.alerts import alerts_for  # (team imports core)

        ctx["alerts"] = alerts_for(user)
    ctx.update(context or {})
    return ctx
