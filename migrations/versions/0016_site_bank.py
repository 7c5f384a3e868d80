"""Invoices: the workshop's CVR and bank account, copied onto each invoice; an invoice's PDF with an e-mail

Revision ID: 0016_site_bank
Revises: 0015_orders
Create Date: 2026-12-04 14:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_site_bank'
down_revision = '0015_orders'
branch_labels = None
depends_on = None


#: Plain text columns, added and dropped in place (ALTER TABLE, also on SQLite >= 3.35): `sites` is not
#: copied and dropped as batch mode would, which SQLite's foreign keys refuse once rows point at it.
SITE_COLUMNS = (('cvr', 8), ('bank_reg_no', 4), ('bank_account_no', 10))
INVOICE_COLUMNS = (('seller_name', 120), ('seller_cvr', 8), ('seller_address', 200), ('seller_bank_reg_no', 4),
                   ('seller_bank_account_no', 10))


def upgrade():
    for name, length in SITE_COLUMNS:
        op.add_column('sites', sa.Column(name, sa.String(length=length), server_default='', nullable=False))
    for name, length in INVOICE_COLUMNS:
        op.add_column('invoices', sa.Column(name, sa.String(length=length), server_default='', nullable=False))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invoice_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_invoice_id_invoices'), 'invoices',
                                    ['invoice_id'], ['id'])


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_invoice_id_invoices'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_invoice_id'))
        batch_op.drop_column('invoice_id')
    for name, _length in reversed(INVOICE_COLUMNS):
        op.drop_column('invoices', name)
    for name, _length in reversed(SITE_COLUMNS):
        op.drop_column('sites', name)
