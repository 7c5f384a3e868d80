"""Till sales remember the form that made them: a resent sell form finds its receipt, never a second one

Revision ID: 0029_till_request_key
Revises: 0027_web_order_hash
Create Date: 2026-12-04 22:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029_till_request_key'
down_revision = '0027_web_order_hash'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.add_column(sa.Column('request_key', sa.String(length=64), nullable=True))
        batch_op.create_index('uq_sales_site_request_key', ['site_id', 'request_key'], unique=True)


def downgrade():
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_index('uq_sales_site_request_key')
        batch_op.drop_column('request_key')
