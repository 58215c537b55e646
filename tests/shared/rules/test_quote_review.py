"""The approval decision, one table of cases run through the rule and through both builders.

`review_case` decides; the device builds its case from the draft and its local facts
(`client.services.quote_pricing.price_draft`), the server from the pushed quote and its own
tables (`sync_server.services.mutations.quote_review.review_quote`). Each row is run three
ways and must give the same fired rules, or the same problem, every time.
"""

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from client.services.quote_facts import PricingFacts, StockFacts
from client.services.quote_pricing import DraftLine, QuoteDraft, price_draft, quote_case
from shared.errors import ValidationFailed
from shared.models import (
    Category,
    Credit,
    Customer,
    FloorScope,
    FxRate,
    PriceFloor,
    PriceList,
    PriceListItem,
    Product,
    TaxClass,
)
from shared.models.field import Quote, QuoteLine
from shared.protocol import CATALOG_BUCKET, portfolio_bucket
from shared.rules import ApprovalPolicy, CreditPolicy, fired_codes
from shared.rules.quote_review import review_case
from sync_server.repository.database import make_engine, migrate, read_transaction, write_transaction
from sync_server.repository.records import put_record
from sync_server.services.mutations.quote_review import review_quote

D = Decimal
TODAY = date(2026, 6, 1)
SELLER = "ana.garcia"


def _credit(customer: str, limit: str = "50000", balance: str = "0", **kw) -> Credit:
    fields = dict(
        customer_code=customer,
        currency="EUR",
        credit_limit=D(limit),
        open_balance=D(balance),
        open_orders=D(0),
        overdue_amount=D(0),
        overdue_invoices=0,
        oldest_overdue_days=0,
        open_disputes=0,
        disputed_amount=D(0),
        blocked=False,
        prepayment_required=False,
    )
    return Credit(**{**fields, **kw})


def _customer(code: str, terms: str = "NET30") -> Customer:
    return Customer(
        code=code, legal_name=f"Cliente {code}", tax_id=f"B{code}", segment="oem", payment_terms=terms, currency="EUR"
    )


CUSTOMERS = {
    "C-OK": (_customer("C-OK"), _credit("C-OK")),
    "C-N90": (_customer("C-N90", "NET90"), _credit("C-N90")),
    "C-BLK": (_customer("C-BLK"), _credit("C-BLK", blocked=True, block_reason="impagado")),
    "C-OVER": (_customer("C-OVER"), _credit("C-OVER", limit="1000", balance="950")),
    "C-NEAR": (_customer("C-NEAR"), _credit("C-NEAR", limit="1000", balance="800")),
    # The ERP flags prepayment while the customer's master data still says NET30.
    "C-PRE": (_customer("C-PRE"), _credit("C-PRE", limit="0", prepayment_required=True)),
}
PRODUCTS = {
    p.sku: p
    for p in (
        Product(
            sku="TOR-001",
            name="Tornillo",
            category_code="FERR",
            unit="ud",
            tax_class="IVA21",
            currency="EUR",
            replacement_cost=D(6),
        ),
        Product(
            sku="LOW-MAR",
            name="Tuerca",
            category_code="FERR",
            unit="ud",
            tax_class="IVA21",
            currency="EUR",
            replacement_cost=D("9.5"),
        ),
        Product(
            sku="OLD-001",
            name="Tornillo antiguo",
            category_code="FERR",
            unit="ud",
            tax_class="IVA21",
            currency="EUR",
            replacement_cost=D(6),
            active=False,
        ),
        Product(
            sku="BOX-010",
            name="Guantes (caja 10)",
            category_code="FERR",
            unit="BOX",
            tax_class="IVA21",
            currency="EUR",
            replacement_cost=D(6),
            order_minimum=D(2),
            order_multiple=D(2),
        ),
    )
}
TAXES = {"IVA21": TaxClass(code="IVA21", name="IVA general", rate_percent=D(21))}
CATEGORIES = {"FERR": Category(code="FERR", name="Ferretería")}
PRICE_LISTS = [PriceList(code="BASE", name="Tarifa", kind="base", currency="EUR", valid_from=date(2020, 1, 1))]
ITEMS = [
    PriceListItem(price_list_code="BASE", sku="TOR-001", min_quantity=D(0), unit_price=D(10)),
    PriceListItem(price_list_code="BASE", sku="LOW-MAR", min_quantity=D(0), unit_price=D(10)),
    PriceListItem(price_list_code="BASE", sku="OLD-001", min_quantity=D(0), unit_price=D(10)),
    PriceListItem(price_list_code="BASE", sku="BOX-010", min_quantity=D(0), unit_price=D(10)),
]
FLOORS = [
    PriceFloor(scope=FloorScope.PRODUCT, code="TOR-001", currency="EUR", floor_price=D(8)),
    PriceFloor(scope=FloorScope.CATEGORY, code="FERR", currency="EUR", min_margin_percent=D(10)),
]
FX = [FxRate(rate_date=TODAY - timedelta(days=1), base_currency="EUR", quote_currency="USD", rate=D("1.1"))]


@dataclass(frozen=True)
class Case:
    customer: str
    lines: tuple[tuple[str, str, str, str | None], ...]
    """(sku, quantity, line discount %, unit price or None for the list price)"""
    fires: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    terms: str = "NET30"
    currency: str = "EUR"


CASES = {
    "within every limit": Case("C-OK", (("TOR-001", "10", "0", None),)),
    "discount above the band": Case("C-OK", (("TOR-001", "10", "12", None),), ("discount_above_band",)),
    "typed-down price below the floor": Case(
        "C-OK", (("TOR-001", "10", "0", "7.90"),), ("discount_above_band", "price_below_floor")
    ),
    "margin below the category's": Case("C-OK", (("LOW-MAR", "10", "0", None),), ("margin_below_floor",)),
    "terms not standard": Case("C-OK", (("TOR-001", "1", "0", None),), ("payment_terms",), terms="NET90"),
    "the customer's own terms": Case("C-N90", (("TOR-001", "1", "0", None),), terms="NET90"),
    "a prepayment customer on prepaid terms": Case("C-PRE", (("TOR-001", "1", "0", None),), terms="PREPAID"),
    "a prepayment customer on her master data's NET30": Case(
        "C-PRE", (("TOR-001", "1", "0", None),), ("payment_terms",), terms="NET30"
    ),
    "a discontinued product": Case(
        "C-OK", (("TOR-001", "1", "0", None), ("OLD-001", "1", "0", None)), problems=("problem.line.discontinued",)
    ),
    "boxes in pairs, as sold": Case("C-OK", (("BOX-010", "4", "0", None),)),
    "half a box": Case("C-OK", (("BOX-010", "2.5", "0", None),), problems=("problem.line.not_divisible",)),
    "one box, below the minimum": Case(
        "C-OK", (("BOX-010", "1", "0", None),), problems=("problem.line.below_minimum",)
    ),
    "three boxes, not a pair": Case("C-OK", (("BOX-010", "3", "0", None),), problems=("problem.line.not_multiple",)),
    "credit blocked": Case("C-BLK", (("TOR-001", "1", "0", None),), ("credit_blocked",)),
    "this quote takes it over the limit": Case("C-OVER", (("TOR-001", "10", "0", None),), ("credit_blocked",)),
    "this quote takes it near the limit": Case("C-NEAR", (("TOR-001", "10", "0", None),), ("credit_warning",)),
    "priced in another currency": Case("C-OK", (("TOR-001", "10", "0", None),), currency="USD"),
    "several lines, each rule once": Case(
        "C-OK",
        (("TOR-001", "10", "12", None), ("LOW-MAR", "5", "0", None), ("TOR-001", "1", "15", None)),
        ("discount_above_band", "margin_below_floor"),
    ),
    "no rate for the cost or the credit": Case(
        "C-OK",
        (("TOR-001", "10", "0", "10"),),
        problems=(
            "problem.line.cost_not_converted",
            "problem.line.floor_not_converted",
            "problem.quote.credit_not_converted",
        ),
        currency="GBP",
    ),
}


def _draft(case: Case) -> QuoteDraft:
    return QuoteDraft(
        id=uuid.uuid4(),
        number="Q-0001",
        version=1,
        customer_code=case.customer,
        seller_login=SELLER,
        currency=case.currency,
        issue_date=TODAY,
        valid_until=TODAY + timedelta(days=30),
        payment_terms=case.terms,
        lines=tuple(
            DraftLine(sku, D(qty), D(disc), None if price is None else D(price)) for sku, qty, disc, price in case.lines
        ),
    )


def _facts(case: Case) -> PricingFacts:
    customer, credit = CUSTOMERS[case.customer]
    return PricingFacts(
        customer=customer,
        credit=credit,
        products=PRODUCTS,
        price_lists=PRICE_LISTS,
        items=ITEMS,
        floors=FLOORS,
        categories=CATEGORIES,
        fx_rates=FX,
        tax_classes=TAXES,
        approval_policy=ApprovalPolicy(),
        credit_policy=CreditPolicy(),
    )


NO_STOCK = StockFacts(stocks={}, lots={}, substitutes={}, candidates={}, products=PRODUCTS)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One server database holding the whole table's world."""
    engine = make_engine(f"sqlite:///{(tmp_path_factory.mktemp('review') / 'server.db').as_posix()}")
    migrate(engine)
    with write_transaction(engine) as conn:
        for record in (*TAXES.values(), *CATEGORIES.values(), *PRICE_LISTS, *ITEMS, *FLOORS, *FX):
            put_record(conn, record, CATALOG_BUCKET)
        for product in PRODUCTS.values():
            put_record(conn, product, CATALOG_BUCKET)
        for customer, credit in CUSTOMERS.values():
            put_record(conn, customer, portfolio_bucket(SELLER))
            put_record(conn, credit, portfolio_bucket(SELLER))
    yield engine
    engine.dispose()


def _pushed(case: Case) -> Quote:
    """The quote as the device pushes it: the lines at the prices and tax rates it worked out."""
    draft = _draft(case)
    priced = price_draft(draft, _facts(case), NO_STOCK, home_warehouse="MAD", company_country="ES", today=TODAY)
    return Quote(
        id=draft.id,
        number=draft.number,
        version=1,
        customer_code=case.customer,
        seller_login=SELLER,
        currency=case.currency,
        issue_date=TODAY,
        valid_until=draft.valid_until,
        payment_terms=case.terms,
        lines=tuple(
            QuoteLine(
                line_no=line.line_no,
                sku=line.sku,
                description=line.description,
                quantity=line.result.quantity,
                unit_price=line.result.unit_price,
                discount_percent=line.result.discount_percent,
                tax_rate_percent=line.result.tax_rate_percent,
                unit_cost=D(0),  # what a forged cost looks like: the server never uses it
            )
            for line in priced.lines
        ),
    )


@pytest.mark.parametrize("name", CASES)
def test_the_rule(name):
    case = CASES[name]
    review = review_case(quote_case(_draft(case), _facts(case), "ES", D(0), TODAY))
    assert fired_codes(review.fired_rules) == case.fires
    assert tuple(p.key for p in review.problems) == case.problems


@pytest.mark.parametrize("name", CASES)
def test_the_device_builder(name):
    case = CASES[name]
    priced = price_draft(_draft(case), _facts(case), NO_STOCK, home_warehouse="MAD", company_country="ES", today=TODAY)
    assert fired_codes(priced.fired_rules) == case.fires
    assert tuple(p.key for p in priced.problems) == case.problems


@pytest.mark.parametrize("name", CASES)
def test_the_server_builder(server, name):
    case = CASES[name]
    with read_transaction(server) as conn:
        if case.problems:
            with pytest.raises(ValidationFailed) as refused:
                review_quote(conn, _pushed(case), TODAY)
            assert refused.value.key == case.problems[0]
        else:
            assert fired_codes(review_quote(conn, _pushed(case), TODAY)) == case.fires


def test_the_device_counts_its_own_open_quotes_against_credit():
    """The one input the sides feed differently: 200 EUR of quotes the ERP does not know yet."""
    case = CASES["within every limit"]
    facts = _facts(case)
    tight = PricingFacts(**{**{f: getattr(facts, f) for f in facts.__slots__}, "credit": _credit("C-OK", limit="300")})
    alone = price_draft(_draft(case), tight, NO_STOCK, home_warehouse="MAD", company_country="ES", today=TODAY)
    pending = price_draft(
        _draft(case), tight, NO_STOCK, home_warehouse="MAD", company_country="ES", today=TODAY, open_exposure=D(200)
    )
    assert fired_codes(alone.fired_rules) == ()
    assert fired_codes(pending.fired_rules) == ("credit_blocked",)
