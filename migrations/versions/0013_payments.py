"""payments for every kind of sale: an online payment names its payable neutrally (kind and id), and
each Stripe event is handled once (payment_events, unique event id); repair payments are carried over

Revision ID: 0013_payments
Revises: 0012_session_token
Create Date: 2026-12-04 06:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_payments'
down_revision = '0012_session_token'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('payment_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=255), nullable=False),
    sa.Column('event_type', sa.String(length=80), nullable=False),
    sa.Column('session_id', sa.String(length=255), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_events')),
    sa.UniqueConstraint('event_id', name=op.f('uq_payment_events_event_id'))
    )
    with op.batch_alter_table('online_payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('payable_kind', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('payable_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('payment_kind', sa.String(length=20), nullable=True))
    # Every online payment so far was for a repair ticket, paid in full.
    op.execute("UPDATE online_payments SET payable_kind = 'repair_ticket', payable_id = ticket_id, "
               "payment_kind = 'full', site_id = (SELECT repair_tickets.site_id FROM repair_tickets "
               "WHERE repair_tickets.id = online_payments.ticket_id)")
    with op.batch_alter_table('online_payments', schema=None) as batch_op:
        batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('payable_kind', existing_type=sa.String(length=40), nullable=False)
        batch_op.alter_column('payable_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('payment_kind', existing_type=sa.String(length=20), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_online_payments_site_id_sites'), 'sites', ['site_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_online_payments_site_id'), ['site_id'], unique=False)
        batch_op.create_index('ix_online_payments_payable', ['payable_kind', 'payable_id'], unique=False)
        batch_op.drop_index(batch_op.f('ix_online_payments_ticket_id'))
        batch_op.drop_constraint(batch_op.f('fk_online_payments_ticket_id_repair_tickets'), type_='foreignkey')
        batch_op.drop_column('ticket_id')


def downgrade():
    with op.batch_alter_table('online_payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ticket_id', sa.Integer(), nullable=True))
    # Only repair payments can go back; payments for other kinds of sale have no place there.
    op.execute("DELETE FROM online_payments WHERE payable_kind <> 'repair_ticket'")
    op.execute("UPDATE online_payments SET ticket_id = payable_id")
    with op.batch_alter_table('online_payments', schema=None) as batch_op:
        batch_op.alter_column('ticket_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_online_payments_ticket_id_repair_tickets'), 'repair_tickets',
                                    ['ticket_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_online_payments_ticket_id'), ['ticket_id'], unique=False)
        batch_op.drop_index('ix_online_payments_payable')
        batch_op.drop_index(batch_op.f('ix_online_payments_site_id'))
        batch_op.drop_constraint(batch_op.f('fk_online_payments_site_id_sites'), type_='foreignkey')
        batch_op.drop_column('payment_kind')
        batch_op.drop_column('payable_id')
        batch_op.drop_column('payable_kind')
        batch_op.drop_column('site_id')
    op.drop_table('payment_events')
