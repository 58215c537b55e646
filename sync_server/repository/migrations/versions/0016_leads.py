"""leads: people who may buy, noted by sellers (and later imported), worked to an opportunity

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 22:00:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('leads',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('seller_login', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.String(length=4000), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('customer_code', sa.String(length=64), nullable=True),
    sa.Column('opportunity_id', sa.String(length=36), nullable=True),
    sa.Column('discard_reason', sa.String(length=200), nullable=False),
    sa.Column('created_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('first_contact_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leads'))
    )
    op.create_index(op.f('ix_leads_customer_code'), 'leads', ['customer_code'], unique=False)
    op.create_index(op.f('ix_leads_seller_login'), 'leads', ['seller_login'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_leads_seller_login'), table_name='leads')
    op.drop_index(op.f('ix_leads_customer_code'), table_name='leads')
    op.drop_table('leads')
