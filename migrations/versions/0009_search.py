"""Full-text search: PostgreSQL tsvector with a GIN index, SQLite FTS5

Revision ID: 4d9f6a1c2e57
Revises: 7b3e0c2f9a18
Create Date: 2026-11-30 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d9f6a1c2e57'
down_revision = '7b3e0c2f9a18'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
