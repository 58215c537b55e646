"""quote links and losses: the visit and opportunity a quote came from, the competitor's
price per line of a lost quote, and who won a lost opportunity at what price

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 10:00:00
"""
import sqlalchemy as sa
from alembic import op

import sync_server.repository.types

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Quotes saved before this revision came from no visit or opportunity and carry no line
    # prices; opportunities lost before it name no competitor (the models' defaults).
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('competitor_lines', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('visit_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('opportunity_id', sa.String(length=36), nullable=True))
        batch_op.create_index(batch_op.f('ix_quotes_visit_id'), ['visit_id'], unique=False)
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('competitor', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(
            sa.Column('competitor_price', sync_server.repository.types.ExactDecimal(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table('opportunities', schema=None) as batch_op:
        batch_op.drop_column('competitor_price')
        batch_op.drop_column('competitor')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_visit_id'))
        for name in ('opportunity_id', 'visit_id', 'competitor_lines'):
            batch_op.drop_column(name)
