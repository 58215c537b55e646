"""lock_changelog: asked once per transaction, and again after a savepoint that gave it back."""

import pytest
import sqlalchemy as sa

from sync_server.repository.changelog import lock_changelog
from sync_server.repository.database import write_transaction

pytestmark = pytest.mark.postgres


def _advisory_locks_held(conn) -> int:
    return conn.execute(
        sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted")
    ).scalar_one()


def _lock_statements(engine) -> list[str]:
    seen: list[str] = []
    sa.event.listen(
        engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_a: seen.append(statement) if "advisory" in statement else None,
    )
    return seen


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_second_ask_in_the_same_transaction_sends_nothing(engine):
    seen = _lock_statements(engine)
    with write_transaction(engine) as conn:
        lock_changelog(conn)
        lock_changelog(conn)
        assert _advisory_locks_held(conn) == 1
    with write_transaction(engine) as conn:  # a new transaction asks again
        lock_changelog(conn)
    assert len([s for s in seen if "pg_advisory_xact_lock" in s]) == 2


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_a_savepoint_rolled_back_gives_the_lock_back_and_the_next_ask_takes_it_again(engine):
    with write_transaction(engine) as conn:
        savepoint = conn.begin_nested()
        lock_changelog(conn)
        savepoint.rollback()
        assert _advisory_locks_held(conn) == 0
        lock_changelog(conn)
        assert _advisory_locks_held(conn) == 1
