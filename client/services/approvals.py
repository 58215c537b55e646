"""A manager's approvals inbox, read from the device (the team's quotes and requests arrive
with her pulls), and her decisions, recorded offline as `decide_approval` mutations.

A request waits for her when its quote version is the newest of its number, still pending
approval, with no decision from the server, and not her own quote (another manager or an
administrator decides those: `shared.rules.approval_decisions`). A decision she made here
stays "waiting to sync" until the server answers; one the server refused because the
request changed meanwhile comes back as a sync issue, listed here as "changed since you
decided" with what changed.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, NoReturn

from sqlite_utils import Database

from client.services.customer360 import TimelineEntry, created_at, customer_360
from client.services.escalations import EscalationMark, TeamTree
from client.services.ids import new_record_id
from client.services.people import names_in
from client.services.portfolio import CustomerDetail
from client.services.quote_facts import load_pricing_facts
from client.services.session import Session
from client.store import FIELD_TABLES, list_issues, record, record_from_row
from shared.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from shared.models import ApprovalDecisionKind, QuoteStatus
from shared.models.field import ApprovalDecision, ApprovalRequest, Quote
from shared.protocol import MutationName
from shared.rules.approval_decisions import (
    RequestNow,
    Verdict,
    bulk_groups,
    changes_since,
    may_decide_together,
    needs_note,
    rule_set,
    who_may_decide,
)
from shared.rules.floors import resolve_floor
from shared.rules.quote_math import LineInput, price_line

_QUOTES = FIELD_TABLES[Quote.ENTITY]
HISTORY_EVENTS = 5
"""How much of the customer's recent history a request shows."""


@dataclass(frozen=True, slots=True)
class LineCheck:
    """A quote line as a manager weighs it: discount given, margin left, the floor."""

    line_no: int
    sku: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal
    """Line and header discounts combined."""
    net: Decimal
    margin_percent: Decimal | None
    min_margin_percent: Decimal | None
    """The lowest margin the floors allow for the product (None: no floor)."""

    @property
    def is_below_floor(self) -> bool:
        """Whether the margin is under the product's minimum."""
        return None not in (self.margin_percent, self.min_margin_percent) and (
            self.margin_percent < self.min_margin_percent  # type: ignore[operator]
        )


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """One request waiting for the manager, with what she reads before deciding."""

    request_id: str
    quote: Quote
    customer_name: str
    seller_name: str
    requested_at: datetime | None
    """When it reached the server (or, before that is known, when the seller asked)."""
    note: str
    rules: tuple[str, ...]
    """The rules the quote fired, in the policy's order (what bulk decisions group by)."""
    reasons: tuple[str, ...]
    """The server's sentences for them (English: lines and figures)."""
    lines: tuple[LineCheck, ...]
    decided_here: ApprovalDecision | None = None
    """Her decision made on this device and not yet accepted by the server."""
    server_requested_at: datetime | None = None
    """When the server took it (its clock: what escalation counts from), None until known."""
    escalation: EscalationMark | None = None
    """Waiting past the policy's limit: escalated to the next manager up."""
    reason_messages: tuple[dict[str, Any], ...] = ()
    """The same as messages (key and values), to be said in the reader's language; empty for
    a request the server took before it kept them."""
    on_behalf_of: tuple[str, ...] = ()
    """Names of the managers she holds this request for by delegation (empty: her own)."""


@dataclass(frozen=True, slots=True)
class RefusedDecision:
    """A decision the server refused: the request changed since she decided."""

    issue_id: int
    number: str
    version: int
    detail: str
    code: str | None
    key: str | None
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Inbox:
    """The approvals screen."""

    waiting: tuple[PendingRequest, ...]
    """Requests to decide: those escalated to her first, then oldest first."""
    decided_here: tuple[PendingRequest, ...]
    """Decided on this device, waiting to sync."""
    refused: tuple[RefusedDecision, ...]
    bulk: dict[tuple[str, ...], list[str]]
    """Rules → request ids of waiting requests that may be decided together (two or more)."""


@dataclass(frozen=True, slots=True)
class WaitingSummary:
    """What a manager's Today says about her approvals."""

    count: int
    oldest_age: timedelta | None
    refused: int


@dataclass(frozen=True, slots=True)
class RequestContext:
    """The customer behind a request: credit position and recent history."""

    detail: CustomerDetail
    history: tuple[TimelineEntry, ...]


def approval_inbox(session: Session, now: datetime | None = None) -> Inbox:
    """The requests waiting for the signed-in manager, as this device last synced them."""
    now = now or datetime.now(UTC)
    with session.store.read() as db:
        tree = TeamTree.load(db)
        requests = [
            _escalated(_pending(db, row, now.date()), tree, now, session) for row in _open_requests(db, session.login)
        ]
        refused = _refused(db)
    # Escalated to her first: those waited longest for somebody below her.
    waiting = tuple(
        sorted(
            (r for r in requests if r.decided_here is None),
            key=lambda r: not (r.escalation is not None and r.escalation.is_to_me),
        )
    )
    return Inbox(
        waiting=waiting,
        decided_here=tuple(r for r in requests if r.decided_here is not None),
        refused=refused,
        bulk=bulk_groups({r.request_id: r.rules for r in waiting}),
    )


def _escalated(request: PendingRequest, tree: TeamTree, now: datetime, session: Session) -> PendingRequest:
    """The request marked with where it escalated and for whom she holds it."""
    seller = request.quote.seller_login
    mark = tree.mark(seller, request.server_requested_at, now, session.login)
    held = tree.held_for(seller, session.team_code) if session.role == "manager" else ()
    return replace(request, escalation=mark, on_behalf_of=held)


def waiting_summary(session: Session, now: datetime | None = None) -> WaitingSummary:
    """How many requests wait for the manager, how long the oldest has, and refused decisions."""
    now = now or datetime.now(UTC)
    with session.store.read() as db:
        rows = [r for r in _open_requests(db, session.login) if r["local_decision"] is None]
        refused = len(_refused(db))
    starts = [s for s in (_requested_at(r) for r in rows) if s is not None]
    return WaitingSummary(len(rows), now - min(starts) if starts else None, refused)


def request_context(session: Session, customer_code: str, as_of: date | None = None) -> RequestContext:
    """The customer's credit position and latest events (Customer 360's, from the device)."""
    picture = customer_360(session, customer_code, as_of=as_of)
    return RequestContext(picture.detail, picture.timeline[:HISTORY_EVENTS])


def decide_request(
    session: Session, request_id: str, decision: ApprovalDecisionKind, note: str, now: datetime | None = None
) -> ApprovalDecision:
    """Approve or reject one request here; it reaches the server at the next sync."""
    return decide_requests(session, [request_id], decision, note, now)[0]


def decide_requests(
    session: Session,
    request_ids: Sequence[str],
    decision: ApprovalDecisionKind,
    note: str,
    now: datetime | None = None,
) -> list[ApprovalDecision]:
    """Decide several requests alike, all or none: only requests that fired the same rules."""
    if not request_ids:
        raise ValidationFailed("choose the requests to decide")
    if needs_note(decision, note):
        raise ValidationFailed(
            "a rejection needs a note for the seller", key="problem.approval.note_required", field="note"
        )
    now = now or datetime.now(UTC)
    decided = []
    with session.store.write() as db:
        found = {r["request_id"]: r for r in _open_requests(db, session.login, include_own=True)}
        pending = [_pending(db, found[i], now.date()) if i in found else _no_longer_waiting(db, i) for i in request_ids]
        if len(pending) > 1 and not may_decide_together(r.rules for r in pending):
            raise ValidationFailed(
                "requests are decided together only when they fired the same rules",
                key="problem.approval.bulk_different_rules",
            )
        for request in pending:
            _check_decidable(session, request)
            made = ApprovalDecision(
                id=new_record_id(),
                request_id=uuid.UUID(request.request_id),
                decided_by=session.login,
                decision=decision,
                comment=note.strip(),
                decided_at=now,
            )
            args = {
                "decision": made.to_data(),
                "quote_id": str(request.quote.id),
                "quote_version": request.quote.version,
            }
            record(session.store, MutationName.DECIDE_APPROVAL, args)  # a savepoint of this transaction
            decided.append(made)
    session.notify_local_write()
    return decided


def _check_decidable(session: Session, request: PendingRequest) -> None:
    verdict = who_may_decide(session.role, session.login, request.quote.seller_login, seller_in_team=True)
    if verdict == Verdict.OWN_QUOTE:
        raise PermissionDenied(
            f"quote {request.quote.number} is your own: another manager or an administrator decides it",
            key="problem.approval.own_quote",
            params={"number": request.quote.number},
        )
    if verdict != Verdict.MAY_DECIDE:
        raise PermissionDenied(
            "only a manager or an administrator decides approvals", key="problem.approval.managers_only"
        )
    if request.decided_here is not None:
        raise Conflict(
            f"you already decided quote {request.quote.number}; it is sent at the next sync",
            key="problem.approval.decided_here",
            params={"number": request.quote.number},
        )


def _no_longer_waiting(db: Database, request_id: str) -> NoReturn:
    """Refuse a decision on a request that no longer waits, saying what changed, as the server would."""
    rows = list(db.query("SELECT * FROM approval_requests WHERE id = ?", [request_id]))
    if not rows:
        raise NotFound(f"no approval request {request_id} on this device", key="problem.approval.unknown")
    request = record_from_row(ApprovalRequest, rows[0])
    quote = record_from_row(
        Quote, next(iter(db.query(f'SELECT * FROM "{_QUOTES}" WHERE id = ?', [str(request.quote_id)])))
    )
    newest = db.execute(f'SELECT MAX(version) FROM "{_QUOTES}" WHERE number = ?', [quote.number]).fetchone()[0]
    decision = db.execute(
        "SELECT decision FROM approval_decisions WHERE request_id = ? AND _version > 0", [request_id]
    ).fetchone()
    changes = changes_since(RequestNow(quote.version, newest, quote.status, decision[0] if decision else None))
    raise Conflict(
        f"quote {quote.number} v{quote.version} no longer waits for a decision ({', '.join(changes)})",
        key="problem.approval.no_longer_waiting",
        params={"number": quote.number, "version": quote.version},
    )


def _open_requests(db: Database, login: str, *, include_own: bool = False) -> list[dict[str, Any]]:
    """Requests on the newest version of a quote still pending approval and undecided by the
    server, oldest first; with the id of a decision made here, if any."""
    own = "" if include_own else "AND q.seller_login != :login"
    return list(
        db.query(
            "SELECT r.id AS request_id, r.quote_id, r.requested_at, "
            "(SELECT d.id FROM approval_decisions d WHERE d.request_id = r.id AND d._version = 0) AS local_decision "
            f'FROM approval_requests r JOIN "{_QUOTES}" q ON q.id = r.quote_id '
            "WHERE q.status = :pending "
            f'AND q.version = (SELECT MAX(version) FROM "{_QUOTES}" WHERE number = q.number) '
            "AND NOT EXISTS (SELECT 1 FROM approval_decisions d WHERE d.request_id = r.id AND d._version > 0) "
            f"{own} ORDER BY coalesce(r.requested_at, ''), r.id",
            {"pending": QuoteStatus.PENDING_APPROVAL.value, "login": login},
        )
    )


def _requested_at(row: dict[str, Any]) -> datetime | None:
    if row.get("requested_at"):
        return datetime.fromisoformat(row["requested_at"])
    return created_at(row["request_id"])


def _pending(db: Database, row: dict[str, Any], today: date) -> PendingRequest:
    request = record_from_row(
        ApprovalRequest, next(iter(db.query("SELECT * FROM approval_requests WHERE id = ?", [row["request_id"]])))
    )
    quote = record_from_row(Quote, next(iter(db.query(f'SELECT * FROM "{_QUOTES}" WHERE id = ?', [row["quote_id"]]))))
    customer = db.execute("SELECT legal_name FROM customers WHERE code = ?", [quote.customer_code]).fetchone()
    seller = names_in(db, [quote.seller_login]).get(quote.seller_login, quote.seller_login)
    local = None
    if row["local_decision"]:
        local = record_from_row(
            ApprovalDecision,
            next(iter(db.query("SELECT * FROM approval_decisions WHERE id = ?", [row["local_decision"]]))),
        )
    return PendingRequest(
        request_id=str(request.id),
        quote=quote,
        customer_name=customer[0] if customer else quote.customer_code,
        seller_name=seller,
        requested_at=request.requested_at or created_at(request.id),
        server_requested_at=request.requested_at,
        note=request.note,
        rules=rule_set(quote.fired_rules),
        reasons=tuple(request.reasons),
        reason_messages=tuple(request.reason_messages),
        lines=_line_checks(db, quote, today),
        decided_here=local,
    )


def _line_checks(db: Database, quote: Quote, today: date) -> tuple[LineCheck, ...]:
    try:
        facts = load_pricing_facts(db, quote.customer_code, [line.sku for line in quote.lines], today)
    except NotFound:  # the customer left the team's portfolios: figures without floors
        facts = None
    checks = []
    for line in quote.lines:
        result = price_line(
            LineInput(
                line_no=line.line_no,
                sku=line.sku,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                tax_rate_percent=line.tax_rate_percent,
                unit_cost=line.unit_cost,
            ),
            quote.currency,
            quote.header_discount_percent,
        )
        product = facts.products.get(line.sku) if facts else None
        floor = resolve_floor(product, facts.floors, facts.categories) if facts and product else None
        checks.append(
            LineCheck(
                line_no=line.line_no,
                sku=line.sku,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=result.combined_discount_percent,
                net=result.net,
                margin_percent=result.margin_percent,
                min_margin_percent=floor.min_margin_percent if floor else None,
            )
        )
    return tuple(checks)


def _refused(db: Database) -> tuple[RefusedDecision, ...]:
    refused = []
    for issue in list_issues(db):
        if issue.kind != "rejected" or issue.name != MutationName.DECIDE_APPROVAL:
            continue
        quote_id = (issue.args or {}).get("quote_id")
        row = db.execute(f'SELECT number, version FROM "{_QUOTES}" WHERE id = ?', [quote_id]).fetchone()
        number, version = row if row else ("?", int((issue.args or {}).get("quote_version") or 0))
        refused.append(RefusedDecision(issue.id, number, version, issue.detail, issue.code, issue.key, issue.params))
    return tuple(refused)


__all__ = [
    "Inbox",
    "LineCheck",
    "PendingRequest",
    "RefusedDecision",
    "RequestContext",
    "WaitingSummary",
    "approval_inbox",
    "decide_request",
    "decide_requests",
    "request_context",
    "waiting_summary",
]
