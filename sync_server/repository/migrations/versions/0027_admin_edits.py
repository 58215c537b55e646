"""admin_edits: the user and team fields an administrator set, kept across ERP imports;
credentials.erp_hash: the password hash the ERP last sent

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 05:00:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('admin_edits',
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('record_id', sa.String(length=200), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('erp_value', sa.Text(), nullable=True),
    sa.Column('edited_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('edited_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('entity', 'record_id', 'field', name=op.f('pk_admin_edits'))
    )
    # Left empty for hashes stored before: the next import records the ERP's hash without
    # replacing a password set on the server since (importer docs, "Administrator's changes").
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erp_hash', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.drop_column('erp_hash')
    op.drop_table('admin_edits')
