"""metric_parts: made again, as sales lost for stock now count the quotes lost for stock

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 17:00:00
"""
from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Parts kept before counted only the lines dropped or cut for stock: a period would add up
    # parts made by both formulas. Dropped with the change they follow, the next snapshot makes
    # each part again from the records.
    op.execute("DELETE FROM metric_parts")
    op.execute("DELETE FROM server_meta WHERE key = 'metrics_applied_seq'")


def downgrade() -> None:
    op.execute("DELETE FROM metric_parts")
    op.execute("DELETE FROM server_meta WHERE key = 'metrics_applied_seq'")
