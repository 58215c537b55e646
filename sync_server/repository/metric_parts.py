"""The kept parts of the dashboard's figures (`metric_parts`) and what changed since they were made.

Parts are JSON per seller and name (a period, "now", "gaps"). `server_meta` "metrics_applied_seq"
is the last change-log entry the parts follow; `changed_since` says which sellers' parts the
changes after it touch (`metric_kept` drops and remakes those). Change-log writers commit in
seq order (`changelog.lock_changelog`), so no change below the newest seq read can land later.
"""

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text, update

from sync_server.repository.tables import ENTITY_TABLES, changes, metric_parts, server_meta

APPLIED_KEY = "metrics_applied_seq"
_LOCK_KEY = 7_340_112_948
"""pg_advisory_xact_lock key: one transaction at a time updates the kept parts."""
_t = ENTITY_TABLES
_CHUNK = 500

ACTIVITY = frozenset({"quote", "lead", "visit", "approval_request", "approval_decision", "lost_sale", "opportunity"})
"""Field data a seller pushes: it moves her own parts (and those of whoever shares a quote number)."""
COMPANY = frozenset({"customer", "invoice", "invoice_line", "order", "product", "category", "fx_rate"})
"""ERP data (and customers' holders): it may move any seller's parts, which are then all remade."""


def lock_parts(conn: Connection) -> None:
    """Make this transaction the only one updating kept parts until it ends (PostgreSQL only;
    SQLite has one writer at a time anyway)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def applied_seq(conn: Connection) -> int | None:
    """The last change the kept parts follow (None: none kept yet)."""
    value = conn.execute(select(server_meta.c.value).where(server_meta.c.key == APPLIED_KEY)).scalar()
    return None if value is None else int(value)


def set_applied_seq(conn: Connection, seq: int) -> None:
    """Record that the kept parts follow every change up to `seq`."""
    done = conn.execute(update(server_meta).where(server_meta.c.key == APPLIED_KEY).values(value=str(seq)))
    if not done.rowcount:
        conn.execute(insert(server_meta).values(key=APPLIED_KEY, value=str(seq)))


def newest_seq(conn: Connection) -> int:
    """The newest change-log entry (0 when the log is empty)."""
    return int(conn.execute(select(func.coalesce(func.max(changes.c.seq), 0))).scalar_one())


def changed_since(conn: Connection, after: int, upto: int) -> tuple[bool, set[str], set[str]]:
    """What the changes after `after` up to `upto` touch: whether ERP data changed (every part),
    the sellers whose activity parts and those whose now parts (pipeline, dormancy) moved."""
    found = conn.execute(
        select(changes.c.entity, changes.c.entity_id, changes.c.bucket)
        .where(changes.c.seq > after, changes.c.seq <= upto)
        .where(changes.c.entity.in_(sorted(ACTIVITY | COMPANY)))
    ).all()
    if any(entity in COMPANY for entity, _, _ in found):
        return True, set(), set()
    ids: dict[str, set[str]] = {}
    activity: set[str] = set()
    for entity, entity_id, bucket in found:
        ids.setdefault(entity, set()).add(entity_id)
        if bucket.startswith(("activity:", "portfolio:")):
            activity.add(bucket.split(":", 1)[1])
    q = _t["quote"].c
    numbers = _column(conn, "quote", "number", "id", ids.get("quote", ()))
    activity |= _values(conn, select(q.seller_login).where(q.number.in_(numbers))) if numbers else set()
    # time to first quote reads the lead behind a quote's opportunity and the visit it started on
    opportunities = _column(conn, "lead", "opportunity_id", "id", ids.get("lead", ()))
    activity |= _column(conn, "quote", "seller_login", "opportunity_id", opportunities)
    activity |= _column(conn, "quote", "seller_login", "visit_id", ids.get("visit", ()))
    requests = _column(conn, "approval_decision", "request_id", "id", ids.get("approval_decision", ()))
    activity |= _column(conn, "approval_request", "requested_by", "id", requests)
    customers = _column(conn, "opportunity", "customer_code", "id", ids.get("opportunity", ()))
    customers |= _column(conn, "visit", "customer_code", "id", ids.get("visit", ()))
    customers |= _column(conn, "quote", "customer_code", "id", ids.get("quote", ()))
    holders = _column(conn, "customer", "seller_login", "code", customers)
    return False, activity, holders | activity


def _column(conn: Connection, entity: str, column: str, key: str, values: Iterable[Any]) -> set[str]:
    table = _t[entity].c
    found: set[str] = set()
    chosen = sorted({str(v) for v in values if v is not None})
    for i in range(0, len(chosen), _CHUNK):
        found |= _values(conn, select(table[column]).where(table[key].in_(chosen[i : i + _CHUNK])))
    return found


def _values(conn: Connection, query: Any) -> set[str]:
    return {str(v) for v in conn.execute(query).scalars() if v is not None}


def kept_sellers(conn: Connection) -> list[str]:
    """The sellers some part is kept for (those someone asked figures of)."""
    m = metric_parts.c
    return sorted(conn.execute(select(m.seller_login).distinct()).scalars())


def read_parts(conn: Connection, sellers: list[str], names: list[str]) -> dict[tuple[str, str], tuple[Any, datetime]]:
    """The kept parts of `sellers` named `names`: per (seller, name), its data and when it was made."""
    m = metric_parts.c
    found = {}
    for i in range(0, len(sellers), _CHUNK):
        query = select(m.seller_login, m.part, m.data, m.computed_at).where(
            m.seller_login.in_(sellers[i : i + _CHUNK]), m.part.in_(names)
        )
        for login, name, data, at in conn.execute(query):
            found[(login, name)] = (json.loads(data), at)
    return found


def write_parts(conn: Connection, parts: dict[tuple[str, str], Any], at: datetime) -> None:
    """Keep `parts` (per (seller, name)), replacing what was kept under the same names."""
    if not parts:
        return
    m = metric_parts.c
    keys = sorted(parts)
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        for login in {login for login, _ in chunk}:
            names = [name for who, name in chunk if who == login]
            conn.execute(delete(metric_parts).where(m.seller_login == login, m.part.in_(names)))
        rows = [{"seller_login": login, "part": name, "data": json.dumps(parts[(login, name)], separators=(",", ":")),
                 "computed_at": at} for login, name in chunk]  # fmt: skip
        conn.execute(insert(metric_parts), rows)


def drop_parts(
    conn: Connection, sellers: Iterable[str] | None, names: Iterable[str] | None = None, but_not: Iterable[str] = ()
) -> None:
    """Forget the kept parts of `sellers` (None: everyone's): only those named `names` if
    given, never those named `but_not`."""
    m = metric_parts.c
    query = delete(metric_parts)
    if names is not None:
        query = query.where(m.part.in_(sorted(names)))
    if spared := sorted(but_not):
        query = query.where(m.part.not_in(spared))
    if sellers is None:
        conn.execute(query)
        return
    chosen = sorted(set(sellers))
    for i in range(0, len(chosen), _CHUNK):
        conn.execute(query.where(m.seller_login.in_(chosen[i : i + _CHUNK])))


__all__ = [
    "ACTIVITY",
    "COMPANY",
    "applied_seq",
    "changed_since",
    "drop_parts",
    "kept_sellers",
    "lock_parts",
    "newest_seq",
    "read_parts",
    "set_applied_seq",
    "write_parts",
]
