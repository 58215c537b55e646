"""The sync server's composition root: `create_app(settings)`."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import APIRouter, FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from starlette.routing import BaseRoute

from shared.protocol import PROTOCOL_VERSION
from sync_server.api.errors import install_error_handlers
from sync_server.api.input_guard import ControlCharacterGuard
from sync_server.api.openapi import install_openapi
from sync_server.api.request_limits import RequestLimits
from sync_server.api.route_check import require_authorization_rows
from sync_server.api.routes import (
    admin,
    admin_people,
    approvals,
    attachments,
    auth,
    company,
    customers,
    health,
    metrics,
    sync,
)
from sync_server.api.security_headers import SecurityHeaders
from sync_server.repository.database import check_schema, make_engine
from sync_server.services.jobs import start_jobs
from sync_server.settings import ServerSettings

log = logging.getLogger(__name__)


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """Build the server: engine, routes and error rendering, on a database already migrated
    (`terreno-server migrate`; `serve` runs it first). Raises SchemaNotReady, saying what to
    run, on a database that is not at the latest migration: several workers starting at once
    never race to migrate it."""
    settings = settings or ServerSettings()
    engine = make_engine(settings.database_url, pool_size=settings.database_pool_size)
    try:
        check_schema(engine)
    except BaseException:
        engine.dispose()
        raise

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Routes run their blocking work in anyio's worker threads (40 by default).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        scheduler = start_jobs(engine, settings)
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=True)

    app = _fastapi(
        lifespan=lifespan,
        title="Terreno sync server",
        version=f"protocol-{PROTOCOL_VERSION}",
        description="Offline-first field sales: sign-in, push and pull of the sync protocol.",
    )
    app.state.settings = settings
    app.state.engine = engine
    # Pull pages are JSON with much repetition: gzip cuts them several times over.
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)
    app.add_middleware(ControlCharacterGuard)
    # Added last, so it runs first: sizes are judged before anything reads the request.
    app.add_middleware(RequestLimits, attachment_bytes=settings.max_attachment_bytes)
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    for module in (health, auth, sync, attachments, approvals, admin, admin_people, company, customers, metrics):
        app.router.routes.extend(_routes_of(module.router))
    require_authorization_rows(app)
    install_openapi(app)
    return app


def _routes_of(router: APIRouter) -> list[BaseRoute]:
    """A router's own routes, which carry its prefix and tags already, for an app to take as
    they are: include_router would make FastAPI analyse every route's parameters again for
    each app (0.05 CPU seconds an app; the tests build about a thousand). What include_router
    would also bring is refused, not dropped: startup and shutdown handlers. The routes answer
    no app's `dependency_overrides` (nothing here overrides: tests give create_app settings)."""
    if router.on_startup or router.on_shutdown:
        raise RuntimeError(f"router {router.prefix or '/'} has startup or shutdown handlers: include it instead")
    return list(router.routes)


def _fastapi(**kwargs: Any) -> FastAPI:
    """FastAPI with its documentation pages served from the package (fastapi-offline), so
    /docs works on a network without the Internet; the CDN's pages when it is not installed."""
    try:
        from fastapi_offline import FastAPIOffline  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - the pinned dependency is installed in production
        log.warning("fastapi-offline is not installed: /docs loads its scripts from a CDN")
        return FastAPI(**kwargs)
    return FastAPIOffline(**kwargs)


__all__ = ["create_app"]
