"""visit_comments: when the server took each comment (its clock orders a visit's thread)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 23:30:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Comments taken before this revision keep no time: they sort before the dated ones.
    with op.batch_alter_table('visit_comments', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('posted_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('visit_comments', schema=None) as batch_op:
        batch_op.drop_column('posted_at')
