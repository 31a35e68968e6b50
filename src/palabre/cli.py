"""The ``palabre`` command."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from typing import Annotated

import typer
from rich.console import Console

from palabre.core.config import get_settings
from palabre.core.runtime import Runtime

app = typer.Typer(
    help="Palabre: community management that keeps conversations human.",
    no_args_is_help=True,
    add_completion=False,
)
user_app = typer.Typer(help="Manage people.", no_args_is_help=True)
token_app = typer.Typer(help="Manage personal API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
console = Console()
err = Console(stderr=True)


@app.callback()
def _settings_first() -> None:
    """Every command reads the settings first: a wrong PALABRE_* variable is said plainly."""
    from palabre.core.config import SettingsError

    try:
        get_settings()
    except SettingsError as exc:
        err.print(str(exc), style="red", markup=False, highlight=False)
        raise typer.Exit(2) from None


def _runtime(role: str = "web") -> Runtime:
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Runtime(settings, role=role)


def _ready_runtime(role: str = "web") -> Runtime:
    """A runtime whose key and schema are in place, or a clear message."""
    from palabre.core.security import KeyMismatch, MissingKey

    rt = _runtime(role)
    try:
        _ = rt.box
    except (MissingKey, KeyMismatch) as exc:
        _fail(str(exc))
    return rt


def _fail(message: str) -> None:
    err.print(f"[red]{message}[/red]")
    raise typer.Exit(1)


def _logging() -> None:
    from palabre.core.serving import LOG_FORMAT  # the format of every web process too

    logging.basicConfig(level=get_settings().log_level, format=LOG_FORMAT)


@app.command()
def init(
    workspace: Annotated[str, typer.Option(help="Name of the workspace")] = "Mon organisation",
    timezone: Annotated[str, typer.Option(help="IANA time zone")] = "Europe/Paris",
) -> None:
    """Create the data directory, the secret key and the database, with a first workspace."""
    from palabre.core.migrate import upgrade
    from palabre.core.security import create_key_file
    from palabre.team import setup

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    if create_key_file(settings.key_file):
        console.print(f"Secret key created: {settings.key_file} (back it up with the database)")
    upgrade(settings.resolved_database_url)
    rt = _runtime()
    with rt.db.transaction() as session:
        ws = setup.ensure_workspace(session, name=workspace, timezone=timezone)
        console.print(f"Workspace: {ws.name} ({ws.timezone})")
    console.print("Ready. Add an owner: palabre user create --email you@example.org --role owner")


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    from palabre.core.migrate import upgrade

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    console.print("Database is up to date.")


def _serve(
    host: str, port: int, worker: bool | None, processes: int = 1, access_log: bool = True
) -> None:
    import os

    import uvicorn

    from palabre.core import serving
    from palabre.core.web import create_app

    rt = _ready_runtime()
    in_process = rt.db.is_sqlite if worker is None else worker
    options = {"host": host, "port": port, "log_level": "info", "proxy_headers": True}
    options["access_log"] = access_log
    if processes == 1:
        uvicorn.run(create_app(rt, worker=in_process), **options)  # type: ignore[arg-type]
        return
    # Several processes: each builds its app from the environment, on its own socket.
    rt.close()
    os.environ["PALABRE_WORKER_IN_PROCESS"] = "true" if in_process else "false"
    try:
        code = serving.serve(processes, options, get_settings().log_level)
    except OSError as exc:
        _fail(f"Cannot listen on {host}:{port}: {exc}")
    raise typer.Exit(code)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    worker: Annotated[
        bool | None,
        typer.Option(
            "--worker/--no-worker", help="Run a worker in the same process (default: yes on SQLite)"
        ),
    ] = None,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            min=1,
            max=64,
            help="Web processes, to use several cores: each listens on the port with its own "
            "socket (SO_REUSEPORT) and runs its own worker when --worker applies",
        ),
    ] = 1,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log a line per request (a proxy in front often logs them already; "
            "without it each request costs a little less)",
        ),
    ] = True,
) -> None:
    """Serve the web interface and the API."""
    _logging()
    _serve(host, port, worker, processes, access_log)


@app.command()
def worker(
    once: Annotated[bool, typer.Option(help="Run until idle, then exit")] = False,
    lease: Annotated[
        float,
        typer.Option(
            min=1, help="Seconds a claimed job stays reserved; a dead worker's jobs wait this long"
        ),
    ] = 300,
    batch: Annotated[int, typer.Option(min=1, help="Jobs claimed at a time")] = 500,
) -> None:
    """Run the background worker (deliveries and every other scheduled job)."""
    from palabre.worker import build_runner

    _logging()
    runner = build_runner(_ready_runtime("worker"), lease_seconds=lease, batch=batch)
    if once:
        console.print(f"{runner.run_until_idle()} jobs done.")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    runner.run_forever(stop, idle_sleep=0.5)


@app.command()
def demo(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="Start serving")] = True,
) -> None:
    """Create a demo workspace (a fictional museum, preview channels) and serve it."""
    from palabre import demo as demo_data
    from palabre.core.migrate import upgrade
    from palabre.core.security import create_key_file

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    create_key_file(settings.key_file)
    upgrade(settings.resolved_database_url)
    rt = _runtime()
    logins = demo_data.load(rt)
    console.print(f"\n[bold]Palabre demo[/bold] — http://{host}:{port}/")
    for email, password, role in logins:
        console.print(f"  {role:<12} {email}  /  {password}")
    console.print()
    if serve_after:
        _logging()
        _serve(host, port, True)


def _read_password(confirm: bool = True) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=confirm))


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="Email address (the sign-in)")],
    role: Annotated[str, typer.Option(help="owner, manager, member, contributor or viewer")],
    name: Annotated[str, typer.Option(help="Display name")] = "",
) -> None:
    """Add a person. The password is read from standard input or a prompt, never an argument."""
    from palabre.core.errors import PalabreError
    from palabre.team import services, setup

    password = _read_password()
    rt = _runtime()
    try:
        with rt.db.transaction() as session:
            ws = setup.the_workspace(session)
            user = services.create_user(
                session, ws, email=email, name=name, role=role, password=password, actor=None
            )
            console.print(f"Created {user.email} ({user.role}).")
    except PalabreError as exc:
        _fail(exc.message % exc.params if exc.params else exc.message)
    except setup.NoWorkspace:
        _fail("No workspace yet: run 'palabre init' first.")


@token_app.command("create")
def token_create(
    email: Annotated[str, typer.Option(help="Whose token")],
    name: Annotated[str, typer.Option(help="What the token is for")] = "cli",
) -> None:
    """Print a new personal API token (shown once)."""
    from palabre.team import access, services

    rt = _runtime()
    with rt.db.transaction() as session:
        user = services.find_user_by_email(session, email)
        if user is None or not user.active:
            _fail(f"No active person with the email {email}.")
            return
        token = access.create_api_token(session, user, name=name)
    print(token)


if __name__ == "__main__":  # pragma: no cover
    app()
