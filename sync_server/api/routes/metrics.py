"""The pre-invoice metrics: the caller's snapshot, fetched by the app after each sync round."""

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from shared.rules.metric_filters import MetricFilter
from sync_server.api.deps import EngineDep, PrincipalDep, SettingsDep
from sync_server.api.openapi import problems
from sync_server.services import metric_filtered, metric_kept
from sync_server.services.transactions import write_transaction

router = APIRouter(prefix="/v1", tags=["metrics"])


@router.get("/metrics", responses=problems(401, 404, 422))
def read_metrics(
    engine: EngineDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    segment: Annotated[str | None, Query(min_length=1, max_length=64, description="a customer segment")] = None,
    category: Annotated[str | None, Query(min_length=1, max_length=64, description="a top-level category")] = None,
) -> dict[str, Any]:
    """The caller's metrics snapshot (docs/metrics.md): a seller's own figures, a manager's
    team's with each seller's, as of now and with each seller's last sync. Added up from the
    figures the server keeps per seller, brought up to date first (a write transaction).
    With a `segment` or a `category`, narrowed to their records (from parts kept per filter)."""
    now = datetime.now(UTC)
    where = MetricFilter(segment, category)
    with write_transaction(engine) as conn:
        if where.is_any:
            return metric_filtered.build_filtered_snapshot(conn, principal, now, settings.company_currency, where)
        return metric_kept.build_kept_snapshot(conn, principal, now, settings.company_currency)
