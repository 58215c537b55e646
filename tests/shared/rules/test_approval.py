"""Approval rules: each one firing and not firing, with stable codes and readable reasons."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from shared.models import Credit
from shared.rules.approval import ApprovalFacts, ApprovalPolicy, evaluate_approval, fired_codes
from shared.rules.credit import check_credit
from shared.rules.floors import FloorViolation
from shared.rules.quote_math import LineInput

D = Decimal
POLICY = ApprovalPolicy(seller_bands={"ana": "senior", "luis": "junior"})


def facts(seller="pepe", disc="0", header="0", price="10.00", list_price=None, terms="NET30", customer_terms=None):
    line = LineInput(
        line_no=1,
        sku="TOR-001",
        quantity=D(1),
        unit_price=D(price),
        discount_percent=D(disc),
        list_price=D(list_price) if list_price else None,
    )
    return ApprovalFacts(
        seller_login=seller,
        payment_terms=terms,
        lines=(line,),
        header_discount_percent=D(header),
        customer_payment_terms=customer_terms,
    )


@pytest.mark.parametrize(
    ("seller", "disc", "header", "price", "list_price", "fires"),
    [
        ("pepe", "10", "0", "10.00", None, False),  # no band of his own: default standard 10 %, equal is fine
        ("pepe", "10.01", "0", "10.00", None, True),
        ("pepe", "5", "5", "10.00", None, False),  # 1 − .95 × .95 = 9.75 %
        ("pepe", "6", "5", "10.00", None, True),  # 1 − .94 × .95 = 10.7 %
        ("ana", "10", "5", "10.00", None, False),  # senior 15 %: 14.5 %
        ("ana", "10", "6", "10.00", None, True),  # 1 − .90 × .94 = 15.4 %
        ("luis", "6", "0", "10.00", None, True),  # junior 5 %
        ("pepe", "0", "0", "8.50", "10.00", True),  # typed-down price: 15 % below list
        ("pepe", "0", "0", "9.00", "10.00", False),  # exactly 10 % below list
        ("pepe", "0", "0", "11.00", "10.00", False),  # above list: no discount at all
        ("pepe", "5", "0", "9.50", "10.00", False),  # 9.50 × .95 = 9.025: 9.75 % below list
        ("pepe", "5", "0", "9.40", "10.00", True),  # 9.40 × .95 = 8.93: 10.7 % below list
    ],
)
def test_discount_above_band(seller, disc, header, price, list_price, fires):
    got = evaluate_approval(facts(seller, disc, header, price, list_price), POLICY)
    assert fired_codes(got) == (("discount_above_band",) if fires else ())


def test_discount_reason():
    (rule,) = evaluate_approval(facts("luis", "6", "2"), POLICY)  # 1 − .94 × .98 = 7.88 %
    assert (rule.code, rule.line_no) == ("discount_above_band", 1)
    assert rule.reason == "Line 1 (TOR-001): discount 7.88%, more than the 5% a junior seller may give"


PRICE_V = FloorViolation(
    "price_below_floor",
    1,
    "TOR-001",
    D("4.10"),
    D("4.50"),
    "product TOR-001",
    "TOR-001: price 4.10 below floor 4.50 EUR (product TOR-001)",
)
MARGIN_V = FloorViolation(
    "margin_below_floor",
    1,
    "TOR-001",
    D("8.2"),
    D("12"),
    "category TOR",
    "TOR-001: margin 8.2% below minimum 12% (category TOR)",
)


@pytest.mark.parametrize(
    ("policy", "violations", "codes"),
    [
        (POLICY, [], ()),
        (POLICY, [PRICE_V], ("price_below_floor",)),
        (POLICY, [MARGIN_V], ("margin_below_floor",)),
        (POLICY, [MARGIN_V, PRICE_V], ("price_below_floor", "margin_below_floor")),  # stable order
        (ApprovalPolicy(floors_need_approval=False), [PRICE_V, MARGIN_V], ()),
    ],
)
def test_floor_rules(policy, violations, codes):
    assert fired_codes(evaluate_approval(facts(), policy, floor_violations=violations)) == codes


def test_floor_reason_names_the_line():
    (rule,) = evaluate_approval(facts(), POLICY, floor_violations=[PRICE_V])
    assert rule.reason == "Line 1, TOR-001: price 4.10 below floor 4.50 EUR (product TOR-001)"


def credit(**kw):
    values = dict(
        customer_code="C001",
        currency="EUR",
        credit_limit="10000",
        open_balance="0",
        open_orders="0",
        overdue_amount="0",
        overdue_invoices=0,
        oldest_overdue_days=0,
        open_disputes=0,
        disputed_amount="0",
        blocked=False,
        prepayment_required=False,
    )
    return Credit(**{**values, **kw})


@pytest.mark.parametrize(
    ("policy", "kw", "codes"),
    [
        (POLICY, {}, ()),  # ok
        (POLICY, {"open_balance": "9500"}, ("credit_warning",)),  # near limit
        (POLICY, {"credit_limit": "0", "prepayment_required": True}, ()),  # prepayment alone: no risk
        (
            POLICY,
            {"credit_limit": "0", "prepayment_required": True, "open_disputes": 1, "disputed_amount": "50"},
            ("credit_warning",),
        ),
        (POLICY, {"blocked": True, "block_reason": "Impago"}, ("credit_blocked",)),
        (POLICY, {"open_balance": "10500"}, ("credit_blocked",)),  # over the limit
        (ApprovalPolicy(credit_warning_needs_approval=False), {"open_balance": "9500"}, ()),
        (
            ApprovalPolicy(credit_warning_needs_approval=False),
            {"blocked": True, "block_reason": "Impago"},
            ("credit_blocked",),
        ),  # blocked always needs a manager
        (
            ApprovalPolicy(credit_reasons_without_approval=frozenset()),
            {"credit_limit": "0", "prepayment_required": True},
            ("credit_warning",),
        ),
    ],
)
def test_credit_rules(policy, kw, codes):
    terms = "PREPAID" if kw.get("prepayment_required") else "NET30"  # a prepayment customer quoted as she pays
    assert fired_codes(evaluate_approval(facts(terms=terms), policy, check_credit(credit(**kw)))) == codes


def test_credit_reasons_carry_only_what_needs_a_manager():
    readiness = check_credit(credit(credit_limit="0", prepayment_required=True, open_disputes=1, disputed_amount="50"))
    (rule,) = evaluate_approval(facts(terms="PREPAID"), POLICY, readiness)
    assert rule.reason == "Credit warning: 1 open dispute for 50.00 EUR"
    (rule,) = evaluate_approval(facts(), POLICY, check_credit(credit(blocked=True, block_reason="Impago")))
    assert rule.reason == "Credit blocked: Blocked by finance: Impago"


@pytest.mark.parametrize(
    ("policy", "terms", "customer_terms", "fires"),
    [
        (POLICY, "NET30", None, False),
        (POLICY, "NET60", None, False),
        (POLICY, "PREPAID", None, False),
        (POLICY, "NET120", None, True),
        (POLICY, "NET90", "NET90", False),  # the customer's own terms, agreed in the ERP
        (POLICY, "NET90", "NET30", True),  # longer than the customer's own
        (ApprovalPolicy(customer_terms_are_standard=False), "NET90", "NET90", True),
    ],
)
def test_payment_terms(policy, terms, customer_terms, fires):
    got = evaluate_approval(facts(terms=terms, customer_terms=customer_terms), policy)
    assert fired_codes(got) == (("payment_terms",) if fires else ())


@pytest.mark.parametrize(
    ("terms", "customer_terms", "prepaid_terms", "reason"),
    [
        ("PREPAID", "NET30", "PREPAID", None),  # quoted as she must pay, whatever her master data says
        ("NET30", "NET30", "PREPAID", "The customer must pay in advance; payment terms NET30 instead of PREPAID"),
        ("NET60", None, "PREPAID", "The customer must pay in advance; payment terms NET60 instead of PREPAID"),
        ("CASH", None, "CASH", None),  # a company whose prepaid terms have another code
    ],
)
def test_a_prepayment_customer_on_other_terms_needs_an_approval(terms, customer_terms, prepaid_terms, reason):
    readiness = check_credit(credit(credit_limit="0", prepayment_required=True))
    policy = ApprovalPolicy(prepaid_terms=prepaid_terms, standard_payment_terms=frozenset({prepaid_terms, "NET30"}))
    got = evaluate_approval(facts(terms=terms, customer_terms=customer_terms), policy, readiness)
    assert [r.reason for r in got] == ([reason] if reason else [])


def test_payment_terms_reason():
    (rule,) = evaluate_approval(facts(terms="NET120"), POLICY)
    assert rule.reason == "Payment terms NET120 are not standard (NET30, NET60, PREPAID)"


def test_every_rule_at_once_in_a_stable_order():
    got = evaluate_approval(
        facts("luis", "20", terms="NET120"), POLICY, check_credit(credit(open_balance="9500")), [MARGIN_V, PRICE_V]
    )
    assert fired_codes(got) == (
        "discount_above_band",
        "price_below_floor",
        "margin_below_floor",
        "credit_warning",
        "payment_terms",
    )


def test_fired_codes_are_distinct():
    two_lines = ApprovalFacts(
        "luis", "NET30", (LineInput(1, "A", D(1), D(10), D(20)), LineInput(2, "B", D(1), D(10), D(30)))
    )
    got = evaluate_approval(two_lines, POLICY)
    assert [r.line_no for r in got] == [1, 2] and fired_codes(got) == ("discount_above_band",)


def test_policy_refuses_an_unknown_band():
    with pytest.raises(ValidationError, match="unknown discount band"):
        ApprovalPolicy(seller_bands={"ana": "platinum"})


def test_policy_travels_as_json_and_is_frozen():
    policy = ApprovalPolicy(discount_bands={"standard": "12.5"}, seller_bands={"ana": "standard"})
    assert ApprovalPolicy.model_validate_json(policy.model_dump_json()) == policy
    assert policy.max_discount("ana") == D("12.5")
    with pytest.raises(ValidationError):
        policy.default_band = "junior"
