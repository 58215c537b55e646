"""The bucket rules on their own, as the sync server would reuse them: no database, no CSV."""

import pytest

from shared.models import REFERENCE_MODELS, Contact, Customer, InvoiceLine, PriceList, PriceListItem, Stock, User
from sync_server.importer.buckets import BUCKETED_ENTITIES, bucket_for


class Owners:
    """Answers `buckets.Owners` from three dicts."""

    sellers = {"C-1": "ana.garcia"}
    invoices = {"F-1": "C-1", "F-2": "C-2"}
    price_lists = {"CLI-1": "C-1", "CLI-2": "C-2"}

    def seller_of_customer(self, customer_code):
        return self.sellers.get(customer_code)

    def customer_of_invoice(self, invoice_number):
        return self.invoices[invoice_number]

    def customer_of_price_list(self, price_list_code):
        return self.price_lists.get(price_list_code)


def _customer(seller):
    return Customer(
        code="C-9",
        legal_name="Ferretería Núñez S.L.",
        tax_id="B1",
        segment="retail",
        payment_terms="NET30",
        currency="EUR",
        seller_login=seller,
    )


def _list(code, kind, customer=None, segment=None):
    return PriceList(
        code=code,
        name="Tarifa",
        kind=kind,
        customer_code=customer,
        segment=segment,
        currency="EUR",
        valid_from="2025-01-01",
    )


def _item(price_list):
    return PriceListItem(price_list_code=price_list, sku="P-1", min_quantity="1", unit_price="2")


def _line(invoice):
    return InvoiceLine(
        invoice_number=invoice, line_no=1, sku="P-1", quantity="1", unit_price="1", net_amount="1", cost_amount="1"
    )


@pytest.mark.parametrize(
    ("record", "bucket"),
    [
        (_customer("luis.pena"), "portfolio:luis.pena"),
        (_customer(None), "unassigned"),
        (Contact(id="CT-1", customer_code="C-1", name="Íñigo Ruiz"), "portfolio:ana.garcia"),
        (Contact(id="CT-2", customer_code="C-2", name="Begoña Ibáñez"), "unassigned"),
        (_line("F-1"), "portfolio:ana.garcia"),
        (_line("F-2"), "unassigned"),
        (_list("BASE", "base"), "catalog"),
        (_list("SEG", "segment", segment="oem"), "catalog"),
        (_list("CLI-1", "customer", customer="C-1"), "portfolio:ana.garcia"),
        (_item("BASE"), "catalog"),
        (_item("CLI-1"), "portfolio:ana.garcia"),
        (_item("CLI-2"), "unassigned"),
        (Stock(sku="P-1", warehouse_code="BCN", on_hand="1", reserved="0", damaged="0"), "stock:BCN"),
        (User(login="marta", name="Marta Sáez", role="manager"), "directory"),
    ],
    ids=lambda value: value if isinstance(value, str) else type(value).__name__,
)
def test_bucket_rules(record, bucket):
    assert bucket_for(record, Owners()) == bucket


def test_every_reference_entity_has_a_rule():
    assert {m.ENTITY for m in REFERENCE_MODELS} == BUCKETED_ENTITIES
