"""Schema of the device database, one migration per step, each in its own transaction.

The steps are registered in order: `first` (m0001–m0015), then `later` (m0016 on). The DDL is
written out (not derived from the models) so that a shipped step never changes under a device
that already applied it. A field added to a shared model therefore needs a new migration;
`tests/client/store/test_migrations.py` fails until it exists. Migration names are stored on
devices: never rename or edit a shipped one.
"""

from sqlite_utils import Database

from client.store.migrations import later as _later  # noqa: F401  (registers m0016 on)
from client.store.migrations.first import migrations
from client.store.reference_ddl import SEARCH_INDEXES


def migrate(db: Database) -> None:
    """Apply every pending migration, each step in its own transaction."""
    migrations.apply(db)


__all__ = ["SEARCH_INDEXES", "migrate", "migrations"]
