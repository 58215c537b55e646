"""The ERP export format: which CSV files, which columns, which references.

This is the one definition the importer, the demo data generator and
`docs/import-format.md` follow. Every file is UTF-8 (a BOM is tolerated), comma separated,
with a header row; decimals use '.' and no thousands separator; dates are ISO `YYYY-MM-DD`;
booleans are `true`/`false`; an empty cell is "no value".
"""

from dataclasses import dataclass, field
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shared.models import (
    Category,
    Contact,
    Credit,
    Customer,
    FxRate,
    IncomingLot,
    Invoice,
    InvoiceLine,
    OrderStatus,
    Payment,
    PriceFloor,
    PriceList,
    PriceListItem,
    Product,
    Record,
    Stock,
    Substitute,
    TaxClass,
    Team,
    User,
    Warehouse,
)
from shared.models.enums import LeadChannel
from shared.models.types import Code, Login, LongText, Name, ShortText, UtcDateTime


class PortfolioAssignment(BaseModel):
    """One row of portfolio.csv: the seller a customer is assigned to."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    customer_code: Code
    seller_login: Login


class LeadRow(BaseModel):
    """One row of leads.csv: a lead from a web form or a campaign, for its seller's tablet.

    Not a synced record itself: the importer makes it a `Lead` once (`importer/leads.py`) and
    never again, so a lead the seller has worked keeps what she did with it."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, use_enum_values=True)
    ENTITY: ClassVar[str] = "lead"
    KEY: ClassVar[tuple[str, ...]] = ("id",)
    id: Code
    """The lead's id in the system it came from (web form, campaign tool): stable across files."""
    seller_login: Login
    name: Name
    contact: ShortText = ""
    city: ShortText = ""
    channel: LeadChannel
    source: ShortText = ""
    notes: LongText = ""
    created_at: UtcDateTime
    customer_code: Code | None = None

    def record_id(self) -> str:
        """The row's key, as duplicate-key problems name it."""
        return self.id


@dataclass(frozen=True)
class Reference:
    """`column` must name an existing record of `entity` (by its record id)."""

    column: str
    entity: str


@dataclass(frozen=True)
class FileSpec:
    """One CSV file of the export."""

    filename: str
    model: type[BaseModel]
    references: tuple[Reference, ...] = ()
    extra_columns: tuple[str, ...] = ()
    """Columns in the file that are not fields of the model (handled by the importer)."""
    excluded_fields: tuple[str, ...] = ()
    """Model fields that do not come from this file (filled from another file)."""
    optional_columns: tuple[str, ...] = field(default=())
    """Columns that may be missing from the header (older exports)."""
    is_optional: bool = False
    """The file may be missing from the folder. A missing optional file says nothing: the
    records it gave before are kept (still following their customer's bucket), whereas a
    present file, even header-only, is complete like any other."""

    @property
    def entity(self) -> str:
        return getattr(self.model, "ENTITY", "")

    def columns(self) -> tuple[str, ...]:
        """The header the file must have, in the documented order."""
        names = [n for n in self.model.model_fields if n not in self.excluded_fields]
        return (*names, *self.extra_columns)


# In dependency order: a file only references files above it.
FILES: tuple[FileSpec, ...] = (
    FileSpec("warehouses.csv", Warehouse),
    FileSpec("teams.csv", Team, references=(Reference("parent_code", "team"),), optional_columns=("parent_code",)),
    FileSpec(
        "users.csv",
        User,
        references=(Reference("team_code", "team"), Reference("home_warehouse", "warehouse")),
        extra_columns=("password_hash",),
        optional_columns=("password_hash",),
    ),
    FileSpec("tax_classes.csv", TaxClass),
    FileSpec("categories.csv", Category, references=(Reference("parent_code", "category"),)),
    FileSpec(
        "products.csv",
        Product,
        references=(Reference("category_code", "category"), Reference("tax_class", "tax_class")),
        optional_columns=("divisible", "order_minimum", "order_multiple"),
    ),
    FileSpec(
        "substitutes.csv",
        Substitute,
        references=(Reference("sku", "product"), Reference("substitute_sku", "product")),
    ),
    FileSpec(
        "stock.csv",
        Stock,
        references=(Reference("sku", "product"), Reference("warehouse_code", "warehouse")),
    ),
    FileSpec(
        "incoming.csv",
        IncomingLot,
        references=(Reference("sku", "product"), Reference("warehouse_code", "warehouse")),
    ),
    FileSpec("customers.csv", Customer, excluded_fields=("seller_login",), optional_columns=("tax_regime",)),
    FileSpec(
        "portfolio.csv",
        PortfolioAssignment,
        references=(Reference("customer_code", "customer"), Reference("seller_login", "user")),
    ),
    FileSpec("contacts.csv", Contact, references=(Reference("customer_code", "customer"),)),
    FileSpec("credit.csv", Credit, references=(Reference("customer_code", "customer"),)),
    FileSpec("invoices.csv", Invoice, references=(Reference("customer_code", "customer"),)),
    FileSpec(
        "invoice_lines.csv",
        InvoiceLine,
        references=(Reference("invoice_number", "invoice"), Reference("sku", "product")),
        optional_columns=("order_id",),
    ),
    FileSpec(
        "payments.csv",
        Payment,
        references=(Reference("customer_code", "customer"), Reference("invoice_number", "invoice")),
    ),
    # The ERP's answer to the orders Terreno exported; `order_id` is a Terreno order, not a row
    # of this export, so it is not checked as a reference.
    FileSpec(
        "order_status.csv",
        OrderStatus,
        references=(Reference("customer_code", "customer"),),
        is_optional=True,
    ),
    FileSpec("price_lists.csv", PriceList, references=(Reference("customer_code", "customer"),)),
    FileSpec(
        "price_list_items.csv",
        PriceListItem,
        references=(Reference("price_list_code", "price_list"), Reference("sku", "product")),
    ),
    # `code` names a product or a category depending on `scope`; the importer checks it.
    FileSpec("price_floors.csv", PriceFloor),
    FileSpec("fx_rates.csv", FxRate),
    # Leads from web forms and campaigns: made leads once, never replaced (importer/leads.py).
    FileSpec(
        "leads.csv",
        LeadRow,
        references=(Reference("seller_login", "user"), Reference("customer_code", "customer")),
        optional_columns=("contact", "city", "source", "notes", "customer_code"),
        is_optional=True,
    ),
)

FILES_BY_NAME: dict[str, FileSpec] = {f.filename: f for f in FILES}

SYNCED_MODELS: tuple[type[Record], ...] = tuple(
    f.model for f in FILES if isinstance(f.model, type) and issubclass(f.model, Record)
)

__all__ = ["FILES", "FILES_BY_NAME", "SYNCED_MODELS", "FileSpec", "LeadRow", "PortfolioAssignment", "Reference"]
