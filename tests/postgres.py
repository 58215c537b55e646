"""Empty PostgreSQL schemas for tests: made by replaying one real migration, and reused.

Hundreds of tests each want a migrated, empty schema. Running Alembic for each costs a
sixth of a second and replaying its statements a tenth; emptying a schema a test has used
costs a hundredth. So each test process keeps the schemas its tests gave back and empties
them for the next test, as long as the test left the schema's shape alone.
"""

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from sync_server.repository.database import make_engine, migrate

POSTGRES_ENV = "TERRENO_TEST_POSTGRES_URL"


def postgres_base_url() -> str:
    """The PostgreSQL server the tests use; `make test` and `.ci/run` set it."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.fail(f"{POSTGRES_ENV} is not set: run the tests with `make test`, which starts PostgreSQL and sets it")
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def schema_url(base_url: str, schema: str) -> str:
    """`base_url` with every connection's search path set to `schema`."""
    joiner = "&" if "?" in base_url else "?"
    return f"{base_url}{joiner}options={quote(f'-csearch_path={schema}')}"


def new_schema(base_url: str) -> tuple[sa.Engine, str, sa.Engine]:
    """A new empty schema: an engine on it, its name, and an engine to drop it with."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    return make_engine(schema_url(base_url, schema)), schema, admin


def drop_schema(admin: sa.Engine, schema: str) -> None:
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


def _new_epoch(conn: sa.Connection) -> None:
    conn.exec_driver_sql(
        "INSERT INTO server_meta (key, value) VALUES ('epoch', %(epoch)s)", {"epoch": uuid.uuid4().hex}
    )


@dataclass(frozen=True)
class SchemaRecipe:
    """What the real migration ran on an empty schema, to run again on another.

    Only the epoch differs between two schemas made from it.
    """

    steps: tuple[tuple[str, Any], ...]

    @classmethod
    def record(cls, base_url: str) -> "SchemaRecipe":
        """Migrate a scratch schema with Alembic, keeping every statement that changed it."""
        engine, schema, admin = new_schema(base_url)
        seen: list[tuple[str, Any]] = []

        def remember(_conn, _cursor, statement, parameters, _context, _executemany) -> None:
            seen.append((statement, parameters))

        sa.event.listen(engine, "before_cursor_execute", remember)
        try:
            migrate(engine)
        finally:
            engine.dispose()
            drop_schema(admin, schema)
            admin.dispose()
        steps = []
        for statement, parameters in seen:
            head = statement.lstrip().split(None, 1)[0].upper()
            if head == "SELECT" or (head == "INSERT" and "server_meta" in statement):
                continue  # reads (the migration lock, Alembic's lookups) and the epoch: made per copy
            steps.append((statement, parameters))
        return cls(tuple(_joined(steps)))

    def apply(self, engine: sa.Engine) -> None:
        with engine.begin() as conn:
            for statement, parameters in self.steps:
                if parameters:
                    conn.exec_driver_sql(statement, parameters)
                else:
                    conn.exec_driver_sql(statement)
            _new_epoch(conn)


def _joined(steps: list[tuple[str, Any]]) -> Iterator[tuple[str, Any]]:
    """Runs of statements without parameters as one script: one round trip instead of dozens."""
    run: list[str] = []
    for statement, parameters in steps:
        if parameters:
            if run:
                yield ";\n".join(run), None
                run = []
            yield statement, parameters
        else:
            run.append(statement)
    if run:
        yield ";\n".join(run), None


# What makes two schemas the same shape: their tables, columns, indexes, constraints and
# triggers, and the migration they are at.
_SHAPE = """
SELECT md5(concat_ws('|',
  (SELECT string_agg(c.relname || '.' || c.relkind::text || '.' || a.attname || '.' || a.atttypid::text
                     || '.' || a.attnotnull::text, ',' ORDER BY c.relname, a.attnum)
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relnamespace = current_schema()::regnamespace AND a.attnum > 0 AND NOT a.attisdropped),
  (SELECT string_agg(conname || '.' || pg_get_constraintdef(oid), ',' ORDER BY conname)
     FROM pg_constraint WHERE connamespace = current_schema()::regnamespace),
  (SELECT string_agg(t.tgname || '.' || c.relname, ',' ORDER BY t.tgname, c.relname)
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE c.relnamespace = current_schema()::regnamespace),
  (SELECT string_agg(version_num, ',') FROM alembic_version)))
"""


@dataclass
class _Kept:
    schema: str
    shape: str
    emptying: str
    """One script that deletes every row but the migration's and restarts every sequence."""


@dataclass
class SchemaPool:
    """Migrated, empty schemas for the tests of one process, emptied and handed out again."""

    base_url: str
    recipe: SchemaRecipe
    free: list[_Kept] = field(default_factory=list)
    _admin: sa.Engine | None = None

    @property
    def admin(self) -> sa.Engine:
        if self._admin is None:
            self._admin = sa.create_engine(self.base_url)
        return self._admin

    def take(self) -> tuple[str, _Kept]:
        """The URL of an empty, migrated schema with a new epoch, and its ticket for `give_back`."""
        if self.free:
            kept = self.free.pop()
        else:
            engine, schema, admin = new_schema(self.base_url)
            admin.dispose()
            try:
                self.recipe.apply(engine)
                with engine.connect() as conn:
                    kept = _Kept(schema, conn.exec_driver_sql(_SHAPE).scalar_one(), _emptying(conn))
            finally:
                engine.dispose()
        return schema_url(self.base_url, kept.schema), kept

    def give_back(self, kept: _Kept) -> None:
        """Empty the schema for the next test; drop it if the test changed its shape, or if
        something still holds its tables."""
        engine = make_engine(schema_url(self.base_url, kept.schema))
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("SET LOCAL lock_timeout = '2s'")
                if conn.exec_driver_sql(_SHAPE).scalar_one() != kept.shape:
                    raise _Reshaped
                conn.exec_driver_sql(kept.emptying)
                _new_epoch(conn)
        except (_Reshaped, sa.exc.DBAPIError):
            engine.dispose()
            drop_schema(self.admin, kept.schema)
            return
        finally:
            engine.dispose()
        self.free.append(kept)

    def close(self) -> None:
        for kept in self.free:
            drop_schema(self.admin, kept.schema)
        self.free.clear()
        if self._admin is not None:
            self._admin.dispose()


class _Reshaped(Exception):
    """The test changed the schema's tables: it cannot stand for a fresh migration."""


def _emptying(conn: sa.Connection) -> str:
    tables = conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
    ).scalars()
    sequences = conn.exec_driver_sql(
        "SELECT sequencename, start_value FROM pg_sequences WHERE schemaname = current_schema()"
    ).all()
    # As replica, the session fires no triggers and checks no foreign keys, so the tables
    # can be emptied in any order and no trigger counts the deleted rows.
    statements = ["SET LOCAL session_replication_role = replica"]
    statements += [f'DELETE FROM "{table}"' for table in tables]
    statements += [f"SELECT setval('\"{name}\"', {start}, false)" for name, start in sequences]
    statements.append("SET LOCAL session_replication_role = origin")
    return ";\n".join(statements)


__all__ = [
    "POSTGRES_ENV",
    "SchemaPool",
    "SchemaRecipe",
    "drop_schema",
    "new_schema",
    "postgres_base_url",
    "schema_url",
]
