"""prospects: companies sellers met that the ERP does not know yet, made on the tablet

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 23:10:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('prospects',
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('seller_login', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tax_id', sa.String(length=200), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('phone', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('lead_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sync_server.repository.types.UtcDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_prospects'))
    )
    with op.batch_alter_table('prospects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prospects_seller_login'), ['seller_login'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('prospects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prospects_seller_login'))

    op.drop_table('prospects')
