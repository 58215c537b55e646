"""Liveness and readiness."""

from fastapi import APIRouter
from sqlalchemy import text

from sync_server.api.deps import EngineDep

router = APIRouter(tags=["health"])


@router.get("/v1/health")
def health(engine: EngineDep) -> dict[str, str]:
    """Whether the server can reach its database."""
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok"}
