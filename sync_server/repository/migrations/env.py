"""Alembic environment: runs on the connection handed in by `database.migrate`."""

from alembic import context
from sqlalchemy import create_engine

from sync_server.repository.tables import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        # `alembic revision --autogenerate` from the command line: -x url=...
        url = context.get_x_argument(as_dictionary=True).get("url", "sqlite://")
        with create_engine(url).begin() as conn:
            context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        return
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
