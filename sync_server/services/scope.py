"""Which buckets a principal may read (DESIGN §4.6): a manager's scope is the team's."""

from sqlalchemy import Connection, select

from shared.models import Role
from shared.protocol import (
    CATALOG_BUCKET,
    DIRECTORY_BUCKET,
    UNASSIGNED_BUCKET,
    activity_bucket,
    portfolio_bucket,
    stock_bucket,
)
from sync_server.repository.tables import ENTITY_TABLES, records
from sync_server.services.auth import Principal

_users = ENTITY_TABLES["user"]
_warehouses = ENTITY_TABLES["warehouse"]


def buckets_for(conn: Connection, principal: Principal) -> list[str]:
    """Every bucket the principal may pull, sorted."""
    buckets = {CATALOG_BUCKET, DIRECTORY_BUCKET, portfolio_bucket(principal.login), activity_bucket(principal.login)}
    buckets.update(stock_bucket(code) for code in conn.execute(select(_warehouses.c.code)).scalars())
    if principal.role == Role.MANAGER and principal.team_code:
        team = conn.execute(select(_users.c.login).where(_users.c.team_code == principal.team_code)).scalars()
        for login in team:
            buckets.update((portfolio_bucket(login), activity_bucket(login)))
    elif principal.role == Role.ADMIN:
        everyone = conn.execute(select(records.c.bucket).distinct()).scalars()
        buckets.update(everyone)
        buckets.add(UNASSIGNED_BUCKET)
    return sorted(buckets)


__all__ = ["DIRECTORY_BUCKET", "buckets_for"]
