"""What the server reads to check a pushed quote, decide an approval or export an order.

Typed-table rows come back as the shared models (`load_models`), Decimals in their plain
form: PostgreSQL's NUMERIC pads them to its scale, and a padded price would not match the
device's to the byte.
"""

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Connection, func, or_, select

from shared.models import Record
from sync_server.repository.tables import ENTITY_TABLES, changes, records

R = TypeVar("R", bound=Record)
_t = ENTITY_TABLES


def plain_decimal(value: Decimal) -> Decimal:
    """A Decimal without trailing zeros or exponent (PostgreSQL NUMERIC pads to its scale)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal  # type: ignore[operator]


def load_models(conn: Connection, model: type[R], *where: Any) -> list[R]:
    """Rows of `model`'s typed table matching `where`, as validated models."""
    table = _t[model.ENTITY]
    rows = conn.execute(select(table).where(*where)) if where else conn.execute(select(table))
    return [
        model.model_validate({k: plain_decimal(v) if isinstance(v, Decimal) else v for k, v in row._mapping.items()})
        for row in rows
    ]


def models_with(conn: Connection, model: type[R], column: str, values: Any) -> list[R]:
    """Rows of `model` whose `column` equals `values` (or is one of them, given a list)."""
    col = _t[model.ENTITY].c[column]
    return load_models(conn, model, col.in_(list(values)) if isinstance(values, list | tuple | set) else col == values)


def every(conn: Connection, model: type[R]) -> list[R]:
    """Every row of `model`."""
    return load_models(conn, model)


def price_lists_for(conn: Connection, model: type[R], segment: str, customer_code: str) -> list[R]:
    """The base list, the customer's segment's and the customer's own."""
    lists = _t["price_list"].c
    return load_models(
        conn, model, or_(lists.kind == "base", lists.segment == segment, lists.customer_code == customer_code)
    )


def floors_for(conn: Connection, model: type[R], skus: list[str]) -> list[R]:
    """Category floors, and product floors of `skus`."""
    floors = _t["price_floor"].c
    return load_models(conn, model, or_(floors.scope == "category", floors.code.in_(skus)))


def fx_rates_between(conn: Connection, model: type[R], first: date, last: date) -> list[R]:
    """Exchange rates dated from `first` to `last`."""
    fx = _t["fx_rate"].c
    return load_models(conn, model, fx.rate_date >= first, fx.rate_date <= last)


def lock_record(conn: Connection, entity: str, entity_id: str) -> None:
    """Lock a record's row until the transaction ends (PostgreSQL: writers of it take turns)."""
    conn.execute(
        select(records.c.version).where(records.c.entity == entity, records.c.entity_id == entity_id).with_for_update()
    )


def quote_versions(conn: Connection, number: str) -> list[Any]:
    """(id, version, status, customer_code, seller_login) of every version of a quote number."""
    q = _t["quote"].c
    return list(
        conn.execute(select(q.id, q.version, q.status, q.customer_code, q.seller_login).where(q.number == number))
    )


def newest_version(conn: Connection, number: str) -> int | None:
    """The highest version of a quote number."""
    q = _t["quote"].c
    return conn.execute(select(func.max(q.version)).where(q.number == number)).scalar()


def sent_past_validity(conn: Connection, today: date, limit: int) -> list[str]:
    """Ids of up to `limit` sent quotes whose last valid day is before `today`."""
    q = _t["quote"].c
    query = select(q.id).where(q.status == "sent", q.valid_until < today).order_by(q.valid_until, q.id).limit(limit)
    return [row.id for row in conn.execute(query)]


def approval_requests(conn: Connection, sellers: set[str] | None, pending_only: bool, pending: str) -> list[Any]:
    """(id, quote_id) of the approval requests of `sellers`' quotes (None: everyone's)."""
    r, q = _t["approval_request"], _t["quote"]
    query = select(r.c.id, r.c.quote_id).join(q, q.c.id == r.c.quote_id)
    if sellers is not None:
        query = query.where(q.c.seller_login.in_(sorted(sellers)))
    if pending_only:
        query = query.where(q.c.status == pending)
    return list(conn.execute(query.order_by(q.c.number, q.c.version)).all())


def decision_of(conn: Connection, request_id: str) -> Any:
    """(decision, decided_by, decided_at) of an approval request's decision, or None."""
    d = _t["approval_decision"].c
    return conn.execute(select(d.decision, d.decided_by, d.decided_at).where(d.request_id == request_id)).first()


def customer_name(conn: Connection, code: str) -> str | None:
    """A customer's legal name."""
    c = _t["customer"].c
    return conn.execute(select(c.legal_name).where(c.code == code)).scalar()


def customer_identity(conn: Connection, code: str) -> Any:
    """(tax_id, legal_name) of a customer, or None."""
    c = _t["customer"].c
    return conn.execute(select(c.tax_id, c.legal_name).where(c.code == code)).first()


def user_name(conn: Connection, login: str) -> str | None:
    """A user's name."""
    u = _t["user"].c
    return conn.execute(select(u.name).where(u.login == login)).scalar()


def order_puts_after(conn: Connection, entity: str, since_seq: int) -> list[Any]:
    """(seq, entity_id, data, created_at) of the puts of `entity` after `since_seq`, oldest first."""
    c = changes.c
    return list(
        conn.execute(
            select(c.seq, c.entity_id, c.data, c.created_at)
            .where(c.entity == entity, c.op == "put", c.seq > since_seq)
            .order_by(c.seq)
        ).all()
    )


__all__ = [
    "approval_requests",
    "customer_identity",
    "customer_name",
    "decision_of",
    "every",
    "floors_for",
    "fx_rates_between",
    "load_models",
    "lock_record",
    "models_with",
    "newest_version",
    "order_puts_after",
    "plain_decimal",
    "price_lists_for",
    "quote_versions",
    "sent_past_validity",
    "user_name",
]
