"""Display settings on users: text size, theme, reduced motion and a readable font

Each column has a server default, so existing members read the site as before. Only
`users` changes: on SQLite its CHECK constraints need the table rebuilt (posts and threads,
with their search triggers, are left alone); PostgreSQL alters it in place.

Revision ID: 8c1d5e7f2a90
Revises: 4d9f6a1c2e57
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c1d5e7f2a90'
down_revision = '4d9f6a1c2e57'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('display_text_size', sa.Integer(), nullable=False,
                                      server_default=sa.text('100')))
        batch_op.add_column(sa.Column('display_theme', sa.String(length=20), nullable=False,
                                      server_default='system'))
        batch_op.add_column(sa.Column('display_reduce_motion', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('display_readable_font', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_check_constraint(
            op.f('ck_users_display_text_size_known'),
            "display_text_size IN (100, 125, 150, 175)")
        batch_op.create_check_constraint(
            op.f('ck_users_display_theme_known'),
            "display_theme IN ('system', 'light', 'dark', 'high-contrast')")


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_display_theme_known'), type_='check')
        batch_op.drop_constraint(op.f('ck_users_display_text_size_known'), type_='check')
        batch_op.drop_column('display_readable_font')
        batch_op.drop_column('display_reduce_motion')
        batch_op.drop_column('display_theme')
        batch_op.drop_column('display_text_size')
