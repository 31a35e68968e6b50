"""A real `palabre serve` process and a real headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    env: dict[str, str]
    data_dir: Path


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PALABRE_DATABASE_URL", None)
    env.update(
        PALABRE_DATA_DIR=str(data_dir),
        PALABRE_SECRET_KEY=Fernet.generate_key().decode(),
        # The local test servers (the Mastodon API server) listen on loopback over http.
        PALABRE_FETCH_ALLOWLIST="127.0.0.1,localhost",
        # An open conversation asks who else is there every second, not every 20.
        PALABRE_INBOX_PRESENCE_SECONDS="1",
    )
    return env


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`palabre serve` (worker in-process) on SQLite, on a free loopback port."""
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, "-m", "palabre.cli", "migrate"], env=env, check=True, capture_output=True
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "palabre.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "serve.log", "wb"),  # noqa: SIM115
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/signin", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("palabre serve did not start: " + (tmp_path / "serve.log").read_text()[-2000:])
    try:
        yield Server(url, env, tmp_path)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (scripts/chromium.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
