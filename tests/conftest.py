"""Shared fixtures: a real database (SQLite, or PostgreSQL when PALABRE_TEST_DATABASE_URL
is set), emptied before each test, a Palabre runtime on it and a web client."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, text

from palabre.core.config import Settings
from palabre.core.migrate import upgrade
from palabre.core.runtime import Runtime
from palabre.core.web import create_app
from palabre.models import Base

PG_URL = os.environ.get("PALABRE_TEST_DATABASE_URL")

# Property-based tests: random cases locally (each run may find a new failing case), the
# same cases at every CI run (a CI failure is then the change's, not the draw's). "ci" has
# no example database (nothing replayed from an earlier run) and no per-example deadline
# (a shared, loaded machine must not make a test fail). `PALABRE_TEST_PROFILE=random` on a
# CI machine draws at random (hypothesis itself derandomises when it sees `CI`, hence the
# explicit setting); `PALABRE_TEST_PROFILE=ci` locally replays CI's cases.
hypothesis_settings.register_profile("random", derandomize=False)
hypothesis_settings.register_profile(
    "ci", derandomize=True, database=None, deadline=None, max_examples=100, print_blob=True
)
HYPOTHESIS_PROFILE = os.environ.get("PALABRE_TEST_PROFILE") or (
    "ci" if os.environ.get("CI") else "random"
)
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)

# Fixtures for the networks' adapters (a module per network).
pytest_plugins = ["tests.fixtures.mastodon", "tests.fixtures.bluesky", "tests.fixtures.feeds"]


def pytest_report_header() -> str:
    database = "PostgreSQL" if PG_URL else "SQLite"
    return f"palabre database: {database}; hypothesis profile: {HYPOTHESIS_PROFILE}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    upgrade(url)  # the real migrations, not create_all
    return url


@pytest.fixture(scope="session")
def secret_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def session_runtime(database_url: str, secret_key: str, data_dir: Path) -> Iterator[Runtime]:
    # The local test servers (Mastodon API, Bluesky network) listen on loopback over http.
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key=secret_key,
        fetch_allowlist="127.0.0.1,localhost",
    )
    rt = Runtime(settings)
    yield rt
    rt.close()


def empty_database(rt: Runtime) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with rt.db.write_engine.begin() as conn:
        if rt.db.is_sqlite:
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))
        else:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture
def rt(session_runtime: Runtime) -> Runtime:
    """The runtime, on a database emptied before the test."""
    empty_database(session_runtime)
    return session_runtime


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(rt), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="session")
def bsky_pds() -> Iterator[str]:
    """URL of the real local Bluesky network's PDS: PALABRE_TEST_BSKY_PDS, else the network
    started here by scripts/bsky.sh (helpers: tests/bsky_net.py)."""
    from tests.bsky_net import network_for_session

    with network_for_session() as url:
        yield url
