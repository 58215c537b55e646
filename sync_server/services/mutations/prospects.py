"""Prospects: made on a seller's tablet, owned by her, coded from her device's own prefix."""

from typing import Any

from shared.errors import OutOfScope, PermissionDenied, ValidationFailed
from shared.messages import label
from shared.models.field import Quote
from shared.models.prospect import Prospect
from shared.protocol import activity_bucket
from shared.rules.prospects import check_prospect_code, check_prospect_terms
from sync_server.repository.database import Connection
from sync_server.repository.directory import customer_seller
from sync_server.repository.identity import device_row
from sync_server.repository.records import put_record_at, stored_state
from sync_server.services.auth import Principal
from sync_server.services.mutations.base import Applied, current_data, load_prospect, parse
from sync_server.services.policies import approval_policy


def save_prospect(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Create or update a prospect: its seller's own; a new one coded from the pushing device's
    prefix and not an ERP customer's code; made once (its `created_at` stays the first one)."""
    prospect = parse(Prospect, args, "prospect")
    if prospect.seller_login != principal.login:
        raise PermissionDenied(
            f"a prospect is saved by its owner, not {prospect.seller_login}",
            key="problem.record.not_author",
            params={"record": label("Entity", Prospect.ENTITY), "author": prospect.seller_login},
        )
    current = stored_state(conn, Prospect.ENTITY, prospect.record_id())
    if current is not None and current.bucket != activity_bucket(principal.login):
        raise OutOfScope(
            f"prospect {prospect.code} belongs to another seller",
            key="problem.record.other_seller",
            params={"record": label("Entity", Prospect.ENTITY)},
        )
    found = current_data(conn, Prospect.ENTITY, prospect.record_id())
    if found is None:
        device = device_row(conn, principal.client_id)
        check_prospect_code(prospect.code, device.quote_prefix if device is not None else "")
        if customer_seller(conn, prospect.code)[0]:
            raise ValidationFailed(
                f"{prospect.code} is already an ERP customer's code",
                key="problem.prospect.code_taken",
                params={"code": prospect.code},
            )
    else:
        prospect = prospect.model_copy(update={"created_at": Prospect.model_validate(found[1]).created_at})
    put_record_at(conn, prospect, activity_bucket(principal.login), current)
    return Applied()


def require_prospect_terms(conn: Connection, quote: Quote) -> None:
    """A quote for a prospect (not yet an ERP customer) is on the prepaid terms only."""
    if customer_seller(conn, quote.customer_code)[0] or load_prospect(conn, quote.customer_code) is None:
        return
    check_prospect_terms(quote.payment_terms, approval_policy(conn).prepaid_terms)


__all__ = ["require_prospect_terms", "save_prospect"]
