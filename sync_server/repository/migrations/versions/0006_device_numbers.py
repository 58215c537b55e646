"""device numbers: each of a user's devices gets 1, 2, 3… for offline quote numbers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 18:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
    # Devices registered before this step are numbered in the order they were registered.
    op.execute(
        "UPDATE devices SET number = (SELECT count(*) FROM devices AS earlier "
        "WHERE earlier.login = devices.login AND (earlier.created_at < devices.created_at "
        "OR (earlier.created_at = devices.created_at AND earlier.client_id <= devices.client_id)))"
    )
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index('ux_devices_login_number', ['login', 'number'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index('ux_devices_login_number')
        batch_op.drop_column('number')
