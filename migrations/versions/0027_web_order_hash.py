"""Webshop: a web order's page key stored only as its SHA-256 hash; each site's pick-up hours

Revision ID: 0027_web_order_hash
Revises: 0019_web_orders
Create Date: 2026-12-04 21:50:00

"""
import hashlib

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027_web_order_hash'
down_revision = '0019_web_orders'
branch_labels = None
depends_on = None


def upgrade():
    # A plain text column, added in place (see 0016_site_bank: `sites` is not copied).
    op.add_column('sites', sa.Column('pickup_hours', sa.String(length=200), server_default='', nullable=False))
    # The links already mailed keep working: the page looks the hash of the link's key up.
    _move_key('token', 'token_hash', lambda token: hashlib.sha256(token.encode()).hexdigest())


def downgrade():
    # The keys cannot be recovered from their hashes: the column gets the hashes, and the links mailed
    # before no longer open their order pages.
    _move_key('token_hash', 'token', lambda token_hash: token_hash)
    op.drop_column('sites', 'pickup_hours')


def _move_key(old, new, convert):
    """Replace web_orders' unique column `old` by `new`, each row's value converted."""
    with op.batch_alter_table('web_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column(new, sa.String(length=64), nullable=True))
    connection = op.get_bind()
    orders = sa.table('web_orders', sa.column('id', sa.Integer), sa.column(old, sa.String),
                      sa.column(new, sa.String))
    for order_id, value in connection.execute(sa.select(orders.c.id, orders.c[old])).all():
        connection.execute(orders.update().where(orders.c.id == order_id).values({new: convert(value)}))
    with op.batch_alter_table('web_orders', schema=None) as batch_op:
        batch_op.alter_column(new, existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_constraint(batch_op.f(f'uq_web_orders_{old}'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f(f'uq_web_orders_{new}'), [new])
        batch_op.drop_column(old)
