"""One audit log for every target (system actor, details) and one open report per member per post

Revision ID: 3f2a9c41d7e8
Revises: 6c63ff7c59b5
Create Date: 2026-11-30 07:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f2a9c41d7e8'
down_revision = '6c63ff7c59b5'
branch_labels = None
depends_on = None

OPEN_REPORT = sa.text("status = 'open'")


def upgrade():
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.alter_column('actor_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))

    # Races could have left a member two open reports on one post: keep the first.
    op.execute(
        "UPDATE reports SET status = 'dismissed', resolution_reason = 'duplicate report' "
        "WHERE status = 'open' AND id NOT IN "
        "(SELECT first_id FROM (SELECT MIN(id) AS first_id FROM reports WHERE status = 'open' "
        "GROUP BY post_id, reporter_id) AS firsts)")
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('uq_reports_open_per_reporter', ['post_id', 'reporter_id'],
                              unique=True, sqlite_where=OPEN_REPORT,
                              postgresql_where=OPEN_REPORT)


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('uq_reports_open_per_reporter', sqlite_where=OPEN_REPORT,
                            postgresql_where=OPEN_REPORT)

    # Entries the system wrote have no actor to keep under the old schema.
    op.execute("DELETE FROM moderation_actions WHERE actor_id IS NULL")
    with op.batch_alter_table('moderation_actions', schema=None) as batch_op:
        batch_op.drop_column('details')
        batch_op.alter_column('actor_id', existing_type=sa.Integer(), nullable=False)
