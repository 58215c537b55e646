"""Opportunities: optimistic concurrency with a per-field three-way merge.

The device sends the whole opportunity, the `base_version` it edited and the `base`
values of the fields it changed. Fields only the device changed are taken; a field the
server also changed since keeps the server's value and is reported as a conflict, so
the seller is told what changed instead of losing an edit silently.
"""

from typing import Any

from shared.errors import OutOfScope, PermissionDenied, ValidationFailed
from shared.models import OpportunityStage
from shared.models.field import Opportunity
from shared.protocol import MutationName, activity_bucket
from shared.rules.opportunities import check_opportunity_loss
from sync_server.repository.database import Connection
from sync_server.repository.records import put_record
from sync_server.services.auth import Principal
from sync_server.services.authorization import customer_access
from sync_server.services.mutations.base import Applied, current_data, parse, require_customer_scope

_SERVER_OWNED = {"id", "version", "seller_login", "customer_code"}


def save_opportunity(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Create an opportunity or merge the device's edit into the server's version."""
    incoming = parse(Opportunity, args, "opportunity")
    if incoming.seller_login != principal.login:  # a manager too: another seller's record is not hers to write
        raise PermissionDenied("an opportunity is saved by its seller", key="problem.opportunity.not_yours")
    if incoming.stage == OpportunityStage.LOST:
        if incoming.lost_reason is None:
            raise ValidationFailed(
                "a lost opportunity needs a lost reason", key="problem.opportunity.lost_needs_reason"
            )
        check_opportunity_loss(incoming.lost_reason, incoming.competitor, incoming.competitor_price)
    require_customer_scope(conn, principal, incoming.customer_code, customer_access(MutationName.SAVE_OPPORTUNITY))
    current = current_data(conn, Opportunity.ENTITY, incoming.record_id())
    if current is None:
        put_record(conn, incoming.model_copy(update={"version": 1}), activity_bucket(incoming.seller_login))
        return Applied()
    version, server = current
    if server["seller_login"] != incoming.seller_login or server["customer_code"] != incoming.customer_code:
        raise OutOfScope(
            "this opportunity belongs to another seller or customer", key="problem.opportunity.other_owner"
        )
    base_version = args.get("base_version")
    mine = incoming.to_data()
    if base_version == version:
        merged, conflicts = mine, list[str]()
    else:
        base = args.get("base")
        if not isinstance(base, dict):
            raise ValidationFailed("an edit of an older version needs the 'base' values it started from")
        merged, conflicts = _merge(server, mine, base)
    merged = {**merged, "version": version + 1}
    put_record(conn, Opportunity.model_validate(merged), activity_bucket(incoming.seller_login))
    if conflicts:
        return Applied(conflicts=conflicts, detail="someone else changed " + ", ".join(conflicts) + " first")
    return Applied()


def _merge(server: dict, mine: dict, base: dict) -> tuple[dict, list[str]]:
    merged, conflicts = dict(server), []
    for name, value in mine.items():
        if name in _SERVER_OWNED or name not in base or base[name] == value:
            continue  # the device did not change this field
        if server.get(name) == base[name]:
            merged[name] = value
        elif server.get(name) != value:
            conflicts.append(name)
    return merged, sorted(conflicts)


__all__ = ["save_opportunity"]
