"""The real local Bluesky network (scripts/bsky.sh, @atproto/dev-env) from the tests' side.

`PALABRE_TEST_BSKY_PDS` names its PDS (scripts/test.sh exports it); the `bsky_pds` fixture
of tests/conftest.py starts the network itself when it is unset. Accounts are created fresh
for each test, with unique handles, so tests never see each other's posts.

The AppView indexes what the PDS writes a moment later (background workers): use
`eventually` to wait for a notification, a reply or a thread, never read them once.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from atproto import Client
from atproto_client.exceptions import BadRequestError

PDS_ENV = "PALABRE_TEST_BSKY_PDS"
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bsky.sh"
T = TypeVar("T")


@dataclass(frozen=True)
class BskyAccount:
    handle: str  # e.g. "alice3f9a1c2e.test"
    did: str
    password: str  # the account's main password
    app_password: str  # "xxxx-xxxx-xxxx-xxxx", what a Palabre user pastes to connect
    pds_url: str


def pds_url() -> str:
    """The PDS of the running network, from PALABRE_TEST_BSKY_PDS."""
    url = os.environ.get(PDS_ENV)
    if not url:
        raise RuntimeError(
            f"{PDS_ENV} is not set: start the network with `bash scripts/bsky.sh start` "
            "and `eval $(bash scripts/bsky.sh env)`, or use the bsky_pds fixture"
        )
    return url


def create_account(pds: str | None = None, *, name: str = "user") -> BskyAccount:
    """A new account with a unique handle (`<name><random>.test`) and an app password.

    Returns once the AppView knows the account, so logging in right away works."""
    pds = pds or pds_url()
    prefix = "".join(c for c in name.lower() if c.isascii() and c.isalnum())[:8] or "user"
    handle = f"{prefix}{secrets.token_hex(4)}.test"  # the PDS allows 3-18 characters before .test
    password = secrets.token_urlsafe(16)
    created = Client(base_url=pds).com.atproto.server.create_account(
        {"handle": handle, "password": password, "email": f"{handle[:-5]}@palabre.test"}
    )
    client = login(handle, password, pds)
    app_password = client.com.atproto.server.create_app_password({"name": "palabre"}).password
    return BskyAccount(handle, created.did, password, app_password, pds)


def login(handle: str, password: str, pds: str | None = None, *, timeout: float = 10.0) -> Client:
    """A logged-in SDK client (main or app password).

    Right after an account is created the AppView may not have indexed it yet and the
    login's profile lookup answers "Profile not found": retried until `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        client = Client(base_url=pds or pds_url())
        try:
            client.login(handle, password)
            return client
        except BadRequestError as exc:
            if "Profile not found" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(0.2)


def eventually(
    probe: Callable[[], T | None], *, timeout: float = 15.0, interval: float = 0.25, what: str = ""
) -> T:
    """Call `probe` until it returns something other than None/False/empty; return that.

    Fails with AssertionError after `timeout` seconds (saying `what` was awaited)."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not seen after {timeout:.0f}s: {what or probe}")
        time.sleep(interval)


def _bsky_sh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], capture_output=True, text=True)


def _env_value(env_lines: str, name: str) -> str:
    for line in env_lines.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        if key == name:
            return value
    raise RuntimeError(f"scripts/bsky.sh env did not print {name}:\n{env_lines}")


@contextmanager
def network_for_session() -> Iterator[str]:
    """The PDS URL: PALABRE_TEST_BSKY_PDS when set, else the network of this checkout,
    started by `scripts/bsky.sh start` when it is not running (and stopped at the end).

    Never skips: a test that needs Bluesky fails when the network cannot be had."""
    if os.environ.get(PDS_ENV):
        yield os.environ[PDS_ENV]
        return
    started = False
    if _bsky_sh("status").returncode != 0:
        start = _bsky_sh("start")
        if start.returncode != 0:
            pytest.fail(
                f"the local Bluesky network did not start ({PDS_ENV} is unset); if it is "
                f"not installed, run: bash scripts/bsky.sh install\n{start.stdout}{start.stderr}",
                pytrace=False,
            )
        started = True
    try:
        env = _bsky_sh("env")
        if env.returncode != 0:
            pytest.fail(f"scripts/bsky.sh env failed:\n{env.stdout}{env.stderr}", pytrace=False)
        yield _env_value(env.stdout, PDS_ENV)
    finally:
        if started:
            _bsky_sh("stop")
