"""The sync server's composition root: `create_app(settings)`."""

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from shared.protocol import PROTOCOL_VERSION
from sync_server.api.errors import install_error_handlers
from sync_server.api.input_guard import ControlCharacterGuard
from sync_server.api.routes import admin, approvals, attachments, auth, health, sync
from sync_server.repository.database import make_engine, migrate
from sync_server.settings import ServerSettings


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """Build the server: engine, schema brought up to date, routes and error rendering."""
    settings = settings or ServerSettings()
    engine = make_engine(settings.database_url)
    migrate(engine)
    app = FastAPI(
        title="Terreno sync server",
        version=f"protocol-{PROTOCOL_VERSION}",
        description="Offline-first field sales: sign-in, push and pull of the sync protocol.",
    )
    app.state.settings = settings
    app.state.engine = engine
    # Pull pages are JSON with much repetition: gzip cuts them several times over.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(ControlCharacterGuard)
    install_error_handlers(app)
    for module in (health, auth, sync, attachments, approvals, admin):
        app.include_router(module.router)
    return app


__all__ = ["create_app"]
