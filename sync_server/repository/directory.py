"""Who and what exists: warehouses, team members, customers' sellers, the buckets in use."""

from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, select

from sync_server.repository.tables import ENTITY_TABLES, records

_users = ENTITY_TABLES["user"]
_teams = ENTITY_TABLES["team"]
_warehouses = ENTITY_TABLES["warehouse"]
_customers = ENTITY_TABLES["customer"]


def warehouse_codes(conn: Connection) -> list[str]:
    """Every warehouse's code."""
    return list(conn.execute(_WAREHOUSE_CODES).scalars())


_WAREHOUSE_CODES = select(_warehouses.c.code)
"""Built once: every scope check but a pull's asks it (a pull reads the codes with its head)."""


def team_members(conn: Connection, team_code: str) -> list[str]:
    """The logins of a team's users."""
    return list(conn.execute(select(_users.c.login).where(_users.c.team_code == team_code)).scalars())


def members_of_teams(conn: Connection, team_codes: Iterable[str]) -> list[str]:
    """The logins of the users of any of these teams."""
    codes = sorted(set(team_codes))
    if not codes:
        return []
    return list(conn.execute(select(_users.c.login).where(_users.c.team_code.in_(codes))).scalars())


def team_parents(conn: Connection) -> dict[str, str | None]:
    """Every team's code → the code of the team it belongs to (None at the top)."""
    return {row.code: row.parent_code for row in conn.execute(select(_teams.c.code, _teams.c.parent_code))}


def managers_by_team(conn: Connection) -> dict[str, list[str]]:
    """Each team's managers' logins, for the teams that have one."""
    found: dict[str, list[str]] = {}
    query = select(_users.c.team_code, _users.c.login).where(_users.c.role == "manager").order_by(_users.c.login)
    for row in conn.execute(query):
        if row.team_code:
            found.setdefault(row.team_code, []).append(row.login)
    return found


def role_of(conn: Connection, login: str) -> str | None:
    """A user's role (None: no such user)."""
    return conn.execute(select(_users.c.role).where(_users.c.login == login)).scalar()


def team_of(conn: Connection, login: str) -> str | None:
    """The team of a user (None: no such user, or no team)."""
    return conn.execute(select(_users.c.team_code).where(_users.c.login == login)).scalar()


def buckets_in_use(conn: Connection) -> list[str]:
    """Every bucket that holds a live record."""
    return list(conn.execute(select(records.c.bucket).distinct()).scalars())


def customer_seller(conn: Connection, code: str) -> tuple[bool, str | None]:
    """(whether the customer exists, its seller's login or None)."""
    row = conn.execute(_CUSTOMER_SELLER, {"code": code}).first()
    return (False, None) if row is None else (True, row.seller_login)


_CUSTOMER_SELLER = select(_customers.c.seller_login).where(_customers.c.code == bindparam("code"))
"""Built once: asked for each mutation a push applies (see records._STORED_STATE)."""


def logins_with_roles(conn: Connection, roles: list[str]) -> list[str]:
    """The logins of every user holding one of `roles`, sorted."""
    return sorted(conn.execute(select(_users.c.login).where(_users.c.role.in_(roles))).scalars())


__all__ = [
    "buckets_in_use",
    "customer_seller",
    "logins_with_roles",
    "managers_by_team",
    "members_of_teams",
    "role_of",
    "team_members",
    "team_of",
    "team_parents",
    "warehouse_codes",
]
