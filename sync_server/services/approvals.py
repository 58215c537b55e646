"""Approvals (DESIGN §5): a manager lists the team's requests and decides them.

A manager's scope is the sellers of the manager's team; an administrator sees everyone;
a seller decides nothing (403). A decision writes the ApprovalDecision and moves the quote
to approved or rejected in the caller's transaction, both through `put_record`, so the
seller's device (and every manager of the team) pulls them. The quote row is locked
first, so two managers deciding at once take turns and the second gets 409.

The decision approves the rules the quote fired when it was decided (they stay on the
quote, which is no longer edited in place): `send_quote` later refuses the quote if
another rule fires by then, a customer blocked since, say.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.errors import Conflict, NotFound, OutOfScope, PermissionDenied, ValidationFailed
from shared.messages import label
from shared.models import ApprovalDecisionKind, QuoteLine, QuoteStatus, Role
from shared.models.field import ApprovalDecision, ApprovalRequest
from shared.protocol import activity_bucket
from shared.rules import transition
from sync_server.repository.database import Connection
from sync_server.repository.directory import team_members
from sync_server.repository.quote_reads import (
    approval_requests,
    customer_name,
    decision_of,
    models_with,
    newest_version,
    user_name,
)
from sync_server.repository.records import put_record
from sync_server.services.audit import AuditKind, audit
from sync_server.services.auth import Principal
from sync_server.services.mutations.base import current_data
from sync_server.services.mutations.quote_review import load_quote


class ApprovalFilter(StrEnum):
    PENDING = "pending"
    DECIDED = "decided"
    ALL = "all"


class QuoteSummary(BaseModel):
    """What a manager reads before deciding: the quote's figures and its lines."""

    model_config = ConfigDict(frozen=True)

    id: UUID
    number: str
    version: int
    status: QuoteStatus
    customer_code: str
    customer_name: str
    seller_login: str
    seller_name: str
    currency: str
    issue_date: date
    valid_until: date
    payment_terms: str
    header_discount_percent: Decimal
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    lines: tuple[QuoteLine, ...]


class ApprovalItem(BaseModel):
    """One approval request with its quote, the rules that fired and the decision if made."""

    model_config = ConfigDict(frozen=True)

    request_id: UUID
    requested_by: str
    note: str
    fired_rules: tuple[str, ...]
    reasons: tuple[str, ...]
    quote: QuoteSummary
    is_superseded: bool = False
    """The seller has since made a newer version of this quote (which needs its own request)."""
    decision: ApprovalDecision | None = None


def _require_manager(principal: Principal) -> None:
    if principal.role not in (Role.MANAGER, Role.ADMIN):
        raise PermissionDenied(
            "only a manager or an administrator decides approvals", key="problem.approval.managers_only"
        )


def _team_sellers(conn: Connection, principal: Principal) -> set[str] | None:
    """Logins whose quotes the principal may decide; None means everyone (administrator)."""
    if principal.role == Role.ADMIN:
        return None
    if not principal.team_code:
        return set()
    return set(team_members(conn, principal.team_code))


def list_approvals(
    conn: Connection, principal: Principal, status: ApprovalFilter = ApprovalFilter.PENDING
) -> list[ApprovalItem]:
    """The approval requests in the caller's scope, oldest quote number first."""
    _require_manager(principal)
    sellers = _team_sellers(conn, principal)
    rows = approval_requests(conn, sellers, status == ApprovalFilter.PENDING, QuoteStatus.PENDING_APPROVAL.value)
    decided = (
        {str(d.request_id): d for d in models_with(conn, ApprovalDecision, "request_id", [r.id for r in rows])}
        if rows
        else {}
    )
    items = []
    for row in rows:
        decision = decided.get(row.id)
        if (status == ApprovalFilter.PENDING and decision) or (status == ApprovalFilter.DECIDED and not decision):
            continue
        items.append(_item(conn, row.id, decision))
    return items


def _item(conn: Connection, request_id: str, decision: ApprovalDecision | None) -> ApprovalItem:
    request = _load_request(conn, request_id)
    quote = load_quote(conn, request.quote_id)
    if quote is None:
        raise NotFound(f"the quote of approval request {request_id} is missing", key="problem.approval.quote_missing")
    customer = customer_name(conn, quote.customer_code) or quote.customer_code
    seller_name = user_name(conn, quote.seller_login) or quote.seller_login
    summary = QuoteSummary(
        id=quote.id,
        number=quote.number,
        version=quote.version,
        status=quote.status,
        customer_code=quote.customer_code,
        customer_name=customer,
        seller_login=quote.seller_login,
        seller_name=seller_name,
        currency=quote.currency,
        issue_date=quote.issue_date,
        valid_until=quote.valid_until,
        payment_terms=quote.payment_terms,
        header_discount_percent=quote.header_discount_percent,
        net_total=quote.net_total,
        tax_total=quote.tax_total,
        gross_total=quote.gross_total,
        lines=quote.lines,
    )
    newest = newest_version(conn, quote.number)
    return ApprovalItem(
        request_id=request.id,
        requested_by=request.requested_by,
        note=request.note,
        fired_rules=quote.fired_rules,
        reasons=request.reasons,
        quote=summary,
        is_superseded=(newest or 0) > quote.version,
        decision=decision,
    )


def _load_request(conn: Connection, request_id: str) -> ApprovalRequest:
    found = current_data(conn, ApprovalRequest.ENTITY, request_id)
    if found is None:
        raise NotFound(f"no approval request {request_id}", key="problem.approval.unknown")
    return ApprovalRequest.model_validate(found[1])


def decide(
    conn: Connection,
    principal: Principal,
    request_id: UUID | str,
    decision: ApprovalDecisionKind,
    comment: str,
    now: datetime,
) -> ApprovalItem:
    """Approve or reject a pending request: ApprovalDecision + quote status, change-logged together."""
    _require_manager(principal)
    try:
        request_id = str(UUID(str(request_id)))
    except ValueError:
        raise NotFound(f"no approval request {request_id}", key="problem.approval.unknown") from None
    request = _load_request(conn, request_id)
    quote = load_quote(conn, request.quote_id, lock=True)
    if quote is None:
        raise NotFound(f"the quote of approval request {request_id} is missing", key="problem.approval.quote_missing")
    sellers = _team_sellers(conn, principal)
    if sellers is not None and quote.seller_login not in sellers:
        raise OutOfScope(
            f"quote {quote.number} is from {quote.seller_login}, who is not in your team",
            key="problem.approval.not_your_team",
            params={"number": quote.number, "seller": quote.seller_login},
        )
    if quote.seller_login == principal.login:
        raise PermissionDenied(
            f"quote {quote.number} is your own; another manager or an administrator decides it",
            key="problem.approval.own_quote",
            params={"number": quote.number},
        )
    newest = newest_version(conn, quote.number) or quote.version
    if newest > quote.version:
        raise Conflict(
            f"quote {quote.number} v{quote.version} was replaced by v{newest}; a replaced version is never decided",
            key="problem.approval.superseded",
            params={"number": quote.number, "version": quote.version, "latest": newest},
        )
    earlier = decision_of(conn, request_id)
    if earlier is not None:
        raise Conflict(
            f"this request was already {earlier.decision} by {earlier.decided_by} "
            f"on {earlier.decided_at:%Y-%m-%d %H:%M} UTC",
            decision=earlier.decision,
            decided_by=earlier.decided_by,
            key="problem.approval.already_decided",
            params={"decision": label("ApprovalDecisionKind", earlier.decision), "by": earlier.decided_by},
        )
    if quote.status != QuoteStatus.PENDING_APPROVAL:
        raise Conflict(
            f"quote {quote.number} v{quote.version} is {quote.status}, no longer waiting for approval",
            quote_status=quote.status,
            key="problem.approval.not_waiting",
            params={"number": quote.number, "version": quote.version, "status": label("QuoteStatus", quote.status)},
        )
    target = QuoteStatus(ApprovalDecisionKind(decision).value)
    status = transition(quote.status, target)
    try:
        record = ApprovalDecision(
            id=uuid.uuid4(),
            request_id=request.id,
            decided_by=principal.login,
            decision=decision,
            comment=comment,
            decided_at=now,
        )
    except ValueError as exc:
        raise ValidationFailed(f"invalid decision: {exc}") from None
    bucket = activity_bucket(quote.seller_login)
    put_record(conn, quote.model_copy(update={"status": status.value}), bucket)
    put_record(conn, record, bucket)
    audit(
        conn,
        AuditKind.APPROVAL_DECIDED,
        login=principal.login,
        client_id=principal.client_id,
        subject=f"{quote.number} v{quote.version}",
        detail=f"{decision} for {quote.seller_login}",
        at=now,
    )
    return _item(conn, request_id, record)


__all__ = ["ApprovalFilter", "ApprovalItem", "QuoteSummary", "decide", "list_approvals"]
