"""The Alembic migrations build exactly the tables the code declares, on both backends."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from sync_server.repository.database import alembic_config, ensure_epoch, migrate, write_transaction
from sync_server.repository.tables import metadata


def test_migrations_match_the_declared_tables(engine):
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_migrating_again_changes_nothing_and_keeps_the_epoch(engine):
    with engine.connect() as conn:
        epoch = ensure_epoch(conn)
    migrate(engine)
    with engine.connect() as conn:
        assert ensure_epoch(conn) == epoch
        assert set(metadata.tables) <= set(inspect(conn).get_table_names())


def test_devices_registered_before_numbering_are_numbered_in_registration_order(engine):
    def run(step: str, revision: str) -> None:
        with write_transaction(engine) as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            getattr(command, step)(config, revision)

    run("downgrade", "0005")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        ("c-ana-2", "ana", 2),
        ("c-ana-1", "ana", 1),
        ("c-john-1", "john", 5),
        ("c-ana-3", "ana", 3),
        ("c-alba-1", "alba", 6),
    ]
    with engine.begin() as conn:
        for client_id, login, day in rows:
            conn.execute(
                sa.text(
                    "INSERT INTO devices (client_id, login, name, created_at, last_seen_at, last_mutation_id) "
                    "VALUES (:c, :l, 'tablet', :t, :t, 0)"
                ),
                {"c": client_id, "l": login, "t": start + timedelta(days=day)},
            )
    migrate(engine)
    with engine.connect() as conn:
        numbers = {
            r[0]: (r[1], r[2])
            for r in conn.execute(sa.text("SELECT client_id, number, quote_prefix FROM devices")).all()
        }
    # No users are stored here, so the initials come from the login: "ana" → A, "alba" → A.
    assert numbers == {
        "c-ana-1": (1, "A1"),
        "c-ana-2": (2, "A2"),
        "c-ana-3": (3, "A3"),
        "c-john-1": (1, "J1"),
        "c-alba-1": (4, "A4"),
    }  # Alba's first device: A1–A3 are Ana's


def test_uploads_in_progress_recorded_before_device_uploads_are_dropped_and_complete_ones_kept(engine):
    with write_transaction(engine) as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0007")
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        for sha, complete in (("a" * 64, True), ("b" * 64, False)):
            conn.execute(
                sa.text(
                    "INSERT INTO attachments (sha256, size, content_type, uploaded_by, bucket, received_bytes, "
                    "is_complete, created_at) VALUES (:s, 10, 'image/png', 'ana', 'activity:ana', :r, :c, :t)"
                ),
                {"s": sha, "r": 10 if complete else 4, "c": complete, "t": now},
            )
    migrate(engine)
    with engine.connect() as conn:
        kept = conn.execute(sa.text("SELECT sha256 FROM attachments")).scalars().all()
    assert kept == ["a" * 64]


def test_metric_parts_kept_before_lost_quotes_counted_for_stock_are_made_again(engine):
    with write_transaction(engine) as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, "0030")
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO metric_parts (seller_login, part, data, computed_at) VALUES ('ana', 'now', '{}', :t)"),
            {"t": datetime(2026, 12, 1, tzinfo=UTC)},
        )
        conn.execute(sa.text("INSERT INTO server_meta (key, value) VALUES ('metrics_applied_seq', '41')"))
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM metric_parts")).scalar() == 0
        assert conn.execute(sa.text("SELECT value FROM server_meta WHERE key = 'metrics_applied_seq'")).all() == []
        assert conn.execute(sa.text("SELECT count(*) FROM server_meta WHERE key = 'epoch'")).scalar() == 1
