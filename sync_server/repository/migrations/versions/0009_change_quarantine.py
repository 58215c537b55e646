"""quarantine for changes no device could read

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 12:31:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('quarantined_changes',
    sa.Column('seq', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('bucket', sa.String(length=120), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=300), nullable=False),
    sa.Column('op', sa.String(length=6), nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.Column('data', sa.Text(), nullable=True),
    sa.Column('created_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('quarantined_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_quarantined_changes'))
    )


def downgrade() -> None:
    op.drop_table('quarantined_changes')
