"""Reference data owned by the ERP: loaded into the server by import, read-only on devices."""

from typing import Self
from uuid import UUID

from pydantic import Field, model_validator

from shared.models.base import Record, RuleAcrossFields
from shared.models.enums import FloorScope, OrderStep, PriceListKind, Role, TaxRegime
from shared.models.types import (
    Amount,
    Code,
    CountryCode,
    Currency,
    Day,
    Email,
    Login,
    LongText,
    Name,
    NonNegativeAmount,
    Percent,
    Quantity,
    Rate,
    ShortText,
    UnitPrice,
)


class Team(Record):
    ENTITY, KEY = "team", ("code",)
    code: Code
    name: Name
    parent_code: Code | None = None
    """The team this one belongs to (a region, say); None at the top. Teams nest, and a
    manager's scope is her team's whole subtree (shared/rules/teams.py)."""


class User(Record):
    """A person who signs in. Sellers have a home warehouse; sellers and managers a team."""

    ENTITY, KEY = "user", ("login",)
    login: Login
    name: Name
    email: Email = ""
    role: Role
    team_code: Code | None = None
    home_warehouse: Code | None = None

    @model_validator(mode="after")
    def _seller_needs_team_and_warehouse(self) -> Self:
        if self.role == Role.SELLER and (not self.team_code or not self.home_warehouse):
            raise RuleAcrossFields(
                "a seller needs a team_code and a home_warehouse", "role", "team_code", "home_warehouse"
            )
        return self


class Customer(Record):
    ENTITY, KEY = "customer", ("code",)
    code: Code
    legal_name: Name
    trade_name: ShortText = ""
    tax_id: Code
    segment: Code
    address: ShortText = ""
    city: ShortText = ""
    postal_code: ShortText = ""
    country: CountryCode = "ES"
    email: Email = ""
    phone: ShortText = ""
    payment_terms: Code
    currency: Currency
    seller_login: Login | None = None
    """From the portfolio assignment; None when the customer is not assigned yet."""
    tax_regime: TaxRegime | None = None
    """Set by the ERP when known (a Canary Islands customer with a Spanish address, say);
    None: derived from the country and tax id (shared.rules.taxes.customer_regime)."""


class Contact(Record):
    ENTITY, KEY = "contact", ("id",)
    id: Code
    customer_code: Code
    name: Name
    role: ShortText = ""
    email: Email = ""
    phone: ShortText = ""


class Credit(Record):
    """Credit position of a customer as the ERP knows it."""

    ENTITY, KEY = "credit", ("customer_code",)
    customer_code: Code
    currency: Currency
    credit_limit: NonNegativeAmount
    open_balance: Amount
    open_orders: NonNegativeAmount
    overdue_amount: NonNegativeAmount
    overdue_invoices: int = Field(ge=0)
    oldest_overdue_days: int = Field(ge=0)
    open_disputes: int = Field(ge=0)
    disputed_amount: NonNegativeAmount
    blocked: bool
    block_reason: ShortText = ""
    prepayment_required: bool

    @model_validator(mode="after")
    def _blocked_needs_reason(self) -> Self:
        if self.blocked and not self.block_reason:
            raise RuleAcrossFields("a blocked customer needs a block_reason", "blocked", "block_reason")
        return self


class Invoice(Record):
    ENTITY, KEY = "invoice", ("number",)
    number: Code
    customer_code: Code
    issue_date: Day
    due_date: Day
    currency: Currency
    net_amount: Amount
    tax_amount: Amount
    gross_amount: Amount

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.due_date < self.issue_date:
            raise RuleAcrossFields("due_date is before issue_date", "issue_date", "due_date")
        if self.net_amount + self.tax_amount != self.gross_amount:
            raise RuleAcrossFields(
                "gross_amount is not net_amount + tax_amount", "net_amount", "tax_amount", "gross_amount"
            )
        return self


class InvoiceLine(Record):
    ENTITY, KEY = "invoice_line", ("invoice_number", "line_no")
    invoice_number: Code
    line_no: int = Field(ge=1)
    sku: Code
    quantity: Quantity
    unit_price: UnitPrice
    net_amount: Amount
    cost_amount: NonNegativeAmount
    order_id: UUID | None = None
    """The Terreno order (`terreno-server export-orders`) this line delivered, when the ERP knows it."""


class OrderStatus(Record):
    """One step the ERP reports for a Terreno order: confirmed or rejected, reserved, dispatched, delivered."""

    ENTITY, KEY = "order_status", ("order_id", "status")
    order_id: UUID
    erp_order: Code | None = None
    customer_code: Code
    status: OrderStep
    status_date: Day
    quantity: Quantity | None = None
    """Units covered by this step (a partial dispatch); None when the ERP does not say."""
    reason: ShortText = ""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.status == OrderStep.REJECTED and not self.reason:
            raise RuleAcrossFields("a rejected order needs a reason", "status", "reason")
        if self.quantity is not None and self.quantity <= 0:
            raise ValueError("quantity must be greater than 0")
        return self


class Payment(Record):
    ENTITY, KEY = "payment", ("id",)
    id: Code
    customer_code: Code
    invoice_number: Code | None = None
    payment_date: Day
    currency: Currency
    amount: Amount


class Category(Record):
    ENTITY, KEY = "category", ("code",)
    code: Code
    name: Name
    parent_code: Code | None = None


class TaxClass(Record):
    ENTITY, KEY = "tax_class", ("code",)
    code: Code
    name: Name
    rate_percent: Percent


class Product(Record):
    ENTITY, KEY = "product", ("sku",)
    sku: Code
    name: Name
    description: LongText = ""
    category_code: Code
    unit: Code
    tax_class: Code
    currency: Currency
    replacement_cost: NonNegativeAmount
    active: bool = True
    divisible: bool | None = None
    """Whether a fraction of a unit can be sold; None: as its unit says (KG, L, M can)."""
    order_minimum: Quantity | None = Field(default=None, gt=0)
    """The smallest quantity sold on one line (None: any)."""
    order_multiple: Quantity | None = Field(default=None, gt=0)
    """Sold only in multiples of this (a pack of 10, say; None: any)."""


class Substitute(Record):
    ENTITY, KEY = "substitute", ("sku", "substitute_sku")
    sku: Code
    substitute_sku: Code
    rank: int = Field(ge=1, le=99)

    @model_validator(mode="after")
    def _not_itself(self) -> Self:
        if self.sku == self.substitute_sku:
            raise RuleAcrossFields("a product cannot be its own substitute", "sku", "substitute_sku")
        return self


class Warehouse(Record):
    ENTITY, KEY = "warehouse", ("code",)
    code: Code
    name: Name
    city: ShortText = ""


class Stock(Record):
    """Stock of one product in one warehouse. Sellable = on hand − reserved − damaged (≥ 0)."""

    ENTITY, KEY = "stock", ("sku", "warehouse_code")
    sku: Code
    warehouse_code: Code
    on_hand: Quantity
    reserved: Quantity
    damaged: Quantity


class IncomingLot(Record):
    ENTITY, KEY = "incoming_lot", ("lot",)
    lot: Code
    sku: Code
    warehouse_code: Code
    quantity: Quantity
    expected_date: Day


class PriceList(Record):
    """A price list: the base list, one per segment, or one for a single customer."""

    ENTITY, KEY = "price_list", ("code",)
    code: Code
    name: Name
    kind: PriceListKind
    segment: Code | None = None
    customer_code: Code | None = None
    currency: Currency
    valid_from: Day
    valid_to: Day | None = None

    @model_validator(mode="after")
    def _target_matches_kind(self) -> Self:
        if self.kind == PriceListKind.SEGMENT and not self.segment:
            raise RuleAcrossFields("a segment price list needs a segment", "kind", "segment")
        if self.kind == PriceListKind.CUSTOMER and not self.customer_code:
            raise RuleAcrossFields("a customer price list needs a customer_code", "kind", "customer_code")
        if self.kind == PriceListKind.BASE and (self.segment or self.customer_code):
            raise RuleAcrossFields(
                "the base price list has no segment or customer_code", "kind", "segment", "customer_code"
            )
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise RuleAcrossFields("valid_to is before valid_from", "valid_from", "valid_to")
        return self


class PriceListItem(Record):
    """Unit price from `min_quantity` up (quantity breaks are several rows)."""

    ENTITY, KEY = "price_list_item", ("price_list_code", "sku", "min_quantity")
    price_list_code: Code
    sku: Code
    min_quantity: Quantity
    unit_price: UnitPrice


class PriceFloor(Record):
    """Lowest price or margin a seller may quote without approval, per product or category."""

    ENTITY, KEY = "price_floor", ("scope", "code")
    scope: FloorScope
    code: Code
    currency: Currency
    floor_price: UnitPrice | None = None
    min_margin_percent: Percent | None = None

    @model_validator(mode="after")
    def _has_a_floor(self) -> Self:
        if self.floor_price is None and self.min_margin_percent is None:
            raise RuleAcrossFields("needs floor_price or min_margin_percent", "floor_price", "min_margin_percent")
        return self


class FxRate(Record):
    """1 unit of `base_currency` = `rate` units of `quote_currency` on `rate_date`."""

    ENTITY, KEY = "fx_rate", ("rate_date", "base_currency", "quote_currency")
    rate_date: Day
    base_currency: Currency
    quote_currency: Currency
    rate: Rate


REFERENCE_MODELS: tuple[type[Record], ...] = (
    Team,
    User,
    Customer,
    Contact,
    Credit,
    Invoice,
    InvoiceLine,
    Payment,
    OrderStatus,
    Category,
    TaxClass,
    Product,
    Substitute,
    Warehouse,
    Stock,
    IncomingLot,
    PriceList,
    PriceListItem,
    PriceFloor,
    FxRate,
)

__all__ = [
    "REFERENCE_MODELS",
    "Category",
    "Contact",
    "Credit",
    "Customer",
    "FxRate",
    "IncomingLot",
    "Invoice",
    "InvoiceLine",
    "OrderStatus",
    "Payment",
    "PriceFloor",
    "PriceList",
    "PriceListItem",
    "Product",
    "Stock",
    "Substitute",
    "Team",
    "TaxClass",
    "User",
    "Warehouse",
]
