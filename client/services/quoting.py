"""Building quotes on the device, offline: start, price, edit lines and terms, version, save,
ask approval. The customer's answer is `quote_answers`; sending, `quote_sending`; reading,
`quote_reading`.

Every step writes the local rows and its outbox mutation in one transaction (`record`);
the server repeats the checks when the mutation arrives. What the device enforces itself:
- a quote is priced from the local catalogue, stock, credit and the server's policies;
- numbers are `<prefix>-<year>-<counter>`, the prefix (initials and device number) given to
  this device by the server at sign-in and unique across devices: no round trip per quote;
- a draft is edited in place; any other status is revised into version n+1 (the old one
  stays as it was);
- a quote that fires approval rules is not sent before a manager approves it: "send" on a
  quote waiting for approval is *held* on the device with its PDF and released by the first
  sync that brings the approval (`release_approved_sends`);
- credit is checked again right before sending, with today's synced credit.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from pydantic import ValidationError
from sqlite_utils import Database

from client.services.company import company_country, delivery_days
from client.services.ids import new_record_id
from client.services.lost_sales import record_lost_sale
from client.services.quote_cache import quote_facts
from client.services.quote_facts import load_credit, load_customer, load_policies
from client.services.quote_links import check_links
from client.services.quote_pricing import DraftLine, PricedQuote, QuoteDraft, price_draft
from client.services.quote_reading import find_quote, latest_version, load_quote, own_quote
from client.services.session import Session
from client.store import FIELD_TABLES, record
from shared.errors import InvalidTransition, PermissionDenied, ValidationFailed
from shared.invalid_input import problem_lines
from shared.messages import label, message
from shared.models import QuoteStatus
from shared.models.field import ApprovalRequest, Quote
from shared.protocol import MutationName
from shared.rules import fired_codes, next_quote_number, transition
from shared.rules.quote_lifecycle import can_edit_in_place, next_version, quote_prefix

S = QuoteStatus
DEFAULT_VALIDITY_DAYS = 30
_QUOTES = FIELD_TABLES[Quote.ENTITY]


def today() -> date:
    """The date quotes are issued on (UTC; only for the document, never to order events)."""
    return datetime.now(UTC).date()


# --- building --------------------------------------------------------------------------


def start_quote(
    session: Session,
    customer_code: str,
    *,
    currency: str | None = None,
    validity_days: int = DEFAULT_VALIDITY_DAYS,
    visit_id: UUID | None = None,
    opportunity_id: UUID | None = None,
) -> PricedQuote:
    """A new, empty quote for a customer, with the customer's credit readiness already shown;
    started on a visit or for an opportunity when their ids are given (`quote_links`)."""
    if validity_days < 1:
        raise ValidationFailed(
            f"a quote must be valid for at least one day, got {validity_days}", key="problem.quote.validity_too_short"
        )
    issue = today()
    with session.store.read() as db:
        customer = load_customer(db, customer_code)
        credit = load_credit(db, customer_code)
        approval, _credit_policy = load_policies(db)
        number = _next_number(db, session, issue.year)
        check_links(db, customer_code, session.login, visit_id, opportunity_id)
    if session.role.value == "seller" and customer.seller_login != session.login:
        raise PermissionDenied(
            f"customer {customer_code} is in {customer.seller_login}'s portfolio",
            key="problem.customer.other_seller",
            params={"customer": customer_code, "seller": customer.seller_login},
        )
    draft = QuoteDraft(
        id=new_record_id(),
        number=number,
        version=1,
        customer_code=customer.code,
        seller_login=session.login,
        currency=currency or customer.currency,
        issue_date=issue,
        valid_until=issue + timedelta(days=validity_days),
        # A customer the ERP flags for prepayment is quoted on prepaid terms, whatever her
        # master data says (quoting her on credit needs an approval).
        payment_terms=approval.prepaid_terms if credit and credit.prepayment_required else customer.payment_terms,
        visit_id=visit_id,
        opportunity_id=opportunity_id,
    )
    return price(session, draft)


def price(session: Session, draft: QuoteDraft) -> PricedQuote:
    """Price and check a draft with what the device knows now (the builder calls it on every edit)."""
    facts, stock, exposure = quote_facts(session.store, draft, session.home_warehouse or "", today())
    return price_draft(
        draft,
        facts,
        stock,
        home_warehouse=session.home_warehouse or "",
        company_country=company_country(session),
        open_exposure=exposure,
        today=today(),
        delivery_days=delivery_days(session),
    )


def add_line(
    session: Session, priced: PricedQuote, sku: str, quantity: Decimal, discount_percent: Decimal = Decimal(0)
) -> PricedQuote:
    """The quote with a product added (priced from the lists)."""
    return price(session, priced.draft.with_line(DraftLine(sku, quantity, discount_percent)))


def change_line(
    session: Session,
    priced: PricedQuote,
    index: int,
    *,
    quantity: Decimal | None = None,
    discount_percent: Decimal | None = None,
    unit_price: Decimal | None = None,
) -> PricedQuote:
    """The quote with line `index` (0-based) changed."""
    line = priced.draft.lines[index] if 0 <= index < len(priced.draft.lines) else None
    if line is None:
        raise ValidationFailed(
            f"the quote has no line {index + 1}", key="problem.quote.no_line", params={"line": index + 1}
        )
    changed = DraftLine(
        line.sku,
        quantity if quantity is not None else line.quantity,
        discount_percent if discount_percent is not None else line.discount_percent,
        unit_price if unit_price is not None else line.unit_price,
        line.requested_delivery,
    )
    return price(session, priced.draft.with_line_at(index, changed))


def substitute_line(session: Session, priced: PricedQuote, index: int, substitute_sku: str) -> PricedQuote:
    """Replace a short line's product with one of its substitutes (same quantity and discount)."""
    line = priced.line_at(index)
    if substitute_sku not in {option.sku for option in line.promise.substitutes}:
        raise ValidationFailed(
            f"{substitute_sku} is not a substitute with stock for {line.sku}",
            key="problem.line.not_a_substitute",
            params={"substitute": substitute_sku, "sku": line.sku},
        )
    old = priced.draft.lines[index]
    swapped = DraftLine(substitute_sku, old.quantity, old.discount_percent, requested_delivery=old.requested_delivery)
    return price(session, priced.draft.with_line_at(index, swapped))


def remove_line(session: Session, priced: PricedQuote, index: int) -> PricedQuote:
    """The quote without line `index` (0-based)."""
    return price(session, priced.draft.without_line(index))


def drop_line_for_stock(session: Session, priced: PricedQuote, index: int) -> PricedQuote:
    """The customer drops a short line: record it as a lost sale due to stock, remove the line."""
    line = priced.line_at(index)
    if not line.promise.is_short:
        raise ValidationFailed(
            f"{line.sku} can be delivered as asked; remove the line instead",
            key="problem.line.not_short",
            params={"sku": line.sku},
        )
    record_lost_sale(session, priced.draft, line, line.result.quantity)
    return price(session, priced.draft.without_line(index))


def edit_quote(session: Session, quote_id: UUID | str) -> PricedQuote:
    """Open a quote for editing: a draft as it is; any other version as the next version's draft."""
    with session.store.read() as db:
        quote = load_quote(db, quote_id)
        latest = latest_version(db, quote.number)
    if quote.seller_login != session.login:
        raise PermissionDenied(
            f"quote {quote.number} is {quote.seller_login}'s",
            key="problem.quote.not_yours",
            params={"number": quote.number, "seller": quote.seller_login},
        )
    draft = edit_draft_of(quote)
    if not can_edit_in_place(quote.status):
        if quote.version != latest:
            raise InvalidTransition(
                f"quote {quote.number} v{quote.version} is not the latest version (v{latest})",
                key="problem.quote.not_latest",
                params={"number": quote.number, "version": quote.version, "latest": latest},
            )
        issue = today()
        draft = replace(
            draft,
            id=new_record_id(),
            version=next_version(quote.status, quote.version),
            issue_date=issue,
            valid_until=max(quote.valid_until, issue + timedelta(days=1)),
        )
    return price(session, draft)


# --- recording -------------------------------------------------------------------------


def save_quote(session: Session, priced: PricedQuote, *, taken_over_from: UUID | None = None) -> Quote:
    """Save the draft (a new version, or an edit of a draft): returns it as stored.
    `taken_over_from`: the colleague's draft this new quote copies (`draft_takeover`)."""
    if priced.problems:
        raise ValidationFailed(
            "the quote cannot be saved: " + "; ".join(map(str, priced.problems)),
            key="problem.quote.cannot_save",
            params={"problems": [message(p.key, **p.params) for p in priced.problems]},
        )
    if not priced.lines:
        raise ValidationFailed("add at least one product before saving the quote", key="problem.quote.no_lines")
    draft = priced.draft
    try:
        quote = Quote(
            id=draft.id,
            number=draft.number,
            version=draft.version,
            customer_code=draft.customer_code,
            seller_login=draft.seller_login,
            currency=draft.currency,
            issue_date=draft.issue_date,
            valid_until=draft.valid_until,
            payment_terms=draft.payment_terms,
            header_discount_percent=draft.header_discount_percent,
            customer_note=draft.customer_note,
            internal_note=draft.internal_note,
            conditions=draft.conditions,
            requested_delivery=draft.requested_delivery,
            visit_id=draft.visit_id,
            opportunity_id=draft.opportunity_id,
            lines=priced.quote_lines(session.language),
            net_total=priced.totals.net,
            tax_total=priced.totals.tax,
            gross_total=priced.totals.gross,
            fired_rules=fired_codes(priced.fired_rules),
        )
    except ValidationError as exc:
        problems = "; ".join(problem_lines(exc.errors()))
        raise ValidationFailed(f"the quote is not valid: {problems}") from None
    with session.store.write() as db:
        existing = find_quote(db, quote.id)
        if existing is not None and existing.status != S.DRAFT:
            raise InvalidTransition(
                f"quote {quote.number} v{quote.version} is {existing.status}; edit it to make "
                f"version {quote.version + 1}",
                from_status=existing.status,
                to_status="draft",
                key="problem.quote.not_a_draft",
                params={
                    "number": quote.number,
                    "version": quote.version,
                    "status": label("QuoteStatus", existing.status),
                    "next": quote.version + 1,
                },
            )
        if existing is None and _version_taken(db, quote):
            # Another draft took this number (or version) since this one was started.
            if quote.version > 1:
                raise InvalidTransition(
                    f"version {quote.version} of quote {quote.number} was already made on this "
                    "tablet; open the latest version to change it",
                    from_status="draft",
                    to_status="draft",
                    key="problem.quote.version_taken",
                    params={"number": quote.number, "version": quote.version},
                )
            quote = quote.model_copy(update={"number": _next_number(db, session, quote.issue_date.year)})
        if taken_over_from is None:
            record(session.store, MutationName.SAVE_QUOTE, {"quote": quote.to_data()})
        else:
            args = {"source_quote_id": str(taken_over_from), "quote": quote.to_data()}
            record(session.store, MutationName.TAKE_OVER_DRAFT, args)
    session.notify_local_write()
    return quote


def request_approval(session: Session, quote_id: UUID | str, note: str = "") -> ApprovalRequest:
    """Ask a manager to approve a saved draft that fires approval rules (decided after sync)."""
    with session.store.write() as db:
        quote = own_quote(db, session, quote_id)
        transition(quote.status, S.PENDING_APPROVAL, fired_rules=quote.fired_rules)
        request = ApprovalRequest(
            id=new_record_id(),
            quote_id=quote.id,
            requested_by=session.login,
            reasons=tuple(quote.fired_rules) or ("requested by the seller",),
            note=note,
        )
        record(
            session.store,
            MutationName.REQUEST_APPROVAL,
            {"request": request.to_data(), "from_status": str(quote.status)},
        )
    session.notify_local_write()
    return request


# --- helpers ---------------------------------------------------------------------------


def edit_draft_of(quote: Quote) -> QuoteDraft:
    """A saved quote as a draft with the same id (to price it again as it stands)."""
    return QuoteDraft(
        id=quote.id,
        number=quote.number,
        version=quote.version,
        customer_code=quote.customer_code,
        seller_login=quote.seller_login,
        currency=quote.currency,
        issue_date=quote.issue_date,
        valid_until=quote.valid_until,
        payment_terms=quote.payment_terms,
        header_discount_percent=quote.header_discount_percent,
        lines=tuple(
            DraftLine(
                line.sku,
                line.quantity,
                line.discount_percent,
                line.unit_price,
                line.requested_delivery,
            )
            for line in quote.lines
        ),
        customer_note=quote.customer_note,
        internal_note=quote.internal_note,
        conditions=quote.conditions,
        requested_delivery=quote.requested_delivery,
        visit_id=quote.visit_id,
        opportunity_id=quote.opportunity_id,
    )


def _next_number(db: Database, session: Session, year: int) -> str:
    prefix = session.quote_prefix or quote_prefix(session.name or session.login, session.device_number)
    pattern = f"{prefix}-{year:04d}-"
    last = db.execute(
        f'SELECT number FROM "{_QUOTES}" WHERE substr(number, 1, ?) = ? '
        f"ORDER BY CAST(substr(number, ?) AS INTEGER) DESC LIMIT 1",
        [len(pattern), pattern, len(pattern) + 1],
    ).fetchone()
    return next_quote_number(prefix, year, last[0] if last else None)


def _version_taken(db: Database, quote: Quote) -> bool:
    return (
        db.execute(
            f'SELECT 1 FROM "{_QUOTES}" WHERE number = ? AND version = ? AND id != ?',
            [quote.number, quote.version, str(quote.id)],
        ).fetchone()
        is not None
    )


__all__ = [
    "DEFAULT_VALIDITY_DAYS",
    "add_line",
    "change_line",
    "drop_line_for_stock",
    "edit_draft_of",
    "edit_quote",
    "price",
    "remove_line",
    "request_approval",
    "save_quote",
    "start_quote",
    "substitute_line",
    "today",
]
