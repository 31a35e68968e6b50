"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from palabre.core.migrate import include_object
from palabre.core.runtime import Runtime
from palabre.models import Base


def test_models_and_migrations_agree(rt: Runtime) -> None:
    # conftest built this database with `alembic upgrade head`, not create_all.
    with rt.db.write_engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models changed without a migration: {diff}"
