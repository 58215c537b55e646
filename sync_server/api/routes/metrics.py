"""The pre-invoice metrics: the caller's snapshot, fetched by the app after each sync round."""

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter

from sync_server.api.deps import EngineDep, PrincipalDep, SettingsDep
from sync_server.api.openapi import problems
from sync_server.services import metric_kept
from sync_server.services.transactions import write_transaction

router = APIRouter(prefix="/v1", tags=["metrics"])


@router.get("/metrics", responses=problems(401))
def read_metrics(engine: EngineDep, principal: PrincipalDep, settings: SettingsDep) -> dict[str, Any]:
    """The caller's metrics snapshot (docs/metrics.md): a seller's own figures, a manager's
    team's with each seller's, as of now and with each seller's last sync. Added up from the
    figures the server keeps per seller, brought up to date first (a write transaction)."""
    with write_transaction(engine) as conn:
        return metric_kept.build_kept_snapshot(conn, principal, datetime.now(UTC), settings.company_currency)
