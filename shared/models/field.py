"""Field data created on devices and pushed to the server. Ids are client UUIDs (v7)."""

import json
from decimal import Decimal
from typing import Annotated, Any, Self
from uuid import UUID

from pydantic import AfterValidator, Field, model_validator

from shared.models.base import Record
from shared.models.enums import (
    ApprovalDecisionKind,
    ClaimKind,
    ClaimStatus,
    DeliveryStatus,
    LeadChannel,
    LeadStatus,
    LostReason,
    OpportunityStage,
    Presence,
    QuoteStatus,
    VisitOutcome,
)
from shared.models.prospect import Prospect
from shared.models.types import (
    Amount,
    Code,
    Currency,
    Day,
    Email,
    Login,
    LongText,
    Name,
    NonNegativeAmount,
    Percent,
    PurchaseOrder,
    Quantity,
    ShortText,
    UnitPrice,
    UtcDateTime,
)


def _small_wording(value: dict[str, Any]) -> dict[str, Any]:
    if set(value) - {"parts", "short"} or not isinstance(value.get("parts", []), list):
        raise ValueError("a promise's wording has 'parts' (a list) and 'short' only")
    if len(json.dumps(value, ensure_ascii=False)) > 4000:
        raise ValueError("a promise's wording is longer than 4000 characters")
    return value


Wording = Annotated[dict[str, Any], AfterValidator(_small_wording)]
"""An availability promise as messages: {"parts": [message, ...], "short": message | None}."""

MAX_ACCURACY_M = 1_000_000.0
"""A position reported as uncertain by more than 1,000 km says nothing: refused."""


class Location(Record):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    accuracy_m: float | None = Field(default=None, ge=0, le=MAX_ACCURACY_M)


class Visit(Record):
    ENTITY, KEY = "visit", ("id",)
    id: UUID
    customer_code: Code
    seller_login: Login
    planned_at: UtcDateTime | None = None
    checked_in_at: UtcDateTime | None = None
    checked_out_at: UtcDateTime | None = None
    location: Location | None = None
    purpose: ShortText = ""
    notes: LongText = ""
    outcome: VisitOutcome = VisitOutcome.PENDING
    next_step: ShortText = ""

    @model_validator(mode="after")
    def _out_after_in(self) -> Self:
        if self.checked_out_at and (not self.checked_in_at or self.checked_out_at < self.checked_in_at):
            raise ValueError("checked_out_at needs an earlier checked_in_at")
        return self


class VisitComment(Record):
    """A line added to a visit after it: the seller's addendum once checked out, or a
    manager's comment (append-only, owned by its author; kept with the visit's seller)."""

    ENTITY, KEY = "visit_comment", ("id",)
    id: UUID
    visit_id: UUID
    author_login: Login
    text: LongText = Field(min_length=1)
    posted_at: UtcDateTime | None = None
    """When the server took it (its clock orders the thread); None until then."""


class Opportunity(Record):
    ENTITY, KEY = "opportunity", ("id",)
    id: UUID
    customer_code: Code
    seller_login: Login
    title: Name
    stage: OpportunityStage = OpportunityStage.LEAD
    currency: Currency
    value: NonNegativeAmount
    probability_percent: Percent
    expected_close: Day | None = None
    category_codes: tuple[Code, ...] = ()
    lost_reason: LostReason | None = None
    competitor: ShortText = ""
    """Who won it instead, when the seller heard (given when it is marked lost)."""
    competitor_price: NonNegativeAmount | None = None
    """What the competitor asked for it, in the opportunity's currency, when known."""
    version: int = Field(default=1, ge=1)


class CompetitorObservation(Record):
    ENTITY, KEY = "competitor_observation", ("id",)
    id: UUID
    customer_code: Code
    seller_login: Login
    visit_id: UUID | None = None
    competitor: Name
    sku: Code | None = None
    category_code: Code | None = None
    currency: Currency | None = None
    observed_price: UnitPrice | None = None
    presence: Presence = Presence.NONE
    notes: LongText = ""
    photo_sha256: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _price_has_currency(self) -> Self:
        if self.observed_price is not None and self.currency is None:
            raise ValueError("an observed_price needs a currency")
        return self


class Claim(Record):
    ENTITY, KEY = "claim", ("id",)
    id: UUID
    customer_code: Code
    seller_login: Login
    visit_id: UUID | None = None
    kind: ClaimKind
    invoice_number: Code | None = None
    description: LongText = Field(min_length=1)
    sku: Code | None = None
    """The product the claim is about, when it is about one."""
    quantity: Quantity | None = Field(default=None, gt=0)
    status: ClaimStatus = ClaimStatus.OPEN
    resolution: LongText = ""
    """How it ended (required once resolved or rejected): what the customer was told."""

    @model_validator(mode="after")
    def _resolution_when_closed(self) -> Self:
        if self.status in (ClaimStatus.RESOLVED, ClaimStatus.REJECTED) and not self.resolution:
            raise ValueError("a resolved or rejected claim needs its resolution")
        return self


class QuoteLine(Record):
    line_no: int = Field(ge=1)
    sku: Code
    description: Name
    quantity: Quantity = Field(gt=0)
    unit_price: UnitPrice
    discount_percent: Percent = Decimal(0)
    tax_rate_percent: Percent
    unit_cost: NonNegativeAmount
    warehouse_code: Code | None = None
    promise: ShortText = ""
    """The availability promise in words of the language the quote was saved in (the ERP's
    order export carries it)."""
    promise_words: Wording | None = None
    """The same promise as messages (`{"parts": [...], "short": ...}`, see shared.messages),
    so each screen says it in its reader's language."""
    customer_words: Wording | None = None
    """What the customer reads on the PDF: when, never where from or how much stock."""
    requested_delivery: Day | None = None
    """The day the customer wants this line by when the seller set one on the line; None:
    the quote's `requested_delivery` (the order's once accepted)."""
    promised_delivery: Day | None = None
    """The day the company promises it by (`shared.rules.delivery_dates`); None: the date is
    to be confirmed (not enough stock now or known to be coming)."""


class CompetitorLinePrice(Record):
    """The competitor's unit price for one line of a lost quote (the managers' "winning vs
    losing price" reads these: one structured entry per line, never free text)."""

    line_no: int = Field(ge=1)
    sku: Code
    unit_price: UnitPrice
    """In the quote's currency, per the line's unit."""


class Quote(Record):
    """One immutable version of a quote; a change to a sent quote is version n+1."""

    ENTITY, KEY = "quote", ("id",)
    id: UUID
    number: Code
    version: int = Field(ge=1)
    customer_code: Code
    seller_login: Login
    status: QuoteStatus = QuoteStatus.DRAFT
    currency: Currency
    issue_date: Day
    valid_until: Day
    payment_terms: Code
    header_discount_percent: Percent = Decimal(0)
    lines: tuple[QuoteLine, ...] = ()
    net_total: Amount = Decimal(0)
    tax_total: Amount = Decimal(0)
    gross_total: Amount = Decimal(0)
    fired_rules: tuple[ShortText, ...] = ()
    lost_reason: LostReason | None = None
    lost_note: LongText = ""
    """What the customer said, in the seller's words (needed when the reason is "other")."""
    competitor: ShortText = ""
    competitor_price: UnitPrice | None = None
    competitor_lines: tuple[CompetitorLinePrice, ...] = ()
    """The competitor's unit price per line, where the seller heard it (a lost quote only)."""
    visit_id: UUID | None = None
    """The visit the quote was started on (every version keeps it)."""
    opportunity_id: UUID | None = None
    """The opportunity the quote answers (every version keeps it)."""
    customer_note: LongText = ""
    """For the customer: printed on the PDF."""
    internal_note: LongText = ""
    """For the seller and her manager only: never on the PDF or the order export."""
    conditions: LongText = ""
    """Informal conditions agreed on the spot (delivery to the back door, …): on the order export."""
    customer_po: PurchaseOrder = ""
    """The customer's purchase-order number, given with an acceptance (optional)."""
    requested_delivery: Day | None = None
    """The day the customer wants the goods (optional): set while quoting or given with an
    acceptance; each line's requested day unless the line has its own."""

    @model_validator(mode="after")
    def _validity(self) -> Self:
        if self.valid_until < self.issue_date:
            raise ValueError("valid_until is before issue_date")
        return self


class ApprovalRequest(Record):
    ENTITY, KEY = "approval_request", ("id",)
    id: UUID
    quote_id: UUID
    requested_by: Login
    reasons: tuple[ShortText, ...] = Field(min_length=1)
    note: LongText = ""
    requested_at: UtcDateTime | None = None
    """When the request reached the server (its clock; None until then): time to decision starts here."""
    reason_messages: tuple[dict[str, Any], ...] = ()
    """`reasons` as messages (`shared.messages.message`: key and values), one for each, so a
    manager reads them in her language; the server sets them with the reasons (empty: say
    `reasons` as they are)."""


class ApprovalDecision(Record):
    ENTITY, KEY = "approval_decision", ("id",)
    id: UUID
    request_id: UUID
    decided_by: Login
    decision: ApprovalDecisionKind
    comment: LongText = ""
    decided_at: UtcDateTime
    on_behalf_of: Login | None = None
    """The manager whose approvals `decided_by` held by delegation when deciding (the server
    sets it; None: decided in her own right)."""


class EmailDelivery(Record):
    ENTITY, KEY = "email_delivery", ("id",)
    id: UUID
    quote_id: UUID
    recipients: tuple[Email, ...] = Field(min_length=1)
    subject: ShortText
    message: LongText = ""
    pdf_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    status: DeliveryStatus = DeliveryStatus.QUEUED
    failure_reason: ShortText = ""


class Order(Record):
    """A sales order request for the ERP, made from an accepted quote."""

    ENTITY, KEY = "order", ("id",)
    id: UUID
    quote_id: UUID
    customer_code: Code
    seller_login: Login
    currency: Currency
    gross_total: NonNegativeAmount
    customer_po: PurchaseOrder = ""
    requested_delivery: Day | None = None

    @classmethod
    def for_quote(cls, order_id: UUID, quote: "Quote") -> "Order":
        """The order request an accepted quote makes (the device and the server build it alike)."""
        return cls(
            id=order_id,
            quote_id=quote.id,
            customer_code=quote.customer_code,
            seller_login=quote.seller_login,
            currency=quote.currency,
            gross_total=quote.gross_total,
            customer_po=quote.customer_po,
            requested_delivery=quote.requested_delivery,
        )


class LostSale(Record):
    """Demand the seller could not serve: a line the customer dropped for lack of stock."""

    ENTITY, KEY = "lost_sale", ("id",)
    id: UUID
    customer_code: Code
    seller_login: Login
    quote_id: UUID | None = None
    sku: Code
    quantity: Quantity = Field(gt=0)
    sellable: Quantity = Decimal(0)
    """What could be promised now when the customer dropped the line."""
    currency: Currency
    unit_price: UnitPrice
    reason: LostReason = LostReason.STOCK


class Lead(Record):
    """Someone who may buy: noted by a seller on the tablet, or brought by a web form or a
    campaign (leads.csv). Owned by its seller; its status moves by `shared.rules.leads`."""

    ENTITY, KEY = "lead", ("id",)
    id: UUID
    seller_login: Login
    """The lead's owner: the seller who works it."""
    name: Name
    """Who: the person or the company that asked."""
    contact: ShortText = ""
    """How to reach them: a phone, an e-mail, a person's name."""
    city: ShortText = ""
    channel: LeadChannel
    source: ShortText = ""
    """Where it came from, in words: the campaign, the fair, who referred them."""
    notes: LongText = ""
    status: LeadStatus = LeadStatus.NEW
    customer_code: Code | None = None
    """The existing customer it is about, or the one it was converted for."""
    opportunity_id: UUID | None = None
    """The opportunity it became (needed once converted)."""
    discard_reason: ShortText = ""
    """Why it was discarded (needed once discarded)."""
    created_at: UtcDateTime
    first_contact_at: UtcDateTime | None = None
    """Its first move out of new (`shared.rules.leads.first_contact_at`)."""

    @model_validator(mode="after")
    def _endings_say_what(self) -> Self:
        if self.status == LeadStatus.CONVERTED and self.opportunity_id is None:
            raise ValueError("a converted lead needs its opportunity_id")
        if self.status == LeadStatus.DISCARDED and not self.discard_reason:
            raise ValueError("a discarded lead needs its discard_reason")
        return self


FIELD_MODELS: tuple[type[Record], ...] = (
    Visit,
    VisitComment,
    Opportunity,
    CompetitorObservation,
    Claim,
    Quote,
    ApprovalRequest,
    ApprovalDecision,
    EmailDelivery,
    Order,
    LostSale,
    Lead,
    Prospect,
)

__all__ = [
    "LostSale",
    "FIELD_MODELS",
    "ApprovalDecision",
    "ApprovalRequest",
    "Claim",
    "CompetitorLinePrice",
    "CompetitorObservation",
    "EmailDelivery",
    "Lead",
    "Location",
    "Opportunity",
    "Order",
    "Prospect",
    "Quote",
    "QuoteLine",
    "Visit",
    "VisitComment",
]
