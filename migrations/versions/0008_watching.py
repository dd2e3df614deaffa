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
    op.create_table('category_watches',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("level IN ('watching', 'normal', 'muted')", name=op.f('ck_category_watches_level_known')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_category_watches_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_category_watches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'category_id', name=op.f('pk_category_watches'))
    )
    with op.batch_alter_table('category_watches', schema=None) as batch_op:
        batch_op.create_index('ix_category_watches_category_level', ['category_id', 'level'], unique=False)

    op.create_table('thread_watches',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("level IN ('watching', 'normal', 'muted')", name=op.f('ck_thread_watches_level_known')),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_watches_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_thread_watches_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'thread_id', name=op.f('pk_thread_watches'))
    )
    with op.batch_alter_table('thread_watches', schema=None) as batch_op:
        batch_op.create_index('ix_thread_watches_thread_level', ['thread_id', 'level'], unique=False)

    op.create_table('grouped_notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('group_key', sa.String(length=80), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('last_actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('mailed_at', sa.DateTime(), nullable=True),
    sa.Column('digested_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['last_actor_id'], ['users.id'], name=op.f('fk_grouped_notifications_last_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_grouped_notifications_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_grouped_notifications_thread_id_threads'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_grouped_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grouped_notifications'))
    )
    with op.batch_alter_table('grouped_notifications', schema=None) as batch_op:
        batch_op.create_index('ix_grouped_notifications_user_unread', ['user_id', 'read_at'], unique=False)
        batch_op.create_index('ix_grouped_notifications_group', ['group_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_grouped_notifications_thread_id'), ['thread_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grouped_notifications_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grouped_notifications_last_actor_id'), ['last_actor_id'], unique=False)
        batch_op.create_index('ux_grouped_notifications_unread_group', ['user_id', 'group_key'], unique=True, postgresql_where=sa.text('read_at IS NULL'), sqlite_where=sa.text('read_at IS NULL'))


def downgrade():
    op.drop_table('grouped_notifications')
    with op.batch_alter_table('thread_watches', schema=None) as batch_op:
        batch_op.drop_index('ix_thread_watches_thread_level')

    op.drop_table('thread_watches')
    with op.batch_alter_table('category_watches', schema=None) as batch_op:
        batch_op.drop_index('ix_category_watches_category_level')

    op.drop_table('category_watches')
