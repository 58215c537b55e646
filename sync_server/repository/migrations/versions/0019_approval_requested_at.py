"""approval requests: when each reached the server, where time to decision starts

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Requests made before this revision have none (their time to decision is unknown).
    with op.batch_alter_table('approval_requests', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('requested_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('approval_requests', schema=None) as batch_op:
        batch_op.drop_column('requested_at')
