"""Small builders of the records the metrics read (quotes, leads, visits, …), with defaults."""

from datetime import UTC, date, datetime
from decimal import Decimal as D
from itertools import count
from uuid import UUID

from shared.models import (
    ApprovalDecision,
    ApprovalRequest,
    Customer,
    Invoice,
    InvoiceLine,
    Lead,
    LostSale,
    Opportunity,
    Order,
    Quote,
    QuoteLine,
    Visit,
)
from shared.models.field import CompetitorLinePrice
from shared.money import round_unit_price

_ids = count(1)


def uid(n: int | None = None) -> UUID:
    """A readable UUID (the next one when `n` is None)."""
    return UUID(int=next(_ids) if n is None else n)


def at(day: str, hour: int = 9) -> datetime:
    """A UTC time on an ISO day."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def line(no: int, sku: str, qty: str, price: str, cost: str = "0", discount: str = "0") -> QuoteLine:
    return QuoteLine(
        line_no=no,
        sku=sku,
        description=sku,
        quantity=D(qty),
        unit_price=D(price),
        discount_percent=D(discount),
        tax_rate_percent=D("21"),
        unit_cost=D(cost),
    )


def quote(
    number: str,
    version: int = 1,
    status: str = "sent",
    day: str = "2026-03-10",
    *,
    seller: str = "ana",
    customer: str = "C1",
    currency: str = "EUR",
    net: str = "100",
    lines: tuple[QuoteLine, ...] = (),
    fired: tuple[str, ...] = (),
    lost_reason: str | None = None,
    competitor_lines: tuple[tuple[int, str, str], ...] = (),
    header_discount: str = "0",
    visit: UUID | None = None,
    opportunity: UUID | None = None,
    id: UUID | None = None,
) -> Quote:
    return Quote(
        id=id or uid(),
        number=number,
        version=version,
        customer_code=customer,
        seller_login=seller,
        status=status,
        currency=currency,
        issue_date=date.fromisoformat(day),
        valid_until=date.fromisoformat(day).replace(year=2027),
        payment_terms="NET30",
        header_discount_percent=D(header_discount),
        lines=lines,
        net_total=D(net),
        gross_total=D(net),
        fired_rules=fired,
        lost_reason=lost_reason,
        lost_note="gone" if lost_reason == "other" else "",
        competitor_lines=tuple(CompetitorLinePrice(line_no=n, sku=s, unit_price=D(p)) for n, s, p in competitor_lines),
        visit_id=visit,
        opportunity_id=opportunity,
    )


def lead(channel: str, status: str = "new", day: str = "2026-03-02", seller: str = "ana", **kw) -> Lead:
    extra = {}
    if status == "converted":
        extra["opportunity_id"] = kw.pop("opportunity", None) or uid()
    if status == "discarded":
        extra["discard_reason"] = "not a buyer"
    return Lead(
        id=uid(), seller_login=seller, name="Talleres Ruiz", channel=channel, status=status,
        created_at=at(day), **extra, **kw,
    )  # fmt: skip


def visit(day: str, customer: str = "C1", seller: str = "ana", id: UUID | None = None) -> Visit:
    return Visit(id=id or uid(), customer_code=customer, seller_login=seller, checked_in_at=at(day))


def customer(code: str, seller: str | None = "ana", segment: str = "oem", currency: str = "EUR") -> Customer:
    return Customer(
        code=code, legal_name=f"Cliente {code}", tax_id=f"B{code}", segment=segment, payment_terms="NET30",
        currency=currency, seller_login=seller,
    )  # fmt: skip


def opportunity(
    customer: str, stage: str, value: str, percent: str = "50", currency: str = "EUR", seller: str = "ana"
) -> Opportunity:
    return Opportunity(
        id=uid(), customer_code=customer, seller_login=seller, title="Renovar línea", stage=stage, currency=currency,
        value=D(value), probability_percent=D(percent), lost_reason="price" if stage == "lost" else None,
    )  # fmt: skip


def request(
    quote_id: UUID, when: datetime | None, reasons: tuple[str, ...] = ("discount_above_band",)
) -> ApprovalRequest:
    return ApprovalRequest(id=uid(), quote_id=quote_id, requested_by="ana", reasons=reasons, requested_at=when)


def decision(request_id: UUID, when: datetime, kind: str = "approved") -> ApprovalDecision:
    return ApprovalDecision(id=uid(), request_id=request_id, decided_by="marta", decision=kind, decided_at=when)


def order(quote: Quote, id: UUID | None = None) -> Order:
    return Order.for_quote(id or uid(), quote)


def invoice(number: str, day: str, customer: str = "C1", currency: str = "EUR", net: str = "0") -> Invoice:
    return Invoice(
        number=number, customer_code=customer, issue_date=date.fromisoformat(day), due_date=date.fromisoformat(day),
        currency=currency, net_amount=D(net), tax_amount=D(0), gross_amount=D(net),
    )  # fmt: skip


def invoice_line(
    invoice: str, no: int, sku: str, qty: str, net: str, cost: str, order_id: UUID | None = None
) -> InvoiceLine:
    return InvoiceLine(
        invoice_number=invoice, line_no=no, sku=sku, quantity=D(qty), unit_price=round_unit_price(abs(D(net)) / (abs(D(qty)) or 1)),
        net_amount=D(net), cost_amount=D(cost), order_id=order_id,
    )  # fmt: skip


def lost_sale(
    sku: str, qty: str, price: str, currency: str = "EUR", reason: str = "stock", seller: str = "ana"
) -> LostSale:
    return LostSale(
        id=uid(), customer_code="C1", seller_login=seller, sku=sku, quantity=D(qty), currency=currency,
        unit_price=D(price), reason=reason,
    )  # fmt: skip
