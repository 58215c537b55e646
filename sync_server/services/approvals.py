"""Approvals (DESIGN §5): a manager lists the team's requests and decides them.

A manager's scope is the sellers of her team's whole subtree (teams nest); an administrator sees everyone;
a seller decides nothing (403). A decision writes the ApprovalDecision and moves the quote
to approved or rejected in the caller's transaction, both through `put_record`, so the
seller's device (and every manager of the team) pulls them. The quote row is locked
first, so two managers deciding at once take turns and the second gets 409.

The decision approves the rules the quote fired when it was decided (they stay on the
quote, which is no longer edited in place): `send_quote` later refuses the quote if
another rule fires by then, a customer blocked since, say.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from shared.errors import Conflict, NotFound, OutOfScope, PermissionDenied, ValidationFailed
from shared.messages import label, message
from shared.models import ApprovalDecisionKind, QuoteLine, QuoteStatus, Role
from shared.models.field import ApprovalDecision, ApprovalRequest, Quote
from shared.protocol import activity_bucket
from shared.rules import transition
from shared.rules.approval_decisions import (
    Change,
    RequestNow,
    Verdict,
    changes_since,
    needs_note,
    time_to_decision,
    who_may_decide,
)
from sync_server.repository.database import Connection
from sync_server.repository.quote_reads import (
    approval_requests,
    customer_name,
    models_with,
    newest_version,
    user_name,
)
from sync_server.repository.records import put_record
from sync_server.services.audit import AuditKind, audit
from sync_server.services.auth import Principal
from sync_server.services.escalations import EscalationNote, Escalations
from sync_server.services.mutations.base import current_data
from sync_server.services.mutations.quote_review import load_quote
from sync_server.services.scope import managed_logins, on_behalf_of


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
    requested_at: datetime | None = None
    """When the request reached the server (None for requests older than this field)."""
    time_to_decision_seconds: int | None = None
    """Seconds from the request reaching the server to its decision (None: undecided, or unknown)."""
    escalation: EscalationNote | None = None
    """Undecided past the policy's wait: escalated to the next manager up, who may decide it too."""


def _require_manager(principal: Principal) -> None:
    if principal.role not in (Role.MANAGER, Role.ADMIN):
        raise PermissionDenied(
            "only a manager or an administrator decides approvals", key="problem.approval.managers_only"
        )


def _team_sellers(conn: Connection, principal: Principal) -> set[str] | None:
    """Logins whose quotes the principal may decide (her team's subtree); None means everyone
    (administrator)."""
    return managed_logins(conn, principal)


def list_approvals(
    conn: Connection,
    principal: Principal,
    status: ApprovalFilter = ApprovalFilter.PENDING,
    now: datetime | None = None,
) -> list[ApprovalItem]:
    """The approval requests in the caller's scope, oldest quote number first; an undecided
    request past the policy's wait says where it escalated."""
    _require_manager(principal)
    sellers = _team_sellers(conn, principal)
    rows = approval_requests(conn, sellers, status == ApprovalFilter.PENDING, QuoteStatus.PENDING_APPROVAL.value)
    decided = (
        {str(d.request_id): d for d in models_with(conn, ApprovalDecision, "request_id", [r.id for r in rows])}
        if rows
        else {}
    )
    items = []
    escalations = Escalations.load(conn) if rows else None
    now = now or datetime.now(UTC)
    for row in rows:
        decision = decided.get(row.id)
        if (status == ApprovalFilter.PENDING and decision) or (status == ApprovalFilter.DECIDED and not decision):
            continue
        item = _item(conn, row.id, decision)
        if escalations is not None and decision is None and item.quote.status == QuoteStatus.PENDING_APPROVAL:
            note = escalations.of(conn, item.quote.seller_login, item.requested_at, now)
            item = item.model_copy(update={"escalation": note})
        items.append(item)
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
        requested_at=request.requested_at,
        time_to_decision_seconds=_seconds(time_to_decision(request.requested_at, decision.decided_at))
        if decision
        else None,
    )


def _seconds(waited: timedelta | None) -> int | None:
    return None if waited is None else int(waited.total_seconds())


def _load_request(conn: Connection, request_id: str) -> ApprovalRequest:
    found = current_data(conn, ApprovalRequest.ENTITY, request_id)
    if found is None:
        raise NotFound(f"no approval request {request_id}", key="problem.approval.unknown")
    return ApprovalRequest.model_validate(found[1])


@dataclass(frozen=True, slots=True)
class DecidedOn:
    """A decision made on a device (the `decide_approval` mutation): the id the device gave it,
    and the quote version the manager read when she decided."""

    decision_id: UUID
    quote_id: UUID
    quote_version: int


def decide(
    conn: Connection,
    principal: Principal,
    request_id: UUID | str,
    decision: ApprovalDecisionKind,
    comment: str,
    now: datetime,
    decided_on: DecidedOn | None = None,
) -> ApprovalItem:
    """Approve or reject a pending request: ApprovalDecision + quote status, change-logged together.

    Online (`decided_on` None) the manager decides on what the server has now; a decision made
    offline applies only while the version she decided on still waits for one, and is
    otherwise refused as "changed since you decided", naming what changed.
    """
    _require_manager(principal)
    try:
        request_id = str(UUID(str(request_id)))
    except ValueError:
        raise NotFound(f"no approval request {request_id}", key="problem.approval.unknown") from None
    request = _load_request(conn, request_id)
    quote = load_quote(conn, request.quote_id, lock=True)
    if quote is None:
        raise NotFound(f"the quote of approval request {request_id} is missing", key="problem.approval.quote_missing")
    _check_decider(conn, principal, quote.number, quote.seller_login)
    if decided_on is not None and (decided_on.quote_id, decided_on.quote_version) != (quote.id, quote.version):
        raise ValidationFailed(
            f"approval request {request_id} is about quote {quote.id} v{quote.version}, "
            f"not {decided_on.quote_id} v{decided_on.quote_version}"
        )
    if needs_note(decision, comment):
        raise ValidationFailed(
            "a rejection needs a note for the seller", key="problem.approval.note_required", field="comment"
        )
    earlier = next(iter(models_with(conn, ApprovalDecision, "request_id", [request_id])), None)
    if decided_on is not None and earlier is not None and earlier.id == decided_on.decision_id:
        return _item(conn, request_id, earlier)  # the same decision pushed again
    newest = newest_version(conn, quote.number) or quote.version
    changes = changes_since(RequestNow(quote.version, newest, quote.status, earlier.decision if earlier else None))
    if changes:
        raise _changed(quote, newest, earlier, changes, offline=decided_on is not None)
    target = QuoteStatus(ApprovalDecisionKind(decision).value)
    status = transition(quote.status, target)
    try:
        record = ApprovalDecision(
            id=decided_on.decision_id if decided_on else uuid.uuid4(),
            request_id=request.id,
            decided_by=principal.login,
            decision=decision,
            comment=comment,
            decided_at=now,
            on_behalf_of=on_behalf_of(conn, principal, quote.seller_login, now.date()),
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
        detail=f"{decision} for {quote.seller_login}"
        + (f" on behalf of {record.on_behalf_of}" if record.on_behalf_of else ""),
        at=now,
    )
    return _item(conn, request_id, record)


def _check_decider(conn: Connection, principal: Principal, number: str, seller: str) -> None:
    sellers = _team_sellers(conn, principal)
    verdict = who_may_decide(
        principal.role, principal.login, seller, seller_in_team=sellers is None or seller in sellers
    )
    if verdict == Verdict.OWN_QUOTE:
        raise PermissionDenied(
            f"quote {number} is your own: another manager or an administrator decides it",
            key="problem.approval.own_quote",
            params={"number": number},
        )
    if verdict == Verdict.NOT_YOUR_TEAM:
        raise OutOfScope(
            f"quote {number} is from {seller}, who is not in your team",
            key="problem.approval.not_your_team",
            params={"number": number, "seller": seller},
        )
    if verdict != Verdict.MAY_DECIDE:
        _require_manager(principal)


def _changed(
    quote: Quote, newest: int, earlier: ApprovalDecision | None, changes: tuple[Change, ...], *, offline: bool
) -> Conflict:
    """The refusal of a decision the request no longer takes: online, the first reason as
    before; offline, "changed since you decided" with everything that changed."""
    said = {
        Change.NEW_VERSION: (
            f"the seller made version {newest}",
            message("problem.approval.change.new_version", version=newest),
        ),
        Change.ALREADY_DECIDED: (
            f"{earlier.decided_by} {earlier.decision} it on {earlier.decided_at:%Y-%m-%d %H:%M} UTC" if earlier else "",
            message(
                "problem.approval.change.already_decided",
                decision=label("ApprovalDecisionKind", earlier.decision) if earlier else "",
                by=earlier.decided_by if earlier else "",
            ),
        ),
        Change.NOT_WAITING: (
            f"it is now {quote.status}",
            message("problem.approval.change.not_waiting", status=label("QuoteStatus", quote.status)),
        ),
    }
    extra = {"changes": [c.value for c in changes], "quote_status": quote.status, "newest_version": newest}
    if earlier is not None:
        extra |= {"decision": earlier.decision, "decided_by": earlier.decided_by}
    if offline:
        return Conflict(
            f"quote {quote.number} v{quote.version} changed since you decided: "
            + "; ".join(said[c][0] for c in changes)
            + ". Your decision was not applied.",
            key="problem.approval.changed_since_decided",
            params={"number": quote.number, "version": quote.version, "changes": [said[c][1] for c in changes]},
            **extra,
        )
    if Change.ALREADY_DECIDED in changes and earlier is not None:
        return Conflict(
            f"this request was already {earlier.decision} by {earlier.decided_by} "
            f"on {earlier.decided_at:%Y-%m-%d %H:%M} UTC",
            key="problem.approval.already_decided",
            params={"decision": label("ApprovalDecisionKind", earlier.decision), "by": earlier.decided_by},
            **extra,
        )
    if Change.NOT_WAITING in changes:
        return Conflict(
            f"quote {quote.number} v{quote.version} is {quote.status}, no longer waiting for approval",
            key="problem.approval.not_waiting",
            params={"number": quote.number, "version": quote.version, "status": label("QuoteStatus", quote.status)},
            **extra,
        )
    return Conflict(
        f"quote {quote.number} v{quote.version} was replaced by version {newest}: decide the new version's request",
        key="problem.approval.superseded",
        params={"number": quote.number, "version": quote.version, "newest": newest},
        **extra,
    )


__all__ = ["ApprovalFilter", "ApprovalItem", "DecidedOn", "QuoteSummary", "decide", "list_approvals"]
