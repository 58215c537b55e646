"""The kept parts of the dashboard's figures (`metric_parts`) and what changed since they were made.

Parts are JSON per seller and name (a period, "now", "gaps"). `server_meta` "metrics_applied_seq"
is the last change-log entry the parts follow; `changed_since` says which sellers' parts the
changes after it touch (`metric_kept` drops and remakes those). Change-log writers commit in
seq order (`changelog.lock_changelog`), so no change below the newest seq read can land later.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import msgspec
from sqlalchemy import Connection, delete, func, insert, not_, null, or_, select, text, update

from sync_server.repository.tables import ENTITY_TABLES, changes, metric_parts, server_meta

APPLIED_KEY = "metrics_applied_seq"
FILTERED = "~"
"""Between a part's name and its filter's mark: the part narrowed to a segment or category."""
_LOCK_KEY = 7_340_112_948
"""pg_advisory_xact_lock key: one transaction at a time updates the kept parts."""
_t = ENTITY_TABLES
_DECODER = msgspec.json.Decoder()  # several times json's speed: a team's parts are megabytes
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


@dataclass
class Touched:
    """What a stretch of the change log touches (`changed_since`)."""

    everything: bool = False
    """ERP data changed: any part may have moved."""
    since: dict[str, date | None] = field(default_factory=dict)
    """Per seller whose activity moved, the earliest day it moved (None: any day)."""
    opportunity_customers: set[str] = field(default_factory=set)
    """Customers whose opportunities changed (their holder's pipeline moved)."""
    touched_customers: set[str] = field(default_factory=set)
    """Customers visited or quoted (their holder's dormant list moves if they are dormant)."""
    readings_gone: set[str] = field(default_factory=set)
    """Sellers whose visit or opportunity is gone (whose customer is then unknown)."""

    def moved(self, sellers: Iterable[str], day: date | None) -> None:
        for login in sellers:
            known = self.since.get(login, day)
            self.since[login] = None if known is None or day is None else min(known, day)


def changed_since(conn: Connection, after: int, upto: int) -> Touched:
    """What the changes after `after` up to `upto` touch (see `Touched`)."""
    found = conn.execute(
        select(changes.c.entity, changes.c.entity_id, changes.c.bucket)
        .where(changes.c.seq > after, changes.c.seq <= upto)
        .where(changes.c.entity.in_(sorted(ACTIVITY | COMPANY)))
    ).all()
    touched = Touched()
    if any(entity in COMPANY for entity, _, _ in found):
        touched.everything = True
        return touched
    ids: dict[str, set[str]] = {}
    for entity, entity_id, _ in found:
        ids.setdefault(entity, set()).add(entity_id)
    q, lead, request, lost = _t["quote"].c, _t["lead"].c, _t["approval_request"].c, _t["lost_sale"].c
    numbers = _column(conn, "quote", "number", "id", ids.get("quote", ()))
    for chunk in _chunked(numbers):  # a quote number counts on its first version's day
        first = select(q.number, func.min(q.issue_date).label("day")).where(q.number.in_(chunk)).group_by(q.number)
        days = dict(conn.execute(first).all())
        for number, seller in conn.execute(select(q.number, q.seller_login).where(q.number.in_(chunk))):
            touched.moved([seller], days.get(number))
    for chunk in _chunked(ids.get("lead", ())):
        for seller, at in conn.execute(select(lead.seller_login, lead.created_at).where(lead.id.in_(chunk))):
            touched.moved([seller], _day(at))
    for chunk in _chunked(ids.get("lost_sale", ())):  # a lost sale counts on the day it first arrived
        arrived = (select(changes.c.entity_id, func.min(changes.c.created_at))
                   .where(changes.c.entity == "lost_sale", changes.c.entity_id.in_(chunk))
                   .group_by(changes.c.entity_id))  # fmt: skip
        days = {entity_id: _day(at) for entity_id, at in conn.execute(arrived)}
        for entity_id, seller in conn.execute(select(lost.id, lost.seller_login).where(lost.id.in_(chunk))):
            touched.moved([seller], days.get(entity_id))
    request_ids = ids.get("approval_request", set()) | _column(
        conn, "approval_decision", "request_id", "id", ids.get("approval_decision", ())
    )
    for chunk in _chunked(request_ids):
        query = select(request.requested_by, request.requested_at).where(request.id.in_(chunk))
        for seller, at in conn.execute(query):
            touched.moved([seller], _day(at))
    # time to first quote reads the lead behind a quote's opportunity and the visit it started on
    opportunities = _column(conn, "lead", "opportunity_id", "id", ids.get("lead", ()))
    touched.moved(_column(conn, "quote", "seller_login", "opportunity_id", opportunities), None)
    touched.moved(_column(conn, "quote", "seller_login", "visit_id", ids.get("visit", ())), None)
    # a record gone (or of another kind) is not found above: its bucket's seller, any day
    for entity, entity_id, bucket in found:
        if not bucket.startswith(("activity:", "portfolio:")):
            continue
        login = bucket.split(":", 1)[1]
        if entity in ("visit", "opportunity"):
            if not _exists(conn, entity, entity_id):
                touched.readings_gone.add(login)
        elif login not in touched.since and not _exists(conn, entity, entity_id):
            touched.moved([login], None)
    touched.opportunity_customers = _column(conn, "opportunity", "customer_code", "id", ids.get("opportunity", ()))
    touched.touched_customers = _column(conn, "visit", "customer_code", "id", ids.get("visit", ()))
    touched.touched_customers |= _column(conn, "quote", "customer_code", "id", ids.get("quote", ()))
    return touched


def holders(conn: Connection, customers: Iterable[str]) -> set[str]:
    """The sellers holding `customers` now."""
    return _column(conn, "customer", "seller_login", "code", customers)


def last_invoices(conn: Connection, customers: Iterable[str]) -> dict[str, date]:
    """Each customer's last purchase (an invoice with a positive net; credit notes are none)."""
    inv = _t["invoice"].c
    found: dict[str, date] = {}
    for chunk in _chunked(customers):
        query = select(inv.customer_code, func.max(inv.issue_date)).where(
            inv.customer_code.in_(chunk), inv.net_amount > 0
        )
        found |= dict(conn.execute(query.group_by(inv.customer_code)).all())
    return found


def _exists(conn: Connection, entity: str, entity_id: str) -> bool:
    key = _t[entity].primary_key.columns.values()[0]
    return conn.execute(select(key).where(key == entity_id)).first() is not None


def _day(at: datetime | None) -> date | None:
    return None if at is None else at.astimezone(UTC).date()


def _chunked(values: Iterable[Any]) -> list[list[str]]:
    chosen = sorted({str(v) for v in values if v is not None})
    return [chosen[i : i + _CHUNK] for i in range(0, len(chosen), _CHUNK)]


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


def read_parts(
    conn: Connection, sellers: list[str], names: list[str], with_data: bool = True
) -> dict[tuple[str, str], tuple[Any, datetime]]:
    """The kept parts of `sellers` named `names`: per (seller, name), its data (None without
    `with_data`: which are kept is then read, not the megabytes they hold) and when it was made."""
    m = metric_parts.c
    found = {}
    columns = (m.seller_login, m.part, m.data if with_data else null(), m.computed_at)
    for i in range(0, len(sellers), _CHUNK):
        query = select(*columns).where(m.seller_login.in_(sellers[i : i + _CHUNK]), m.part.in_(names))
        for login, name, data, at in conn.execute(query):
            found[(login, name)] = (_DECODER.decode(data) if with_data else None, at)
    return found


def write_parts(conn: Connection, parts: dict[tuple[str, str], Any], at: datetime) -> None:
    """Keep `parts` (per (seller, name)), replacing what was kept under the same names."""
    if not parts:
        return
    keys = sorted(parts)
    by_login: dict[str, list[str]] = {}
    for login, name in keys:
        by_login.setdefault(login, []).append(name)
    by_names: dict[tuple[str, ...], list[str]] = {}
    for login, made in by_login.items():  # most sellers have the same parts made: one statement
        by_names.setdefault(tuple(made), []).append(login)
    for same, logins in by_names.items():
        drop_parts(conn, logins, same, variants=False)
    for i in range(0, len(keys), _CHUNK):
        rows = [{"seller_login": login, "part": name, "data": msgspec.json.encode(parts[(login, name)]).decode(),
                 "computed_at": at} for login, name in keys[i : i + _CHUNK]]  # fmt: skip
        conn.execute(insert(metric_parts), rows)


def drop_parts(
    conn: Connection,
    sellers: Iterable[str] | None,
    names: Iterable[str] | None = None,
    but_not: Iterable[str] = (),
    *,
    variants: bool = True,
) -> None:
    """Forget the kept parts of `sellers` (None: everyone's): only those named `names` if
    given, never those named `but_not`; a name stands for its filtered variants too (the same
    part narrowed to a segment or category: `name~…`) unless `variants` is False."""
    m = metric_parts.c
    query = delete(metric_parts)
    if names is not None:
        query = query.where(_named(sorted(set(names)), variants))
    if spared := sorted(set(but_not)):
        query = query.where(not_(_named(spared, True)))
    if sellers is None:
        conn.execute(query)
        return
    chosen = sorted(set(sellers))
    for i in range(0, len(chosen), _CHUNK):
        conn.execute(query.where(m.seller_login.in_(chosen[i : i + _CHUNK])))


def _named(names: list[str], variants: bool) -> Any:
    m = metric_parts.c
    if not variants:
        return m.part.in_(names)
    return or_(m.part.in_(names), *(m.part.like(f"{name}{FILTERED}%") for name in names))


__all__ = [
    "ACTIVITY",
    "COMPANY",
    "Touched",
    "applied_seq",
    "changed_since",
    "FILTERED",
    "drop_parts",
    "holders",
    "kept_sellers",
    "last_invoices",
    "lock_parts",
    "newest_seq",
    "read_parts",
    "set_applied_seq",
    "write_parts",
]
