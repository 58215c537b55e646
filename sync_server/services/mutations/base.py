"""What handlers share: parsing arguments, the current state of a record, customer scope."""

import json
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from shared.errors import NotFound, OutOfScope, ValidationFailed
from shared.invalid_input import problem_lines
from shared.models import Role
from shared.models.prospect import Prospect
from shared.protocol import portfolio_bucket
from sync_server.repository.changelog import latest_put_data, was_in_bucket
from sync_server.repository.database import Connection
from sync_server.repository.directory import customer_seller
from sync_server.repository.pending import held_back_put
from sync_server.repository.records import live_version
from sync_server.services.auth import Principal
from sync_server.services.authorization import CustomerAccess
from sync_server.services.scope import manages

M = TypeVar("M", bound=BaseModel)


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
        problems = "; ".join(problem_lines(exc.errors()))
        raise ValidationFailed(
            f"invalid {key}: {problems}",
            key="problem.sync.invalid_record",
            params={"record": key, "problems": problems},
        ) from None


def current_data(conn: Connection, entity: str, record_id: str) -> tuple[int, dict[str, Any]] | None:
    """(version, data) of a live record as last written to the change log, or None."""
    version = live_version(conn, entity, record_id)
    if version is None:
        return None
    held = held_back_put(conn, entity, record_id)  # written earlier in this transaction
    if held is not None:
        return version, held
    data = latest_put_data(conn, entity, record_id)
    if data is None:  # a live record always has its put in the log (check --repair keeps it so)
        raise NotFound(f"{entity} {record_id} has no data in the change log")
    return version, json.loads(data)


def load_prospect(conn: Connection, code: str) -> Prospect | None:
    """The prospect with this code as last written, or None (not a prospect, or not yet pushed)."""
    found = current_data(conn, Prospect.ENTITY, code)
    return None if found is None else Prospect.model_validate(found[1])


def _require_prospect_scope(conn: Connection, principal: Principal, prospect: Prospect) -> None:
    # A prospect is its seller's alone (and her managers'): no portfolio holds it yet.
    seller = prospect.seller_login
    if principal.role == Role.ADMIN or seller == principal.login:
        return
    if principal.role == Role.MANAGER and manages(conn, principal, seller):
        return
    raise OutOfScope(
        f"prospect {prospect.code} is another seller's",
        key="problem.prospect.other_seller",
        params={"customer": prospect.code},
    )


def require_customer_scope(
    conn: Connection,
    principal: Principal,
    customer_code: str,
    access: CustomerAccess = CustomerAccess.CURRENT_OR_PAST,
    *,
    known: tuple[bool, str | None] | None = None,
) -> None:
    """Allow work on a customer in the caller's scope, as the mutation's row of the
    authorization table says (`access`): now, or also before it moved.

    "Before" matters for field work: a seller who visited a customer offline keeps the right
    to sync that visit after the customer moved to another seller's portfolio. Quoting,
    sending and answers need the customer now: a moved customer is read-only for its old seller.
    `known` is (whether the customer exists, its seller) when the caller has read them already.
    """
    exists, seller = customer_seller(conn, customer_code) if known is None else known
    if not exists:
        prospect = load_prospect(conn, customer_code)
        if prospect is not None:
            _require_prospect_scope(conn, principal, prospect)
            return
        raise NotFound(
            f"customer {customer_code} does not exist",
            key="problem.customer.unknown",
            params={"customer": customer_code},
        )
    if principal.role == Role.ADMIN or seller == principal.login:
        return
    if principal.role == Role.MANAGER and manages(conn, principal, seller):
        return
    # A put in the seller's portfolio bucket, or the delete that moved the customer out of
    # it: compaction drops the put (superseded by that delete) at once, but keeps the delete
    # for the retention period — longer than any offline period allowed.
    was_hers = was_in_bucket(conn, "customer", customer_code, portfolio_bucket(principal.login))
    if was_hers and access == CustomerAccess.CURRENT:
        raise OutOfScope(
            f"customer {customer_code} moved to another seller's portfolio; what you recorded for it stays "
            "readable, but only its current seller quotes, sends and records answers",
            key="problem.customer.moved",
            params={"customer": customer_code},
        )
    if not was_hers or access == CustomerAccess.NONE:
        raise OutOfScope(
            f"customer {customer_code} is not in your portfolio",
            key="problem.customer.out_of_scope",
            params={"customer": customer_code},
        )


__all__ = ["Applied", "current_data", "load_prospect", "parse", "require_customer_scope"]
