"""A customer moved to a colleague: the new seller takes over the old seller's drafts.

A moved customer is read-only for its old seller (`CustomerAccess.CURRENT`); her drafts stay
on her device, readable, saying why. The new seller lists them (`colleague_drafts`, online)
and takes one over: her device makes a new quote of her own — her number, with her device's
prefix, version 1, the same products, quantities and discounts priced again from her lists —
and pushes it as `take_over_draft {source_quote_id, quote}`. The server saves it as any new
quote (`save_quote`: her seller login, her prefix, the customer in her portfolio now, totals
and rules checked) and notes the takeover in the audit log, which also keeps a draft from
being taken over twice. The old draft is left as it was: it is its seller's record.
"""

from typing import Any

from shared.errors import Conflict, InvalidTransition, ValidationFailed
from shared.models import QuoteStatus
from shared.models.field import Quote
from shared.protocol import MutationName
from sync_server.repository.audit import subjects_with
from sync_server.repository.database import Connection
from sync_server.repository.quote_reads import models_with
from sync_server.services.audit import AuditKind, audit
from sync_server.services.auth import Principal
from sync_server.services.authorization import customer_access
from sync_server.services.mutations.base import Applied, parse, require_customer_scope
from sync_server.services.mutations.quote_review import load_quote
from sync_server.services.mutations.quotes import _uuid_arg, save_quote


def colleague_drafts(conn: Connection, principal: Principal, customer_code: str) -> list[Quote]:
    """Drafts other sellers left for a customer in the caller's portfolio now, not yet taken over."""
    require_customer_scope(conn, principal, customer_code, customer_access(MutationName.TAKE_OVER_DRAFT))
    found = [
        quote
        for quote in models_with(conn, Quote, "customer_code", customer_code)
        if quote.status == QuoteStatus.DRAFT and quote.seller_login != principal.login
    ]
    taken = subjects_with(conn, AuditKind.DRAFT_TAKEN_OVER.value, [str(q.id) for q in found])
    return sorted((q for q in found if str(q.id) not in taken), key=lambda q: (q.number, q.version))


def take_over_draft(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied | None:
    """Save the caller's copy of a colleague's draft as her own new quote."""
    source_id = _uuid_arg(args, "source_quote_id")
    source = load_quote(conn, source_id, lock=True)
    if source is None:
        raise ValidationFailed(f"quote {source_id} is not on the server", key="problem.quote.not_on_server")
    copy = parse(Quote, args, "quote")
    params = {"number": source.number, "seller": source.seller_login}
    if source.seller_login == principal.login:
        raise ValidationFailed(
            f"quote {source.number} is already yours", key="problem.takeover.own_draft", params=params
        )
    if source.status != QuoteStatus.DRAFT:
        raise InvalidTransition(
            f"quote {source.number} v{source.version} is {source.status}, not a draft: only drafts are taken over",
            from_status=source.status,
            to_status=QuoteStatus.DRAFT.value,
            key="problem.takeover.not_a_draft",
            params=params,
        )
    if copy.customer_code != source.customer_code or copy.version != 1 or copy.id == source.id:
        raise ValidationFailed(
            f"the copy of {source.number} is a new quote (version 1) for the same customer {source.customer_code}",
            key="problem.takeover.not_a_copy",
            params=params,
        )
    if subjects_with(conn, AuditKind.DRAFT_TAKEN_OVER.value, [str(source.id)]):
        raise Conflict(f"quote {source.number} was already taken over", key="problem.takeover.already", params=params)
    applied = save_quote(conn, principal, {"quote": args["quote"]})
    audit(
        conn,
        AuditKind.DRAFT_TAKEN_OVER,
        login=principal.login,
        client_id=principal.client_id,
        subject=str(source.id),
        detail=f"{source.number} v{source.version} of {source.seller_login} → {copy.number} for {copy.customer_code}",
    )
    return applied


__all__ = ["colleague_drafts", "take_over_draft"]
