"""Which buckets a principal may read (DESIGN §4.6): a manager's scope is the team's."""

from shared.models import Role
from shared.protocol import (
    CATALOG_BUCKET,
    DIRECTORY_BUCKET,
    UNASSIGNED_BUCKET,
    activity_bucket,
    portfolio_bucket,
    stock_bucket,
)
from sync_server.repository.database import Connection
from sync_server.repository.directory import buckets_in_use, team_members, warehouse_codes
from sync_server.services.auth import Principal


def buckets_for(conn: Connection, principal: Principal) -> list[str]:
    """Every bucket the principal may pull, sorted."""
    buckets = {CATALOG_BUCKET, DIRECTORY_BUCKET, portfolio_bucket(principal.login), activity_bucket(principal.login)}
    buckets.update(stock_bucket(code) for code in warehouse_codes(conn))
    if principal.role == Role.MANAGER and principal.team_code:
        for login in team_members(conn, principal.team_code):
            buckets.update((portfolio_bucket(login), activity_bucket(login)))
    elif principal.role == Role.ADMIN:
        buckets.update(buckets_in_use(conn))
        buckets.add(UNASSIGNED_BUCKET)
    return sorted(buckets)


__all__ = ["DIRECTORY_BUCKET", "buckets_for"]
