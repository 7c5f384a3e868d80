"""Retail stock: movements of finished goods per site and the cached level with restock levels

Revision ID: 0017_stock
Revises: 0016_site_bank
Create Date: 2026-12-05 09:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017_stock'
down_revision = '0016_site_bank'
branch_labels = None
depends_on = None

KINDS = ('produced', 'sold', 'reserved', 'released', 'returned', 'adjusted', 'moved_in', 'moved_out')


def upgrade():
    op.create_table('stock_movements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum(*KINDS, name='movementkind', native_enum=False, length=32), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('work_order_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity <> 0', name=op.f('ck_stock_movements_quantity_not_zero')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_stock_movements_actor_id_users')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_movements_product_id_products')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_stock_movements_site_id_sites')),
    sa.ForeignKeyConstraint(['variant_id'], ['product_variants.id'],
                            name=op.f('fk_stock_movements_variant_id_product_variants')),
    sa.ForeignKeyConstraint(['work_order_id'], ['work_orders.id'],
                            name=op.f('fk_stock_movements_work_order_id_work_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movements'))
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_movements_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stock_movements_product_id'), ['product_id'], unique=False)
        batch_op.create_index('uq_stock_movements_produced_once', ['work_order_id'], unique=True,
                              sqlite_where=sa.text("kind = 'produced'"),
                              postgresql_where=sa.text("kind = 'produced'"))

    op.create_table('stock_levels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('variant_id', sa.Integer(), nullable=True),
    sa.Column('on_hand', sa.Integer(), nullable=False),
    sa.Column('reserved', sa.Integer(), nullable=False),
    sa.Column('min_level', sa.Integer(), nullable=False),
    sa.Column('target_level', sa.Integer(), nullable=False),
    sa.CheckConstraint('on_hand >= 0', name=op.f('ck_stock_levels_on_hand_not_negative')),
    sa.CheckConstraint('reserved >= 0 AND reserved <= on_hand', name=op.f('ck_stock_levels_reserved_within_on_hand')),
    sa.CheckConstraint('min_level >= 0 AND target_level >= min_level', name=op.f('ck_stock_levels_levels_in_order')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_stock_levels_product_id_products')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_stock_levels_site_id_sites')),
    sa.ForeignKeyConstraint(['variant_id'], ['product_variants.id'],
                            name=op.f('fk_stock_levels_variant_id_product_variants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_levels'))
    )
    with op.batch_alter_table('stock_levels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_levels_site_id'), ['site_id'], unique=False)
        batch_op.create_index('uq_stock_levels_variant', ['site_id', 'product_id', 'variant_id'], unique=True,
                              sqlite_where=sa.text('variant_id IS NOT NULL'),
                              postgresql_where=sa.text('variant_id IS NOT NULL'))
        batch_op.create_index('uq_stock_levels_no_variant', ['site_id', 'product_id'], unique=True,
                              sqlite_where=sa.text('variant_id IS NULL'),
                              postgresql_where=sa.text('variant_id IS NULL'))


def downgrade():
    op.drop_table('stock_levels')
    op.drop_table('stock_movements')
