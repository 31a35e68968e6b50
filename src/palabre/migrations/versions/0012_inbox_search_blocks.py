"""inbox: PostgreSQL's search index also names each message's block of ids

Words that rarely meet are then found newest first block by block (``search.pg_indexed``).
The index is built again (on a large database the table is locked against writes
meanwhile: about two minutes at 5,000,000 messages); SQLite's FTS5 index is unchanged.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-21 14:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from palabre.inbox import search

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAIN_INDEX = "CREATE INDEX ix_inbox_messages_search ON inbox_messages USING gin (search_vector)"


def _index_definition() -> str:
    found = op.get_bind().execute(
        sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_inbox_messages_search'")
    )
    return str(found.scalar() or "")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    if "array_to_tsvector" in _index_definition():  # 0008 built it with its blocks already
        return
    op.execute("DROP INDEX IF EXISTS ix_inbox_messages_search")
    op.execute(search.PG_INDEX)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_inbox_messages_search")
    op.execute(PLAIN_INDEX)
