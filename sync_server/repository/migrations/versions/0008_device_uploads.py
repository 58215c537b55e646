"""uploads in progress belong to the device that started them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 12:30:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attachment_uploads',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('received_bytes', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', 'client_id', name=op.f('pk_attachment_uploads'))
    )
    # An upload in progress recorded before this step has no device: it is dropped, and the
    # device that was sending it finds nothing at its next HEAD and starts again from 0.
    op.execute("DELETE FROM attachments WHERE NOT is_complete")


def downgrade() -> None:
    op.drop_table('attachment_uploads')
