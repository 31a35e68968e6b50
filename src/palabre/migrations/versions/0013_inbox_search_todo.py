"""inbox: a second search index over the messages of the conversations to handle

See ``inbox/search_todo.py``. On a large PostgreSQL database the messages of the
conversations to handle are updated once (about one in ten) and the partial index built,
with ``inbox_messages`` locked against writes meanwhile.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-21 15:00:00
"""

from collections.abc import Sequence

from alembic import op

from palabre.inbox import search_todo

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in search_todo.SQLITE_DDL if sqlite else search_todo.POSTGRES_DDL:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in search_todo.SQLITE_DROP if sqlite else search_todo.POSTGRES_DROP:
        op.execute(statement)
