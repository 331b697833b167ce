"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from relance.store.models import Base


def test_migrations_match_models(store):
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)
    # Server defaults and index naming are not compared by default; tables,
    # columns, types, nullability and foreign keys are.
    assert differences == []
