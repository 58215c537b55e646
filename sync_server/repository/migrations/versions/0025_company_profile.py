"""company_profile: the issuing company (from company.csv or an administrator) and its logo

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 02:30:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('company_profile',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.Text(), nullable=False),
    sa.Column('logo', sa.LargeBinary(), nullable=True),
    sa.Column('logo_type', sa.String(length=40), nullable=True),
    sa.Column('logo_sha256', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_profile'))
    )


def downgrade() -> None:
    op.drop_table('company_profile')
