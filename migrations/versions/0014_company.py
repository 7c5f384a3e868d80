"""Company accounts: company details on customers, company members, registrations, invitations

Revision ID: 0014_company
Revises: 0013_payments
Create Date: 2026-12-04 06:45:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_company'
down_revision = '0013_payments'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('company_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_company_members_customer_id_customers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_company_members_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_members')),
    sa.UniqueConstraint('user_id', name=op.f('uq_company_members_user_id'))
    )
    op.create_index(op.f('ix_company_members_customer_id'), 'company_members', ['customer_id'], unique=False)
    op.create_table('company_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'approved', 'declined', name='registrationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('company_name', sa.String(length=160), nullable=False),
    sa.Column('cvr', sa.String(length=8), nullable=False),
    sa.Column('ean', sa.String(length=13), nullable=False),
    sa.Column('billing_address', sa.String(length=300), nullable=False),
    sa.Column('delivery_address', sa.String(length=300), nullable=False),
    sa.Column('vat_exempt', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_company_registrations_customer_id_customers')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_company_registrations_decided_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_company_registrations_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_registrations')),
    sa.UniqueConstraint('user_id', name=op.f('uq_company_registrations_user_id'))
    )
    op.create_index(op.f('ix_company_registrations_status'), 'company_registrations', ['status'], unique=False)
    op.create_table('company_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_company_invitations_customer_id_customers')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_company_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['used_by_id'], ['users.id'], name=op.f('fk_company_invitations_used_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_company_invitations_token_hash'))
    )
    op.create_index(op.f('ix_company_invitations_customer_id'), 'company_invitations', ['customer_id'], unique=False)
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ean', sa.String(length=13), server_default='', nullable=False))
        batch_op.add_column(sa.Column('billing_address', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('delivery_address', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('vat_exempt', sa.Boolean(), server_default=sa.false(), nullable=False))
    # A customer's one login becomes her company's first member; then the column goes.
    op.execute("INSERT INTO company_members (customer_id, user_id, created_at) "
               "SELECT id, user_id, created_at FROM customers WHERE user_id IS NOT NULL")
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_customers_user_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_customers_user_id_users'), type_='foreignkey')
        batch_op.drop_column('user_id')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=True)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_customers_user_id_users'), 'users', ['user_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_customers_user_id'), ['user_id'])
        batch_op.drop_column('vat_exempt')
        batch_op.drop_column('delivery_address')
        batch_op.drop_column('billing_address')
        batch_op.drop_column('ean')
    op.drop_index(op.f('ix_company_invitations_customer_id'), table_name='company_invitations')
    op.drop_table('company_invitations')
    op.drop_index(op.f('ix_company_registrations_status'), table_name='company_registrations')
    op.drop_table('company_registrations')
    op.drop_index(op.f('ix_company_members_customer_id'), table_name='company_members')
    op.drop_table('company_members')
