"""Quotes (DESIGN §3, §4 conflict table, §5): immutable versions moved by the status machine.

Four mutations, all by the quote's seller, in the seller's activity bucket:

- `save_quote {quote}` stores a draft version. A new id is a new version (number + version
  unique; version n+1 needs version n, which must be revisable: not a draft, not accepted).
  An id the server already has is an in-place edit, allowed only while the server's copy is
  a draft: a quote a manager approved or rejected while the seller was offline keeps the
  decision and the edit is refused (`invalid_transition`); the device makes version n+1.
  The server recomputes the totals from the lines (a difference is refused) and stores the
  approval rules *it* sees firing; when they differ from the device's the result reports
  `fired_rules` as a conflict. The visit and opportunity it came from, when named, are the
  seller's own and of the same customer (`shared.rules.quote_links`).
- `request_approval {request}` moves a draft to pending_approval; the request's reasons are
  the server's fired rules (the device's reasons when nothing fires: asking is allowed).
- `send_quote {quote_id, delivery}` re-checks every rule with today's credit and sends only
  what is approved (`approval_required` otherwise, also for a forged push), needs the PDF
  uploaded (`attachment_missing`), and queues the e-mail (EmailDelivery + outbox row).
- `mark_quote {quote_id, status, ...}` records accepted (with the customer's PO number and
  wanted delivery day, which makes the Order), lost (with a reason, a note, the competitor
  and its price, in total and per line of the quote), withdrawn or expired; only on the number's latest version.
"""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from shared.errors import (
    ApprovalRequired,
    AttachmentMissing,
    Conflict,
    InvalidTransition,
    OutOfScope,
    PermissionDenied,
    ValidationFailed,
)
from shared.invalid_input import problem_lines
from shared.messages import label, labels, message
from shared.models import LostReason, QuoteStatus
from shared.models.field import ApprovalRequest, EmailDelivery, Opportunity, Order, Quote, Visit
from shared.protocol import MutationName, activity_bucket
from shared.rules import fired_codes, parse_quote_number, transition
from shared.rules.price_overrides import price_overrides
from shared.rules.quote_lifecycle import OUTCOME_STATUSES, next_version
from shared.rules.quote_links import check_quote_links
from shared.rules.quote_outcomes import LinePrice, check_acceptance, check_latest, check_loss
from sync_server.repository.database import Connection
from sync_server.repository.identity import device_quote_prefix
from sync_server.repository.quote_reads import newest_version, quote_versions
from sync_server.repository.records import put_record
from sync_server.services.attachments import find_attachment
from sync_server.services.audit import AuditKind, audit
from sync_server.services.auth import Principal
from sync_server.services.authorization import customer_access
from sync_server.services.email_outbox import queue_email
from sync_server.services.email_rules import check_quote_email
from sync_server.services.mutations.base import Applied, current_data, parse, require_customer_scope
from sync_server.services.mutations.prospects import require_prospect_terms
from sync_server.services.mutations.quote_audit import audit_price_overrides
from sync_server.services.mutations.quote_review import check_totals, full_review, load_quote, review_quote
from sync_server.services.scope import buckets_for

S = QuoteStatus
ORDER_ID_NAMESPACE = UUID("6f1f3c1e-4a8e-4b7a-9a53-0d1c2b7e5a10")
"""An accepted quote's order id, when the device gives none, is uuid5(this, quote id): the same on every retry."""
MARKABLE = OUTCOME_STATUSES
_LOST_FIELDS = ("lost_reason", "lost_note", "competitor", "competitor_price", "competitor_lines")
_ACCEPT_FIELDS = ("customer_po", "requested_delivery")


def today() -> date:
    """The server's date (UTC): validity is judged on it, never on the device clock."""
    return datetime.now(UTC).date()


def save_quote(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Store a draft version: a new version, or an in-place edit of the server's draft."""
    quote = parse(Quote, args, "quote")
    if quote.seller_login != principal.login:
        raise PermissionDenied(
            f"a quote is saved by its seller, not by {principal.login}", key="problem.quote.saved_by_seller"
        )
    if quote.status != S.DRAFT:
        raise InvalidTransition(
            f"save_quote stores drafts; a quote becomes {quote.status} through request_approval, send_quote "
            "or mark_quote",
            from_status=S.DRAFT.value,
            to_status=quote.status,
        )
    number = parse_quote_number(quote.number)
    require_customer_scope(conn, principal, quote.customer_code, customer_access(MutationName.SAVE_QUOTE))
    require_prospect_terms(conn, quote)
    existing = load_quote(conn, quote.id, lock=True)
    if existing is None:
        _check_new_version(conn, principal, quote, number.prefix)
    else:
        _check_in_place_edit(existing, quote)
    _check_links(conn, quote)
    check_totals(quote)
    review = full_review(conn, quote, today())
    codes = fired_codes(review.fired_rules)
    put_record(conn, quote.model_copy(update={"fired_rules": codes}), activity_bucket(quote.seller_login))
    audit_price_overrides(conn, principal, quote, existing, price_overrides(review.lines))
    if codes != tuple(quote.fired_rules):
        return Applied(
            conflicts=["fired_rules"],
            detail="the server's rules fired "
            + (", ".join(codes) or "nothing")
            + " (the device said "
            + (", ".join(quote.fired_rules) or "nothing")
            + ")",
        )
    return Applied()


def _check_links(conn: Connection, quote: Quote) -> None:
    visit = opportunity = None
    if quote.visit_id is not None:
        found = current_data(conn, Visit.ENTITY, str(quote.visit_id))
        visit = Visit.model_validate(found[1]) if found else None
    if quote.opportunity_id is not None:
        found = current_data(conn, Opportunity.ENTITY, str(quote.opportunity_id))
        opportunity = Opportunity.model_validate(found[1]) if found else None
    check_quote_links(
        quote.customer_code,
        quote.seller_login,
        visit_id=quote.visit_id,
        visit=visit,
        opportunity_id=quote.opportunity_id,
        opportunity=opportunity,
    )


def _check_new_version(conn: Connection, principal: Principal, quote: Quote, prefix: str) -> None:
    versions = quote_versions(conn, quote.number)
    own_prefix = device_quote_prefix(conn, principal.client_id)
    if not versions and prefix != own_prefix:
        # A new number is this device's to issue: another device's prefix would take its numbers.
        raise PermissionDenied(
            f"quote number {quote.number} does not carry this device's prefix {own_prefix}",
            key="problem.quote.other_prefix",
            params={"number": quote.number, "prefix": own_prefix or "-"},
        )
    for other in versions:
        if other.seller_login != quote.seller_login or other.customer_code != quote.customer_code:
            raise Conflict(
                f"quote number {quote.number} belongs to another seller or customer",
                key="problem.quote.number_taken",
                params={"number": quote.number},
            )
        if other.version == quote.version:
            raise Conflict(
                f"quote {quote.number} already has a version {quote.version} (id {other.id}); "
                "a change is a new version with a new id",
                key="problem.quote.version_exists",
                params={"number": quote.number, "version": quote.version},
            )
    if quote.version > 1:
        previous = next((v for v in versions if v.version == quote.version - 1), None)
        if previous is None:
            raise ValidationFailed(
                f"quote {quote.number} v{quote.version} needs version {quote.version - 1} first",
                key="problem.quote.previous_version_missing",
                params={"number": quote.number, "version": quote.version, "previous": quote.version - 1},
            )
        next_version(previous.status, previous.version)  # a draft is edited in place; an accepted one is final


def _check_in_place_edit(existing: Quote, quote: Quote) -> None:
    if (existing.number, existing.version) != (quote.number, quote.version):
        raise ValidationFailed(
            f"quote {quote.id} is {existing.number} v{existing.version}; its number and version never change",
            key="problem.quote.number_fixed",
            params={"number": existing.number, "version": existing.version},
        )
    if existing.customer_code != quote.customer_code or existing.seller_login != quote.seller_login:
        raise OutOfScope(
            f"quote {quote.id} belongs to another customer or seller",
            key="problem.quote.other_owner",
            params={"number": quote.number},
        )
    if existing.status == S.DRAFT:
        return
    head = f"Quote {existing.number} v{existing.version}"
    params = {
        "number": existing.number,
        "version": existing.version,
        "next": existing.version + 1,
        "status": label("QuoteStatus", existing.status),
    }
    if existing.status in (S.APPROVED, S.REJECTED):
        detail = (
            f"{head} was {existing.status} by a manager while this edit was offline: the decision stands "
            f"and the edit was not applied. Edit it again to make version {existing.version + 1}."
        )
        key = "problem.quote.decided_while_offline"
    else:
        detail = (
            f"{head} is {existing.status.replace('_', ' ')} and is never edited in place; edit it to make "
            f"version {existing.version + 1}."
        )
        key = "problem.quote.not_a_draft"
    raise InvalidTransition(
        detail,
        from_status=existing.status,
        to_status=S.DRAFT.value,
        server_status=existing.status,
        key=key,
        params=params,
    )


def request_approval(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Ask a manager to approve a draft: status pending_approval, reasons as the server sees them."""
    request = parse(ApprovalRequest, args, "request")
    if request.requested_by != principal.login:
        raise PermissionDenied(
            f"an approval is requested by the quote's seller, not by {request.requested_by}",
            key="problem.approval.requested_by_seller",
        )
    quote = _own_quote(conn, principal, request.quote_id, MutationName.REQUEST_APPROVAL)
    if current_data(conn, ApprovalRequest.ENTITY, request.record_id()) is not None:
        raise Conflict(f"approval request {request.id} was already made", key="problem.approval.already_requested")
    fired = review_quote(conn, quote, today())
    status = transition(quote.status, S.PENDING_APPROVAL, fired_rules=fired_codes(fired))
    bucket = activity_bucket(quote.seller_login)
    put_record(conn, quote.model_copy(update={"status": status.value, "fired_rules": fired_codes(fired)}), bucket)
    reasons = tuple(_short(rule.reason) for rule in fired) or request.reasons
    # Each reason also as its message, for the manager's language; none sent by the device is
    # kept (only the server's own rules are said), and none when a rule has no key.
    said = tuple(message(rule.key, **rule.params) for rule in fired if rule.key)
    # Time to decision starts when the request reaches the server, by its clock.
    kept = {
        "reasons": reasons,
        "reason_messages": said if len(said) == len(fired) else (),
        "requested_at": datetime.now(UTC),
    }
    # Validated again, as a device will read it: the server never writes a request it could not read back.
    put_record(conn, ApprovalRequest.model_validate({**request.model_dump(), **kept}), bucket)
    return Applied()


def send_quote(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Send an approved (or rule-free) quote: status sent, e-mail queued, credit checked again."""
    quote_id = _uuid_arg(args, "quote_id")
    delivery = parse(EmailDelivery, args, "delivery")
    if delivery.quote_id != quote_id:
        raise ValidationFailed(f"the delivery is for quote {delivery.quote_id}, not {quote_id}")
    quote = _own_quote(conn, principal, quote_id, MutationName.SEND_QUOTE)
    check_latest(quote.number, quote.version, newest_version(conn, quote.number), S.SENT.value)
    if current_data(conn, EmailDelivery.ENTITY, delivery.record_id()) is not None:
        raise Conflict(f"e-mail delivery {delivery.id} was already queued", key="problem.email.already_queued")
    if quote.status == S.PENDING_APPROVAL:
        raise ApprovalRequired(
            f"Quote {quote.number} v{quote.version} is waiting for a manager's decision; it can be sent once approved",
            fired_rules=list(quote.fired_rules),
            key="problem.quote.waiting_for_approval",
            params={"number": quote.number, "version": quote.version},
        )
    if not quote.lines:
        raise ValidationFailed(
            f"quote {quote.number} v{quote.version} has no lines to send",
            key="problem.quote.nothing_to_send",
            params={"number": quote.number, "version": quote.version},
        )
    day = today()
    now_firing = fired_codes(review_quote(conn, quote, day))
    approved = quote.fired_rules if quote.status == S.APPROVED else ()
    status = transition(
        quote.status, S.SENT, fired_rules=now_firing, approved_rules=approved, valid_until=quote.valid_until, today=day
    )
    _require_attachment(conn, principal, delivery.pdf_sha256)
    check_quote_email(conn, principal.login, quote, delivery, datetime.now(UTC))
    bucket = activity_bucket(quote.seller_login)
    # An approved quote keeps the rules its manager approved; a draft goes out with none firing.
    fired = quote.fired_rules if quote.status == S.APPROVED else now_firing
    put_record(conn, quote.model_copy(update={"status": status.value, "fired_rules": fired}), bucket)
    queued = delivery.model_copy(update={"status": "queued", "failure_reason": ""})
    put_record(conn, queued, bucket)
    queue_email(conn, queued, datetime.now(UTC))
    audit(
        conn,
        AuditKind.EMAIL_QUEUED,
        login=principal.login,
        client_id=principal.client_id,
        subject=quote.customer_code,  # what the per-customer rate counts
        detail=f"quote {quote.number} v{quote.version} to " + ", ".join(queued.recipients),
    )
    return Applied()


def _require_attachment(conn: Connection, principal: Principal, sha256: str) -> None:
    row = find_attachment(conn, sha256)
    if row is None or not row.is_complete:
        state = "is not uploaded" if row is None else "is only partly uploaded"
        raise AttachmentMissing(
            f"the quote PDF {sha256[:12]}… {state}; upload it before sending",
            sha256=sha256,
            key="problem.quote.pdf_missing",
        )
    if row.uploaded_by != principal.login and row.bucket not in buckets_for(conn, principal):
        raise OutOfScope(f"the attachment {sha256[:12]}… is not yours to send", key="problem.attachment.not_yours")
    if row.content_type != "application/pdf":
        raise ValidationFailed(
            f"the attachment {sha256[:12]}… is a {row.content_type}, not the quote's PDF",
            key="problem.quote.pdf_not_pdf",
        )


def mark_quote(conn: Connection, principal: Principal, args: dict[str, Any]) -> Applied:
    """Record the customer's answer: accepted (making the order), lost with a reason, withdrawn
    or expired."""
    quote_id = _uuid_arg(args, "quote_id")
    try:
        target = S(str(args.get("status")))
    except ValueError:
        target = None
    if target not in MARKABLE:
        raise ValidationFailed(
            f"mark_quote takes status {', '.join(s.value for s in MARKABLE)}; got {args.get('status')!r}"
        )
    answer = {k: args[k] for k in (*_LOST_FIELDS, *_ACCEPT_FIELDS) if args.get(k) not in (None, "")}
    if target == S.LOST and "lost_reason" not in answer:
        raise ValidationFailed(
            "a lost quote needs a lost_reason: " + ", ".join(r.value for r in LostReason),
            key="problem.quote.lost_reason",
            params={"reasons": labels("LostReason", LostReason)},
        )
    belong = _LOST_FIELDS if target == S.LOST else _ACCEPT_FIELDS if target == S.ACCEPTED else ()
    misplaced = [k for k in answer if k not in belong]
    if misplaced:
        raise ValidationFailed(f"{', '.join(misplaced)} do not go with status {target.value}")
    quote = _own_quote(conn, principal, quote_id, MutationName.MARK_QUOTE)
    check_latest(quote.number, quote.version, newest_version(conn, quote.number), target)
    status = transition(quote.status, target, valid_until=quote.valid_until, today=today())
    line_prices = _line_prices(answer.pop("competitor_lines", []))
    try:
        marked = Quote.model_validate({**quote.to_data(), **answer, "status": status.value})
        if status == S.LOST:
            loss = check_loss(
                marked.lost_reason or "",
                marked.lost_note,
                marked.competitor,
                marked.competitor_price,
                line_prices=line_prices,
                lines=marked.lines,
            )
            marked = marked.model_copy(update={"competitor_lines": loss.line_prices})
        if status == S.ACCEPTED:
            # Judged against the issue date, not today: an answer recorded offline is not
            # refused for the days it waited to sync (the device checked it against its day).
            check_acceptance(marked.customer_po, marked.requested_delivery, quote.issue_date)
    except ValidationError as exc:
        problems = "; ".join(problem_lines(exc.errors()))
        raise ValidationFailed(
            f"invalid mark_quote: {problems}",
            key="problem.sync.invalid_record",
            params={"record": "mark_quote", "problems": problems},
        ) from None
    bucket = activity_bucket(quote.seller_login)
    put_record(conn, marked, bucket)
    if status == S.ACCEPTED:
        order_id = (
            _uuid_arg(args, "order_id") if args.get("order_id") else uuid.uuid5(ORDER_ID_NAMESPACE, str(quote.id))
        )
        put_record(conn, Order.for_quote(order_id, marked), bucket)
    return Applied()


def _line_prices(given: Any) -> list[LinePrice]:
    """The competitor's per-line prices as sent (`[{line_no, sku, unit_price}]`), read for
    `check_loss` (which says what is wrong with a value; this only refuses a bad shape)."""
    try:
        prices = [(int(e["line_no"]), str(e["sku"]), Decimal(str(e["unit_price"]))) for e in given]
        if all(price.is_finite() for _, _, price in prices):
            return prices
    except (TypeError, KeyError, ValueError, ArithmeticError):
        pass
    raise ValidationFailed(
        "competitor_lines is a list of {line_no, sku, unit_price}", key="problem.quote.competitor_lines_shape"
    )


def _own_quote(conn: Connection, principal: Principal, quote_id: UUID, mutation: str) -> Quote:
    """The stored quote, if the caller's and its customer still hers (as `mutation`'s row says)."""
    quote = load_quote(conn, quote_id, lock=True)
    if quote is None:
        raise ValidationFailed(
            f"quote {quote_id} is not on the server; push its save_quote first", key="problem.quote.not_on_server"
        )
    if quote.seller_login != principal.login:
        raise OutOfScope(
            f"quote {quote.number} belongs to {quote.seller_login}",
            key="problem.quote.not_yours",
            params={"number": quote.number, "seller": quote.seller_login},
        )
    require_customer_scope(conn, principal, quote.customer_code, customer_access(mutation))
    return quote


def _uuid_arg(args: dict[str, Any], key: str) -> UUID:
    try:
        return UUID(str(args[key]))
    except (KeyError, ValueError):
        raise ValidationFailed(f"the mutation needs {key!r} as a UUID") from None


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


__all__ = [
    "MARKABLE",
    "ORDER_ID_NAMESPACE",
    "AttachmentMissing",
    "mark_quote",
    "request_approval",
    "save_quote",
    "send_quote",
    "today",
]
