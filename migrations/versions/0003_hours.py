"""Hours: dated rule values, frikort override reason on ledger entries, employment end after start

Revision ID: 0003_hours
Revises: 0002_work_orders
Create Date: 2026-11-22 18:07:55.526440

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_hours'
down_revision = '0002_work_orders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rule_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('scope', sa.String(length=60), nullable=False),
    sa.Column('value_int', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_rule_values_changed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_values'))
    )
    with op.batch_alter_table('rule_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_values_effective_from'), ['effective_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_rule_values_name'), ['name'], unique=False)

    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('override_reason', sa.String(length=300), nullable=False, server_default=''))

    with op.batch_alter_table('employments', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_employments_end_after_start'), 'end_date IS NULL OR end_date >= start_date')



def downgrade():
    with op.batch_alter_table('employments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_employments_end_after_start'), type_='check')

    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_column('override_reason')

    with op.batch_alter_table('rule_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rule_values_name'))
        batch_op.drop_index(batch_op.f('ix_rule_values_effective_from'))

    op.drop_table('rule_values')
