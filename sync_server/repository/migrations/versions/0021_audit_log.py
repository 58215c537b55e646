"""audit_log: sign-ins (failed too), revocations, approvals, e-mails and exports

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('login', sa.String(length=64), nullable=True),
    sa.Column('client_id', sa.String(length=36), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    op.create_index('ix_audit_log_at', 'audit_log', ['at'], unique=False)
    op.create_index('ix_audit_log_kind_address_at', 'audit_log', ['kind', 'address', 'at'], unique=False)
    op.create_index('ix_audit_log_kind_login_at', 'audit_log', ['kind', 'login', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_log_kind_login_at', table_name='audit_log')
    op.drop_index('ix_audit_log_kind_address_at', table_name='audit_log')
    op.drop_index('ix_audit_log_at', table_name='audit_log')
    op.drop_table('audit_log')
