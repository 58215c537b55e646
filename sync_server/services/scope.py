"""Which buckets a principal may read (DESIGN §4.6), and whose work a manager answers for.

Teams nest: a manager's scope is her team's whole subtree (shared/rules/teams.py), so a
regional director whose team is the region reads and decides for every team under it. A
manager who delegated her approvals (services/delegations.py) lends that scope to the delegate
for the delegation's days.
"""

from datetime import UTC, date, datetime

from shared.models import Role
from shared.protocol import (
    CATALOG_BUCKET,
    DIRECTORY_BUCKET,
    UNASSIGNED_BUCKET,
    activity_bucket,
    portfolio_bucket,
    stock_bucket,
)
from shared.rules.teams import subtree
from sync_server.repository.database import Connection
from sync_server.repository.delegations import active_delegators
from sync_server.repository.directory import (
    buckets_in_use,
    logins_with_roles,
    members_of_teams,
    team_of,
    team_parents,
    warehouse_codes,
)
from sync_server.services.auth import Principal


def subtree_members(conn: Connection, team_code: str | None) -> set[str]:
    """The logins of the users of `team_code`'s whole subtree (empty without a team)."""
    if not team_code:
        return set()
    teams = subtree(team_parents(conn), team_code) or {team_code}
    return set(members_of_teams(conn, teams))


def managed_logins(conn: Connection, principal: Principal, today: date | None = None) -> set[str] | None:
    """Whose approvals the principal answers for: a manager, the users of her team's subtree
    and, today, of the subtrees of the managers who delegated theirs to her; an administrator,
    everyone (None); a seller, nobody else."""
    if principal.role == Role.ADMIN:
        return None
    if principal.role != Role.MANAGER:
        return set()
    found = subtree_members(conn, principal.team_code)
    for delegator in active_delegators(conn, principal.login, today or datetime.now(UTC).date()):
        found |= subtree_members(conn, team_of(conn, delegator))
    return found


def on_behalf_of(conn: Connection, principal: Principal, seller: str, today: date | None = None) -> str | None:
    """The delegator whose approvals let the principal decide for `seller` (None: her own scope)."""
    if principal.role != Role.MANAGER or seller in subtree_members(conn, principal.team_code):
        return None
    for delegator in active_delegators(conn, principal.login, today or datetime.now(UTC).date()):
        if seller in subtree_members(conn, team_of(conn, delegator)):
            return delegator
    return None


def manages(conn: Connection, principal: Principal, login: str | None) -> bool:
    """Whether `login` is in the principal's scope as a manager or administrator."""
    if principal.role == Role.ADMIN:
        return True
    if principal.role != Role.MANAGER or not login or not principal.team_code:
        return False
    team = team_of(conn, login)
    return team is not None and team in (subtree(team_parents(conn), principal.team_code) or {principal.team_code})


def buckets_for(conn: Connection, principal: Principal, *, warehouses: list[str] | None = None) -> list[str]:
    """Every bucket the principal may pull, sorted; `warehouses` are the warehouses' codes
    when the caller has read them already (a pull reads them with its head)."""
    buckets = {CATALOG_BUCKET, DIRECTORY_BUCKET, portfolio_bucket(principal.login), activity_bucket(principal.login)}
    codes = warehouse_codes(conn) if warehouses is None else warehouses
    buckets.update(stock_bucket(code) for code in codes)
    if principal.role == Role.MANAGER:
        for login in managed_logins(conn, principal) or ():
            buckets.update((portfolio_bucket(login), activity_bucket(login)))
    elif principal.role == Role.ADMIN:
        buckets.update(buckets_in_use(conn))
        buckets.add(UNASSIGNED_BUCKET)
    return sorted(buckets)


def sellers_in_scope(conn: Connection, principal: Principal) -> list[str]:
    """Whose work the principal may see figures of, sorted: a seller her own, a manager her
    team subtree's (the same members as her buckets), an administrator everyone who sells."""
    if principal.role == Role.MANAGER and principal.team_code:
        return sorted(subtree_members(conn, principal.team_code) | {principal.login})
    if principal.role == Role.ADMIN:
        return logins_with_roles(conn, [Role.SELLER.value, Role.MANAGER.value])
    return [principal.login]


__all__ = [
    "DIRECTORY_BUCKET",
    "buckets_for",
    "managed_logins",
    "manages",
    "on_behalf_of",
    "sellers_in_scope",
    "subtree_members",
]
