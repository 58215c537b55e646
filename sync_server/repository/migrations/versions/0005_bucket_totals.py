"""per-bucket totals for cheap checkpoints

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 17:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'bucket_totals',
        sa.Column('bucket', sa.String(length=120), nullable=False),
        sa.Column('count', sa.BigInteger(), nullable=False),
        sa.Column('checksum', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('bucket', name=op.f('pk_bucket_totals')),
    )
    op.execute(
        "INSERT INTO bucket_totals (bucket, count, checksum) "
        "SELECT bucket, count(*), sum(checksum) % 4294967296 FROM records GROUP BY bucket"
    )


def downgrade() -> None:
    op.drop_table('bucket_totals')
