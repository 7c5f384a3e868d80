"""Also leads: a leader who leads other workshops besides her own

Revision ID: 0028_also_leads
Revises: 0029_till_request_key
Create Date: 2026-12-04 21:27:24.459302

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028_also_leads'
down_revision = '0029_till_request_key'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('also_leads',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_also_leads_site_id_sites')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_also_leads_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'site_id', name=op.f('pk_also_leads'))
    )
    with op.batch_alter_table('also_leads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_also_leads_site_id'), ['site_id'], unique=False)



def downgrade():
    with op.batch_alter_table('also_leads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_also_leads_site_id'))

    op.drop_table('also_leads')
