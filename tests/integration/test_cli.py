"""The `palabre` command, run for real in a subprocess."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from palabre.core.config import Settings
from palabre.core.runtime import Runtime
from palabre.core.web import create_app

COMMANDS = [
    [],
    ["init"],
    ["serve"],
    ["worker"],
    ["demo"],
    ["migrate"],
    ["user"],
    ["user", "create"],
    ["token"],
    ["token", "create"],
]


def run(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "palabre.cli", *args],
        env=env,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = dict(os.environ)
    e.pop("PALABRE_DATABASE_URL", None)
    e.pop("PALABRE_SECRET_KEY", None)
    e["PALABRE_DATA_DIR"] = str(tmp_path / "data")
    return e


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "palabre")
def test_every_command_has_help(args: list[str], env: dict[str, str]) -> None:
    result = run([*args, "--help"], env)
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_init_user_and_token_make_a_working_api_sign_in(
    env: dict[str, str], tmp_path: Path
) -> None:
    result = run(["init", "--workspace", "Office de tourisme", "--timezone", "Europe/Paris"], env)
    assert result.returncode == 0, result.stderr
    key = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    # The password comes from standard input, never from an argument.
    created = run(
        ["user", "create", "--email", "Anne@Example.org", "--role", "owner"],
        env,
        stdin="un mot de passe solide\n",
    )
    assert created.returncode == 0, created.stderr
    assert "solide" not in created.stdout + created.stderr
    short = run(
        ["user", "create", "--email", "b@example.org", "--role", "manager"], env, stdin="court\n"
    )
    assert short.returncode == 1 and "10" in short.stderr
    bad_role = run(
        ["user", "create", "--email", "c@example.org", "--role", "chef"],
        env,
        stdin="un mot de passe solide\n",
    )
    assert bad_role.returncode == 1 and "chef" in bad_role.stderr
    token = run(["token", "create", "--email", "anne@example.org"], env)
    assert token.returncode == 0, token.stderr
    tok = token.stdout.strip()
    unknown = run(["token", "create", "--email", "nobody@example.org"], env)
    assert unknown.returncode == 1

    rt = Runtime(Settings(data_dir=tmp_path / "data"))
    try:
        with TestClient(create_app(rt)) as client:
            me = client.get("/api/v1/channels", headers={"Authorization": f"Bearer {tok}"})
            assert me.status_code == 200
            assert client.get("/api/v1/channels").status_code == 401
    finally:
        rt.close()


def test_demo_loads_a_museum_with_posts_in_every_state(env: dict[str, str], tmp_path: Path) -> None:
    result = run(["demo", "--no-serve"], env)
    assert result.returncode == 0, result.stderr
    assert "palabre-demo" in result.stdout and "http://127.0.0.1:8000/" in result.stdout
    again = run(["demo", "--no-serve"], env)  # idempotent
    assert again.returncode == 0, again.stderr
    rt = Runtime(Settings(data_dir=tmp_path / "data"))
    try:
        from sqlalchemy import func, select

        from palabre.channels.preview.models import PreviewRecord
        from palabre.publishing.models import Post

        with rt.db.transaction(write=False) as s:
            states = set(s.scalars(select(Post.state)))
            records = s.scalar(select(func.count()).select_from(PreviewRecord))
        assert states == {
            "draft",
            "awaiting_approval",
            "scheduled",
            "published",
            "failed",
            "cancelled",
        }
        assert records == 4  # two published posts on two preview channels
    finally:
        rt.close()


def test_serve_without_init_says_what_to_do(env: dict[str, str]) -> None:
    assert run(["migrate"], env).returncode == 0
    result = run(["serve", "--port", "1"], env)
    assert result.returncode == 1 and "palabre init" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("extra", [[], ["--processes", "2"]], ids=["one", "two processes"])
def test_serve_answers_on_the_given_port(env: dict[str, str], extra: list[str]) -> None:
    import socket
    import time

    assert run(["init"], env).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "palabre.cli", "serve", "--port", str(port), *extra]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        r = None
        for _ in range(200):
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/signin", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert r is not None and r.status_code == 200 and "Palabre" in r.text
        if extra:  # a supervisor and its two serving processes
            children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
            assert len(children) >= 2
    finally:
        proc.terminate()
        proc.wait(timeout=15)
