"""After PostgreSQL drops its connections (a restart, a failover), nobody sees an error."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from palabre.core.runtime import Runtime
from tests import factories as f


def test_pages_keep_working_when_the_server_drops_every_connection(
    rt: Runtime, client: TestClient, database_url: str
) -> None:
    if rt.db.is_sqlite:
        pytest.skip("PostgreSQL only: SQLite has no server to restart")
    with rt.db.transaction() as s:
        ws = f.workspace(s)
        u = f.user(s, ws, "manager")
    f.sign_in(client, u.email)
    assert client.get("/").status_code == 200  # the pool now holds live connections
    admin = create_engine(database_url)
    with admin.begin() as conn:
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    admin.dispose()
    assert killed and killed >= 1
    assert client.get("/").status_code == 200
    assert client.get("/calendar").status_code == 200
