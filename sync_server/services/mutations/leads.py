"""Leads: owned by their seller, moved on only as `shared.rules.leads` allows."""

from typing import Any

from shared.errors import OutOfScope, PermissionDenied, ValidationFailed
from shared.messages import label
from shared.models import LeadStatus, Opportunity
from shared.models.field import Lead
from shared.protocol import MutationName, activity_bucket
from shared.rules.leads import lead_transition
from sync_server.repository.database import Connection
from sync_server.repository.records import put_record_at, stored_state
from sync_server.services.auth import Principal
from sync_server.services.authorization import customer_access
from sync_server.services.mutations.base import Applied, current_data, parse, require_customer_scope


def save_lead(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Create a lead or move it on, checked against the server's copy: a lead is born new (or
    moved out of new at once), never goes back, and converts only into its seller's opportunity."""
    lead = parse(Lead, args, "lead")
    if lead.seller_login != principal.login:
        raise PermissionDenied(
            f"a lead is saved by its owner, not {lead.seller_login}",
            key="problem.record.not_author",
            params={"record": label("Entity", Lead.ENTITY), "author": lead.seller_login},
        )
    if lead.customer_code is not None:
        require_customer_scope(conn, principal, lead.customer_code, customer_access(MutationName.SAVE_LEAD))
    current = stored_state(conn, Lead.ENTITY, lead.record_id())
    if current is not None and current.bucket != activity_bucket(principal.login):
        raise OutOfScope(
            f"lead {lead.id} belongs to another seller",
            key="problem.record.other_seller",
            params={"record": label("Entity", Lead.ENTITY)},
        )
    found = current_data(conn, Lead.ENTITY, lead.record_id())
    stored = Lead.model_validate(found[1]) if found else None
    lead_transition(
        stored.status if stored else LeadStatus.NEW,
        lead.status,
        discard_reason=lead.discard_reason,
        opportunity_id=lead.opportunity_id,
    )
    if stored is not None:
        # When it was created and first contacted are facts of its past: the first copy wins.
        lead = lead.model_copy(
            update={
                "created_at": stored.created_at,
                "first_contact_at": stored.first_contact_at or lead.first_contact_at,
            }
        )
    if lead.status == LeadStatus.CONVERTED and lead.opportunity_id is not None:
        _require_own_opportunity(conn, principal, str(lead.opportunity_id))
    put_record_at(conn, lead, activity_bucket(principal.login), current)
    return Applied()


def _require_own_opportunity(conn: Connection, principal: Principal, opportunity_id: str) -> None:
    found = current_data(conn, Opportunity.ENTITY, opportunity_id)
    if found is None:
        raise ValidationFailed(
            f"opportunity {opportunity_id} is not on the server; push it first",
            key="problem.lead.opportunity_not_on_server",
        )
    if found[1]["seller_login"] != principal.login:
        raise OutOfScope(
            f"opportunity {opportunity_id} is another seller's",
            key="problem.record.other_seller",
            params={"record": label("Entity", Opportunity.ENTITY)},
        )


__all__ = ["save_lead"]
