"""products: unit rules (divisible, order minimum, order multiple)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 21:45:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Products imported before this revision follow their unit alone (all three empty).
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('divisible', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('order_minimum', sync_server.repository.types.ExactDecimal(), nullable=True))
        batch_op.add_column(sa.Column('order_multiple', sync_server.repository.types.ExactDecimal(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        for name in ('order_multiple', 'order_minimum', 'divisible'):
            batch_op.drop_column(name)
