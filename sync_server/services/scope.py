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
from sync_server.repository.directory import buckets_in_use, logins_with_roles, team_members, warehouse_codes
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


def sellers_in_scope(conn: Connection, principal: Principal) -> list[str]:
    """Whose work the principal may see figures of, sorted: a seller her own, a manager her
    team's (the same members as her buckets), an administrator everyone who sells."""
    if principal.role == Role.MANAGER and principal.team_code:
        return sorted(set(team_members(conn, principal.team_code)) | {principal.login})
    if principal.role == Role.ADMIN:
        return logins_with_roles(conn, [Role.SELLER.value, Role.MANAGER.value])
    return [principal.login]


__all__ = ["DIRECTORY_BUCKET", "buckets_for", "sellers_in_scope"]
