"""Strict validation of the shared models: one table of good and bad values per rule."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from pydantic import ValidationError

from shared.models import (
    MODELS_BY_ENTITY,
    Credit,
    Customer,
    Invoice,
    InvoiceLine,
    OrderStatus,
    PriceFloor,
    PriceList,
    Product,
    Quote,
    Stock,
    Substitute,
    User,
    Visit,
)


def make_product(**kw) -> Product:
    fields = dict(
        sku="TOR-M8",
        name="Tornillo DIN 933 M8×40 inox A2",
        category_code="TOR",
        unit="EA",
        tax_class="IVA21",
        currency="EUR",
        replacement_cost="0.1234",
    )
    return Product(**{**fields, **kw})


def make_credit(**kw) -> Credit:
    fields = dict(
        customer_code="C1",
        currency="EUR",
        credit_limit="10000",
        open_balance="2500.50",
        open_orders="0",
        overdue_amount="0",
        overdue_invoices=0,
        oldest_overdue_days=0,
        open_disputes=0,
        disputed_amount="0",
        blocked=False,
        prepayment_required=False,
    )
    return Credit(**{**fields, **kw})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("replacement_cost", 1.5, "not a float"),
        ("replacement_cost", "-1", "must not be negative"),
        ("replacement_cost", "0.12345", "more than 4 decimals"),
        ("replacement_cost", "1,5", "not a plain decimal"),
        ("currency", "EURO", "at most 3 characters"),
        ("currency", "ABC", "not an ISO 4217 currency"),
        ("sku", "TOR M8", "should match pattern"),
        ("sku", "TOR|M8", "should match pattern"),
        ("sku", "", "at least 1 character"),
        ("name", "x" * 201, "at most 200 characters"),
        ("unknown_field", "x", "Extra inputs are not permitted"),
    ],
)
def test_product_rejects(field, value, message):
    with pytest.raises(ValidationError, match=message):
        make_product(**{field: value})


def test_money_stays_decimal_and_serialises_as_text():
    product = make_product(replacement_cost="0.1000", currency="eur")
    assert product.replacement_cost == Decimal("0.1000") and product.currency == "EUR"
    assert product.to_data()["replacement_cost"] == "0.1000"


@pytest.mark.parametrize(
    ("model", "fields", "message"),
    [
        (Stock, dict(sku="A", warehouse_code="MAD", on_hand="-3", reserved="0", damaged="0"), "must not be negative"),
        (Credit, None, "needs a block_reason"),
        (
            Invoice,
            dict(
                number="F1",
                customer_code="C1",
                issue_date="2026-05-10",
                due_date="2026-05-01",
                currency="EUR",
                net_amount="100",
                tax_amount="21",
                gross_amount="121",
            ),
            "before issue_date",
        ),
        (
            Invoice,
            dict(
                number="F1",
                customer_code="C1",
                issue_date="2026-05-10",
                due_date="2026-06-10",
                currency="EUR",
                net_amount="100",
                tax_amount="21",
                gross_amount="120.99",
            ),
            "net_amount \\+ tax",
        ),
        (
            PriceList,
            dict(code="S1", name="Segmento", kind="segment", currency="EUR", valid_from="2026-01-01"),
            "needs a segment",
        ),
        (
            PriceList,
            dict(code="B", name="Base", kind="base", segment="oem", currency="EUR", valid_from="2026-01-01"),
            "has no segment",
        ),
        (
            PriceList,
            dict(code="B", name="Base", kind="base", currency="EUR", valid_from="2026-02-01", valid_to="2026-01-01"),
            "valid_to is before",
        ),
        (PriceFloor, dict(scope="product", code="A", currency="EUR"), "needs floor_price or min_margin_percent"),
        (PriceFloor, dict(scope="product", code="A", currency="EUR", min_margin_percent="101"), "less than or equal"),
        (Substitute, dict(sku="A", substitute_sku="A", rank=1), "its own substitute"),
        (User, dict(login="ana", name="Ana", role="seller"), "needs a team_code and a home_warehouse"),
        (User, dict(login="ana garcía", name="Ana", role="manager"), "should match pattern"),
        (
            Customer,
            dict(
                code="C1",
                legal_name="X",
                tax_id="B1",
                segment="oem",
                payment_terms="NET30",
                currency="EUR",
                country="Spain",
            ),
            "country code such as ES; did you mean 'ES'",
        ),
    ],
)
def test_cross_field_rules(model, fields, message):
    with pytest.raises(ValidationError, match=message):
        if fields is None:
            make_credit(blocked=True)
        else:
            model(**fields)


def test_visit_times_must_be_utc_aware_and_ordered():
    now = datetime.now(UTC)
    with pytest.raises(ValidationError, match="time zone"):
        Visit(id=uuid4(), customer_code="C1", seller_login="ana", checked_in_at=datetime(2026, 1, 1, 9, 0))
    with pytest.raises(ValidationError, match="earlier checked_in_at"):
        Visit(id=uuid4(), customer_code="C1", seller_login="ana", checked_in_at=now, checked_out_at=now - timedelta(1))


def test_quote_validity_cannot_end_before_issue():
    with pytest.raises(ValidationError, match="valid_until is before issue_date"):
        Quote(
            id=uuid4(),
            number="ANA-2026-0001",
            version=1,
            customer_code="C1",
            seller_login="ana",
            currency="EUR",
            issue_date="2026-11-20",
            valid_until="2026-11-01",
            payment_terms="NET30",
        )


@pytest.mark.parametrize("entity", sorted(MODELS_BY_ENTITY))
def test_every_entity_has_a_key_made_of_its_fields(entity):
    model = MODELS_BY_ENTITY[entity]
    assert model.KEY and set(model.KEY) <= set(model.model_fields)


@pytest.mark.parametrize(("typed", "stored"), [("Ana.Garcia", "ana.garcia"), ("  JOAO.SILVA ", "joao.silva")])
def test_logins_are_normalised_before_validation(typed, stored):
    user = User(login=typed, name="Ana", role="manager")
    assert user.login == stored


_ORDER = "0195f3a0-7c1e-7d2a-9b4e-1a2b3c4d5e6f"
_STATUS = dict(order_id=_ORDER, customer_code="C-001", status="confirmed", status_date="2026-01-12")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, None),
        ({"status": "dispatched", "quantity": "12"}, None),
        ({"status": "rejected", "reason": "Riesgo"}, None),
        ({"erp_order": "4500123", "status": "delivered"}, None),
        ({"status": "shipped"}, "Input should be 'confirmed'"),
        ({"status": "rejected"}, "a rejected order needs a reason"),
        ({"status": "rejected", "reason": "   "}, "a rejected order needs a reason"),
        ({"quantity": "0"}, "quantity must be greater than 0"),
        ({"quantity": "-3"}, "must not be negative"),
        ({"quantity": "1.2345"}, "more than 3 decimals"),
        ({"order_id": "4500123"}, "valid UUID"),
        ({"erp_order": "45 00"}, "String should match pattern"),
    ],
)
def test_order_status_rules(fields, message):

    if message is None:
        status = OrderStatus(**{**_STATUS, **fields})
        assert status.record_id() == f"{_ORDER}|{status.status}"
    else:
        with pytest.raises(ValidationError, match=message):
            OrderStatus(**{**_STATUS, **fields})


@pytest.mark.parametrize(("value", "stored"), [(None, None), (_ORDER, _ORDER)])
def test_an_invoice_line_may_name_the_order_it_delivered(value, stored):

    line = InvoiceLine(
        invoice_number="F-1",
        line_no=1,
        sku="P-1",
        quantity="1",
        unit_price="1",
        net_amount="1",
        cost_amount="0",
        order_id=value,
    )
    assert (None if line.order_id is None else str(line.order_id)) == stored
