"""Engine creation and schema migration, one code path for SQLite and PostgreSQL."""

import functools
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError as BadDatabaseUrl
from sqlalchemy.exc import DBAPIError as DatabaseError
from sqlalchemy.exc import DisconnectionError

from sync_server.repository.tables import server_meta

if TYPE_CHECKING:
    from alembic.config import Config

_MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, pool_size: int = 5) -> Engine:
    """Create the engine; SQLite gets WAL, a busy timeout and its folder created.

    On PostgreSQL, `pool_size` connections stay open (a few more are lent out at a peak).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_size=pool_size, max_overflow=4)
        _ping_after_idle(engine)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):
        # SQLAlchemy emits BEGIN itself (below) instead of pysqlite's implicit, late BEGIN.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # A writer takes the write lock up front: a deferred transaction that upgrades
        # from read to write can fail with SQLITE_BUSY at once, whatever the timeout.
        immediate = conn.get_execution_options().get("terreno_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


PING_AFTER_IDLE_SECONDS = 10.0
"""A pooled PostgreSQL connection idle longer than this is pinged before it is lent out."""

_IDLE_SINCE = "terreno_idle_since"


def _ping_after_idle(engine: Engine) -> None:
    """Ping a pooled connection before lending it only when it sat idle a while.

    `pool_pre_ping` pings at every checkout: a round trip before each request's transaction
    (four a device round), which cost the server more than some of the queries. A
    connection returned moments ago is alive; one idle for a while may have been closed by
    a restarted database or a firewall, and is pinged (and replaced, once dead). A
    connection that dies in between fails one request with a retryable 503, and SQLAlchemy
    then drops the pool's connections of before.
    """

    @event.listens_for(engine, "checkin")
    def _idle(_dbapi_conn, record):
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_conn, record, _proxy):
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error:
            alive = False
        if not alive:
            # The pool closes it and checks out a fresh connection instead.
            raise DisconnectionError("a pooled connection idle for a while is closed")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that will write: BEGIN IMMEDIATE on SQLite, a plain one on PostgreSQL."""
    with engine.connect() as conn, write_transaction_on(conn):
        yield conn


@contextmanager
def write_transaction_on(conn: Connection) -> Iterator[Connection]:
    """As `write_transaction`, on a connection the caller holds (several in a row on one)."""
    conn = conn.execution_options(terreno_write=True)
    with conn.begin():
        yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that only reads (each statement sees what is committed when it starts)."""
    with engine.connect() as conn, conn.begin():
        yield conn


@contextmanager
def one_read(engine: Engine) -> Iterator[Connection]:
    """A connection for one read statement, which sees a consistent state by itself. On
    PostgreSQL it runs without a transaction (autocommit): the BEGIN and the COMMIT would be
    two round trips more than the statement (a sign-in check before every push); on
    SQLite, a read transaction (its BEGIN costs no round trip)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            yield conn.execution_options(isolation_level="AUTOCOMMIT")
            return
        with conn.begin():
            yield conn


@contextmanager
def snapshot_transaction(engine: Engine) -> Iterator[Connection]:
    """A read transaction in which every statement sees the same state (REPEATABLE READ on
    PostgreSQL; SQLite's read transactions already do)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def printable_url(url: str) -> str:
    """A database URL as it may be printed: its password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def check_connection(engine: Engine) -> None:
    """Raise the database's error unless a trivial query answers."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))


# Alembic is imported where it is used: a server process that only serves never needs it,
# and importing it is a fifth of the process's start-up.
def alembic_config() -> "Config":
    """Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


MIGRATION_LOCK_KEY = 7_340_112_948
"""pg_advisory_xact_lock key that lets one process at a time migrate a PostgreSQL database."""


class SchemaNotReady(RuntimeError):
    """The database's schema is not the one this server needs; the message says what to run."""


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration and make sure the server has an epoch.

    Safe to run from any number of processes at once: on PostgreSQL they take turns on an
    advisory lock held for the whole upgrade (the next one then finds the schema at head and
    does nothing); on SQLite the write transaction (BEGIN IMMEDIATE) already takes turns.
    """
    from alembic import command

    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        ensure_epoch(conn)


@functools.cache
def head_revision() -> str | None:
    """The latest migration's revision. The migrations ship with the code, so it is read once
    per process: reading it loads every migration script."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    """The revision the connected database's schema is at, None before the first migration."""
    from alembic.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def check_schema(engine: Engine) -> None:
    """Raise SchemaNotReady, saying what to run, unless the schema is at the latest migration."""
    head = head_revision()
    with engine.connect() as conn:
        current = current_revision(conn)
    if current != head:
        where = engine.url.render_as_string(hide_password=True)
        state = f"is at revision {current}" if current else "has no Terreno schema yet"
        raise SchemaNotReady(
            f"the database at {where} {state}, and this server needs revision {head}: "
            f"run `terreno-server migrate` first"
        )


EPOCH_KEY = "epoch"
"""server_meta key of the server epoch."""


def ensure_epoch(conn: Connection) -> str:
    """Return the server epoch, creating it on a new database.

    A restored or replaced database gets a new epoch, which makes every device do a
    replacement sync instead of trusting cursors that belong to another history.
    """
    epoch = conn.execute(select(server_meta.c.value).where(server_meta.c.key == EPOCH_KEY)).scalar()
    if epoch is None:
        epoch = uuid.uuid4().hex
        conn.execute(insert(server_meta).values(key=EPOCH_KEY, value=epoch))
    return epoch


__all__ = [
    "BadDatabaseUrl",
    "Connection",
    "DatabaseError",
    "EPOCH_KEY",
    "Engine",
    "MIGRATION_LOCK_KEY",
    "SchemaNotReady",
    "alembic_config",
    "current_revision",
    "head_revision",
    "check_connection",
    "check_schema",
    "ensure_epoch",
    "make_engine",
    "printable_url",
    "read_transaction",
    "snapshot_transaction",
    "migrate",
    "write_transaction",
    "write_transaction_on",
]
