"""The Alembic migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from forum.search.schema import ALEMBIC_OPTIONS


def test_models_and_migrations_agree(db):
    with db.engine.connect() as connection:
        # The search index is database-only (triggers, a tsvector column, FTS5 tables):
        # skipped here as migrations/env.py skips it, from the same list.
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, **ALEMBIC_OPTIONS})
        differences = compare_metadata(context, db.metadata)
    assert differences == []
