"""resident_lookups: a resident asks for her repair tickets by phone number and a one-time code

Revision ID: 0023_privacy
Revises: 0026_till
Create Date: 2026-12-04 20:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0023_privacy'
down_revision = '0026_till'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'resident_lookups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('phone', sa.String(length=16), nullable=False),
        sa.Column('code_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('verified_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_resident_lookups')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_resident_lookups_key_hash')),
    )
    with op.batch_alter_table('resident_lookups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_lookups_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_lookups_phone'), ['phone'], unique=False)


def downgrade():
    with op.batch_alter_table('resident_lookups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_lookups_phone'))
        batch_op.drop_index(batch_op.f('ix_resident_lookups_created_at'))
    op.drop_table('resident_lookups')
