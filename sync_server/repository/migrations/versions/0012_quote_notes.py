"""quote notes: for the customer, for the team, and the conditions agreed on the spot

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 21:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_NOTES = ('customer_note', 'internal_note', 'conditions')


def upgrade() -> None:
    # Quotes saved before this revision have none of them (the models' default, '').
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        for name in _NOTES:
            batch_op.add_column(sa.Column(name, sa.String(length=4000), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        for name in reversed(_NOTES):
            batch_op.drop_column(name)
