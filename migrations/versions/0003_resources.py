"""Clinic resources: resource links, their categories, evidence notes, daily click counts

Revision ID: 6c63ff7c59b5
Revises: aa8af1da8979
Create Date: 2026-11-25 13:50:16.459583

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6c63ff7c59b5'
down_revision = 'aa8af1da8979'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('resource_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clinic_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('site_wide', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('unpinned_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=False),
    sa.Column('link_status', sa.String(length=10), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=True),
    sa.Column('check_detail', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['clinic_id'], ['clinics.id'], name=op.f('fk_resource_links_clinic_id_clinics')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_resource_links_created_by_id_users')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_resource_links_hidden_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_links'))
    )
    with op.batch_alter_table('resource_links', schema=None) as batch_op:
        batch_op.create_index('ix_resource_links_clinic_position', ['clinic_id', 'position'], unique=False)

    op.create_table('evidence_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_evidence_notes_author_id_users')),
    sa.ForeignKeyConstraint(['link_id'], ['resource_links.id'], name=op.f('fk_evidence_notes_link_id_resource_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_notes')),
    sa.UniqueConstraint('link_id', name=op.f('uq_evidence_notes_link_id'))
    )
    op.create_table('resource_clicks',
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['resource_links.id'], name=op.f('fk_resource_clicks_link_id_resource_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('link_id', 'day', name=op.f('pk_resource_clicks'))
    )
    op.create_table('resource_link_categories',
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_resource_link_categories_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['link_id'], ['resource_links.id'], name=op.f('fk_resource_link_categories_link_id_resource_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('link_id', 'category_id', name=op.f('pk_resource_link_categories'))
    )


def downgrade():
    op.drop_table('resource_link_categories')
    op.drop_table('resource_clicks')
    op.drop_table('evidence_notes')
    with op.batch_alter_table('resource_links', schema=None) as batch_op:
        batch_op.drop_index('ix_resource_links_clinic_position')

    op.drop_table('resource_links')
