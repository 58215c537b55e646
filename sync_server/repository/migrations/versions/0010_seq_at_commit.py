"""PostgreSQL: a push's changes take their seq when their transaction commits

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 14:20:00

A change a push appends is inserted with a placeholder seq (negative, never read); a
deferred constraint trigger gives it its real seq at commit, under the change-log lock
(see sync_server/repository/pending.py). The lock is then held inside the commit only,
never across a round trip to the server process. SQLite has a single writer: nothing to do.
"""
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

CHANGELOG_LOCK_KEY = 7_340_112_947  # sync_server.repository.changelog.CHANGELOG_LOCK_KEY


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE change_placeholders")
    op.execute(f"""
        CREATE FUNCTION terreno_seq_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock({CHANGELOG_LOCK_KEY});
            UPDATE changes SET seq = nextval(pg_get_serial_sequence('changes', 'seq')) WHERE seq = NEW.seq;
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE CONSTRAINT TRIGGER terreno_seq_at_commit AFTER INSERT ON changes
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.seq < 0)
        EXECUTE FUNCTION terreno_seq_at_commit()""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER terreno_seq_at_commit ON changes")
    op.execute("DROP FUNCTION terreno_seq_at_commit()")
    op.execute("DROP SEQUENCE change_placeholders")
