"""Retail sales: numbered receipts (sales and returns) with their lines, VAT and the batch each item came from

Revision ID: 0018_sales
Revises: 0017_stock
Create Date: 2026-12-04 18:01:44.302232

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_sales'
down_revision = '0017_stock'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sale_counters',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_sale_counters_site_id_sites')),
    sa.PrimaryKeyConstraint('site_id', name=op.f('pk_sale_counters'))
    )
    op.create_table('sales',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('web', 'till', name='salechannel', native_enum=False, length=32), nullable=False),
    sa.Column('payment_method', sa.Enum('cash', 'card_terminal', 'mobilepay', 'stripe', name='salepaymentmethod', native_enum=False, length=32), nullable=False),
    sa.Column('total_ore', sa.Integer(), nullable=False),
    sa.Column('vat_ore', sa.Integer(), nullable=False),
    sa.Column('returns_sale_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_sales_actor_id_users')),
    sa.ForeignKeyConstraint(['returns_sale_id'], ['sales.id'], name=op.f('fk_sales_returns_sale_id_sales')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_sales_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales'))
    )
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sales_returns_sale_id'), ['returns_sale_id'], unique=False)
        batch_op.create_index('ix_sales_site_at', ['site_id', 'at'], unique=False)
        batch_op.create_index('uq_sales_site_number', ['site_id', 'number'], unique=True)

    op.create_table('sale_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sale_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_ore', sa.Integer(), nullable=False),
    sa.Column('total_ore', sa.Integer(), nullable=False),
    sa.Column('vat_ore', sa.Integer(), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('returns_line_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('quantity <> 0', name=op.f('ck_sale_lines_sale_quantity_not_zero')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_sale_lines_product_id_products')),
    sa.ForeignKeyConstraint(['returns_line_id'], ['sale_lines.id'], name=op.f('fk_sale_lines_returns_line_id_sale_lines')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_sale_lines_sale_id_sales')),
    sa.ForeignKeyConstraint(['variant_id'], ['product_variants.id'], name=op.f('fk_sale_lines_variant_id_product_variants')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'], name=op.f('fk_sale_lines_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_lines'))
    )
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_lines_product_id'), ['product_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_lines_sale_id'), ['sale_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sale_lines_work_order_id'), ['work_order_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sale_lines_work_order_id'))
        batch_op.drop_index(batch_op.f('ix_sale_lines_sale_id'))
        batch_op.drop_index(batch_op.f('ix_sale_lines_product_id'))

    op.drop_table('sale_lines')
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.drop_index('uq_sales_site_number')
        batch_op.drop_index('ix_sales_site_at')
        batch_op.drop_index(batch_op.f('ix_sales_returns_sale_id'))

    op.drop_table('sales')
    op.drop_table('sale_counters')
