"""Helpers for tests that serve the sync server: the database migrated first, as `serve` does."""

from sync_server.repository.database import make_engine, migrate
from sync_server.settings import ServerSettings


def migrate_database(settings: ServerSettings) -> None:
    """Bring the settings' database to the latest migration (create_app only checks it)."""
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
    finally:
        engine.dispose()


__all__ = ["migrate_database"]
