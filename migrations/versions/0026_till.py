"""Till days: a site's closed day at the till, the Z report's figures frozen, with the counted cash

Revision ID: 0026_till
Revises: 0025_indexes
Create Date: 2026-12-04 19:03:18.644753

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026_till'
down_revision = '0025_indexes'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('till_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('float_ore', sa.Integer(), nullable=False),
    sa.Column('counted_cash_ore', sa.Integer(), nullable=False),
    sa.Column('expected_cash_ore', sa.Integer(), nullable=False),
    sa.Column('difference_ore', sa.Integer(), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_till_days_closed_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_till_days_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_till_days'))
    )
    with op.batch_alter_table('till_days', schema=None) as batch_op:
        batch_op.create_index('uq_till_days_site_day', ['site_id', 'day'], unique=True)



def downgrade():
    with op.batch_alter_table('till_days', schema=None) as batch_op:
        batch_op.drop_index('uq_till_days_site_day')

    op.drop_table('till_days')
