"""Availability promises: home, other warehouse, partial, incoming, substitutes, none."""

from datetime import date
from decimal import Decimal

import pytest

from shared.models import IncomingLot, Product, Stock, Substitute
from shared.rules.availability import PromiseKind, describe, describe_for_customer, promise_availability, sellable

D = Decimal
TODAY = date(2026, 6, 10)


def stock(sku, wh, on_hand, reserved="0", damaged="0"):
    return Stock(sku=sku, warehouse_code=wh, on_hand=on_hand, reserved=reserved, damaged=damaged)


def lot(name, sku, qty, when, wh="MAD"):
    return IncomingLot(lot=name, sku=sku, warehouse_code=wh, quantity=qty, expected_date=when)


def product(sku, category, active=True):
    return Product(
        sku=sku,
        name=sku,
        category_code=category,
        unit="EA",
        tax_class="IVA21",
        currency="EUR",
        replacement_cost="1",
        active=active,
    )


STOCKS = [
    stock("A", "MAD", "100", "20", "5"),
    stock("A", "BCN", "40"),  # MAD 75, BCN 40
    stock("B", "MAD", "10", "30"),
    stock("B", "BCN", "50", "5", "5"),
    stock("B", "VLC", "60"),  # MAD clamps to 0
    stock("C", "MAD", "0"),
    stock("C", "BCN", "3", "3"),  # nothing sellable
    stock("D", "MAD", "12.5"),
    stock("H", "BCN", "50"),
    stock("H", "VLC", "50"),
    stock("I", "BCN", "20"),
    stock("I", "MAD", "20"),
    stock("S1", "MAD", "3"),
    stock("S1", "BCN", "10"),
    stock("S2", "MAD", "8"),
    stock("S3", "MAD", "0"),
    stock("S4", "MAD", "99"),
    stock("F1", "MAD", "100"),
    stock("F2", "BCN", "300"),
    stock("F3", "MAD", "1", "1"),
]
LOTS = [
    lot("L1", "C", "30", date(2026, 7, 1), "BCN"),
    lot("L2", "C", "20", date(2026, 6, 20)),
    lot("L0", "C", "100", date(2026, 6, 1)),  # late: expected before today, never promised
    lot("L3", "D", "50", date(2026, 12, 3)),
]
SUBSTITUTES = [
    Substitute(sku="E", substitute_sku="S1", rank=2),
    Substitute(sku="E", substitute_sku="S2", rank=1),
    Substitute(sku="E", substitute_sku="S3", rank=3),
    Substitute(sku="E", substitute_sku="S4", rank=4),
]
PRODUCTS = [
    product("A", "CAT-A"),
    product("E", "CAT-X"),
    product("F1", "CAT-X"),
    product("F2", "CAT-X"),
    product("F3", "CAT-X"),
    product("S1", "CAT-Y"),
    product("S2", "CAT-Y"),
    product("S3", "CAT-Y"),
    product("S4", "CAT-Y", active=False),
    product("G", "CAT-Z"),
]


def promise(sku, qty, today=TODAY, **kw):
    return promise_availability(sku, D(qty), "MAD", STOCKS, LOTS, today, SUBSTITUTES, PRODUCTS, **kw)


@pytest.mark.parametrize(
    ("on_hand", "reserved", "damaged", "expected"),
    [
        ("100", "20", "5", "75"),
        ("10", "30", "0", "0"),
        ("5", "3", "3", "0"),
        ("12.5", "0.25", "0", "12.25"),
        ("0", "0", "0", "0"),
    ],
)
def test_sellable_never_below_zero(on_hand, reserved, damaged, expected):
    assert sellable(stock("X", "MAD", on_hand, reserved, damaged)) == D(expected)


@pytest.mark.parametrize(
    ("sku", "qty", "kind", "warehouse", "now", "incoming", "incoming_date", "uncovered", "short"),
    [
        ("A", "75", "now_home", "MAD", "75", "0", None, "0", False),  # all of home's sellable 100−20−5
        ("A", "10", "now_home", "MAD", "10", "0", None, "0", False),
        ("A", "76", "partial", "MAD", "75", "0", None, "1", True),  # one warehouse per line, no lots
        ("B", "40", "now_other", "VLC", "40", "0", None, "0", False),  # MAD 10−30 → 0; most sellable VLC
        ("B", "60", "now_other", "VLC", "60", "0", None, "0", False),
        ("B", "61", "partial", "VLC", "60", "0", None, "1", True),
        ("H", "30", "now_other", "BCN", "30", "0", None, "0", False),  # BCN and VLC tie: code decides
        ("I", "30", "partial", "MAD", "20", "0", None, "10", True),  # tie between MAD and BCN: home wins
        ("C", "20", "incoming", None, "0", "20", date(2026, 6, 20), "0", True),
        ("C", "40", "incoming", None, "0", "40", date(2026, 7, 1), "0", True),  # 20 + 30 cover it on 07-01
        ("C", "60", "incoming", None, "0", "50", date(2026, 7, 1), "10", True),  # lots fall 10 short
        ("D", "30", "partial", "MAD", "12.5", "17.5", date(2026, 12, 3), "0", True),  # KG: some now, rest incoming
        ("E", "5", "substitute", None, "0", "0", None, "5", True),
        ("G", "1", "none", None, "0", "0", None, "1", True),
    ],
)
def test_promise(sku, qty, kind, warehouse, now, incoming, incoming_date, uncovered, short):
    got = promise(sku, qty)
    assert got.kind == PromiseKind(kind) and got.warehouse == warehouse
    assert (got.quantity_now, got.incoming_quantity, got.incoming_date) == (D(now), D(incoming), incoming_date)
    assert (got.uncovered_quantity, got.is_short) == (D(uncovered), short)


def test_a_lot_whose_date_has_passed_is_not_promised():
    got = promise("C", "20", today=date(2026, 6, 21))  # L2 (06-20) is late now: only L1 counts
    assert (got.incoming_date, got.incoming_quantity) == (date(2026, 7, 1), D(20))


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        # declared by rank, not by code: S2 (rank 1) before S1 (rank 2); S3 has no stock, S4 is inactive), then same category by stock: F2 300, F1 100
        (3, [("S2", "8", "MAD", True), ("S1", "10", "BCN", True), ("F2", "300", "BCN", False)]),
        (
            10,
            [
                ("S2", "8", "MAD", True),
                ("S1", "10", "BCN", True),
                ("F2", "300", "BCN", False),
                ("F1", "100", "MAD", False),
            ],
        ),
        (1, [("S2", "8", "MAD", True)]),
        (0, []),
    ],
)
def test_substitutes_order_and_cap(limit, expected):
    got = promise("E", "5", max_substitutes=limit)
    assert [(s.sku, str(s.sellable), s.warehouse, s.is_declared) for s in got.substitutes] == expected


def test_a_short_line_also_offers_substitutes():
    got = promise_availability("E", D(5), "MAD", STOCKS + [stock("E", "MAD", "2")], LOTS, TODAY, SUBSTITUTES, PRODUCTS)
    assert got.kind == PromiseKind.PARTIAL and [s.sku for s in got.substitutes] == ["S2", "S1", "F2"]


@pytest.mark.parametrize(
    ("sku", "qty", "parts", "short"),
    [
        ("A", "10", [("availability.now_home", {"wh": "MAD"})], None),
        ("B", "40", [("availability.now_other", {"wh": "VLC", "avail": {"$number": "60"}})], None),
        ("C", "40", [("availability.incoming_all", {"date": {"$date": "2026-07-01"}})], None),
        ("C", "60", [("availability.incoming", {"qty": {"$number": "50"}, "date": {"$date": "2026-07-01"}})], "10"),
        (
            "D",
            "30",
            [
                ("availability.partial", {"now": {"$number": "12.5"}, "wh": "MAD"}),
                ("availability.incoming", {"qty": {"$number": "17.5"}, "date": {"$date": "2026-12-03"}}),
            ],
            None,
        ),
        ("A", "76", [("availability.partial", {"now": {"$number": "75"}, "wh": "MAD"})], "1"),
        ("G", "1", [("availability.none", {})], None),
    ],
)
def test_a_promise_is_described_as_messages_for_any_language(sku, qty, parts, short):
    wording = describe(promise(sku, qty))
    assert [(p["$message"], p["params"]) for p in wording.parts] == parts
    assert (wording.short["count"] if wording.short else None) == short
    if short is not None:
        assert wording.short["$message"] == "availability.short"


def test_substitutes_are_named_each_with_its_stock_and_warehouse():
    [part] = describe(promise("E", "5")).parts
    assert part["$message"] == "availability.substitute"
    assert [(s["params"]["sku"], s["params"]["qty"]["$number"], s["params"]["wh"]) for s in part["params"]["subs"]] == [
        ("S2", "8", "MAD"),
        ("S1", "10", "BCN"),
        ("F2", "300", "BCN"),
    ]


def test_a_discontinued_product_promises_nothing_and_offers_its_substitutes():
    stocked = STOCKS + [stock("E", "MAD", "50")]
    assert (
        promise_availability("E", D(5), "MAD", stocked, LOTS, TODAY, SUBSTITUTES, PRODUCTS).kind == PromiseKind.NOW_HOME
    )
    got = promise_availability("E", D(5), "MAD", stocked, LOTS, TODAY, SUBSTITUTES, PRODUCTS, discontinued=True)
    assert (got.kind, got.is_short, got.quantity_now, got.uncovered_quantity) == (PromiseKind.SUBSTITUTE, True, 0, 5)
    assert [s.sku for s in got.substitutes] == ["S2", "S1", "F2"]


@pytest.mark.parametrize(
    ("sku", "qty", "parts", "short"),
    [
        ("A", "10", [("availability.customer.in_stock", {})], None),  # never which warehouse
        ("B", "40", [("availability.customer.in_stock", {})], None),  # from another warehouse: still in stock
        ("C", "40", [("availability.customer.from", {"date": {"$date": "2026-07-01"}})], None),
        (
            "C",
            "60",
            [("availability.customer.incoming", {"qty": {"$number": "50"}, "date": {"$date": "2026-07-01"}})],
            "10",
        ),
        (
            "D",
            "30",
            [
                ("availability.customer.now", {"now": {"$number": "12.5"}}),
                ("availability.customer.incoming", {"qty": {"$number": "17.5"}, "date": {"$date": "2026-12-03"}}),
            ],
            None,
        ),
        ("A", "76", [("availability.customer.now", {"now": {"$number": "75"}})], "1"),
        ("E", "5", [("availability.customer.to_confirm", {})], None),  # no substitute codes for the customer
        ("G", "1", [("availability.customer.to_confirm", {})], None),
    ],
)
def test_the_customer_reads_when_never_where_nor_how_much_stock(sku, qty, parts, short):
    wording = describe_for_customer(promise(sku, qty))
    assert [(p["$message"], p["params"]) for p in wording.parts] == parts
    assert (wording.short["count"] if wording.short else None) == short
    assert "wh" not in str(wording) and "sub" not in str(wording)
