"""claims: the product and quantity claimed, a status and how the claim ended

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 21:25:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Claims recorded before this revision are open, about no product in particular.
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sku', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('quantity', sync_server.repository.types.ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=40), nullable=False, server_default='open'))
        batch_op.add_column(sa.Column('resolution', sa.String(length=4000), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_claims_sku'), ['sku'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('claims', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claims_sku'))
        for name in ('resolution', 'status', 'quantity', 'sku'):
            batch_op.drop_column(name)
