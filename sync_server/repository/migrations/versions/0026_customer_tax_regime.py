"""customers: the tax regime the ERP may set (domestic, intra-EU, export, exempt territory)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 03:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Customers imported before this revision have none: their regime is derived.
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tax_regime', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch_op:
        batch_op.drop_column('tax_regime')
