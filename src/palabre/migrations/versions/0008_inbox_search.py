"""inbox: full-text search over the messages (FTS5 on SQLite, tsvector + GIN on PostgreSQL)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-21 05:15:00
"""

from collections.abc import Sequence

from alembic import op

from palabre.inbox import search

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Creating the index fills it from the messages already stored (the backfill):
    # FTS5's 'rebuild', PostgreSQL's generated column computed for every row.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in search.SQLITE_DDL if sqlite else search.POSTGRES_DDL:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in search.SQLITE_DROP if sqlite else search.POSTGRES_DROP:
        op.execute(statement)
