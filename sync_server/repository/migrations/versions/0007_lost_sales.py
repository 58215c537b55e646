"""lost sales: lines customers dropped for lack of stock

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 18:20:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lost_sales',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('customer_code', sa.String(length=64), nullable=False),
    sa.Column('seller_login', sa.String(length=64), nullable=False),
    sa.Column('quote_id', sa.String(length=36), nullable=True),
    sa.Column('sku', sa.String(length=64), nullable=False),
    sa.Column('quantity', sync_server.repository.types.ExactDecimal(), nullable=False),
    sa.Column('sellable', sync_server.repository.types.ExactDecimal(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('unit_price', sync_server.repository.types.ExactDecimal(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lost_sales'))
    )
    op.create_index(op.f('ix_lost_sales_customer_code'), 'lost_sales', ['customer_code'], unique=False)
    op.create_index(op.f('ix_lost_sales_quote_id'), 'lost_sales', ['quote_id'], unique=False)
    op.create_index(op.f('ix_lost_sales_seller_login'), 'lost_sales', ['seller_login'], unique=False)
    op.create_index(op.f('ix_lost_sales_sku'), 'lost_sales', ['sku'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_lost_sales_sku'), table_name='lost_sales')
    op.drop_index(op.f('ix_lost_sales_seller_login'), table_name='lost_sales')
    op.drop_index(op.f('ix_lost_sales_quote_id'), table_name='lost_sales')
    op.drop_index(op.f('ix_lost_sales_customer_code'), table_name='lost_sales')
    op.drop_table('lost_sales')
