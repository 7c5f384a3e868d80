"""Impact: a site's opt-in to the public impact page

Revision ID: 0021_impact
Revises: 0022_auth
Create Date: 2026-12-04 19:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0021_impact'
down_revision = '0022_auth'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('impact_publications',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_impact_publications_published_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_impact_publications_site_id_sites')),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_impact_publications'))
    )


def downgrade():
    op.drop_table('impact_publications')
