"""Liveness and readiness."""

from fastapi import APIRouter

from sync_server.api.deps import EngineDep
from sync_server.api.openapi import problems
from sync_server.services.transactions import check_connection

router = APIRouter(tags=["health"])


@router.get("/v1/health", responses=problems(503))
def health(engine: EngineDep) -> dict[str, str]:
    """Whether the server can reach its database."""
    check_connection(engine)
    return {"status": "ok"}
