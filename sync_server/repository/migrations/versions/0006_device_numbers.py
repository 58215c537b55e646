"""device numbers and quote prefixes: quote numbers issued offline never collide

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 18:10:00
"""
import sqlalchemy as sa
from alembic import op

from shared.rules.quote_lifecycle import quote_prefix

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('number', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('quote_prefix', sa.String(length=8), nullable=True))
    # Devices registered before this step are numbered in the order they were registered;
    # a prefix another device already has moves on to the next number.
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT d.client_id, d.login, u.name FROM devices AS d LEFT JOIN users AS u ON u.login = d.login "
        "ORDER BY d.created_at, d.client_id")).all()
    last: dict[str, int] = {}
    taken: set[str] = set()
    for client_id, login, name in rows:
        number = last.get(login, 0) + 1
        while (prefix := quote_prefix(name or login, number)) in taken:
            number += 1
        last[login] = number
        taken.add(prefix)
        conn.execute(sa.text("UPDATE devices SET number = :n, quote_prefix = :p WHERE client_id = :c"),
                     {"n": number, "p": prefix, "c": client_id})
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('quote_prefix', existing_type=sa.String(length=8), nullable=False)
        batch_op.create_index('ux_devices_login_number', ['login', 'number'], unique=True)
        batch_op.create_index('ux_devices_quote_prefix', ['quote_prefix'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('devices', schema=None) as batch_op:
        batch_op.drop_index('ux_devices_quote_prefix')
        batch_op.drop_index('ux_devices_login_number')
        batch_op.drop_column('quote_prefix')
        batch_op.drop_column('number')
