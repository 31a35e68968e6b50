"""The web application: routers of every domain, error pages, static files."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from palabre.core.deps import LANG_COOKIE, CsrfFailed, SignInRequired
from palabre.core.errors import Invalid, PalabreError
from palabre.core.i18n import N_, Translator, pick_language, translator_for
from palabre.core.runtime import Runtime
from palabre.core.templating import STATIC_DIR, render, templates, vendor_available

log = logging.getLogger(__name__)


def create_app(runtime: Runtime, *, worker: bool = False) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        thread = None
        if worker:
            from palabre.worker import build_runner

            runner = build_runner(runtime)
            thread = threading.Thread(target=runner.run_forever, args=(stop,), daemon=True)
            thread.start()
        # What start-up loaded stays for the life of the process: keep the garbage
        # collector from walking it again and again (it made the slowest requests slower).
        gc.collect()
        gc.freeze()
        yield
        reads = getattr(app.state, "palabre_fast_reads", None)
        if reads is not None:  # the connection that checks sessions on the event loop
            reads.close()
        stop.set()
        if thread:
            thread.join(timeout=10)

    app = FastAPI(
        title="Palabre",
        version="0.1.0",
        description=(
            "Palabre's REST API. Authenticate with a personal token "
            "(`palabre token create --email you@example.org`) sent as "
            "`Authorization: Bearer <token>`. Errors are JSON: "
            '`{"error": code, "message": text, "errors": {field: text}}`.'
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,  # served below from the registry-installed Swagger UI, not a CDN
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs(request: Request) -> Response:
        """The API, browsable (Swagger UI installed from the npm registry, served here)."""
        context = {"swagger": vendor_available("swagger-ui-bundle.js")}
        return templates.TemplateResponse(request, "api_docs.html", context)

    _routes(app)
    _error_handlers(app)

    app.add_middleware(LanguageAndHeaders)
    app.add_middleware(ServerTiming)  # added last: the outermost, it times all the rest
    return app


class ServerTiming:
    """Adds ``Server-Timing: app;dur=<ms>`` to every response: the time from the app
    receiving the request to its response headers (browsers' developer tools show it;
    the page benchmark reads it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - started) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={ms:.1f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, timed)


HTTP_MESSAGES = {
    404: N_("This page does not exist."),
    405: N_("This action is not available at this address."),
}
GENERIC_HTTP_MESSAGE = N_("This request could not be handled.")

# Only Palabre's own scripts, styles and images: no inline script anywhere, nothing
# loaded from elsewhere. Swagger UI (the API docs page) sets inline styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class LanguageAndHeaders:
    """Picks the reader's language before anything else runs (the sign-in page and error
    pages need it too), and adds the security headers every response carries. A plain ASGI
    middleware: Starlette's ``@app.middleware("http")`` costs far more per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        lang = pick_language(
            conn.cookies.get(LANG_COOKIE), accept=conn.headers.get("accept-language")
        )
        scope.setdefault("state", {})["tr"] = translator_for(lang)

        csp = DOCS_CSP if scope["path"] == "/api/docs" else CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                wanted = [*SECURITY_HEADERS, (b"content-security-policy", csp.encode())]
                extra = [(k, v) for k, v in wanted if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def app_from_environment() -> FastAPI:
    """The app as `palabre serve --processes N` starts it in each process."""
    from palabre.core.config import get_settings

    settings = get_settings()
    return create_app(Runtime(settings), worker=settings.worker_in_process)


def _routes(app: FastAPI) -> None:
    from palabre.automations import api as automations_api
    from palabre.automations import suggestions_api
    from palabre.automations import views as automations_views
    from palabre.channels import api as channels_api
    from palabre.channels import connect_views
    from palabre.channels import views as channels_views
    from palabre.inbox import api as inbox_api
    from palabre.inbox import conversations_api, triage_views
    from palabre.inbox import views as inbox_views
    from palabre.publishing import api as publishing_api
    from palabre.publishing import views as publishing_views
    from palabre.sources import api as sources_api
    from palabre.sources import views as sources_views
    from palabre.team import api as team_api
    from palabre.team import auth_views, notice_views
    from palabre.team import views as team_views

    routers = (auth_views, team_views, notice_views, connect_views, channels_views)
    pages = (inbox_views, triage_views, automations_views, sources_views)
    for module in (publishing_views, *routers, *pages):  # the busiest pages first (in order)
        app.include_router(module.router, include_in_schema=False)
    api = (team_api, channels_api, publishing_api, inbox_api, conversations_api)
    for module in (*api, automations_api, suggestions_api, sources_api):
        app.include_router(module.router, prefix="/api/v1")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_json(
    request: Request, status: int, code: str, message: str, **extra: Any
) -> JSONResponse:
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SignInRequired)
    async def _signin(request: Request, exc: SignInRequired) -> Response:
        target = request.url_for("signin_page").include_query_params(next=request.url.path)
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": str(target)})
        return RedirectResponse(str(target), status_code=303)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc: CsrfFailed) -> Response:
        tr: Translator = request.state.tr
        message = tr.gettext("This form has expired. Reload the page and try again.")
        return render(request, "error.html", {"message": message}, status_code=403)

    @app.exception_handler(PalabreError)
    async def _palabre(request: Request, exc: PalabreError) -> Response:
        tr: Translator = request.state.tr
        message = tr.gettext(exc.message, **exc.params)
        if wants_json(request):
            extra: dict[str, Any] = {}
            if exc.field:
                extra["field"] = exc.field
            if isinstance(exc, Invalid):
                extra["errors"] = {f: tr.gettext(m, **p) for f, (m, p) in exc.errors.items()}
            extra.update(getattr(exc, "extra", None) or {})  # e.g. the feeds a page offers
            return error_json(request, exc.status, exc.code, message, **extra)
        return render(request, "error.html", {"message": message}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        tr: Translator = request.state.tr
        broken = [e for e in exc.errors() if e.get("type") == "json_invalid"]
        if broken and wants_json(request):
            detail = broken[0].get("ctx", {}).get("error", "")
            message = tr.gettext("The request body is not valid JSON: %(detail)s.", detail=detail)
            return error_json(request, 400, "bad_request", message)
        errors = {
            ".".join(str(p) for p in e["loc"] if p != "body") or "body": e["msg"]
            for e in exc.errors()
        }
        message = tr.gettext("Some values are missing or wrong.")
        if wants_json(request):
            return error_json(request, 422, "invalid", message, errors=errors)
        return render(request, "error.html", {"message": message}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        tr: Translator = request.state.tr
        message = tr.gettext(HTTP_MESSAGES.get(exc.status_code, GENERIC_HTTP_MESSAGE))
        if wants_json(request):
            return error_json(request, exc.status_code, "http_error", message)
        return render(request, "error.html", {"message": message}, status_code=exc.status_code)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        tr: Translator = getattr(request.state, "tr", translator_for("fr"))
        message = tr.gettext("Something went wrong on our side. The error has been logged.")
        if wants_json(request):
            return error_json(request, 500, "internal", message)
        return render(request, "error.html", {"message": message}, status_code=500)
