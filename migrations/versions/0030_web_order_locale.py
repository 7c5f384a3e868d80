"""Web orders remember the language the buyer shopped in: later e-mails (not collected, paid too late) use it

Revision ID: 0030_web_order_locale
Revises: 0028_also_leads
Create Date: 2026-12-04 23:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0030_web_order_locale'
down_revision = '0028_also_leads'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('web_orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=5), server_default='da', nullable=False))


def downgrade():
    with op.batch_alter_table('web_orders', schema=None) as batch_op:
        batch_op.drop_column('locale')
