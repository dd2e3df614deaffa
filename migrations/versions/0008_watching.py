"""Watching threads and categories, and grouped notifications

Revision ID: 7b3e0c2f9a18
Revises: aca9047062e1
Create Date: 2026-11-30 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b3e0c2f9a18'
down_revision = 'aca9047062e1'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
