"""deactivations: accounts an administrator turned off

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 02:10:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('deactivations',
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('deactivated_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('deactivated_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('login', name=op.f('pk_deactivations'))
    )


def downgrade() -> None:
    op.drop_table('deactivations')
