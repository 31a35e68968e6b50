"""Migration 0007 gives every existing workspace its response-time policy, due at once:
the worker's first visit threads the notifications stored before the inbox existed."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from palabre.core.migrate import upgrade


def test_existing_workspaces_get_a_policy_due_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0006")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO workspaces (name, timezone, language, created_at, content_version) "
                "VALUES ('Musée', 'Europe/Paris', 'fr', CURRENT_TIMESTAMP, 0)"
            )
        )
    upgrade(url, "head")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT state, urgent_minutes, low_minutes, next_attempt_at IS NOT NULL "
                "FROM inbox_sla_policies"
            )
        ).all()
        on_duty = conn.execute(sa.text("SELECT COUNT(*) FROM users WHERE on_duty")).scalar()
    assert [tuple(r) for r in rows] == [("watching", 60, 1620, 1)]
    assert on_duty == 0  # no one yet; the column exists with its default
    engine.dispose()
