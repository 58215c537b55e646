"""quote answers: the customer's PO number and wanted delivery day, a lost note

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 20:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows written before this revision get the models' defaults: no PO, no note, no day.
    # (The server default stays: SQLite could drop it only by copying the whole table.)
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lost_note', sa.String(length=4000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('customer_po', sa.String(length=35), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('requested_delivery', sa.Date(), nullable=True))
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_po', sa.String(length=35), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('requested_delivery', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('requested_delivery')
        batch_op.drop_column('customer_po')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_column('requested_delivery')
        batch_op.drop_column('customer_po')
        batch_op.drop_column('lost_note')
