"""What handlers share: parsing arguments, the current state of a record, customer scope."""

import json
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, and_, exists, select

from shared.errors import NotFound, OutOfScope, ValidationFailed
from shared.models import Role
from shared.protocol import portfolio_bucket
from sync_server.repository.pending import held_back_put
from sync_server.repository.tables import ENTITY_TABLES, changes, records
from sync_server.services.auth import Principal

M = TypeVar("M", bound=BaseModel)
_customers = ENTITY_TABLES["customer"]
_users = ENTITY_TABLES["user"]


@dataclass(frozen=True)
class Applied:
    """A mutation applied; `conflicts` names fields where the server's value was kept."""

    conflicts: list[str] = field(default_factory=list)
    detail: str | None = None


def parse(model: type[M], args: dict[str, Any], key: str) -> M:
    """Validate `args[key]` as `model`, or reject the mutation naming the bad fields."""
    if not isinstance(args.get(key), dict):
        raise ValidationFailed(f"the mutation needs a {key!r} object")
    try:
        return model.model_validate(args[key])
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ValidationFailed(
            f"invalid {key}: {problems}",
            key="problem.sync.invalid_record",
            params={"record": key, "problems": problems},
        ) from None


def current_data(conn: Connection, entity: str, record_id: str) -> tuple[int, dict[str, Any]] | None:
    """(version, data) of a live record as last written to the change log, or None."""
    version = conn.execute(
        select(records.c.version).where(records.c.entity == entity, records.c.entity_id == record_id)
    ).scalar()
    if version is None:
        return None
    held = held_back_put(conn, entity, record_id)  # written earlier in this transaction
    if held is not None:
        return int(version), held
    data = conn.execute(
        select(changes.c.data)
        .where(changes.c.entity == entity, changes.c.entity_id == record_id, changes.c.op == "put")
        .order_by(changes.c.seq.desc())
        .limit(1)
    ).scalar()
    if data is None:  # a live record always has its put in the log (check --repair keeps it so)
        raise NotFound(f"{entity} {record_id} has no data in the change log")
    return int(version), json.loads(data)


def require_customer_scope(conn: Connection, principal: Principal, customer_code: str) -> None:
    """Allow field work on a customer that is, or was, in the caller's scope.

    "Was" matters: a seller who visited a customer offline keeps the right to sync that
    visit after the customer moved to another seller's portfolio.
    """
    seller = conn.execute(select(_customers.c.seller_login).where(_customers.c.code == customer_code)).first()
    if seller is None:
        raise NotFound(
            f"customer {customer_code} does not exist",
            key="problem.customer.unknown",
            params={"customer": customer_code},
        )
    if principal.role == Role.ADMIN or seller.seller_login == principal.login:
        return
    if principal.role == Role.MANAGER and seller.seller_login and principal.team_code:
        team = conn.execute(select(_users.c.team_code).where(_users.c.login == seller.seller_login)).scalar()
        if team == principal.team_code:
            return
    # A put in the seller's portfolio bucket, or the delete that moved the customer out of
    # it: compaction drops the put (superseded by that delete) at once, but keeps the delete
    # for the retention period — longer than any offline period allowed.
    was_mine = conn.execute(
        select(
            exists().where(
                and_(
                    changes.c.entity == "customer",
                    changes.c.entity_id == customer_code,
                    changes.c.bucket == portfolio_bucket(principal.login),
                )
            )
        )
    ).scalar()
    if not was_mine:
        raise OutOfScope(
            f"customer {customer_code} is not in your portfolio",
            key="problem.customer.out_of_scope",
            params={"customer": customer_code},
        )


__all__ = ["Applied", "current_data", "parse", "require_customer_scope"]
