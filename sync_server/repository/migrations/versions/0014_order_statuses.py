"""order statuses: the ERP's steps for an exported order, and the order an invoice line delivered

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 21:30:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('order_statuses',
    sa.Column('order_id', sa.String(length=36), nullable=False),
    sa.Column('erp_order', sa.String(length=64), nullable=True),
    sa.Column('customer_code', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=False),
    sa.Column('quantity', sync_server.repository.types.ExactDecimal(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('order_id', 'status', name=op.f('pk_order_statuses'))
    )
    op.create_index(op.f('ix_order_statuses_customer_code'), 'order_statuses', ['customer_code'], unique=False)
    # Invoice lines imported before this revision name no order.
    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_invoice_lines_order_id'), ['order_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('invoice_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_lines_order_id'))
        batch_op.drop_column('order_id')
    op.drop_index(op.f('ix_order_statuses_customer_code'), table_name='order_statuses')
    op.drop_table('order_statuses')
