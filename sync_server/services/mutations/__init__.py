"""One handler per mutation name: validate, check scope and state, apply, log the change.

A handler runs inside the push transaction (in a savepoint) and raises a DomainError for
a permanent rejection. It returns `Applied` (optionally with merge conflicts) or None.
"""

from collections.abc import Callable
from typing import Any

from shared.protocol import MutationName
from sync_server.repository.database import Connection
from sync_server.services.auth import Principal
from sync_server.services.mutations.base import Applied
from sync_server.services.mutations.decisions import decide_approval
from sync_server.services.mutations.draft_takeover import take_over_draft
from sync_server.services.mutations.field_records import (
    add_visit_comment,
    record_claim,
    record_lost_sale,
    record_observation,
    record_visit,
)
from sync_server.services.mutations.leads import save_lead
from sync_server.services.mutations.opportunities import save_opportunity
from sync_server.services.mutations.prospects import save_prospect
from sync_server.services.mutations.quotes import mark_quote, request_approval, save_quote, send_quote

Handler = Callable[[Connection, Principal, dict[str, Any]], Applied | None]

HANDLERS: dict[str, Handler] = {
    MutationName.RECORD_VISIT: record_visit,
    MutationName.RECORD_OBSERVATION: record_observation,
    MutationName.RECORD_CLAIM: record_claim,
    MutationName.RECORD_LOST_SALE: record_lost_sale,
    MutationName.ADD_VISIT_COMMENT: add_visit_comment,
    MutationName.SAVE_OPPORTUNITY: save_opportunity,
    MutationName.SAVE_QUOTE: save_quote,
    MutationName.REQUEST_APPROVAL: request_approval,
    MutationName.SEND_QUOTE: send_quote,
    MutationName.MARK_QUOTE: mark_quote,
    MutationName.SAVE_LEAD: save_lead,
    MutationName.SAVE_PROSPECT: save_prospect,
    MutationName.DECIDE_APPROVAL: decide_approval,
    MutationName.TAKE_OVER_DRAFT: take_over_draft,
}

__all__ = ["HANDLERS", "Applied", "Handler"]
