"""per-record checksums for sync checkpoints

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:55:00
"""
import zlib

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checksum', sa.BigInteger(), server_default='0', nullable=False))
    # Fill existing rows with the same formula as shared.protocol.record_checksum (frozen here:
    # a migration must not change when the application code does).
    conn = op.get_bind()
    records = sa.table('records', sa.column('entity'), sa.column('entity_id'), sa.column('version'),
                       sa.column('checksum'))
    rows = conn.execute(sa.select(records.c.entity, records.c.entity_id, records.c.version)).fetchall()
    updates = [{"e": r.entity, "i": r.entity_id,
                "c": zlib.crc32(f"{r.entity}|{r.entity_id}|{r.version}".encode())} for r in rows]
    if updates:
        conn.execute(
            records.update().where(records.c.entity == sa.bindparam("e"), records.c.entity_id == sa.bindparam("i"))
            .values(checksum=sa.bindparam("c")),
            updates,
        )


def downgrade() -> None:
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_column('checksum')
