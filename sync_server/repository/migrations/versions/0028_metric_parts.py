"""metric_parts: each seller's kept part of the dashboard's figures

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 06:00:00
"""
import sqlalchemy as sa
from alembic import op

from sync_server.repository.types import UtcDateTime

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty at first: the first snapshot after the upgrade computes the parts it needs.
    op.create_table(
        'metric_parts',
        sa.Column('seller_login', sa.String(length=64), nullable=False),
        sa.Column('part', sa.String(length=40), nullable=False),
        sa.Column('data', sa.Text(), nullable=False),
        sa.Column('computed_at', UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('seller_login', 'part'),
    )


def downgrade() -> None:
    op.drop_table('metric_parts')
