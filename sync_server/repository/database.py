"""Engine creation and schema migration, one code path for SQLite and PostgreSQL."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.engine import make_url

from sync_server.repository.tables import server_meta

_MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """Create the engine; SQLite gets WAL, a busy timeout and its folder created."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
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


def alembic_config() -> Config:
    """Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration and make sure the server has an epoch."""
    with write_transaction(engine) as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        ensure_epoch(conn)


def ensure_epoch(conn: Connection) -> str:
    """Return the server epoch, creating it on a new database.

    A restored or replaced database gets a new epoch, which makes every device do a
    replacement sync instead of trusting cursors that belong to another history.
    """
    epoch = conn.execute(select(server_meta.c.value).where(server_meta.c.key == "epoch")).scalar()
    if epoch is None:
        epoch = uuid.uuid4().hex
        conn.execute(insert(server_meta).values(key="epoch", value=epoch))
    return epoch


__all__ = ["alembic_config", "ensure_epoch", "make_engine", "migrate", "write_transaction", "write_transaction_on"]
