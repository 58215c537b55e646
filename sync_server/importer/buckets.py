"""Which bucket each reference record belongs to (DESIGN §4.6).

    team, user                                  directory
    category, tax_class, product, substitute,
    warehouse, price_floor, fx_rate,
    base and segment price lists and items      catalog
    stock, incoming_lot                         stock:<warehouse_code>
    customer                                    portfolio:<seller_login> (unassigned if none)
    contact, credit, invoice, payment,
    order_status                                the portfolio of their customer's seller
    invoice_line                                the portfolio of its invoice's customer's seller
    customer price lists and their items        the portfolio of the list's customer's seller

The rules need to know who owns what (a customer's seller, an invoice's customer, a price
list's customer); `Owners` is that question. The importer answers it from the export
being imported; a server service can answer it from the database and reuse `bucket_for`.
"""

from collections.abc import Callable
from typing import Any, Protocol

from shared.models import PriceListKind, Record
from shared.protocol import CATALOG_BUCKET, DIRECTORY_BUCKET, portfolio_bucket, stock_bucket

"""Teams and users: everyone signed in may see who is who."""


class Owners(Protocol):
    """Who owns a customer, an invoice and a price list."""

    def seller_of_customer(self, customer_code: str) -> str | None:
        """Login of the customer's seller; None when the customer is not assigned."""

    def customer_of_invoice(self, invoice_number: str) -> str:
        """Code of the invoice's customer."""

    def customer_of_price_list(self, price_list_code: str) -> str | None:
        """Code of the customer of a customer price list; None for base and segment lists."""


def _directory(record: Any, owners: Owners) -> str:
    return DIRECTORY_BUCKET


def _catalog(record: Any, owners: Owners) -> str:
    return CATALOG_BUCKET


def _stock(record: Any, owners: Owners) -> str:
    return stock_bucket(record.warehouse_code)


def _customer(record: Any, owners: Owners) -> str:
    return portfolio_bucket(record.seller_login)


def _of_customer(record: Any, owners: Owners) -> str:
    return portfolio_bucket(owners.seller_of_customer(record.customer_code))


def _invoice_line(record: Any, owners: Owners) -> str:
    return portfolio_bucket(owners.seller_of_customer(owners.customer_of_invoice(record.invoice_number)))


def _price_list(record: Any, owners: Owners) -> str:
    if record.kind == PriceListKind.CUSTOMER:
        return portfolio_bucket(owners.seller_of_customer(record.customer_code))
    return CATALOG_BUCKET


def _price_list_item(record: Any, owners: Owners) -> str:
    customer = owners.customer_of_price_list(record.price_list_code)
    return CATALOG_BUCKET if customer is None else portfolio_bucket(owners.seller_of_customer(customer))


_RULES: dict[str, Callable[[Any, Owners], str]] = {
    "team": _directory,
    "user": _directory,
    "category": _catalog,
    "tax_class": _catalog,
    "product": _catalog,
    "substitute": _catalog,
    "warehouse": _catalog,
    "price_floor": _catalog,
    "fx_rate": _catalog,
    "stock": _stock,
    "incoming_lot": _stock,
    "customer": _customer,
    "contact": _of_customer,
    "credit": _of_customer,
    "invoice": _of_customer,
    "payment": _of_customer,
    "order_status": _of_customer,
    "invoice_line": _invoice_line,
    "price_list": _price_list,
    "price_list_item": _price_list_item,
}

BUCKETED_ENTITIES = frozenset(_RULES)
"""Entities `bucket_for` has a rule for (every reference entity)."""


def bucket_for(record: Record, owners: Owners) -> str:
    """The bucket `record` belongs in; ValueError for an entity without a rule."""
    rule = _RULES.get(record.ENTITY)
    if rule is None:
        raise ValueError(f"no bucket rule for entity {record.ENTITY!r}")
    return rule(record, owners)


__all__ = ["BUCKETED_ENTITIES", "DIRECTORY_BUCKET", "Owners", "bucket_for"]
